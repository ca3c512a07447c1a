"""Auditor filters on GET /events: by aggregate, event type, unit and time recorded.

A filtered page scans the log forward from `after` until it holds `limit` matches, reaches the
end, or has looked at `scan` positions; `next_after` is the last position looked at, so a
reader continues from it and has seen everything once `next_after` stops moving (a filtered page
may be empty and still move on). Type and aggregate are checked on the stored columns before
anything is decoded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from shared.events import FeedItem, envelope, event_type, recorded_moment

VIETNAM = dt.timezone(dt.timedelta(hours=7))
SCAN_LIMIT = 20_000
CHUNK = 1000


def aware(moment: dt.datetime | None) -> dt.datetime | None:
    """Times without an offset are Vietnam's (UTC+7)."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=VIETNAM)


@dataclass(frozen=True)
class FeedFilter:
    aggregate_id: UUID | None = None
    types: frozenset[str] = field(default_factory=frozenset)
    units: frozenset[str] = field(default_factory=frozenset)
    start: dt.datetime | None = None  # recorded at or after
    end: dt.datetime | None = None  # recorded before

    @property
    def active(self) -> bool:
        return bool(self.aggregate_id or self.types or self.units or self.start or self.end)

    def admits_stored(self, originator_id: UUID, topic: str) -> bool:
        if self.aggregate_id is not None and originator_id != self.aggregate_id:
            return False
        return not self.types or event_type(topic) in self.types

    def admits(self, item: FeedItem) -> bool:
        if self.units and item["data"].get("unit_code") not in self.units:
            return False
        recorded_at = recorded_moment(item)
        if self.start is not None and recorded_at < self.start:
            return False
        return self.end is None or recorded_at < self.end


def filtered_page(
    app: Any, after: int, limit: int, where: FeedFilter, scan: int | None = None
) -> tuple[list[FeedItem], int]:
    """The matching items after `after` and the last position looked at."""
    scan = scan or SCAN_LIMIT
    items: list[FeedItem] = []
    position, scanned = after, 0
    while len(items) < limit and scanned < scan:
        notifications = app.recorder.select_notifications(
            start=position, limit=min(CHUNK, scan - scanned), inclusive_of_start=False
        )
        if not notifications:
            break
        for notification in notifications:
            scanned += 1
            position = notification.id
            if not where.admits_stored(notification.originator_id, notification.topic):
                continue
            item = envelope(notification, app.mapper.transcoder, notification.id)
            if where.admits(item):
                items.append(item)
                if len(items) == limit:
                    break
    return items, position
