"""Open311 representations: JSON or XML (through xmltodict), and every error as an Open311 error.

Errors are shaped by the routes themselves (Open311Route), so the rest of the service keeps its
own error format: `[{"code": <HTTP status>, "description": "..."}]`, or in XML
`<errors><error><code/><description/></error></errors>`, with the HTTP status and any header
(Retry-After) of the error kept.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any

import xmltodict
from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException

from shared.api_errors import as_reported, language_of, record_if_refused
from shared.errors import DanvanError, NotFound
from shared.events import dumps
from shared.messages import message, validation_message

log = logging.getLogger("danvan.open311")

MEDIA_TYPES = {
    "json": "application/json; charset=utf-8",
    "xml": "text/xml; charset=utf-8",
}
# Open311 knows 400, 403 and 404: invalid input is a 400, a missing or bad key a 403
STATUSES = {401: 403, 422: 400}
CODE_STATUSES = {"jurisdiction_unknown": 404}
# our names of a field → the Open311 argument a client sent
FIELDS = {"unit_code": "address_id", "lon": "long", "category": "service_code"}
HTTP_CODES = {
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    429: "rate_limited",
}


def checked_format(format: str) -> str:
    """The representation asked for by the path's extension: json or xml, else 404."""
    if format not in MEDIA_TYPES:
        raise NotFound("open311_format_unknown", field="format", value=format)
    return format


def format_of_path(path: str) -> str:
    """Errors come back in the format the path asked for, JSON when it named none we know."""
    return "xml" if path.endswith(".xml") else "json"


def error_format(request: Request) -> str:
    """The route's format argument (XML for xml, else JSON); JSON on a route that takes none
    (media: an id ending in .xml asks for nothing); a path no route knows, by its extension."""
    params = request.path_params
    if "format" in params:
        return "xml" if params["format"] == "xml" else "json"
    return format_of_path(request.url.path) if "path" in params else "json"


def render(
    fmt: str,
    root: str,
    item: str,
    items: list[dict[str, Any]],
    *,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    """A list: a JSON array, or <root><item>…</item>…</root>."""
    if fmt == "xml":
        return _xml({root: {item: items} if items else None}, status, headers)
    return Response(dumps(items), status, headers, MEDIA_TYPES["json"])


def render_object(fmt: str, root: str, value: dict[str, Any], xml_value: Any = None) -> Response:
    """One object: a JSON object, or <root>…</root> (xml_value when XML needs another shape)."""
    if fmt == "xml":
        return _xml({root: value if xml_value is None else xml_value}, 200, None)
    return Response(dumps(value), 200, None, MEDIA_TYPES["json"])


def _xml(tree: dict[str, Any], status: int, headers: dict[str, str] | None) -> Response:
    text = xmltodict.unparse(tree, encoding="utf-8", short_empty_elements=True)
    return Response(text.encode(), status, headers, MEDIA_TYPES["xml"])


def errors_response(
    fmt: str, status: int, descriptions: list[str], headers: dict[str, str] | None = None
) -> Response:
    errors = [{"code": status, "description": text} for text in descriptions]
    return render(fmt, "errors", "error", errors, status=status, headers=headers)


def _described(field: str | None, text: str) -> str:
    field = FIELDS.get(field, field) if field else None
    return f"{field}: {text}" if field else text


def _field_of(location: tuple[Any, ...]) -> str | None:
    names = [str(p) for p in location if p not in ("body", "query", "path", "header")]
    return ".".join(names) or None


def error_of(request: Request, exc: Exception) -> tuple[int, list[str], dict[str, str]]:
    """The HTTP status, descriptions and headers of an error, in the caller's language."""
    lang = language_of(request)
    if isinstance(exc, RequestValidationError):
        texts = [
            _described(_field_of(tuple(e["loc"])), validation_message(as_reported(e), lang))
            for e in exc.errors()
        ]
        return 400, texts, {}
    if isinstance(exc, DanvanError):
        status = CODE_STATUSES.get(exc.code) or STATUSES.get(exc.status, exc.status)
        text = message(exc.code, lang, field=exc.field, **exc.params)
        return status, [_described(exc.field, text)], dict(getattr(exc, "headers", None) or {})
    if isinstance(exc, StarletteHTTPException):
        headers = dict(exc.headers or {})
        code = HTTP_CODES.get(exc.status_code, "http_error")
        text = message(code, lang, retry_after=headers.get("Retry-After", "?"))
        return STATUSES.get(exc.status_code, exc.status_code), [text], headers
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return 500, [message("internal_error", lang)], {}


def error_response(request: Request, exc: Exception) -> Response:
    if isinstance(exc, DanvanError):
        record_if_refused(request, exc)
    status, texts, headers = error_of(request, exc)
    return errors_response(error_format(request), status, texts, headers or None)


class Open311Route(APIRoute):
    """A route whose every error, from its dependencies (auth, rate limits), the validation
    of its arguments or the endpoint itself, is answered in the Open311 error format."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def open311_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except Exception as exc:
                return error_response(request, exc)

        return open311_handler
