"""Report cubes: pre-aggregated read models, so that a nationwide report reads thousands of rows
instead of millions of facts.

A cube counts the rows of one report source (current versions only, for versioned ones) by month,
province (as recorded and rolled up onto 2025) and at most one more key: the district or one of
the source's dimensions (more keys together would leave hardly fewer rows than facts); nationwide
cubes count by month and at most one dimension, for reports of the whole country (a report reads
the first cube that has every column it needs). Figures are pre-summed components (what each fact
adds to each figure), so the same metric reads the facts or a cube (see reports.engine.Columns).
Reports by commune, over part of a month, or as of a past moment for versioned sources, read the
facts.

A cube is kept exact by deltas: as the follower writes a batch it adds, in the same transaction,
the counts of the facts the batch makes current and subtracts those of the versions it closes
(rows keyed like the rest; a report sums them). When the follower is idle, and every so often
under load, it compacts the partitions it touched (a province and a month; for a nationwide cube,
the month): their rows summed by key, one row per key as a full fill makes them; a rebuild fills
every cube once at the end. A cube's content is therefore its sums by key (Cube.summed), not its
rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from sqlalchemy import (
    ARRAY,
    Column,
    Connection,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    and_,
    any_,
    bindparam,
    case,
    cast,
    delete,
    extract,
    func,
    insert,
    literal_column,
    or_,
    select,
    tuple_,
)
from sqlalchemy.orm import QueryableAttribute
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

DELTA_CHUNK = 2000  # records per array (PostgreSQL)
# SQLite: a batch's records whose counts change (a temporary table of each connection)
DELTA_RECORDS = Table("delta_records", MetaData(), Column("record", String, primary_key=True))
COMPACT_CHUNK = 500  # partitions compacted per statement
Partition = tuple[str, int]  # (province_code, month key: year * 100 + month)
# what a cube keeps: an expression, or a mapped class's column as such (ModelFact.sector)
Feature = ColumnElement[Any] | QueryableAttribute[Any]


def month_key(day: Any) -> ColumnElement[int]:
    return cast(extract("year", day), Integer) * 100 + cast(extract("month", day), Integer)


def month_of(day: date) -> int:
    return day.year * 100 + day.month


def nation_features(table: Any) -> dict[str, ColumnElement[Any]]:
    """What a nationwide report needs of where a fact counts."""
    return {"rollable": table.unit_2025_code.is_not(None)}  # can be rolled up onto 2025


def unit_features(table: Any) -> dict[str, ColumnElement[Any]]:
    """Where a fact counts, down to the province (recorded, and rolled up onto 2025)."""
    return {
        **nation_features(table),
        "unit_structure": table.unit_structure,
        "level": table.level,
        "province_code": table.province_code,
        "level_2025": table.level_2025,
        "province_2025_code": table.province_2025_code,
    }


def one_if(condition: Any) -> ColumnElement[int]:
    return case((condition, 1), else_=0)


@dataclass(frozen=True)
class Counted:
    """A report source's facts and what its cubes keep of them.

    components: what a fact adds to each figure (summed by a report, pre-summed by a cube);
    keys: kept by every cube besides month and units; dimensions: each has a cube of its own
    (one more key), and so has the district.
    """

    name: str
    fact: Any  # the mapped class
    date_column: Any
    components: dict[str, ColumnElement[Any]]
    dimensions: dict[str, Feature]
    keys: dict[str, ColumnElement[Any]] = field(default_factory=dict)
    joins: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # a dimension's (table, on)
    # append-only facts: when each was recorded, so that a report as of a past moment reads
    # the cubes for the months recorded before that moment's and the facts after (engine.py)
    recorded: Any = None
    cubes: tuple[Cube, ...] = field(init=False)

    def __post_init__(self) -> None:
        recorded = {} if self.recorded is None else {"recorded_month": month_key(self.recorded)}
        base = {**unit_features(self.fact), **self.keys, **recorded}
        extra = {"district_code": self.fact.district_code, **self.dimensions}
        # nationwide: no province, no level (the engine reads the first cube that can answer)
        nation = {**nation_features(self.fact), **self.keys, **recorded}
        by_unit = Cube(self.name, self, base)
        by_unit_and = {
            n: Cube(f"{self.name}_by_{n}", self, {**base, n: e}) for n, e in extra.items()
        }
        # each nationwide cube's keys are among a cube by unit's: a rebuild sums that one's rows
        cubes = [Cube(f"{self.name}_nation", self, nation, finer=by_unit)]
        cubes += [
            Cube(f"{self.name}_nation_by_{n}", self, {**nation, n: e}, finer=by_unit_and[n])
            for n, e in self.dimensions.items()
        ]
        cubes += [by_unit, *by_unit_and.values()]
        object.__setattr__(self, "cubes", tuple(cubes))

    @property
    def table(self) -> Table:
        table: Table = self.fact.__table__
        return table

    @cached_property  # read for every changed row of a batch
    def record(self) -> Any:
        """What names a fact (event_id), or a versioned record (id: its current version is the
        one counted)."""
        return next(iter(self.table.primary_key.columns))

    def add(self, connection: Connection, records: list[Any], sign: int) -> None:
        """Adds (sign 1) or subtracts (-1) the counts of these facts, or of these records'
        current versions."""
        unique = list(dict.fromkeys(records))
        if connection.dialect.name != "postgresql":
            self._add_through_temporary_table(connection, unique, sign)
            return
        for start in range(0, len(unique), DELTA_CHUNK):
            chunk = unique[start : start + DELTA_CHUNK]
            connection.execute(self.deltas_at_once[sign], {"records": chunk})

    def _add_through_temporary_table(
        self, connection: Connection, records: list[Any], sign: int
    ) -> None:
        """SQLite: the records into a temporary table once, then each cube's delta reads them
        from it: statements made once, rather than an IN list of thousands rendered and
        compiled again for every cube of every batch."""
        connection.exec_driver_sql(
            f"CREATE TEMP TABLE IF NOT EXISTS {DELTA_RECORDS.name} (record PRIMARY KEY)"
        )
        connection.execute(delete(DELTA_RECORDS))
        connection.execute(insert(DELTA_RECORDS), [{"record": r} for r in records])
        for statement in self.deltas_from_temporary_table[sign]:
            connection.execute(statement)
        connection.execute(delete(DELTA_RECORDS))

    @cached_property
    def deltas_from_temporary_table(self) -> dict[int, list[Any]]:
        chosen = self.record.in_(select(DELTA_RECORDS.c.record))
        return {sign: [cube.delta(chosen, sign) for cube in self.cubes] for sign in (1, -1)}

    @cached_property
    def deltas_at_once(self) -> dict[int, Any]:
        """PostgreSQL, by sign: one statement giving every cube its delta for the facts in the
        array :records, as data-modifying CTEs (each runs once, read or not): one round trip,
        not one per cube. Made once: an array parameter, not an IN list rendered into the SQL,
        keeps its text the same, so SQLAlchemy compiles it once (psycopg still parses its 18 kB at
        every call: it caches only queries under 4 kB)."""
        chosen = self.record == any_(bindparam("records", type_=ARRAY(self.record.type)))
        statements: dict[int, Any] = {}
        for sign in (1, -1):
            ctes = [cube.delta(chosen, sign).cte(f"delta_{n}") for n, cube in enumerate(self.cubes)]
            statements[sign] = select(literal_column("1")).add_cte(*ctes)
        return statements

    def compact(self, connection: Connection, partitions: set[Partition]) -> None:
        ordered = sorted(partitions)
        for start in range(0, len(ordered), COMPACT_CHUNK):  # (a catch-up touches thousands)
            for cube in self.cubes:
                cube.compact(connection, ordered[start : start + COMPACT_CHUNK])


@dataclass(frozen=True)
class Cube:
    name: str
    counted: Counted
    features: Mapping[str, Feature]
    # a cube keeping all of this one's keys and more
    finer: Cube | None = field(default=None, compare=False, repr=False)
    table: Table = field(init=False)

    def __post_init__(self) -> None:
        columns = [Column("month_key", Integer, nullable=False)]
        columns += [Column(name, e.type, nullable=True) for name, e in self.features.items()]
        columns += [Column(name, Integer, nullable=False) for name in self.counted.components]
        partition = ("province_code", "month_key") if self.by_province else ("month_key",)
        table = Table(
            f"cube_{self.name}",
            Base.metadata,
            *columns,
            Index(f"ix_cube_{self.name}_partition", *partition),
        )
        object.__setattr__(self, "table", table)

    @property
    def by_province(self) -> bool:
        """Whether it counts each province apart (else nationwide: a partition is a month)."""
        return "province_code" in self.features

    def counted_rows(self, sign: int = 1) -> Any:
        """The facts it counts, grouped as its rows (sign -1: to subtract)."""
        counted = self.counted
        keys = [month_key(counted.date_column).label("month_key")]
        keys += [e.label(n) for n, e in self.features.items()]
        sums = [
            (func.sum(e) if sign > 0 else -func.sum(e)).label(n)
            for n, e in counted.components.items()
        ]
        query = select(*keys, *sums).select_from(counted.table)
        for name in self.features:
            if name in counted.joins:
                query = query.join(*counted.joins[name])
        if "valid_to" in counted.table.c:
            query = query.where(counted.table.c.valid_to.is_(None))
        return query.group_by(*keys)

    def fill(self, connection: Connection, *, from_finer: bool = False) -> None:
        """Counts it again from the facts, or (from_finer) by summing the rows of the finer
        cube, which must be filled already: a few rows per key instead of every fact."""
        rows = self.counted_rows() if self.finer is None or not from_finer else self.rolled_up()
        connection.execute(delete(self.table))
        connection.execute(insert(self.table).from_select(self._names(), rows))

    def rolled_up(self) -> Any:
        """Its rows as the sums of the finer cube's rows."""
        assert self.finer is not None
        finer = self.finer.table
        keys = [finer.c.month_key, *(finer.c[n] for n in self.features)]
        sums = [func.sum(finer.c[n]) for n in self.counted.components]
        return select(*keys, *sums).group_by(*keys)

    def compact(self, connection: Connection, partitions: list[Partition]) -> None:
        """Leaves one row per key in these partitions (nationwide: their months), the sum of
        its rows: what a fill would count, at the cost of the partitions' rows, not their
        facts."""
        if self.by_province:
            keys = tuple_(self.table.c.province_code, self.table.c.month_key)
            chosen = keys.in_(partitions)
        else:
            chosen = self.table.c.month_key.in_(sorted({month for _, month in partitions}))
        summed = connection.execute(self.summed().where(chosen)).all()
        connection.execute(delete(self.table).where(chosen))
        if summed:
            rows = [dict(zip(self._names(), row, strict=True)) for row in summed]
            connection.execute(insert(self.table), rows)

    def delta(self, chosen: Any, sign: int) -> Any:
        """The INSERT of these facts' counts (sign -1: subtracted) as rows of this cube."""
        rows = self.counted_rows(sign).where(chosen)
        return insert(self.table).from_select(self._names(), rows)

    def summed(self) -> Any:
        """Its content: the sums of its rows by key, keys whose facts all went left out."""
        keys = [self.table.c.month_key, *(self.table.c[n] for n in self.features)]
        sums = [func.sum(self.table.c[n]) for n in self.counted.components]
        return select(*keys, *sums).group_by(*keys).having(self.any_fact())

    def any_fact(self) -> Any:
        """A group of its rows that still counts some fact: every fact adds to some component,
        and a key whose facts all went (deltas) sums to zero in each."""
        return or_(*(func.sum(self.table.c[n]) != 0 for n in self.counted.components))

    def _names(self) -> list[str]:
        return ["month_key", *self.features, *self.counted.components]


