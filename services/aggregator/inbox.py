"""A kiến nghị inbox: the open ones an agency (or, with none, the units' own desk) has to
handle, in four views (docs/kien-nghi-handling.md says what each holds), soonest due first,
with each view's count.

The next step of an open kiến nghị, and whose it is, follow from its state: the unit's desk
acknowledges what it has not handed on, assigns, decides a request for more time and confirms
an answered one settled; the agency it is assigned to acknowledges it (if the desk did not)
and answers it. A view is worked out in SQL from the read model's current versions.
"""

from __future__ import annotations

import base64
import binascii
import textwrap
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Row, and_, case, func, literal, select, tuple_
from sqlalchemy.orm import Session

from services.aggregator.reports.engine import in_scope
from services.aggregator.reports.handling_figures import due_day
from services.aggregator.reports.sources import OPEN_STATUSES
from services.aggregator.tables import KienNghiRow
from shared.errors import InvalidInput
from shared.working_time import WorkingCalendar

VIEWS = ("mine", "due_soon", "overdue", "waiting")
EXCERPT = 160  # characters of the content an item shows
NO_DUE_DAY = date(9999, 12, 31)  # received before there were rules, never assigned: last

k = KienNghiRow
_unassigned = k.status.in_(("received", "reopened"))
_extension_pending = k.extensions_requested > k.extensions_granted + k.extensions_refused
# the step allowed next (the first that applies), as docs/kien-nghi-handling.md names it
NEXT_STEP = case(
    (and_(_unassigned, k.tracking_code.is_(None)), "acknowledge"),
    (_unassigned, "assign"),
    (_extension_pending, "decide_extension"),
    (k.tracking_code.is_(None), "acknowledge"),
    (k.status == "assigned", "answer"),
    else_="resolve",
)
# the agency's own steps once it holds the kiến nghị; every other step is the unit's desk's
AGENCY_STEPS = ("acknowledge", "answer")
_due = due_day(k)
_sort_day = func.coalesce(_due, literal(NO_DUE_DAY))


@dataclass(frozen=True)
class Inbox:
    agency: str | None  # whose: an agency's; None: the desk of the reader's units
    scope: tuple[str, ...] | None  # an officer's units
    unit: str | None  # only those of this unit and the units under it
    today: date
    due_soon_until: date  # the last day that is due soon


def inbox_for(
    agency: str | None,
    scope: tuple[str, ...] | None,
    unit: str | None,
    today: date,
    within: int,
    calendar: WorkingCalendar,
) -> Inbox:
    """Due soon: due today or within `within` working days after it (Vietnam's calendar)."""
    first_not_soon = calendar.add_working_days(today, within + 1)
    return Inbox(agency, scope, unit, today, first_not_soon - timedelta(days=1))


def held(inbox: Inbox) -> list[ColumnElement[bool]]:
    """The inbox's own: open, current, in the reader's scope (and unit), the agency's if any."""
    conditions = [k.at(None), k.status.in_(OPEN_STATUSES)]
    if inbox.agency is not None:
        conditions.append(k.agency == inbox.agency)
    if inbox.scope is not None:
        conditions.append(in_scope(k, inbox.scope))
    if inbox.unit is not None:
        conditions.append(in_scope(k, (inbox.unit,)))
    return conditions


def in_view(inbox: Inbox, view: str) -> ColumnElement[bool]:
    match view:
        case "due_soon":
            return and_(_due >= inbox.today, _due <= inbox.due_soon_until)
        case "overdue":
            return _due < inbox.today
        case "waiting" if inbox.agency is not None:
            return NEXT_STEP == "acknowledge"  # handed to the agency, not yet taken in
        case "waiting":
            agency_holds = and_(NEXT_STEP.in_(AGENCY_STEPS), k.agency.is_not(None))
            return ~agency_holds
    return literal(True)


def counts(session: Session, inbox: Inbox) -> dict[str, int]:
    """How many each view holds (the tabs of an inbox page)."""
    columns = [func.count().filter(in_view(inbox, view)).label(view) for view in VIEWS]
    row = session.execute(select(*columns).where(*held(inbox))).one()
    return {view: int(getattr(row, view)) for view in VIEWS}


def page(
    session: Session,
    inbox: Inbox,
    view: str,
    limit: int,
    after: tuple[date, date, str] | None,
    calendar: WorkingCalendar,
) -> tuple[list[dict[str, Any]], tuple[date, date, str] | None]:
    """The view's items after the cursor, by due day, then day received, then id; and the
    cursor of the last one when more may follow."""
    key = (_sort_day, k.received_on, k.id)
    stmt = select(k, _due.label("due_day"), NEXT_STEP.label("next_step"))
    stmt = stmt.where(*held(inbox), in_view(inbox, view))
    if after is not None:
        stmt = stmt.where(tuple_(*key) > tuple_(*(literal(v) for v in after)))
    rows = session.execute(stmt.order_by(*key).limit(limit + 1)).all()
    items = [item(row, inbox.today, calendar) for row in rows[:limit]]
    if len(rows) <= limit:
        return items, None
    last = rows[limit - 1]
    return items, (last.due_day or NO_DUE_DAY, last.KienNghiRow.received_on, last.KienNghiRow.id)


def item(found: Row[Any], today: date, calendar: WorkingCalendar) -> dict[str, Any]:
    """What an inbox shows of a kiến nghị (a row of page's select): no citizen, no personal
    data."""
    row, due, next_step = found.KienNghiRow, found.due_day, found.next_step
    return {
        "id": row.id,
        "tracking_code": row.tracking_code,
        "excerpt": textwrap.shorten(row.content, EXCERPT, placeholder=" …") if row.content else "",
        "category": row.category,
        "unit_code": row.unit_code,
        "unit_structure": row.unit_structure,
        "agency": row.agency,
        "status": row.status,
        "priority": row.priority,
        "received_on": row.received_on,
        "due_day": due,
        "days_left": days_left(due, today, calendar),
        "next_step": next_step,
        "next_by": "agency" if next_step in AGENCY_STEPS and row.agency else "unit",
    }


def days_left(due: date | None, today: date, calendar: WorkingCalendar) -> int | None:
    """Working days from today to the due day: 0 due today, negative once past (-1 at least,
    though the days since were days off)."""
    if due is None:
        return None
    if due >= today:
        return calendar.working_days_between(today, due)
    return -max(1, calendar.working_days_between(due, today))


def encode_cursor(key: tuple[date, date, str]) -> str:
    text = "|".join((key[0].isoformat(), key[1].isoformat(), key[2]))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[date, date, str]:
    """The key a cursor of this inbox's pages carries; 422 cursor_invalid for any other."""
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        due, received, kien_nghi_id = text.split("|")
        return date.fromisoformat(due), date.fromisoformat(received), kien_nghi_id
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InvalidInput("cursor_invalid", field="cursor") from None
