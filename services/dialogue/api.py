"""HTTP endpoints of the dialogue service: one short function per command or read."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Request, Response

from services.dialogue import schemas as s
from services.dialogue.application import Dialogues
from shared import policy
from shared.documents import HISTORY
from shared.events import dumps
from shared.http import CommandRoute, add_command_routes
from shared.policy import READ, WRITE, allow
from shared.principal import Principal


def get_dialogues(request: Request) -> Dialogues:
    service: Dialogues = request.app.state.dialogues
    return service


DialoguesDep = Annotated[Dialogues, Depends(get_dialogues)]
Writer = Annotated[Principal, Depends(allow(WRITE))]
Reader = Annotated[Principal, Depends(allow(READ))]

dialogues = APIRouter(prefix="/dialogues", tags=["dialogues"])
supervisions = APIRouter(prefix="/supervisions", tags=["supervisions"])
kien_nghi = APIRouter(prefix="/kien-nghi", tags=["kien-nghi"])
routers = (dialogues, supervisions, kien_nghi)

C = CommandRoute
COMMANDS = (
    (
        dialogues,
        [
            C("", s.ScheduleDialogue, "schedule_dialogue", "Lên lịch đối thoại / schedule", s.Ref),
            C("/{record_id}/held", s.HoldDialogue, "hold_dialogue", "Đã tổ chức / held", s.Ref),
            C(
                "/{record_id}/cancellation",
                s.CancelDialogue,
                "cancel_dialogue",
                "Hủy / cancel",
                s.Ref,
            ),
        ],
    ),
    (
        supervisions,
        [
            C("", s.StartSupervision, "start_supervision", "Bắt đầu giám sát / start", s.Ref),
            C(
                "/{record_id}/findings",
                s.RaiseFinding,
                "raise_finding",
                "Phát hiện; kiến nghị mở kèm / a finding, opening a kiến nghị",
                s.FindingRef,
            ),
            C(
                "/{record_id}/conclusion",
                s.ConcludeSupervision,
                "conclude_supervision",
                "Kết luận / conclude",
                s.Ref,
            ),
        ],
    ),
    (
        kien_nghi,
        [
            C("", s.ReceiveKienNghi, "receive_kien_nghi", "Tiếp nhận / receive", s.Ref),
            C(
                "/{record_id}/assignment",
                s.AssignKienNghi,
                "assign_kien_nghi",
                "Giao cơ quan xử lý / assign",
                s.Ref,
            ),
            C(
                "/{record_id}/answer",
                s.AnswerKienNghi,
                "answer_kien_nghi",
                "Trả lời / answer",
                s.Ref,
            ),
            C(
                "/{record_id}/resolution",
                s.ResolveKienNghi,
                "resolve_kien_nghi",
                "Giải quyết xong / resolved",
                s.Ref,
            ),
            C(
                "/{record_id}/declination",
                s.DeclineKienNghi,
                "decline_kien_nghi",
                "Không giải quyết, có lý do / declined",
                s.Ref,
            ),
            C("/{record_id}/rating", s.RateKienNghi, "rate_kien_nghi", "Đánh giá / rate", s.Ref),
            C(
                "/{record_id}/reopening",
                s.ReopenKienNghi,
                "reopen_kien_nghi",
                "Mở lại / reopen",
                s.Ref,
            ),
        ],
    ),
)
for commands_router, commands in COMMANDS:
    add_command_routes(commands_router, commands, service=DialoguesDep, writer=Writer)


def _read(view: Any, response: Response) -> Any:
    response.headers["ETag"] = f'"{view.version}"'
    return view


def _history(items: list[dict[str, Any]], aggregate_id: UUID) -> Response:
    body = {"aggregate_id": aggregate_id, "items": items}
    return Response(dumps(body), media_type="application/json")


# dialogues


@dialogues.get("/{dialogue_id}", response_model=s.DialogueView)
def get_dialogue(
    dialogue_id: UUID, service: DialoguesDep, reader: Reader, response: Response
) -> Any:
    dialogue = service.get_dialogue(dialogue_id)
    service.require_readable(reader, dialogue)
    return _read(s.DialogueView.model_validate(dialogue), response)


@dialogues.get("/{dialogue_id}/history", responses=HISTORY)
def dialogue_history(dialogue_id: UUID, service: DialoguesDep, reader: Reader) -> Response:
    service.require_readable(reader, service.get_dialogue(dialogue_id))
    return _history(service.history_of(service.get_dialogue, dialogue_id), dialogue_id)


# supervision


@supervisions.get("/{supervision_id}", response_model=s.SupervisionView)
def get_supervision(
    supervision_id: UUID, service: DialoguesDep, reader: Reader, response: Response
) -> Any:
    supervision = service.get_supervision(supervision_id)
    service.require_readable(reader, supervision)
    return _read(s.SupervisionView.model_validate(supervision), response)


@supervisions.get("/{supervision_id}/history", responses=HISTORY)
def supervision_history(supervision_id: UUID, service: DialoguesDep, reader: Reader) -> Response:
    service.require_readable(reader, service.get_supervision(supervision_id))
    return _history(service.history_of(service.get_supervision, supervision_id), supervision_id)


# kiến nghị


@kien_nghi.get("/{kien_nghi_id}", response_model=s.KienNghiView)
def get_kien_nghi(
    kien_nghi_id: UUID, service: DialoguesDep, reader: Reader, response: Response
) -> Any:
    record = service.get_kien_nghi(kien_nghi_id)
    service.require_readable(reader, record)
    may_contact = policy.may_see_personal_data(reader, service.unit_of(record), service.catalog)
    contact = service.personal_data_of(record) if may_contact else None
    view = s.KienNghiView.model_validate(record).model_copy(
        update={"overdue": service.is_overdue(record), "contact": contact}
    )
    return _read(view, response)


@kien_nghi.get("/{kien_nghi_id}/history", responses=HISTORY)
def kien_nghi_history(kien_nghi_id: UUID, service: DialoguesDep, reader: Reader) -> Response:
    service.require_readable(reader, service.get_kien_nghi(kien_nghi_id))
    return _history(service.history_of(service.get_kien_nghi, kien_nghi_id), kien_nghi_id)
