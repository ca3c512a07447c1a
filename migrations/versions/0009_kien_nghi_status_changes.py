"""kiến nghị status changes (Open311 servicerequestupdates); published and attachment_count on
kien_nghi

Made empty, like every column added to the read models before: `danvan rebuild` fills them
for the kiến nghị recorded before this revision.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

LISTED = ("province_code", "province_2025_code")


def upgrade() -> None:
    with op.batch_alter_table("kien_nghi", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("published", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("attachment_count", sa.Integer(), nullable=False, server_default="0")
        )
    op.create_table(
        "kien_nghi_status_change",
        sa.Column("kien_nghi_id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("category", sa.String(length=24), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("agency", sa.String(length=200), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("citizen", sa.String(length=64), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("unit_code", sa.String(length=8), nullable=False),
        sa.Column("unit_structure", sa.String(length=8), nullable=False),
        sa.Column("level", sa.String(length=10), nullable=False),
        sa.Column("province_code", sa.String(length=8), nullable=False),
        sa.Column("district_code", sa.String(length=8), nullable=True),
        sa.Column("unit_2025_code", sa.String(length=8), nullable=True),
        sa.Column("level_2025", sa.String(length=10), nullable=True),
        sa.Column("province_2025_code", sa.String(length=8), nullable=True),
        sa.PrimaryKeyConstraint("kien_nghi_id", "position"),
    )
    op.create_index(
        "ix_kien_nghi_status_change_recorded_at", "kien_nghi_status_change", ["recorded_at"]
    )
    for column in LISTED:
        op.create_index(
            f"ix_kien_nghi_status_change_{column}",
            "kien_nghi_status_change",
            [column, "recorded_at"],
        )


def downgrade() -> None:
    for column in LISTED:
        op.drop_index(f"ix_kien_nghi_status_change_{column}", table_name="kien_nghi_status_change")
    op.drop_index("ix_kien_nghi_status_change_recorded_at", table_name="kien_nghi_status_change")
    op.drop_table("kien_nghi_status_change")
    with op.batch_alter_table("kien_nghi", schema=None) as batch_op:
        batch_op.drop_column("attachment_count")
        batch_op.drop_column("published")
