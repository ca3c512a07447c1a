"""Each store's own full-text search over the search entries' words (migration 0014 makes it):
which entries match a query's phrases, and how well.

SQLite: the FTS5 table search_text (rowid = search_entry.doc), ranked by bm25; PostgreSQL: the
tsvector column search_entry.terms under a GIN index, ranked by ts_rank. Neither is mapped
(tables.SearchEntry), so neither is in the metadata alembic compares the database with.
Scores are higher for better matches on both stores, but each store's own: comparable within
one answer, not across stores.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Double, FromClause, cast, func, literal_column, table
from sqlalchemy.sql.elements import ColumnClause

from services.aggregator.search.words import Phrase
from services.aggregator.tables import SearchEntry

FTS_TABLE = "search_text"  # SQLite
TERMS_COLUMN = "terms"  # PostgreSQL
# what is not mapped: the FTS5 table and the tables it keeps its index in, the tsvector column
# and its index
OUTSIDE_METADATA = frozenset(
    {
        FTS_TABLE,
        *(f"{FTS_TABLE}_{shadow}" for shadow in ("data", "idx", "docsize", "config", "content")),
        TERMS_COLUMN,
        "ix_search_entry_terms",
    }
)
# how much a match in each part of an entry weighs: title, text, facets (PostgreSQL's weights
# A, B and C are set by the generated column and weighed by ts_rank's defaults: 1, 0.4, 0.2)
SQLITE_WEIGHTS = (5.0, 2.0, 1.0)


def mapped_only(name: str | None, _type: str, _parents: Any) -> bool:
    """alembic's include_name: whether a database object is one the metadata maps."""
    return name not in OUTSIDE_METADATA


@dataclass(frozen=True)
class Match:
    """A query on one store: from where (the entries, joined to what indexes them), which
    entries match, and the score of each."""

    source: FromClause
    where: ColumnElement[bool]
    score: ColumnElement[float]


def match(dialect: str, wanted: list[Phrase]) -> Match:
    entry = SearchEntry.__table__
    if dialect == "sqlite":
        fts = table(FTS_TABLE, literal_column("rowid"))
        index: ColumnClause[Any] = literal_column(FTS_TABLE)
        return Match(
            # the full-text match first, then each entry it found by its key
            fts.join(entry, entry.c.doc == fts.c.rowid),
            index.match(sqlite_query(wanted)),
            -func.bm25(index, *SQLITE_WEIGHTS),  # lower is better there
        )
    terms: ColumnClause[Any] = literal_column(f"{SearchEntry.__tablename__}.{TERMS_COLUMN}")
    query = func.to_tsquery(literal_column("'simple'::regconfig"), postgres_query(wanted))
    # a double, not ts_rank's real: the cursor carries the score back exactly as read (a real
    # comes to Python as its shortest decimal, which a double compares unequal to)
    return Match(entry, terms.op("@@")(query), cast(func.ts_rank(terms, query), Double))


def sqlite_query(wanted: list[Phrase]) -> str:
    """FTS5's query: every phrase, quoted (its words are letters and digits alone), the last
    word of one a prefix with '*'."""
    return " ".join(f'"{" ".join(p.words)}"' + ("*" if p.prefix else "") for p in wanted)


def postgres_query(wanted: list[Phrase]) -> str:
    """to_tsquery's: phrases joined by &, a phrase's words by <-> (next to each other), a
    prefix with :*."""
    return " & ".join(
        "(" + " <-> ".join(p.words) + (":*" if p.prefix else "") + ")" for p in wanted
    )
