"""Kiến nghị listed one by one, as apps and Open311 clients see them: no personal data in clear."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from services.aggregator.reports.engine import in_scope, in_utc
from services.aggregator.reports.sources import OPEN_STATUSES
from services.aggregator.tables import KienNghiRow, KienNghiStatusChange
from shared.stored_time import stored_utc
from shared.vietnam_time import VIETNAM

CLOSED_STATUSES = ("resolved", "declined")


@dataclass(frozen=True)
class KienNghiFilter:
    ids: tuple[str, ...] = ()
    category: str | None = None
    received_from: date | None = None
    received_to: date | None = None
    state: str | None = None  # open, closed, or one status
    citizen: str | None = None
    province: str | None = None
    limit: int = 1000
    scope: tuple[str, ...] | None = None  # an officer's units
    as_of: datetime | None = None  # each as recorded at this moment; None: as now
    categories: tuple[str, ...] = ()  # any of these (Open311's comma-separated service_code)
    requested_from: datetime | None = None  # requested_at, to the second
    requested_to: datetime | None = None
    offset: int = 0  # skip this many (a page)
    due_before: date | None = None  # due (the assignment's day, else the rules') before it


def start_of(day: date) -> datetime:
    """The first moment of a day in Vietnam, in UTC."""
    return in_utc(datetime.combine(day, time(), VIETNAM))


def list_kien_nghi(session: Session, wanted: KienNghiFilter) -> list[dict[str, Any]]:
    k = KienNghiRow
    stmt = select(k).where(k.at(in_utc(wanted.as_of) if wanted.as_of is not None else None))
    if wanted.ids:
        stmt = stmt.where(k.id.in_(wanted.ids))
    if wanted.category:
        stmt = stmt.where(k.category == wanted.category)
    if wanted.categories:
        stmt = stmt.where(k.category.in_(wanted.categories))
    if wanted.requested_from is not None:
        stmt = stmt.where(k.requested_at >= in_utc(wanted.requested_from))
    if wanted.requested_to is not None:
        stmt = stmt.where(k.requested_at <= in_utc(wanted.requested_to))
    if wanted.received_from:
        stmt = stmt.where(k.received_on >= wanted.received_from)
    if wanted.received_to:
        stmt = stmt.where(k.received_on <= wanted.received_to)
    if wanted.due_before is not None:
        # 1 January of year 1 starts, in UTC, before the first moment Python has
        first = wanted.due_before == date.min
        start = datetime.min.replace(tzinfo=UTC) if first else start_of(wanted.due_before)
        stmt = stmt.where(
            or_(
                k.due_on < wanted.due_before,
                and_(k.due_on.is_(None), k.resolve_by < start),
            )
        )
    if wanted.state == "open":
        stmt = stmt.where(k.status.in_(OPEN_STATUSES))
    elif wanted.state == "closed":
        stmt = stmt.where(k.status.in_(CLOSED_STATUSES))
    elif wanted.state:
        stmt = stmt.where(k.status == wanted.state)
    if wanted.citizen:
        stmt = stmt.where(k.citizen == wanted.citizen)
    if wanted.province:
        stmt = stmt.where(in_province(k, wanted.province))
    if wanted.scope is not None:
        stmt = stmt.where(in_scope(k, wanted.scope))
    stmt = stmt.order_by(k.requested_at.desc(), k.id).offset(wanted.offset).limit(wanted.limit)
    return [_item(row) for row in session.scalars(stmt)]


def in_province(table: Any, province: str) -> Any:
    """Rows of a province as recorded or as rolled up onto 2025 (the lists take either code)."""
    return (table.province_code == province) | (table.province_2025_code == province)


def _item(row: KienNghiRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "status": row.status,
        "open": row.status in OPEN_STATUSES,
        "category": row.category,
        "source": row.source,
        "channel": row.channel,
        "content": row.content,
        "status_notes": row.status_notes,
        "agency": row.agency,
        "unit_code": row.unit_code,
        "unit_structure": row.unit_structure,
        "received_on": row.received_on,
        "due_on": row.due_on,
        "tracking_code": row.tracking_code,
        "requested_at": stored_utc(row.requested_at),
        "updated_at": stored_utc(row.updated_at),
        "citizen": row.citizen,
        "personal": row.personal,
        "published": row.published,
        "attachment_count": row.attachment_count,
        "priority": row.priority,
        "resolve_by": stored_utc(row.resolve_by),
    }


@dataclass(frozen=True)
class StatusChangeFilter:
    since: datetime
    until: datetime
    province: str | None = None
    scope: tuple[str, ...] | None = None  # an officer's units
    limit: int = 1000
    offset: int = 0


def list_status_changes(session: Session, wanted: StatusChangeFilter) -> list[dict[str, Any]]:
    """The steps recorded in [since, until], oldest first (an update feed reads forward)."""
    c = KienNghiStatusChange
    stmt = select(c).where(
        c.recorded_at >= in_utc(wanted.since), c.recorded_at <= in_utc(wanted.until)
    )
    if wanted.province:
        stmt = stmt.where(in_province(c, wanted.province))
    if wanted.scope is not None:
        stmt = stmt.where(in_scope(c, wanted.scope))
    stmt = stmt.order_by(c.recorded_at, c.position).offset(wanted.offset).limit(wanted.limit)
    return [
        {
            "kien_nghi_id": row.kien_nghi_id,
            "position": row.position,
            "step": row.step,
            "status": row.status,
            "category": row.category,
            "notes": row.notes,
            "agency": row.agency,
            "due_on": row.due_on,
            "citizen": row.citizen,
            "recorded_at": stored_utc(row.recorded_at),
            "unit_code": row.unit_code,
            "unit_structure": row.unit_structure,
        }
        for row in session.scalars(stmt)
    ]
