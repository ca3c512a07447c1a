"""Read-model tables and the tracking row; all disposable, all rebuilt from the feeds.

Every table a report reads carries its own history, so a report can answer as the records
stood at any moment without replaying the feeds: facts are append-only and know when they
were recorded; state rows that change are versioned (see Versioned).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Date,
    DateTime,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Text,
    and_,
    or_,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    metadata = MetaData()


class Tracking(Base):
    """How far the read models have followed one upstream feed, and which store it was."""

    __tablename__ = "tracking"
    upstream: Mapped[str] = mapped_column(String(32), primary_key=True)
    store_id: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(BigInteger)
    events: Mapped[int] = mapped_column(BigInteger, default=0)
    # the latest recorded_at applied from this feed: when an item counts as recorded is never
    # before it (see moments.in_store_at)
    recorded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class UnitColumns:
    """Where a record counts, in the structure it was made in and rolled up onto 2025."""

    unit_code: Mapped[str] = mapped_column(String(8))
    unit_structure: Mapped[str] = mapped_column(String(8))
    level: Mapped[str] = mapped_column(String(10))
    province_code: Mapped[str] = mapped_column(String(8))
    district_code: Mapped[str | None] = mapped_column(String(8))
    unit_2025_code: Mapped[str | None] = mapped_column(String(8))
    level_2025: Mapped[str | None] = mapped_column(String(10))
    province_2025_code: Mapped[str | None] = mapped_column(String(8))


class Versioned:
    """One row per version of a record: each change adds a version and closes the previous one.

    position is the feed position of the event that made the version (unique within the
    upstream feed the record comes from, so (record key, position) is a deterministic key);
    valid_from is when that event stood in the store (its recorded_at, see
    moments.in_store_at), valid_to the next version's valid_from, null while the version is
    current.
    """

    position: Mapped[int] = mapped_column(BigInteger)
    valid_from: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    valid_to: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    @classmethod
    def at(cls, as_of: datetime | None) -> Any:
        """The versions in force at a moment (recorded_at, UTC); None: the current ones."""
        if as_of is None:
            return cls.valid_to.is_(None)
        return and_(cls.valid_from <= as_of, or_(cls.valid_to.is_(None), cls.valid_to > as_of))


class ModelRow(UnitColumns, Base):
    """A "Dân vận khéo" model as it stands now."""

    __tablename__ = "model"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    sector: Mapped[str] = mapped_column(String(32))
    year: Mapped[int] = mapped_column(Integer)
    registered_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    recognised_on: Mapped[date | None] = mapped_column(Date)
    recognition_level: Mapped[str | None] = mapped_column(String(16))
    discontinued_on: Mapped[date | None] = mapped_column(Date)


class ModelFieldRow(Base):
    __tablename__ = "model_field"
    model_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    field: Mapped[str] = mapped_column(String(32), primary_key=True)


class ModelFact(UnitColumns, Base):
    """One countable occurrence: registered, recognised, commended, replicated, discontinued.

    A replication counts for the receiving unit, so its unit columns are the receiver's.
    """

    __tablename__ = "model_fact"
    event_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    model_id: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(16))
    occurred_on: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sector: Mapped[str] = mapped_column(String(32))
    model_year: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        Index("ix_model_fact_kind_occurred_on", "kind", "occurred_on"),
        Index("ix_model_fact_model_id", "model_id"),
        Index("ix_model_fact_province_code", "province_code"),
        Index("ix_model_fact_province_2025_code", "province_2025_code"),
        Index("ix_model_fact_district_code", "district_code"),
        Index("ix_model_fact_unit_code", "unit_code"),
        Index("ix_model_fact_partition", "province_code", "occurred_on"),
        Index("ix_model_fact_recorded_at", "recorded_at"),
    )


class ModelPresence(UnitColumns, Versioned, Base):
    """A model carried out at a unit (where registered, or replicated to) from since to until,
    one version per change (a discontinuation sets until)."""

    __tablename__ = "model_presence"
    model_id: Mapped[str] = mapped_column(String(36))
    unit_key: Mapped[str] = mapped_column(String(16))
    since: Mapped[date] = mapped_column(Date)
    until: Mapped[date | None] = mapped_column(Date)

    __table_args__ = (
        PrimaryKeyConstraint("model_id", "unit_key", "position"),
        Index("ix_model_presence_province_code", "province_code", "valid_to"),
        Index("ix_model_presence_province_2025_code", "province_2025_code", "valid_to"),
    )


class DialogueRow(UnitColumns, Base):
    """A dialogue conference as it stands now (the facts below carry the counts)."""

    __tablename__ = "dialogue"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    host_body: Mapped[str] = mapped_column(String(32))
    dialogue_kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    scheduled_on: Mapped[date] = mapped_column(Date)
    held_on: Mapped[date | None] = mapped_column(Date)
    participants: Mapped[int] = mapped_column(Integer, default=0)


class DialogueFact(UnitColumns, Base):
    """One occurrence of a dialogue: scheduled, held or cancelled, on its own date."""

    __tablename__ = "dialogue_fact"
    event_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    dialogue_id: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(16))
    occurred_on: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    dialogue_kind: Mapped[str] = mapped_column(String(16))
    host_body: Mapped[str] = mapped_column(String(32))
    participants: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (
        Index("ix_dialogue_fact_kind_occurred_on", "kind", "occurred_on"),
        Index("ix_dialogue_fact_province_code", "province_code"),
        Index("ix_dialogue_fact_district_code", "district_code"),
        Index("ix_dialogue_fact_unit_code", "unit_code"),
        Index("ix_dialogue_fact_partition", "province_code", "occurred_on"),
        Index("ix_dialogue_fact_recorded_at", "recorded_at"),
    )


class SupervisionRow(UnitColumns, Versioned, Base):
    """A supervision, social-criticism conference or People's Inspection case, one version per
    change (its own events, and its findings' kiến nghị being resolved or reopened)."""

    __tablename__ = "supervision"
    id: Mapped[str] = mapped_column(String(36))
    body: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(24))
    started_on: Mapped[date] = mapped_column(Date)
    concluded_on: Mapped[date | None] = mapped_column(Date)
    findings: Mapped[int] = mapped_column(Integer, default=0)
    violation_signs: Mapped[bool] = mapped_column(default=False)
    recommended: Mapped[bool] = mapped_column(default=False)
    kien_nghi_opened: Mapped[int] = mapped_column(Integer, default=0)
    kien_nghi_resolved: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (
        PrimaryKeyConstraint("id", "position"),
        Index("ix_supervision_kind_started_on", "kind", "valid_to", "started_on"),
        Index("ix_supervision_province_code", "province_code", "valid_to"),
        Index("ix_supervision_district_code", "district_code", "valid_to"),
        Index("ix_supervision_unit_code", "unit_code", "valid_to"),
        Index("ix_supervision_partition", "province_code", "started_on"),
    )


