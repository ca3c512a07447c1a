"""The steps of handling a kiến nghị that its rules govern: acknowledgement with a tracking
code, transfer, extensions, escalation (by hand, and the sweep of overdue ones), merging
duplicates (docs/kien-nghi-handling.md). Mixed into the dialogue application."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date, datetime
from typing import Unpack
from uuid import UUID

from eventsourcing.domain import Aggregate

from services.dialogue.citizens import CitizenCommands
from services.dialogue.domain import KienNghi
from services.dialogue.domain.tracking import TrackingCode, candidate_codes
from shared import policy
from shared.commands import ChangeTerms, Outcome
from shared.errors import Conflict, InvalidInput, NotFound, RuleBroken
from shared.principal import Principal
from shared.vietnam_time import VIETNAM

log = logging.getLogger("danvan.escalation")
SYSTEM_ACTOR = {"id": "escalation-process", "role": "system"}


class HandlingSteps(CitizenCommands):
    def acknowledge_kien_nghi(
        self,
        kien_nghi_id: UUID,
        *,
        acknowledged_at: datetime | None,
        **terms: Unpack[ChangeTerms],
    ) -> Outcome:
        """Tiếp nhận: a tracking code, unique in the province and year, is given back."""

        def act(kien_nghi: KienNghi, actor: Principal) -> Sequence[Aggregate]:
            at = self._moment(acknowledged_at, "acknowledged_at")
            code = TrackingCode(
                code=self._free_code(kien_nghi, at.year),
                kien_nghi_id=str(kien_nghi.id),
                actor=actor.as_actor(),
            )
            kien_nghi.acknowledge(
                tracking_code=code.code, acknowledged_at=at, actor=actor.as_actor()
            )
            return [code]

        return self.change(
            lambda: self.load(kien_nghi_id, KienNghi),
            act,
            respond=lambda k: {"tracking_code": k.tracking_code},
            **terms,
        )

    def _moment(self, moment: datetime | None, field: str) -> datetime:
        """A moment a command states (now by default), in Vietnam's time; never ahead."""
        now = self.now()
        if moment is None:
            return now.astimezone(VIETNAM)
        if moment.tzinfo is None:
            raise InvalidInput("moment_without_offset", field=field, value=moment)
        if moment > now:
            raise InvalidInput("date_in_future", field=field, value=moment)
        return moment.astimezone(VIETNAM)

    def _free_code(self, kien_nghi: KienNghi, year: int) -> str:
        unit = self.unit_of(kien_nghi)
        province = unit.province_code if unit is not None else kien_nghi.unit_code[:2]
        for code in candidate_codes(province, year, str(kien_nghi.id)):
            if not self._code_taken(code):
                return code
        raise RuleBroken("tracking_codes_exhausted", province=province, year=year)

    def _code_taken(self, code: str) -> bool:
        try:
            self.load(TrackingCode.create_id(code), TrackingCode, "tracking_code_not_found")
        except NotFound:
            return False
        return True

    def find_by_tracking_code(self, code: str) -> KienNghi:
        try:
            record = self.load(TrackingCode.create_id(code), TrackingCode)
        except NotFound:
            raise NotFound("tracking_code_not_found", tracking_code=code) from None
        return self.load(UUID(record.kien_nghi_id), KienNghi)

    def transfer_kien_nghi(
        self,
        kien_nghi_id: UUID,
        *,
        agency: str,
        reason: str,
        transferred_on: date | None,
        **terms: Unpack[ChangeTerms],
    ) -> Outcome:
        def act(kien_nghi: KienNghi, actor: Principal) -> None:
            on = self.day(transferred_on, "transferred_on")
            rule = self.handling.rule_of(kien_nghi.deadlines, kien_nghi.source)
            restart = rule is not None and rule.restart_on_transfer
            kien_nghi.transfer(
                agency=agency,
                reason=reason,
                transferred_on=on,
                deadlines=self.deadlines_again(kien_nghi, on) if restart else None,
                actor=actor.as_actor(),
            )

        return self.change(lambda: self.load(kien_nghi_id, KienNghi), act, **terms)

    def request_extension(
        self,
        kien_nghi_id: UUID,
        *,
        reason: str,
        requested_on: date | None,
        **terms: Unpack[ChangeTerms],
    ) -> Outcome:
        def act(kien_nghi: KienNghi, actor: Principal) -> None:
            rule = self.handling.rule_of(kien_nghi.deadlines, kien_nghi.source)
            kien_nghi.request_extension(
                reason=reason,
                requested_on=self.day(requested_on, "requested_on"),
                allowed=rule.extensions if rule is not None else 0,
                actor=actor.as_actor(),
            )

        return self.change(lambda: self.load(kien_nghi_id, KienNghi), act, **terms)

    def grant_extension(
        self,
        kien_nghi_id: UUID,
        *,
        reason: str,
        granted_on: date | None,
        due_on: date | None,
        **terms: Unpack[ChangeTerms],
    ) -> Outcome:
        """Grants the pending request: the rule's extension from the present due day, or a
        shorter one the caller names."""

        def act(kien_nghi: KienNghi, actor: Principal) -> None:
            on = self.day(granted_on, "granted_on")
            rule = self.handling.rule_of(kien_nghi.deadlines, kien_nghi.source)
            present = kien_nghi.due_day
            if rule is None or rule.extension is None or present is None:
                # a request is only accepted under a rule that grants extensions
                raise RuleBroken("extensions_exhausted", granted=kien_nghi.extensions_granted)
            latest = self.handling.extended(present, rule)
            kien_nghi.grant_extension(
                reason=reason,
                granted_on=on,
                due_on=due_on or latest,
                latest=latest,
                actor=actor.as_actor(),
            )

        return self.change(
            lambda: self.load(kien_nghi_id, KienNghi),
            act,
            respond=lambda k: {"due_on": k.due_on.isoformat() if k.due_on else None},
            **terms,
        )

    def refuse_extension(
        self,
        kien_nghi_id: UUID,
        *,
        reason: str,
        refused_on: date | None,
        **terms: Unpack[ChangeTerms],
    ) -> Outcome:
        def act(kien_nghi: KienNghi, actor: Principal) -> None:
            on = self.day(refused_on, "refused_on")
            kien_nghi.refuse_extension(reason=reason, refused_on=on, actor=actor.as_actor())

        return self.change(lambda: self.load(kien_nghi_id, KienNghi), act, **terms)

    def escalate_kien_nghi(
        self,
        kien_nghi_id: UUID,
        *,
        reason: str,
        escalated_on: date | None,
        **terms: Unpack[ChangeTerms],
    ) -> Outcome:
        def act(kien_nghi: KienNghi, actor: Principal) -> None:
            on = self.day(escalated_on, "escalated_on")
            kien_nghi.escalate(
                reason=reason, escalated_on=on, automatic=False, actor=actor.as_actor()
            )

        return self.change(lambda: self.load(kien_nghi_id, KienNghi), act, **terms)

    def escalate_overdue(self, candidates: Sequence[UUID]) -> list[UUID]:
        """The escalation process's step: each of the candidates (open kiến nghị the read
        side lists as overdue) that is overdue by its own record and was not escalated against
        its present due day goes one level up. The record decides, not the list: a list that
        trails the store, or a sweep run twice, escalates nothing twice."""
        today, escalated = self.today(), []
        for kien_nghi_id in candidates:

            def decide(kien_nghi_id: UUID = kien_nghi_id) -> tuple[list[Aggregate], dict[str, str]]:
                kien_nghi = self.load(kien_nghi_id, KienNghi)
                if not kien_nghi.needs_escalation(today):
                    return [], {}
                kien_nghi.escalate(
                    reason="overdue",
                    escalated_on=today,
                    automatic=True,
                    actor=SYSTEM_ACTOR,
                )
                return [kien_nghi], {"id": str(kien_nghi_id)}

            try:
                if self.execute(decide).response:
                    escalated.append(kien_nghi_id)
            except (NotFound, RuleBroken, Conflict):
                log.exception("kiến nghị %s not escalated", kien_nghi_id)
        return escalated

    def merge_kien_nghi(
        self,
        kien_nghi_id: UUID,
        *,
        master_id: UUID,
        reason: str,
        merged_on: date | None,
        **terms: Unpack[ChangeTerms],
    ) -> Outcome:
        """Marks a kiến nghị a duplicate of a master in the actor's scope too."""

        def act(duplicate: KienNghi, actor: Principal) -> Sequence[Aggregate]:
            on = self.day(merged_on, "merged_on")
            try:
                master = self.load(master_id, KienNghi)
                self.require_readable(actor, master)
            except NotFound:  # a master outside the actor's scope is as unknown as a missing one
                raise InvalidInput("master_unknown", field="master_id", id=str(master_id)) from None
            if (master_unit := self.unit_of(master)) is not None:
                policy.require_may_act(actor, master_unit, self.catalog, "master_id")
            duplicate.merge_into(master, reason=reason, merged_on=on, actor=actor.as_actor())
            return [master]

        return self.change(lambda: self.load(kien_nghi_id, KienNghi), act, **terms)
