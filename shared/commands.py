"""What a command is, apart from the application that runs it: the Idempotency-Key it came
with, the record that remembers its answer, the decision it makes and the outcome it answers.
Both the application and the group commit that batches its decisions need these."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Required, TypedDict
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event
from eventsourcing.utils import register_topic

from shared.events import dumps
from shared.principal import Principal

DANVAN_NAMESPACE = UUID("0b7f5f8e-2d55-4c1e-9a44-5a8f2f7f0c11")


class IdempotentRequest(Aggregate):
    """A write accepted under an Idempotency-Key, saved in the same transaction as its events.

    Named by a digest of the caller and the key (uuid5), which is all it keeps of them: the
    event goes out in the public feed, and a key, like the caller's id, is the caller's own.
    Records accepted before kept both in clear (fields scope and key); they load as ever (the
    fields are left out of the aggregate) and answer the same key again."""

    @staticmethod
    def create_id(scope: str, key: str) -> UUID:
        return uuid5(DANVAN_NAMESPACE, f"idempotency\x1f{scope}\x1f{key}")

    @classmethod
    def accept(cls, idempotency: Idempotency, response: dict[str, Any]) -> IdempotentRequest:
        return cls._create(
            cls.Accepted,  # type: ignore[attr-defined]  # eventsourcing's @event("Accepted") makes it at run time
            id=cls.create_id(idempotency.scope, idempotency.key),
            request_hash=idempotency.request_hash,
            response=response,
            status=None,
        )

    # status: the HTTP status, recorded until the HTTP layer alone decided it; unused
    @event("Accepted")
    def __init__(
        self, request_hash: str, response: dict[str, Any], status: int | None = None
    ) -> None:
        self.request_hash = request_hash
        self.response = response


# recorded before this module was split from shared.application: their topics name it there
register_topic("shared.application:IdempotentRequest", IdempotentRequest)


@dataclass(frozen=True)
class Idempotency:
    scope: str  # the caller: the same key from two callers is two requests
    key: str
    request_hash: str

    @classmethod
    def of(cls, scope: str, key: str | None, body: Any) -> Idempotency | None:
        if not key:
            return None
        return cls(scope, key, hashlib.sha256(dumps(body)).hexdigest())


class ChangeTerms(TypedDict, total=False):
    """Who asks for a change, on which version of the record, under which Idempotency-Key."""

    actor: Required[Principal]
    expected_version: int | None
    idempotency: Idempotency | None


@dataclass(frozen=True)
class Outcome:
    """What a command answers: the HTTP layer says it with 201 for a new record, else 200."""

    response: dict[str, Any]
    position: int | None  # None when the response was replayed from an earlier request
    replayed: bool = False
    # each event written: its feed position and its leaf hash in the feed's Merkle tree
    entries: tuple[Entry, ...] = ()


@dataclass(frozen=True, order=True)
class Entry:
    """An event as its feed's Merkle tree holds it: where it is, and SHA-256(0x00 ‖ entry)."""

    position: int
    leaf_hash: bytes

    def __str__(self) -> str:
        """As the X-Event-Entries header lists it: `position:base64(leaf hash)`."""
        return f"{self.position}:{base64.b64encode(self.leaf_hash).decode()}"


# what a command decides: the aggregates to save and what to answer
Decision = tuple[Sequence[Aggregate], dict[str, Any]]
