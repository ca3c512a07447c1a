"""A kiến nghị's days and deadlines as its events write them, as read-model columns."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any


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
