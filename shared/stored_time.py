"""Moments read back from a database, always aware: SQLite keeps no zone, so a moment written in
UTC comes back naive (PostgreSQL's timestamptz comes back with its offset)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import overload


@overload
def stored_utc(moment: datetime) -> datetime: ...
@overload
def stored_utc(moment: None) -> None: ...
def stored_utc(moment: datetime | None) -> datetime | None:
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)
