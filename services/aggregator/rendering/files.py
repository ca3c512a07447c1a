"""A report table as a CSV or an Excel file.

Text from the records (an agency's name, say) never becomes a formula in a spreadsheet (OWASP,
CSV injection): in CSV a cell starting with = + - @ tab or CR is prefixed with a single quote;
in Excel every text is a string cell. Figures stay numbers."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from services.aggregator.rendering.labels import word
from services.aggregator.rendering.numbers import format_figure
from services.aggregator.rendering.table import Cell, Table

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
NUMBER_FORMATS = {"count": "#,##0", "average": "#,##0.00", "ratio": "0.0%", "number": "0"}
BOLD = Font(bold=True)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FIGURES = ("count", "average", "ratio")


def to_csv(table: Table, locale: str | None) -> bytes:
    """UTF-8 with a byte order mark, so that Excel reads the Vietnamese right."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow([inert(c.title) for c in table.columns])
    for row in table.rows:
        writer.writerow([_text(cell, locale) for cell in row])
    return out.getvalue().encode("utf-8-sig")


def _text(cell: Cell, locale: str | None) -> Any:
    if cell.value is None:
        return ""
    if locale is not None and cell.kind in FIGURES:
        return format_figure(cell.value, cell.kind, locale)
    return inert(cell.value)


def inert(value: Any) -> Any:
    """A CSV cell that a spreadsheet shows as the text it is, never runs as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _append_text_safe(sheet: Any, values: list[Any]) -> None:
    """A row whose strings are string cells: openpyxl would make "=…" a formula."""
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def to_xlsx(table: Table, lang: str) -> bytes:
    """Figures as numeric cells with number formats; a second sheet says what the table is."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _sheet_name(table.title)
    _append_text_safe(sheet, [c.title for c in table.columns])
    for cell in sheet[1]:
        cell.font = BOLD
    first_total = len(table.rows) - table.total_rows
    for index, row in enumerate(table.rows):
        _append_text_safe(sheet, [c.value for c in row])
        for target, source in zip(sheet[sheet.max_row], row, strict=True):
            if source.kind in NUMBER_FORMATS:
                target.number_format = NUMBER_FORMATS[source.kind]
            if index >= first_total:
                target.font = BOLD
    sheet.freeze_panes = "A2"
    _fit_columns(
        sheet, [[c.title for c in table.columns], *[[c.value for c in r] for r in table.rows]]
    )

    info = book.create_sheet(_sheet_name(word("info", lang)))
    for key, value in table.info:
        _append_text_safe(info, [key, value])
        info.cell(info.max_row, 1).font = BOLD
    _fit_columns(info, [list(pair) for pair in table.info])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet_name(title: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", " ", title)[:31]


def _fit_columns(sheet: Any, rows: list[list[Any]]) -> None:
    for index, values in enumerate(zip(*rows, strict=True), start=1):
        width = max(len(str(v)) if v is not None else 0 for v in values)
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 8), 60)
