"""Composition root of the registry (uvicorn services.registry.main:create_app --factory)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from services.registry import api
from services.registry.application import Registry
from shared.audit.service import Audit
from shared.feed import feed_router
from shared.service import service_app
from shared.settings import Settings
from shared.units import load_catalog


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    registry = Registry(
        env=settings.event_store_env("registry"),
        catalog=load_catalog(settings.extra_units_file),
    )

    if settings.group_commit:
        registry.start_group_commit()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        audit.start()
        yield
        audit.stop()
        registry.close()

    app = service_app("danvan registry", settings)
    audit = Audit.open(settings, "registry", registry)  # after logging is configured
    app.router.lifespan_context = lifespan
    app.state.registry = registry
    app.state.audit = audit
    app.include_router(api.router)
    app.include_router(api.awards)
    app.include_router(feed_router(api.get_registry))
    return app
