"""the agency a kiến nghị was last with (kept when it is reopened) and its working days to
resolve on kien_nghi

Made empty, like every column added to the read models before: `danvan rebuild` fills it for
the kiến nghị recorded before this revision.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 08:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("kien_nghi", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_agency", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("resolve_days", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("kien_nghi", schema=None) as batch_op:
        batch_op.drop_column("resolve_days")
        batch_op.drop_column("last_agency")
