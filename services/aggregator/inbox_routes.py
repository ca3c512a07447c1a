"""GET /kien-nghi/inbox: the open kiến nghị an agency's clerk (or a unit's desk) has to handle,
by view, soonest due first, with each view's count (services.aggregator.inbox).

Scoped like every read: an officer sees its units only, whatever agency it names."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response

from services.aggregator.api import Catalog, Reader, Sessions
from services.aggregator.documents import InboxPage
from services.aggregator.inbox import counts, decode_cursor, encode_cursor, inbox_for, page
from services.aggregator.openapi_responses import BAD_QUERY, list_responses
from shared import policy
from shared.errors import InvalidInput
from shared.events import dumps
from shared.input_types import PlainText
from shared.policy import scope_of
from shared.units import Structure, Unit, UnitCatalog
from shared.vietnam_time import today_in_vietnam
from shared.working_time import WorkingCalendar


def get_calendar(request: Request) -> WorkingCalendar:
    calendar: WorkingCalendar = request.app.state.calendar
    return calendar


Calendar = Annotated[WorkingCalendar, Depends(get_calendar)]

router = APIRouter(prefix="/kien-nghi", tags=["kien-nghi"])
BAD_INBOX_QUERY = (
    BAD_QUERY + "; a unit code that names no unit (unit_unknown), a cursor this inbox did not "
    "give (cursor_invalid)"
)
View = Literal["mine", "due_soon", "overdue", "waiting"]


@router.get(
    "/inbox",
    summary="Hộp việc kiến nghị / a kiến nghị inbox: mine, due soon, overdue, waiting",
    description="The open kiến nghị of the caller's agency (a clerk's token or JWT names it), "
    "of the agency= asked, or with neither those of the caller's units; unit= keeps those of a "
    "unit and the units under it. view=mine: all of them; due_soon: due today or within "
    "`within` working days (Vietnam's calendar); overdue: past their due day; waiting: those "
    "whose next step is the inbox holder's (an agency: to acknowledge what it was handed; the "
    "units' desk: to acknowledge or assign, to decide an extension, to confirm an answered one "
    "settled). Sorted by due day (the assignment's, else the rules'), then day received; "
    "`counts` holds every view's number; pass `next` back as cursor= for the next page.",
    responses=list_responses(InboxPage, BAD_INBOX_QUERY),
)
def inbox(
    sessions: Sessions,
    catalog: Catalog,
    calendar: Calendar,
    reader: Reader,
    view: View = "mine",
    agency: Annotated[
        PlainText | None,
        Query(max_length=200, description="an agency, exactly as assigned (a clerk: its own)"),
    ] = None,
    unit: Annotated[
        str | None, Query(pattern=r"^\d{2,5}$", description="a unit code, recorded or 2025")
    ] = None,
    within: Annotated[int, Query(ge=0, le=60, description="working days: due soon")] = 3,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    cursor: Annotated[str | None, Query(pattern=r"^[A-Za-z0-9_-]{1,200}$")] = None,
) -> Response:
    today = today_in_vietnam()
    if unit is not None:
        policy.require_may_read_unit(reader, known_unit(catalog, unit, today), catalog)
    after = decode_cursor(cursor) if cursor is not None else None
    holder = agency or reader.agency
    box = inbox_for(holder, scope_of(reader), unit, today, within, calendar)
    with sessions() as session:
        found = counts(session, box)
        items, last = page(session, box, view, limit, after, calendar)
    answer = {
        "view": view,
        "agency": holder,
        "unit": unit,
        "today": today,
        "within": within,
        "counts": found,
        "items": items,
        "next": encode_cursor(last) if last is not None else None,
    }
    return Response(dumps(answer), media_type="application/json")


def known_unit(catalog: UnitCatalog, code: str, today: object) -> Unit:
    found = catalog.get(Structure.LEGACY, code) or catalog.get(Structure.V2025, code)
    if found is None:
        raise InvalidInput("unit_unknown", field="unit", unit_code=code, on=today)
    return found
