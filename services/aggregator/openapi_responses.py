"""The `responses=` of the aggregator's routes: every answer each can give, its media types and
headers, for the OpenAPI document. Error bodies get the common Error schema elsewhere
(shared.openapi), as do the 401/403/422 every READ route can answer."""

from __future__ import annotations

from typing import Any

from services.aggregator.rendering.files import XLSX_MEDIA_TYPE

Responses = dict[int | str, dict[str, Any]]

CONTENT_DISPOSITION = {
    "description": "Tệp tải về / a download (format=csv or xlsx only): attachment; "
    'filename="<report>.csv"',
    "schema": {"type": "string"},
}

BAD_QUERY = "Tham số không hợp lệ / a query parameter of the wrong form or out of range"
BAD_REPORT_QUERY = (
    "Tham số không hợp lệ / invalid query: a dimension this report does not have (in group_by "
    "or as a filter; district with structure=2025), a filter value not of its dimension's type "
    "or beyond a BIGINT, period= together with from=/to=, from= after to=, a period or "
    "compare= of none of the forms, as_of= not a moment or in the future, or another "
    "parameter of the wrong form"
)


def _files() -> dict[str, Any]:
    return {
        "text/csv": {"schema": {"type": "string"}},
        XLSX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}},
    }


def report_responses(document: Any, *, scoped_unit: bool = False) -> Responses:
    """A report: JSON, or with format=csv|xlsx a file to download; 422 for a query it cannot
    answer; with scoped_unit, 403 for a unit outside the caller's units."""
    responses: Responses = {
        200: {
            "model": document,
            "description": "Báo cáo / the report: JSON (format=json, the default), CSV (UTF-8 "
            "with a byte order mark) or an Excel workbook",
            "content": _files(),
            "headers": {"Content-Disposition": CONTENT_DISPOSITION},
        },
        422: {"description": BAD_REPORT_QUERY},
    }
    if scoped_unit:
        responses[403] = {
            "description": "Ngoài phạm vi được phân công / the unit is outside the officer's "
            "units (or the role may not read reports)"
        }
        responses[422] = {
            "description": "Tham số không hợp lệ / no such unit on that day (or in the 2025 "
            "structure), a commune (it has no units under it), as_of= not a moment or in the "
            "future, or another parameter of the wrong form"
        }
    return responses


def list_responses(document: Any, invalid: str = BAD_QUERY) -> Responses:
    return {
        200: {"model": document, "description": "Danh sách / the list, a page of it"},
        422: {"description": invalid},
    }


WAIT_RESPONSES: Responses = {
    200: {"description": "Đã cập nhật / every upstream named is applied up to its position"},
    404: {"description": "Không có nguồn này / no upstream of that name (registry, dialogue)"},
    422: {
        "description": "Vị trí không hợp lệ / a position not of ASCII digits or beyond a "
        "BIGINT, or a timeout outside 0–60 seconds"
    },
    503: {"description": "Một nguồn không trả lời / an upstream named without a position is down"},
    504: {
        "description": "Chưa cập nhật kịp / the timeout ran out before an upstream was applied "
        "up to its position"
    },
}
