"""Coverage: the share of communes under a province or district with at least one active model."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from services.aggregator.reports.engine import in_utc
from services.aggregator.tables import ModelFieldRow, ModelPresence
from shared.errors import InvalidInput
from shared.units import Level, Structure, Unit, UnitCatalog


def model_coverage(
    session: Session,
    catalog: UnitCatalog,
    unit_code: str,
    on: date,
    structure: str,
    fields: list[str] | None = None,
    as_of: datetime | None = None,
) -> dict[str, Any]:
    """With fields, only models in one of those fields count; with as_of, the presences as
    recorded at that moment (a discontinuation recorded later has not ended them yet)."""
    rolled = structure == "2025"
    parent = catalog.get(Structure.V2025, unit_code) if rolled else catalog.find(unit_code, on)
    if parent is None:
        raise InvalidInput("unit_unknown", field="unit", unit_code=unit_code, on=on)
    if parent.level is Level.COMMUNE:
        raise InvalidInput("unit_not_parent", field="unit", unit_code=unit_code)

    unit_col = ModelPresence.unit_2025_code if rolled else ModelPresence.unit_code
    stmt = (
        select(unit_col)
        .distinct()
        .where(
            ModelPresence.since <= on,
            or_(ModelPresence.until.is_(None), ModelPresence.until > on),
            ModelPresence.at(in_utc(as_of) if as_of is not None else None),
        )
    )
    if rolled:
        stmt = stmt.where(
            ModelPresence.level_2025 == Level.COMMUNE,
            ModelPresence.province_2025_code == parent.province_code,
        )
    else:
        stmt = stmt.where(
            ModelPresence.unit_structure == parent.structure,
            ModelPresence.level == Level.COMMUNE,
            ModelPresence.province_code == parent.province_code,
        )
    if fields:
        stmt = stmt.join(ModelFieldRow, ModelFieldRow.model_id == ModelPresence.model_id).where(
            ModelFieldRow.field.in_(fields)
        )
    with_model = set(session.scalars(stmt))

    def share(unit: Unit) -> dict[str, Any]:
        communes = catalog.communes_under(unit)
        covered = sum(1 for c in communes if c.code in with_model)
        return {
            "unit": unit.code,
            "unit_name": unit.name,
            "communes": len(communes),
            "covered": covered,
            "ratio": covered / len(communes) if communes else None,
        }

    children = [c for c in catalog.children(parent) if c.level is not Level.COMMUNE]
    report: dict[str, Any] = {
        "report": "model_coverage",
        "structure": structure,
        "on": on,
        "fields": fields or [],
        **share(parent),
        "children": [share(c) for c in sorted(children, key=lambda u: u.code)],
    }
    if as_of is not None:
        report["as_of"] = as_of
    return report
