"""The OpenAPI document as the service really answers: every status a route can give, in the
API's error format, and how callers authenticate.

FastAPI documents what a route declares (its 200 and a 422 in FastAPI's own error shape). What
else a route may answer follows from what it depends on, so it is derived here from the same
objects that decide it: the route's authorization rule (401, 403), its path parameters (404: a
record missing or hidden as missing), its parameters and body (400, 413, 415, 422), If-Match
(409) and the write rate limit (429). A route that answers in another format (Open311) or reads
credentials another way documents its own errors, and what it declares is kept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts
from pydantic import BaseModel, Field

from shared.limits import WRITES
from shared.policy import EVERYONE, Caller, Rule, bearer

ERROR_REF = {"$ref": "#/components/schemas/Error"}
STATUS_TEXT = {
    400: "Thân yêu cầu không đọc được (JSON sai cú pháp), hoặc dòng yêu cầu quá dài (máy chủ "
    "HTTP trả lời bằng văn bản) / the body is not readable JSON, or the request line is longer "
    "than the HTTP server reads (answered by it in plain text)",
    401: "Thiếu hoặc sai thông tin xác thực / missing or invalid credentials",
    403: "Vai trò hoặc phạm vi không cho phép / the caller's role or scope does not allow it",
    404: "Không có bản ghi này, hoặc ngoài phạm vi của người gọi / no such record, or outside "
    "the caller's reach (answered alike)",
    409: "Trạng thái hoặc phiên bản của bản ghi không cho phép, hoặc khóa đã dùng cho yêu cầu "
    "khác / the record's state or version forbids it, or the Idempotency-Key was used for "
    "another request",
    413: "Thân yêu cầu quá lớn / the body is too large",
    415: "Kiểu nội dung không được hỗ trợ / unsupported Content-Type",
    422: "Dữ liệu không hợp lệ; lỗi nêu trường bằng đường dẫn JSON / a value is invalid; the "
    "error names the field by its JSON path",
    429: "Quá nhiều lượt ghi; thử lại sau Retry-After giây / too many writes; retry after "
    "Retry-After seconds",
}
HEADERS: dict[int, dict[str, Any]] = {
    401: {"WWW-Authenticate": {"schema": {"type": "string"}, "description": "Bearer"}},
    429: {
        "Retry-After": {
            "schema": {"type": "integer", "minimum": 1},
            "description": "giây / seconds",
        }
    },
}

# what a write's answer tells of the events it wrote (shared.http.event_headers)
EVENT_HEADERS: dict[str, Any] = {
    "X-Event-Position": {
        "schema": {"type": "integer", "minimum": 1},
        "description": "vị trí sự kiện cuối đã ghi / the position of the last event written",
    },
    "X-Event-Entries": {
        "schema": {
            "type": "string",
            "pattern": r"^[0-9]+:[A-Za-z0-9+/]{43}=(, [0-9]+:[A-Za-z0-9+/]{43}=)*$",
        },
        "description": "mỗi sự kiện đã ghi: vị trí:base64(SHA-256(0x00 ‖ entry)), băm lá trong "
        "cây Merkle của luồng (RFC 9162) / each event written: position:base64 leaf hash in the "
        "feed's Merkle tree, what its receipt proves once sealed",
    },
}


class ErrorDetail(BaseModel):
    field: str | None = Field(None, description="đường dẫn JSON / JSON path: contact.phone")
    code: str
    message: str
    params: dict[str, Any] | None = None


class ErrorContent(BaseModel):
    code: str = Field(description="mã lỗi ổn định / stable error code: unit_unknown…")
    message: str = Field(description="tiếng Việt, hoặc tiếng Anh với ?lang=en / Accept-Language")
    field: str | None = Field(None, description="đường dẫn JSON của trường / the field's JSON path")
    params: dict[str, Any] | None = None
    details: list[ErrorDetail] | None = None


class Error(BaseModel):
    """Every error this API answers, but Open311's (which keeps its specification's format)."""

    error: ErrorContent


def callers(dependant: Dependant) -> Iterator[Caller]:
    for dependency in dependant.dependencies:
        if isinstance(dependency.call, Caller):
            yield dependency.call
        yield from callers(dependency)


def parameters_of(dependant: Dependant) -> Iterator[Any]:
    yield from dependant.path_params
    yield from dependant.query_params
    yield from dependant.header_params
    yield from dependant.cookie_params
    for dependency in dependant.dependencies:
        yield from parameters_of(dependency)


def statuses_of(route: RouteContext, method: str) -> set[int]:
    """What the route can answer besides its own declared answers."""
    found: set[int] = set()
    rules: list[Rule] = [c.rule for c in callers(route.dependant) if c.credentials is bearer]
    for rule in rules:
        if rule.identifies:
            found.add(401)  # also where anonymous callers are admitted: a wrong token is 401
        if rule.roles != EVERYONE:
            found.add(403)
    found.add(400)  # uvicorn's own answer to a request line or headers too long to read
    dependant = route.dependant
    if dependant.path_params:
        found.add(404)
    if any(True for _ in parameters_of(dependant)) or dependant.body_params:
        found.add(422)
    if dependant.body_params:
        found.update({400, 413, 415})
    if {"If-Match", "Idempotency-Key"} & {p.alias for p in parameters_of(dependant)}:
        found.add(409)  # a version not the record's, or a key used for another request
    if method in WRITES:
        found.add(429)
    return found


def documents_own_errors(route: RouteContext) -> bool:
    """Credentials read another way than the bearer header, or errors of a shape of the route's
    own (Open311's): the route's errors are its own to declare."""
    shaped = any(
        int(status) >= 400 and ("model" in answer or "content" in answer)
        for status, answer in route.responses.items()
    )
    return shaped or any(c.credentials is not bearer for c in callers(route.dependant))


def error_response(status: int, described: dict[str, Any] | None) -> dict[str, Any]:
    answer = dict(described or {})
    answer.setdefault("description", STATUS_TEXT.get(status, "lỗi / error"))
    answer["content"] = {"application/json": {"schema": ERROR_REF}}
    if status == 400:
        answer["content"]["text/plain"] = {"schema": {"type": "string"}}
    if status in HEADERS:
        answer.setdefault("headers", HEADERS[status])
    return answer


def without_null(parameter: dict[str, Any]) -> None:
    """A header or a query parameter is a string or absent, never JSON null: FastAPI documents
    an optional one as `anyOf: [T, null]`, and a client sends the text "null"."""
    schema = parameter.get("schema", {})
    kinds = [k for k in schema.get("anyOf", ()) if k.get("type") != "null"]
    if "anyOf" in schema and len(kinds) < len(schema["anyOf"]):
        del schema["anyOf"]
        schema.update(kinds[0] if len(kinds) == 1 else {"anyOf": kinds})


def complete_operation(operation: dict[str, Any], route: RouteContext, method: str) -> None:
    for parameter in operation.get("parameters", ()):
        without_null(parameter)
    responses: dict[str, Any] = operation.setdefault("responses", {})
    own = documents_own_errors(route)
    if own:
        if "422" in responses and "HTTPValidationError" in str(responses["422"]):
            del responses["422"]  # what FastAPI adds; the route says what it answers instead
        return
    for status in statuses_of(route, method):
        responses.setdefault(str(status), {})
    if method in WRITES:
        for code, answer in responses.items():
            if code.startswith("2"):
                answer.setdefault("headers", {}).update(EVENT_HEADERS)
    for code, answer in list(responses.items()):
        status = int(code)
        shaped = "content" in answer and "HTTPValidationError" not in str(answer["content"])
        shaped = shaped and status != 400  # what the route said, and the server's own answer
        if status >= 400 and not shaped:
            responses[code] = error_response(status, answer)
    rules = [c.rule for c in callers(route.dependant)]
    if any(rule.identifies for rule in rules):
        anonymous = all(rule.anonymous for rule in rules)
        operation["security"] = [{}, {"bearer": []}] if anonymous else [{"bearer": []}]
    else:
        operation["security"] = [{}]


def truthful_openapi(app: FastAPI) -> Callable[[], dict[str, Any]]:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        document = get_openapi(
            title=app.title,
            version=app.version,
            description=app.description,
            routes=app.routes,
            tags=app.openapi_tags,
            servers=app.servers,
        )
        for route in iter_route_contexts(app.routes):
            if not isinstance(route.original_route, APIRoute) or not route.include_in_schema:
                continue
            for method in route.methods or ():
                operation = document["paths"][route.path_format].get(method.lower())
                if operation is not None:
                    complete_operation(operation, route, method)
        components = document.setdefault("components", {})
        schemas = components.setdefault("schemas", {})
        for unused in ("HTTPValidationError", "ValidationError"):
            if unused not in str(document["paths"]):
                schemas.pop(unused, None)
        error = Error.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(error.pop("$defs", {}))
        schemas["Error"] = error
        components["securitySchemes"] = {
            "bearer": {"type": "http", "scheme": "bearer", "description": "token hoặc JWT"}
        }
        app.openapi_schema = document
        return document

    return openapi


def install_openapi(app: FastAPI) -> None:
    app.openapi = truthful_openapi(app)  # type: ignore[method-assign]  # FastAPI's documented override
