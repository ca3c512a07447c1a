"""report cubes (counts by month, province and one more key), filled from the facts; indexes

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24 01:00:00
"""

from __future__ import annotations

from alembic import op

from services.aggregator.cubes import CUBES

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# the facts a cube partition (province, month) is recounted from
PARTITIONS = [
    ("model_fact", "occurred_on"),
    ("dialogue_fact", "occurred_on"),
    ("supervision", "started_on"),
    ("kien_nghi", "received_on"),
    ("award_fact", "occurred_on"),
]


LISTED = ("province_code", "province_2025_code")  # GET /kien-nghi by province
RECORDED = ("model_fact", "dialogue_fact", "award_fact")  # as of a moment: the latest month's


def upgrade() -> None:
    for table, day in PARTITIONS:
        op.create_index(f"ix_{table}_partition", table, ["province_code", day])
    for table in RECORDED:
        op.create_index(f"ix_{table}_recorded_at", table, ["recorded_at"])
    for column in LISTED:
        columns = [column, "status", "valid_to", "requested_at"]
        op.create_index(f"ix_kien_nghi_{column}_listed", "kien_nghi", columns)
    # the cubes are derived read models: their shape is the code's (services/aggregator/cubes.py)
    connection = op.get_bind()
    for cube in CUBES:
        cube.table.create(connection)
        cube.fill(connection)


def downgrade() -> None:
    connection = op.get_bind()
    for cube in reversed(CUBES):
        cube.table.drop(connection)
    for table, _ in PARTITIONS:
        op.drop_index(f"ix_{table}_partition", table_name=table)
    for column in LISTED:
        op.drop_index(f"ix_kien_nghi_{column}_listed", table_name="kien_nghi")
    for table in RECORDED:
        op.drop_index(f"ix_{table}_recorded_at", table_name=table)
