"""The units of the level below in a report's rows: their names, and links one level down."""

from __future__ import annotations

from typing import Any

from services.aggregator.dashboard.text import ui
from services.aggregator.dashboard.view import View
from shared.units import Level, Structure, Unit, UnitCatalog

DEPTH = {Level.PROVINCE: 0, Level.DISTRICT: 1, Level.COMMUNE: 2}


class UnitRows:
    def __init__(self, view: View, catalog: UnitCatalog, page: str = "") -> None:
        self.view, self.catalog, self.page = view, catalog, page
        self.dimension = view.child_dimension

    def unit(self, row: dict[str, Any]) -> Unit | None:
        """The row's unit if it lies below the page's unit; None for the page's unit's own
        records (a province's records made at province level, a district's own)."""
        code = row.get(self.dimension) if self.dimension else None
        if code is None:
            return None
        if self.view.structure == "2025":
            structure = Structure.V2025
        else:
            structure = Structure(row.get("unit_structure") or Structure.LEGACY)
        unit = self.catalog.get(structure, code)
        below = unit is not None and DEPTH[unit.level] > DEPTH[self.view.unit.level]
        return unit if below else None

    def name(self, row: dict[str, Any]) -> str:
        unit = self.unit(row)
        if unit is not None:
            return unit.name
        code = row.get(self.dimension) if self.dimension else None
        if code is None or code == self.view.unit.code:
            return ui("own_level", self.view.lang, name=self.view.unit.name)
        return str(row.get(f"{self.dimension}_name") or code)

    def link(self, row: dict[str, Any]) -> str | None:
        unit = self.unit(row)
        return self.view.unit_link(unit, self.page) if unit is not None else None
