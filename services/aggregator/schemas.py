"""Query parameters of the reporting API."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import Query

from services.registry.vocabulary import ModelField, Sector
from shared.units import Level

Structure = Annotated[
    Literal["recorded", "2025"],
    Query(description="recorded: units as recorded; 2025: rolled up onto the 2025 units"),
]
GroupBy = Annotated[
    str | None,
    Query(
        description="comma-separated: level, unit, province, district, field, sector, year, "
        "model_year"
    ),
]
From = Annotated[date | None, Query(alias="from", description="first day, inclusive")]
To = Annotated[date | None, Query(alias="to", description="last day, inclusive")]
UnitFilter = Annotated[str | None, Query(pattern=r"^\d{2,5}$")]
LevelFilter = Annotated[Level | None, Query()]
FieldFilter = Annotated[ModelField | None, Query()]
SectorFilter = Annotated[Sector | None, Query()]
YearFilter = Annotated[int | None, Query(ge=1990, le=2100)]
