"""Who acts: a principal, its role and the units it is scoped to."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from shared.errors import Forbidden
from shared.units import Unit, UnitCatalog

log = logging.getLogger("danvan.auth")


class Role(StrEnum):
    CITIZEN = "citizen"
    OFFICER = "officer"
    AUDITOR = "auditor"
    ADMIN = "admin"


@dataclass(frozen=True)
class Principal:
    id: str
    role: Role
    units: tuple[str, ...] = ()
    client: str | None = None

    def as_actor(self) -> dict[str, Any]:
        """What an event records about who caused it."""
        return {
            "id": self.id,
            "role": str(self.role),
            "units": list(self.units),
            "client": self.client,
        }

    def covers(self, unit: Unit, catalog: UnitCatalog) -> bool:
        if self.role is not Role.OFFICER:
            return self.role is Role.ADMIN
        codes = {unit.code, *(a.code for a in catalog.ancestors(unit))}
        return any(scope in codes for scope in self.units)

    def require_covers(self, unit: Unit, catalog: UnitCatalog, field: str = "unit_code") -> None:
        """Officers write only within their units; admins anywhere; others are refused."""
        if not self.covers(unit, catalog):
            log.warning("forbidden: %s (%s) outside scope on unit %s", self.id, self.role, unit.key)
            raise Forbidden("forbidden_unit", field=field, unit_code=unit.code)
