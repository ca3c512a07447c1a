"""What the dialogue service's Open311 API reads from the read side: kiến nghị a page at a time,
and their status changes since a moment (servicerequestupdates).

No personal data in clear: the sealed personal data travels as it is stored, for the dialogue
service to open. An officer's reads cover its units only; the dialogue service reads as an
auditor and decides itself what each caller of its own may see.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import AfterValidator, WithJsonSchema
from sqlalchemy.orm import Session, sessionmaker

from services.aggregator.documents import KienNghiPage, StatusChangePage
from services.aggregator.listing import (
    KienNghiFilter,
    StatusChangeFilter,
    list_kien_nghi,
    list_status_changes,
)
from services.aggregator.openapi_responses import BAD_QUERY, list_responses
from shared.events import dumps
from shared.input_types import IsoDateTime, PlainText
from shared.policy import READ, allow, scope_of
from shared.principal import Principal

BAD_MOMENT = BAD_QUERY + "; a moment without its offset (Z or ±hh:mm) or outside 1900–2999"
MAX_LIMIT = 1000
MAX_OFFSET = 1_000_000

router = APIRouter(prefix="/kien-nghi", tags=["kien-nghi"])
Reader = Annotated[Principal, Depends(allow(READ))]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]
Province = Annotated[str | None, Query(pattern=r"^\d{2}$")]


def _moment(value: datetime) -> datetime:
    """A moment with its offset, of a year that converts to UTC and back."""
    if value.tzinfo is None:
        raise ValueError("a moment needs its offset (Z or ±hh:mm)")
    if not 1900 <= value.year <= 2999:
        raise ValueError("a year from 1900 to 2999")
    return value


# (a number is no moment; the document states the years _moment accepts)
MOMENT_SCHEMA = {"type": "string", "format": "date-time", "pattern": r"^(19|2[0-9])[0-9]{2}-"}
Moment = Annotated[IsoDateTime, AfterValidator(_moment), WithJsonSchema(MOMENT_SCHEMA)]


def _sessions(request: Request) -> sessionmaker[Session]:
    sessions: sessionmaker[Session] = request.app.state.sessions
    return sessions


Sessions = Annotated[sessionmaker[Session], Depends(_sessions)]


@router.get(
    "/service-requests",
    summary="Kiến nghị theo trang, như Open311 liệt kê / kiến nghị a page at a time, for Open311",
    responses=list_responses(KienNghiPage, BAD_MOMENT),
)
def service_requests(
    sessions: Sessions,
    reader: Reader,
    ids: Annotated[list[PlainText] | None, Query(alias="id", max_length=MAX_LIMIT)] = None,
    categories: Annotated[list[PlainText] | None, Query(alias="category", max_length=20)] = None,
    requested_from: Moment | None = None,
    requested_to: Moment | None = None,
    state: Annotated[str | None, Query(pattern=r"^(open|closed)$")] = None,
    province: Province = None,
    limit: Limit = MAX_LIMIT,
    offset: Offset = 0,
) -> Response:
    """Newest first; ids, when given, with no other filter but the scope."""
    if ids:
        wanted = KienNghiFilter(ids=tuple(ids), limit=limit, offset=offset, scope=scope_of(reader))
    else:
        wanted = KienNghiFilter(
            categories=tuple(categories or ()),
            requested_from=requested_from,
            requested_to=requested_to,
            state=state,
            province=province,
            limit=limit,
            offset=offset,
            scope=scope_of(reader),
        )
    with sessions() as session:
        items = list_kien_nghi(session, wanted)
    return Response(dumps({"items": items}), media_type="application/json")


@router.get(
    "/status-changes",
    summary="Các bước xử lý kiến nghị từ một thời điểm / kiến nghị status changes since a moment",
    responses=list_responses(StatusChangePage, BAD_MOMENT),
)
def status_changes(
    sessions: Sessions,
    reader: Reader,
    since: Moment,
    until: Moment,
    province: Province = None,
    limit: Limit = MAX_LIMIT,
    offset: Offset = 0,
) -> Response:
    """Oldest first, each step once (docs/kien-nghi-handling.md: acknowledged, assigned, …)."""
    wanted = StatusChangeFilter(since, until, province, scope_of(reader), limit, offset)
    with sessions() as session:
        items = list_status_changes(session, wanted)
    return Response(dumps({"items": items}), media_type="application/json")
