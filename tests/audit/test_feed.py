"""The sealed feed: hashes on items, auditor filters and their paging, checkpoints, export."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import orjson
import pytest
from fastapi.testclient import TestClient

from services.registry.main import create_app as create_registry
from shared.audit import filters
from shared.audit.chain import Checkpoint, genesis, link
from shared.audit.keys import read_public_key, signature_valid
from shared.events import recorded_moment
from shared.settings import Settings
from tests.conftest import bearer
from tests.helpers import app_of, feed, recognise, register

AUDITOR = bearer("auditor")


@pytest.fixture
def registry(settings: Settings) -> Iterator[TestClient]:
    """The registry with its sealer thread off: the tests seal when they choose."""
    settings.seal_feeds = False
    with TestClient(create_registry(settings), headers=bearer("officer")) as client:
        yield client


def seal(registry: TestClient) -> None:
    app_of(registry).state.audit.sealer.checkpoint()


def pages(registry: TestClient, limit: int, **params: Any) -> list[dict[str, Any]]:
    """Follows next_after until it stops moving."""
    items: list[dict[str, Any]] = []
    after = 0
    while True:
        query = {"after": after, "limit": limit, **params}
        page = registry.get("/events", params=query, headers=AUDITOR).json()
        items.extend(page["items"])
        if page["next_after"] == after:
            return items
        after = page["next_after"]


def test_sealed_items_carry_their_chain_and_new_ones_do_not_yet(registry: TestClient) -> None:
    register(registry)
    seal(registry)
    register(registry)
    items = feed(registry, AUDITOR)
    store_id = registry.get("/events/head", headers=AUDITOR).json()["store_id"]
    prev = genesis(store_id)
    for item in items[:-1]:
        assert item["prev_hash"] == prev and item["hash"] == link(prev, item)
        prev = item["hash"]
    assert "hash" not in items[-1] and "prev_hash" not in items[-1]
    seal(registry)
    assert feed(registry, AUDITOR)[-1]["hash"] == link(prev, items[-1])


def test_checkpoints_are_signed_with_the_published_key(registry: TestClient) -> None:
    register(registry)
    seal(registry)
    key = read_public_key(registry.get("/events/public-key", headers=AUDITOR).content)
    (checkpoint,) = registry.get("/events/checkpoints", headers=AUDITOR).json()
    last = feed(registry, AUDITOR)[-1]
    assert (checkpoint["position"], checkpoint["hash"]) == (last["position"], last["hash"])
    assert signature_valid(key, Checkpoint.from_json(checkpoint).message(), checkpoint["signature"])


def written(registry: TestClient) -> list[str]:
    models = [
        register(registry, unit_code=unit, title=f"Mô hình {i}")
        for i, unit in enumerate(["00004", "00006", "00004", "001", "00004", "01"])
    ]
    for model_id in models[::2]:
        recognise(registry, model_id)
    seal(registry)
    return models


def test_filters_return_what_they_say(registry: TestClient) -> None:
    models = written(registry)
    everything = feed(registry, AUDITOR)

    def only(**params: Any) -> list[dict[str, Any]]:
        return pages(registry, 1000, **params)

    registered = only(type="Model.Registered")
    assert registered == [i for i in everything if i["type"] == "Model.Registered"]
    assert len(registered) == 6 and all("hash" in item for item in registered)
    both = only(type=["Model.Registered", "Model.Recognised"])
    assert [i["type"] for i in both].count("Model.Recognised") == 3 and len(both) == 9
    one = only(aggregate_id=models[2])
    assert [(i["aggregate_version"], i["type"]) for i in one] == [
        (1, "Model.Registered"),
        (2, "Model.Recognised"),
    ]
    in_truc_bach = only(unit="00004")
    assert {i["aggregate_id"] for i in in_truc_bach} == {models[0], models[2], models[4]}
    times = [i["recorded_at"] for i in registered]
    window = only(**{"from": times[1], "to": times[4]})
    assert (
        window == [i for i in everything if times[1] <= i["recorded_at"] < times[4]]
        and len(window) >= 3
    )
    assert only(type="Model.Recognised", unit="00004") == []  # only Registered names the unit


def test_naive_times_are_vietnam_time(registry: TestClient) -> None:
    written(registry)
    last = feed(registry, AUDITOR)[-1]
    moment = recorded_moment(last)
    naive = moment.astimezone(filters.VIETNAM).replace(tzinfo=None).isoformat()
    assert pages(registry, 100, **{"from": naive}) == [last]


def test_paging_filtered_pages_with_next_after_loses_nothing(
    registry: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    written(registry)
    expected = pages(registry, 1000, type="Model.Recognised")
    assert len(pages(registry, 1, type="Model.Recognised")) == 3
    assert pages(registry, 2, type="Model.Recognised") == expected
    monkeypatch.setattr(filters, "SCAN_LIMIT", 2)  # pages that scan little, some of them empty
    page = registry.get(
        "/events", params={"after": 0, "type": "Model.Recognised"}, headers=AUDITOR
    ).json()
    assert page["items"] == [] and page["next_after"] == 2
    assert pages(registry, 1, type="Model.Recognised") == expected


def test_the_export_is_the_whole_history_then_the_checkpoints_then_their_notes(
    registry: TestClient,
) -> None:
    written(registry)
    assert registry.get("/events/export").status_code == 403  # officers: no
    response = registry.get("/events/export", headers=AUDITOR)
    assert response.headers["content-type"].startswith("application/x-ndjson")
    lines = [orjson.loads(line) for line in response.content.splitlines()]
    header, *rest = lines
    assert header["kind"] == "store" and header["service"] == "registry"
    items = [line for line in rest if "kind" not in line]
    assert items == feed(registry, AUDITOR)
    checkpoints = [line for line in rest if line.get("kind") == "checkpoint"]
    notes = [line["note"] for line in rest if line.get("kind") == "note"]
    assert checkpoints and rest[-len(checkpoints) - len(notes) : -len(notes)] == checkpoints
    assert checkpoints[-1]["hash"] == items[-1]["hash"]
    assert notes[-1] == registry.get("/checkpoint").text


def test_audit_endpoints_are_for_auditors(registry: TestClient) -> None:
    for path in ("/events/checkpoints", "/events/public-key", "/events/export"):
        assert registry.get(path, headers=bearer("officer")).status_code == 403
        assert registry.get(path, headers=bearer("admin")).status_code == 200
