"""The supervision activity aggregate: started, findings raised, concluded."""

from __future__ import annotations

from datetime import date
from typing import Any

from eventsourcing.domain import Aggregate, event

from services.dialogue.vocabulary import SupervisionBody, SupervisionKind
from shared.errors import InvalidInput, RuleBroken
from shared.units import Level

Actor = dict[str, Any]


class Supervision(Aggregate):
    """Giám sát, phản biện xã hội or a People's Inspection Board case, with its findings."""

    @event("Started")
    def __init__(
        self,
        *,
        unit_code: str,
        unit_structure: str,
        body: str,
        kind: str,
        subject: str,
        title: str,
        started_on: date,
        actor: Actor,
    ) -> None:
        self.unit_code = unit_code
        self.unit_structure = unit_structure
        self.body = body
        self.kind = kind
        self.subject = subject
        self.title = title
        self.started_on = started_on
        self.findings: list[dict[str, Any]] = []
        self.conclusion: str | None = None
        self.concluded_on: date | None = None

    @staticmethod
    def check_start(*, body: str, kind: str, unit_level: Level) -> None:
        """A People's Inspection Board, and only it, records inspection cases, in a commune."""
        board = body == SupervisionBody.PEOPLE_INSPECTION_BOARD
        if kind == SupervisionKind.INSPECTION_CASE and not board:
            raise InvalidInput("inspection_case_needs_board", field="body", value=body)
        if board and kind != SupervisionKind.INSPECTION_CASE:
            raise InvalidInput("board_records_inspection_cases", field="kind", value=kind)
        if board and unit_level is not Level.COMMUNE:
            raise InvalidInput("board_unit_not_commune", field="unit_code", level=unit_level)

    @property
    def is_concluded(self) -> bool:
        return self.concluded_on is not None

    @property
    def status(self) -> str:
        return "concluded" if self.is_concluded else "open"

    @property
    def next_steps(self) -> list[str]:
        """The steps (endpoints under /supervisions/{id}/) its state allows now."""
        return [] if self.is_concluded else ["findings", "conclusion"]

    def raise_finding(
        self,
        *,
        finding_id: str,
        summary: str,
        violation_signs: bool,
        recommendation: str | None,
        raised_on: date,
        kien_nghi_id: str | None,
        actor: Actor,
    ) -> None:
        self._require_open("raise_finding", "raised_on", raised_on)
        if (recommendation is None) != (kien_nghi_id is None):
            raise ValueError("a recommendation opens exactly one kiến nghị")
        self._finding_raised(
            finding_id=finding_id,
            summary=summary,
            violation_signs=violation_signs,
            recommendation=recommendation,
            raised_on=raised_on,
            kien_nghi_id=kien_nghi_id,
            actor=actor,
        )

    def conclude(self, *, conclusion: str, concluded_on: date, actor: Actor) -> None:
        self._require_open("conclude", "concluded_on", concluded_on)
        last_finding = max((f["raised_on"] for f in self.findings), default=None)
        if last_finding is not None and concluded_on < last_finding:
            raise InvalidInput(
                "date_before_last_finding",
                field="concluded_on",
                value=concluded_on,
                raised_on=last_finding,
            )
        self._concluded(conclusion=conclusion, concluded_on=concluded_on, actor=actor)

    def _require_open(self, action: str, date_field: str, on: date) -> None:
        if self.is_concluded:
            raise RuleBroken("supervision_concluded", action=action, concluded_on=self.concluded_on)
        if on < self.started_on:
            raise InvalidInput(
                "date_before_start", field=date_field, value=on, started_on=self.started_on
            )

    @event("FindingRaised")
    def _finding_raised(
        self,
        finding_id: str,
        summary: str,
        violation_signs: bool,
        recommendation: str | None,
        raised_on: date,
        kien_nghi_id: str | None,
        actor: Actor,
    ) -> None:
        self.findings.append(
            {
                "finding_id": finding_id,
                "summary": summary,
                "violation_signs": violation_signs,
                "recommendation": recommendation,
                "raised_on": raised_on,
                "kien_nghi_id": kien_nghi_id,
            }
        )

    @event("Concluded")
    def _concluded(self, conclusion: str, concluded_on: date, actor: Actor) -> None:
        self.conclusion = conclusion
        self.concluded_on = concluded_on
