"""Report responses: JSON (optionally with figures written for a locale), CSV or Excel."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import Query, Request, Response

from services.aggregator.rendering.files import CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE, to_csv, to_xlsx
from services.aggregator.rendering.numbers import localize
from services.aggregator.rendering.table import build_table
from shared.api_errors import language_of
from shared.events import dumps
from shared.vietnam_time import VIETNAM


@dataclass
class OutputParams:
    format: Annotated[
        Literal["json", "csv", "xlsx"],
        Query(description="json; csv (UTF-8 with BOM, Excel-ready); xlsx (Excel workbook)"),
    ] = "json"
    locale: Annotated[
        Literal["vi", "en"] | None,
        Query(
            description="write figures the way vi (2.514; 86,3%) or en (2,514; 86.3%) does: "
            "in JSON as `formatted` beside the raw numbers, in CSV in place; none: raw numbers"
        ),
    ] = None


def render(request: Request, body: dict[str, Any], output: OutputParams) -> Response:
    if output.format == "json":
        if output.locale is not None:
            body = localize(body, output.locale)
        return Response(dumps(body), media_type="application/json")
    lang = language_of(request)
    table = build_table(body, lang, datetime.now(VIETNAM))
    if output.format == "csv":
        content, media_type = to_csv(table, output.locale), CSV_MEDIA_TYPE
    else:
        content, media_type = to_xlsx(table, lang), XLSX_MEDIA_TYPE
    disposition = f'attachment; filename="{table.name}.{output.format}"'
    return Response(content, media_type=media_type, headers={"Content-Disposition": disposition})
