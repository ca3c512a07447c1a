"""GET /kien-nghi/changes: the change feed apps and other government systems subscribe to,
filtered per agency (or province, or kiến nghị), read with a cursor, long-polled.

Scoped like every read: an agency's system is a principal scoped to its units. What a citizen
wrote (a reopening's reason) shows only to those who may see the kiến nghị's personal data, as
the dialogue service's views decide; no contact data, no data subject.
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from services.aggregator.api import Catalog, Followers, Reader, Sessions
from services.aggregator.change_feed import ChangeFilter, ChangePage, change_page
from services.aggregator.documents import ChangeFeedPage
from services.aggregator.open311_reads import BAD_MOMENT, Moment, Province
from services.aggregator.openapi_responses import list_responses
from shared import policy
from shared.appended import long_poll
from shared.events import dumps
from shared.input_types import PlainText, Position
from shared.policy import scope_of
from shared.principal import Principal
from shared.units import UnitCatalog

MAX_LIMIT = 1000
MAX_WAIT = 60  # seconds, as GET /events on the write services
POLL_INTERVAL = 0.5  # for changes another process applied; this one's wake the poll at once
CITIZENS_WORDS = frozenset({"Reopened"})  # steps whose notes a citizen may have written

router = APIRouter(prefix="/kien-nghi", tags=["kien-nghi"])


@router.get(
    "/changes",
    summary="Dòng thay đổi trạng thái kiến nghị / kiến nghị status changes to subscribe to",
    description="Oldest first by position in the dialogue feed; pass `next` back as `after`. "
    "With wait=, answers as soon as a change arrives (at most that many seconds).",
    responses=list_responses(ChangeFeedPage, BAD_MOMENT),
)
async def changes(
    request: Request,
    sessions: Sessions,
    catalog: Catalog,
    followers: Followers,
    reader: Reader,
    after: Annotated[Position, Query(description="the last position already read")] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100,
    agency: Annotated[PlainText | None, Query(max_length=200)] = None,
    province: Province = None,
    kien_nghi_id: UUID | None = None,
    since: Annotated[Moment | None, Query(description="recorded at or after")] = None,
    wait: Annotated[float, Query(ge=0, le=MAX_WAIT, description="long-poll seconds")] = 0,
) -> Response:
    wanted = ChangeFilter(
        after,
        limit,
        agency,
        province,
        str(kien_nghi_id) if kien_nghi_id else None,
        since,
        scope_of(reader),
    )
    follower = followers.get("dialogue")

    async def read() -> ChangePage:
        return await run_in_threadpool(change_page, sessions, follower, wanted)

    page = await long_poll(
        read,
        lambda found: bool(found.items),
        wait,
        follower.applied_events if follower else None,
        request.is_disconnected,
        POLL_INTERVAL,
    )
    items = [shown(item, reader, catalog) for item in page.items]
    return Response(dumps({"items": items, "next": page.next}), media_type="application/json")


def shown(item: dict[str, Any], reader: Principal, catalog: UnitCatalog) -> dict[str, Any]:
    if item["step"] in CITIZENS_WORDS:
        unit = catalog.get(item["unit_structure"], item["unit_code"])
        if not policy.may_see_personal_data(reader, unit, catalog):
            return {**item, "notes": None}
    return item
