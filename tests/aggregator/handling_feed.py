"""A dialogue feed written by hand, event by event, with the data docs/kien-nghi-handling.md
gives each handling step; served as GET /events so that an aggregator follows it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

from fastapi import FastAPI
from fastapi.testclient import TestClient

from services.aggregator.main import create_app as create_aggregator
from services.aggregator.reports.handling_figures import FIGURES
from shared.events import FeedItem
from shared.settings import Settings
from tests.conftest import bearer
from tests.helpers import catch_up

START = datetime(2024, 7, 1, tzinfo=UTC)  # when the feed's first event was recorded


def figures(*values: Any) -> dict[str, Any]:
    """A row of the handling report: its figures in the order FIGURES lists them."""
    return dict(zip(FIGURES, values, strict=True))


def deadlines(received_on: str, acknowledge_by: str, resolve_by: str) -> dict[str, Any]:
    return {
        "rule_set": "national-default",
        "priority": "normal",
        "clock_from": f"{received_on}T17:00:00+07:00",
        "acknowledge_by": f"{acknowledge_by}T17:00:00+07:00",
        "answer_by": f"{resolve_by}T17:00:00+07:00",
        "resolve_by": f"{resolve_by}T17:00:00+07:00",
    }


@dataclass
class Feed:
    """The events of one store, in the order written; positions from 1."""

    items: list[FeedItem] = field(default_factory=list)
    versions: dict[str, int] = field(default_factory=dict)

    def record(self, kien_nghi_id: str, step: str, **data: Any) -> int:
        version = self.versions.get(kien_nghi_id, 0) + 1
        self.versions[kien_nghi_id] = version
        position = len(self.items) + 1
        self.items.append(
            {
                "position": position,
                "id": str(uuid4()),
                "aggregate_id": kien_nghi_id,
                "aggregate_version": version,
                "type": f"KienNghi.{step}",
                "recorded_at": (START + timedelta(seconds=position)).isoformat(),
                "data": {"actor": "officer-test", **data},
            }
        )
        return position

    def receive(
        self, received_on: str, *, rules: dict[str, Any] | None, category: str = "environment"
    ) -> str:
        kien_nghi_id = str(uuid4())
        self.record(
            kien_nghi_id,
            "Received",
            source="citizen_reception",
            source_id=None,
            finding_id=None,
            unit_code="00004",
            unit_structure="legacy",
            category=category,
            content="Kiến nghị thử",
            received_on=received_on,
            deadlines=rules,
        )
        return kien_nghi_id


def feed_app(feed: Feed, store_id: str) -> FastAPI:
    """GET /events and /events/head over these items, as a write service serves them."""
    app = FastAPI()

    @app.get("/events/head")
    def head() -> dict[str, Any]:
        return {"store_id": store_id, "position": len(feed.items), "sealed_through": None}

    @app.get("/events")
    def events(after: int = 0, limit: int = 100, wait: float = 0) -> dict[str, Any]:
        page = feed.items[after : after + limit]
        next_after = page[-1]["position"] if page else after
        return {"store_id": store_id, "items": page, "next_after": next_after}

    return app


def feed_clients(dialogue: Feed) -> dict[str, TestClient]:
    """The aggregator's upstreams: this dialogue feed, and a registry with no events."""
    return {
        "registry": TestClient(feed_app(Feed(), "hand-registry")),
        "dialogue": TestClient(feed_app(dialogue, "hand-dialogue")),
    }


@contextmanager
def following_feed(
    settings: Settings, dialogue: Feed, read_models_at_head: Path
) -> Iterator[TestClient]:
    """An aggregator (an auditor's client) caught up with this dialogue feed."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    if not settings.uses_postgres:
        shutil.copyfile(read_models_at_head, settings.data_dir / "aggregator.db")
    app = create_aggregator(settings, feed_clients(dialogue))
    with TestClient(app, headers=bearer("auditor")) as client:
        catch_up(client)
        yield client
