"""HTTP pieces every write API shares: Idempotency-Key, If-Match and command responses."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Header, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from shared.application import Idempotency, Outcome
from shared.errors import InvalidInput
from shared.principal import Principal

IdempotencyKey = Annotated[
    str | None,
    Header(alias="Idempotency-Key", max_length=200, description="retries with it make one record"),
]
IfMatch = Annotated[
    str | None, Header(alias="If-Match", description="the version the change is based on")
]


def idempotency_of(
    request: Request, principal: Principal, key: str | None, body: BaseModel | None
) -> Idempotency | None:
    payload = {"path": request.url.path, "body": body.model_dump(mode="json") if body else None}
    return Idempotency.of(principal.id, key, payload)


def expected_version(if_match: str | None) -> int | None:
    if if_match is None:
        return None
    raw = if_match.strip().removeprefix("W/").strip('"')
    if not raw.isdigit():
        raise InvalidInput("invalid_if_match", field="If-Match")
    return int(raw)


def outcome_response(outcome: Outcome) -> JSONResponse:
    headers: dict[str, Any] = {}
    if "version" in outcome.response:
        headers["ETag"] = f'"{outcome.response["version"]}"'
    if outcome.position is not None:
        headers["X-Event-Position"] = str(outcome.position)
    if outcome.replayed:
        headers["Idempotent-Replayed"] = "true"
    return JSONResponse(outcome.response, status_code=outcome.status, headers=headers)
