"""The kiến nghị aggregate: received, acknowledged, classified, assigned, transferred, given more
time, escalated, merged as a duplicate, answered, resolved or declined, rated, reopened
(docs/kien-nghi-handling.md)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from eventsourcing.domain import Aggregate, event

from services.dialogue.vocabulary import KienNghiStatus as Status
from shared.errors import InvalidInput, RuleBroken

Actor = dict[str, Any]

CLOSED = (Status.RESOLVED, Status.DECLINED)
OPEN = (Status.RECEIVED, Status.ASSIGNED, Status.ANSWERED, Status.REOPENED)
WITH_AGENCY = (Status.ASSIGNED, Status.ANSWERED)
# from which statuses each step may be taken
ALLOWED = {
    "acknowledge": OPEN,
    "assign": OPEN,
    "classify": OPEN,
    "transfer": (Status.ASSIGNED,),
    "request_extension": WITH_AGENCY,
    "decide_extension": WITH_AGENCY,
    "escalate": OPEN,
    "merge": OPEN,
    "answer": (Status.ASSIGNED,),
    "resolve": WITH_AGENCY,
    "decline": WITH_AGENCY,
    "rate": (*CLOSED, Status.MERGED),
    "reopen": CLOSED,
}
# each officer's step by its endpoint under /kien-nghi/{id}/, and the action that allows it
STEP_ACTIONS = {
    "acknowledgement": "acknowledge",
    "classification": "classify",
    "assignment": "assign",
    "transfer": "transfer",
    "extension-request": "request_extension",
    "extension-grant": "decide_extension",
    "extension-refusal": "decide_extension",
    "escalation": "escalate",
    "merge": "merge",
    "answer": "answer",
    "resolution": "resolve",
    "declination": "decline",
    "reopening": "reopen",
}
# the level a kiến nghị goes to when escalated from where it stands
LEVEL_ABOVE = {None: "province", "province": "central"}


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
        self.tracking_code: str | None = None
        self.acknowledged_at: datetime | None = None
        self.transfers = 0
        self.extension_request: dict[str, Any] | None = None
        self.extensions_granted = 0
        self.due_before_extension: date | None = None
        self.escalated_to: str | None = None
        self.escalated_against: date | None = None
        self.master_id: str | None = None
        self.duplicates: list[str] = []
        self.evidence: list[str] = []  # of every answer, to be fetched by their hash

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED

    @property
    def due_day(self) -> date | None:
        """The day it must be settled by: its assignment's, else the rules'."""
        return self.due_on or self.due_by_rule

    def is_overdue(self, today: date) -> bool:
        """Derived, never stored: open (not merged), with a due day that has passed."""
        return self.status in OPEN and self.due_day is not None and self.due_day < today

    @property
    def next_steps(self) -> list[str]:
        """The officers' steps its state allows now (by endpoint, STEP_ACTIONS); a rule may still
        refuse one (no extension left, evidence required)."""
        refused = set()
        if self.tracking_code is not None:
            refused.add("acknowledgement")
        if self.extension_request is None:
            refused |= {"extension-grant", "extension-refusal"}
        else:
            refused.add("extension-request")
        if self.escalated_to not in LEVEL_ABOVE:
            refused.add("escalation")
        return [
            step
            for step, action in STEP_ACTIONS.items()
            if self.status in ALLOWED[action] and step not in refused
        ]

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

    def acknowledge(self, *, tracking_code: str, acknowledged_at: datetime, actor: Actor) -> None:
        """Tiếp nhận: the record is taken in and given the code its citizen can quote."""
        self._require("acknowledge", "acknowledged_at", acknowledged_at.date())
        if self.tracking_code is not None:
            raise RuleBroken("kien_nghi_already_acknowledged", tracking_code=self.tracking_code)
        self._acknowledged(
            tracking_code=tracking_code, acknowledged_at=acknowledged_at, actor=actor
        )

    def transfer(
        self,
        *,
        agency: str,
        reason: str,
        transferred_on: date,
        deadlines: dict[str, Any] | None,
        actor: Actor,
    ) -> None:
        """Hands it to another agency; deadlines: counted again from the transfer when the rule
        restarts the clock (then the due day is the new rules'), none when it does not."""
        self._require("transfer", "transferred_on", transferred_on)
        if agency == self.agency:
            raise InvalidInput("transfer_to_same_agency", field="agency", value=agency)
        due_on = resolve_day(deadlines) if deadlines else self.due_on
        self._transferred(
            from_agency=self.agency,
            agency=agency,
            reason=reason,
            transferred_on=transferred_on,
            deadlines=deadlines,
            due_on=due_on,
            actor=actor,
        )

    def request_extension(
        self, *, reason: str, requested_on: date, allowed: int, actor: Actor
    ) -> None:
        """The agency asks for more time; allowed: how many extensions its rule grants."""
        self._require("request_extension", "requested_on", requested_on)
        if self.extension_request is not None:
            raise RuleBroken("extension_pending", requested_on=self.extension_request["on"])
        if self.extensions_granted >= allowed:
            raise RuleBroken(
                "extensions_exhausted", granted=self.extensions_granted, allowed=allowed
            )
        self._extension_requested(reason=reason, requested_on=requested_on, actor=actor)

    def grant_extension(
        self, *, reason: str, granted_on: date, due_on: date, latest: date, actor: Actor
    ) -> None:
        """Grants the pending request: due on latest (the rule's extension counted from the
        present due day) or an earlier day, never before the present one."""
        self._require_extension_request("granted_on", granted_on)
        if due_on > latest:
            raise InvalidInput("due_after_rule", field="due_on", value=due_on, latest=latest)
        if self.due_on is not None and due_on <= self.due_on:
            raise InvalidInput(
                "extension_not_later", field="due_on", value=due_on, due_on=self.due_on
            )
        self._extension_granted(
            reason=reason,
            granted_on=granted_on,
            due_on=due_on,
            previous_due_on=self.due_on,
            actor=actor,
        )

    def refuse_extension(self, *, reason: str, refused_on: date, actor: Actor) -> None:
        self._require_extension_request("refused_on", refused_on)
        self._extension_refused(reason=reason, refused_on=refused_on, actor=actor)

    def _require_extension_request(self, date_field: str, on: date) -> None:
        self._require("decide_extension", date_field, on)
        if self.extension_request is None:
            raise RuleBroken("no_extension_requested")

    def escalate(self, *, reason: str, escalated_on: date, automatic: bool, actor: Actor) -> None:
        """Sends it to the level above (a commune's or district's to the province, the
        province's to the central level); automatic: the escalation process found it overdue."""
        self._require("escalate", "escalated_on", escalated_on)
        to_level = LEVEL_ABOVE.get(self.escalated_to)
        if to_level is None:
            raise RuleBroken("kien_nghi_at_highest_level", level=self.escalated_to)
        overdue = self.is_overdue(escalated_on)
        if automatic and not overdue:
            raise RuleBroken("kien_nghi_not_overdue", due_on=self.due_day)
        self._escalated(
            to_level=to_level,
            reason=reason,
            escalated_on=escalated_on,
            automatic=automatic,
            due_on=self.due_day if overdue else None,
            actor=actor,
        )

    def needs_escalation(self, today: date) -> bool:
        """Overdue, not yet escalated against its present due day, and with a level above."""
        return (
            self.is_overdue(today)
            and self.escalated_against != self.due_day
            and self.escalated_to in LEVEL_ABOVE
        )

    def merge_into(self, master: KienNghi, *, reason: str, merged_on: date, actor: Actor) -> None:
        """Marks this one a duplicate of master: its citizen keeps this record, follows the
        master's progress and answer, and rates it here."""
        self._require("merge", "merged_on", merged_on)
        if master.id == self.id:
            raise InvalidInput("merge_into_itself", field="master_id", value=str(master.id))
        if master.status == Status.MERGED:
            raise RuleBroken("master_is_merged", master_id=str(master.id), into=master.master_id)
        if merged_on < master.received_on:
            raise InvalidInput(
                "date_before_receipt",
                field="merged_on",
                value=merged_on,
                received_on=master.received_on,
            )
        self._merged_into(master_id=str(master.id), reason=reason, merged_on=merged_on, actor=actor)
        master._duplicate_attached(duplicate_id=str(self.id), merged_on=merged_on, actor=actor)

    def answer(
        self,
        *,
        answer: str,
        answered_on: date,
        actor: Actor,
        evidence: list[str] | None = None,
        evidence_required: bool = False,
    ) -> None:
        """Answers it; evidence: the hashes of files uploaded for it, required by some rules."""
        self._require("answer", "answered_on", answered_on)
        if evidence_required and not evidence:
            raise InvalidInput("evidence_required", field="evidence", priority=self.priority)
        self._answered(
            answer=answer, answered_on=answered_on, evidence=list(evidence or []), actor=actor
        )

    def resolve(self, *, resolution: str, resolved_on: date, actor: Actor) -> None:
        self._require("resolve", "resolved_on", resolved_on)
        self._resolved(resolution=resolution, resolved_on=resolved_on, actor=actor)

    def decline(self, *, reason: str, declined_on: date, actor: Actor) -> None:
        self._require("decline", "declined_on", declined_on)
        self._declined(reason=reason, declined_on=declined_on, actor=actor)

    def rate(
        self,
        *,
        rating: int,
        comment: str,
        rated_on: date,
        actor: Actor,
        master: KienNghi | None = None,
    ) -> None:
        """Rates it once it is closed; a merged duplicate, once its master is."""
        self._require("rate", "rated_on", rated_on)
        if self.status == Status.MERGED and (master is None or not master.is_closed):
            raise RuleBroken("kien_nghi_not_closed", action="rate", status=self.status)
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

    @event("Acknowledged")
    def _acknowledged(self, tracking_code: str, acknowledged_at: datetime, actor: Actor) -> None:
        self.tracking_code = tracking_code
        self.acknowledged_at = acknowledged_at
        self.last_step_on = max(self.last_step_on, acknowledged_at.date())

    @event("Transferred")
    def _transferred(
        self,
        from_agency: str | None,
        agency: str,
        reason: str,
        transferred_on: date,
        deadlines: dict[str, Any] | None,
        due_on: date | None,
        actor: Actor,
    ) -> None:
        self.agency = agency
        self.transfers += 1
        if deadlines is not None:
            self.deadlines = deadlines
        self.due_on = due_on
        self.extension_request = None  # the new agency asks for itself
        self.last_step_on = transferred_on

    @event("ExtensionRequested")
    def _extension_requested(self, reason: str, requested_on: date, actor: Actor) -> None:
        self.extension_request = {"reason": reason, "on": requested_on}
        self.last_step_on = requested_on

    @event("ExtensionGranted")
    def _extension_granted(
        self,
        reason: str,
        granted_on: date,
        due_on: date,
        previous_due_on: date | None,
        actor: Actor,
    ) -> None:
        if self.extensions_granted == 0:
            self.due_before_extension = previous_due_on
        self.extensions_granted += 1
        self.extension_request = None
        self.due_on = due_on
        self.last_step_on = granted_on

    @event("ExtensionRefused")
    def _extension_refused(self, reason: str, refused_on: date, actor: Actor) -> None:
        self.extension_request = None
        self.last_step_on = refused_on

    @event("Escalated")
    def _escalated(
        self,
        to_level: str,
        reason: str,
        escalated_on: date,
        automatic: bool,
        due_on: date | None,
        actor: Actor,
    ) -> None:
        self.escalated_to = to_level
        if due_on is not None:
            self.escalated_against = due_on
        self.last_step_on = escalated_on

    @event("MergedInto")
    def _merged_into(self, master_id: str, reason: str, merged_on: date, actor: Actor) -> None:
        self.status = Status.MERGED
        self.master_id = master_id
        self.extension_request = None
        self.last_step_on = merged_on

    @event("DuplicateAttached")
    def _duplicate_attached(self, duplicate_id: str, merged_on: date, actor: Actor) -> None:
        self.duplicates.append(duplicate_id)  # not a step of its own handling: no date moves

    @event("Answered")
    def _answered(
        self, answer: str, answered_on: date, actor: Actor, evidence: list[str] | None = None
    ) -> None:
        self.status = Status.ANSWERED
        self.last_answer = {
            "answer": answer,
            "answered_on": answered_on,
            "evidence": list(evidence or []),
        }
        self.evidence += [h for h in evidence or () if h not in self.evidence]
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
        self.extension_request = None
        self.reopenings += 1
        self.last_step_on = reopened_on
        if deadlines is not None:
            self.deadlines = deadlines


def resolve_day(deadlines: dict[str, Any] | None) -> date | None:
    """The day the resolve_by of these deadlines falls on, in Vietnam (they are stored so)."""
    return datetime.fromisoformat(deadlines["resolve_by"]).date() if deadlines else None


def _refusal(action: str, status: str) -> str:
    """The stable code of an impossible step, from what is asked and where the record stands."""
    if status == Status.MERGED:
        return "kien_nghi_merged"
    if action in ("rate", "reopen"):
        return "kien_nghi_not_closed"
    if status in CLOSED:
        return "kien_nghi_closed"
    if action == "answer" and status == Status.ANSWERED:
        return "kien_nghi_already_answered"
    return "kien_nghi_not_assigned"
