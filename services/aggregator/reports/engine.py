"""One way to answer every report: count a source's rows by dimensions over a period.

A source names its table, the date a row counts on, its dimensions (each with the column in
the structure a record was made in and the column rolled up onto the 2025 units), its metrics
and which of its rows stood at a moment. Reports never write.

As of a moment (ReportQuery.as_of) a report counts what had been recorded by then: facts
recorded by then, and of versioned rows the versions in force then; "today" (overdue) is that
moment's date.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Integer, Select, case, cast, extract, false, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from shared.errors import InvalidInput
from shared.periods import Period
from shared.units import UnitCatalog

UNIT_DIMENSIONS = ("unit", "province", "district")


@dataclass(frozen=True)
class Dimension:
    column: Any
    rolled: Any = None  # the column in the 2025 structure; None: same as column
    join: tuple[Any, Any] | None = None  # (table, on clause) the column needs
    label: Callable[[Any], Any] | None = None  # presentation of a grouped value
    parse: Callable[[str], Any] = str  # a filter's text to the column's value
    recorded_only: bool = False  # no meaning after the reform (districts)


@dataclass(frozen=True)
class ReportQuery:
    group_by: tuple[str, ...] = ()
    period: Period | None = None
    structure: str = "recorded"  # or "2025": rolled up onto the 2025 units
    filters: dict[str, str] = field(default_factory=dict)
    today: date = field(default_factory=date.today)
    scope: tuple[str, ...] | None = None  # an officer's units; None: everything
    as_of: datetime | None = None  # as recorded at this moment (aware); None: as now


@dataclass(frozen=True)
class Source:
    name: str
    table: Any
    date_column: Any
    dimensions: dict[str, Dimension]
    metrics: Callable[[ReportQuery], dict[str, ColumnElement[Any]]]
    rolled_guard: Any  # a row that cannot be rolled up onto 2025 is left out of such reports
    unit_structure: Any
    # the rows that stood at a moment (UTC), or as now for None: a where clause, or None for all
    at: Callable[[datetime | None], Any]


def recorded_by(column: Any) -> Callable[[datetime | None], Any]:
    """For append-only facts: those recorded by the moment."""
    return lambda as_of: None if as_of is None else column <= as_of


def in_utc(moment: datetime) -> datetime:
    """The moment to compare with stored timestamps (SQLite keeps them as UTC, no zone)."""
    return moment.astimezone(UTC)


def time_dimensions(day: Any) -> dict[str, Dimension]:
    year = cast(extract("year", day), Integer)
    month = cast(extract("month", day), Integer)
    return {
        "year": Dimension(year, parse=int),
        "quarter": Dimension(year * 10 + (month + 2) / 3, label=lambda v: f"{v // 10}-Q{v % 10}"),
        "month": Dimension(year * 100 + month, label=lambda v: f"{v // 100}-{v % 100:02d}"),
    }


def unit_dimensions(table: Any) -> dict[str, Dimension]:
    return {
        "level": Dimension(table.level, table.level_2025),
        "unit": Dimension(table.unit_code, table.unit_2025_code),
        "province": Dimension(table.province_code, table.province_2025_code),
        "district": Dimension(table.district_code, recorded_only=True),
    }


def run_report(
    session: Session, source: Source, query: ReportQuery, catalog: UnitCatalog
) -> dict[str, Any]:
    rolled = query.structure == "2025"
    for name in (*query.group_by, *query.filters):
        dimension = source.dimensions.get(name)
        if dimension is None or (rolled and dimension.recorded_only):
            allowed = [n for n, d in source.dimensions.items() if not (rolled and d.recorded_only)]
            raise InvalidInput(
                "group_by_unknown",
                field="group_by" if name in query.group_by else name,
                value=name,
                allowed=", ".join(allowed),
            )
    metrics = source.metrics(query)
    as_of = in_utc(query.as_of) if query.as_of is not None else None

    def column(name: str) -> Any:
        dimension = source.dimensions[name]
        return dimension.rolled if rolled and dimension.rolled is not None else dimension.column

    keys = [column(name).label(name) for name in query.group_by]
    if not rolled and any(name in UNIT_DIMENSIONS for name in query.group_by):
        # the same code names different units before and after the reform
        keys.insert(0, source.unit_structure.label("unit_structure"))

    def statement(*group: Any) -> Select[Any]:
        stmt = select(*group, *(m.label(n) for n, m in metrics.items())).select_from(source.table)
        joined = set()
        for name in (*query.group_by, *query.filters):
            join = source.dimensions[name].join
            if join is not None and id(join[0]) not in joined:
                joined.add(id(join[0]))
                stmt = stmt.join(*join)
        if query.period is not None:
            stmt = stmt.where(source.date_column.between(query.period.start, query.period.end))
        if rolled:
            stmt = stmt.where(source.rolled_guard.is_not(None))
        if query.scope is not None:
            stmt = stmt.where(in_scope(source.table, query.scope))
        if (standing := source.at(as_of)) is not None:
            stmt = stmt.where(standing)
        for name, text in query.filters.items():
            try:
                value = source.dimensions[name].parse(text)
            except ValueError:
                raise InvalidInput("invalid_input", field=name) from None
            stmt = stmt.where(column(name) == value)
        return stmt.group_by(*group) if group else stmt

    names = [k.name for k in keys]
    rows = []
    records = session.execute(statement(*keys).order_by(*keys)).all()
    for record in records:
        row = dict(zip(names, record[: len(names)], strict=True))
        for name in query.group_by:
            label = source.dimensions[name].label
            if label is not None and row[name] is not None:
                row[name] = label(row[name])
            if name in UNIT_DIMENSIONS and row[name] is not None:
                unit = catalog.get("2025" if rolled else row["unit_structure"], row[name])
                row[f"{name}_name"] = unit.name if unit else None
        row.update(_metrics(record[len(names) :], metrics))
        rows.append(row)
    # ungrouped, the one row is already the total: no second scan
    total = records[0] if not keys else session.execute(statement()).one()
    report: dict[str, Any] = {
        "report": source.name,
        "group_by": list(query.group_by),
        "structure": query.structure,
        "period": query.period.as_json() if query.period else None,
        "filters": query.filters,
        "rows": rows,
        "total": _metrics(total, metrics),
    }
    if query.as_of is not None:
        report["as_of"] = query.as_of
    return report


def _metrics(values: Any, metrics: dict[str, Any]) -> dict[str, Any]:
    result = {}
    for name, value in zip(metrics, values, strict=True):
        if value is None:
            result[name] = None if name.startswith("average") else 0
        elif name.startswith("average"):
            result[name] = round(float(value), 4)
        else:
            result[name] = int(value)
    return result


def compare(
    session: Session,
    source: Source,
    query: ReportQuery,
    against: Period,
    catalog: UnitCatalog,
) -> dict[str, Any]:
    """The report for its period, the same for another period, and each total's ratio."""
    report = run_report(session, source, query, catalog)
    other = run_report(
        session,
        source,
        replace(query, group_by=(), period=against),
        catalog,
    )
    report["compare"] = {
        "period": against.as_json(),
        "total": other["total"],
        "ratio": {
            name: (value / other["total"][name]) if other["total"][name] else None
            for name, value in report["total"].items()
            if isinstance(value, int)
        },
    }
    return report


def in_scope(table: Any, units: tuple[str, ...]) -> Any:
    """Rows of a unit in scope or under one: as recorded, or rolled up onto 2025."""
    columns = (
        "unit_code",
        "district_code",
        "province_code",
        "unit_2025_code",
        "province_2025_code",
    )
    return or_(false(), *(getattr(table, c).in_(units) for c in columns)) if units else false()


def count_where(condition: Any, distinct_on: Any = None) -> ColumnElement[Any]:
    """How many rows meet the condition (distinct on a key when a join may repeat rows)."""
    if distinct_on is not None:
        return func.count(func.distinct(case((condition, distinct_on))))
    return func.sum(case((condition, 1), else_=0))
