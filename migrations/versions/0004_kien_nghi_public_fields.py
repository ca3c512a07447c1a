"""kien nghi public fields

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 19:00:47.650043
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("kien_nghi", schema=None) as batch_op:
        batch_op.add_column(sa.Column("content", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("status_notes", sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column("channel", sa.String(length=16), nullable=False, server_default="api")
        )
        batch_op.add_column(sa.Column("citizen", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("personal", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("requested_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f("ix_kien_nghi_citizen"), ["citizen"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("kien_nghi", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kien_nghi_citizen"))
        batch_op.drop_column("updated_at")
        batch_op.drop_column("requested_at")
        batch_op.drop_column("personal")
        batch_op.drop_column("citizen")
        batch_op.drop_column("channel")
        batch_op.drop_column("status_notes")
        batch_op.drop_column("content")
