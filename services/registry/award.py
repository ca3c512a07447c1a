"""An honour conferred: a medal "Vì sự nghiệp Dân vận", a certificate of merit, a commendation."""

from __future__ import annotations

from datetime import date
from typing import Any

from eventsourcing.domain import Aggregate, event


class Award(Aggregate):
    """Conferred once on a person or a collective of a unit; a correction is a new record."""

    @event("Conferred")
    def __init__(
        self,
        *,
        award: str,
        recipient_kind: str,
        recipient: str,
        unit_code: str,
        unit_structure: str,
        conferred_by: str,
        conferred_on: date,
        reason: str,
        actor: dict[str, Any],
    ) -> None:
        self.award = award
        self.recipient_kind = recipient_kind
        self.recipient = recipient
        self.unit_code = unit_code
        self.unit_structure = unit_structure
        self.conferred_by = conferred_by
        self.conferred_on = conferred_on
        self.reason = reason
