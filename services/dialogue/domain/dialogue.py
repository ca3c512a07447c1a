"""The dialogue conference aggregate: scheduled, then held or cancelled."""

from __future__ import annotations

from datetime import date
from typing import Any

from eventsourcing.domain import Aggregate, event

from services.dialogue.vocabulary import DialogueStatus
from shared.errors import RuleBroken

Actor = dict[str, Any]


class Dialogue(Aggregate):
    """A hội nghị đối thoại between the head of a party committee or government and citizens."""

    @event("Scheduled")
    def __init__(
        self,
        *,
        unit_code: str,
        unit_structure: str,
        host_body: str,
        host_title: str,
        kind: str,
        title: str,
        topics: list[str],
        scheduled_on: date,
        actor: Actor,
    ) -> None:
        self.unit_code = unit_code
        self.unit_structure = unit_structure
        self.host_body = host_body
        self.host_title = host_title
        self.kind = kind
        self.title = title
        self.topics = list(topics)
        self.scheduled_on = scheduled_on
        self.status = DialogueStatus.SCHEDULED
        self.held_on: date | None = None
        self.participants: int | None = None
        self.summary: str | None = None
        self.cancelled_on: date | None = None
        self.cancelled_reason: str | None = None

    @property
    def is_held(self) -> bool:
        return self.status == DialogueStatus.HELD

    @property
    def next_steps(self) -> list[str]:
        """The steps (endpoints under /dialogues/{id}/) its state allows now."""
        return ["held", "cancellation"] if self.status == DialogueStatus.SCHEDULED else []

    def hold(
        self, *, held_on: date, participants: int, topics: list[str], summary: str, actor: Actor
    ) -> None:
        self._require_scheduled("hold")
        self._held(
            held_on=held_on, participants=participants, topics=topics, summary=summary, actor=actor
        )

    def cancel(self, *, reason: str, cancelled_on: date, actor: Actor) -> None:
        self._require_scheduled("cancel")
        self._cancelled(reason=reason, cancelled_on=cancelled_on, actor=actor)

    def _require_scheduled(self, action: str) -> None:
        if self.status == DialogueStatus.HELD:
            raise RuleBroken("dialogue_already_held", action=action, held_on=self.held_on)
        if self.status == DialogueStatus.CANCELLED:
            raise RuleBroken("dialogue_cancelled", action=action, cancelled_on=self.cancelled_on)

    @event("Held")
    def _held(
        self, held_on: date, participants: int, topics: list[str], summary: str, actor: Actor
    ) -> None:
        self.status = DialogueStatus.HELD
        self.held_on = held_on
        self.participants = participants
        self.topics = list(topics)
        self.summary = summary

    @event("Cancelled")
    def _cancelled(self, reason: str, cancelled_on: date, actor: Actor) -> None:
        self.status = DialogueStatus.CANCELLED
        self.cancelled_on = cancelled_on
        self.cancelled_reason = reason