class FindingRow(Base):
    __tablename__ = "finding"
    finding_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    supervision_id: Mapped[str] = mapped_column(String(36), index=True)
    violation_signs: Mapped[bool] = mapped_column()
    recommended: Mapped[bool] = mapped_column()
    raised_on: Mapped[date] = mapped_column(Date)
    kien_nghi_id: Mapped[str | None] = mapped_column(String(36))


class KienNghiRow(UnitColumns, Versioned, Base):
    """A kiến nghị, one version per event; overdue is derived from due_on when asked."""

    __tablename__ = "kien_nghi"
    id: Mapped[str] = mapped_column(String(36))
    source: Mapped[str] = mapped_column(String(24))
    source_id: Mapped[str | None] = mapped_column(String(36))
    finding_id: Mapped[str | None] = mapped_column(String(36))
    category: Mapped[str] = mapped_column(String(24))
    received_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    agency: Mapped[str | None] = mapped_column(String(200))
    # the agency that has it or, reopened and not yet assigned again, had it last
    last_agency: Mapped[str | None] = mapped_column(String(200))
    assigned_on: Mapped[date | None] = mapped_column(Date)
    due_on: Mapped[date | None] = mapped_column(Date)
    answered_on: Mapped[date | None] = mapped_column(Date)
    resolved_on: Mapped[date | None] = mapped_column(Date)
    declined_on: Mapped[date | None] = mapped_column(Date)
    rating: Mapped[int | None] = mapped_column(Integer)
    rated_on: Mapped[date | None] = mapped_column(Date)
    reopened: Mapped[int] = mapped_column(Integer, default=0)
    # working days from receipt to resolution (Vietnam's calendar) while it stands resolved
    resolve_days: Mapped[int | None] = mapped_column(Integer)
    # what a citizen's app or an Open311 client may list; never personal data in clear
    content: Mapped[str] = mapped_column(Text, default="")
    status_notes: Mapped[str | None] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(String(16), default="api")
    citizen: Mapped[str | None] = mapped_column(String(64))
    personal: Mapped[str | None] = mapped_column(Text)  # sealed: only the dialogue service opens it
    requested_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # what Open311 shows of its media: whether the reporter agreed to publish the location and
    # media they gave, and how many attachments it has (their content stays sealed upstream)
    published: Mapped[bool] = mapped_column(default=False)
    attachment_count: Mapped[int] = mapped_column(Integer, default=0)
    # what the handling rules gave when it was received or last reopened (none before rules)
    priority: Mapped[str] = mapped_column(String(16), default="normal")
    rule_set: Mapped[str | None] = mapped_column(String(64))
    acknowledge_by: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    answer_by: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolve_by: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # how it was handled (docs/kien-nghi-handling.md): what the handling report judges by
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    tracking_code: Mapped[str | None] = mapped_column(String(20))
    transfers: Mapped[int] = mapped_column(Integer, default=0)
    extensions_requested: Mapped[int] = mapped_column(Integer, default=0)
    extensions_granted: Mapped[int] = mapped_column(Integer, default=0)
    extensions_refused: Mapped[int] = mapped_column(Integer, default=0)
    # the due day before the first extension granted since it was last assigned afresh: closed
    # by then is on time, by due_on late with an approved extension
    due_before_extension: Mapped[date | None] = mapped_column(Date)
    escalated: Mapped[int] = mapped_column(Integer, default=0)
    escalation_level: Mapped[str | None] = mapped_column(String(10))
    master_id: Mapped[str | None] = mapped_column(String(36))  # merged into it as a duplicate
    merged_on: Mapped[date | None] = mapped_column(Date)
    duplicates: Mapped[int] = mapped_column(Integer, default=0)  # merged into this one
    evidence_count: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (
        PrimaryKeyConstraint("id", "position"),
        Index("ix_kien_nghi_received_on", "received_on", "valid_to"),
        Index("ix_kien_nghi_due_on", "due_on"),  # overdue this month (reports.sources)
        Index("ix_kien_nghi_province_code", "province_code", "valid_to"),
        Index("ix_kien_nghi_citizen", "citizen", "valid_to"),
        Index("ix_kien_nghi_district_code", "district_code", "valid_to"),
        Index("ix_kien_nghi_unit_code", "unit_code", "valid_to"),
        Index("ix_kien_nghi_partition", "province_code", "received_on"),
        # GET /kien-nghi: the current ones of a province in a status, latest first (not a
        # partial index on valid_to IS NULL: PostgreSQL would scan all of it to find the
        # current versions of a few records, as the report cubes' deltas ask, cubes.py)
        *(
            Index(f"ix_kien_nghi_{column}_listed", column, "status", "valid_to", "requested_at")
            for column in ("province_code", "province_2025_code")
        ),
    )


