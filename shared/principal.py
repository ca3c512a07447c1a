"""Who acts: a principal, its role and the units it is scoped to."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


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
