"""Reading an uploaded workbook: its sheets named after a record kind, the columns their header
names, then their rows one at a time (openpyxl's read-only mode streams a large file)."""

from __future__ import annotations

import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook

from services.importing.kinds import KINDS, Cell, Kind
from services.importing.problems import Layout, Problem, whole_file
from services.importing.template import REQUIRED
from shared.messages import message

Values = tuple[Any, ...]


def normal(text: object) -> str:
    """How names are compared: NFC, spaces collapsed, case folded."""
    return unicodedata.normalize("NFC", " ".join(str(text).split())).casefold()


@dataclass
class Sheet:
    layout: Layout
    first_row: int  # of data: 3 after the English header row, else 2
    estimated_rows: int  # what the file says its size is, for progress
    rows: Iterator[tuple[int, Values]]  # the row's number and its values, blank rows left out
    header_problems: list[Problem]  # with any, its rows are not read: each would say the same


def open_workbook(data: bytes) -> Workbook | None:
    try:
        return load_workbook(BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        return None


def kind_of(title: str) -> Kind | None:
    wanted = normal(title)
    for kind in KINDS.values():
        if wanted in {normal(kind.vi), normal(kind.en), normal(kind.key)}:
            return kind
    return None


def sheets(book: Workbook, lang: str) -> tuple[list[Sheet], list[Problem]]:
    """The sheets named after a kind (others, and hidden ones, are not read); a problem if
    there is none."""
    found: list[Sheet] = []
    problems: list[Problem] = []
    for worksheet in book.worksheets:
        kind = kind_of(worksheet.title)
        if kind is None or worksheet.sheet_state != "visible":
            continue
        rows = worksheet.iter_rows(values_only=True)
        header = next(rows, ())
        second = next(rows, ())
        layout, wrong = _layout(kind, worksheet.title, header, lang)
        english = _is_english_header(layout, second)
        first_row = 3 if english else 2
        data = rows if english else _chain_row(second, rows)
        estimated = max(0, (worksheet.max_row or 0) - first_row + 1)
        found.append(Sheet(layout, first_row, estimated, _numbered(data, first_row), wrong))
    if not found:
        allowed = ", ".join(kind.vi for kind in KINDS.values())
        problems.append(whole_file("import_no_sheet", lang, allowed=allowed))
    return found, problems


def _layout(kind: Kind, title: str, header: Values, lang: str) -> tuple[Layout, list[Problem]]:
    names: dict[str, Cell] = {}
    for cell in kind.cells:
        field = cell.column.field + ("" if cell.index is None else f" {cell.index + 1}")
        for name in (cell.title("vi"), cell.title("en"), field):
            names[normal(name)] = cell
    positions: dict[Cell, int] = {}
    problems: list[Problem] = []
    for position, value in enumerate(header, start=1):
        if value is None or not str(value).strip():
            continue
        text = str(value).strip().removesuffix(REQUIRED.strip()).strip()
        letter = get_column_letter(position)
        named = names.get(normal(text))
        if named is None:
            code, params = "import_column_unknown", {"value": text}
        elif named in positions:
            code, params = "import_column_twice", {"column": text}
        else:
            positions[named] = position
            continue
        problems.append(Problem(title, 1, letter, text, code, message(code, lang, **params)))
    for cell in kind.cells:
        if kind.required(cell.column) and cell.index in (None, 0) and cell not in positions:
            column = cell.title(lang)
            text = message("import_column_missing", lang, column=column)
            problems.append(Problem(title, 1, "", column, "import_column_missing", text))
    return Layout(kind, title, positions), problems


def _is_english_header(layout: Layout, row: Values) -> bool:
    """The template's second row: each header's English title, nothing else."""
    for cell, position in layout.positions.items():
        value = row[position - 1] if position <= len(row) else None
        if value is not None and normal(value) != normal(cell.title("en")):
            return False
    return any(v is not None for v in row)


def _chain_row(first: Values, rest: Iterator[Values]) -> Iterator[Values]:
    if first:
        yield first
    yield from rest


def _numbered(rows: Iterator[Values], first_row: int) -> Iterator[tuple[int, Values]]:
    for number, values in enumerate(rows, start=first_row):
        if any(v is not None and (not isinstance(v, str) or v.strip()) for v in values):
            yield number, values
