"""kiến nghị inbox: due_day on kien_nghi (due_on, else the rules' resolve_by day in Vietnam),
indexed with the agency for an agency's inbox

Filled here, not left for `danvan rebuild`: an inbox sorts every open kiến nghị by it. Vietnam
keeps UTC+7 all year, so the resolve_by moment's day there is its UTC moment seven hours on.

Revision ID: 0015
Revises: 0012 (written while 0013 and 0014 were being written elsewhere: it follows 0014 once
they are merged)
Create Date: 2026-12-07 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0012"
branch_labels = None
depends_on = None

TABLE = "kien_nghi"
INDEX = "ix_kien_nghi_inbox"


def upgrade() -> None:
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.add_column(sa.Column("due_day", sa.Date(), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        rules_day = "(resolve_by AT TIME ZONE 'Asia/Ho_Chi_Minh')::date"
    else:  # SQLite keeps moments as UTC text with no zone
        rules_day = "date(resolve_by, '+7 hours')"
    op.execute(f"UPDATE {TABLE} SET due_day = COALESCE(due_on, {rules_day})")
    op.create_index(INDEX, TABLE, ["agency", "status", "valid_to", "due_day"])


def downgrade() -> None:
    op.drop_index(INDEX, table_name=TABLE)
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.drop_column("due_day")