MODEL_KINDS = ("registered", "progress", "recognised", "commended", "replicated", "discontinued")
MODELS = Counted(
    "models",
    ModelFact,
    ModelFact.occurred_on,
    components={kind: one_if(ModelFact.kind == kind) for kind in MODEL_KINDS},
    dimensions={
        "sector": ModelFact.sector,
        "model_year": ModelFact.model_year,
        "field": ModelFieldRow.field,  # a model counts once in each of its fields
    },
    joins={"field": (ModelFieldRow, ModelFieldRow.model_id == ModelFact.model_id)},
    recorded=ModelFact.recorded_at,
)
_d = DialogueFact
DIALOGUES = Counted(
    "dialogues",
    DialogueFact,
    DialogueFact.occurred_on,
    components={
        **{kind: one_if(_d.kind == kind) for kind in ("held", "scheduled", "cancelled")},
        "participants": func.coalesce(_d.participants, 0),
    },
    dimensions={"dialogue_kind": _d.dialogue_kind, "host_body": _d.host_body},
    recorded=_d.recorded_at,
)
_s = SupervisionRow
SUPERVISIONS = Counted(
    "supervisions",
    SupervisionRow,
    SupervisionRow.started_on,
    components={
        "activities": literal_column("1"),
        "with_findings": one_if(_s.findings > 0),
        "with_violation_signs": one_if(_s.violation_signs),
        "recommended": one_if(_s.recommended),
        # every kiến nghị its recommendations opened is resolved
        "resolved": one_if(
            and_(
                _s.recommended,
                _s.kien_nghi_opened > 0,
                _s.kien_nghi_resolved == _s.kien_nghi_opened,
            )
        ),
        "concluded": one_if(_s.concluded_on.is_not(None)),
    },
    dimensions={"kind": _s.kind, "body": _s.body},
)
_k = KienNghiRow
# (or_, not in_: an IN list is expanded per statement, and a recount runs executemany)
_open = or_(*(_k.status == s for s in KIEN_NGHI_OPEN))
_resolved = _k.status == "resolved"
KIEN_NGHI = Counted(
    "kien_nghi",
    KienNghiRow,
    KienNghiRow.received_on,
    components={
        "received": literal_column("1"),
        "assigned": one_if(_k.agency.is_not(None)),
        "answered": one_if(_k.answered_on.is_not(None)),
        "resolved": one_if(_resolved),
        "declined": one_if(_k.status == "declined"),
        "open": one_if(_open),
        "resolved_on_time": one_if(and_(_resolved, _k.resolved_on <= _k.due_on)),
        "resolved_late": one_if(and_(_resolved, _k.resolved_on > _k.due_on)),
        "reopened": one_if(_k.reopened > 0),
        "rated": one_if(_k.rating.is_not(None)),
        "rating_sum": func.coalesce(_k.rating, 0),
    },
    # overdue depends on the day a report asks: keep the due month of the open ones (those due
    # in that day's month are counted from the facts: reports.sources.KIEN_NGHI's remainder)
    keys={"open_due_month": case((_open, month_key(_k.due_on)))},
    dimensions={
        "category": _k.category,
        "agency": _k.agency,
        "source": _k.source,
        "status": _k.status,
    },
)
AWARDS = Counted(
    "awards",
    AwardFact,
    AwardFact.occurred_on,
    components={"conferred": literal_column("1")},
    dimensions={
        "award": AwardFact.award,
        "recipient_kind": AwardFact.recipient_kind,
        "conferred_by": AwardFact.conferred_by,
    },
    recorded=AwardFact.recorded_at,
)

SOURCES = (MODELS, DIALOGUES, SUPERVISIONS, KIEN_NGHI, AWARDS)
CUBES = tuple(cube for source in SOURCES for cube in source.cubes)
BY_TABLE = {source.table: source for source in SOURCES}  # the tables cubes count


# the cubes counted from the facts, then those summed from them
FILL_WAVES = (
    tuple(cube for cube in CUBES if cube.finer is None),
    tuple(cube for cube in CUBES if cube.finer is not None),
)


def fill_all(connection: Connection) -> None:
    for wave in FILL_WAVES:
        for cube in wave:
            fill_from_finer(cube, connection)


def fill_from_finer(cube: Cube, connection: Connection) -> None:
    cube.fill(connection, from_finer=True)


def compact(connection: Connection, touched: dict[Table, set[Partition]]) -> None:
    for table, partitions in touched.items():
        BY_TABLE[table].compact(connection, partitions)


def partition_of(table: Table, row: dict[str, Any]) -> Partition:
    """The partition of a row of a table cubes count."""
    day = row[BY_TABLE[table].date_column.name]
    return (row["province_code"], month_of(day))
