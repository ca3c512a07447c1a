"""Who acts: a principal, its role and the units it is scoped to."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
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
    # the agency a clerk works for (as kiến nghị are assigned to it): its inbox by default
    agency: str | None = None

    def with_client(self, client: str | None) -> Principal:
        """The same principal, calling with this client (its User-Agent or X-Client-Id)."""
        return replace(self, client=client)

    def as_actor(self, seal: Callable[[dict[str, Any]], str] | None = None) -> dict[str, Any]:
        """What an event records about who caused it. With seal (a data subject's key, see
        shared.personal_data), who and with what client go sealed: a citizen's principal id
        and device are personal data, erased with the subject; the role stays in clear."""
        if seal is not None:
            return {
                "role": str(self.role),
                "units": list(self.units),
                "sealed": seal({"id": self.id, "client": self.client}),
            }
        return {
            "id": self.id,
            "role": str(self.role),
            "units": list(self.units),
            "client": self.client,
        }
