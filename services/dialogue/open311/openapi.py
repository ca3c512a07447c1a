"""What each Open311 route answers, for the OpenAPI document: its 200 in JSON and XML, and every
error it can give, in the specification's format (a JSON array of {code, description}, or
<errors><error>…</error></errors>), in the format the route's format argument names (JSON
for media, which takes none).

Open311 knows 400, 403 and 404 (rendering.py): invalid arguments are 400 (never 422), a
missing or bad api_key 403 (never 401).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from services.dialogue.attachments import ACCEPTED
from services.dialogue.open311 import documents as d
from shared.audit.receipts import Receipt
from shared.openapi import EVENT_HEADERS

XML = "text/xml"  # as rendering.py answers it, not application/xml
Responses = dict[int | str, dict[str, Any]]

RETRY_AFTER = {
    "Retry-After": {
        "required": True,
        "description": "giây / seconds",
        "schema": {"type": "integer", "minimum": 1},
    }
}
PRIVATE = {
    "Cache-Control": {"required": True, "schema": {"type": "string", "const": "private, no-store"}}
}

INVALID = "tham số không hợp lệ; lỗi nêu tham số / an argument is invalid; the error names it"
FORMAT = "format không phải json hay xml / format is neither json nor xml"
JURISDICTION = "jurisdiction_id không phải một tỉnh / jurisdiction_id names no province"
BAD_KEY = "api_key sai / the api_key sent is not valid"
READ_SIDE = "bên đọc tạm thời không trả lời / the read side is not answering for now"
NO_REQUEST = "không có kiến nghị này / no such request"
NO_TOKEN = "không có token này / no such token"
NO_SERVICE = "không có service_code này / service_code unknown"


# uvicorn answers a request it cannot read (a request line over 64 KiB) before the app sees it
UNREADABLE: dict[str, Any] = {
    "description": "máy chủ HTTP không đọc được yêu cầu (dòng yêu cầu quá 64 KiB), trả lời văn "
    "bản thường / the HTTP server could not read the request (a request line over 64 KiB), "
    "answered in plain text",
    "content": {"text/plain": {"schema": {"type": "string"}}},
}


def ref(model: type[BaseModel]) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def ok(model: type[BaseModel], description: str, **extra: Any) -> dict[str, Any]:
    """A 200 in JSON and XML, one schema for both (its xml objects name the elements)."""
    return {
        "model": model,
        "description": description,
        "content": {XML: {"schema": ref(model)}},
        **extra,
    }


def errors(described: dict[int, str], *, xml: bool = True) -> Responses:
    """Each status with what it means on the route; XML too where the path names a format.
    A 400 may also be the HTTP server's own, in plain text (UNREADABLE)."""
    answers: Responses = {}
    for status, text in described.items():
        answer: dict[str, Any] = {"model": d.Open311Errors, "description": text, "content": {}}
        if xml:
            answer["content"][XML] = {"schema": ref(d.Open311Errors)}
        if status == 400:
            answer["description"] = f"{text}; {UNREADABLE['description']}"
            answer["content"].update(UNREADABLE["content"])
        if status == 429:
            answer["headers"] = RETRY_AFTER
        answers[status] = answer
    return answers


