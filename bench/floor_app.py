"""The framework's floor for bench/writes.py: FastAPI served by uvicorn as the services are, one
POST /models that validates the registry's RegisterModel body and Idempotency-Key header and
answers at once, with no authentication, no middleware and no store. No write service built on
this stack can take more writes per second on this machine than this endpoint does."""

from __future__ import annotations

from fastapi import FastAPI, Response

from services.registry.schemas import RegisterModel
from shared.events import dumps
from shared.http import IdempotencyKey


def create_app() -> FastAPI:
    app = FastAPI()

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/models", status_code=201)
    async def register(body: RegisterModel, idempotency_key: IdempotencyKey = None) -> Response:
        response = {"id": idempotency_key, "version": 1, "title": body.title}
        return Response(dumps(response), status_code=201, media_type="application/json")

    return app
