"""What one batch of feed items does to the read models, as plain row values; versions.

Projections make rows as dicts (column name → value) and change the records they look up
through a Changes buffer; at the end of the batch it writes everything with one statement per
table and kind of change (executemany, or COPY on PostgreSQL), in the caller's transaction. The
records a batch touches are read beforehand in one query per table (prefetch); a record not
prefetched is read on first use. Every change of a record in the batch goes through the buffer,
so a record it has not read stands in the database as it stood before the batch.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Table, and_, bindparam, delete, insert, select, update

from services.aggregator.cubes import BY_TABLE, Partition, partition_of
from services.aggregator.moments import IN_STORE_AT, in_store_at
from services.aggregator.tables import (
    DialogueRow,
    KienNghiRow,
    ModelPresence,
    ModelRow,
    SearchEntry,
    SupervisionRow,
)
from shared.events import FeedItem, position_of

Item = FeedItem
Row = dict[str, Any]

# the records projections look up: by which column, and whether one key has many current rows
LOOKUP: dict[type, str] = {
    ModelRow: "id",
    DialogueRow: "id",
    SupervisionRow: "id",
    KienNghiRow: "id",
    ModelPresence: "model_id",
    SearchEntry: "id",
}
MANY = frozenset({ModelPresence})
CHUNK = 5000  # keys per IN (...) query


def table_of(kind: type) -> Table:
    table: Table = kind.__table__  # type: ignore[attr-defined]  # a mapped class's, set by SQLAlchemy
    return table


class Changes:
    """One batch's new rows and changed records, written by flush()."""

    def __init__(self, connection: Connection, *, keep_cubes: bool = True) -> None:
        self.connection = connection
        self.keep_cubes = keep_cubes  # off while rebuilding: the cubes are filled at the end
        self.touched: dict[Table, set[Partition]] = defaultdict(set)  # cube partitions
        self.inserts: dict[Table, list[Row]] = defaultdict(list)
        self.found: dict[tuple[type, str], Any] = {}  # (kind, key) → row, [rows] or None
        self.stored: list[tuple[Table, Row, tuple[Any, ...]]] = []  # read, with values then
        self.removed: dict[Table, list[Row]] = defaultdict(list)  # stored rows to delete

    # making and finding rows

    def add(self, kind: type, row: Row, key: str | None = None) -> Row:
        """A new row; with a key, the record's current row from now on."""
        self.inserts[table_of(kind)].append(row)
        if key is not None:
            if kind in MANY:
                self.members(kind, key).append(row)
            else:
                self.found[(kind, key)] = row
        return row

    def start(self, kind: type, key: str) -> None:
        """A record created by this batch: nothing of it stands in the database yet."""
        self.found[(kind, key)] = [] if kind in MANY else None

    def get(self, kind: type, key: str) -> Row:
        """The row (of a versioned table: the current version) of a record, by its key."""
        if (kind, key) not in self.found:
            self.prefetch(kind, [key])
        row: Row | None = self.found[(kind, key)]
        if row is None:
            raise LookupError(f"event for an unknown {kind.__name__} {key}")
        return row

    def find(self, kind: type, key: str) -> Row | None:
        """As get, but None for a record not stored (one made before its table was: a table
        added by a migration is filled by the next rebuild)."""
        if (kind, key) not in self.found:
            self.prefetch(kind, [key])
        row: Row | None = self.found[(kind, key)]
        return row

    def members(self, kind: type, key: str) -> list[Row]:
        """The current rows of a key with many (the presences of a model)."""
        if (kind, key) not in self.found:
            self.prefetch(kind, [key])
        rows: list[Row] = self.found[(kind, key)]
        return rows

    def prefetch(self, kind: type, keys: Iterable[str]) -> None:
        """Reads the current rows of these records, one query per CHUNK keys."""
        wanted = [k for k in dict.fromkeys(keys) if (kind, k) not in self.found]
        if not wanted:
            return
        table = table_of(kind)
        column = table.c[LOOKUP[kind]]
        many = kind in MANY
        for key in wanted:
            self.found[(kind, key)] = [] if many else None
        for start in range(0, len(wanted), CHUNK):
            query = select(table).where(column.in_(wanted[start : start + CHUNK]))
            if "valid_to" in table.c:
                query = query.where(table.c.valid_to.is_(None))
            for mapping in self.connection.execute(query).mappings():
                row = dict(mapping)
                self.stored.append((table, row, tuple(row.values())))
                if many:
                    self.found[(kind, row[column.name])].append(row)
                else:
                    self.found[(kind, row[column.name])] = row

    def new_version(self, kind: type, row: Row, item: Item, key: str | None = None) -> Row:
        """The version of a record this feed item makes: the current one closes where it starts.

        One item changing a record twice changes its one version. A version never starts before
        the one it supersedes (moments never go back along a feed, see moments.in_store_at; the
        max below keeps it so whatever the moments), so versions neither overlap nor leave gaps.
        """
        position = position_of(item)
        if row["position"] == position:
            return row
        valid_from = max(recorded_at(item), _aware(row["valid_from"]))
        version = {**row, "position": position, "valid_from": valid_from, "valid_to": None}
        row["valid_to"] = valid_from
        self.inserts[table_of(kind)].append(version)
        if key is not None:
            self.found[(kind, key)] = version
        return version

    def replace(self, kind: type, row: Row, by: Row, key: str) -> Row:
        """A record's row replaced by another of a new primary key (a search entry whose doc
        moves with its day): the row is deleted, before the batch's inserts, or never
        inserted if this batch made it."""
        table = table_of(kind)
        made = self.inserts[table]
        if any(r is row for r in made):
            made[:] = [r for r in made if r is not row]
        else:
            self.removed[table].append(row)
        return self.add(kind, by, key)

    # writing

    def flush(self) -> None:
        """Writes the batch: removed stored rows, changed stored rows by primary key, then the
        new rows; and the report cubes' deltas (see cubes.py), the partitions they touched
        kept in touched."""
        changed: dict[tuple[Table, tuple[str, ...]], list[Row]] = defaultdict(list)
        gone: dict[Table, list[Any]] = defaultdict(list)  # records counted until now
        made: dict[Table, list[Any]] = defaultdict(list)  # records counted from now on
        gone_rows = {id(row) for rows in self.removed.values() for row in rows}
        for table, rows in self.removed.items():
            keys = [c.name for c in table.primary_key.columns]
            where = and_(*(table.c[k] == bindparam(f"k_{k}") for k in keys))
            self.connection.execute(
                delete(table).where(where), [{f"k_{k}": row[k] for k in keys} for row in rows]
            )
        for table, row, before in self.stored:
            if id(row) in gone_rows:
                continue
            after = tuple(row.values())
            if after != before:
                columns = tuple(c for c, a, b in zip(row, after, before, strict=True) if a != b)
                changed[(table, columns)].append(row)
                if self.keep_cubes and table in BY_TABLE:
                    record = row[BY_TABLE[table].record.name]
                    gone[table].append(record)
                    made[table].append(record)
                    self.touched[table].add(partition_of(table, row))
        for table, keys in gone.items():  # as they stand before the updates
            BY_TABLE[table].add(self.connection, keys, -1)
        for (table, columns), rows in changed.items():
            keys = [c.name for c in table.primary_key.columns]
            statement = (
                update(table)
                .where(and_(*(table.c[k] == bindparam(f"k_{k}") for k in keys)))
                .values({c: bindparam(f"v_{c}") for c in columns})
            )
            params = [
                {**{f"k_{k}": row[k] for k in keys}, **{f"v_{c}": row[c] for c in columns}}
                for row in rows
            ]
            self.connection.execute(statement, params)
        for table, rows in self.inserts.items():
            if rows:
                insert_rows(self.connection, table, rows)
                if self.keep_cubes and table in BY_TABLE:
                    name = BY_TABLE[table].record.name
                    made[table].extend(row[name] for row in rows)
                    self.touched[table].update(partition_of(table, row) for row in rows)
        for table, keys in made.items():
            BY_TABLE[table].add(self.connection, keys, 1)
        self.inserts.clear()
        self.stored.clear()
        self.removed.clear()
        self.found.clear()


