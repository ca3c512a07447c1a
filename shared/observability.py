"""Operations: Prometheus metrics, JSON logs that carry a request id, /metrics and /ready.

Metrics come from prometheus_client, log records from python-json-logger; each request gets
an id (the caller's X-Request-ID, or a new one) that every log line of that request carries
and the response echoes.
"""

from __future__ import annotations

import contextvars
import logging
import time
import uuid
from typing import Any

from fastapi import Depends, FastAPI, Request, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from pythonjsonlogger.json import JsonFormatter
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.documents import Readiness
from shared.policy import PUBLIC, allow

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


def configure_logging(level: str = "INFO") -> None:
    """JSON lines on stderr: time, level, logger, message, request_id (and any extras)."""
    handler = logging.StreamHandler()
    handler.setFormatter(
        JsonFormatter(
            "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        )
    )
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level)


class Metrics:
    """One registry per service app, so that several apps in one process do not collide."""

    def __init__(self, service: str) -> None:
        self.registry = CollectorRegistry()
        self.service = service
        self.requests = Counter(
            "danvan_http_requests_total",
            "HTTP requests",
            ["service", "method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "danvan_http_request_seconds",
            "HTTP request latency",
            ["service", "method", "route"],
            registry=self.registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10),
        )
        self.batch_size = Histogram(
            "danvan_group_commit_batch_commands",
            "commands saved together in one group-commit transaction",
            ["service"],
            registry=self.registry,
            buckets=(1, 2, 4, 8, 16, 32, 64, 128, 256, 512),
        )
        self.events_appended = Counter(
            "danvan_events_appended_total", "events appended", ["service"], registry=self.registry
        )
        self.follower_position = Gauge(
            "danvan_follower_position",
            "last position applied",
            ["upstream"],
            registry=self.registry,
        )
        self.follower_lag = Gauge(
            "danvan_follower_lag_events",
            "events the upstream has that the read models do not yet",
            ["upstream"],
            registry=self.registry,
        )

    def expose(self) -> Response:
        return Response(generate_latest(self.registry), media_type=CONTENT_TYPE_LATEST)


class RequestObservation:
    """Tags the request with an id and counts it, by its route template (not its raw path).

    Pure ASGI (no BaseHTTPMiddleware): the request body and response pass through untouched,
    without a task and stream per request."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = ""
        for name, value in scope["headers"]:
            if name == b"x-request-id":
                rid = value.decode("latin-1")
                break
        rid = rid or uuid.uuid4().hex
        raw_rid = rid.encode("latin-1")
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [(k, v) for k, v in message.get("headers", ()) if k != b"x-request-id"]
                headers.append((b"x-request-id", raw_rid))
                message = {**message, "headers": headers}
            await send(message)

        token = request_id.set(rid)
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            request_id.reset(token)
            route = getattr(scope.get("route"), "path", "unmatched")
            labels = (self.metrics.service, scope["method"], route)
            self.metrics.latency.labels(*labels).observe(time.perf_counter() - started)
            self.metrics.requests.labels(*labels, str(status)).inc()


def install_operations(app: FastAPI, metrics: Metrics) -> None:
    """/metrics (Prometheus text) and /ready (200 when every readiness check passes)."""
    app.state.metrics = metrics
    app.state.readiness = []
    app.add_middleware(RequestObservation, metrics=metrics)

    probe = [Depends(allow(PUBLIC))]  # scraped and probed from inside the deployment

    @app.get("/metrics", tags=["health"], include_in_schema=False, dependencies=probe)
    def prometheus(request: Request) -> Response:
        for refresh in getattr(request.app.state, "metric_refreshers", []):
            refresh()
        return metrics.expose()

    @app.get(
        "/ready",
        tags=["health"],
        dependencies=probe,
        response_model=Readiness,
        responses={503: {"model": Readiness, "description": "chưa sẵn sàng / not ready"}},
    )
    def ready(request: Request, response: Response) -> dict[str, Any]:
        checks: dict[str, Any] = {}
        healthy = True
        for name, check in request.app.state.readiness:
            try:
                checks[name] = {"ok": True, **check()}
            except Exception as exc:
                checks[name] = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
                healthy = False
        response.status_code = 200 if healthy else 503
        return {"ready": healthy, "checks": checks}
