"""A unit written by its name: "Phường Trúc Bạch", or with the units above it to tell apart
namesakes, "Phường Trúc Bạch, Quận Ba Đình". Taken only when one unit of the catalog bears that
name on the record's date (within the user's scope, when several do)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date
from functools import lru_cache

from services.importing.workbook import normal
from shared.units import Unit, UnitCatalog


class UnitNames:
    def __init__(self, catalog: UnitCatalog) -> None:
        self.catalog = catalog
        self._named: dict[str, list[Unit]] = defaultdict(list)
        for unit in catalog:
            self._named[normal(unit.name)].append(unit)

    def find(self, text: str, on: date, within: Callable[[Unit], bool]) -> list[Unit]:
        """The units that name may mean on that day: one, or the namesakes to choose from."""
        name, *above = [normal(part) for part in text.split(",") if part.strip()] or [""]
        found = [u for u in self._named.get(name, ()) if u.is_valid_on(on)]
        for part in above:
            found = [
                u for u in found if any(normal(a.name) == part for a in self.catalog.ancestors(u))
            ]
        if len(found) > 1:
            mine = [u for u in found if within(u)]
            return mine if len(mine) == 1 else found
        return found


@lru_cache(maxsize=4)
def unit_names(catalog: UnitCatalog) -> UnitNames:
    """Built once per catalog (some 14,000 names)."""
    return UnitNames(catalog)
