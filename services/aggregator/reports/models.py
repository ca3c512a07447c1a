"""Models registered / recognised / commended / replicated, grouped and filtered."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Integer, cast, extract, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from services.aggregator.tables import ModelFact, ModelFieldRow
from shared.errors import InvalidInput
from shared.units import UnitCatalog

METRICS = ("registered", "progress", "recognised", "commended", "replicated", "discontinued")
GROUPS = ("level", "unit", "province", "district", "field", "sector", "year", "model_year")
UNIT_GROUPS = {"unit": "unit", "province": "province", "district": "district"}


@dataclass(frozen=True)
class ModelQuery:
    group_by: tuple[str, ...] = ()
    start: date | None = None
    end: date | None = None
    structure: str = "recorded"  # or "2025": rolled up onto the 2025 units
    filters: dict[str, Any] = field(default_factory=dict)


def _columns(structure: str) -> dict[str, ColumnElement[Any]]:
    rolled = structure == "2025"
    return {
        "level": ModelFact.level_2025 if rolled else ModelFact.level,
        "unit": ModelFact.unit_2025_code if rolled else ModelFact.unit_code,
        "province": ModelFact.province_2025_code if rolled else ModelFact.province_code,
        "district": ModelFact.district_code,
        "field": ModelFieldRow.field,
        "sector": ModelFact.sector,
        "year": cast(extract("year", ModelFact.occurred_on), Integer),
        "model_year": ModelFact.model_year,
    }


def check_groups(group_by: tuple[str, ...], structure: str) -> None:
    for name in group_by:
        if name not in GROUPS or (structure == "2025" and name == "district"):
            allowed = [g for g in GROUPS if not (structure == "2025" and g == "district")]
            raise InvalidInput(
                "group_by_unknown", field="group_by", value=name, allowed=", ".join(allowed)
            )


def model_report(session: Session, query: ModelQuery, catalog: UnitCatalog) -> dict[str, Any]:
    check_groups(query.group_by, query.structure)
    columns = _columns(query.structure)
    needs_field = "field" in query.group_by or "field" in query.filters
    keys = [columns[g].label(g) for g in query.group_by]
    if query.structure == "recorded" and any(g in UNIT_GROUPS for g in query.group_by):
        # the same code names different units before and after the reform
        keys.insert(0, ModelFact.unit_structure.label("unit_structure"))
    names = tuple(k.name for k in keys)
    count = func.count(func.distinct(ModelFact.event_id)).label("n")

    def base(*cols: Any) -> Any:
        stmt = select(*cols, ModelFact.kind, count)
        if needs_field:
            stmt = stmt.join(ModelFieldRow, ModelFieldRow.model_id == ModelFact.model_id)
        if query.start:
            stmt = stmt.where(ModelFact.occurred_on >= query.start)
        if query.end:
            stmt = stmt.where(ModelFact.occurred_on <= query.end)
        if query.structure == "2025":
            stmt = stmt.where(ModelFact.unit_2025_code.is_not(None))
        for name, value in query.filters.items():
            stmt = stmt.where(columns[name] == value)
        return stmt.group_by(*cols, ModelFact.kind)

    rows: dict[tuple[Any, ...], dict[str, int]] = defaultdict(lambda: dict.fromkeys(METRICS, 0))
    for record in session.execute(base(*keys)):
        rows[tuple(record[:-2])][record.kind] = record.n
    total = dict.fromkeys(METRICS, 0)
    for record in session.execute(base()):
        total[record.kind] = record.n

    structure = "2025" if query.structure == "2025" else None
    return {
        "report": "models",
        "group_by": list(query.group_by),
        "structure": query.structure,
        "period": {"from": query.start, "to": query.end},
        "filters": query.filters,
        "rows": [
            {**_labelled(names, key, catalog, structure), **metrics}
            for key, metrics in sorted(rows.items(), key=lambda kv: tuple(map(str, kv[0])))
        ],
        "total": total,
    }


def _labelled(
    names: tuple[str, ...], key: tuple[Any, ...], catalog: UnitCatalog, structure: str | None
) -> dict[str, Any]:
    row: dict[str, Any] = dict(zip(names, key, strict=True))
    for name, value in list(row.items()):
        if name in UNIT_GROUPS and value is not None:
            unit = catalog.get(structure or row["unit_structure"], value)
            row[f"{name}_name"] = unit.name if unit else None
    return row
