"""Builds the FastAPI shell every service shares: errors, auth store, limits, health."""

from __future__ import annotations

from fastapi import Depends, FastAPI

from shared.api_errors import install_error_handlers
from shared.auth import TokenStore
from shared.limits import WriteRateLimit
from shared.settings import Settings


def service_app(title: str, settings: Settings) -> FastAPI:
    """Every request body is capped (routes that take uploads raise their own cap) and every
    client's writes are rate limited."""
    app = FastAPI(
        title=title,
        version="0.1.0",
        max_body_size=settings.max_body_bytes,
        dependencies=[Depends(WriteRateLimit(settings.write_rate_limit))],
    )
    app.state.settings = settings
    app.state.tokens = TokenStore(settings.token_path)
    install_error_handlers(app)

    @app.get("/health", tags=["health"])
    def health() -> dict[str, str]:
        return {"status": "ok"}

    return app