class KienNghiStatusChange(UnitColumns, Base):
    """A step of a kiến nghị after its receipt (projections.kien_nghi.STEPS: acknowledged,
    assigned, transferred, extended, escalated, merged, answered, resolved, declined, reopened…),
    as Open311's servicerequestupdates and GET /kien-nghi/changes list them: append-only, one
    per event.

    step is the event's type (Assigned…), position its place in the dialogue feed (where its
    hash is: not here, as the chain seals an event a moment after the aggregator may have read
    it, and a read model holds only what a rebuild makes again the same); notes is what the
    step says (the answer, resolution, reason); recorded_at is when the service recorded it,
    as kien_nghi.updated_at shows it; citizen is the request's data subject, so that a reader
    may be shown what only its reporter may see.
    """

    __tablename__ = "kien_nghi_status_change"
    kien_nghi_id: Mapped[str] = mapped_column(String(36))
    position: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(16))
    category: Mapped[str] = mapped_column(String(24))
    notes: Mapped[str | None] = mapped_column(Text)
    agency: Mapped[str | None] = mapped_column(String(200))
    due_on: Mapped[date | None] = mapped_column(Date)
    citizen: Mapped[str | None] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    step: Mapped[str] = mapped_column(String(32))

    __table_args__ = (
        PrimaryKeyConstraint("kien_nghi_id", "position"),
        Index("ix_kien_nghi_status_change_recorded_at", "recorded_at"),
        # the change feed reads forward from a position, all of them or one agency's
        Index("ix_kien_nghi_status_change_position", "position"),
        Index("ix_kien_nghi_status_change_agency", "agency", "position"),
        *(
            Index(f"ix_kien_nghi_status_change_{column}", column, "recorded_at")
            for column in ("province_code", "province_2025_code")
        ),
    )


class AwardFact(UnitColumns, Base):
    """An honour conferred on a person or collective of a unit."""

    __tablename__ = "award_fact"
    event_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    award_id: Mapped[str] = mapped_column(String(36))
    award: Mapped[str] = mapped_column(String(32))
    recipient_kind: Mapped[str] = mapped_column(String(16))
    conferred_by: Mapped[str] = mapped_column(String(16))
    occurred_on: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        Index("ix_award_fact_occurred_on", "occurred_on"),
        Index("ix_award_fact_partition", "province_code", "occurred_on"),
        Index("ix_award_fact_recorded_at", "recorded_at"),
    )
