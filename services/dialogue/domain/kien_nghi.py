"""The kiến nghị aggregate: received, assigned, answered, resolved or declined, rated, reopened."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from eventsourcing.domain import Aggregate, event

from services.dialogue.vocabulary import KienNghiStatus as Status
from shared.errors import InvalidInput, RuleBroken

Actor = dict[str, Any]

CLOSED = (Status.RESOLVED, Status.DECLINED)
# from which statuses each step may be taken
ALLOWED = {
    "assign": (Status.RECEIVED, Status.ASSIGNED, Status.ANSWERED, Status.REOPENED),
    "classify": (Status.RECEIVED, Status.ASSIGNED, Status.ANSWERED, Status.REOPENED),
    "answer": (Status.ASSIGNED,),
    "resolve": (Status.ASSIGNED, Status.ANSWERED),
    "decline": (Status.ASSIGNED, Status.ANSWERED),
    "rate": CLOSED,
    "reopen": CLOSED,
}


class KienNghi(Aggregate):
    """A kiến nghị, phản ánh addressed to an authority, followed until it is settled."""

    @event("Received")
    def __init__(
        self,
        source: str,
        source_id: str | None,
        finding_id: str | None,
        unit_code: str,
        unit_structure: str,
        category: str,
        content: str,
        received_on: date,
        actor: Actor,
        channel: str = "api",
        citizen: str | None = None,
        personal: str | None = None,
        attachments: list[str] | None = None,
        attributes: dict[str, Any] | None = None,
        published: bool = False,
        deadlines: dict[str, Any] | None = None,
    ) -> None:
        # Not keyword-only: the library honours defaults only there, and events recorded
        # before these fields existed replay with them. citizen: a pseudonymous data-subject
        # id; personal: that subject's sealed personal data (shared.personal_data), never the
        # data itself; attachments: content hashes; attributes: the answers to the fields of
        # its category (Open311 attribute[code], keys of a list, never personal data);
        # published: the reporter agreed to publish the location and media they gave;
        # deadlines: what the handling rules in force on received_on gave (handling_rules.py),
        # none for records received before there were rules.
        self.channel = channel
        self.citizen = citizen
        self.personal = personal
        self.attachments = list(attachments or [])
        self.attributes = dict(attributes or {})
        self.published = published
        self.deadlines = deadlines
        self.priority = str(deadlines["priority"]) if deadlines else "normal"
        self.source = source
        self.source_id = source_id
        self.finding_id = finding_id
        self.unit_code = unit_code
        self.unit_structure = unit_structure
        self.category = category
        self.content = content
        self.received_on = received_on
        self.status = Status.RECEIVED
        self.last_step_on = received_on
        self.agency: str | None = None
        self.due_on: date | None = None
        self.assigned_on: date | None = None
        self.last_answer: dict[str, Any] | None = None
        self.closure: dict[str, Any] | None = None
        self.ratings: list[dict[str, Any]] = []
        self.rated_since_closure = False
        self.reopenings = 0

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED

    def is_overdue(self, today: date) -> bool:
        """Derived, never stored: open, with a due date that has passed."""
        return not self.is_closed and self.due_on is not None and self.due_on < today

    @property
    def due_by_rule(self) -> date | None:
        """The day the rules give for resolving it (none for records from before the rules)."""
        return resolve_day(self.deadlines)

    def assign(self, *, agency: str, due_on: date | None, assigned_on: date, actor: Actor) -> None:
        """Assigns it to an agency, due on the rules' day (passed already if it is assigned
        late: only an extension gives more time) or on an earlier one."""
        self._require("assign", "assigned_on", assigned_on)
        latest = self.due_by_rule
        if due_on is None:
            if latest is None:
                raise InvalidInput("due_on_required", field="due_on")
            self._assigned(agency=agency, due_on=latest, assigned_on=assigned_on, actor=actor)
            return
        if latest is not None and due_on > latest:
            raise InvalidInput("due_after_rule", field="due_on", value=due_on, latest=latest)
        if due_on < assigned_on:
            raise InvalidInput(
                "due_before_assignment", field="due_on", value=due_on, assigned_on=assigned_on
            )
        self._assigned(agency=agency, due_on=due_on, assigned_on=assigned_on, actor=actor)

    def classify(
        self,
        *,
        priority: str,
        category: str,
        classified_on: date,
        deadlines: dict[str, Any] | None,
        actor: Actor,
    ) -> None:
        """Sets its priority and category; deadlines: counted again at that priority from
        when its clock started. A due day later than the new rules' moves back to theirs."""
        self._require("classify", "classified_on", classified_on)
        due_on, latest = self.due_on, resolve_day(deadlines)
        if latest is not None and due_on is not None:
            due_on = min(due_on, latest)
        self._classified(
            priority=priority,
            category=category,
            classified_on=classified_on,
            deadlines=deadlines,
            due_on=due_on,
            actor=actor,
        )

    def answer(self, *, answer: str, answered_on: date, actor: Actor) -> None:
        self._require("answer", "answered_on", answered_on)
        self._answered(answer=answer, answered_on=answered_on, actor=actor)

    def resolve(self, *, resolution: str, resolved_on: date, actor: Actor) -> None:
        self._require("resolve", "resolved_on", resolved_on)
        self._resolved(resolution=resolution, resolved_on=resolved_on, actor=actor)

    def decline(self, *, reason: str, declined_on: date, actor: Actor) -> None:
        self._require("decline", "declined_on", declined_on)
        self._declined(reason=reason, declined_on=declined_on, actor=actor)

    def rate(self, *, rating: int, comment: str, rated_on: date, actor: Actor) -> None:
        self._require("rate", "rated_on", rated_on)
        if self.rated_since_closure:
            raise RuleBroken("kien_nghi_already_rated", rating=self.ratings[-1]["rating"])
        if not 1 <= rating <= 5:
            raise InvalidInput("rating_out_of_range", field="rating", value=rating)
        self._rated(rating=rating, comment=comment, rated_on=rated_on, actor=actor)

    def reopen(
        self,
        *,
        reason: str,
        reopened_on: date,
        actor: Actor,
        deadlines: dict[str, Any] | None = None,
    ) -> None:
        """Reopens it; deadlines: the clock started again on reopened_on, by the same rules."""
        self._require("reopen", "reopened_on", reopened_on)
        self._reopened(reason=reason, reopened_on=reopened_on, actor=actor, deadlines=deadlines)

    def _require(self, action: str, date_field: str, on: date) -> None:
        if self.status not in ALLOWED[action]:
            raise RuleBroken(_refusal(action, self.status), action=action, status=self.status)
        if on < self.received_on:
            raise InvalidInput(
                "date_before_receipt", field=date_field, value=on, received_on=self.received_on
            )
        if on < self.last_step_on:
            raise InvalidInput(
                "date_before_previous_step",
                field=date_field,
                value=on,
                previous_on=self.last_step_on,
            )

    @event("Assigned")
    def _assigned(self, agency: str, due_on: date, assigned_on: date, actor: Actor) -> None:
        self.status = Status.ASSIGNED
        self.agency = agency
        self.due_on = due_on
        self.assigned_on = assigned_on
        self.last_step_on = assigned_on

    @event("Classified")
    def _classified(
        self,
        priority: str,
        category: str,
        classified_on: date,
        deadlines: dict[str, Any] | None,
        due_on: date | None,
        actor: Actor,
    ) -> None:
        self.priority = priority
        self.category = category
        if deadlines is not None:
            self.deadlines = deadlines
        self.due_on = due_on
        self.last_step_on = classified_on

    @event("Answered")
    def _answered(self, answer: str, answered_on: date, actor: Actor) -> None:
        self.status = Status.ANSWERED
        self.last_answer = {"answer": answer, "answered_on": answered_on}
        self.last_step_on = answered_on

    @event("Resolved")
    def _resolved(self, resolution: str, resolved_on: date, actor: Actor) -> None:
        self._close(Status.RESOLVED, resolution, resolved_on)

    @event("Declined")
    def _declined(self, reason: str, declined_on: date, actor: Actor) -> None:
        self._close(Status.DECLINED, reason, declined_on)

    def _close(self, status: Status, text: str, on: date) -> None:
        self.status = status
        self.closure = {"status": status, "text": text, "closed_on": on}
        self.rated_since_closure = False
        self.last_step_on = on

    @event("Rated")
    def _rated(self, rating: int, comment: str, rated_on: date, actor: Actor) -> None:
        self.ratings.append({"rating": rating, "comment": comment, "rated_on": rated_on})
        self.rated_since_closure = True
        self.last_step_on = rated_on

    @event("Reopened")
    def _reopened(
        self,
        reason: str,
        reopened_on: date,
        actor: Actor,
        deadlines: dict[str, Any] | None = None,
    ) -> None:
        # the earlier assignment and its due date no longer hold: a new assignment is needed
        self.status = Status.REOPENED
        self.agency = None
        self.due_on = None
        self.assigned_on = None
        self.closure = None
        self.reopenings += 1
        self.last_step_on = reopened_on
        if deadlines is not None:
            self.deadlines = deadlines


def resolve_day(deadlines: dict[str, Any] | None) -> date | None:
    """The day the resolve_by of these deadlines falls on, in Vietnam (they are stored so)."""
    return datetime.fromisoformat(deadlines["resolve_by"]).date() if deadlines else None


def _refusal(action: str, status: str) -> str:
    """The stable code of an impossible step, from what is asked and where the record stands."""
    if action in ("rate", "reopen"):
        return "kien_nghi_not_closed"
    if status in CLOSED:
        return "kien_nghi_closed"
    if action == "answer" and status == Status.ANSWERED:
        return "kien_nghi_already_answered"
    return "kien_nghi_not_assigned"
