"""kiến nghị change feed: step on kien_nghi_status_change, indexes by position and agency

Filled here, not left for `danvan rebuild`: step from status (each step recorded before this
revision left a status of its own name: assigned, answered, resolved, declined, reopened), and
a reopening's agency, which the agency that had the kiến nghị follows it by, from the step
before it (a reopening left none).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

TABLE = "kien_nghi_status_change"
STEPS = ("Assigned", "Answered", "Resolved", "Declined", "Reopened")


def upgrade() -> None:
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.add_column(sa.Column("step", sa.String(length=32), nullable=True))
    table = sa.table(TABLE, sa.column("status", sa.String), sa.column("step", sa.String))
    named = sa.case({step.lower(): step for step in STEPS}, value=table.c.status)
    op.execute(table.update().values(step=sa.func.coalesce(named, table.c.status)))
    op.execute(
        f"UPDATE {TABLE} SET agency = (SELECT before.agency FROM {TABLE} before"
        f" WHERE before.kien_nghi_id = {TABLE}.kien_nghi_id"
        f" AND before.position < {TABLE}.position ORDER BY before.position DESC LIMIT 1)"
        " WHERE status = 'reopened' AND agency IS NULL"
    )
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.alter_column("step", existing_type=sa.String(length=32), nullable=False)
    op.create_index(f"ix_{TABLE}_position", TABLE, ["position"])
    op.create_index(f"ix_{TABLE}_agency", TABLE, ["agency", "position"])


def downgrade() -> None:
    op.drop_index(f"ix_{TABLE}_agency", table_name=TABLE)
    op.drop_index(f"ix_{TABLE}_position", table_name=TABLE)
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.drop_column("step")