def insert_rows(connection: Connection, table: Table, rows: list[Row]) -> None:
    """The rows into the table: binary COPY on PostgreSQL, executemany on SQLite, each value
    through its column type's bind processor as an ORM or Core insert would send it."""
    dialect = connection.dialect
    plan = _PLANS.get((dialect.name, table))
    if plan is None:
        plan = _PLANS[(dialect.name, table)] = _plan(connection, table)
    names, processed, statement, types = plan
    pick = itemgetter(*names)
    values: list[Any] = [pick(row) for row in rows]
    if processed:
        # dates and moments repeat across a batch's rows: each distinct one is converted once
        # (keyed with its zone too: equal instants in two zones are stored differently)
        memos: list[dict[Any, Any]] = [{} for _ in processed]
        for n, picked in enumerate(values):
            record = list(picked)
            for (i, process), memo in zip(processed, memos, strict=True):
                value = record[i]
                if value is not None:
                    key = (value, getattr(value, "tzinfo", None))
                    done = memo.get(key)
                    if done is None:
                        done = memo[key] = process(value)
                    record[i] = done
            values[n] = tuple(record)
    if dialect.name == "postgresql":
        driver = connection.connection.driver_connection
        with driver.cursor() as cursor, cursor.copy(statement) as copy:  # type: ignore[union-attr]  # psycopg's: SQLAlchemy types it as maybe None
            copy.set_types(types)
            for record in values:
                copy.write_row(record)
    else:
        connection.exec_driver_sql(statement, values)


