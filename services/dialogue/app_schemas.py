"""Shapes of the native citizen app API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from services.dialogue.schemas import Deadlines
from services.dialogue.vocabulary import KienNghiCategory
from shared.input_types import NonBlankText, PlainText
from shared.units import UnitCode

Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


PHONE = r"^\+?[0-9][0-9 .-]{4,18}[0-9]$"  # nothing to strip at its ends: the schema holds


class Contact(BaseModel):
    """Personal data: sealed under the citizen's own key, never stored in clear."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    name: Annotated[PlainText, Field(max_length=100)] | None = None
    phone: Annotated[str, Field(max_length=20, pattern=PHONE)] | None = None
    email: (
        Annotated[
            PlainText,
            Field(max_length=254, pattern=r"^[^@\s\x00-\x1f]+@[^@\s\x00-\x1f]+\.[^@\s\x00-\x1f]+$"),
        ]
        | None
    ) = None
    address: Annotated[PlainText, Field(max_length=500)] | None = None


class SubmitKienNghi(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    category: KienNghiCategory
    content: Annotated[NonBlankText, Field(min_length=1, max_length=4000)]
    unit_code: UnitCode | None = Field(default=None, description="or give lat and long")
    lat: Annotated[float, Field(ge=-90, le=90)] | None = None
    long: Annotated[float, Field(ge=-180, le=180)] | None = None
    attachments: list[Sha256] = Field(default_factory=list, max_length=10)
    contact: Contact | None = None
    device_id: Annotated[PlainText, Field(max_length=128)] | None = None


class RateOwn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    rating: Annotated[int, Field(ge=1, le=5)]
    comment: Annotated[PlainText, Field(max_length=1000)] = ""


class ReopenOwn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    reason: Annotated[NonBlankText, Field(min_length=1, max_length=2000)]


class Submitted(BaseModel):
    id: str
    version: int
    unit_code: str
    unit_name: str


class AttachmentRef(BaseModel):
    sha256: str
    media_type: str
    size: int


class OwnKienNghi(BaseModel):
    """What a citizen sees of their own kiến nghị."""

    id: str
    version: int
    status: str
    category: str
    content: str
    unit_code: str
    received_on: date
    agency: str | None
    due_on: date | None
    overdue: bool
    deadlines: Deadlines | None = Field(
        default=None, description="what the handling rules gave (GET /handling-rules)"
    )
    answer: dict[str, Any] | None
    closure: dict[str, Any] | None
    ratings: list[dict[str, Any]]
    reopenings: int
    reopen_until: date | None
    contact: dict[str, Any] | None
    attachments: list[AttachmentRef]
    tracking_code: str | None = Field(default=None, description="to quote on the phone")
    extensions_granted: int = 0
    escalated_to: str | None = None
    master: OwnMaster | None = Field(
        default=None, description="merged as a duplicate: the kiến nghị handled for it"
    )
    evidence: list[AttachmentRef] = Field(
        default_factory=list, description="files answering it (its master's, if merged)"
    )
    steps: list[Step] = Field(default_factory=list, description="each step, oldest first")


class Step(BaseModel):
    step: str = Field(description="the event: Received, Acknowledged, Assigned, …")
    recorded_at: datetime


class OwnMaster(BaseModel):
    id: str
    status: str
    agency: str | None
    due_on: date | None
    answer: dict[str, Any] | None
    closure: dict[str, Any] | None


class Erase(BaseModel):
    model_config = ConfigDict(extra="forbid")
    subject: Annotated[NonBlankText, Field(min_length=1, max_length=64)] | None = None
    kien_nghi_id: UUID | None = None
    reason: Annotated[NonBlankText, Field(min_length=1, max_length=500)]


class OwnListItem(BaseModel):
    """A citizen's own kiến nghị in their list, as the read side holds it."""

    id: str
    status: str
    category: str
    content: str
    agency: str | None
    status_notes: str | None
    received_on: date
    due_on: date | None
    updated_at: datetime | None


class OwnList(BaseModel):
    items: list[OwnListItem]


class Changed(BaseModel):
    id: str
    version: int


class Erased(BaseModel):
    subject: str
    erased: bool
