"""Tracking codes a citizen can read out on the phone: PP-YYYY-NNNNNNN, digits only (the
province code, the year of the acknowledgement, a number), unique per province and year."""

from __future__ import annotations

import hashlib
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from shared.commands import DANVAN_NAMESPACE

TRACKING_CODE_PATTERN = r"^[0-9]{2}-[0-9]{4}-[0-9]{7}$"
NUMBERS = 10_000_000


class TrackingCode(Aggregate):
    """One code given to one kiến nghị. Its id is the code's, so a code is given once: two
    acknowledgements that pick the same code conflict on saving, and the later one is
    decided again and picks another (and a code finds its kiến nghị in one read)."""

    @staticmethod
    def create_id(code: str) -> UUID:
        return uuid5(DANVAN_NAMESPACE, f"tracking-code/{code}")

    @event("Issued")
    def __init__(self, code: str, kien_nghi_id: str, actor: dict[str, Any]) -> None:
        self.code, self.kien_nghi_id = code, kien_nghi_id


def candidate_codes(province: str, year: int, kien_nghi_id: str) -> list[str]:
    """The codes a kiến nghị tries in turn: numbers drawn from its id, not counted, so that
    no counter (one record written by every acknowledgement of a province) is needed."""
    codes = []
    for attempt in range(64):
        digest = hashlib.blake2b(f"{kien_nghi_id}/{attempt}".encode(), digest_size=8).digest()
        codes.append(f"{province}-{year}-{int.from_bytes(digest) % NUMBERS:07d}")
    return codes
