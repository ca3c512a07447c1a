"""What citizens do through apps: submit a kiến nghị, follow, rate and reopen their own; and
the erasure of a citizen's personal data."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4, uuid5

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate, event

from services.dialogue.domain import KienNghi
from services.dialogue.handling_rules import Handling
from services.dialogue.vocabulary import KienNghiPriority
from shared.application import ServiceApplication
from shared.commands import DANVAN_NAMESPACE, Decision, Idempotency, Outcome
from shared.errors import Forbidden, Hidden, InvalidInput, NotFound, RuleBroken
from shared.personal_data import PersonalDataVault
from shared.principal import Principal, Role
from shared.units import Level, Structure, Unit

# Vietnam's extent, to refuse coordinates that cannot be ours before looking for a commune
LATITUDES, LONGITUDES = (8.0, 24.0), (102.0, 118.0)


@dataclass(frozen=True)
class Whereabouts:
    """Where a citizen's kiến nghị is about: a unit code, or a point (and a province)."""

    unit_code: str | None = None
    lat: float | None = None
    lon: float | None = None
    province_code: str | None = None  # Open311's jurisdiction_id


class DataSubject(Aggregate):
    """The record that a citizen's personal data was erased: when, by whom (never what)."""

    @staticmethod
    def create_id(subject: str) -> UUID:
        return uuid5(DANVAN_NAMESPACE, f"data-subject/{subject}")

    @event("Erased")
    def __init__(self, subject: str, reason: str, actor: dict[str, Any]) -> None:
        self.subject = subject


def citizen_subject(principal: Principal, account: str | None = None) -> str:
    """A pseudonymous data-subject id: the citizen's own, or an app's account of one."""
    if principal.role is Role.CITIZEN and account is None:
        return str(uuid5(DANVAN_NAMESPACE, f"citizen/{principal.id}"))
    if account:
        return str(uuid5(DANVAN_NAMESPACE, f"account/{principal.id}/{account}"))
    return str(uuid4())  # an anonymous report: its own subject


