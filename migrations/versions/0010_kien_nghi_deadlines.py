"""kiến nghị deadlines from the handling rules: priority, rule_set, acknowledge_by, answer_by,
resolve_by on kien_nghi

Made empty, like every column added to the read models before: `danvan rebuild` fills them
for the kiến nghị recorded before this revision.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

MOMENTS = ("acknowledge_by", "answer_by", "resolve_by")


def upgrade() -> None:
    with op.batch_alter_table("kien_nghi", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("priority", sa.String(length=16), nullable=False, server_default="normal")
        )
        batch_op.add_column(sa.Column("rule_set", sa.String(length=64), nullable=True))
        for name in MOMENTS:
            batch_op.add_column(sa.Column(name, sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("kien_nghi", schema=None) as batch_op:
        for name in (*reversed(MOMENTS), "rule_set", "priority"):
            batch_op.drop_column(name)
