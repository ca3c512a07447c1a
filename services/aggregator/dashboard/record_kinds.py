"""The records that have a work page: where their API is, their steps and events by name, and
what of their view the page shows. Their words are in work_text."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from services.aggregator.dashboard import work_text as words
from services.aggregator.rendering import codes
from services.aggregator.rendering.codes import Text


@dataclass(frozen=True)
class RecordKind:
    slug: str  # the page's path and the API's: /dashboard/{slug}/{id}, /{slug}/{id}
    service: str
    title: Text
    steps: Mapping[str, Text]
    events: Mapping[str, Text]
    facts: tuple[str, ...]  # the view's fields the page shows, in order
    choices: Mapping[str, Mapping[str, Text]]  # coded fields' values by name
    heading: Callable[[dict[str, Any]], str | None]
    # step → (the record's path that lists texts to start it from, the field they fill)
    templates: Mapping[str, tuple[str, str]] = field(default_factory=dict)


KIEN_NGHI = RecordKind(
    slug="kien-nghi",
    service="dialogue",
    title=("Kiến nghị", "Kiến nghị"),
    steps=words.KIEN_NGHI_STEPS,
    events=words.KIEN_NGHI_EVENTS,
    facts=("status", "tracking_code", "received_on", "category", "agency", "due_on", "content"),
    choices={
        "status": codes.KIEN_NGHI_STATUSES,
        "priority": codes.KIEN_NGHI_PRIORITIES,
        "category": codes.KIEN_NGHI_CATEGORIES,
    },
    heading=lambda view: view.get("tracking_code"),
    templates={"answer": ("answer-templates", "answer")},
)
MODEL = RecordKind(
    slug="models",
    service="registry",
    title=("Mô hình “Dân vận khéo”", "“Dân vận khéo” model"),
    steps=words.MODEL_STEPS,
    events=words.MODEL_EVENTS,
    facts=("status", "title", "unit_code", "sector", "fields", "year", "registered_on"),
    choices={
        "status": words.MODEL_STATUSES,
        "sector": codes.SECTORS,
        "fields": codes.FIELDS,
        "level": codes.LEVELS,
    },
    heading=lambda view: view.get("title"),
)
DIALOGUE = RecordKind(
    slug="dialogues",
    service="dialogue",
    title=("Hội nghị đối thoại", "Dialogue conference"),
    steps=words.DIALOGUE_STEPS,
    events=words.DIALOGUE_EVENTS,
    facts=("status", "title", "kind", "host_body", "host_title", "scheduled_on", "held_on"),
    choices={
        "status": codes.DIALOGUE_STATUSES,
        "kind": codes.DIALOGUE_KINDS,
        "host_body": codes.HOST_BODIES,
    },
    heading=lambda view: view.get("title"),
)
SUPERVISION = RecordKind(
    slug="supervisions",
    service="dialogue",
    title=("Hoạt động giám sát, phản biện", "Supervision activity"),
    steps=words.SUPERVISION_STEPS,
    events=words.SUPERVISION_EVENTS,
    facts=("status", "title", "kind", "body", "subject", "started_on", "concluded_on"),
    choices={
        "status": words.SUPERVISION_STATUSES,
        "kind": codes.SUPERVISION_KINDS,
        "body": codes.SUPERVISION_BODIES,
        "category": codes.KIEN_NGHI_CATEGORIES,
    },
    heading=lambda view: view.get("title"),
)
AWARD = RecordKind(
    slug="awards",
    service="registry",
    title=("Khen thưởng, kỷ niệm chương", "Award"),
    steps={},
    events=words.AWARD_EVENTS,
    facts=("award", "recipient_kind", "recipient", "unit_code", "conferred_by", "conferred_on"),
    choices={
        "award": codes.AWARDS,
        "recipient_kind": codes.RECIPIENT_KINDS,
        "conferred_by": codes.LEVELS,
    },
    heading=lambda view: view.get("recipient"),
)
KINDS = (KIEN_NGHI, MODEL, DIALOGUE, SUPERVISION, AWARD)
