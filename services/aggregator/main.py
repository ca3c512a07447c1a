"""Composition root of the aggregator (uvicorn services.aggregator.main:create_app --factory)."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI

from services.aggregator import (
    api,
    change_feed_routes,
    dashboard,
    handling_api,
    inbox_routes,
    open311_reads,
    search_api,
)
from services.aggregator.dashboard.imports import IMPORT_PATH
from services.aggregator.database import create_read_model_engine, migrate, session_factory
from services.aggregator.follower import FeedClient, Follower
from services.aggregator.operations import install_aggregator_operations
from services.aggregator.projections.dispatch import projector
from services.aggregator.stores import LiveStoreFeed, live_store_feeds
from services.importing.jobs import ImportJobs
from services.store_names import APPLICATION_NAMES
from services.write_clients import write_clients
from shared.feed import MAX_PAGE
from shared.service import freeze_startup_objects, service_app
from shared.settings import Settings
from shared.units import load_catalog
from shared.working_time import working_calendar


def upstream_clients(settings: Settings) -> dict[str, httpx.Client]:
    headers = (
        {"Authorization": f"Bearer {settings.upstream_token}"} if settings.upstream_token else {}
    )
    timeout = httpx.Timeout(settings.follower_wait_seconds + 30, connect=5)
    return {
        name: httpx.Client(base_url=url, headers=headers, timeout=timeout)
        for name, url in (("registry", settings.registry_url), ("dialogue", settings.dialogue_url))
    }


def live_clients(settings: Settings) -> Mapping[str, httpx.Client | LiveStoreFeed]:
    """The followers' sources: the upstreams over HTTP, or their event stores."""
    if settings.follower_source == "stores":
        return live_store_feeds(settings, APPLICATION_NAMES)
    return upstream_clients(settings)


def create_app(
    settings: Settings | None = None, clients: Mapping[str, FeedClient] | None = None
) -> FastAPI:
    settings = settings or Settings()
    owned = live_clients(settings) if clients is None else {}  # closed at shutdown
    clients = clients if clients is not None else owned
    engine = create_read_model_engine(settings)
    migrate(engine)
    sessions = session_factory(engine)
    catalog = load_catalog(settings.extra_units_file)
    project = projector(catalog)
    followers = {
        name: Follower(
            name,
            client,
            sessions,
            project,
            page_size=settings.follower_page_size,
            catch_up_page_size=settings.follower_catch_up_page_size
            if isinstance(client, LiveStoreFeed)
            else min(settings.follower_catch_up_page_size, MAX_PAGE),
            read_ahead=True,
        )
        for name, client in clients.items()
    }
    writers = write_clients(settings)
    stop = threading.Event()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        threads = []
        if settings.follow_upstreams:
            for follower in followers.values():
                thread = threading.Thread(
                    target=follower.run,
                    args=(stop, settings.follower_wait_seconds),
                    name=f"follower-{follower.upstream}",
                    daemon=True,
                )
                thread.start()
                threads.append(thread)
        freeze_startup_objects()
        yield
        stop.set()
        app.state.import_jobs.close()
        for thread in threads:
            thread.join(timeout=settings.follower_wait_seconds + 5)
        for client in [*owned.values(), *writers.values()]:
            client.close()
        engine.dispose()

    app = service_app(
        "danvan aggregator", settings, uploads={IMPORT_PATH: settings.max_import_bytes}
    )
    app.router.lifespan_context = lifespan
    app.state.sessions = sessions
    app.state.catalog = catalog
    app.state.calendar = working_calendar(settings.working_hours)  # the inboxes' working days
    app.state.followers = followers
    app.state.writers = writers  # tests put the services' own clients here
    app.state.write_documents = {}
    # imports send their rows through the same clients, read when each import starts
    app.state.import_jobs = ImportJobs(lambda: app.state.writers, catalog)
    app.include_router(open311_reads.router)  # before api's routes: its paths are fixed
    app.include_router(change_feed_routes.router)
    app.include_router(inbox_routes.router)
    app.include_router(api.router)
    app.include_router(handling_api.router)
    app.include_router(search_api.router)
    app.include_router(dashboard.router)
    install_aggregator_operations(app, engine, followers)
    return app
