"""The downloadable templates: a sheet per record kind, Vietnamese headers with English in the
second row, a note on each header saying what goes there, and lists to pick coded values from
(kept on a hidden sheet, taken from the services' own vocabularies)."""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from services.importing.kinds import Column, Kind

LISTS = "Danh mục"  # the hidden sheet of coded values
FIRST_ROW = 3  # row 1: Vietnamese headers, row 2: English
VALIDATED_ROWS = 100_000  # how far down a column's list applies
REQUIRED = " *"
HEADER = Font(bold=True)
ENGLISH = Font(italic=True, color="666666")
FILL = PatternFill("solid", fgColor="DDEBF7")


def template(kinds: Sequence[Kind]) -> bytes:
    """A workbook with one empty sheet per kind, ready to fill in."""
    book = Workbook()
    lists = book.active
    assert lists is not None
    lists.title = LISTS
    lists.sheet_state = "hidden"
    written = 0  # lists on the hidden sheet, a column each
    for kind in kinds:
        sheet = book.create_sheet(kind.vi)
        _headers(sheet, kind)
        sources: dict[str, str] = {}  # a list spread over cells is written once
        for position, cell in enumerate(kind.cells, start=1):
            column = cell.column
            if column.codes:
                if column.field not in sources:
                    written += 1
                    sources[column.field] = _list(lists, written, column)
                _pick_from(sheet, position, sources[column.field])
    book.move_sheet(LISTS, offset=len(kinds))
    book.active = 0
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _headers(sheet: Worksheet, kind: Kind) -> None:
    for position, cell in enumerate(kind.cells, start=1):
        column = cell.column
        mark = REQUIRED if kind.required(column) and cell.index in (None, 0) else ""
        heading = sheet.cell(1, position, cell.title("vi") + mark)
        heading.font, heading.fill = HEADER, FILL
        sheet.cell(2, position, cell.title("en")).font = ENGLISH
        note = _note(column)
        if note:
            heading.comment = Comment(note, "danvan", width=320, height=140)
        letter = get_column_letter(position)
        sheet.column_dimensions[letter].width = 30 if not column.codes else 26
        if not column.date:  # codes stay text: 00004 is not the number 4
            sheet.column_dimensions[letter].number_format = "@"
    sheet.freeze_panes = f"A{FIRST_ROW}"


def _note(column: Column) -> str:
    vi, en = column.hint
    if column.codes:
        vi = vi or "Chọn trong danh sách (hoặc ghi mã)."
        en = en or "Pick from the list (or give the code)."
    return f"{vi}\n\n{en}" if vi else ""


def _list(lists: Worksheet, position: int, column: Column) -> str:
    """The column's names on the hidden sheet; the range a list refers to."""
    letter = get_column_letter(position)
    for row, name in enumerate(column.codes.values(), start=1):
        lists.cell(row, position, name)
    return f"'{LISTS}'!${letter}$1:${letter}${len(column.codes)}"


def _pick_from(sheet: Worksheet, position: int, source: str) -> None:
    letter = get_column_letter(position)
    validation = DataValidation(
        type="list",
        formula1=source,
        allow_blank=True,
        showErrorMessage=True,
        error="Chọn một giá trị trong danh sách. / Pick a value from the list.",
    )
    sheet.add_data_validation(validation)
    validation.add(f"{letter}{FIRST_ROW}:{letter}{VALIDATED_ROWS}")
