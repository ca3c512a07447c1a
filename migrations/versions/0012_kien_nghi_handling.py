"""how a kiến nghị was handled: acknowledgement, tracking code, transfers, extensions, escalation,
merging, evidence on kien_nghi

Made empty, like every column added to the read models before: `danvan rebuild` fills them
for the kiến nghị recorded before this revision.

Revision ID: 0012
Revises: 0010
Create Date: 2026-12-07 04:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

COUNTS = (
    "transfers",
    "extensions_requested",
    "extensions_granted",
    "extensions_refused",
    "escalated",
    "duplicates",
    "evidence_count",
)


def others() -> tuple[sa.Column[object], ...]:
    return (
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("tracking_code", sa.String(length=20), nullable=True),
        sa.Column("due_before_extension", sa.Date(), nullable=True),
        sa.Column("escalation_level", sa.String(length=10), nullable=True),
        sa.Column("master_id", sa.String(length=36), nullable=True),
        sa.Column("merged_on", sa.Date(), nullable=True),
    )


def upgrade() -> None:
    with op.batch_alter_table("kien_nghi", schema=None) as batch_op:
        for column in others():
            batch_op.add_column(column)
        for name in COUNTS:
            batch_op.add_column(sa.Column(name, sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("kien_nghi", schema=None) as batch_op:
        for name in (*reversed(COUNTS), *reversed([c.name for c in others()])):
            batch_op.drop_column(name)