Plan = tuple[tuple[str, ...], tuple[tuple[int, Any], ...], str, list[int]]


def _plan(connection: Connection, table: Table) -> Plan:
    """The column names, their bind processors and the statement; on PostgreSQL the columns'
    types as the database has them (a binary COPY must name them: it costs the client a
    quarter of what formatting the rows as text does)."""
    dialect = connection.dialect
    names = tuple(c.name for c in table.c)
    processors = tuple(c.type.dialect_impl(dialect).bind_processor(dialect) for c in table.c)
    types: list[int] = []
    if dialect.name == "postgresql":
        quote = dialect.identifier_preparer
        columns = ", ".join(quote.quote(n) for n in names)
        qualified = quote.format_table(table)
        statement = f"COPY {qualified} ({columns}) FROM STDIN (FORMAT BINARY)"
        found: dict[str, int] = dict(
            connection.exec_driver_sql(
                "SELECT attname, atttypid::int FROM pg_attribute"
                " WHERE attrelid = %(table)s::regclass AND attnum > 0 AND NOT attisdropped",
                {"table": qualified},
            )
            .tuples()
            .all()
        )
        types = [found[name] for name in names]
    else:
        compiled = insert(table).compile(dialect=dialect)
        assert compiled.positiontup == list(names), "a positional paramstyle"
        statement = str(compiled)
    assert len(names) > 1, "itemgetter of one name gives no tuple"
    processed = tuple((i, p) for i, p in enumerate(processors) if p is not None)
    return names, processed, statement, types


_PLANS: dict[tuple[str, Table], Plan] = {}


def recorded_at(item: Item) -> datetime:
    """When the event stood in the store, in UTC (SQLite keeps no time zone: keep all in one);
    the follower works it out for each item of the feed (moments.in_store_at)."""
    moment = item.get(IN_STORE_AT)
    if moment is None:  # an item projected outside a follower
        moment = item[IN_STORE_AT] = in_store_at(item, None)
    return moment


def first_version(item: Item, /, **values: Any) -> Row:
    """A new record's row: its first version, made by this feed item."""
    return {
        **values,
        "position": position_of(item),
        "valid_from": recorded_at(item),
        "valid_to": None,
    }


def _aware(moment: datetime) -> datetime:
    """SQLite gives back naive datetimes: they are UTC (see recorded_at)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
