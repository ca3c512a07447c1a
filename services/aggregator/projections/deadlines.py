"""A kiến nghị's days and deadlines as its events write them, as read-model columns."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from shared.stored_time import stored_utc
from shared.vietnam_time import VIETNAM


def day_or_none(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def deadline_columns(deadlines: dict[str, Any] | None) -> dict[str, Any]:
    """The columns of a kiến nghị's deadlines as its events store them (handling_rules.py)."""
    found = deadlines or {}
    moments = {
        f"{step}_by": moment_or_none(found.get(f"{step}_by"))
        for step in ("acknowledge", "answer", "resolve")
    }
    return {
        "priority": found.get("priority", "normal"),
        "rule_set": found.get("rule_set"),
        **moments,
    }


def moment_or_none(text: str | None) -> datetime | None:
    """A moment of an event (ISO 8601 with its zone) in UTC, as every moment here (SQLite keeps
    no zone)."""
    return datetime.fromisoformat(text).astimezone(UTC) if text else None


def due_day(due_on: date | None, resolve_by: datetime | None) -> date | None:
    """The day a kiến nghị is due: its assignment's (as transfers, classification and
    extensions moved it), else the rules' resolve_by day for one never assigned."""
    if due_on is not None:
        return due_on
    return None if resolve_by is None else stored_utc(resolve_by).astimezone(VIETNAM).date()
