"""HTTP pieces every write API shares: Idempotency-Key, If-Match and command responses.

Command endpoints are coroutines: with group commit on, a command's decision is queued from the
event loop and its outcome awaited, so no worker thread is held (or handed to and back) per
write; their dependencies (the application, the caller) are coroutines for the same reason.
Without group commit the command runs on a worker thread as any blocking call.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Header, Request, Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from shared.commands import ChangeTerms, Idempotency, Outcome
from shared.errors import InvalidInput
from shared.events import dumps
from shared.group_commit import queued_only
from shared.input_types import BIGINT_MAX
from shared.principal import Principal

VERSION = re.compile(r"[0-9]{1,19}")
IdempotencyKey = Annotated[
    str | None,
    Header(alias="Idempotency-Key", max_length=200, description="retries with it make one record"),
]
IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description="the version the change is based on (its ETag)",
        pattern=r'^(W/)?"?[0-9]{1,19}"?$',
    ),
]


def idempotency_of(
    request: Request, principal: Principal, key: str | None, body: BaseModel | None
) -> Idempotency | None:
    payload = {"path": request.url.path, "body": body.model_dump(mode="json") if body else None}
    return Idempotency.of(principal.id, key, payload)


def expected_version(if_match: str | None) -> int | None:
    """The version an If-Match names: ASCII digits, at most BIGINT (what a version can be)."""
    if if_match is None:
        return None
    raw = if_match.strip().removeprefix("W/").strip('"')
    if not VERSION.fullmatch(raw) or int(raw) > BIGINT_MAX:
        raise InvalidInput("invalid_if_match", field="If-Match", max=BIGINT_MAX)
    return int(raw)


# at most this many entries in the header (~60 bytes each): proxies read 4–8 KiB of headers;
# a record's receipt (GET …/{id}/receipt) proves all its events
MAX_ENTRIES_LISTED = 50


def event_headers(outcome: Outcome) -> dict[str, str]:
    """Where a write's events are: the last one's position, and each one's position and leaf
    hash in the feed's Merkle tree (what its receipt will prove, once sealed)."""
    headers = {}
    if outcome.position is not None:
        headers["X-Event-Position"] = str(outcome.position)
    if outcome.entries:  # a dialogue held with its 200 kiến nghị: the record's own first
        listed = outcome.entries[:MAX_ENTRIES_LISTED]
        headers["X-Event-Entries"] = ", ".join(map(str, listed))
    return headers


def outcome_response(outcome: Outcome, status: int) -> Response:
    headers: dict[str, Any] = {}
    if "version" in outcome.response:
        headers["ETag"] = f'"{outcome.response["version"]}"'
    headers.update(event_headers(outcome))
    if outcome.replayed:
        headers["Idempotent-Replayed"] = "true"
    return Response(
        dumps(outcome.response),
        status_code=status,
        headers=headers,
        media_type="application/json",
    )


async def run_command(application: Any, command: Callable[[], Outcome]) -> Outcome:
    """Runs an application's command method: its decision queued for the group commit and
    awaited, or (group commit off) the whole method on a worker thread."""
    if getattr(application, "group_commit", None) is None:
        return await run_in_threadpool(command)
    with queued_only() as queued:
        return command()  # reached only by a command that queued nothing
    assert queued.future is not None
    return await asyncio.wrap_future(queued.future)


@dataclass(frozen=True)
class Write:
    """What a write request says besides its body: the caller's Idempotency-Key and, for a
    change, the version it is based on (If-Match)."""

    request: Request
    idempotency_key: str | None
    if_match: str | None = None

    def idempotency(self, actor: Principal, body: BaseModel) -> Idempotency | None:
        return idempotency_of(self.request, actor, self.idempotency_key, body)

    def terms(self, actor: Principal, body: BaseModel) -> ChangeTerms:
        return {
            "actor": actor,
            "expected_version": expected_version(self.if_match),
            "idempotency": self.idempotency(actor, body),
        }


async def creation(request: Request, idempotency_key: IdempotencyKey = None) -> Write:
    return Write(request, idempotency_key)


async def change(
    request: Request, idempotency_key: IdempotencyKey = None, if_match: IfMatch = None
) -> Write:
    return Write(request, idempotency_key, if_match)


Creation = Annotated[Write, Depends(creation)]
Change = Annotated[Write, Depends(change)]


async def created(application: Any, command: Callable[[], Outcome]) -> Response:
    """201 and the new record's reference: the command run as run_command runs it."""
    return outcome_response(await run_command(application, command), 201)


async def changed(application: Any, command: Callable[[], Outcome]) -> Response:
    return outcome_response(await run_command(application, command), 200)
