"""HTTP pieces every write API shares: Idempotency-Key, If-Match and command responses."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Header, Request
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


@dataclass(frozen=True)
class CommandRoute:
    """One write endpoint: POST path, its body schema, and the application method it runs.

    A path with "{record_id}" changes an existing record (If-Match honoured); one without it
    creates a record (201).
    """

    path: str
    body: type[BaseModel]
    command: str
    summary: str
    response_model: type[BaseModel] | None = None

    @property
    def creates(self) -> bool:
        return "{record_id}" not in self.path


def add_command_routes(
    router: APIRouter,
    routes: list[CommandRoute],
    *,
    service: Any,
    writer: Any,
    responses: dict[int | str, dict[str, Any]],
) -> None:
    """Registers each command once: the endpoints differ only in path, body and command."""
    for route in routes:
        endpoint = _change_endpoint(route) if not route.creates else _create_endpoint(route)
        endpoint.__annotations__.update(body=route.body, application=service, actor=writer)
        router.add_api_route(
            route.path,
            endpoint,
            methods=["POST"],
            status_code=201 if route.creates else 200,
            response_model=route.response_model,
            responses=responses,
            summary=route.summary,
            name=route.command,
        )


def _create_endpoint(route: CommandRoute) -> Callable[..., JSONResponse]:
    def endpoint(
        request: Request,
        body: BaseModel,
        application: Any,
        actor: Principal,
        idempotency_key: IdempotencyKey = None,
    ) -> JSONResponse:
        outcome = getattr(application, route.command)(
            **body.model_dump(),
            actor=actor,
            idempotency=idempotency_of(request, actor, idempotency_key, body),
        )
        return outcome_response(outcome)

    return endpoint


def _change_endpoint(route: CommandRoute) -> Callable[..., JSONResponse]:
    def endpoint(
        request: Request,
        record_id: UUID,
        body: BaseModel,
        application: Any,
        actor: Principal,
        idempotency_key: IdempotencyKey = None,
        if_match: IfMatch = None,
    ) -> JSONResponse:
        outcome = getattr(application, route.command)(
            record_id,
            **body.model_dump(),
            actor=actor,
            expected_version=expected_version(if_match),
            idempotency=idempotency_of(request, actor, idempotency_key, body),
        )
        return outcome_response(outcome)

    return endpoint
