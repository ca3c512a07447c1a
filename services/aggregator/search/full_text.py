"""Each store's own full-text search over the search entries' words (migration 0014 makes it):
which entries match a query's phrases and keys, how well, and in what order the index gives
them.

SQLite: the FTS5 table search_text (rowid = search_entry.doc), ranked by bm25, the phrases
looked for in the three parts of words and the keys in key_terms (column filters);
PostgreSQL: the tsvector column search_entry.terms under a GIN index, ranked by ts_rank, the
phrases looked for among the lexemes weighted A to C and the keys among those weighted D.
Neither is mapped (tables.SearchEntry), so neither is in the metadata alembic compares the
database with. Scores are higher for better matches on both stores, but each store's own:
comparable within one answer, not across stores.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Double, FromClause, cast, func, literal_column, table
from sqlalchemy.sql.elements import ColumnClause

from services.aggregator.search.words import Phrase
from services.aggregator.tables import SearchEntry

FTS_TABLE = "search_text"  # SQLite
TERMS_COLUMN = "terms"  # PostgreSQL
WORD_COLUMNS = ("title_terms", "text_terms", "facet_terms")
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
# how much a match in each part weighs: title, text, facets, keys (PostgreSQL's weights A to D
# are set by the generated column and weighed by ts_rank's defaults: 1, 0.4, 0.2, 0.1)
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
    terms: ColumnClause[Any] = literal_column(f"{SearchEntry.__tablename__}.{TERMS_COLUMN}")
    query = func.to_tsquery(literal_column("'simple'::regconfig"), postgres_query(wanted, keys))
    # a double, not ts_rank's real: the cursor carries the score back exactly as read (a real
    # comes to Python as its shortest decimal, which a double compares unequal to)
    # (normalised by the log of its length, as bm25 prefers the shorter of two texts too)
    score = cast(func.ts_rank(terms, query, 1), Double)
    return Match(entry, entry, terms.op("@@")(query), score, entry.c.doc)


def sqlite_query(wanted: list[Phrase], keys: Keys) -> str:
    """FTS5's query: every phrase, quoted (its words are letters and digits alone), the last
    word of one a prefix with '*', in the parts of words; every group of keys in key_terms."""
    phrases = " ".join(f'"{" ".join(p.words)}"' + ("*" if p.prefix else "") for p in wanted)
    groups = [f"key_terms : ({' OR '.join(group)})" for group in keys]
    return " AND ".join([f"{{{' '.join(WORD_COLUMNS)}}} : ({phrases})", *groups])


def postgres_query(wanted: list[Phrase], keys: Keys) -> str:
    """to_tsquery's: phrases joined by &, a phrase's words by <-> (next to each other), a
    prefix with :*, all among the words weighted A to C; each group of keys among those
    weighted D."""

    def word(text: str, last: bool, prefix: bool) -> str:
        return f"{text}:{'*' if last and prefix else ''}ABC"

    phrases = [
        "("
        + " <-> ".join(word(w, i == len(p.words) - 1, p.prefix) for i, w in enumerate(p.words))
        + ")"
        for p in wanted
    ]
    groups = ["(" + " | ".join(f"{key}:D" for key in group) + ")" for group in keys]
    return " & ".join(phrases + groups)
