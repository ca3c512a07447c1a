"""indexes for reports filtered on a district or a commune

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 23:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# (table, column, with valid_to: a versioned table's current rows)
INDEXED = [
    ("model_fact", "district_code", False),
    ("model_fact", "unit_code", False),
    ("dialogue_fact", "district_code", False),
    ("dialogue_fact", "unit_code", False),
    ("supervision", "district_code", True),
    ("supervision", "unit_code", True),
    ("kien_nghi", "district_code", True),
    ("kien_nghi", "unit_code", True),
]


def upgrade() -> None:
    for table, column, versioned in INDEXED:
        columns = [column, "valid_to"] if versioned else [column]
        op.create_index(f"ix_{table}_{column}", table, columns)


def downgrade() -> None:
    for table, column, _ in INDEXED:
        op.drop_index(f"ix_{table}_{column}", table_name=table)
