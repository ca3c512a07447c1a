"""The record kinds a workbook may hold: for each, its sheet, the API command a row becomes (the
write service's own request model) and the columns the row's cells fill."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any, get_args

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from services.dialogue.schemas import ReceiveKienNghi, ScheduleDialogue, StartSupervision
from services.dialogue.vocabulary import (
    DIALOGUE_KIND_NAMES_VI,
    HOST_BODY_NAMES_VI,
    KIEN_NGHI_CATEGORY_NAMES_VI,
    KIEN_NGHI_SOURCE_NAMES_VI,
    SUPERVISION_BODY_NAMES_VI,
    SUPERVISION_KIND_NAMES_VI,
    KienNghiSource,
)
from services.registry.schemas import RegisterModel
from services.registry.vocabulary import FIELD_NAMES_VI, SECTOR_NAMES_VI


@dataclass(frozen=True, eq=False)  # one of a kind: compared and hashed as itself
class Column:
    """A field of the request model, in one cell (or `cells` cells, for a list of codes)."""

    field: str
    vi: str
    en: str
    codes: Mapping[Any, str] = dataclasses.field(default_factory=dict)  # code → name: a list
    cells: int = 1  # a list of codes: one cell each ("Lĩnh vực 1", "Lĩnh vực 2"…)
    split: bool = False  # a list of texts in one cell, separated by ";"
    unit: bool = False  # a unit's code, or its name
    date: bool = False
    hint: tuple[str, str] = ("", "")  # shown as the header's note

    def title(self, index: int | None, lang: str) -> str:
        name = self.en if lang == "en" else self.vi
        return name if index is None else f"{name} {index + 1}"


@dataclass(frozen=True)
class Cell:
    """One column of a sheet: a field, and for a field spread over cells, which item."""

    column: Column
    index: int | None = None

    def title(self, lang: str) -> str:
        return self.column.title(self.index, lang)


@dataclass(frozen=True)
class Kind:
    key: str
    vi: str  # the sheet's title
    en: str
    service: str  # registry or dialogue
    path: str  # the API's creation command
    request: type[BaseModel]
    date_field: str  # the record's date: the day its unit must exist on
    columns: tuple[Column, ...]

    @property
    def cells(self) -> tuple[Cell, ...]:
        return tuple(
            Cell(c, i if c.cells > 1 else None) for c in self.columns for i in range(c.cells)
        )

    @cached_property
    def number_fields(self) -> set[str]:
        """The fields the API takes as numbers: a cell's number stays one there only."""
        return {c.field for c in self.columns if _field_of(self.request, c.field).annotation is int}

    def required(self, column: Column) -> bool:
        """Required by the request: itself and every field it is nested in (the held
        dialogue's participants only once the dialogue is held)."""
        parts = column.field.split(".")
        paths = [".".join(parts[: n + 1]) for n in range(len(parts))]
        return all(_field_of(self.request, path).is_required() for path in paths)

    def title(self, lang: str) -> str:
        return self.en if lang == "en" else self.vi


def _field_of(model: type[BaseModel], path: str) -> FieldInfo:
    """The request model's field at a dotted path (held.participants: of the nested model)."""
    name, _, rest = path.partition(".")
    info = model.model_fields[name]
    if not rest:
        return info
    nested = next(t for t in (info.annotation, *get_args(info.annotation)) if _is_model(t))
    return _field_of(nested, rest)


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


UNIT = Column(
    "unit_code",
    "Đơn vị",
    "Unit",
    unit=True,
    hint=(
        "Mã đơn vị hành chính (tỉnh 2 số, huyện 3 số, xã 5 số) hoặc tên, ví dụ "
        "'Phường Trúc Bạch, Quận Ba Đình'; đơn vị phải tồn tại vào ngày của bản ghi.",
        "The administrative unit's code (province 2 digits, district 3, commune 5) or its "
        "name, e.g. 'Phường Trúc Bạch, Quận Ba Đình'; it must exist on the record's date.",
    ),
)
DATE_HINT = (
    "Ngày dạng YYYY-MM-DD hoặc DD/MM/YYYY; trống: hôm nay.",
    "YYYY-MM-DD or DD/MM/YYYY; empty: today.",
)


