"""Each store's own full-text search over the search entries' words (migration 0014 makes it):
which entries match a query's phrases and keys, how well, and in what order the index gives
them.

SQLite: the FTS5 table search_text (rowid = search_entry.doc), ranked by bm25, the phrases
looked for in the three parts of words and the keys in key_terms (column filters);
PostgreSQL: the tsvector columns search_entry.terms (the words, weighted by part for ts_rank)
and search_entry.keys, each under a GIN index, which answers a query of words and keys alone
(a query's weights would make the database read each row to check them).
Neither is mapped (tables.SearchEntry), so neither is in the metadata alembic compares the
database with. Scores are higher for better matches on both stores, but each store's own:
comparable within one answer, not across stores.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Double,
    FromClause,
    and_,
    cast,
    func,
    literal_column,
    table,
    text,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnClause

from services.aggregator.search.words import Phrase
from services.aggregator.tables import SearchEntry

FTS_TABLE = "search_text"  # SQLite
TERMS_COLUMN, KEYS_COLUMN = "terms", "keys"  # PostgreSQL
WORD_COLUMNS = ("title_terms", "text_terms", "facet_terms")
# what is not mapped: the FTS5 table and the tables it keeps its index in, the tsvector column
# and its index
OUTSIDE_METADATA = frozenset(
    {
        FTS_TABLE,
        *(f"{FTS_TABLE}_{shadow}" for shadow in ("data", "idx", "docsize", "config", "content")),
        TERMS_COLUMN,
        KEYS_COLUMN,
        "ix_search_entry_terms",
        "ix_search_entry_keys",
    }
)
# how much a match in each part weighs: title, text, facets, keys (PostgreSQL's weights A to C
# are set by the generated column and weighed by ts_rank's defaults: 1, 0.4, 0.2)
SQLITE_WEIGHTS = (5.0, 2.0, 1.0, 0.0)
Keys = Sequence[Sequence[str]]  # every group must match, any key of a group


def mapped_only(name: str | None, _type: str, _parents: Any) -> bool:
    """alembic's include_name: whether a database object is one the metadata maps."""
    return name not in OUTSIDE_METADATA


@dataclass(frozen=True)
class Match:
    """A query on one store: the entries joined to what indexes them (source), the index
    alone where no column of the entries is asked for (index), which match, the score of
    each, and its doc as the index walks them (SQLite gives FTS5's rowid order unsorted)."""

    source: FromClause
    index: FromClause
    where: ColumnElement[bool]
    score: ColumnElement[float]
    doc: ColumnElement[int]


def match(dialect: str, wanted: list[Phrase], keys: Keys) -> Match:
    entry = SearchEntry.__table__
    if dialect == "sqlite":
        fts = table(FTS_TABLE, literal_column("rowid"))
        index: ColumnClause[Any] = literal_column(FTS_TABLE)
        return Match(
            # the full-text match first, then each entry it found by its key
            fts.join(entry, entry.c.doc == fts.c.rowid),
            fts,
            index.match(sqlite_query(wanted, keys)),
            -func.bm25(index, *SQLITE_WEIGHTS),  # lower is better there
            fts.c.rowid,
        )
    terms, keyed = (column_of(name) for name in (TERMS_COLUMN, KEYS_COLUMN))
    words = tsquery(postgres_query(wanted))
    where: ColumnElement[bool] = terms.op("@@")(words)
    if keys:
        # the keys first: where the planner checks rows one by one (walking newest first), it
        # checks in the order written, and a few keys turn most rows away sooner than the words
        where = and_(keyed.op("@@")(tsquery(postgres_keys(keys))), where)
    # normalised by the log of its length, as bm25 prefers the shorter of two texts too; a
    # double, not ts_rank's real: the cursor carries the score back exactly as read (a real
    # comes to Python as its shortest decimal, which a double compares unequal to)
    score = cast(func.ts_rank(terms, words, 1), Double)
    return Match(entry, entry, where, score, entry.c.doc)


def column_of(name: str) -> ColumnClause[Any]:
    """A column of search_entry the mapping does not have."""
    return literal_column(f"{SearchEntry.__tablename__}.{name}")


def tsquery(text: str) -> ColumnElement[Any]:
    return func.to_tsquery(literal_column("'simple'::regconfig"), text)


def sqlite_query(wanted: list[Phrase], keys: Keys) -> str:
    """FTS5's query: every phrase, quoted (its words are letters and digits alone), the last
    word of one a prefix with '*', in the parts of words; every group of keys in key_terms."""
    phrases = " ".join(f'"{" ".join(p.words)}"' + ("*" if p.prefix else "") for p in wanted)
    groups = [f"key_terms : ({' OR '.join(group)})" for group in keys]
    return " AND ".join([f"{{{' '.join(WORD_COLUMNS)}}} : ({phrases})", *groups])


def postgres_query(wanted: list[Phrase]) -> str:
    """to_tsquery's words: phrases joined by &, a phrase's words by <-> (next to each other),
    a prefix with :*."""
    return " & ".join(
        "(" + " <-> ".join(p.words) + (":*" if p.prefix else "") + ")" for p in wanted
    )


def postgres_keys(keys: Keys) -> str:
    """to_tsquery's keys: every group, any key of one."""
    return " & ".join("(" + " | ".join(group) + ")" for group in keys)


def walk_newest_first(session: Session) -> None:
    """For this transaction's next query, newest first: PostgreSQL walks the primary key
    backward and checks each entry, neither gathering every match and sorting them nor reading
    the whole table. Its planner misjudges how many entries words together match (it
    multiplies their shares, and "nông thôn mới" go together: it guessed one of 37,380), and
    newest first is only asked of a query matching more than rank_up_to entries, so the walk
    meets the first page's matches soon. FTS5 walks its rowids in order by itself."""
    if session.get_bind().dialect.name == "postgresql":
        for setting in ("enable_bitmapscan", "enable_seqscan", "max_parallel_workers_per_gather"):
            session.execute(text(f"SET LOCAL {setting} = 0"))


def set_aside(connection: Connection) -> list[str]:
    """What keeps the full-text index as entries come (SQLite: the triggers on search_entry;
    PostgreSQL: the GIN indexes), dropped while a rebuild loads every entry; returns what makes
    it whole again at the end, from its own definitions (FTS5 reads every entry once)."""
    if connection.dialect.name == "sqlite":
        triggers = connection.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?",
            (SearchEntry.__tablename__,),
        ).all()
        for name, _ in triggers:
            connection.exec_driver_sql(f'DROP TRIGGER "{name}"')
        rebuilt = f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')"
        return [rebuilt, *(sql for _, sql in triggers)]
    indexes = connection.exec_driver_sql(
        "SELECT indexname, indexdef FROM pg_indexes"
        " WHERE schemaname = current_schema() AND tablename = %(table)s",
        {"table": SearchEntry.__tablename__},
    ).all()
    made = [definition for name, definition in indexes if name in OUTSIDE_METADATA]
    for name, _ in indexes:
        if name in OUTSIDE_METADATA:
            connection.exec_driver_sql(f'DROP INDEX "{name}"')
    return made
