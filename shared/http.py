"""HTTP pieces every write API shares: Idempotency-Key, If-Match and command responses.

Command endpoints are coroutines: with group commit on, a command's decision is queued from the
event loop and its outcome awaited, so no worker thread is held (or handed to and back) per
write; the application and the caller are found on the loop too. Without group commit the
command runs on a worker thread as any blocking call.
"""

from __future__ import annotations

import asyncio
import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, get_args
from uuid import UUID

from fastapi import APIRouter, Depends, Header, Request, Response
from fastapi import params as fastapi_params
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from shared.commands import Idempotency, Outcome
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


def outcome_response(outcome: Outcome) -> Response:
    headers: dict[str, Any] = {}
    if "version" in outcome.response:
        headers["ETag"] = f'"{outcome.response["version"]}"'
    if outcome.position is not None:
        headers["X-Event-Position"] = str(outcome.position)
    if outcome.replayed:
        headers["Idempotent-Replayed"] = "true"
    return Response(
        dumps(outcome.response),
        status_code=outcome.status,
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


def on_the_loop(annotation: Any) -> Any:
    """The same dependency, called on the event loop instead of a worker thread.

    FastAPI hands a plain function to a worker thread, a hop that costs more than these
    functions do (an attribute of the app; a token looked up in memory). A JWT may need its
    identity provider's key set fetched, so with JWTs configured the caller is still found on a
    worker thread. Dependencies that take more than the request are left as they are.
    """
    base, *metadata = get_args(annotation)
    depends = next((m for m in metadata if isinstance(m, fastapi_params.Depends)), None)
    call = depends.dependency if depends is not None else None
    if call is None or list(inspect.signature(call).parameters) != ["request"]:
        return annotation
    if inspect.iscoroutinefunction(call) or inspect.iscoroutinefunction(type(call).__call__):
        return annotation  # on the loop already (a coroutine function, or an object's)

    async def dependency(request: Request) -> Any:
        if getattr(request.app.state, "jwt", None) is not None:
            return await run_in_threadpool(call, request)
        return call(request)

    return Annotated[base, Depends(dependency)]


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
) -> None:
    """Registers each command once: the endpoints differ only in path, body and command."""
    for route in routes:
        endpoint = _change_endpoint(route) if not route.creates else _create_endpoint(route)
        endpoint.__annotations__.update(
            body=route.body, application=on_the_loop(service), actor=on_the_loop(writer)
        )
        router.add_api_route(
            route.path,
            endpoint,
            methods=["POST"],
            status_code=201 if route.creates else 200,
            response_model=route.response_model,
            summary=route.summary,
            name=route.command,
        )


def _create_endpoint(route: CommandRoute) -> Callable[..., Any]:
    async def endpoint(
        request: Request,
        body: BaseModel,
        application: Any,
        actor: Principal,
        idempotency_key: IdempotencyKey = None,
    ) -> Response:
        def command() -> Outcome:
            outcome: Outcome = getattr(application, route.command)(
                **body.model_dump(),
                actor=actor,
                idempotency=idempotency_of(request, actor, idempotency_key, body),
            )
            return outcome

        return outcome_response(await run_command(application, command))

    return endpoint


def _change_endpoint(route: CommandRoute) -> Callable[..., Any]:
    async def endpoint(
        request: Request,
        record_id: UUID,
        body: BaseModel,
        application: Any,
        actor: Principal,
        idempotency_key: IdempotencyKey = None,
        if_match: IfMatch = None,
    ) -> Response:
        def command() -> Outcome:
            outcome: Outcome = getattr(application, route.command)(
                record_id,
                **body.model_dump(),
                actor=actor,
                expected_version=expected_version(if_match),
                idempotency=idempotency_of(request, actor, idempotency_key, body),
            )
            return outcome

        return outcome_response(await run_command(application, command))

    return endpoint
