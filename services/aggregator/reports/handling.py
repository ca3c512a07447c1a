"""The handling report: how the kiến nghị received in a period were handled (acknowledged on
time; closed on time, late with an approved extension, late; open and overdue; reopened; days to
resolve; rating; duplicates merged), grouped by any of its dimensions.

Its medians and percentiles are no sums, so no cube holds them: it reads the current versions
(or those in force at as_of); the database judges each kiến nghị and sums the counts per group,
and counts the resolved ones per number of working days, from which the median and the 90th
percentile are exact (reports.handling_figures)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import replace
from datetime import date
from operator import attrgetter
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from services.aggregator import cubes
from services.aggregator.reports.engine import (
    Dimension,
    ReportQuery,
    Source,
    checked_filters,
    grouped_row,
    grouping_names,
    report_body,
    restricted,
)
from services.aggregator.reports.handling_figures import SUMMED, counted_columns, figures
from services.aggregator.reports.sources import KIEN_NGHI
from services.aggregator.tables import KienNghiRow
from shared.units import UnitCatalog

HANDLING = Source(
    name="kien_nghi_handling",
    counted=cubes.KIEN_NGHI,
    dimensions={
        **{name: d for name, d in KIEN_NGHI.dimensions.items() if name != "status"},
        "priority": Dimension(attrgetter("priority")),
        # a reopened kiến nghị waiting to be assigned again counts under the agency that closed
        # it (its reopening is that agency's), then under the one that has it
        "agency": Dimension(attrgetter("last_agency")),
    },
    metrics=lambda _query, _r: {},
    at=KienNghiRow.at,
)
# the league table: the same kiến nghị and dimensions, by agency (reports.handling_league)
AGENCIES = replace(HANDLING, name="kien_nghi_handling_agencies")


def report_day(query: ReportQuery) -> date:
    """The day open and overdue is counted on: the period's last, or today if sooner."""
    if query.period is None:
        return query.today
    return min(query.period.end, query.today)


def judged_rows(
    query: ReportQuery, names: list[str], columns: list[Any]
) -> tuple[Select[Any], list[Any]]:
    """A statement over the kiến nghị the query asks for but merged duplicates (each counts
    under its master), selecting their groups' keys and these columns; and the keys."""
    filters = checked_filters(HANDLING.dimensions, query)
    facts = HANDLING.facts()
    rolled = query.structure == "2025"
    keys = [
        (
            facts.unit_structure
            if n == "unit_structure"
            else HANDLING.dimensions[n].pick(facts, rolled)
        )
        for n in names
    ]
    stmt = select(*(k.label(f"key_{i}") for i, k in enumerate(keys)), *columns)
    stmt = stmt.select_from(KienNghiRow).where(facts.master_id.is_(None))
    return restricted(stmt, HANDLING, query, filters, facts), keys


def _ordered(key: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple((value is None, value) for value in key)


def handling_report(session: Session, query: ReportQuery, catalog: UnitCatalog) -> dict[str, Any]:
    names = grouping_names(query)
    facts = HANDLING.facts()
    sums_stmt, keys = judged_rows(query, names, counted_columns(facts, report_day(query)))
    sums = {
        tuple(r[: len(names)]): dict(r._mapping) for r in session.execute(sums_stmt.group_by(*keys))
    }
    days_stmt, _ = judged_rows(query, names, [facts.resolve_days, func.count()])
    days_stmt = days_stmt.where(facts.resolve_days.is_not(None))
    days: dict[tuple[Any, ...], Counter[int]] = defaultdict(Counter)
    for r in session.execute(days_stmt.group_by(*keys, facts.resolve_days)):
        days[tuple(r[: len(names)])][r[len(names)]] += r[len(names) + 1]
    everywhere: Counter[int] = sum(days.values(), Counter())
    total = {name: sum(int(s[name] or 0) for s in sums.values()) for name in SUMMED}
    rows = [
        {
            **grouped_row(names, key, HANDLING.dimensions, query, catalog),
            **figures(group, days[key]),
        }
        for key, group in sorted(sums.items(), key=lambda item: _ordered(item[0]))
    ]
    return report_body(HANDLING.name, query, rows if names else [], figures(total, everywhere))
