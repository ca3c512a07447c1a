"""The "Dân vận khéo" model aggregate: registration to replication, each change an event."""

from __future__ import annotations

from datetime import date
from typing import Any

from eventsourcing.domain import Aggregate, event

from shared.errors import InvalidInput, RuleBroken

Actor = dict[str, Any]


class Model(Aggregate):
    """A "Dân vận khéo" model, from registration to replication."""

    @event("Registered")
    def __init__(
        self,
        *,
        title: str,
        description: str,
        unit_code: str,
        unit_structure: str,
        body: str,
        sector: str,
        fields: list[str],
        year: int,
        registered_on: date,
        actor: Actor,
    ) -> None:
        self.title = title
        self.description = description
        self.unit_code = unit_code
        self.unit_structure = unit_structure
        self.body = body
        self.sector = sector
        self.fields = list(fields)
        self.year = year
        self.registered_on = registered_on
        self.progress_reports = 0
        self.last_progress_on: date | None = None
        self.recognition: dict[str, Any] | None = None
        self.awards: list[dict[str, Any]] = []
        self.replicated_to: list[dict[str, Any]] = []
        self.discontinued_on: date | None = None
        self.discontinued_reason: str | None = None

    @staticmethod
    def check_registration(year: int, registered_on: date) -> None:
        if year > registered_on.year + 1:
            raise InvalidInput(
                "year_after_registration", field="year", value=year, registered_on=registered_on
            )

    @property
    def is_active(self) -> bool:
        return self.discontinued_on is None

    @property
    def next_steps(self) -> list[str]:
        """The steps (endpoints under /models/{id}/) its state allows now."""
        if not self.is_active:
            return []
        if self.recognition is None:
            return ["progress", "recognition", "discontinuation"]
        return ["progress", "commendations", "replications", "discontinuation"]

    def report_progress(self, *, summary: str, reported_on: date, actor: Actor) -> None:
        self._require_active("report_progress", "reported_on", reported_on)
        self._progress_reported(summary=summary, reported_on=reported_on, actor=actor)

    def recognise(
        self, *, level: str, recognised_on: date, decision: str | None, actor: Actor
    ) -> None:
        self._require_active("recognise", "recognised_on", recognised_on)
        if self.recognition is not None:
            raise RuleBroken(
                "model_already_recognised", recognised_on=self.recognition["recognised_on"]
            )
        self._recognised(level=level, recognised_on=recognised_on, decision=decision, actor=actor)

    def commend(self, *, award: str, level: str, commended_on: date, actor: Actor) -> None:
        self._require_active("commend", "commended_on", commended_on)
        self._require_recognised("commend")
        self._commended(award=award, level=level, commended_on=commended_on, actor=actor)

    def replicate(
        self, *, to_unit_code: str, to_unit_structure: str, replicated_on: date, actor: Actor
    ) -> None:
        self._require_active("replicate", "replicated_on", replicated_on)
        self._require_recognised("replicate")
        if (to_unit_code, to_unit_structure) == (self.unit_code, self.unit_structure):
            raise RuleBroken("replicate_to_same_unit", field="to_unit_code", unit_code=to_unit_code)
        if any(
            (r["to_unit_code"], r["to_unit_structure"]) == (to_unit_code, to_unit_structure)
            for r in self.replicated_to
        ):
            raise RuleBroken("already_replicated", field="to_unit_code", unit_code=to_unit_code)
        self._replicated(
            to_unit_code=to_unit_code,
            to_unit_structure=to_unit_structure,
            replicated_on=replicated_on,
            actor=actor,
        )

    def discontinue(self, *, reason: str, discontinued_on: date, actor: Actor) -> None:
        self._require_active("discontinue", "discontinued_on", discontinued_on)
        self._discontinued(reason=reason, discontinued_on=discontinued_on, actor=actor)

    def _require_active(self, action: str, date_field: str, on: date) -> None:
        if not self.is_active:
            raise RuleBroken("model_discontinued", action=action)
        if on < self.registered_on:
            raise InvalidInput(
                "date_before_registration",
                field=date_field,
                value=on,
                registered_on=self.registered_on,
            )

    def _require_recognised(self, action: str) -> None:
        if self.recognition is None:
            raise RuleBroken("model_not_recognised", action=action)

    @event("ProgressReported")
    def _progress_reported(self, summary: str, reported_on: date, actor: Actor) -> None:
        self.progress_reports += 1
        self.last_progress_on = reported_on

    @event("Recognised")
    def _recognised(
        self, level: str, recognised_on: date, decision: str | None, actor: Actor
    ) -> None:
        self.recognition = {"level": level, "recognised_on": recognised_on, "decision": decision}

    @event("Commended")
    def _commended(self, award: str, level: str, commended_on: date, actor: Actor) -> None:
        self.awards.append({"award": award, "level": level, "commended_on": commended_on})

    @event("Replicated")
    def _replicated(
        self, to_unit_code: str, to_unit_structure: str, replicated_on: date, actor: Actor
    ) -> None:
        self.replicated_to.append(
            {
                "to_unit_code": to_unit_code,
                "to_unit_structure": to_unit_structure,
                "replicated_on": replicated_on,
            }
        )

    @event("Discontinued")
    def _discontinued(self, reason: str, discontinued_on: date, actor: Actor) -> None:
        self.discontinued_on = discontinued_on
        self.discontinued_reason = reason
