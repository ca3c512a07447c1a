"""The units a form offers for a record made today: those of the structure in force today (the
2025 units from 1 July 2025 on) within the reader's scope, each unit and everything under it;
for a reader of the whole country, the provinces (any other code may still be typed: the API
says whether it names a unit)."""

from __future__ import annotations

from datetime import date

from shared.principal import Principal, Role
from shared.units import Unit, UnitCatalog


def _under(catalog: UnitCatalog, unit: Unit) -> list[Unit]:
    return [unit, *(u for child in catalog.children(unit) for u in _under(catalog, child))]


def unit_options(reader: Principal, catalog: UnitCatalog, on: date) -> list[tuple[str, str]]:
    """(code, "name (code)") of each unit a record of this day may name."""
    if reader.role is Role.OFFICER:
        roots = [u for code in reader.units if (u := catalog.find(code, on)) is not None]
        units = [u for root in roots for u in _under(catalog, root)]
    else:
        units = [u for u in catalog if u.parent_code is None and u.is_valid_on(on)]
    return [(u.code, f"{u.name} ({u.code})") for u in units if u.is_valid_on(on)]
