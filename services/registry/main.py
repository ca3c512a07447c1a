"""Composition root of the registry (uvicorn services.registry.main:create_app --factory)."""

from __future__ import annotations

from fastapi import FastAPI

from services.registry import api
from services.registry.application import Registry
from shared.settings import Settings
from shared.store_setup import made_event_store
from shared.units import load_catalog
from shared.write_service import write_service_app


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    registry = Registry(
        env=made_event_store(settings, "registry"),
        catalog=load_catalog(settings.extra_units_file),
    )
    app = write_service_app("registry", settings, registry)
    app.state.registry = registry
    app.include_router(api.router)
    app.include_router(api.awards)
    return app
