"""read models carry their own history, for reports as of a moment

supervision, kien_nghi and model_presence become versioned: a row per version, keyed by the
record's key and the feed position of the event that made the version, valid from that event's
recorded_at until the next version's (valid_to null while current). award_fact gets the
recorded_at the other fact tables already have; tracking keeps the latest recorded_at applied
from each feed (the moment an item counts from never goes back along its feed).

Read models are disposable and hold no history an old database could give them, so this
revision does not convert rows: it empties every read-model table, recreates the changed ones
in their new shape and deletes the tracking rows, and the aggregator's followers replay both
feeds from position 0 when it starts (as `rebuild` does). Until they have caught up, reports
count less than before. The downgrade does the same the other way.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 20:00:00
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

CHANGED = ("model_presence", "supervision", "kien_nghi", "award_fact")
KEPT = ("model", "model_field", "model_fact", "dialogue", "dialogue_fact", "finding")


def upgrade() -> None:
    _start_over()
    with op.batch_alter_table("tracking", schema=None) as batch_op:
        batch_op.add_column(sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "model_presence",
        sa.Column("model_id", sa.String(length=36), nullable=False),
        sa.Column("unit_key", sa.String(length=16), nullable=False),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("until", sa.Date(), nullable=True),
        *_unit_columns(),
        *_version_columns(),
        sa.PrimaryKeyConstraint("model_id", "unit_key", "position"),
    )
    op.create_index(
        "ix_model_presence_province_code", "model_presence", ["province_code", "valid_to"]
    )
    op.create_index(
        "ix_model_presence_province_2025_code",
        "model_presence",
        ["province_2025_code", "valid_to"],
    )
    op.create_table(
        "supervision",
        *_supervision_columns(),
        *_unit_columns(),
        *_version_columns(),
        sa.PrimaryKeyConstraint("id", "position"),
    )
    op.create_index(
        "ix_supervision_kind_started_on", "supervision", ["kind", "valid_to", "started_on"]
    )
    op.create_index("ix_supervision_province_code", "supervision", ["province_code", "valid_to"])
    op.create_table(
        "kien_nghi",
        *_kien_nghi_columns(),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("status_notes", sa.Text(), nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("citizen", sa.String(length=64), nullable=True),
        sa.Column("personal", sa.Text(), nullable=True),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        *_unit_columns(),
        *_version_columns(),
        sa.PrimaryKeyConstraint("id", "position"),
    )
    op.create_index("ix_kien_nghi_received_on", "kien_nghi", ["received_on", "valid_to"])
    op.create_index("ix_kien_nghi_province_code", "kien_nghi", ["province_code", "valid_to"])
    op.create_index("ix_kien_nghi_citizen", "kien_nghi", ["citizen", "valid_to"])
    op.create_table(
        "award_fact",
        *_award_columns(),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        *_unit_columns(),
        sa.PrimaryKeyConstraint("event_id"),
    )
    op.create_index("ix_award_fact_occurred_on", "award_fact", ["occurred_on"])


def downgrade() -> None:
    """Back to the 0004 shapes, empty, for the old code to replay the feeds into."""
    _start_over()
    with op.batch_alter_table("tracking", schema=None) as batch_op:
        batch_op.drop_column("recorded_at")
    op.create_table(
        "model_presence",
        sa.Column("model_id", sa.String(length=36), nullable=False),
        sa.Column("unit_key", sa.String(length=16), nullable=False),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("until", sa.Date(), nullable=True),
        *_unit_columns(),
        sa.PrimaryKeyConstraint("model_id", "unit_key"),
    )
    op.create_index(
        "ix_model_presence_province_2025_code", "model_presence", ["province_2025_code"]
    )
    op.create_index("ix_model_presence_province_code", "model_presence", ["province_code"])
    op.create_table(
        "supervision",
        *_supervision_columns(),
        *_unit_columns(),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_supervision_kind_started_on", "supervision", ["kind", "started_on"])
    op.create_index("ix_supervision_province_code", "supervision", ["province_code"])
    op.create_table(
        "kien_nghi",
        *_kien_nghi_columns(),
        *_unit_columns(),
        sa.Column("content", sa.Text(), nullable=False, server_default=""),
        sa.Column("status_notes", sa.Text(), nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=False, server_default="api"),
        sa.Column("citizen", sa.String(length=64), nullable=True),
        sa.Column("personal", sa.Text(), nullable=True),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_kien_nghi_province_code", "kien_nghi", ["province_code"])
    op.create_index("ix_kien_nghi_received_on", "kien_nghi", ["received_on"])
    op.create_index("ix_kien_nghi_source_id", "kien_nghi", ["source_id"])
    op.create_index("ix_kien_nghi_citizen", "kien_nghi", ["citizen"])
    op.create_table(
        "award_fact",
        *_award_columns(),
        *_unit_columns(),
        sa.PrimaryKeyConstraint("event_id"),
    )
    op.create_index("ix_award_fact_occurred_on", "award_fact", ["occurred_on"])


def _start_over() -> None:
    """Every read model empty, the changed tables gone, the followers back at position 0."""
    for table in KEPT:
        op.execute(sa.text(f"DELETE FROM {table}"))
    op.execute(sa.text("DELETE FROM tracking"))
    for table in CHANGED:
        op.drop_table(table)  # and its indexes


def _version_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("valid_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("valid_to", sa.DateTime(timezone=True), nullable=True),
    ]


def _unit_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("unit_code", sa.String(length=8), nullable=False),
        sa.Column("unit_structure", sa.String(length=8), nullable=False),
        sa.Column("level", sa.String(length=10), nullable=False),
        sa.Column("province_code", sa.String(length=8), nullable=False),
        sa.Column("district_code", sa.String(length=8), nullable=True),
        sa.Column("unit_2025_code", sa.String(length=8), nullable=True),
        sa.Column("level_2025", sa.String(length=10), nullable=True),
        sa.Column("province_2025_code", sa.String(length=8), nullable=True),
    ]


def _supervision_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("body", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("concluded_on", sa.Date(), nullable=True),
        sa.Column("findings", sa.Integer(), nullable=False),
        sa.Column("violation_signs", sa.Boolean(), nullable=False),
        sa.Column("recommended", sa.Boolean(), nullable=False),
        sa.Column("kien_nghi_opened", sa.Integer(), nullable=False),
        sa.Column("kien_nghi_resolved", sa.Integer(), nullable=False),
    ]


def _kien_nghi_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("source", sa.String(length=24), nullable=False),
        sa.Column("source_id", sa.String(length=36), nullable=True),
        sa.Column("finding_id", sa.String(length=36), nullable=True),
        sa.Column("category", sa.String(length=24), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("agency", sa.String(length=200), nullable=True),
        sa.Column("assigned_on", sa.Date(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column("resolved_on", sa.Date(), nullable=True),
        sa.Column("declined_on", sa.Date(), nullable=True),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("rated_on", sa.Date(), nullable=True),
        sa.Column("reopened", sa.Integer(), nullable=False),
    ]


def _award_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("award_id", sa.String(length=36), nullable=False),
        sa.Column("award", sa.String(length=32), nullable=False),
        sa.Column("recipient_kind", sa.String(length=16), nullable=False),
        sa.Column("conferred_by", sa.String(length=16), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
    ]
