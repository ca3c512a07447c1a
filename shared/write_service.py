"""The shell of a write service: its application with group commit, sealer, feed, metrics and
readiness, opened and closed with the app. Each service's main.py adds only its own parts."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI

from shared.appended import AppendSignal
from shared.application import ServiceApplication
from shared.audit.service import Audit
from shared.checkpoint_api import checkpoint_router
from shared.feed import feed_router
from shared.proofs import proofs_router
from shared.service import freeze_startup_objects, service_app
from shared.settings import Settings


def write_service_app(
    service: str,
    settings: Settings,
    application: ServiceApplication,
    on_close: Callable[[], None] = lambda: None,
) -> FastAPI:
    if settings.group_commit:
        application.start_group_commit()
    app = service_app(f"danvan {service}", settings)
    audit = Audit.open(settings, service, application)  # after logging is configured
    appended = AppendSignal()  # wakes GET /events?wait= at once
    application.on_appended += [
        app.state.metrics.events_appended.labels(service).inc,
        appended.notify,
    ]
    if application.group_commit is not None:
        application.group_commit.on_batch = app.state.metrics.batch_size.labels(service).observe
    app.state.readiness.append(("event_store", lambda: {"position": application.head()}))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        audit.start()
        freeze_startup_objects()
        yield
        on_close()
        audit.stop()
        application.close()

    app.router.lifespan_context = lifespan
    app.state.audit = audit
    app.include_router(feed_router(application, appended))
    app.include_router(checkpoint_router())
    app.include_router(proofs_router())
    return app
