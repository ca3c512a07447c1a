"""Registry: the commands and reads of "Dân vận khéo" models."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from services.registry.domain import Model
from shared.application import Decision, Idempotency, Outcome, ServiceApplication, today_in_vietnam
from shared.errors import Conflict, InvalidInput, NotFound
from shared.principal import Principal
from shared.units import Unit, UnitCatalog


class Registry(ServiceApplication):
    name = "Registry"
    service = "registry"

    def __init__(
        self,
        env: dict[str, str] | None = None,
        *,
        catalog: UnitCatalog,
        today: Callable[[], date] = today_in_vietnam,
    ) -> None:
        self.catalog = catalog
        self.today = today
        super().__init__(env=env)

    # commands

    def register_model(
        self,
        *,
        title: str,
        description: str,
        unit_code: str,
        body: str,
        sector: str,
        fields: list[str],
        year: int,
        registered_on: date | None,
        actor: Principal,
        idempotency: Idempotency | None = None,
    ) -> Outcome:
        def decide() -> Decision:
            on = registered_on or self.today()
            self._not_in_future(on, "registered_on")
            if year > self.today().year:
                raise InvalidInput("year_in_future", field="year", value=year)
            Model.check_registration(year, on)
            unit = self._unit(unit_code, on, actor, "unit_code")
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
            return [model], 201, {"id": str(model.id), "version": model.version}

        return self.execute(decide, idempotency=idempotency)

    def report_progress(
        self, model_id: UUID, *, summary: str, reported_on: date | None, **common: Any
    ) -> Outcome:
        def act(model: Model, actor: Principal) -> None:
            on = self._on(reported_on, "reported_on")
            model.report_progress(summary=summary, reported_on=on, actor=actor.as_actor())

        return self._change(model_id, act, **common)

    def recognise_model(
        self,
        model_id: UUID,
        *,
        level: str,
        recognised_on: date | None,
        decision: str | None,
        **common: Any,
    ) -> Outcome:
        def act(model: Model, actor: Principal) -> None:
            on = self._on(recognised_on, "recognised_on")
            model.recognise(
                level=level, recognised_on=on, decision=decision, actor=actor.as_actor()
            )

        return self._change(model_id, act, **common)

    def commend_model(
        self, model_id: UUID, *, award: str, level: str, commended_on: date | None, **common: Any
    ) -> Outcome:
        def act(model: Model, actor: Principal) -> None:
            on = self._on(commended_on, "commended_on")
            model.commend(award=award, level=level, commended_on=on, actor=actor.as_actor())

        return self._change(model_id, act, **common)

    def replicate_model(
        self, model_id: UUID, *, to_unit_code: str, replicated_on: date | None, **common: Any
    ) -> Outcome:
        def act(model: Model, actor: Principal) -> None:
            on = self._on(replicated_on, "replicated_on")
            unit = self.catalog.find(to_unit_code, on)
            if unit is None:
                raise InvalidInput(
                    "unit_unknown", field="to_unit_code", unit_code=to_unit_code, on=on
                )
            model.replicate(
                to_unit_code=unit.code,
                to_unit_structure=str(unit.structure),
                replicated_on=on,
                actor=actor.as_actor(),
            )

        return self._change(model_id, act, **common)

    def discontinue_model(
        self, model_id: UUID, *, reason: str, discontinued_on: date | None, **common: Any
    ) -> Outcome:
        def act(model: Model, actor: Principal) -> None:
            on = self._on(discontinued_on, "discontinued_on")
            model.discontinue(reason=reason, discontinued_on=on, actor=actor.as_actor())

        return self._change(model_id, act, **common)

    # reads

    def get_model(self, model_id: UUID) -> Model:
        try:
            model = self.repository.get(model_id)
        except AggregateNotFoundError:
            raise NotFound("model_not_found", model_id=str(model_id)) from None
        if not isinstance(model, Model):
            raise NotFound("model_not_found", model_id=str(model_id))
        return model

    def model_history(self, model_id: UUID) -> list[dict[str, Any]]:
        self.get_model(model_id)
        return self.history(model_id)

    # helpers of the commands above

    def _change(
        self,
        model_id: UUID,
        act: Callable[[Model, Principal], None],
        *,
        actor: Principal,
        expected_version: int | None = None,
        idempotency: Idempotency | None = None,
    ) -> Outcome:
        """Load, check version and scope, apply one change, save: a command on an existing model."""

        def decide() -> Decision:
            model = self.get_model(model_id)
            if expected_version is not None and model.version != expected_version:
                raise Conflict("stale_version", current=model.version, expected=expected_version)
            registered_at = self.catalog.get(model.unit_structure, model.unit_code)
            if registered_at is not None:
                actor.require_covers(registered_at, self.catalog)
            act(model, actor)
            return [model], 200, {"id": str(model.id), "version": model.version}

        return self.execute(decide, idempotency=idempotency)

    def _on(self, day: date | None, field: str) -> date:
        on = day or self.today()
        self._not_in_future(on, field)
        return on

    def _not_in_future(self, day: date, field: str) -> None:
        if day > self.today():
            raise InvalidInput("date_in_future", field=field, value=day)

    def _unit(self, code: str, on: date, actor: Principal, field: str) -> Unit:
        unit = self.catalog.find(code, on)
        if unit is None:
            raise InvalidInput("unit_unknown", field=field, unit_code=code, on=on)
        actor.require_covers(unit, self.catalog, field)
        return unit
