"""Request and response shapes of the dialogue service's API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from services.dialogue.domain.tracking import TRACKING_CODE_PATTERN
from services.dialogue.vocabulary import (
    DialogueKind,
    HostBody,
    KienNghiCategory,
    KienNghiPriority,
    KienNghiSource,
    SupervisionBody,
    SupervisionKind,
)
from shared.input_types import IsoDate, IsoDateTime, NonBlankText, PlainText
from shared.units import UnitCode

ShortText = Annotated[NonBlankText, Field(min_length=1, max_length=300)]
Reason = Annotated[NonBlankText, Field(min_length=1, max_length=2000)]
LongText = Annotated[NonBlankText, Field(min_length=1, max_length=5000)]
Topic = Annotated[NonBlankText, Field(min_length=1, max_length=200)]


class Command(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class RaisedKienNghi(Command):
    """A kiến nghị raised at the conference: received with it, linked to it."""

    category: KienNghiCategory
    content: LongText


class HoldDialogue(Command):
    held_on: IsoDate | None = None
    participants: int = Field(ge=1, le=1_000_000)
    topics: list[Topic] | None = Field(
        default=None, max_length=20, description="topics discussed; defaults to those scheduled"
    )
    summary: Annotated[PlainText, Field(max_length=5000)] = ""
    kien_nghi: list[RaisedKienNghi] = Field(
        default_factory=list,
        max_length=200,
        description="the kiến nghị raised there: each received in the same transaction, source "
        "dialogue, linked to it (source_id), on the day it was held",
    )


class ScheduleDialogue(Command):
    unit_code: UnitCode
    host_body: HostBody
    host_title: Annotated[NonBlankText, Field(min_length=1, max_length=200)] = Field(
        description="the head who hosts it, e.g. Bí thư Quận ủy"
    )
    kind: DialogueKind
    title: ShortText
    topics: list[Topic] = Field(default_factory=list, max_length=20)
    scheduled_on: IsoDate | None = Field(
        default=None, description="may be ahead; defaults to today"
    )
    held: HoldDialogue | None = Field(
        default=None,
        description="a dialogue already held (its record kept elsewhere, say): scheduled and "
        "held in one transaction, as POST /dialogues/{id}/held would record it; its held_on "
        "defaults to scheduled_on",
    )


class CancelDialogue(Command):
    reason: Reason
    cancelled_on: IsoDate | None = None


class StartSupervision(Command):
    unit_code: UnitCode
    body: SupervisionBody
    kind: SupervisionKind
    subject: ShortText = Field(description="the agency or matter supervised")
    title: ShortText
    started_on: IsoDate | None = None


class RaiseFinding(Command):
    summary: LongText
    violation_signs: bool = False
    recommendation: LongText | None = Field(
        default=None, description="opens a kiến nghị to the competent authority"
    )
    category: KienNghiCategory | None = Field(
        default=None,
        description="the kiến nghị's category: required with a recommendation, else unused",
    )
    raised_on: IsoDate | None = None


class ConcludeSupervision(Command):
    conclusion: LongText
    concluded_on: IsoDate | None = None


class ReceiveKienNghi(Command):
    source: KienNghiSource = Field(description="supervision_finding ones are opened by findings")
    source_id: Annotated[NonBlankText, Field(min_length=1, max_length=100)] | None = Field(
        default=None, description="the held dialogue's id when source is dialogue"
    )
    unit_code: UnitCode
    category: KienNghiCategory
    content: LongText
    received_on: IsoDate | None = None


Agency = Annotated[NonBlankText, Field(min_length=1, max_length=200)]
Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


class AcknowledgeKienNghi(Command):
    acknowledged_at: IsoDateTime | None = Field(
        default=None, description="with its UTC offset, not ahead of now; default: now"
    )


class TransferKienNghi(Command):
    agency: Agency = Field(description="the agency it goes to")
    reason: Reason
    transferred_on: IsoDate | None = None


class RequestExtension(Command):
    reason: Reason
    requested_on: IsoDate | None = None


class GrantExtension(Command):
    reason: Reason
    due_on: IsoDate | None = Field(
        default=None,
        description="after the present due day, not after the one the rule's extension "
        "gives; default: that one",
    )
    granted_on: IsoDate | None = None


class RefuseExtension(Command):
    reason: Reason
    refused_on: IsoDate | None = None


class EscalateKienNghi(Command):
    reason: Reason
    escalated_on: IsoDate | None = None


class MergeKienNghi(Command):
    master_id: UUID = Field(description="the kiến nghị it duplicates, followed from now on")
    reason: Reason
    merged_on: IsoDate | None = None


class AssignKienNghi(Command):
    agency: Agency
    due_on: IsoDate | None = Field(
        default=None,
        description="not before assigned_on, not after the day the handling rules give "
        "(deadlines.resolve_by); default: that day",
    )
    assigned_on: IsoDate | None = None


class AnswerKienNghi(Command):
    answer: LongText
    answered_on: IsoDate | None = None
    evidence: list[Sha256] = Field(
        default_factory=list,
        max_length=20,
        description="SHA-256 of files uploaded to POST /kien-nghi/{id}/evidence; required "
        "where the handling rule says so",
    )


class ClassifyKienNghi(Command):
    priority: KienNghiPriority
    category: KienNghiCategory | None = Field(default=None, description="default: unchanged")
    classified_on: IsoDate | None = None


class ResolveKienNghi(Command):
    resolution: LongText
    resolved_on: IsoDate | None = None


class DeclineKienNghi(Command):
    reason: Reason
    declined_on: IsoDate | None = None


class RateKienNghi(Command):
    rating: int = Field(ge=1, le=5)
    comment: Annotated[PlainText, Field(max_length=2000)] = ""
    rated_on: IsoDate | None = None


class ReopenKienNghi(Command):
    reason: Reason
    reopened_on: IsoDate | None = None


class Ref(BaseModel):
    id: str
    version: int


class HeldRef(Ref):
    kien_nghi_ids: list[str] = Field(
        default_factory=list, description="the kiến nghị raised there, in order"
    )


class Acknowledged(Ref):
    tracking_code: str = Field(pattern=TRACKING_CODE_PATTERN)


class Extended(Ref):
    due_on: date | None


class FindingRef(Ref):
    finding_id: str
    kien_nghi_id: str | None


class View(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    version: int
    unit_code: str
    unit_structure: str
    created_on: datetime
    modified_on: datetime


class DialogueView(View):
    host_body: str
    host_title: str
    kind: str
    title: str
    topics: list[str]
    scheduled_on: date
    status: str
    held_on: date | None
    participants: int | None
    summary: str | None
    cancelled_on: date | None
    cancelled_reason: str | None
    next_steps: list[str] = Field(
        default_factory=list,
        description="the steps (endpoints under /dialogues/{id}/) its state allows now",
    )


class Finding(BaseModel):
    finding_id: str
    summary: str
    violation_signs: bool
    recommendation: str | None
    raised_on: date
    kien_nghi_id: str | None


class SupervisionView(View):
    body: str
    kind: str
    subject: str
    title: str
    started_on: date
    status: str
    findings: list[Finding]
    conclusion: str | None
    concluded_on: date | None
    next_steps: list[str] = Field(
        default_factory=list,
        description="the steps (endpoints under /supervisions/{id}/) its state allows now",
    )


class Deadlines(BaseModel):
    """What the handling rules in force when it was received (or reopened) gave."""

    rule_set: str = Field(description="the rule set's id (GET /handling-rules)")
    priority: KienNghiPriority
    clock_from: datetime = Field(description="when its clock started, Vietnam's time")
    acknowledge_by: datetime
    answer_by: datetime
    resolve_by: datetime


class MasterView(BaseModel):
    """What a merged duplicate's citizen follows: the master's progress and answer."""

    model_config = ConfigDict(from_attributes=True)

    id: UUID
    status: str
    agency: str | None
    due_on: date | None
    last_answer: dict[str, Any] | None
    closure: dict[str, Any] | None


class KienNghiView(View):
    source: str
    source_id: str | None
    finding_id: str | None
    category: str
    content: str
    received_on: date
    status: str
    agency: str | None
    due_on: date | None
    assigned_on: date | None
    overdue: bool = Field(default=False, description="derived: open and past its due date, today")
    last_answer: dict[str, Any] | None
    closure: dict[str, Any] | None
    ratings: list[dict[str, Any]]
    reopenings: int
    priority: KienNghiPriority = KienNghiPriority.NORMAL
    deadlines: Deadlines | None = Field(
        default=None, description="none for records received before there were rules"
    )
    channel: str = "api"
    citizen: str | None = Field(default=None, description="pseudonymous data subject")
    attachments: list[str] = Field(default_factory=list, description="SHA-256 of each file")
    contact: dict[str, Any] | None = Field(
        default=None, description="opened for officers and admins; null once erased"
    )
    tracking_code: str | None = Field(default=None, description="given when acknowledged")
    acknowledged_at: datetime | None = None
    transfers: int = 0
    extension_request: dict[str, Any] | None = Field(
        default=None, description="a request for more time awaiting a decision"
    )
    extensions_granted: int = 0
    due_before_extension: date | None = Field(
        default=None, description="the due day before the first extension was granted"
    )
    escalated_to: str | None = Field(default=None, description="province or central")
    master_id: str | None = Field(default=None, description="merged as a duplicate of it")
    master: MasterView | None = Field(
        default=None, description="the master's progress, for a merged duplicate"
    )
    duplicates: list[str] = Field(default_factory=list, description="merged into this one")
    evidence: list[str] = Field(default_factory=list, description="SHA-256 of answers' files")
    next_steps: list[str] = Field(
        default_factory=list,
        description="the steps (endpoints under /kien-nghi/{id}/) its state allows now; a rule "
        "may still refuse one (extensions_exhausted, evidence_required)",
    )
