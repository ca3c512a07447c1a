"""GET /events: a write service's notification log, read-only, in order, as plain JSON.

Once the sealer has chained an event, its item carries `hash` and `prev_hash` (see
shared.audit.chain). Auditors filter with aggregate_id, type, unit, from and to; and take the
signed checkpoints, the public key and the whole history as JSON Lines from /events/*.
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from shared.appended import AppendSignal, long_poll
from shared.application import ServiceApplication
from shared.audit.export import annotate, export_lines
from shared.audit.filters import FeedFilter, aware, filtered_page
from shared.audit.service import Audit
from shared.documents import FeedHead, FeedPage, SignedCheckpoint
from shared.errors import NotFound
from shared.events import FeedItem, dumps, position_of
from shared.input_types import IsoDateTime, Position
from shared.policy import AUDIT, allow
from shared.principal import Principal

MAX_PAGE = 1000  # the most events GET /events serves in one page
POLL_INTERVAL = 0.05  # for appends another process made; this one's wake the poll at once

Reader = Annotated[Principal, Depends(allow(AUDIT))]
TEXT = {"type": "string"}
UNSEALED: dict[int | str, dict[str, Any]] = {
    404: {"description": "dòng này không niêm phong / this feed is not sealed"}
}


def audit_of(request: Request) -> Audit | None:
    return getattr(request.app.state, "audit", None)


def feed_router(app: ServiceApplication, appended: AppendSignal | None = None) -> APIRouter:
    router = APIRouter(tags=["events"])

    @router.get(
        "/events", summary="Dòng sự kiện / event feed", responses={200: {"model": FeedPage}}
    )
    async def events(
        request: Request,
        reader: Reader,
        after: Annotated[Position, Query(description="last position already seen")] = 0,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
        wait: Annotated[float, Query(ge=0, le=60, description="long-poll seconds")] = 0,
        aggregate_id: Annotated[UUID | None, Query(description="one aggregate only")] = None,
        types: Annotated[
            list[str] | None, Query(alias="type", description="event types: Model.Registered…")
        ] = None,
        units: Annotated[
            list[str] | None, Query(alias="unit", description="unit_code in the event's data")
        ] = None,
        start: Annotated[
            IsoDateTime | None,
            Query(alias="from", description="recorded at or after (naive: UTC+7)"),
        ] = None,
        end: Annotated[IsoDateTime | None, Query(alias="to", description="recorded before")] = None,
    ) -> Response:
        where = FeedFilter(
            aggregate_id, frozenset(types or ()), frozenset(units or ()), aware(start), aware(end)
        )

        async def read() -> tuple[list[FeedItem], int]:
            if where.active:
                return await run_in_threadpool(filtered_page, app, after, limit, where)
            return await run_in_threadpool(app.feed, after, limit)

        items, next_after = await long_poll(
            read,
            lambda page: page[1] != after,
            wait,
            appended,
            request.is_disconnected,
            POLL_INTERVAL,
        )
        audit = audit_of(request)
        if audit is not None and items:
            positions = [position_of(item) for item in items]
            seals = await run_in_threadpool(audit.store.seals_at, positions)
            items = [annotate(item, seals.get(p)) for item, p in zip(items, positions, strict=True)]
        page = {"store_id": app.store_id, "items": items, "next_after": next_after}
        return Response(dumps(page), media_type="application/json")

    @router.get("/events/head", summary="Vị trí cuối / last position")
    def head(request: Request, reader: Reader) -> FeedHead:
        audit = audit_of(request)
        return FeedHead(
            store_id=app.store_id,
            position=app.head(),
            sealed_through=audit.store.sealed_through() if audit else None,
        )

    @router.get(
        "/events/checkpoints",
        summary="Điểm kiểm tra đã ký / signed checkpoints",
        response_model=list[SignedCheckpoint],
        responses=UNSEALED,
    )
    def checkpoints(request: Request, reader: Reader) -> list[dict[str, Any]]:
        return [c.as_json() for c in audit_required(request).store.checkpoints()]

    @router.get(
        "/events/public-key",
        summary="Khóa công khai / checkpoint public key (PEM)",
        response_class=Response,
        responses={200: {"content": {"application/x-pem-file": {"schema": TEXT}}}, **UNSEALED},
    )
    def public_key(request: Request, reader: Reader) -> Response:
        return Response(audit_required(request).public_pem, media_type="application/x-pem-file")

    @router.get(
        "/events/export",
        summary="Xuất toàn bộ lịch sử / whole history, JSON Lines",
        response_class=StreamingResponse,
        responses={
            200: {
                "content": {"application/x-ndjson": {"schema": TEXT}},
                "headers": {"Content-Disposition": {"schema": TEXT}},
            },
            **UNSEALED,
        },
    )
    def export(request: Request, reader: Reader) -> StreamingResponse:
        audit = audit_required(request)
        name = f"{app.service}-{app.store_id}.jsonl"
        return StreamingResponse(
            export_lines(app, audit.store),
            media_type="application/x-ndjson",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    return router


def audit_required(request: Request) -> Audit:
    audit = audit_of(request)
    if audit is None:
        raise NotFound("feed_not_sealed")
    return audit
