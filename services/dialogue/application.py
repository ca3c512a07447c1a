"""Dialogue service: the commands and reads of dialogues, supervision activities and kiến nghị."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ClassVar, Unpack
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate

from services import store_names
from services.dialogue.domain import Dialogue, KienNghi, Supervision
from services.dialogue.domain.tracking import TrackingCode
from services.dialogue.handling_rules import Handling, default_handling
from services.dialogue.handling_steps import HandlingSteps
from services.dialogue.vocabulary import KienNghiSource
from shared.commands import ChangeTerms, Decision, Idempotency, Outcome
from shared.errors import InvalidInput, NotFound
from shared.events import FeedItem
from shared.personal_data import PersonalDataVault
from shared.principal import Principal
from shared.units import UnitCatalog
from shared.vietnam_time import now_in_vietnam, today_in_vietnam


@dataclass(frozen=True)
class Holding:
    """What a dialogue held records: the day (by default today, or the day it was scheduled
    when both are recorded at once), who came, what was discussed, the kiến nghị raised."""

    held_on: date | None
    participants: int
    topics: list[str] | None
    summary: str
    kien_nghi: Sequence[tuple[str, str]] = ()


class Dialogues(HandlingSteps):
    name = store_names.DIALOGUE
    service = "dialogue"
    not_found_codes: ClassVar[dict[type[Aggregate], str]] = {
        Dialogue: "dialogue_not_found",
        Supervision: "supervision_not_found",
        KienNghi: "kien_nghi_not_found",
        TrackingCode: "tracking_code_not_found",
    }

    def __init__(
        self,
        env: dict[str, str] | None = None,
        *,
        catalog: UnitCatalog,
        vault: PersonalDataVault,
        reopen_days: int = 30,
        today: Callable[[], date] = today_in_vietnam,
        handling: Handling | None = None,
        now: Callable[[], datetime] = now_in_vietnam,
    ) -> None:
        self.vault = vault
        self.reopen_days = reopen_days
        self.handling = handling or default_handling()
        self.now = now
        super().__init__(env=env, catalog=catalog, today=today)

    # dialogues

    def schedule_dialogue(
        self,
        *,
        unit_code: str,
        host_body: str,
        host_title: str,
        kind: str,
        title: str,
        topics: list[str],
        scheduled_on: date | None,
        held: Holding | None = None,
        actor: Principal,
        idempotency: Idempotency | None = None,
    ) -> Outcome:
        """Scheduled; if already held, held too, each kiến nghị raised there received with it,
        in one transaction."""

        def decide() -> Decision:
            # a dialogue may be scheduled ahead; one recorded held was scheduled by then
            on = scheduled_on or (held and held.held_on) or self.today()
            unit = self.unit(unit_code, on, actor)
            dialogue = Dialogue(
                unit_code=unit.code,
                unit_structure=str(unit.structure),
                host_body=host_body,
                host_title=host_title,
                kind=kind,
                title=title,
                topics=list(dict.fromkeys(topics)),
                scheduled_on=on,
                actor=actor.as_actor(),
            )
            raised = (
                self._hold(dialogue, held, actor, field="held.held_on", default=on) if held else []
            )
            return [dialogue, *raised], {
                "id": str(dialogue.id),
                "version": dialogue.version,
                "kien_nghi_ids": [str(one.id) for one in raised],
            }

        return self.execute(decide, idempotency=idempotency)

    def hold_dialogue(
        self, dialogue_id: UUID, holding: Holding, **terms: Unpack[ChangeTerms]
    ) -> Outcome:
        """Held; each (category, content) raised there received with it, in one transaction."""
        raised: list[KienNghi] = []

        def act(dialogue: Dialogue, actor: Principal) -> Sequence[Aggregate]:
            raised[:] = self._hold(dialogue, holding, actor, field="held_on")
            return raised

        def respond(_dialogue: Dialogue) -> dict[str, Any]:
            return {"kien_nghi_ids": [str(one.id) for one in raised]}

        return self.change(lambda: self.get_dialogue(dialogue_id), act, respond=respond, **terms)

    def _hold(
        self,
        dialogue: Dialogue,
        holding: Holding,
        actor: Principal,
        *,
        field: str,
        default: date | None = None,
    ) -> list[KienNghi]:
        """Holds the dialogue; returns the kiến nghị raised there, received with it."""
        on = self.day(holding.held_on or default, field)
        if on < dialogue.scheduled_on:
            raise InvalidInput(
                "held_before_scheduled", field=field, value=on, scheduled_on=dialogue.scheduled_on
            )
        topics = holding.topics
        dialogue.hold(
            held_on=on,
            participants=holding.participants,
            topics=dialogue.topics if topics is None else list(dict.fromkeys(topics)),
            summary=holding.summary,
            actor=actor.as_actor(),
        )
        return [
            self._raised_at(dialogue, KienNghiSource.DIALOGUE, category, content, on, actor)
            for category, content in holding.kien_nghi
        ]

    def cancel_dialogue(
        self,
        dialogue_id: UUID,
        *,
        reason: str,
        cancelled_on: date | None,
        **terms: Unpack[ChangeTerms],
    ) -> Outcome:
        def act(dialogue: Dialogue, actor: Principal) -> None:
            on = self.day(cancelled_on, "cancelled_on")
            dialogue.cancel(reason=reason, cancelled_on=on, actor=actor.as_actor())

        return self.change(lambda: self.get_dialogue(dialogue_id), act, **terms)

    # supervision

    def start_supervision(
        self,
        *,
        unit_code: str,
        body: str,
        kind: str,
        subject: str,
        title: str,
        started_on: date | None,
        actor: Principal,
        idempotency: Idempotency | None = None,
    ) -> Outcome:
        def decide() -> Decision:
            on = self.day(started_on, "started_on")
            unit = self.unit(unit_code, on, actor)
            Supervision.check_start(body=body, kind=kind, unit_level=unit.level)
            supervision = Supervision(
                unit_code=unit.code,
                unit_structure=str(unit.structure),
                body=body,
                kind=kind,
                subject=subject,
                title=title,
                started_on=on,
                actor=actor.as_actor(),
            )
            return [supervision], {"id": str(supervision.id), "version": supervision.version}

        return self.execute(decide, idempotency=idempotency)

    def raise_finding(
        self,
        supervision_id: UUID,
        *,
        summary: str,
        violation_signs: bool,
        recommendation: str | None,
        category: str | None,
        raised_on: date | None,
        **terms: Unpack[ChangeTerms],
    ) -> Outcome:
        """A finding; with a recommendation it opens a kiến nghị, saved in the same transaction."""
        if recommendation is not None and category is None:
            raise InvalidInput("category_required", field="category")

        def act(supervision: Supervision, actor: Principal) -> Sequence[Aggregate]:
            on = self.day(raised_on, "raised_on")
            finding_id = str(uuid4())
            opened = []
            if recommendation is not None and category is not None:
                opened.append(
                    self._raised_at(
                        supervision,
                        KienNghiSource.SUPERVISION_FINDING,
                        category,
                        recommendation,
                        on,
                        actor,
                        finding_id=finding_id,
                    )
                )
            supervision.raise_finding(
                finding_id=finding_id,
                summary=summary,
                violation_signs=violation_signs,
                recommendation=recommendation,
                raised_on=on,
                kien_nghi_id=str(opened[0].id) if opened else None,
                actor=actor.as_actor(),
            )
            return opened

        def respond(supervision: Supervision) -> dict[str, Any]:
            finding = supervision.findings[-1]
            return {"finding_id": finding["finding_id"], "kien_nghi_id": finding["kien_nghi_id"]}

        return self.change(
            lambda: self.get_supervision(supervision_id), act, respond=respond, **terms
        )

    def _raised_at(
        self,
        record: Dialogue | Supervision,
        source: KienNghiSource,
        category: str,
        content: str,
        on: date,
        actor: Principal,
        finding_id: str | None = None,
    ) -> KienNghi:
        """A kiến nghị raised at a dialogue or by a supervision's finding: received with it,
        at its unit, linked to it, under the rules in force that day."""
        return KienNghi(
            source=source,
            source_id=str(record.id),
            finding_id=finding_id,
            unit_code=record.unit_code,
            unit_structure=record.unit_structure,
            category=category,
            content=content,
            received_on=on,
            actor=actor.as_actor(),
            deadlines=self._deadlines_at(record.unit_code, record.unit_structure, source, on),
        )

    def conclude_supervision(
        self,
        supervision_id: UUID,
        *,
        conclusion: str,
        concluded_on: date | None,
        **terms: Unpack[ChangeTerms],
    ) -> Outcome:
        def act(supervision: Supervision, actor: Principal) -> None:
            on = self.day(concluded_on, "concluded_on")
            supervision.conclude(conclusion=conclusion, concluded_on=on, actor=actor.as_actor())

        return self.change(lambda: self.get_supervision(supervision_id), act, **terms)

    # kiến nghị

    def receive_kien_nghi(
        self,
        *,
        source: str,
        source_id: str | None,
        unit_code: str,
        category: str,
        content: str,
        received_on: date | None,
        actor: Principal,
        idempotency: Idempotency | None = None,
    ) -> Outcome:
        def decide() -> Decision:
            on = self.day(received_on, "received_on")
            source_ref = self._source_of(source, source_id, on)
            unit = self.unit(unit_code, on, actor)
            kien_nghi = KienNghi(
                source=source,
                source_id=source_ref,
                finding_id=None,
                unit_code=unit.code,
                unit_structure=str(unit.structure),
                category=category,
                content=content,
                received_on=on,
                actor=actor.as_actor(),
                deadlines=self.deadlines(unit.province_code, source, on),
            )
            return [kien_nghi], {"id": str(kien_nghi.id), "version": kien_nghi.version}

        return self.execute(decide, idempotency=idempotency)

    def _source_of(self, source: str, source_id: str | None, received_on: date) -> str | None:
        """The checked source_id: a held dialogue's id, or none for sources without records."""
        if source == KienNghiSource.SUPERVISION_FINDING:
            raise InvalidInput("source_opened_by_findings", field="source", value=source)
        if source != KienNghiSource.DIALOGUE:
            if source_id is not None:
                raise InvalidInput("source_id_not_allowed", field="source_id", source=source)
            return None
        if source_id is None:
            raise InvalidInput("source_id_required", field="source_id", source=source)
        try:
            dialogue = self.get_dialogue(UUID(source_id))
        except (ValueError, NotFound):
            raise InvalidInput("dialogue_unknown", field="source_id", id=source_id) from None
        if not dialogue.is_held or dialogue.held_on is None:
            raise InvalidInput("dialogue_not_held", field="source_id", id=source_id)
        if received_on < dialogue.held_on:
            raise InvalidInput(
                "date_before_dialogue",
                field="received_on",
                value=received_on,
                held_on=dialogue.held_on,
            )
        return str(dialogue.id)

    def _deadlines_at(
        self, unit_code: str, structure: str, source: str, on: date
    ) -> dict[str, Any] | None:
        unit = self.recorded_unit(unit_code, structure)
        return None if unit is None else self.deadlines(unit.province_code, source, on)

    def assign_kien_nghi(
        self,
        kien_nghi_id: UUID,
        *,
        agency: str,
        due_on: date | None,
        assigned_on: date | None,
        **terms: Unpack[ChangeTerms],
    ) -> Outcome:
        def act(kien_nghi: KienNghi, actor: Principal) -> None:
            on = self.day(assigned_on, "assigned_on")
            kien_nghi.assign(agency=agency, due_on=due_on, assigned_on=on, actor=actor.as_actor())

        return self.change(lambda: self.get_kien_nghi(kien_nghi_id), act, **terms)

    def classify_kien_nghi(
        self,
        kien_nghi_id: UUID,
        *,
        priority: str,
        category: str | None,
        classified_on: date | None,
        **terms: Unpack[ChangeTerms],
    ) -> Outcome:
        def act(kien_nghi: KienNghi, actor: Principal) -> None:
            on = self.day(classified_on, "classified_on")
            kien_nghi.classify(
                priority=priority,
                category=category or kien_nghi.category,
                classified_on=on,
                deadlines=self.deadlines_at_priority(kien_nghi, priority),
                actor=actor.as_actor(),
            )

        return self.change(lambda: self.get_kien_nghi(kien_nghi_id), act, **terms)

    def answer_kien_nghi(
        self,
        kien_nghi_id: UUID,
        *,
        answer: str,
        answered_on: date | None,
        evidence: Sequence[str] = (),
        uploaded: Callable[[KienNghi, str], bool] | None = None,
        **terms: Unpack[ChangeTerms],
    ) -> Outcome:
        """Answers it; evidence: hashes of files uploaded for it, as uploaded() says."""

        def act(kien_nghi: KienNghi, actor: Principal) -> None:
            on = self.day(answered_on, "answered_on")
            for n, sha256 in enumerate(evidence):
                if uploaded is not None and not uploaded(kien_nghi, sha256):
                    raise InvalidInput("evidence_unknown", field=f"evidence[{n}]", value=sha256)
            rule = self.handling.rule_of(kien_nghi.deadlines, kien_nghi.source)
            kien_nghi.answer(
                answer=answer,
                answered_on=on,
                evidence=list(dict.fromkeys(evidence)),
                evidence_required=rule is not None and rule.evidence_required,
                actor=actor.as_actor(),
            )

        return self.change(lambda: self.get_kien_nghi(kien_nghi_id), act, **terms)

    def resolve_kien_nghi(
        self,
        kien_nghi_id: UUID,
        *,
        resolution: str,
        resolved_on: date | None,
        **terms: Unpack[ChangeTerms],
    ) -> Outcome:
        def act(kien_nghi: KienNghi, actor: Principal) -> None:
            on = self.day(resolved_on, "resolved_on")
            kien_nghi.resolve(resolution=resolution, resolved_on=on, actor=actor.as_actor())

        return self.change(lambda: self.get_kien_nghi(kien_nghi_id), act, **terms)

    def decline_kien_nghi(
        self,
        kien_nghi_id: UUID,
        *,
        reason: str,
        declined_on: date | None,
        **terms: Unpack[ChangeTerms],
    ) -> Outcome:
        def act(kien_nghi: KienNghi, actor: Principal) -> None:
            on = self.day(declined_on, "declined_on")
            kien_nghi.decline(reason=reason, declined_on=on, actor=actor.as_actor())

        return self.change(lambda: self.get_kien_nghi(kien_nghi_id), act, **terms)

    def rate_kien_nghi(
        self,
        kien_nghi_id: UUID,
        *,
        rating: int,
        comment: str,
        rated_on: date | None,
        **terms: Unpack[ChangeTerms],
    ) -> Outcome:
        def act(kien_nghi: KienNghi, actor: Principal) -> None:
            on = self.day(rated_on, "rated_on")
            kien_nghi.rate(
                rating=rating,
                comment=comment,
                rated_on=on,
                actor=actor.as_actor(),
                master=self.master_of(kien_nghi),
            )

        return self.change(lambda: self.get_kien_nghi(kien_nghi_id), act, **terms)

    def reopen_kien_nghi(
        self,
        kien_nghi_id: UUID,
        *,
        reason: str,
        reopened_on: date | None,
        **terms: Unpack[ChangeTerms],
    ) -> Outcome:
        def act(kien_nghi: KienNghi, actor: Principal) -> None:
            on = self.day(reopened_on, "reopened_on")
            kien_nghi.reopen(
                reason=reason,
                reopened_on=on,
                actor=actor.as_actor(),
                deadlines=self.deadlines_again(kien_nghi, on),
            )

        return self.change(lambda: self.get_kien_nghi(kien_nghi_id), act, **terms)

    # reads

    def get_dialogue(self, dialogue_id: UUID) -> Dialogue:
        return self.load(dialogue_id, Dialogue)

    def get_supervision(self, supervision_id: UUID) -> Supervision:
        return self.load(supervision_id, Supervision)

    def get_kien_nghi(self, kien_nghi_id: UUID) -> KienNghi:
        return self.load(kien_nghi_id, KienNghi)

    def is_overdue(self, kien_nghi: KienNghi) -> bool:
        return kien_nghi.is_overdue(self.today())

    def history_of(self, load: Callable[[UUID], Aggregate], aggregate_id: UUID) -> list[FeedItem]:
        """The events of a record, once it is known to be of the kind asked for."""
        load(aggregate_id)
        return self.history(aggregate_id)
