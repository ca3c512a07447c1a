"""One way to answer every report: count a source's rows by dimensions over a period.

A source names its table, the date a row counts on, its dimensions (each with the column in
the structure a record was made in and the column rolled up onto the 2025 units), its metrics
and which of its rows stood at a moment. Reports never write.

As of a moment (ReportQuery.as_of) a report counts what had been recorded by then: facts
recorded by then, and of versioned rows the versions in force then; "today" (overdue) is that
moment's date.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from operator import attrgetter
from typing import Any

from sqlalchemy import Select, false, func, or_, select, union_all
from sqlalchemy.orm import Session
from sqlalchemy.sql.base import ReadOnlyColumnCollection
from sqlalchemy.sql.elements import ColumnElement

from services.aggregator.cubes import Counted, Cube, month_key, month_of, unit_features
from shared.errors import InvalidInput
from shared.periods import Period
from shared.units import UnitCatalog
from shared.vietnam_time import today_in_vietnam

UNIT_DIMENSIONS = ("unit", "province", "district")


class Missing(AttributeError):
    """A column the rows a report reads from do not have (a cube has no commune)."""


class Columns:
    """What a report reads: the facts' columns and features, or a cube's; `n` is how many facts
    a row stands for (one fact; a cube row's count), so a metric is written once for both."""

    def __init__(
        self,
        columns: Mapping[str, Any] | ReadOnlyColumnCollection[str, Any],
        *,
        cube: Cube | None = None,
    ) -> None:
        self._columns = columns
        self.cube = cube

    def __getattr__(self, name: str) -> Any:
        try:
            return self._columns[name]
        except KeyError:
            raise Missing(name) from None


@dataclass(frozen=True)
class Dimension:
    column: Callable[[Columns], Any]
    rolled: Callable[[Columns], Any] | None = None  # in the 2025 structure; None: same as column
    join: tuple[Any, Any] | None = None  # (table, on clause) the facts need for the column
    label: Callable[[Any], Any] | None = None  # presentation of a grouped value
    parse: Callable[[str], Any] = str  # a filter's text to the column's value
    recorded_only: bool = False  # no meaning after the reform (districts)

    def pick(self, r: Columns, rolled: bool) -> Any:
        """Its column among these, rolled up onto the 2025 units or as recorded."""
        return (self.rolled if rolled and self.rolled is not None else self.column)(r)


@dataclass(frozen=True)
class ReportQuery:
    group_by: tuple[str, ...] = ()
    period: Period | None = None
    structure: str = "recorded"  # or "2025": rolled up onto the 2025 units
    filters: dict[str, str] = field(default_factory=dict)
    today: date = field(default_factory=today_in_vietnam)
    scope: tuple[str, ...] | None = None  # an officer's units; None: everything
    as_of: datetime | None = None  # as recorded at this moment (aware); None: as now


@dataclass(frozen=True)
class Remainder:
    """What a cube, counting whole months, cannot tell of a figure that depends on the day a
    report asks (overdue): counted from the facts (those `where` picks) and added to the cube's."""

    where: Callable[[ReportQuery, Columns], Any]
    metrics: Callable[[ReportQuery, Columns], dict[str, ColumnElement[Any]]]


@dataclass(frozen=True)
class Source:
    name: str
    counted: Counted  # its facts and cubes
    dimensions: dict[str, Dimension]
    metrics: Callable[[ReportQuery, Columns], dict[str, ColumnElement[Any]]]
    # the rows that stood at a moment (UTC), or as now for None: a where clause, or None for all
    at: Callable[[datetime | None], Any]
    remainder: Remainder | None = None

    @property
    def table(self) -> Any:
        return self.counted.table

    @property
    def date_column(self) -> Any:
        return self.counted.date_column

    def facts(self) -> Columns:
        counted = self.counted
        columns: dict[str, Any] = dict(counted.table.c)
        columns.update(unit_features(counted.fact))
        columns.update(counted.keys)
        columns.update(counted.dimensions)
        columns.update(counted.components)
        columns["month_key"] = month_key(counted.date_column)
        return Columns(columns)


def recorded_by(column: Any) -> Callable[[datetime | None], Any]:
    """For append-only facts: those recorded by the moment."""
    return lambda as_of: None if as_of is None else column <= as_of


def in_utc(moment: datetime) -> datetime:
    """The moment to compare with stored timestamps (SQLite keeps them as UTC, no zone)."""
    return moment.astimezone(UTC)


def _year(r: Columns) -> Any:
    return r.month_key // 100


TIME_DIMENSIONS = {
    "year": Dimension(_year, parse=int),
    "quarter": Dimension(
        lambda r: _year(r) * 10 + (r.month_key % 100 + 2) // 3,
        label=lambda v: f"{v // 10}-Q{v % 10}",
    ),
    "month": Dimension(attrgetter("month_key"), label=lambda v: f"{v // 100}-{v % 100:02d}"),
}

UNIT_DIMENSION_COLUMNS = {
    "level": Dimension(attrgetter("level"), attrgetter("level_2025")),
    "unit": Dimension(attrgetter("unit_code"), attrgetter("unit_2025_code")),
    "province": Dimension(attrgetter("province_code"), attrgetter("province_2025_code")),
    "district": Dimension(attrgetter("district_code"), recorded_only=True),
}


def run_report(
    session: Session,
    source: Source,
    query: ReportQuery,
    catalog: UnitCatalog,
    *,
    cubes: bool = True,  # False: from the facts alone (what the cubes are checked against)
) -> dict[str, Any]:
    filters = checked_filters(source.dimensions, query)
    metrics = source.metrics(query, source.facts())  # their names
    names = grouping_names(query)
    rows = []
    records, total = _answer(session, source, query, filters, names, cubes)
    for record in records:
        row = grouped_row(names, record, source.dimensions, query, catalog)
        row.update(_metrics(record[len(names) :], metrics))
        rows.append(row)
    return report_body(source.name, query, rows, _metrics(total, metrics))


def report_body(
    name: str, query: ReportQuery, rows: list[dict[str, Any]], total: dict[str, Any]
) -> dict[str, Any]:
    report: dict[str, Any] = {
        "report": name,
        "group_by": list(query.group_by),
        "structure": query.structure,
        "period": query.period.as_json() if query.period else None,
        "filters": query.filters,
        "rows": rows,
        "total": total,
    }
    if query.as_of is not None:
        report["as_of"] = query.as_of
    return report


def checked_filters(dimensions: Mapping[str, Dimension], query: ReportQuery) -> dict[str, Any]:
    """The query's filters as their dimensions' values; 422 naming a dimension these have not
    (in group_by or as a filter), or a filter value not of its dimension's type."""
    rolled = query.structure == "2025"
    for name in (*query.group_by, *query.filters):
        dimension = dimensions.get(name)
        if dimension is None or (rolled and dimension.recorded_only):
            allowed = [n for n, d in dimensions.items() if not (rolled and d.recorded_only)]
            raise InvalidInput(
                "group_by_unknown",
                field="group_by" if name in query.group_by else name,
                value=name,
                allowed=", ".join(allowed),
            )
    filters = {}
    for name, text in query.filters.items():
        try:
            filters[name] = dimensions[name].parse(text)
        except ValueError:
            raise InvalidInput("invalid_input", field=name) from None
    return filters


def grouped_row(
    names: list[str],
    record: Any,
    dimensions: Mapping[str, Dimension],
    query: ReportQuery,
    catalog: UnitCatalog,
) -> dict[str, Any]:
    """A report row's keys: each dimension's value as shown, a unit's name beside its code."""
    rolled = query.structure == "2025"
    row = dict(zip(names, record[: len(names)], strict=True))
    for name in query.group_by:
        label = dimensions[name].label
        if label is not None and row[name] is not None:
            row[name] = label(row[name])
        if name in UNIT_DIMENSIONS and row[name] is not None:
            unit = catalog.get("2025" if rolled else row["unit_structure"], row[name])
            row[f"{name}_name"] = unit.name if unit else None
    return row


def grouping_names(query: ReportQuery) -> list[str]:
    """The columns a report groups by: its dimensions, and the unit structure where a unit
    code is among them as recorded (the same code names different units before and after the
    reform)."""
    names = list(query.group_by)
    if query.structure != "2025" and any(name in UNIT_DIMENSIONS for name in query.group_by):
        names.insert(0, "unit_structure")
    return names


def _answer(
    session: Session,
    source: Source,
    query: ReportQuery,
    filters: dict[str, Any],
    names: list[str],
    cubes: bool,
) -> tuple[list[Any], Any]:
    """The report's rows grouped by these names and its total row, each from the first cube
    that has every column it needs, else from the facts."""
    rows = _records(session, source, query, filters, names, cubes)
    if not names:  # the one row is the total
        return rows, rows[0]
    # (a total by GROUPING SETS in the same scan was slower on PostgreSQL: it runs unparallel)
    return rows, _records(session, source, query, filters, [], cubes)[0]


def _records(
    session: Session,
    source: Source,
    query: ReportQuery,
    filters: dict[str, Any],
    names: list[str],
    cubes: bool,
) -> list[list[Any]]:
    statement, from_cube = _first_statement(source, query, filters, names, cubes)
    rows = [list(record) for record in session.execute(statement)]
    if from_cube and source.remainder is not None:
        _add_remainder(session, source, query, filters, names, rows)
    return rows


def _add_remainder(
    session: Session,
    source: Source,
    query: ReportQuery,
    filters: dict[str, Any],
    names: list[str],
    rows: list[list[Any]],
) -> None:
    """Adds to a cube's rows what its whole months leave out (Source.remainder)."""
    assert source.remainder is not None
    facts = source.facts()
    metrics = source.remainder.metrics(query, facts)
    statement = _statement(source, query, filters, names, facts, source.table, metrics)
    statement = statement.where(source.remainder.where(query, facts))
    positions = [len(names) + list(source.metrics(query, facts)).index(n) for n in metrics]
    by_key = {tuple(row[: len(names)]): row for row in rows}
    for record in session.execute(statement):
        row = by_key[tuple(record[: len(names)])]  # (the cube's row counts these as open)
        for position, value in zip(positions, record[len(names) :], strict=True):
            row[position] = (row[position] or 0) + value


def _first_statement(
    source: Source, query: ReportQuery, filters: dict[str, Any], names: list[str], cubes: bool
) -> tuple[Select[Any], bool]:
    """The statement over the first cube that has every column the query needs, else over the
    facts; and whether it reads a cube."""
    for r, table in _readable(source, query, cubes):
        try:
            statement = _statement(source, query, filters, names, r, table)
        except Missing:
            continue
        if r.cube and query.as_of is not None:
            return _with_recent_facts(source, query, filters, names, statement), True
        return statement, r.cube is not None
    raise AssertionError("the facts have every column")  # pragma: no cover


def _with_recent_facts(
    source: Source,
    query: ReportQuery,
    filters: dict[str, Any],
    names: list[str],
    from_cube: Select[Any],
) -> Select[Any]:
    """As of a moment: a cube's months recorded before that moment's, with the facts recorded
    since the start of its month (in UTC) added."""
    assert query.as_of is not None
    since = _month_start(in_utc(query.as_of))
    facts = _statement(source, query, filters, names, source.facts(), source.table)
    tail = facts.where(source.counted.recorded >= since)
    both = union_all(from_cube.order_by(None), tail.order_by(None)).subquery()
    keys = [both.c[name] for name in names]
    metrics = source.metrics(query, source.facts())
    sums = [func.coalesce(func.sum(both.c[n]), 0).label(n) for n in metrics]
    merged = select(*keys, *sums)
    return merged.group_by(*keys).order_by(*keys) if keys else merged


def _month_start(moment: datetime) -> datetime:
    return moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _readable(source: Source, query: ReportQuery, cubes: bool) -> Iterator[tuple[Columns, Any]]:
    """The cubes, where they can answer (whole months, scopes of provinces and districts, as
    now or for facts that know when they were recorded), then the facts."""
    period = query.period
    whole_months = period is None or (
        period.start.day == 1 and (period.end + timedelta(days=1)).day == 1
    )
    # codes of two and three digits are provinces and districts; communes have five
    scope_in_cube = query.scope is None or all(len(code) <= 3 for code in query.scope)
    # as of a moment: the cubes of facts that know when they were recorded (see _select)
    now_or_recorded = query.as_of is None or source.counted.recorded is not None
    if cubes and now_or_recorded and whole_months and scope_in_cube:
        for cube in source.counted.cubes:
            yield Columns(cube.table.c, cube=cube), cube.table
    yield source.facts(), source.table


def _statement(
    source: Source,
    query: ReportQuery,
    filters: dict[str, Any],
    names: list[str],
    r: Columns,
    table: Any,
    metrics: dict[str, ColumnElement[Any]] | None = None,  # default: the source's
) -> Select[Any]:
    rolled = query.structure == "2025"

    def column(name: str) -> Any:
        if name == "unit_structure":
            return r.unit_structure
        return source.dimensions[name].pick(r, rolled)

    keys = [column(name).label(name) for name in names]
    if metrics is None:
        metrics = source.metrics(query, r)
    stmt = select(*keys, *(m.label(n) for n, m in metrics.items())).select_from(table)
    stmt = restricted(stmt, source, query, filters, r)
    if not keys:
        return stmt
    stmt = stmt.group_by(*keys).order_by(*keys)
    return stmt.having(r.cube.any_fact()) if r.cube else stmt


def restricted(
    stmt: Select[Any],
    source: Source,
    query: ReportQuery,
    filters: dict[str, Any],
    r: Columns,
) -> Select[Any]:
    """The statement over a source's facts (or a cube) limited to what the query asks: its
    period, structure, scope, moment and filters, with the joins its dimensions need."""
    rolled = query.structure == "2025"
    if not r.cube:
        joined = set()
        for name in (*query.group_by, *query.filters):
            join = source.dimensions[name].join
            if join is not None and id(join[0]) not in joined:
                joined.add(id(join[0]))
                stmt = stmt.join(*join)
    if query.period is not None:
        start, end = query.period.start, query.period.end
        if r.cube:
            stmt = stmt.where(r.month_key.between(month_of(start), month_of(end)))
        else:
            stmt = stmt.where(source.date_column.between(start, end))
    if rolled:
        stmt = stmt.where(r.rollable)
    if query.scope is not None:
        stmt = stmt.where(in_scope(r, query.scope, _cube_scope(query.scope) if r.cube else SCOPE))
    as_of = in_utc(query.as_of) if query.as_of is not None else None
    if r.cube and as_of is not None:  # the months recorded before the moment's (see _select)
        stmt = stmt.where(r.recorded_month < month_of(as_of))
    elif not r.cube and (standing := source.at(as_of)) is not None:
        stmt = stmt.where(standing)
    for name, value in filters.items():
        stmt = stmt.where(source.dimensions[name].pick(r, rolled) == value)
    return stmt


def _metrics(values: Any, metrics: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, int | float | None] = {}
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
    return compared(report, other, against)


def compared(report: dict[str, Any], other: dict[str, Any], against: Period) -> dict[str, Any]:
    """A report with another period's totals beside its own, and each count's ratio to it."""
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


SCOPE = ("unit_code", "district_code", "province_code", "unit_2025_code", "province_2025_code")


def _cube_scope(units: tuple[str, ...]) -> tuple[str, ...]:
    """The columns a cube matches a scope of provinces (two digits) and districts (three) on."""
    provinces = ("province_code", "province_2025_code")
    return provinces if all(len(code) == 2 for code in units) else ("district_code", *provinces)


def in_scope(table: Any, units: tuple[str, ...], columns: tuple[str, ...] = SCOPE) -> Any:
    """Rows of a unit in scope or under one: as recorded, or rolled up onto 2025."""
    return or_(false(), *(getattr(table, c).in_(units) for c in columns)) if units else false()


def total(r: Columns, component: str) -> ColumnElement[Any]:
    """A figure: what every fact adds to it (a cube row: what its facts added)."""
    return func.coalesce(func.sum(getattr(r, component)), 0)
