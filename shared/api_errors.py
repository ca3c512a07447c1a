"""The API's error format, in Vietnamese (default) and English, and the handlers that emit it."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.routing import iter_route_contexts
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import compile_path

from shared.errors import DanvanError, Hidden
from shared.events import dumps
from shared.input_types import NON_BLANK_PATTERN, TEXT_PATTERN
from shared.messages import message, validation_message

log = logging.getLogger("danvan.errors")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def language_of(request: Request) -> str:
    wanted = request.query_params.get("lang") or request.headers.get("accept-language", "vi")
    return "en" if wanted.strip().lower().startswith("en") else "vi"


def printable_path(request: Request) -> str:
    """The request's path with control characters percent-encoded again: a refusal of
    /x/%00 is recorded, and PostgreSQL stores no NUL."""
    return CONTROL.sub(lambda found: f"%{ord(found.group()):02X}", request.url.path)


def record_denial(request: Request, code: str, detail: dict[str, Any]) -> None:
    principal = getattr(request.state, "principal", None)
    path = printable_path(request)
    log.warning(
        "refused %s %s to %s: %s", request.method, path, getattr(principal, "id", None), code
    )
    denials = getattr(request.app.state, "denials", None)
    if denials is not None:
        denials.record(
            principal=principal,
            method=request.method,
            path=path,
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


LOCATIONS = {"body", "query", "path", "header", "cookie"}


def json_path(location: Sequence[int | str]) -> str:
    """A pydantic error's location as a JSON path: contact.phone, items[2].unit_code. The
    leading part says where the value came from (body, query…) and is dropped, unless it is all
    there is: a missing or unreadable body is `body`."""
    parts = list(location)
    if len(parts) > 1 and parts[0] in LOCATIONS:
        parts = parts[1:]
    path = ""
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def as_reported(error: dict[str, Any]) -> dict[str, Any]:
    """A mismatch of the plain-text pattern is a control character, said as such."""
    if error["type"] == "string_pattern_mismatch" and (
        error.get("ctx", {}).get("pattern") in (TEXT_PATTERN, NON_BLANK_PATTERN)
    ):
        text = (
            "Input should not contain control characters (U+0000 to U+001F but tab and line ends)"
        )
        return {**error, "type": "string_control_character", "msg": text, "ctx": {}}
    return error


def json_syntax_error(error: dict[str, Any], document: Any, lang: str) -> dict[str, Any]:
    """A JSON syntax error: where it is (line and column, from 1) rather than a byte offset."""
    offset = error["loc"][-1] if isinstance(error["loc"][-1], int) else 0
    source = document if isinstance(document, str) else ""
    line = source.count("\n", 0, offset) + 1
    column = offset - source.rfind("\n", 0, offset)
    where = {"line": line, "column": column}
    reason = error.get("ctx", {}).get("error", "")
    text = message("json_invalid", lang, reason=reason, **where)
    detail = {"field": "body", "code": "json_invalid", "message": text, "params": where}
    return error_body("json_invalid", text, field="body", params=where, details=[detail])


def allowed_methods(request: Request) -> list[str]:
    """Every method some route answers at this path: Starlette names only the first route's,
    and a path may have a GET and a POST route. A catch-all route (`{…:path}`) answers for
    paths it does not serve, and is not counted."""
    methods: set[str] = set()
    for route in iter_route_contexts(request.app.routes):
        path = route.path or ""
        if ":path}" in path or not route.methods:
            continue
        if compile_path(path)[0].match(request.url.path):
            methods.update(route.methods)
    return sorted(methods)


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
        errors = [as_reported(err) for err in exc.errors()]
        if isinstance(exc.body, bytes):  # a JSON body sent as another media type, not parsed
            text = message(
                "unsupported_media_type", lang, value=request.headers.get("content-type", "-")
            )
            return error_response(415, error_body("unsupported_media_type", text, field="body"))
        syntax = next((e for e in errors if e["type"] == "json_invalid"), None)
        if syntax is not None:
            return error_response(400, json_syntax_error(syntax, exc.body, lang))
        details = [
            {
                "field": json_path(err["loc"]),
                "code": err["type"],
                "message": validation_message(err, lang),
            }
            for err in errors
        ]
        first: dict[str, Any] = details[0] if details else {"field": None, "message": ""}
        body = error_body("invalid_input", first["message"], field=first["field"], details=details)
        return error_response(422, body)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code = {404: "not_found", 405: "method_not_allowed", 413: "payload_too_large"}.get(
            exc.status_code, "http_error"
        )
        text = message(code, language_of(request))
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = ", ".join(allowed_methods(request))
        return error_response(exc.status_code, error_body(code, text), headers or None)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        text = message("internal_error", language_of(request))
        return error_response(500, error_body("internal_error", text))
