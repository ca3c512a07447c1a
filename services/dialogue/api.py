"""HTTP endpoints of the dialogue service: one short function per command or read."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse

from services.dialogue import schemas as s
from services.dialogue.application import Dialogues
from shared.auth import require_role
from shared.events import dumps
from shared.http import IdempotencyKey, IfMatch, expected_version, idempotency_of, outcome_response
from shared.principal import Principal, Role


def get_dialogues(request: Request) -> Dialogues:
    service: Dialogues = request.app.state.dialogues
    return service


DialoguesDep = Annotated[Dialogues, Depends(get_dialogues)]
Writer = Annotated[Principal, Depends(require_role(Role.OFFICER, Role.ADMIN))]
Reader = Annotated[Principal, Depends(require_role(Role.OFFICER, Role.AUDITOR, Role.ADMIN))]

COMMAND_RESPONSES: dict[int | str, dict[str, Any]] = {
    404: {"description": "no such record"},
    409: {"description": "the record's state or version forbids it, or the key was reused"},
    422: {"description": "a field is invalid; the error names it"},
}

dialogues = APIRouter(prefix="/dialogues", tags=["dialogues"])
supervisions = APIRouter(prefix="/supervisions", tags=["supervisions"])
kien_nghi = APIRouter(prefix="/kien-nghi", tags=["kien-nghi"])
routers = (dialogues, supervisions, kien_nghi)


def _new(request: Request, body: Any, actor: Principal, key: str | None) -> dict[str, Any]:
    return {"actor": actor, "idempotency": idempotency_of(request, actor, key, body)}


def _common(
    request: Request, body: Any, actor: Principal, key: str | None, if_match: str | None
) -> dict[str, Any]:
    return {**_new(request, body, actor, key), "expected_version": expected_version(if_match)}


def _read(view: Any, response: Response) -> Any:
    response.headers["ETag"] = f'"{view.version}"'
    return view


def _history(items: list[dict[str, Any]], aggregate_id: UUID) -> Response:
    body = {"aggregate_id": aggregate_id, "items": items}
    return Response(dumps(body), media_type="application/json")


# dialogues


@dialogues.post("", status_code=201, response_model=s.Ref, responses=COMMAND_RESPONSES)
def schedule_dialogue(
    request: Request,
    body: s.ScheduleDialogue,
    service: DialoguesDep,
    actor: Writer,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    outcome = service.schedule_dialogue(
        **body.model_dump(), **_new(request, body, actor, idempotency_key)
    )
    return outcome_response(outcome)


@dialogues.post("/{dialogue_id}/held", response_model=s.Ref, responses=COMMAND_RESPONSES)
def hold_dialogue(
    request: Request,
    dialogue_id: UUID,
    body: s.HoldDialogue,
    service: DialoguesDep,
    actor: Writer,
    idempotency_key: IdempotencyKey = None,
    if_match: IfMatch = None,
) -> JSONResponse:
    common = _common(request, body, actor, idempotency_key, if_match)
    return outcome_response(service.hold_dialogue(dialogue_id, **body.model_dump(), **common))


@dialogues.post("/{dialogue_id}/cancellation", response_model=s.Ref, responses=COMMAND_RESPONSES)
def cancel_dialogue(
    request: Request,
    dialogue_id: UUID,
    body: s.CancelDialogue,
    service: DialoguesDep,
    actor: Writer,
    idempotency_key: IdempotencyKey = None,
    if_match: IfMatch = None,
) -> JSONResponse:
    common = _common(request, body, actor, idempotency_key, if_match)
    return outcome_response(service.cancel_dialogue(dialogue_id, **body.model_dump(), **common))


@dialogues.get("/{dialogue_id}", response_model=s.DialogueView)
def get_dialogue(
    dialogue_id: UUID, service: DialoguesDep, reader: Reader, response: Response
) -> Any:
    dialogue = service.get_dialogue(dialogue_id)
    service.require_readable(reader, dialogue)
    return _read(s.DialogueView.model_validate(dialogue), response)


@dialogues.get("/{dialogue_id}/history")
def dialogue_history(dialogue_id: UUID, service: DialoguesDep, reader: Reader) -> Response:
    service.require_readable(reader, service.get_dialogue(dialogue_id))
    return _history(service.history_of(service.get_dialogue, dialogue_id), dialogue_id)


# supervision


@supervisions.post("", status_code=201, response_model=s.Ref, responses=COMMAND_RESPONSES)
def start_supervision(
    request: Request,
    body: s.StartSupervision,
    service: DialoguesDep,
    actor: Writer,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    outcome = service.start_supervision(
        **body.model_dump(), **_new(request, body, actor, idempotency_key)
    )
    return outcome_response(outcome)


@supervisions.post(
    "/{supervision_id}/findings", response_model=s.FindingRef, responses=COMMAND_RESPONSES
)
def raise_finding(
    request: Request,
    supervision_id: UUID,
    body: s.RaiseFinding,
    service: DialoguesDep,
    actor: Writer,
    idempotency_key: IdempotencyKey = None,
    if_match: IfMatch = None,
) -> JSONResponse:
    common = _common(request, body, actor, idempotency_key, if_match)
    return outcome_response(service.raise_finding(supervision_id, **body.model_dump(), **common))


@supervisions.post(
    "/{supervision_id}/conclusion", response_model=s.Ref, responses=COMMAND_RESPONSES
)
def conclude_supervision(
    request: Request,
    supervision_id: UUID,
    body: s.ConcludeSupervision,
    service: DialoguesDep,
    actor: Writer,
    idempotency_key: IdempotencyKey = None,
    if_match: IfMatch = None,
) -> JSONResponse:
    common = _common(request, body, actor, idempotency_key, if_match)
    outcome = service.conclude_supervision(supervision_id, **body.model_dump(), **common)
    return outcome_response(outcome)


@supervisions.get("/{supervision_id}", response_model=s.SupervisionView)
def get_supervision(
    supervision_id: UUID, service: DialoguesDep, reader: Reader, response: Response
) -> Any:
    supervision = service.get_supervision(supervision_id)
    service.require_readable(reader, supervision)
    return _read(s.SupervisionView.model_validate(supervision), response)


@supervisions.get("/{supervision_id}/history")
def supervision_history(supervision_id: UUID, service: DialoguesDep, reader: Reader) -> Response:
    service.require_readable(reader, service.get_supervision(supervision_id))
    return _history(service.history_of(service.get_supervision, supervision_id), supervision_id)


# kiến nghị


@kien_nghi.post("", status_code=201, response_model=s.Ref, responses=COMMAND_RESPONSES)
def receive_kien_nghi(
    request: Request,
    body: s.ReceiveKienNghi,
    service: DialoguesDep,
    actor: Writer,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    outcome = service.receive_kien_nghi(
        **body.model_dump(), **_new(request, body, actor, idempotency_key)
    )
    return outcome_response(outcome)


@kien_nghi.post("/{kien_nghi_id}/assignment", response_model=s.Ref, responses=COMMAND_RESPONSES)
def assign_kien_nghi(
    request: Request,
    kien_nghi_id: UUID,
    body: s.AssignKienNghi,
    service: DialoguesDep,
    actor: Writer,
    idempotency_key: IdempotencyKey = None,
    if_match: IfMatch = None,
) -> JSONResponse:
    common = _common(request, body, actor, idempotency_key, if_match)
    return outcome_response(service.assign_kien_nghi(kien_nghi_id, **body.model_dump(), **common))


@kien_nghi.post("/{kien_nghi_id}/answer", response_model=s.Ref, responses=COMMAND_RESPONSES)
def answer_kien_nghi(
    request: Request,
    kien_nghi_id: UUID,
    body: s.AnswerKienNghi,
    service: DialoguesDep,
    actor: Writer,
    idempotency_key: IdempotencyKey = None,
    if_match: IfMatch = None,
) -> JSONResponse:
    common = _common(request, body, actor, idempotency_key, if_match)
    return outcome_response(service.answer_kien_nghi(kien_nghi_id, **body.model_dump(), **common))


@kien_nghi.post("/{kien_nghi_id}/resolution", response_model=s.Ref, responses=COMMAND_RESPONSES)
def resolve_kien_nghi(
    request: Request,
    kien_nghi_id: UUID,
    body: s.ResolveKienNghi,
    service: DialoguesDep,
    actor: Writer,
    idempotency_key: IdempotencyKey = None,
    if_match: IfMatch = None,
) -> JSONResponse:
    common = _common(request, body, actor, idempotency_key, if_match)
    return outcome_response(service.resolve_kien_nghi(kien_nghi_id, **body.model_dump(), **common))


@kien_nghi.post("/{kien_nghi_id}/declination", response_model=s.Ref, responses=COMMAND_RESPONSES)
def decline_kien_nghi(
    request: Request,
    kien_nghi_id: UUID,
    body: s.DeclineKienNghi,
    service: DialoguesDep,
    actor: Writer,
    idempotency_key: IdempotencyKey = None,
    if_match: IfMatch = None,
) -> JSONResponse:
    common = _common(request, body, actor, idempotency_key, if_match)
    return outcome_response(service.decline_kien_nghi(kien_nghi_id, **body.model_dump(), **common))


@kien_nghi.post("/{kien_nghi_id}/rating", response_model=s.Ref, responses=COMMAND_RESPONSES)
def rate_kien_nghi(
    request: Request,
    kien_nghi_id: UUID,
    body: s.RateKienNghi,
    service: DialoguesDep,
    actor: Writer,
    idempotency_key: IdempotencyKey = None,
    if_match: IfMatch = None,
) -> JSONResponse:
    common = _common(request, body, actor, idempotency_key, if_match)
    return outcome_response(service.rate_kien_nghi(kien_nghi_id, **body.model_dump(), **common))


@kien_nghi.post("/{kien_nghi_id}/reopening", response_model=s.Ref, responses=COMMAND_RESPONSES)
def reopen_kien_nghi(
    request: Request,
    kien_nghi_id: UUID,
    body: s.ReopenKienNghi,
    service: DialoguesDep,
    actor: Writer,
    idempotency_key: IdempotencyKey = None,
    if_match: IfMatch = None,
) -> JSONResponse:
    common = _common(request, body, actor, idempotency_key, if_match)
    return outcome_response(service.reopen_kien_nghi(kien_nghi_id, **body.model_dump(), **common))


@kien_nghi.get("/{kien_nghi_id}", response_model=s.KienNghiView)
def get_kien_nghi(
    kien_nghi_id: UUID, service: DialoguesDep, reader: Reader, response: Response
) -> Any:
    record = service.get_kien_nghi(kien_nghi_id)
    service.require_readable(reader, record)
    unit = service.recorded_unit(record.unit_code, record.unit_structure)
    may_contact = unit is not None and reader.covers(unit, service.catalog)  # admin, or in scope
    contact = service.personal_data_of(record) if may_contact else None
    view = s.KienNghiView.model_validate(record).model_copy(
        update={"overdue": service.is_overdue(record), "contact": contact}
    )
    return _read(view, response)


@kien_nghi.get("/{kien_nghi_id}/history")
def kien_nghi_history(kien_nghi_id: UUID, service: DialoguesDep, reader: Reader) -> Response:
    service.require_readable(reader, service.get_kien_nghi(kien_nghi_id))
    return _history(service.history_of(service.get_kien_nghi, kien_nghi_id), kien_nghi_id)
