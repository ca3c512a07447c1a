"""Builds the FastAPI shell every service shares: errors, auth store, health."""

from __future__ import annotations

from fastapi import FastAPI

from shared.api_errors import install_error_handlers
from shared.auth import TokenStore
from shared.settings import Settings


def service_app(title: str, settings: Settings) -> FastAPI:
    app = FastAPI(title=title, version="0.1.0")
    app.state.settings = settings
    app.state.tokens = TokenStore(settings.token_path)
    install_error_handlers(app)

    @app.get("/health", tags=["health"])
    def health() -> dict[str, str]:
        return {"status": "ok"}

    return app
