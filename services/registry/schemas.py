"""Request and response shapes of the registry API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from services.registry.vocabulary import (
    AwardKind,
    ModelField,
    RecipientKind,
    RecognitionLevel,
    Sector,
)
from shared.input_types import IsoDate, NonBlankText, PlainText
from shared.units import UnitCode

ShortText = Annotated[NonBlankText, Field(min_length=1, max_length=300)]
LongText = Annotated[PlainText, Field(max_length=5000)]


class Command(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class RegisterModel(Command):
    title: ShortText
    description: LongText = ""
    unit_code: UnitCode
    body: ShortText = Field(description="the registering body, e.g. Hội LHPN phường Trúc Bạch")
    sector: Sector
    fields: list[ModelField] = Field(min_length=1, max_length=10)
    year: int = Field(ge=2009, le=2100, description="emulation year; Dân vận khéo began in 2009")
    registered_on: IsoDate | None = Field(default=None, description="defaults to today")


class ReportProgress(Command):
    summary: Annotated[NonBlankText, Field(min_length=1, max_length=5000)]
    reported_on: IsoDate | None = None


class RecogniseModel(Command):
    level: RecognitionLevel
    recognised_on: IsoDate | None = None
    decision: Annotated[PlainText, Field(max_length=300)] | None = None


class CommendModel(Command):
    award: ShortText = Field(description="e.g. Bằng khen của UBND Thành phố")
    level: RecognitionLevel
    commended_on: IsoDate | None = None


class ReplicateModel(Command):
    to_unit_code: UnitCode
    replicated_on: IsoDate | None = None


class DiscontinueModel(Command):
    reason: Annotated[NonBlankText, Field(min_length=1, max_length=2000)]
    discontinued_on: IsoDate | None = None


class ModelRef(BaseModel):
    id: str
    version: int


class ModelView(BaseModel):
    id: str
    version: int
    title: str
    description: str
    unit_code: str
    unit_structure: str
    body: str
    sector: str
    fields: list[str]
    year: int
    registered_on: date
    status: str
    progress_reports: int
    last_progress_on: date | None
    recognition: dict[str, Any] | None
    awards: list[dict[str, Any]]
    replicated_to: list[dict[str, Any]]
    discontinued_on: date | None
    discontinued_reason: str | None
    created_on: datetime
    modified_on: datetime
    next_steps: list[str] = Field(
        default_factory=list,
        description="the steps (endpoints under /models/{id}/) its state allows now",
    )


class ConferAward(Command):
    award: AwardKind
    recipient_kind: RecipientKind
    recipient: ShortText = Field(description="the person or collective honoured")
    unit_code: UnitCode = Field(description="the recipient's unit")
    conferred_by: RecognitionLevel
    conferred_on: IsoDate | None = None
    reason: LongText = ""


class AwardView(BaseModel):
    id: str
    version: int
    award: str
    recipient_kind: str
    recipient: str
    unit_code: str
    unit_structure: str
    conferred_by: str
    conferred_on: date
    reason: str
    next_steps: list[str] = Field(
        default_factory=list,
        description="always empty: an award is conferred once; a correction is a new record",
    )
