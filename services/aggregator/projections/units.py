"""The unit columns of a read-model row, from the catalog: where a record counts."""

from __future__ import annotations

from typing import Any

from shared.units import UnitCatalog

UNIT_COLUMN_NAMES = (
    "unit_code",
    "unit_structure",
    "level",
    "province_code",
    "district_code",
    "unit_2025_code",
    "level_2025",
    "province_2025_code",
)


def unit_columns(catalog: UnitCatalog, code: str, structure: str) -> dict[str, Any]:
    unit = catalog.get(structure, code)
    if unit is None:  # a unit the catalog no longer knows still counts where it was recorded
        return {
            "unit_code": code,
            "unit_structure": structure,
            "level": "unknown",
            "province_code": code[:2],
            "district_code": None,
            "unit_2025_code": None,
            "level_2025": None,
            "province_2025_code": None,
        }
    rolled = catalog.in_2025(unit)
    return {
        "unit_code": unit.code,
        "unit_structure": str(unit.structure),
        "level": str(unit.level),
        "province_code": unit.province_code,
        "district_code": unit.district_code,
        "unit_2025_code": rolled.code if rolled else None,
        "level_2025": str(rolled.level) if rolled else None,
        "province_2025_code": rolled.province_code if rolled else None,
    }
