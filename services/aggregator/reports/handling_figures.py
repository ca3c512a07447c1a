"""How each kiến nghị was handled, judged as docs/kien-nghi-handling.md says, and a group's
figures: counts, rates, median and 90th percentile of the working days to resolve.

A merged duplicate counts once, under its master: it is none of a group's kiến nghị, and its
master's `duplicates` counts it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from statistics import median, quantiles
from typing import Any, Protocol

from services.aggregator.projections.deadlines import due_day as due_day_of
from shared.stored_time import stored_utc
from shared.vietnam_time import VIETNAM
from shared.working_time import WorkingCalendar

OPEN = ("received", "assigned", "answered", "reopened")
CLOSED = ("resolved", "declined")
# the columns a judgement reads (besides the dimensions a report groups by)
COLUMNS = (
    "id",
    "status",
    "received_on",
    "acknowledged_at",
    "acknowledge_by",
    "resolve_by",
    "due_on",
    "due_before_extension",
    "resolved_on",
    "declined_on",
    "reopened",
    "rating",
    "duplicates",
)
# the figures, in the order reports list them; a rate or a middle is none of the counts
FIGURES = (
    "received",
    "acknowledgement_due",
    "acknowledged_on_time",
    "acknowledged_on_time_rate",
    "closed",
    "on_time",
    "late_with_extension",
    "late",
    "on_time_rate",
    "open_overdue",
    "reopened",
    "resolve_days_median",
    "resolve_days_p90",
    "rated",
    "average_rating",
    "duplicates_merged",
)
# the kiến nghị a figure is made of, where it is not a count (GET …/records lists them)
MADE_OF = {
    "acknowledged_on_time_rate": "acknowledgement_due",
    "on_time_rate": "closed",
    "resolve_days_median": "resolved",
    "resolve_days_p90": "resolved",
    "average_rating": "rated",
}
# what a judgement counts a kiến nghị in
COUNTED = (
    "received",
    "acknowledgement_due",
    "acknowledged_on_time",
    "closed",
    "on_time",
    "late_with_extension",
    "late",
    "open_overdue",
    "reopened",
    "rated",
    "resolved",
    "duplicates_merged",
)


class Handled(Protocol):
    """What a judgement reads of a kiến nghị (a row of COLUMNS and master_id)."""

    status: str
    received_on: date
    acknowledged_at: datetime | None
    acknowledge_by: datetime | None
    resolve_by: datetime | None
    due_on: date | None
    due_before_extension: date | None
    resolved_on: date | None
    declined_on: date | None
    reopened: int
    rating: int | None
    duplicates: int
    master_id: str | None


@dataclass(frozen=True)
class Judgement:
    """What one kiến nghị adds to each count, and its working days to resolve."""

    counts: frozenset[str]
    resolve_days: int | None
    rating: int | None
    duplicates: int


def _vietnam_day(moment: datetime | None) -> date | None:
    return None if moment is None else stored_utc(moment).astimezone(VIETNAM).date()


def due_day(row: Handled) -> date | None:
    return due_day_of(row.due_on, row.resolve_by)


def closed_on(row: Handled) -> date | None:
    return row.resolved_on if row.status == "resolved" else row.declined_on


def judge(row: Handled, day: date, calendar: WorkingCalendar) -> Judgement | None:
    """How a kiến nghị stood on this day; None for a merged duplicate (its master counts it)."""
    if row.master_id is not None:
        return None
    counts = {"received"}
    if row.acknowledge_by is not None:
        acknowledge_by = stored_utc(row.acknowledge_by)
        acknowledged = stored_utc(row.acknowledged_at) if row.acknowledged_at else None
        by_then = _vietnam_day(acknowledge_by)
        if acknowledged is not None or (by_then is not None and by_then < day):
            counts.add("acknowledgement_due")
        if acknowledged is not None and acknowledged <= acknowledge_by:
            counts.add("acknowledged_on_time")
    due, closed = due_day(row), closed_on(row) if row.status in CLOSED else None
    if closed is not None and due is not None:
        counts.add("closed")
        first_due = row.due_before_extension or due
        if closed <= first_due:
            counts.add("on_time")
        elif row.due_before_extension is not None and closed <= due:
            counts.add("late_with_extension")
        else:
            counts.add("late")
    still_open = row.status in OPEN or (closed is not None and closed > day)
    if still_open and row.received_on <= day and due is not None and due < day:
        counts.add("open_overdue")
    if row.reopened > 0:
        counts.add("reopened")
    if row.rating is not None:
        counts.add("rated")
    if row.duplicates > 0:
        counts.add("duplicates_merged")
    resolve_days = None
    if row.status == "resolved" and row.resolved_on is not None:
        counts.add("resolved")
        resolve_days = calendar.working_days_between(row.received_on, row.resolved_on)
    return Judgement(frozenset(counts), resolve_days, row.rating, row.duplicates)


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def percentile_90(values: list[int]) -> float | None:
    """The 90th percentile, between the values as a spreadsheet's PERCENTILE.INC puts it."""
    if not values:
        return None
    if len(values) == 1:
        return float(values[0])
    return round(quantiles(values, n=10, method="inclusive")[8], 4)


def figures(judged: Iterable[Judgement]) -> dict[str, Any]:
    """A group's figures from the judgements of its kiến nghị."""
    counts = dict.fromkeys(COUNTED, 0)
    days: list[int] = []
    ratings: list[int] = []
    for one in judged:
        for name in one.counts - {"duplicates_merged"}:
            counts[name] += 1
        counts["duplicates_merged"] += one.duplicates  # the master counts each of its own
        if one.resolve_days is not None:
            days.append(one.resolve_days)
        if one.rating is not None:
            ratings.append(one.rating)
    result: dict[str, Any] = {name: counts[name] for name in COUNTED if name in FIGURES}
    result["acknowledged_on_time_rate"] = _rate(
        counts["acknowledged_on_time"], counts["acknowledgement_due"]
    )
    result["on_time_rate"] = _rate(counts["on_time"], counts["closed"])
    result["resolve_days_median"] = float(median(days)) if days else None
    result["resolve_days_p90"] = percentile_90(days)
    result["average_rating"] = round(sum(ratings) / len(ratings), 4) if ratings else None
    return {name: result[name] for name in FIGURES}
