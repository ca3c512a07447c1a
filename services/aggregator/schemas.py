"""Query parameters of the reporting API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Literal

from fastapi import Query

Structure = Annotated[
    Literal["recorded", "2025"],
    Query(description="recorded: units as recorded; 2025: rolled up onto the 2025 units"),
]


@dataclass
class ReportParams:
    group_by: Annotated[str | None, Query(description="comma-separated dimensions")] = None
    start: Annotated[date | None, Query(alias="from", description="first day, inclusive")] = None
    end: Annotated[date | None, Query(alias="to", description="last day, inclusive")] = None
    period: Annotated[
        str | None,
        Query(
            description="2021, 2021-Q3, 2021-07, 2021-01-01..2021-06-30, term:2020-2025, "
            "term:2020-2025/1 (first half), term:2020-2025/2"
        ),
    ] = None
    compare: Annotated[str | None, Query(description="another period, same forms")] = None
    structure: Structure = "recorded"
