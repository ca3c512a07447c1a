"""The API's error format, in Vietnamese (default) and English, and the handlers that emit it."""

from __future__ import annotations

import logging
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from shared.errors import DanvanError, Hidden
from shared.events import dumps
from shared.messages import message, validation_message

log = logging.getLogger("danvan.errors")


def language_of(request: Request) -> str:
    wanted = request.query_params.get("lang") or request.headers.get("accept-language", "vi")
    return "en" if wanted.strip().lower().startswith("en") else "vi"


def record_denial(request: Request, code: str, detail: dict[str, Any]) -> None:
    principal = getattr(request.state, "principal", None)
    log.warning(
        "refused %s %s to %s: %s",
        request.method,
        request.url.path,
        getattr(principal, "id", None),
        code,
    )
    denials = getattr(request.app.state, "denials", None)
    if denials is not None:
        denials.record(
            principal=principal,
            method=request.method,
            path=request.url.path,
            code=code,
            detail=orjson.loads(dumps(detail)),
        )


def record_if_refused(request: Request, exc: DanvanError) -> None:
    """A refusal for auditors: every 403, and every record hidden as missing (what was hidden is
    in the record, never in the answer)."""
    if isinstance(exc, Hidden):
        record_denial(request, "hidden_record", {"code": exc.code, **exc.params, **exc.hidden})
    elif exc.status == 403:
        record_denial(request, exc.code, {"field": exc.field, **exc.params})


def error_body(code: str, text: str, *, field: str | None = None, **extra: Any) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": text}
    if field is not None:
        error["field"] = field
    error.update({k: v for k, v in extra.items() if v})
    return {"error": error}


def error_response(
    status: int, body: dict[str, Any], headers: dict[str, str] | None = None
) -> Response:
    return Response(dumps(body), status_code=status, headers=headers, media_type="application/json")


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DanvanError)
    async def danvan_error(request: Request, exc: DanvanError) -> Response:
        record_if_refused(request, exc)
        text = message(exc.code, language_of(request), field=exc.field, **exc.params)
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        headers = getattr(exc, "headers", None) or headers
        body = error_body(exc.code, text, field=exc.field, params=exc.params)
        return error_response(exc.status, body, headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        lang = language_of(request)
        details = [
            {
                "field": ".".join(str(p) for p in err["loc"] if p != "body"),
                "code": err["type"],
                "message": validation_message(err, lang),
            }
            for err in exc.errors()
        ]
        first = details[0] if details else {"field": None, "message": ""}
        body = error_body("invalid_input", first["message"], field=first["field"], details=details)
        return error_response(422, body)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code = {404: "not_found", 405: "method_not_allowed", 413: "payload_too_large"}.get(
            exc.status_code, "http_error"
        )
        text = message(code, language_of(request))
        return error_response(exc.status_code, error_body(code, text))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        text = message("internal_error", language_of(request))
        return error_response(500, error_body("internal_error", text))
