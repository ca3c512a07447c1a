"""The handling report or the agencies' league table, with another period's totals beside it
when asked: what the API and the dashboard answer alike."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from sqlalchemy.orm import Session

from services.aggregator.reports.engine import ReportQuery, Source, compared
from services.aggregator.reports.handling import AGENCIES, handling_report
from services.aggregator.reports.handling_league import league_table
from shared.periods import parse_period
from shared.units import UnitCatalog


def handled(
    session: Session,
    source: Source,
    query: ReportQuery,
    compare: str | None,
    catalog: UnitCatalog,
    asked: Mapping[str, str],
) -> dict[str, Any]:
    """asked: the query string, which the league's links to the records repeat."""
    if source is AGENCIES:
        report = league_table(session, query, catalog, asked)
    else:
        report = handling_report(session, query, catalog)
    if not compare:
        return report
    against = parse_period(compare, field="compare")
    other = handling_report(session, replace(query, group_by=(), period=against), catalog)
    return compared(report, other, against)
