"""Report cubes: pre-aggregated read models, so that a nationwide report reads thousands of rows
instead of millions of facts.

A cube counts the rows of one report source (current versions only, for versioned ones) by month
and by every feature a report groups, filters or counts on, down to the district; not by commune
(reports by commune, and reports as of a past moment, read the facts). A feature is an expression
over the fact table, so the same metric reads the facts or the cube (see reports.engine.Columns).

A cube is kept per partition, a province and a month: after each batch, the follower recounts
the partitions the batch touched from the facts, with the same GROUP BY a full fill runs, so a
cube always equals the count of its facts; a rebuild fills every cube once at the end.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Index,
    Integer,
    Table,
    and_,
    bindparam,
    case,
    cast,
    delete,
    extract,
    func,
    insert,
    or_,
    select,
)
from sqlalchemy.sql.elements import ColumnElement

from services.aggregator.tables import (
    AwardFact,
    Base,
    DialogueFact,
    KienNghiRow,
    ModelFact,
    ModelFieldRow,
    SupervisionRow,
)

KIEN_NGHI_OPEN = ("received", "assigned", "answered", "reopened")

Partition = tuple[str, int]  # (province_code, month key: year * 100 + month)


def month_key(day: Any) -> ColumnElement[int]:
    return cast(extract("year", day), Integer) * 100 + cast(extract("month", day), Integer)


def month_of(day: date) -> int:
    return day.year * 100 + day.month


def month_bounds(key: int) -> tuple[date, date]:
    """The first day of the month and of the next one."""
    year, month = divmod(key, 100)
    return date(year, month, 1), date(year + month // 12, month % 12 + 1, 1)


def unit_features(table: Any) -> dict[str, ColumnElement[Any]]:
    return {
        "unit_structure": table.unit_structure,
        "level": table.level,
        "province_code": table.province_code,
        "district_code": table.district_code,
        "level_2025": table.level_2025,
        "province_2025_code": table.province_2025_code,
        "rollable": table.unit_2025_code.is_not(None),  # can be rolled up onto 2025
    }


@dataclass(frozen=True)
class Cube:
    name: str
    fact: Any  # the mapped fact class
    date_column: Any
    features: dict[str, ColumnElement[Any]]
    sums: dict[str, ColumnElement[Any]] = field(default_factory=dict)  # besides n, the rows
    join: tuple[Any, Any] | None = None  # (table, on clause) a feature needs
    table: Table = field(init=False)

    def __post_init__(self) -> None:
        columns = [Column("month_key", Integer, nullable=False)]
        columns += [Column(name, e.type, nullable=True) for name, e in self.features.items()]
        columns += [Column(name, Integer, nullable=False) for name in ("n", *self.sums)]
        table = Table(
            f"cube_{self.name}",
            Base.metadata,
            *columns,
            Index(f"ix_cube_{self.name}_partition", "province_code", "month_key"),
        )
        object.__setattr__(self, "table", table)

    @property
    def fact_table(self) -> Table:
        fact_table: Table = self.fact.__table__
        return fact_table

    def counted(self) -> Any:
        """The facts it counts, grouped as its rows."""
        day = self.date_column
        keys = [month_key(day).label("month_key")]
        keys += [e.label(n) for n, e in self.features.items()]
        measures = [func.count().label("n")]
        measures += [func.coalesce(func.sum(e), 0).label(n) for n, e in self.sums.items()]
        query = select(*keys, *measures).select_from(self.fact_table)
        if self.join is not None:
            query = query.join(*self.join)
        if "valid_to" in self.fact_table.c:
            query = query.where(self.fact_table.c.valid_to.is_(None))
        return query.group_by(*keys)

    def fill(self, connection: Connection) -> None:
        connection.execute(delete(self.table))
        connection.execute(insert(self.table).from_select(self._names(), self.counted()))

    def recount(self, connection: Connection, partitions: Iterable[Partition]) -> None:
        params = [
            {"p": province, "m": key, "start": start, "end": end}
            for province, key in sorted(partitions)
            for start, end in [month_bounds(key)]
        ]
        if not params:
            return
        connection.execute(
            delete(self.table).where(
                self.table.c.province_code == bindparam("p"),
                self.table.c.month_key == bindparam("m"),
            ),
            params,
        )
        day = self.date_column
        partition = and_(
            self.fact_table.c.province_code == bindparam("p"),
            day >= bindparam("start"),
            day < bindparam("end"),
        )
        connection.execute(
            insert(self.table).from_select(self._names(), self.counted().where(partition)), params
        )

    def _names(self) -> list[str]:
        return ["month_key", *self.features, "n", *self.sums]


MODEL_FEATURES = {
    **unit_features(ModelFact),
    "kind": ModelFact.kind,
    "sector": ModelFact.sector,
    "model_year": ModelFact.model_year,
}
MODELS = Cube("models", ModelFact, ModelFact.occurred_on, MODEL_FEATURES)
# a model counts once in each of its fields
MODELS_BY_FIELD = Cube(
    "models_by_field",
    ModelFact,
    ModelFact.occurred_on,
    {**MODEL_FEATURES, "field": ModelFieldRow.field},
    join=(ModelFieldRow, ModelFieldRow.model_id == ModelFact.model_id),
)
DIALOGUES = Cube(
    "dialogues",
    DialogueFact,
    DialogueFact.occurred_on,
    {
        **unit_features(DialogueFact),
        "kind": DialogueFact.kind,
        "dialogue_kind": DialogueFact.dialogue_kind,
        "host_body": DialogueFact.host_body,
    },
    sums={"participants": DialogueFact.participants},
)
_s = SupervisionRow
SUPERVISIONS = Cube(
    "supervisions",
    SupervisionRow,
    SupervisionRow.started_on,
    {
        **unit_features(_s),
        "body": _s.body,
        "kind": _s.kind,
        "has_findings": _s.findings > 0,
        "violation_signs": _s.violation_signs,
        "recommended": _s.recommended,
        # every kiến nghị its recommendations opened is resolved
        "kien_nghi_all_resolved": and_(
            _s.recommended, _s.kien_nghi_opened > 0, _s.kien_nghi_resolved == _s.kien_nghi_opened
        ),
        "concluded": _s.concluded_on.is_not(None),
    },
)
_k = KienNghiRow
KIEN_NGHI = Cube(
    "kien_nghi",
    KienNghiRow,
    KienNghiRow.received_on,
    {
        **unit_features(_k),
        "category": _k.category,
        "agency": _k.agency,
        "source": _k.source,
        "status": _k.status,
        "answered": _k.answered_on.is_not(None),
        "timeliness": case(
            (_k.resolved_on <= _k.due_on, "on_time"), (_k.resolved_on > _k.due_on, "late")
        ),
        # overdue depends on the day a report asks: keep the due day of the open ones
        # (or_, not in_: an IN list is expanded per statement, and recount runs executemany)
        "open_due_on": case((or_(*(_k.status == s for s in KIEN_NGHI_OPEN)), _k.due_on)),
        "was_reopened": _k.reopened > 0,
        "rating": _k.rating,
    },
)
AWARDS = Cube(
    "awards",
    AwardFact,
    AwardFact.occurred_on,
    {
        **unit_features(AwardFact),
        "award": AwardFact.award,
        "recipient_kind": AwardFact.recipient_kind,
        "conferred_by": AwardFact.conferred_by,
    },
)

CUBES = (MODELS, MODELS_BY_FIELD, DIALOGUES, SUPERVISIONS, KIEN_NGHI, AWARDS)
CUBED = frozenset(cube.fact_table for cube in CUBES)  # the tables cubes count
DATE_COLUMNS = {cube.fact_table: cube.date_column.name for cube in CUBES}


def cubes_of(table: Table) -> list[Cube]:
    """The cubes a change to this table may change (model_field rows come with their model's
    registration fact, whose partition the batch touches anyway)."""
    return [cube for cube in CUBES if cube.fact_table is table]


def fill_all(connection: Connection) -> None:
    for cube in CUBES:
        cube.fill(connection)


def recount_touched(connection: Connection, touched: dict[Table, set[Partition]]) -> None:
    for table, partitions in touched.items():
        for cube in cubes_of(table):
            cube.recount(connection, partitions)


def partition_of(table: Table, row: dict[str, Any]) -> Partition:
    """The partition of a row of a table in CUBED."""
    day = row[DATE_COLUMNS[table]]
    return (row["province_code"], month_of(day))
