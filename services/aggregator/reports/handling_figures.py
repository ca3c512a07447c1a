"""How each kiến nghị was handled, judged as docs/kien-nghi-handling.md says, in SQL (each
count a CASE summed by the database, so a national report reads no row into Python), and a
group's figures: counts, rates, median and 90th percentile of the working days to resolve
(counted per number of days by the database; the read model keeps each one's `resolve_days`).

A merged duplicate counts once, under its master: it is none of a group's kiến nghị, and its
master's `duplicates` counts it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import date
from statistics import median, quantiles
from typing import Any

from sqlalchemy import Date, and_, case, func, literal, or_
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from services.aggregator.reports.engine import Columns

OPEN = ("received", "assigned", "answered", "reopened")
CLOSED = ("resolved", "declined")
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


class vietnam_day(FunctionElement[date]):
    """The day in Vietnam (UTC+7 all year, no summer time) of a moment stored in UTC."""

    type = Date()
    inherit_cache = True


@compiles(vietnam_day, "sqlite")
def _vietnam_day_sqlite(element: vietnam_day, compiler: Any, **kw: Any) -> str:
    return f"date({compiler.process(element.clauses, **kw)}, '+7 hours')"


@compiles(vietnam_day, "postgresql")
def _vietnam_day_postgresql(element: vietnam_day, compiler: Any, **kw: Any) -> str:
    moment = compiler.process(element.clauses, **kw)
    return f"CAST(timezone('Asia/Ho_Chi_Minh', {moment}) AS DATE)"


def _one_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return case((condition, 1), else_=0)


def due_day(r: Any) -> ColumnElement[date]:
    """The day a kiến nghị is due: its assignment's (as transfers, classification and extensions
    moved it), else the day of the rules' resolve_by; none before there were rules."""
    return func.coalesce(r.due_on, vietnam_day(r.resolve_by))


def judgements(r: Columns, day: date) -> dict[str, ColumnElement[int]]:
    """Per kiến nghị, 1 for each count it is in on this day, else 0, as docs/kien-nghi-handling.md
    judges it (a merged duplicate, none of a report's rows, is left out by `judged_rows`)."""
    due = due_day(r)
    closed = case((r.status == "resolved", r.resolved_on), else_=r.declined_on)
    is_closed = and_(r.status.in_(CLOSED), closed.is_not(None), due.is_not(None))
    first_due = func.coalesce(r.due_before_extension, due)
    on_time = and_(is_closed, closed <= first_due)
    with_extension = and_(
        is_closed, closed > first_due, r.due_before_extension.is_not(None), closed <= due
    )
    still_open = or_(r.status.in_(OPEN), and_(r.status.in_(CLOSED), closed > day))
    acknowledged = r.acknowledged_at.is_not(None)
    return {
        "received": literal(1),
        "acknowledgement_due": _one_if(
            and_(
                r.acknowledge_by.is_not(None),
                or_(acknowledged, vietnam_day(r.acknowledge_by) < day),
            )
        ),
        "acknowledged_on_time": _one_if(
            and_(r.acknowledge_by.is_not(None), acknowledged, r.acknowledged_at <= r.acknowledge_by)
        ),
        "closed": _one_if(is_closed),
        "on_time": _one_if(on_time),
        "late_with_extension": _one_if(with_extension),
        "late": _one_if(and_(is_closed, ~on_time, ~with_extension)),
        "open_overdue": _one_if(and_(still_open, r.received_on <= day, due < day)),
        "reopened": _one_if(r.reopened > 0),
        "rated": _one_if(r.rating.is_not(None)),
        "resolved": _one_if(r.resolve_days.is_not(None)),
        "duplicates_merged": _one_if(r.duplicates > 0),
    }


# what counted_columns sums, by label
SUMMED = (*COUNTED, "rating_sum", "duplicate_sum")


def counted_columns(r: Columns, day: date) -> list[ColumnElement[Any]]:
    """A group's sums: each count, the ratings' sum and the duplicates merged into its own."""
    return [
        *(func.sum(one).label(name) for name, one in judgements(r, day).items()),
        func.sum(r.rating).label("rating_sum"),
        func.sum(r.duplicates).label("duplicate_sum"),
    ]


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def percentile_90(values: list[int]) -> float | None:
    """The 90th percentile, between the values as a spreadsheet's PERCENTILE.INC puts it."""
    if not values:
        return None
    if len(values) == 1:
        return float(values[0])
    return round(quantiles(values, n=10, method="inclusive")[8], 4)


def figures(sums: Mapping[str, Any] | None, resolve_days: Counter[int]) -> dict[str, Any]:
    """A group's figures from its sums (counted_columns; None: no kiến nghị) and how many were
    resolved in each number of working days."""
    counts = {name: int((sums or {}).get(name) or 0) for name in COUNTED}
    counts["duplicates_merged"] = int((sums or {}).get("duplicate_sum") or 0)
    days = sorted(resolve_days.elements())
    result: dict[str, Any] = {name: counts[name] for name in COUNTED if name in FIGURES}
    result["acknowledged_on_time_rate"] = _rate(
        counts["acknowledged_on_time"], counts["acknowledgement_due"]
    )
    result["on_time_rate"] = _rate(counts["on_time"], counts["closed"])
    result["resolve_days_median"] = float(median(days)) if days else None
    result["resolve_days_p90"] = percentile_90(days)
    rating_sum = (sums or {}).get("rating_sum")
    result["average_rating"] = (
        round(int(rating_sum) / counts["rated"], 4) if counts["rated"] and rating_sum else None
    )
    return {name: result[name] for name in FIGURES}
