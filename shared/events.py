"""The public event envelope: what GET /events and the history endpoints return."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, NotRequired, TypedDict
from uuid import UUID, uuid5

import orjson
from eventsourcing.persistence import ApplicationRecorder, StoredEvent, Transcoder

EVENT_ID_NAMESPACE = UUID("6f1c7a52-33c4-4a57-9d0e-3c2f0f1d7a01")


class FeedItem(TypedDict):
    """One event of a feed: as a store's notification log decodes it (ids as UUIDs, the moment
    as a datetime) and as GET /events, an export or a store reader's page carries it in JSON
    (the same values written out). shared.documents.FeedItem is its OpenAPI schema."""

    position: int | None  # None in a record's history
    id: UUID | str
    aggregate_id: UUID | str
    aggregate_version: int
    type: str
    recorded_at: dt.datetime | str
    data: dict[str, Any]
    hash: NotRequired[str]  # once sealed
    prev_hash: NotRequired[str]
    sealed_id: NotRequired[str]  # where the chain sealed another event at this position
    in_store_at: NotRequired[dt.datetime]  # the aggregator's: when the store took it (moments.py)


def position_of(item: FeedItem) -> int:
    """The item's place in its feed (a history's items have none)."""
    position = item["position"]
    if position is None:
        raise ValueError(f"event {item['id']} is not a feed item: it has no position")
    return position


def recorded_moment(item: FeedItem) -> dt.datetime:
    """recorded_at as a moment, whether decoded from the store or read from JSON."""
    at = item["recorded_at"]
    return at if isinstance(at, dt.datetime) else dt.datetime.fromisoformat(at)


def event_type(topic: str) -> str:
    """'services.registry.domain:Model.Registered' -> 'Model.Registered'."""
    return topic.rpartition(":")[2]


def event_id(aggregate_id: UUID | str, version: int) -> UUID:
    """Stable id of one event: an aggregate's version never holds two events."""
    return uuid5(EVENT_ID_NAMESPACE, f"{aggregate_id}/{version}")


def envelope(stored: StoredEvent, transcoder: Transcoder, position: int | None) -> FeedItem:
    """One stored event as plain JSON-ready values, without the library's type wrappers."""
    state = transcoder.decode(stored.state)
    recorded_at = state.pop("timestamp")
    state.pop("originator_topic", None)
    state.pop("originator_id", None)
    state.pop("originator_version", None)
    return {
        "position": position,
        "id": event_id(stored.originator_id, stored.originator_version),
        "aggregate_id": stored.originator_id,
        "aggregate_version": stored.originator_version,
        "type": event_type(stored.topic),
        "recorded_at": recorded_at,
        "data": state,
    }


def feed_page(
    recorder: ApplicationRecorder, transcoder: Transcoder, after: int, limit: int
) -> tuple[list[FeedItem], int]:
    """The items of a store's notification log after a position, and the position to ask after
    next: what GET /events serves."""
    notifications = recorder.select_notifications(
        start=after, limit=limit, inclusive_of_start=False
    )
    items = [envelope(n, transcoder, n.id) for n in notifications]
    return items, (notifications[-1].id if notifications else after)


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(type(value).__name__)


def dumps(value: Any) -> bytes:
    """JSON with ISO dates, UUIDs and decimals as strings."""
    return orjson.dumps(value, default=_default)
