"""HTTP endpoints of the dialogue service: one function per command or read."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Path, Request, Response

from services.dialogue import schemas as s
from services.dialogue.answer_templates import AnswerTemplate, shipped_templates
from services.dialogue.application import Dialogues, Holding
from services.dialogue.attachments import AttachmentStore, evidence_subject
from services.dialogue.domain import KienNghi
from services.dialogue.domain.tracking import TRACKING_CODE_PATTERN
from shared import policy
from shared.audit.receipts import Receipt
from shared.documents import HISTORY
from shared.errors import NotFound
from shared.events import FeedItem, dumps
from shared.http import Change, Creation, changed, created
from shared.policy import READ, WRITE, allow
from shared.principal import Principal
from shared.receipt_api import RECEIPT_RESPONSES, Since, Witnessed, receipt_of


async def get_dialogues(request: Request) -> Dialogues:
    service: Dialogues = request.app.state.dialogues
    return service


DialoguesDep = Annotated[Dialogues, Depends(get_dialogues)]
Writer = Annotated[Principal, Depends(allow(WRITE))]
Reader = Annotated[Principal, Depends(allow(READ))]

dialogues = APIRouter(prefix="/dialogues", tags=["dialogues"])
supervisions = APIRouter(prefix="/supervisions", tags=["supervisions"])
kien_nghi = APIRouter(prefix="/kien-nghi", tags=["kien-nghi"])
routers = (dialogues, supervisions, kien_nghi)


def _read(view: Any, response: Response) -> Any:
    response.headers["ETag"] = f'"{view.version}"'
    return view


def _history(items: list[FeedItem], aggregate_id: UUID) -> Response:
    body = {"aggregate_id": aggregate_id, "items": items}
    return Response(dumps(body), media_type="application/json")


# dialogues


def holding(body: s.HoldDialogue) -> Holding:
    return Holding(
        held_on=body.held_on,
        participants=body.participants,
        topics=body.topics,
        summary=body.summary,
        kien_nghi=[(raised.category, raised.content) for raised in body.kien_nghi],
    )


@dialogues.post(
    "",
    status_code=201,
    response_model=s.HeldRef,
    summary="Lên lịch (hoặc ghi nhận đã tổ chức) / schedule (or record as held)",
)
async def schedule_dialogue(
    body: s.ScheduleDialogue, service: DialoguesDep, actor: Writer, write: Creation
) -> Response:
    return await created(
        service,
        lambda: service.schedule_dialogue(
            unit_code=body.unit_code,
            host_body=body.host_body,
            host_title=body.host_title,
            kind=body.kind,
            title=body.title,
            topics=body.topics,
            scheduled_on=body.scheduled_on,
            held=holding(body.held) if body.held else None,
            actor=actor,
            idempotency=write.idempotency(actor, body),
        ),
    )


@dialogues.post(
    "/{dialogue_id}/held",
    response_model=s.HeldRef,
    summary="Đã tổ chức, kèm các kiến nghị / held, with the kiến nghị raised",
)
async def hold_dialogue(
    dialogue_id: UUID, body: s.HoldDialogue, service: DialoguesDep, actor: Writer, write: Change
) -> Response:
    return await changed(
        service,
        lambda: service.hold_dialogue(dialogue_id, holding(body), **write.terms(actor, body)),
    )


@dialogues.post("/{dialogue_id}/cancellation", response_model=s.Ref, summary="Hủy / cancel")
async def cancel_dialogue(
    dialogue_id: UUID, body: s.CancelDialogue, service: DialoguesDep, actor: Writer, write: Change
) -> Response:
    return await changed(
        service,
        lambda: service.cancel_dialogue(
            dialogue_id,
            reason=body.reason,
            cancelled_on=body.cancelled_on,
            **write.terms(actor, body),
        ),
    )


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


@dialogues.get(
    "/{dialogue_id}/receipt",
    response_model=Receipt,
    responses=RECEIPT_RESPONSES,
    summary="Biên nhận có chứng minh / receipt with proofs",
)
async def dialogue_receipt(
    request: Request,
    dialogue_id: UUID,
    service: DialoguesDep,
    reader: Reader,
    since: Since = None,
    witnessed: Witnessed = 0,
) -> Receipt:
    service.require_readable(reader, service.get_dialogue(dialogue_id))
    items = service.history_of(service.get_dialogue, dialogue_id)
    return await receipt_of(request, dialogue_id, items, since, witnessed)


# supervision


@supervisions.post("", status_code=201, response_model=s.Ref, summary="Bắt đầu giám sát / start")
async def start_supervision(
    body: s.StartSupervision, service: DialoguesDep, actor: Writer, write: Creation
) -> Response:
    return await created(
        service,
        lambda: service.start_supervision(
            unit_code=body.unit_code,
            body=body.body,
            kind=body.kind,
            subject=body.subject,
            title=body.title,
            started_on=body.started_on,
            actor=actor,
            idempotency=write.idempotency(actor, body),
        ),
    )


@supervisions.post(
    "/{supervision_id}/findings",
    response_model=s.FindingRef,
    summary="Phát hiện; kiến nghị mở kèm / a finding, opening a kiến nghị",
)
async def raise_finding(
    supervision_id: UUID, body: s.RaiseFinding, service: DialoguesDep, actor: Writer, write: Change
) -> Response:
    return await changed(
        service,
        lambda: service.raise_finding(
            supervision_id,
            summary=body.summary,
            violation_signs=body.violation_signs,
            recommendation=body.recommendation,
            category=body.category,
            raised_on=body.raised_on,
            **write.terms(actor, body),
        ),
    )


@supervisions.post(
    "/{supervision_id}/conclusion", response_model=s.Ref, summary="Kết luận / conclude"
)
async def conclude_supervision(
    supervision_id: UUID,
    body: s.ConcludeSupervision,
    service: DialoguesDep,
    actor: Writer,
    write: Change,
) -> Response:
    return await changed(
        service,
        lambda: service.conclude_supervision(
            supervision_id,
            conclusion=body.conclusion,
            concluded_on=body.concluded_on,
            **write.terms(actor, body),
        ),
    )


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


@supervisions.get(
    "/{supervision_id}/receipt",
    response_model=Receipt,
    responses=RECEIPT_RESPONSES,
    summary="Biên nhận có chứng minh / receipt with proofs",
)
async def supervision_receipt(
    request: Request,
    supervision_id: UUID,
    service: DialoguesDep,
    reader: Reader,
    since: Since = None,
    witnessed: Witnessed = 0,
) -> Receipt:
    service.require_readable(reader, service.get_supervision(supervision_id))
    items = service.history_of(service.get_supervision, supervision_id)
    return await receipt_of(request, supervision_id, items, since, witnessed)


# kiến nghị


@kien_nghi.post("", status_code=201, response_model=s.Ref, summary="Tiếp nhận / receive")
async def receive_kien_nghi(
    body: s.ReceiveKienNghi, service: DialoguesDep, actor: Writer, write: Creation
) -> Response:
    return await created(
        service,
        lambda: service.receive_kien_nghi(
            source=body.source,
            source_id=body.source_id,
            unit_code=body.unit_code,
            category=body.category,
            content=body.content,
            received_on=body.received_on,
            actor=actor,
            idempotency=write.idempotency(actor, body),
        ),
    )


@kien_nghi.post(
    "/{kien_nghi_id}/classification",
    response_model=s.Ref,
    summary="Phân loại / classify (priority, category)",
)
async def classify_kien_nghi(
    kien_nghi_id: UUID,
    body: s.ClassifyKienNghi,
    service: DialoguesDep,
    actor: Writer,
    write: Change,
) -> Response:
    return await changed(
        service,
        lambda: service.classify_kien_nghi(
            kien_nghi_id,
            priority=body.priority,
            category=body.category,
            classified_on=body.classified_on,
            **write.terms(actor, body),
        ),
    )


@kien_nghi.post(
    "/{kien_nghi_id}/acknowledgement",
    response_model=s.Acknowledged,
    summary="Tiếp nhận, cấp mã tra cứu / acknowledge, with a tracking code",
)
async def acknowledge_kien_nghi(
    kien_nghi_id: UUID,
    body: s.AcknowledgeKienNghi,
    service: DialoguesDep,
    actor: Writer,
    write: Change,
) -> Response:
    return await changed(
        service,
        lambda: service.acknowledge_kien_nghi(
            kien_nghi_id, acknowledged_at=body.acknowledged_at, **write.terms(actor, body)
        ),
    )


@kien_nghi.post(
    "/{kien_nghi_id}/transfer",
    response_model=s.Ref,
    summary="Chuyển cơ quan khác / transfer to another agency",
)
async def transfer_kien_nghi(
    kien_nghi_id: UUID,
    body: s.TransferKienNghi,
    service: DialoguesDep,
    actor: Writer,
    write: Change,
) -> Response:
    return await changed(
        service,
        lambda: service.transfer_kien_nghi(
            kien_nghi_id,
            agency=body.agency,
            reason=body.reason,
            transferred_on=body.transferred_on,
            **write.terms(actor, body),
        ),
    )


@kien_nghi.post(
    "/{kien_nghi_id}/extension-request",
    response_model=s.Ref,
    summary="Xin gia hạn / ask for more time",
)
async def request_extension(
    kien_nghi_id: UUID,
    body: s.RequestExtension,
    service: DialoguesDep,
    actor: Writer,
    write: Change,
) -> Response:
    return await changed(
        service,
        lambda: service.request_extension(
            kien_nghi_id,
            reason=body.reason,
            requested_on=body.requested_on,
            **write.terms(actor, body),
        ),
    )


@kien_nghi.post(
    "/{kien_nghi_id}/extension-grant",
    response_model=s.Extended,
    summary="Đồng ý gia hạn / grant the extension asked for",
)
async def grant_extension(
    kien_nghi_id: UUID,
    body: s.GrantExtension,
    service: DialoguesDep,
    actor: Writer,
    write: Change,
) -> Response:
    return await changed(
        service,
        lambda: service.grant_extension(
            kien_nghi_id,
            reason=body.reason,
            granted_on=body.granted_on,
            due_on=body.due_on,
            **write.terms(actor, body),
        ),
    )


@kien_nghi.post(
    "/{kien_nghi_id}/extension-refusal",
    response_model=s.Ref,
    summary="Không đồng ý gia hạn / refuse the extension asked for",
)
async def refuse_extension(
    kien_nghi_id: UUID,
    body: s.RefuseExtension,
    service: DialoguesDep,
    actor: Writer,
    write: Change,
) -> Response:
    return await changed(
        service,
        lambda: service.refuse_extension(
            kien_nghi_id,
            reason=body.reason,
            refused_on=body.refused_on,
            **write.terms(actor, body),
        ),
    )


@kien_nghi.post(
    "/{kien_nghi_id}/escalation",
    response_model=s.Ref,
    summary="Chuyển lên cấp trên / escalate to the level above",
)
async def escalate_kien_nghi(
    kien_nghi_id: UUID,
    body: s.EscalateKienNghi,
    service: DialoguesDep,
    actor: Writer,
    write: Change,
) -> Response:
    return await changed(
        service,
        lambda: service.escalate_kien_nghi(
            kien_nghi_id,
            reason=body.reason,
            escalated_on=body.escalated_on,
            **write.terms(actor, body),
        ),
    )


@kien_nghi.post(
    "/{kien_nghi_id}/merge",
    response_model=s.Ref,
    summary="Gộp vào kiến nghị trùng / merge as a duplicate of another",
)
async def merge_kien_nghi(
    kien_nghi_id: UUID,
    body: s.MergeKienNghi,
    service: DialoguesDep,
    actor: Writer,
    write: Change,
) -> Response:
    return await changed(
        service,
        lambda: service.merge_kien_nghi(
            kien_nghi_id,
            master_id=body.master_id,
            reason=body.reason,
            merged_on=body.merged_on,
            **write.terms(actor, body),
        ),
    )


@kien_nghi.post(
    "/{kien_nghi_id}/assignment", response_model=s.Ref, summary="Giao cơ quan xử lý / assign"
)
async def assign_kien_nghi(
    kien_nghi_id: UUID, body: s.AssignKienNghi, service: DialoguesDep, actor: Writer, write: Change
) -> Response:
    return await changed(
        service,
        lambda: service.assign_kien_nghi(
            kien_nghi_id,
            agency=body.agency,
            due_on=body.due_on,
            assigned_on=body.assigned_on,
            **write.terms(actor, body),
        ),
    )


@kien_nghi.post("/{kien_nghi_id}/answer", response_model=s.Ref, summary="Trả lời / answer")
async def answer_kien_nghi(
    kien_nghi_id: UUID,
    body: s.AnswerKienNghi,
    service: DialoguesDep,
    actor: Writer,
    write: Change,
    request: Request,
) -> Response:
    store: AttachmentStore = request.app.state.attachments
    return await changed(
        service,
        lambda: service.answer_kien_nghi(
            kien_nghi_id,
            answer=body.answer,
            answered_on=body.answered_on,
            evidence=body.evidence,
            uploaded=lambda record, sha256: store.holds(
                sha256, evidence_subject(record.citizen, record.id)
            ),
            **write.terms(actor, body),
        ),
    )


@kien_nghi.post(
    "/{kien_nghi_id}/resolution", response_model=s.Ref, summary="Giải quyết xong / resolved"
)
async def resolve_kien_nghi(
    kien_nghi_id: UUID, body: s.ResolveKienNghi, service: DialoguesDep, actor: Writer, write: Change
) -> Response:
    return await changed(
        service,
        lambda: service.resolve_kien_nghi(
            kien_nghi_id,
            resolution=body.resolution,
            resolved_on=body.resolved_on,
            **write.terms(actor, body),
        ),
    )


@kien_nghi.post(
    "/{kien_nghi_id}/declination",
    response_model=s.Ref,
    summary="Không giải quyết, có lý do / declined",
)
async def decline_kien_nghi(
    kien_nghi_id: UUID, body: s.DeclineKienNghi, service: DialoguesDep, actor: Writer, write: Change
) -> Response:
    return await changed(
        service,
        lambda: service.decline_kien_nghi(
            kien_nghi_id,
            reason=body.reason,
            declined_on=body.declined_on,
            **write.terms(actor, body),
        ),
    )


@kien_nghi.post("/{kien_nghi_id}/rating", response_model=s.Ref, summary="Đánh giá / rate")
async def rate_kien_nghi(
    kien_nghi_id: UUID, body: s.RateKienNghi, service: DialoguesDep, actor: Writer, write: Change
) -> Response:
    return await changed(
        service,
        lambda: service.rate_kien_nghi(
            kien_nghi_id,
            rating=body.rating,
            comment=body.comment,
            rated_on=body.rated_on,
            **write.terms(actor, body),
        ),
    )


@kien_nghi.post("/{kien_nghi_id}/reopening", response_model=s.Ref, summary="Mở lại / reopen")
async def reopen_kien_nghi(
    kien_nghi_id: UUID, body: s.ReopenKienNghi, service: DialoguesDep, actor: Writer, write: Change
) -> Response:
    return await changed(
        service,
        lambda: service.reopen_kien_nghi(
            kien_nghi_id,
            reason=body.reason,
            reopened_on=body.reopened_on,
            **write.terms(actor, body),
        ),
    )


@kien_nghi.get("/{kien_nghi_id}", response_model=s.KienNghiView)
def get_kien_nghi(
    kien_nghi_id: UUID, service: DialoguesDep, reader: Reader, response: Response
) -> Any:
    return _read(_kien_nghi_view(service, reader, service.get_kien_nghi(kien_nghi_id)), response)


@kien_nghi.get(
    "/tracking/{tracking_code}",
    response_model=s.KienNghiView,
    summary="Tra cứu theo mã / find by tracking code",
)
def find_by_tracking_code(
    tracking_code: Annotated[str, Path(pattern=TRACKING_CODE_PATTERN)],
    service: DialoguesDep,
    reader: Reader,
    response: Response,
) -> Any:
    record = service.find_by_tracking_code(tracking_code)
    # outside the reader's scope it reads as a code never given
    missing = NotFound("tracking_code_not_found", tracking_code=tracking_code)
    policy.require_readable(reader, service.unit_of(record), service.catalog, missing)
    return _read(_kien_nghi_view(service, reader, record), response)


def _kien_nghi_view(service: Dialogues, reader: Principal, record: KienNghi) -> s.KienNghiView:
    service.require_readable(reader, record)
    may_contact = policy.may_see_personal_data(reader, service.unit_of(record), service.catalog)
    contact = service.personal_data_of(record) if may_contact else None
    master = service.master_of(record)
    return s.KienNghiView.model_validate(record).model_copy(
        update={
            "overdue": service.is_overdue(record),
            "contact": contact,
            "master": s.MasterView.model_validate(master) if master else None,
        }
    )


@kien_nghi.get(
    "/{kien_nghi_id}/answer-templates",
    response_model=list[AnswerTemplate],
    summary="Mẫu trả lời / answer templates",
)
def answer_templates(kien_nghi_id: UUID, service: DialoguesDep, reader: Reader) -> Any:
    """The answer templates of the kiến nghị's category, then those for every kiến nghị, with
    its tracking code, day received, agency and category filled in."""
    record = service.get_kien_nghi(kien_nghi_id)
    service.require_readable(reader, record)
    return shipped_templates().for_record(record)


@kien_nghi.get("/{kien_nghi_id}/history", responses=HISTORY)
def kien_nghi_history(kien_nghi_id: UUID, service: DialoguesDep, reader: Reader) -> Response:
    service.require_readable(reader, service.get_kien_nghi(kien_nghi_id))
    return _history(service.history_of(service.get_kien_nghi, kien_nghi_id), kien_nghi_id)


@kien_nghi.get(
    "/{kien_nghi_id}/receipt",
    response_model=Receipt,
    responses=RECEIPT_RESPONSES,
    summary="Biên nhận có chứng minh / receipt with proofs",
)
async def kien_nghi_receipt(
    request: Request,
    kien_nghi_id: UUID,
    service: DialoguesDep,
    reader: Reader,
    since: Since = None,
    witnessed: Witnessed = 0,
) -> Receipt:
    """Every event of the kiến nghị, proven in the feed's Merkle tree (shared.audit.receipts)."""
    service.require_readable(reader, service.get_kien_nghi(kien_nghi_id))
    items = service.history_of(service.get_kien_nghi, kien_nghi_id)
    return await receipt_of(request, kien_nghi_id, items, since, witnessed)
