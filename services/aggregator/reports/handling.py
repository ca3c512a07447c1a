"""The handling report: how the kiến nghị received in a period were handled (acknowledged on
time; closed on time, late with an approved extension, late; open and overdue; reopened; days to
resolve; rating; duplicates merged), grouped by any of its dimensions.

Its medians and percentiles are no sums, so no cube holds them: it reads the current versions
(or those in force at as_of) and judges each kiến nghị in Python (reports.handling_figures)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from operator import attrgetter
from typing import Any

from sqlalchemy import Select, select
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
from services.aggregator.reports.handling_figures import COLUMNS, Judgement, figures, judge
from services.aggregator.reports.sources import KIEN_NGHI
from services.aggregator.tables import KienNghiRow
from shared.units import UnitCatalog
from shared.working_time import WorkingCalendar

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
READ = (*COLUMNS, "master_id")


@dataclass(frozen=True)
class Judged:
    """A kiến nghị of the report: its group's key and how it was handled."""

    key: tuple[Any, ...]
    id: str
    judgement: Judgement


def report_day(query: ReportQuery) -> date:
    """The day open and overdue is counted on: the period's last, or today if sooner."""
    if query.period is None:
        return query.today
    return min(query.period.end, query.today)


def statement(query: ReportQuery, names: list[str], extra: tuple[str, ...] = ()) -> Select[Any]:
    """The kiến nghị the query asks for, with the columns of its groups and judgements."""
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
    columns = [getattr(KienNghiRow, name) for name in (*READ, *extra)]
    stmt = select(*(k.label(f"key_{i}") for i, k in enumerate(keys)), *columns)
    return restricted(stmt.select_from(KienNghiRow), HANDLING, query, filters, facts)


def judged(
    session: Session, query: ReportQuery, calendar: WorkingCalendar, names: list[str]
) -> Iterator[Judged]:
    """Each kiến nghị the query asks for, but merged duplicates, judged on the report's day."""
    day = report_day(query)
    for record in session.execute(statement(query, names)):
        judgement = judge(record, day, calendar)
        if judgement is not None:
            key = tuple(record[: len(names)])
            yield Judged(key, record.id, judgement)


def _ordered(key: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple((value is None, value) for value in key)


def handling_report(
    session: Session, query: ReportQuery, catalog: UnitCatalog, calendar: WorkingCalendar
) -> dict[str, Any]:
    names = grouping_names(query)
    groups: dict[tuple[Any, ...], list[Judgement]] = defaultdict(list)
    everything: list[Judgement] = []
    for one in judged(session, query, calendar, names):
        everything.append(one.judgement)
        if names:
            groups[one.key].append(one.judgement)
    rows = [
        {**grouped_row(names, key, HANDLING.dimensions, query, catalog), **figures(members)}
        for key, members in sorted(groups.items(), key=lambda group: _ordered(group[0]))
    ]
    return report_body(HANDLING.name, query, rows, figures(everything))
