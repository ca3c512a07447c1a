"""A row checked as the write API checks its request: the cells made into the JSON body the API
takes, validated by the API's own request model (pydantic), its errors traced back to their
cells with the API's own messages; then what the request model cannot know but the catalog of
units does: that the unit existed on the record's date and lies within the user's scope."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError

from services.importing.kinds import UNIT, Cell, Column, Kind
from services.importing.problems import Layout, Problem
from services.importing.unit_names import unit_names
from services.importing.workbook import Values, normal
from shared.api_errors import as_reported, json_path
from shared.messages import message, validation_message
from shared.policy import covers
from shared.principal import Principal
from shared.units import Unit, UnitCatalog

DIGITS = re.compile(r"[0-9]+")
DAY_MONTH_YEAR = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")  # how Vietnamese write a date


@dataclass(frozen=True)
class Checked:
    """A row ready to send: its kind, where it came from, its JSON body and Idempotency-Key."""

    kind: Kind
    sheet: str
    row: int
    body: bytes
    key: str
    items: tuple[Cell, ...]  # the cells a list's items came from (fields[1] is the second)


class Checker:
    def __init__(
        self, catalog: UnitCatalog, principal: Principal | None, lang: str, today: date
    ) -> None:
        self.catalog, self.principal, self.lang, self.today = catalog, principal, lang, today
        self.names = unit_names(catalog)

    def check(self, layout: Layout, row: int, values: Values) -> Checked | list[Problem]:
        kind = layout.kind
        body, items = body_of(layout, values)
        problems: list[Problem] = []
        given = body.get(UNIT.field)
        if isinstance(given, str) and not DIGITS.fullmatch(given):  # a name; digits: a code
            named = self._unit_named(layout, row, given, _day(body.get(kind.date_field)))
            if isinstance(named, Problem):
                problems.append(named)
                body.pop(UNIT.field)
            else:
                body[UNIT.field] = named
        try:
            request = kind.request.model_validate(body)
        except ValidationError as invalid:
            errors = invalid.errors()
            wrong = {json_path(error["loc"]) for error in errors}
            for error in errors:
                path = json_path(error["loc"])
                if not (path == UNIT.field and UNIT.field not in body):  # its name said so
                    problems.append(self._invalid(layout, row, path, error, items))
            # the unit too, as the service would check it, where its code and date are right
            if UNIT.field in body and not wrong & {UNIT.field, kind.date_field}:
                on = _day(body.get(kind.date_field))
                problems += self._unit_problems(layout, row, body[UNIT.field], on, items)
            return problems
        if problems:
            return problems
        on = getattr(request, kind.date_field)
        problems = self._unit_problems(layout, row, getattr(request, UNIT.field), on, items)
        if problems:
            return problems
        text = request.model_dump_json(exclude_unset=True).encode()
        key = idempotency_key(layout, row, text)
        return Checked(kind, layout.sheet, row, text, key, tuple(items))

    def _invalid(
        self, layout: Layout, row: int, path: str, error: Any, items: list[Cell]
    ) -> Problem:
        """The API's message for this error; a value outside a list names the list."""
        error = as_reported(error)
        cell = layout.cell_at(path, items)
        if error["type"] == "enum" and cell is not None and cell.column.codes:
            code = "value_not_in_list"
            allowed = "; ".join(cell.column.codes.values())
            text = message(code, self.lang, value=error["input"], allowed=allowed)
        else:
            code, text = error["type"], validation_message(error, self.lang)
        return layout.problem(row, path, code, text, self.lang, items)

    def _unit_named(self, layout: Layout, row: int, text: str, on: date | None) -> str | Problem:
        day = on or self.today
        found = self.names.find(text, day, self._covers)
        if len(found) == 1:
            return found[0].code
        shown = "; ".join(f"{u.code} {_path(self.catalog, u)}" for u in found[:5])
        code = "unit_name_ambiguous" if found else "unit_name_unknown"
        said = message(code, self.lang, value=text, on=day, candidates=shown)
        return layout.problem(row, UNIT.field, code, said, self.lang, [])

    def _unit_problems(
        self, layout: Layout, row: int, code: str, on: date | None, items: list[Cell]
    ) -> list[Problem]:
        """As the service's application decides: the unit bearing the code on the record's
        date, and the user's scope covering it (shared.policy)."""
        day = on or self.today
        unit = self.catalog.find(code, day)
        if unit is None:
            text = message("unit_unknown", self.lang, unit_code=code, on=day)
            return [layout.problem(row, UNIT.field, "unit_unknown", text, self.lang, items)]
        if not self._covers(unit):
            text = message("forbidden_unit", self.lang, unit_code=code)
            return [layout.problem(row, UNIT.field, "forbidden_unit", text, self.lang, items)]
        return []

    def _covers(self, unit: Unit) -> bool:
        return self.principal is None or covers(self.principal, unit, self.catalog)


def body_of(layout: Layout, values: Values) -> tuple[dict[str, Any], list[Cell]]:
    """The JSON body the row's cells make; and the cells a list's items came from."""
    body: dict[str, Any] = {}
    items: list[Cell] = []
    numbers = layout.kind.number_fields
    for cell, position in layout.in_order:
        raw = values[position - 1] if position <= len(values) else None
        column = cell.column
        value = cell_value(column, raw, column.field in numbers)
        if value is None:
            continue
        if column.cells > 1:
            body.setdefault(column.field, []).append(value)
            items.append(cell)
        elif column.split:
            body[column.field] = [t.strip() for t in str(value).split(";") if t.strip()]
        else:
            *outer, name = column.field.split(".")  # held.participants: in body["held"]
            nested = body
            for part in outer:
                nested = nested.setdefault(part, {})
            nested[name] = value
    return body, items


def cell_value(column: Column, raw: Any, number: bool) -> Any:
    """A cell's value as JSON would carry it: dates as ISO text, codes for the names of coded
    values, numbers only where the API takes a number."""
    if raw is None:
        return None
    if isinstance(raw, datetime):
        return raw.date().isoformat() if column.date else raw.isoformat()
    if isinstance(raw, date):
        return raw.isoformat()
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return raw if number else str(raw)
    if not isinstance(raw, str):
        return raw
    text = raw.strip()
    if not text:
        return None
    if column.date and (found := DAY_MONTH_YEAR.fullmatch(text)):
        day, month, year = found.groups()
        return f"{year}-{int(month):02d}-{int(day):02d}"
    if column.codes:
        wanted = normal(text)
        for code, name in column.codes.items():
            if wanted in (normal(name), normal(code)):
                return str(code)
    return text


def idempotency_key(layout: Layout, row: int, body: bytes) -> str:
    """The same row (sheet, number, content) sent again is the same request: uploading a file
    twice, or again once a refused row is mended, writes nothing twice."""
    digest = hashlib.sha256(f"{layout.kind.key}\x1f{layout.sheet}\x1f{row}\x1f".encode())
    digest.update(body)
    return f"import-{digest.hexdigest()}"


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _path(catalog: UnitCatalog, unit: Unit) -> str:
    return ", ".join([unit.name, *(a.name for a in catalog.ancestors(unit))])
