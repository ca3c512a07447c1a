"""Request builders shared by tests: valid bodies, lifecycle moves, catching up."""

from __future__ import annotations

import time
from typing import Any, cast

from fastapi import FastAPI
from fastapi.testclient import TestClient

from shared.events import FeedItem
from testkit.records import model_body


def award_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "award": "medal_dan_van",
        "recipient_kind": "individual",
        "recipient": "Nguyễn Văn A",
        "unit_code": "00004",  # Phường Trúc Bạch, Ba Đình, Hà Nội (before 1 July 2025)
        "conferred_by": "province",
        "conferred_on": "2021-05-01",
    }
    body.update(overrides)
    return body


def register(client: TestClient, **overrides: Any) -> str:
    response = client.post("/models", json=model_body(**overrides))
    assert response.status_code == 201, response.text
    model_id: str = response.json()["id"]
    return model_id


def recognise(client: TestClient, model_id: str, on: str = "2021-06-01") -> None:
    response = client.post(
        f"/models/{model_id}/recognition", json={"level": "district", "recognised_on": on}
    )
    assert response.status_code == 200, response.text


def catch_up(aggregator: TestClient, minutes: float = 1) -> None:
    """Waits until the aggregator has applied both feeds up to their heads."""
    deadline = time.monotonic() + minutes * 60
    while True:
        response = aggregator.get(
            "/followers/wait", params={"registry": "", "dialogue": "", "timeout": 30}
        )
        if response.status_code != 504 or time.monotonic() > deadline:
            break
    assert response.status_code == 200, response.text


def feed(registry: TestClient, auditor: dict[str, str], after: int = 0) -> list[FeedItem]:
    items: list[FeedItem] = []
    while True:
        page = registry.get(
            "/events", params={"after": after, "limit": 1000}, headers=auditor
        ).json()
        items.extend(page["items"])
        if not page["items"]:
            return items
        after = page["next_after"]


def cubes_compacted(aggregator: TestClient, seconds: float = 60) -> None:
    """Waits until the followers have counted again every report-cube partition they gave
    deltas to (they do when the feed has been quiet a while), so that nothing else writes the
    cubes while a test does."""
    followers = app_of(aggregator).state.followers.values()
    deadline = time.monotonic() + seconds
    while any(f.uncompacted for f in followers):
        assert time.monotonic() < deadline, "the followers did not compact the cubes"
        time.sleep(0.05)


def app_of(client: TestClient) -> FastAPI:
    """The FastAPI application a test client drives (TestClient types it as any ASGI app)."""
    return cast(FastAPI, client.app)
