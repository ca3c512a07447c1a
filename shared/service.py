"""Builds the FastAPI shell every service shares: errors, authentication, refusals recorded,
CORS, body and rate limits, security headers on HTML, health."""

from __future__ import annotations

import gc
from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi.middleware.cors import CORSMiddleware
from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool

from shared.api_errors import install_error_handlers
from shared.auth import TokenStore
from shared.body_limit import BodyLimit
from shared.denials import DenialLog
from shared.documents import Denial
from shared.jwt_auth import JwtVerifier
from shared.limits import WriteRateLimit
from shared.observability import Metrics, configure_logging, install_operations
from shared.openapi import install_openapi
from shared.policy import AUDIT, PUBLIC, allow
from shared.principal import Principal
from shared.security_headers import SecurityHeaders, documentation_policies
from shared.settings import Settings
from shared.store_setup import made

Auditor = Annotated[Principal, Depends(allow(AUDIT))]


_frozen = False


def freeze_startup_objects() -> None:
    """Moves what start-up made (the unit catalog, the routes, the models: ~180,000 objects)
    out of the garbage collector's sight: they live as long as the process, and a full
    collection walking them all paused every request for ~0.2 s now and then. Once per
    process (tests start many apps in one)."""
    global _frozen
    if not _frozen:
        _frozen = True
        gc.collect()
        gc.freeze()


def service_app(
    title: str, settings: Settings, uploads: Mapping[str, int] | None = None
) -> FastAPI:
    """Every request body is capped (routes that take uploads raise their own cap; `uploads`
    names other paths taking files, and how large) and every client's writes are rate
    limited."""
    app = FastAPI(
        title=title,
        version="0.1.0",
        dependencies=[Depends(WriteRateLimit(settings.write_rate_limit))],
    )
    app.state.settings = settings
    if settings.json_logs:
        configure_logging(settings.log_level)
    install_operations(app, Metrics(title.split()[-1]))
    app.state.tokens = TokenStore(settings.token_path)
    app.state.jwt = (
        JwtVerifier(settings.jwt_jwks, issuer=settings.jwt_issuer, audience=settings.jwt_audience)
        if settings.jwt_jwks
        else None
    )
    security_log = made(settings, settings.security_log())
    # refusals are rare: a connection each, none held open between them
    app.state.denials = DenialLog(
        create_engine(security_log.url, connect_args=security_log.connect_args, poolclass=NullPool),
        title.split()[-1],
    )
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=[
                "Authorization",
                "Content-Type",
                "Idempotency-Key",
                "If-Match",
                "Accept-Language",
            ],
            expose_headers=[
                "ETag",
                "X-Event-Position",
                "X-Event-Entries",
                "Idempotent-Replayed",
                "Retry-After",
            ],
        )
    app.add_middleware(
        BodyLimit,
        limit=settings.max_body_bytes,
        attachment_limit=settings.max_attachment_bytes,
        uploads=uploads,
    )
    # outermost but for Starlette's own: every HTML answer gets its headers, errors included
    app.add_middleware(SecurityHeaders, pages=documentation_policies(app))
    install_error_handlers(app)
    install_openapi(app)

    @app.get("/health", tags=["health"], dependencies=[Depends(allow(PUBLIC))])
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get(
        "/security/denials",
        tags=["security"],
        summary="Lượt truy cập bị từ chối / refused calls",
        response_model=list[Denial],
    )
    def denials(
        request: Request, auditor: Auditor, limit: Annotated[int, Query(ge=1, le=1000)] = 100
    ) -> list[dict[str, Any]]:
        log: DenialLog = request.app.state.denials
        return log.recent(limit)

    return app