class CitizenCommands(ServiceApplication):
    """Mixed into the dialogue application; needs self.vault and self.reopen_days."""

    vault: PersonalDataVault
    reopen_days: int
    handling: Handling
    now: Callable[[], datetime]

    def deadlines(
        self, province: str, source: str, on: date, priority: str = KienNghiPriority.NORMAL
    ) -> dict[str, Any] | None:
        """A kiến nghị's deadlines by the rules in force on the day its clock starts."""
        return self.handling.deadlines(
            province=province,
            source=source,
            priority=priority,
            clock_from=self.handling.clock_start(on, self.now()),
        )

    def submit_kien_nghi(
        self,
        *,
        category: str,
        content: str,
        where: Whereabouts,
        personal: dict[str, Any],
        attachments: list[str],
        channel: str,
        subject: str,
        actor: Principal,
        idempotency: Idempotency | None = None,
        attributes: dict[str, Any] | None = None,
        published: bool = False,
    ) -> Outcome:
        """A kiến nghị from a citizen: its personal data sealed under the citizen's own key."""

        def decide() -> Decision:
            on = self.today()
            unit = self._locate(where, on)
            sealed = {k: v for k, v in personal.items() if v not in (None, "")}
            kien_nghi = KienNghi(
                source="citizen_app",
                source_id=None,
                finding_id=None,
                unit_code=unit.code,
                unit_structure=str(unit.structure),
                category=category,
                content=content,
                received_on=on,
                actor=self.citizen_actor(actor, subject),
                channel=channel,
                citizen=subject,
                personal=self.vault.seal(subject, sealed) if sealed else None,
                attachments=attachments,
                attributes=attributes,
                published=published,
                deadlines=self.deadlines(unit.province_code, "citizen_app", on),
            )
            response = {
                "id": str(kien_nghi.id),
                "version": kien_nghi.version,
                "unit_code": unit.code,
                "unit_name": unit.name,
            }
            return [kien_nghi], response

        return self.execute(decide, idempotency=idempotency)

    def deadlines_again(self, kien_nghi: KienNghi, on: date) -> dict[str, Any] | None:
        """Deadlines counted again from a day (a reopening), at the priority it has."""
        clock_from = self.handling.clock_start(on, self.now())
        return self._recounted(kien_nghi, kien_nghi.priority, clock_from)

    def deadlines_at_priority(self, kien_nghi: KienNghi, priority: str) -> dict[str, Any] | None:
        """Its deadlines at another priority, from when its clock started."""
        if kien_nghi.deadlines is None:
            return None
        clock_from = datetime.fromisoformat(kien_nghi.deadlines["clock_from"])
        return self._recounted(kien_nghi, priority, clock_from)

    def _recounted(
        self, kien_nghi: KienNghi, priority: str, clock_from: datetime
    ) -> dict[str, Any] | None:
        """By the rules in force on the day the clock starts; none for a record from before
        there were rules."""
        unit = self.recorded_unit(kien_nghi.unit_code, kien_nghi.unit_structure)
        if kien_nghi.deadlines is None or unit is None:
            return None
        return self.handling.deadlines(
            province=unit.province_code,
            source=kien_nghi.source,
            priority=priority,
            clock_from=clock_from,
        )

    def citizen_actor(self, actor: Principal, subject: str) -> dict[str, Any]:
        """A citizen's actor with its id and client (User-Agent, app id) sealed under the data
        subject's key: erased with the rest. Officers and admins filing for someone (Open311)
        act as officials, and stay on record in clear."""
        if actor.role is not Role.CITIZEN:
            return actor.as_actor()
        return actor.as_actor(seal=lambda who: self.vault.seal(subject, who))

    def _locate(self, where: Whereabouts, on: date) -> Unit:
        if where.unit_code is not None:
            unit = self.catalog.find(where.unit_code, on)
            if unit is None:
                raise InvalidInput(
                    "unit_unknown", field="unit_code", unit_code=where.unit_code, on=on
                )
            return unit
        within = None
        if where.province_code is not None:
            within = self.catalog.get(Structure.V2025, where.province_code)
            if within is None or within.level is not Level.PROVINCE:
                raise InvalidInput(
                    "jurisdiction_unknown", field="jurisdiction_id", value=where.province_code
                )
        if where.lat is None or where.lon is None:
            raise InvalidInput("location_required", field="lat")
        if not (
            LATITUDES[0] <= where.lat <= LATITUDES[1]
            and LONGITUDES[0] <= where.lon <= LONGITUDES[1]
        ):
            raise InvalidInput("location_outside", field="lat", lat=where.lat, lon=where.lon)
        unit = self.catalog.nearest_commune(where.lat, where.lon, on, within)
        if unit is None:
            raise InvalidInput("location_outside", field="lat", lat=where.lat, lon=where.lon)
        return unit

    def own_kien_nghi(self, kien_nghi_id: UUID, subject: str) -> KienNghi:
        """A citizen's own kiến nghị; another's is 'not found', so ids reveal nothing."""
        kien_nghi = self.load(kien_nghi_id, KienNghi)
        if kien_nghi.citizen != subject:
            raise Hidden(self.missing(kien_nghi), owner="another data subject")
        return kien_nghi

    def rate_own(
        self,
        kien_nghi_id: UUID,
        subject: str,
        *,
        rating: int,
        comment: str,
        actor: Principal,
        idempotency: Idempotency | None = None,
    ) -> Outcome:
        def act(kien_nghi: KienNghi, actor: Principal) -> None:
            kien_nghi.rate(
                rating=rating,
                comment=comment,
                rated_on=self.today(),
                actor=self.citizen_actor(actor, subject),
                master=self.master_of(kien_nghi),
            )

        return self.change(
            lambda: self.own_kien_nghi(kien_nghi_id, subject),
            act,
            unit_of=lambda _: None,
            actor=actor,
            idempotency=idempotency,
        )

    def reopen_own(
        self,
        kien_nghi_id: UUID,
        subject: str,
        *,
        reason: str,
        actor: Principal,
        idempotency: Idempotency | None = None,
    ) -> Outcome:
        def act(kien_nghi: KienNghi, actor: Principal) -> None:
            today = self.today()
            closure = kien_nghi.closure
            if closure and today > closure["closed_on"] + timedelta(days=self.reopen_days):
                raise RuleBroken(
                    "reopen_too_late", days=self.reopen_days, closed_on=closure["closed_on"]
                )
            kien_nghi.reopen(
                reason=reason,
                reopened_on=today,
                actor=self.citizen_actor(actor, subject),
                deadlines=self.deadlines_again(kien_nghi, today),
            )

        return self.change(
            lambda: self.own_kien_nghi(kien_nghi_id, subject),
            act,
            unit_of=lambda _: None,
            actor=actor,
            idempotency=idempotency,
        )

    def master_of(self, kien_nghi: KienNghi) -> KienNghi | None:
        """The master a merged duplicate is followed through."""
        if kien_nghi.master_id is None:
            return None
        return self.load(UUID(kien_nghi.master_id), KienNghi)

    def personal_data_of(self, kien_nghi: KienNghi) -> dict[str, Any] | None:
        return self.vault.open(kien_nghi.personal)

    def erase_data_subject(
        self, *, subject: str | None, kien_nghi_id: UUID | None, reason: str, actor: Principal
    ) -> Outcome:
        """Deletes the subject's key (by id, or the subject of a kiến nghị) and records it once.

        A subject exists when a kiến nghị names it (the one given), when the vault holds its
        key, or when it was erased before (the record of that erasure: keys go only that way).
        Any other subject is 404 and nothing is recorded: given by id alone, a subject the vault
        never held a key for has no personal data here.
        """
        if actor.role is not Role.ADMIN:
            raise Forbidden("forbidden_role", role=str(actor.role))
        named = False
        if subject is None and kien_nghi_id is not None:
            subject = self.load(kien_nghi_id, KienNghi, "kien_nghi_not_found").citizen
            named = True
        if not subject:
            raise InvalidInput("subject_unknown", field="subject")

        def decide() -> Decision:
            response = {"subject": subject, "erased": True}
            try:
                self.repository.get(DataSubject.create_id(subject))
                return [], response  # erased before: erase the key again, record nothing
            except AggregateNotFoundError:
                if not named and not self.vault.holds(subject):
                    raise NotFound("subject_not_found", field="subject", subject=subject) from None
                record = DataSubject(subject=subject, reason=reason, actor=actor.as_actor())
                return [record], response

        outcome = self.execute(decide)
        self.vault.erase(subject)  # after the record: a failed erasure is visible and retried
        return outcome
