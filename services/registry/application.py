"""Registry: the commands and reads of "Dân vận khéo" models."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import ClassVar, Unpack
from uuid import UUID

from eventsourcing.domain import Aggregate

from services import store_names
from services.registry.award import Award
from services.registry.domain import Model
from shared.application import ServiceApplication
from shared.commands import ChangeTerms, Decision, Idempotency, Outcome
from shared.errors import InvalidInput
from shared.events import FeedItem
from shared.principal import Principal


class Registry(ServiceApplication):
    name = store_names.REGISTRY
    service = "registry"
    not_found_codes: ClassVar[dict[type[Aggregate], str]] = {
        Model: "model_not_found",
        Award: "award_not_found",
    }

    # commands

    def register_model(
        self,
        *,
        title: str,
        description: str,
        unit_code: str,
        body: str,
        sector: str,
        fields: Sequence[str],
        year: int,
        registered_on: date | None,
        actor: Principal,
        idempotency: Idempotency | None = None,
    ) -> Outcome:
        def decide() -> Decision:
            on = self.day(registered_on, "registered_on")
            if year > self.today().year:
                raise InvalidInput("year_in_future", field="year", value=year)
            Model.check_registration(year, on)
            unit = self.unit(unit_code, on, actor)
            model = Model(
                title=title,
                description=description,
                unit_code=unit.code,
                unit_structure=str(unit.structure),
                body=body,
                sector=sector,
                fields=list(dict.fromkeys(fields)),
                year=year,
                registered_on=on,
                actor=actor.as_actor(),
            )
            return [model], {"id": str(model.id), "version": model.version}

        return self.execute(decide, idempotency=idempotency)

    def report_progress(
        self,
        model_id: UUID,
        *,
        summary: str,
        reported_on: date | None,
        **terms: Unpack[ChangeTerms],
    ) -> Outcome:
        def act(model: Model, actor: Principal) -> None:
            on = self.day(reported_on, "reported_on")
            model.report_progress(summary=summary, reported_on=on, actor=actor.as_actor())

        return self.change(lambda: self.get_model(model_id), act, **terms)

    def recognise_model(
        self,
        model_id: UUID,
        *,
        level: str,
        recognised_on: date | None,
        decision: str | None,
        **terms: Unpack[ChangeTerms],
    ) -> Outcome:
        def act(model: Model, actor: Principal) -> None:
            on = self.day(recognised_on, "recognised_on")
            model.recognise(
                level=level, recognised_on=on, decision=decision, actor=actor.as_actor()
            )

        return self.change(lambda: self.get_model(model_id), act, **terms)

    def commend_model(
        self,
        model_id: UUID,
        *,
        award: str,
        level: str,
        commended_on: date | None,
        **terms: Unpack[ChangeTerms],
    ) -> Outcome:
        def act(model: Model, actor: Principal) -> None:
            on = self.day(commended_on, "commended_on")
            model.commend(award=award, level=level, commended_on=on, actor=actor.as_actor())

        return self.change(lambda: self.get_model(model_id), act, **terms)

    def replicate_model(
        self,
        model_id: UUID,
        *,
        to_unit_code: str,
        replicated_on: date | None,
        **terms: Unpack[ChangeTerms],
    ) -> Outcome:
        def act(model: Model, actor: Principal) -> None:
            on = self.day(replicated_on, "replicated_on")
            unit = self.unit(to_unit_code, on, actor, "to_unit_code")  # counted there
            model.replicate(
                to_unit_code=unit.code,
                to_unit_structure=str(unit.structure),
                replicated_on=on,
                actor=actor.as_actor(),
            )

        return self.change(lambda: self.get_model(model_id), act, **terms)

    def discontinue_model(
        self,
        model_id: UUID,
        *,
        reason: str,
        discontinued_on: date | None,
        **terms: Unpack[ChangeTerms],
    ) -> Outcome:
        def act(model: Model, actor: Principal) -> None:
            on = self.day(discontinued_on, "discontinued_on")
            model.discontinue(reason=reason, discontinued_on=on, actor=actor.as_actor())

        return self.change(lambda: self.get_model(model_id), act, **terms)

    def confer_award(
        self,
        *,
        award: str,
        recipient_kind: str,
        recipient: str,
        unit_code: str,
        conferred_by: str,
        conferred_on: date | None,
        reason: str,
        actor: Principal,
        idempotency: Idempotency | None = None,
    ) -> Outcome:
        def decide() -> Decision:
            on = self.day(conferred_on, "conferred_on")
            unit = self.unit(unit_code, on, actor)
            honour = Award(
                award=award,
                recipient_kind=recipient_kind,
                recipient=recipient,
                unit_code=unit.code,
                unit_structure=str(unit.structure),
                conferred_by=conferred_by,
                conferred_on=on,
                reason=reason,
                actor=actor.as_actor(),
            )
            return [honour], {"id": str(honour.id), "version": honour.version}

        return self.execute(decide, idempotency=idempotency)

    # reads

    def get_award(self, award_id: UUID) -> Award:
        return self.load(award_id, Award)

    def get_model(self, model_id: UUID) -> Model:
        return self.load(model_id, Model)

    def model_history(self, model_id: UUID) -> list[FeedItem]:
        self.get_model(model_id)
        return self.history(model_id)
