"""the search index: search_entry, and each store's full-text index over its words

search_entry is a read model like the others (tables.SearchEntry). Its words are indexed by
each store's own full-text search: on SQLite an FTS5 table over its four columns of words,
whose rowid is the entry's doc, kept by triggers on search_entry (external content: the words
are stored once, in search_entry); on PostgreSQL two tsvector columns generated from them, the
words (each part weighted, A to C) and the keys, each with a GIN index. Neither is mapped:
search/full_text.py in the aggregator queries them, and names them for the comparison of the
mapped tables with the database (OUTSIDE_METADATA).

A later migration that alters search_entry on SQLite must make the triggers again (a batch
alteration copies the table and drops them).

Made empty, like every read model added before: `danvan rebuild` indexes the records made
before this revision (until then search finds those made since).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-08 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

COLUMNS = "title_terms, text_terms, facet_terms, key_terms"
NEW = "new.doc, new.title_terms, new.text_terms, new.facet_terms, new.key_terms"
OLD = "old.doc, old.title_terms, old.text_terms, old.facet_terms, old.key_terms"
SQLITE = (
    # folded words already: the tokenizer only splits them at the spaces
    "CREATE VIRTUAL TABLE search_text USING fts5("
    f"{COLUMNS}, content='search_entry', content_rowid='doc', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER search_entry_inserted AFTER INSERT ON search_entry BEGIN "
    f"INSERT INTO search_text(rowid, {COLUMNS}) VALUES ({NEW}); END",
    "CREATE TRIGGER search_entry_deleted AFTER DELETE ON search_entry BEGIN "
    f"INSERT INTO search_text(search_text, rowid, {COLUMNS}) VALUES ('delete', {OLD}); END",
    f"CREATE TRIGGER search_entry_updated AFTER UPDATE OF {COLUMNS} ON search_entry BEGIN "
    f"INSERT INTO search_text(search_text, rowid, {COLUMNS}) VALUES ('delete', {OLD}); "
    f"INSERT INTO search_text(rowid, {COLUMNS}) VALUES ({NEW}); END",
)
POSTGRES = (
    # the words, weighted for ranking: the title most (A), then the text (B), then the names of
    # unit, kind, agency (C); the keys filters match apart, so that no query's words reach them
    # and neither index needs the rows to check a match (as weights in a query would)
    "ALTER TABLE search_entry ADD COLUMN terms tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple'::regconfig, title_terms), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, text_terms), 'B') || "
    "setweight(to_tsvector('simple'::regconfig, facet_terms), 'C')) STORED",
    "ALTER TABLE search_entry ADD COLUMN keys tsvector GENERATED ALWAYS AS ("
    "to_tsvector('simple'::regconfig, key_terms)) STORED",
    "CREATE INDEX ix_search_entry_terms ON search_entry USING gin (terms)",
    "CREATE INDEX ix_search_entry_keys ON search_entry USING gin (keys)",
)


def upgrade() -> None:
    op.create_table(
        "search_entry",
        sa.Column(
            "doc",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("tracking_code", sa.String(length=20), nullable=True),
        sa.Column("title_terms", sa.Text(), nullable=False),
        sa.Column("text_terms", sa.Text(), nullable=False),
        sa.Column("facet_terms", sa.Text(), nullable=False),
        sa.Column("key_terms", sa.Text(), nullable=False),
        sa.Column("unit_code", sa.String(length=8), nullable=False),
        sa.Column("unit_structure", sa.String(length=8), nullable=False),
        sa.Column("level", sa.String(length=10), nullable=False),
        sa.Column("province_code", sa.String(length=8), nullable=False),
        sa.Column("district_code", sa.String(length=8), nullable=True),
        sa.Column("unit_2025_code", sa.String(length=8), nullable=True),
        sa.Column("level_2025", sa.String(length=10), nullable=True),
        sa.Column("province_2025_code", sa.String(length=8), nullable=True),
        sa.PrimaryKeyConstraint("doc"),
        sa.UniqueConstraint("id", name="uq_search_entry_id"),
    )
    for statement in SQLITE if op.get_context().dialect.name == "sqlite" else POSTGRES:
        op.execute(statement)


def downgrade() -> None:
    if op.get_context().dialect.name == "sqlite":
        for trigger in ("updated", "deleted", "inserted"):
            op.execute(f"DROP TRIGGER search_entry_{trigger}")
        op.execute("DROP TABLE search_text")
    op.drop_table("search_entry")  # on PostgreSQL with its column and index
