"""GET /events: a write service's notification log, read-only, in order, as plain JSON."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from shared.application import ServiceApplication
from shared.auth import Principal, Role, require_role
from shared.events import dumps

POLL_INTERVAL = 0.05

Reader = Annotated[Principal, Depends(require_role(Role.AUDITOR, Role.ADMIN))]


def feed_router(get_app: Callable[[Request], ServiceApplication]) -> APIRouter:
    router = APIRouter(tags=["events"])

    @router.get("/events", summary="Dòng sự kiện / event feed")
    async def events(
        request: Request,
        reader: Reader,
        after: Annotated[int, Query(ge=0, description="last position already seen")] = 0,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        wait: Annotated[float, Query(ge=0, le=60, description="long-poll seconds")] = 0,
    ) -> Response:
        app = get_app(request)
        deadline = time.monotonic() + wait
        while True:
            items, next_after = await run_in_threadpool(app.feed, after, limit)
            if items or time.monotonic() >= deadline or await request.is_disconnected():
                break
            await asyncio.sleep(POLL_INTERVAL)
        page = {"store_id": app.store_id, "items": items, "next_after": next_after}
        return Response(dumps(page), media_type="application/json")

    @router.get("/events/head", summary="Vị trí cuối / last position")
    def head(request: Request, reader: Reader) -> dict[str, object]:
        app = get_app(request)
        return {"store_id": app.store_id, "position": app.head()}

    return router
