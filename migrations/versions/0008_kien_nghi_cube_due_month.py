"""kiến nghị cubes keyed by the due month of the open ones (not the due day); index on due_on;
nationwide cubes (by month and one dimension)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24 07:00:00
"""

from __future__ import annotations

from alembic import op

from services.aggregator.cubes import CUBES, KIEN_NGHI

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # overdue this month: the open ones due between the first of the month and the day asked
    op.create_index("ix_kien_nghi_due_on", "kien_nghi", ["due_on"])
    # derived read models: dropped and made again in the code's shape (services/aggregator/cubes.py)
    connection = op.get_bind()
    for cube in CUBES:
        if cube.counted is KIEN_NGHI or not cube.by_province:
            cube.table.drop(connection, checkfirst=True)
            cube.table.create(connection)
            cube.fill(connection)


def downgrade() -> None:  # (0007 makes and drops every cube the code has)
    op.drop_index("ix_kien_nghi_due_on", table_name="kien_nghi")
