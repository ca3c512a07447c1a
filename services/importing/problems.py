"""What is wrong with a workbook, said where: the sheet, the row and the column of the cell, and
the API's own message (a pydantic error's JSON path, or a refusal's `field`, leads back to the
cell the value came from)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from openpyxl.utils import get_column_letter

from services.importing.kinds import Cell, Kind
from shared.messages import message

_ITEM = re.compile(r"^([A-Za-z_]+(?:\.[A-Za-z_]+)*)(?:\[(\d+)\])?")


@dataclass(frozen=True)
class Problem:
    sheet: str  # the sheet's title as in the file ("" for the whole file)
    row: int  # as Excel numbers it (0 for the whole file or sheet)
    column: str  # its letter ("" for the whole row)
    title: str  # the column's header, in the report's language
    code: str
    message: str


@dataclass(frozen=True)
class Layout:
    """Where a sheet keeps each cell of its kind: the columns its header names."""

    kind: Kind
    sheet: str
    positions: Mapping[Cell, int]  # from 1

    @cached_property
    def in_order(self) -> list[tuple[Cell, int]]:
        return sorted(self.positions.items(), key=lambda found: found[1])

    def problem(
        self, row: int, path: str | None, code: str, text: str, lang: str, items: list[Cell]
    ) -> Problem:
        """A problem with the value at this JSON path (unit_code, fields[1]); `items` are the
        cells a list's items came from, in order."""
        cell = self.cell_at(path or "", items)
        if cell is None or cell not in self.positions:
            return Problem(self.sheet, row, "", "", code, text)
        return Problem(
            self.sheet,
            row,
            get_column_letter(self.positions[cell]),
            cell.title(lang),
            code,
            text,
        )

    def cell_at(self, path: str, items: list[Cell]) -> Cell | None:
        found = _ITEM.match(path)
        if found is None:
            return None
        name, index = found.group(1), found.group(2)
        cells = [c for c in self.positions if c.column.field == name]
        if not cells:
            return None
        if cells[0].column.cells > 1:  # a list of codes, an item a cell
            listed = [c for c in items if c.column.field == name]
            if index is not None and int(index) < len(listed):
                return listed[int(index)]
            return min(cells, key=lambda c: self.positions[c])
        return cells[0]


def whole_file(code: str, lang: str, **params: object) -> Problem:
    return Problem("", 0, "", "", code, message(code, lang, **params))
