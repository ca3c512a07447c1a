"""HTTP endpoints of the registry: one short function per command or read."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse

from services.registry.application import Registry
from services.registry.domain import Model
from services.registry.schemas import (
    AwardView,
    CommendModel,
    ConferAward,
    DiscontinueModel,
    ModelRef,
    ModelView,
    RecogniseModel,
    RegisterModel,
    ReplicateModel,
    ReportProgress,
)
from shared.auth import require_role
from shared.events import dumps
from shared.http import IdempotencyKey, IfMatch, expected_version, idempotency_of, outcome_response
from shared.principal import Principal, Role


def get_registry(request: Request) -> Registry:
    registry: Registry = request.app.state.registry
    return registry


RegistryDep = Annotated[Registry, Depends(get_registry)]
Writer = Annotated[Principal, Depends(require_role(Role.OFFICER, Role.ADMIN))]
Reader = Annotated[Principal, Depends(require_role(Role.OFFICER, Role.AUDITOR, Role.ADMIN))]

router = APIRouter(prefix="/models", tags=["models"])
COMMAND_RESPONSES: dict[int | str, dict[str, Any]] = {
    404: {"description": "no such model"},
    409: {"description": "the model's state or version forbids it, or the key was reused"},
    422: {"description": "a field is invalid; the error names it"},
}


@router.post("", status_code=201, response_model=ModelRef, responses=COMMAND_RESPONSES)
def register_model(
    request: Request,
    body: RegisterModel,
    registry: RegistryDep,
    actor: Writer,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    outcome = registry.register_model(
        **body.model_dump(),
        actor=actor,
        idempotency=idempotency_of(request, actor, idempotency_key, body),
    )
    return outcome_response(outcome)


def _common(
    request: Request, body: Any, actor: Principal, key: str | None, if_match: str | None
) -> dict[str, Any]:
    return {
        "actor": actor,
        "expected_version": expected_version(if_match),
        "idempotency": idempotency_of(request, actor, key, body),
    }


@router.post("/{model_id}/progress", response_model=ModelRef, responses=COMMAND_RESPONSES)
def report_progress(
    request: Request,
    model_id: UUID,
    body: ReportProgress,
    registry: RegistryDep,
    actor: Writer,
    idempotency_key: IdempotencyKey = None,
    if_match: IfMatch = None,
) -> JSONResponse:
    outcome = registry.report_progress(
        model_id, **body.model_dump(), **_common(request, body, actor, idempotency_key, if_match)
    )
    return outcome_response(outcome)


@router.post("/{model_id}/recognition", response_model=ModelRef, responses=COMMAND_RESPONSES)
def recognise_model(
    request: Request,
    model_id: UUID,
    body: RecogniseModel,
    registry: RegistryDep,
    actor: Writer,
    idempotency_key: IdempotencyKey = None,
    if_match: IfMatch = None,
) -> JSONResponse:
    outcome = registry.recognise_model(
        model_id, **body.model_dump(), **_common(request, body, actor, idempotency_key, if_match)
    )
    return outcome_response(outcome)


@router.post("/{model_id}/commendations", response_model=ModelRef, responses=COMMAND_RESPONSES)
def commend_model(
    request: Request,
    model_id: UUID,
    body: CommendModel,
    registry: RegistryDep,
    actor: Writer,
    idempotency_key: IdempotencyKey = None,
    if_match: IfMatch = None,
) -> JSONResponse:
    outcome = registry.commend_model(
        model_id, **body.model_dump(), **_common(request, body, actor, idempotency_key, if_match)
    )
    return outcome_response(outcome)


@router.post("/{model_id}/replications", response_model=ModelRef, responses=COMMAND_RESPONSES)
def replicate_model(
    request: Request,
    model_id: UUID,
    body: ReplicateModel,
    registry: RegistryDep,
    actor: Writer,
    idempotency_key: IdempotencyKey = None,
    if_match: IfMatch = None,
) -> JSONResponse:
    outcome = registry.replicate_model(
        model_id, **body.model_dump(), **_common(request, body, actor, idempotency_key, if_match)
    )
    return outcome_response(outcome)


@router.post("/{model_id}/discontinuation", response_model=ModelRef, responses=COMMAND_RESPONSES)
def discontinue_model(
    request: Request,
    model_id: UUID,
    body: DiscontinueModel,
    registry: RegistryDep,
    actor: Writer,
    idempotency_key: IdempotencyKey = None,
    if_match: IfMatch = None,
) -> JSONResponse:
    outcome = registry.discontinue_model(
        model_id, **body.model_dump(), **_common(request, body, actor, idempotency_key, if_match)
    )
    return outcome_response(outcome)


@router.get("/{model_id}", response_model=ModelView)
def get_model(model_id: UUID, registry: RegistryDep, reader: Reader, response: Response) -> Any:
    model = registry.get_model(model_id)
    registry.require_readable(reader, model)
    response.headers["ETag"] = f'"{model.version}"'
    return _view(model)


@router.get("/{model_id}/history")
def model_history(model_id: UUID, registry: RegistryDep, reader: Reader) -> Response:
    registry.require_readable(reader, registry.get_model(model_id))
    body = {"aggregate_id": model_id, "items": registry.model_history(model_id)}
    return Response(dumps(body), media_type="application/json")


def _view(model: Model) -> ModelView:
    return ModelView(
        id=str(model.id),
        version=model.version,
        title=model.title,
        description=model.description,
        unit_code=model.unit_code,
        unit_structure=model.unit_structure,
        body=model.body,
        sector=model.sector,
        fields=model.fields,
        year=model.year,
        registered_on=model.registered_on,
        status="active" if model.is_active else "discontinued",
        progress_reports=model.progress_reports,
        last_progress_on=model.last_progress_on,
        recognition=model.recognition,
        awards=model.awards,
        replicated_to=model.replicated_to,
        discontinued_on=model.discontinued_on,
        discontinued_reason=model.discontinued_reason,
        created_on=model.created_on,
        modified_on=model.modified_on,
    )


awards = APIRouter(prefix="/awards", tags=["awards"])


@awards.post("", status_code=201, response_model=ModelRef, responses=COMMAND_RESPONSES)
def confer_award(
    request: Request,
    body: ConferAward,
    registry: RegistryDep,
    actor: Writer,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    outcome = registry.confer_award(
        **body.model_dump(),
        actor=actor,
        idempotency=idempotency_of(request, actor, idempotency_key, body),
    )
    return outcome_response(outcome)


@awards.get("/{award_id}", response_model=AwardView)
def get_award(award_id: UUID, registry: RegistryDep, reader: Reader) -> AwardView:
    award = registry.get_award(award_id)
    registry.require_readable(reader, award)
    return AwardView(
        id=str(award.id),
        version=award.version,
        award=award.award,
        recipient_kind=award.recipient_kind,
        recipient=award.recipient,
        unit_code=award.unit_code,
        unit_structure=award.unit_structure,
        conferred_by=award.conferred_by,
        conferred_on=award.conferred_on,
        reason=award.reason,
    )