SERVICES: Responses = {
    200: ok(d.Open311Services, "các lĩnh vực kiến nghị / the services"),
    **errors({400: INVALID, 404: f"{FORMAT}; {JURISDICTION}"}),
}
SERVICE_DEFINITION: Responses = {
    200: ok(d.Open311ServiceDefinition, "thuộc tính của dịch vụ / the service's attributes"),
    **errors({400: INVALID, 404: f"{FORMAT}; {JURISDICTION}; {NO_SERVICE}"}),
}
POST_REQUEST: Responses = {
    200: ok(
        d.Open311RequestsCreated,
        "kiến nghị đã tiếp nhận / the request received",
        headers={
            **EVENT_HEADERS,
            "Idempotent-Replayed": {
                "description": "lần gửi lại cùng Idempotency-Key / a retry of the same key",
                "schema": {"type": "string", "const": "true"},
            },
        },
    ),
    **errors(
        {
            400: f"{INVALID}; nơi không xác định, ở nước ngoài hoặc ngoài jurisdiction_id "
            "/ the place is unknown, abroad or outside jurisdiction_id",
            403: "thiếu hoặc sai api_key, vai trò không được gửi (kiểm toán viên), hoặc ngoài "
            "phạm vi của cán bộ / api_key missing or not valid, a role that may not submit "
            "(auditor), or a place outside the officer's units",
            404: f"{FORMAT}; {JURISDICTION}; {NO_SERVICE}",
            409: "Idempotency-Key đã dùng cho một yêu cầu khác / the Idempotency-Key was used "
            "for another request",
            413: "thân yêu cầu quá lớn / the body is too large",
            429: "quá nhiều lượt ghi; thử lại sau Retry-After giây / too many writes; retry "
            "after Retry-After seconds",
        }
    ),
}
REQUESTS: Responses = {
    200: ok(d.Open311ServiceRequests, "một trang kiến nghị / a page"),
    **errors(
        {
            400: f"{INVALID}: ngày, khoảng quá 90 ngày, status, page / dates, a span over 90 days, "
            "status, page",
            403: BAD_KEY,
            404: f"{FORMAT}; {JURISDICTION}; {NO_SERVICE}",
            503: READ_SIDE,
        }
    ),
}
REQUEST: Responses = {
    200: ok(d.Open311ServiceRequests, "kiến nghị / the request"),
    **errors({400: INVALID, 403: BAD_KEY, 404: f"{FORMAT}; {JURISDICTION}; {NO_REQUEST}"}),
}
RECEIPT: Responses = {
    200: {
        "model": Receipt,
        "description": "biên nhận: sự kiện tiếp nhận, chứng minh trong cây "
        "Merkle của luồng / the receipt: the request's receiving event, proven in the log",
    },
    **errors(
        {
            400: INVALID,
            403: BAD_KEY,
            404: f"{NO_REQUEST}; dòng không niêm phong / the feed is not sealed",
            409: "chưa niêm phong và ký điểm kiểm tra; thử lại sau Retry-After giây / not "
            "sealed and checkpointed yet: retry after Retry-After seconds",
        },
        xml=False,
    ),
}
RECEIPT[409]["headers"] = RETRY_AFTER
TOKEN: Responses = {
    200: ok(d.Open311Tokens, "kiến nghị của token / the token's request"),
    **errors({400: INVALID, 403: BAD_KEY, 404: f"{FORMAT}; {JURISDICTION}; {NO_TOKEN}"}),
}
UPDATES: Responses = {
    200: ok(d.Open311RequestUpdates, "các bước / the steps"),
    **errors(
        {
            400: f"{INVALID}: ngày, khoảng quá 90 ngày, page / dates, a span over 90 days, page",
            403: BAD_KEY,
            404: f"{FORMAT}; {JURISDICTION}",
            503: READ_SIDE,
        }
    ),
}
MEDIA: Responses = {
    200: {
        "description": "tệp đính kèm đầu tiên / the request's first attachment",
        "content": {
            kind: {"schema": {"type": "string", "format": "binary"}} for kind in sorted(ACCEPTED)
        },
        "headers": PRIVATE,
    },
    307: {
        "description": "media_url người gửi đã cho / the media_url the reporter gave",
        "headers": {
            "Location": {"required": True, "schema": {"type": "string", "format": "uri"}},
            **PRIVATE,
        },
    },
    **errors(
        {
            400: "expires hoặc signature không hợp lệ / expires or signature malformed",
            403: "chữ ký sai hoặc liên kết hết hạn / a signature not ours, or the link expired",
            404: f"{NO_REQUEST}; không có tệp hoặc dữ liệu người gửi đã xóa / no media, or the "
            "reporter's data erased",
        },
        xml=False,
    ),
}
DISCOVERY: Responses = {
    200: ok(d.Open311Discovery, "các điểm truy cập / the endpoints"),
    400: UNREADABLE,
    **errors({404: FORMAT}),
}
