"""The kiến nghị behind a figure of the handling report, each with the feed positions of the
events that decided it: its receipt (its deadlines) and every later event that changed what the
figure reads (a due day, an acknowledgement, a closure, a reopening, a rating…)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.aggregator.reports.engine import ReportQuery, in_utc
from services.aggregator.reports.handling import HANDLING, judged_rows, report_day
from services.aggregator.reports.handling_figures import MADE_OF, judgements
from services.aggregator.tables import KienNghiRow

_CLOSING = ("due_on", "due_before_extension", "resolve_by", "resolved_on", "declined_on")
# what each count reads of a kiến nghị's versions
READS: dict[str, tuple[str, ...]] = {
    "received": (),
    "acknowledgement_due": ("acknowledge_by", "acknowledged_at"),
    "acknowledged_on_time": ("acknowledge_by", "acknowledged_at"),
    "closed": _CLOSING,
    "on_time": _CLOSING,
    "late_with_extension": _CLOSING,
    "late": _CLOSING,
    "open_overdue": _CLOSING,
    "reopened": ("reopened",),
    "rated": ("rating",),
    "resolved": ("resolved_on",),
    "duplicates_merged": ("duplicates",),
}


def deciding_positions(
    session: Session, ids: list[str], reads: tuple[str, ...], query: ReportQuery
) -> dict[str, list[int]]:
    """Per kiến nghị, the positions of its first version and of each version that changed
    one of these columns (as recorded by the query's moment)."""
    k = KienNghiRow
    columns = [getattr(k, name) for name in reads]
    stmt = select(k.id, k.position, *columns).where(k.id.in_(ids)).order_by(k.id, k.position)
    if query.as_of is not None:
        stmt = stmt.where(k.valid_from <= in_utc(query.as_of))
    positions: dict[str, list[int]] = defaultdict(list)
    before: dict[str, tuple[Any, ...]] = {}
    for record in session.execute(stmt):
        values = tuple(record[2:])
        if record.id not in before or values != before[record.id]:
            positions[record.id].append(record.position)
        before[record.id] = values
    return positions


def figure_records(session: Session, query: ReportQuery, figure: str, limit: int) -> dict[str, Any]:
    counted = MADE_OF.get(figure, figure)
    day = report_day(query)
    k = HANDLING.facts()
    judged = judgements(k, day)[counted] == 1
    counting, _ = judged_rows(query, [], [func.count()])
    listing, _ = judged_rows(query, [], [k.id, k.tracking_code, k.last_agency])
    shown = session.execute(listing.where(judged).order_by(k.id).limit(limit)).all()
    positions = deciding_positions(session, [r.id for r in shown], READS[counted], query)
    return {
        "figure": figure,
        "period": query.period.as_json() if query.period else None,
        "filters": query.filters,
        "day": day,
        "count": session.execute(counting.where(judged)).scalar_one(),
        "items": [
            {
                "id": r.id,
                "tracking_code": r.tracking_code,
                "agency": r.last_agency,  # the one it counts under (reports.handling)
                "events": positions[r.id],
            }
            for r in shown
        ],
    }
