"""What the aggregator's lists and follower endpoints answer, for its OpenAPI document.

Typed dicts, not models: a key that may be absent is NotRequired (absent, never null), and
every object is closed (`additionalProperties: false`), so the document says exactly what the
code emits (listing.py, reports/coverage.py, api.py). The routes that build their JSON
themselves keep doing so; these shapes only describe it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal, NotRequired

from pydantic import ConfigDict, Field, with_config
from typing_extensions import TypedDict

from services.registry.vocabulary import ModelField

CLOSED = ConfigDict(extra="forbid")
Locale = Literal["vi", "en"]
ReportStructure = Literal["recorded", "2025"]
UnitStructure = Literal["legacy", "2025"]


@with_config(CLOSED)
class KienNghiItem(TypedDict):
    """Một kiến nghị, không có dữ liệu cá nhân dạng rõ / one kiến nghị, no personal data in
    clear."""

    id: str
    status: Annotated[str, Field(description="received, assigned, answered, resolved, …")]
    open: Annotated[bool, Field(description="đang xử lý / not yet resolved or declined")]
    category: str
    source: str
    channel: Annotated[str, Field(description="api, app, open311, …")]
    content: str
    status_notes: str | None
    agency: str | None
    unit_code: str
    unit_structure: UnitStructure
    received_on: date
    due_on: date | None
    tracking_code: Annotated[str | None, Field(description="given when acknowledged")]
    requested_at: datetime | None
    updated_at: datetime | None
    citizen: Annotated[str | None, Field(description="the data subject's pseudonym")]
    personal: Annotated[
        str | None, Field(description="sealed personal data: only the dialogue service opens it")
    ]
    published: bool
    attachment_count: int
    priority: Annotated[str, Field(description="normal, urgent, complex")]
    resolve_by: Annotated[
        datetime | None,
        Field(description="the handling rules' deadline to resolve it (none before rules)"),
    ]


@with_config(CLOSED)
class KienNghiPage(TypedDict):
    items: list[KienNghiItem]


@with_config(CLOSED)
class StatusChange(TypedDict):
    """Một bước xử lý kiến nghị / one step of a kiến nghị after its receipt."""

    kien_nghi_id: str
    position: int
    step: Annotated[
        str, Field(description="the event: Acknowledged, Assigned, Transferred, Escalated…")
    ]
    status: Annotated[
        str, Field(description="received, assigned, answered, resolved, declined, reopened, merged")
    ]
    category: str
    notes: str | None
    agency: str | None
    due_on: date | None
    citizen: str | None
    recorded_at: datetime
    unit_code: str
    unit_structure: UnitStructure


@with_config(CLOSED)
class StatusChangePage(TypedDict):
    items: list[StatusChange]


@with_config(CLOSED)
class Change(TypedDict):
    """Một bước xử lý kiến nghị trong dòng thay đổi / one step of a kiến nghị in the change
    feed."""

    kien_nghi_id: str
    position: Annotated[int, Field(description="the event's position in the dialogue feed")]
    step: Annotated[
        str, Field(description="the event: Assigned, Answered, Resolved, Declined, Reopened…")
    ]
    status: Annotated[str, Field(description="the kiến nghị's status after it")]
    agency: str | None
    due_on: date | None
    notes: Annotated[
        str | None,
        Field(description="what the step says; a reopening's reason only to who handles it"),
    ]
    recorded_at: datetime
    category: str
    unit_code: str
    unit_structure: UnitStructure


@with_config(CLOSED)
class ChangeFeedPage(TypedDict):
    items: list[Change]
    next: Annotated[int, Field(description="the position to pass back as after=")]


@with_config(CLOSED)
class SearchUnit(TypedDict):
    code: str
    name: Annotated[str | None, Field(description="null: a code the catalogue no longer has")]
    structure: UnitStructure


@with_config(CLOSED)
class SearchHit(TypedDict):
    """Một hồ sơ tìm thấy / one record found."""

    kind: Literal["model", "dialogue", "supervision", "kien_nghi"]
    id: str
    title: Annotated[str, Field(description="a kiến nghị's: the start of its content")]
    snippet: Annotated[str, Field(description="its text around the first word found")]
    status: Annotated[
        str,
        Field(
            description="model: active, discontinued; dialogue: scheduled, held, cancelled; "
            "supervision: open, concluded; kiến nghị: received, assigned, answered, resolved, …"
        ),
    ]
    date: Annotated[date, Field(description="registered, held (or scheduled), started, received")]
    tracking_code: Annotated[str | None, Field(description="a kiến nghị's, once acknowledged")]
    unit: SearchUnit
    service: Annotated[
        Literal["registry", "dialogue"], Field(description="the service the record lives in")
    ]
    path: Annotated[str, Field(description="the record there: GET it with the same token")]
    page: Annotated[
        str | None, Field(description="its page on the dashboard (a kiến nghị's work page)")
    ]


@with_config(CLOSED)
class SearchPage(TypedDict):
    items: list[SearchHit]
    next: Annotated[str | None, Field(description="pass as cursor= for the next page")]
    total: Annotated[int, Field(description="how many match (at most 10000)")]
    total_exact: Annotated[bool, Field(description="false: more than total match")]


@with_config(CLOSED)
class InboxItem(TypedDict):
    """Một kiến nghị trong hộp việc / one kiến nghị of an inbox: no citizen, no personal
    data."""

    id: str
    tracking_code: Annotated[str | None, Field(description="given when acknowledged")]
    excerpt: Annotated[str, Field(description="the start of its content")]
    category: str
    unit_code: str
    unit_structure: UnitStructure
    agency: str | None
    status: Annotated[str, Field(description="received, assigned, answered, reopened")]
    priority: Annotated[str, Field(description="normal, urgent, complex")]
    received_on: date
    due_day: Annotated[
        date | None,
        Field(description="the assignment's due day, else the rules' resolve-by day"),
    ]
    days_left: Annotated[
        int | None,
        Field(description="working days to the due day: 0 due today, negative when overdue"),
    ]
    next_step: Annotated[
        Literal["acknowledge", "assign", "decide_extension", "answer", "resolve"],
        Field(description="the step allowed next (docs/kien-nghi-handling.md)"),
    ]
    next_by: Annotated[
        Literal["unit", "agency"],
        Field(description="whose step it is: the unit's desk or the agency assigned"),
    ]


@with_config(CLOSED)
class InboxCounts(TypedDict):
    mine: int
    due_soon: int
    overdue: int
    waiting: int


@with_config(CLOSED)
class InboxPage(TypedDict):
    """Hộp việc kiến nghị / a kiến nghị inbox: one view's page and every view's count."""

    view: Literal["mine", "due_soon", "overdue", "waiting"]
    agency: Annotated[
        str | None, Field(description="whose inbox: an agency's; null: the caller's units'")
    ]
    unit: str | None
    today: Annotated[date, Field(description="the day the views are reckoned from (Vietnam)")]
    within: Annotated[int, Field(description="working days that count as due soon")]
    counts: InboxCounts
    items: list[InboxItem]
    next: Annotated[str | None, Field(description="cursor= for the next page; null: the last")]


@with_config(CLOSED)
class FollowerProgress(TypedDict):
    """Tiến độ theo dõi một nguồn / how far one upstream's feed has been applied."""

    upstream: str
    store_id: Annotated[str | None, Field(description="null until a first page is applied")]
    position: int
    last_error: str | None


@with_config(CLOSED)
class CoverageFormatted(TypedDict):
    communes: str
    covered: str
    ratio: str | None


@with_config(CLOSED)
class CoverageShare(TypedDict):
    """Độ phủ của một đơn vị / one unit's coverage."""

    unit: str
    unit_name: str
    communes: Annotated[int, Field(description="Số xã, phường, thị trấn / communes")]
    covered: Annotated[int, Field(description="Số xã có mô hình / communes with a model")]
    ratio: Annotated[float | None, Field(description="covered / communes; null: no commune")]
    formatted: NotRequired[CoverageFormatted]  # with locale=


class ModelCoverage(CoverageShare):
    """Độ phủ mô hình: đơn vị được hỏi và các đơn vị trực thuộc / model coverage of the unit
    asked and of each unit under it (but communes)."""

    report: Literal["model_coverage"]
    structure: ReportStructure
    on: date
    fields: list[ModelField]
    children: list[CoverageShare]
    as_of: NotRequired[datetime]  # with as_of=
    locale: NotRequired[Locale]  # with locale=


Period = TypedDict("Period", {"label": str, "from": date, "to": date})
with_config(CLOSED)(Period)
