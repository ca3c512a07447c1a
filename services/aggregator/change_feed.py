"""The kiến nghị change feed: each step after a position, oldest first, as subscribers read it
(GET /kien-nghi/changes). The event store is the outbox: a subscriber keeps the position it has
read up to and asks again after it, so nothing is delivered that could be lost."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from services.aggregator.follower import Follower
from services.aggregator.listing import in_province
from services.aggregator.reports.engine import in_scope, in_utc
from services.aggregator.tables import KienNghiStatusChange
from shared.stored_time import stored_utc


@dataclass(frozen=True)
class ChangeFilter:
    after: int = 0  # the subscriber's cursor: the last position it has
    limit: int = 100
    agency: str | None = None
    province: str | None = None  # recorded or 2025 code
    kien_nghi_id: str | None = None
    since: datetime | None = None  # recorded at or after
    scope: tuple[str, ...] | None = None  # an officer's units


@dataclass(frozen=True)
class ChangePage:
    items: list[dict[str, Any]]
    next: int  # the cursor to ask after next


def change_page(
    sessions: sessionmaker[Session], follower: Follower | None, wanted: ChangeFilter
) -> ChangePage:
    """The changes after the cursor. A page that is not full moves the cursor on to where the
    dialogue feed is applied (read first: every change up to there is in the table), so a
    subscriber of a quiet agency does not read the same stretch again each time."""
    applied = follower.position()[1] if follower is not None else wanted.after
    c = KienNghiStatusChange
    stmt = select(c).where(c.position > wanted.after)
    if wanted.agency is not None:
        stmt = stmt.where(c.agency == wanted.agency)
    if wanted.province:
        stmt = stmt.where(in_province(c, wanted.province))
    if wanted.kien_nghi_id is not None:
        stmt = stmt.where(c.kien_nghi_id == wanted.kien_nghi_id)
    if wanted.since is not None:
        stmt = stmt.where(c.recorded_at >= in_utc(wanted.since))
    if wanted.scope is not None:
        stmt = stmt.where(in_scope(c, wanted.scope))
    stmt = stmt.order_by(c.position).limit(wanted.limit)
    with sessions() as session:
        items = [_item(row) for row in session.scalars(stmt)]
    last = items[-1]["position"] if items else wanted.after
    return ChangePage(items, last if len(items) == wanted.limit else max(last, applied))


def _item(row: KienNghiStatusChange) -> dict[str, Any]:
    return {
        "kien_nghi_id": row.kien_nghi_id,
        "position": row.position,
        "step": row.step,
        "status": row.status,
        "agency": row.agency,
        "due_on": row.due_on,
        "notes": row.notes,
        "recorded_at": stored_utc(row.recorded_at),
        "category": row.category,
        "unit_code": row.unit_code,
        "unit_structure": row.unit_structure,
    }
