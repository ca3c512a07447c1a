"""Answer templates per category, kept as data (data/answer_templates.toml says what a template
is): the text an agency's answer to a kiến nghị starts from, filled from the record."""

from __future__ import annotations

import string
import tomllib
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from services.dialogue.vocabulary import KIEN_NGHI_CATEGORY_NAMES_VI, KienNghiCategory

PLACEHOLDERS = frozenset({"tracking_code", "received_on", "agency", "category"})
CATEGORY_NAMES_EN = {
    KienNghiCategory.LAND: "land",
    KienNghiCategory.ENVIRONMENT: "environment",
    KienNghiCategory.INFRASTRUCTURE: "infrastructure",
    KienNghiCategory.SOCIAL_POLICY: "social policy",
    KienNghiCategory.PUBLIC_ORDER: "public order and security",
    KienNghiCategory.ADMINISTRATION: "administrative procedures",
    KienNghiCategory.URBAN_ORDER: "urban order",
    KienNghiCategory.OTHER: "other",
}


class Words(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    vi: str = Field(min_length=1)
    en: str = Field(min_length=1)


class AnswerTemplate(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    key: str = Field(pattern=r"^[a-z0-9-]{1,64}$")
    categories: tuple[KienNghiCategory, ...] = Field(
        default=(), description="the categories it is for; none: every kiến nghị"
    )
    title: Words
    text: Words

    @field_validator("text")
    @classmethod
    def _known_placeholders(cls, text: Words) -> Words:
        for words in (text.vi, text.en):
            named = {name for _, name, _, _ in string.Formatter().parse(words) if name is not None}
            if unknown := named - PLACEHOLDERS:
                raise ValueError(f"unknown placeholders {sorted(unknown)}")
        return text

    def fits(self, category: str) -> bool:
        return not self.categories or category in self.categories

    def filled(self, record: Any) -> AnswerTemplate:
        """This template with the kiến nghị's facts in place of its placeholders."""
        facts = {
            lang: {
                "tracking_code": record.tracking_code or "—",
                "received_on": record.received_on.strftime("%d/%m/%Y"),
                "agency": record.agency or "—",
                "category": names.get(record.category, record.category),
            }
            for lang, names in (("vi", KIEN_NGHI_CATEGORY_NAMES_VI), ("en", CATEGORY_NAMES_EN))
        }
        text = Words(
            vi=self.text.vi.format_map(facts["vi"]), en=self.text.en.format_map(facts["en"])
        )
        return self.model_copy(update={"text": text})


class AnswerTemplates(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    templates: tuple[AnswerTemplate, ...]

    @model_validator(mode="after")
    def _every_category_has_its_own(self) -> AnswerTemplates:
        keys = [t.key for t in self.templates]
        if len(set(keys)) != len(keys):
            raise ValueError("template keys repeat")
        bare = set(KienNghiCategory) - {c for t in self.templates for c in t.categories}
        if bare:
            raise ValueError(f"no template of their own for {sorted(bare)}")
        return self

    @classmethod
    def load(cls, path: Path | None = None) -> AnswerTemplates:
        shipped = resources.files("services.dialogue").joinpath("data/answer_templates.toml")
        return cls.model_validate(tomllib.loads((path or shipped).read_text("utf-8")))

    def for_record(self, record: Any) -> list[AnswerTemplate]:
        """A kiến nghị's templates, filled: its category's own first, then those for all."""
        own = [t for t in self.templates if record.category in t.categories]
        shared = [t for t in self.templates if not t.categories]
        return [t.filled(record) for t in own + shared]


@cache
def shipped_templates() -> AnswerTemplates:
    return AnswerTemplates.load()