def on(field_name: str, vi: str, en: str) -> Column:
    return Column(field_name, vi, en, date=True, hint=DATE_HINT)


MODELS = Kind(
    "models",
    "Mô hình",
    "Models",
    "registry",
    "/models",
    RegisterModel,
    "registered_on",
    (
        Column("title", "Tên mô hình", "Title"),
        Column("description", "Mô tả", "Description"),
        UNIT,
        Column("body", "Cơ quan, tổ chức đăng ký", "Registering body"),
        Column("sector", "Khối", "Sector", SECTOR_NAMES_VI),
        Column("fields", "Lĩnh vực", "Field", FIELD_NAMES_VI, cells=3),
        Column("year", "Năm thi đua", "Emulation year"),
        on("registered_on", "Ngày đăng ký", "Registered on"),
    ),
)
DIALOGUES = Kind(
    "dialogues",
    "Đối thoại",
    "Dialogues",
    "dialogue",
    "/dialogues",
    ScheduleDialogue,
    "scheduled_on",
    (
        UNIT,
        Column("host_body", "Chủ trì thuộc", "Host body", HOST_BODY_NAMES_VI),
        Column("host_title", "Chức danh người chủ trì", "Host's title"),
        Column("kind", "Hình thức", "Kind", DIALOGUE_KIND_NAMES_VI),
        Column("title", "Tên hội nghị", "Title"),
        Column(
            "topics",
            "Chủ đề",
            "Topics",
            split=True,
            hint=("Cách nhau bởi dấu chấm phẩy (;).", "Separated by semicolons (;)."),
        ),
        on("scheduled_on", "Ngày tổ chức (dự kiến)", "Scheduled on"),
        # a dialogue already held: recorded scheduled and held at once (POST /dialogues, held)
        Column(
            "held.held_on",
            "Đã tổ chức ngày",
            "Held on",
            date=True,
            hint=(
                "Chỉ khi hội nghị đã tổ chức; trống mà có số người tham dự: ngày tổ chức.",
                "Only for a dialogue already held; empty with participants given: the day "
                "it was scheduled.",
            ),
        ),
        Column("held.participants", "Số người tham dự", "Participants"),
        Column("held.summary", "Kết quả, ý kiến tiếp thu", "Summary"),
    ),
)
SUPERVISIONS = Kind(
    "supervisions",
    "Giám sát",
    "Supervisions",
    "dialogue",
    "/supervisions",
    StartSupervision,
    "started_on",
    (
        UNIT,
        Column("body", "Chủ thể giám sát", "Supervising body", SUPERVISION_BODY_NAMES_VI),
        Column("kind", "Loại hoạt động", "Kind", SUPERVISION_KIND_NAMES_VI),
        Column("subject", "Đối tượng giám sát", "Subject"),
        Column("title", "Tên hoạt động", "Title"),
        on("started_on", "Ngày bắt đầu", "Started on"),
    ),
)
KIEN_NGHI = Kind(
    "kien-nghi",
    "Kiến nghị",
    "Kiến nghị",
    "dialogue",
    "/kien-nghi",
    ReceiveKienNghi,
    "received_on",
    (
        Column(
            "source",
            "Nguồn",
            "Source",
            # those of supervision findings are opened by raising the finding, never received
            {
                code: name
                for code, name in KIEN_NGHI_SOURCE_NAMES_VI.items()
                if code is not KienNghiSource.SUPERVISION_FINDING
            },
        ),
        Column(
            "source_id",
            "Mã hội nghị đối thoại",
            "Dialogue id",
            hint=("Chỉ khi nguồn là hội nghị đối thoại.", "Only when the source is a dialogue."),
        ),
        UNIT,
        Column("category", "Lĩnh vực", "Category", KIEN_NGHI_CATEGORY_NAMES_VI),
        Column("content", "Nội dung", "Content"),
        on("received_on", "Ngày tiếp nhận", "Received on"),
    ),
)
KINDS = {kind.key: kind for kind in (MODELS, DIALOGUES, SUPERVISIONS, KIEN_NGHI)}
