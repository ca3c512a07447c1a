"""The native citizen app API: submit with attachments, follow, rate, reopen; own records only.

Also the erasure of a citizen's personal data (admin) and officers' access to attachments.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, File, Request, Response, UploadFile

from services.dialogue import app_schemas as a
from services.dialogue.api import DialoguesDep, Reader, Writer
from services.dialogue.application import Dialogues
from services.dialogue.attachments import ACCEPTED, AttachmentStore, evidence_subject
from services.dialogue.citizens import Whereabouts, citizen_subject
from services.dialogue.domain import KienNghi
from services.dialogue.read_side import list_kien_nghi
from shared import policy
from shared.audit.receipts import Receipt
from shared.errors import NotFound
from shared.events import dumps
from shared.http import IdempotencyKey, idempotency_of, outcome_response
from shared.policy import ERASE, OWN, allow
from shared.principal import Principal
from shared.receipt_api import RECEIPT_RESPONSES, Since, Witnessed, receipt_of

Citizen = Annotated[Principal, Depends(allow(OWN))]
Admin = Annotated[Principal, Depends(allow(ERASE))]


def get_attachments(request: Request) -> AttachmentStore:
    store: AttachmentStore = request.app.state.attachments
    return store


Attachments = Annotated[AttachmentStore, Depends(get_attachments)]
app = APIRouter(prefix="/app", tags=["citizen app"])
CHANGED: dict[int | str, dict[str, Any]] = {200: {"model": a.Changed}}
ATTACHMENT: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "tệp đính kèm / the attachment's bytes",
        "content": {kind: {"schema": {"type": "string", "format": "binary"}} for kind in ACCEPTED},
    }
}
privacy = APIRouter(tags=["personal data"])


@app.post("/attachments", status_code=201, response_model=a.AttachmentRef)
def upload_attachment(
    citizen: Citizen, store: Attachments, file: Annotated[UploadFile, File()]
) -> a.AttachmentRef:
    stored = store.put(
        file.file.read(store.max_bytes + 1), citizen_subject(citizen), file.content_type
    )
    return a.AttachmentRef(**vars(stored))


@app.post(
    "/kien-nghi",
    status_code=201,
    response_model=a.Submitted,
    responses={
        404: {"description": "một tệp đính kèm chưa được tải lên / an attachment not uploaded"}
    },
)
def submit(
    request: Request,
    body: a.SubmitKienNghi,
    service: DialoguesDep,
    store: Attachments,
    citizen: Citizen,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    subject = citizen_subject(citizen)
    for sha256 in body.attachments:
        store.describe(sha256, subject)  # uploaded by this citizen, or 404
    personal = {
        **(body.contact.model_dump() if body.contact else {}),
        "device_id": body.device_id,
        "lat": body.lat,
        "long": body.long,
    }
    outcome = service.submit_kien_nghi(
        category=str(body.category),
        content=body.content,
        where=Whereabouts(unit_code=body.unit_code, lat=body.lat, lon=body.long),
        personal=personal,
        attachments=body.attachments,
        channel="app",
        subject=subject,
        actor=citizen,
        idempotency=idempotency_of(request, citizen, idempotency_key, body),
    )
    return outcome_response(outcome, 201)


@app.get(
    "/kien-nghi",
    responses={
        200: {"model": a.OwnList},
        503: {"description": "chưa đọc được danh sách / the read side is unavailable"},
    },
)
def list_own(request: Request, citizen: Citizen) -> Response:
    items = list_kien_nghi(request.app.state.read_side, citizen=citizen_subject(citizen))
    public = (
        "id",
        "status",
        "category",
        "content",
        "agency",
        "status_notes",
        "received_on",
        "due_on",
        "updated_at",
    )
    body = {"items": [{k: item[k] for k in public} for item in items]}
    return Response(dumps(body), media_type="application/json")


@app.get("/kien-nghi/{kien_nghi_id}", response_model=a.OwnKienNghi)
def get_own(
    kien_nghi_id: UUID, service: DialoguesDep, store: Attachments, citizen: Citizen
) -> a.OwnKienNghi:
    record = service.own_kien_nghi(kien_nghi_id, citizen_subject(citizen))
    return own_view(service, store, record)


@app.get(
    "/kien-nghi/{kien_nghi_id}/receipt",
    response_model=Receipt,
    responses=RECEIPT_RESPONSES,
    summary="Biên nhận có chứng minh / a receipt proving it was received, and when",
)
async def own_receipt(
    request: Request,
    kien_nghi_id: UUID,
    service: DialoguesDep,
    citizen: Citizen,
    since: Since = None,
    witnessed: Witnessed = 0,
) -> Receipt:
    """Its first event (received: what and when) proven in the feed's Merkle tree; kept, it is
    checked with `danvan verify-receipt` against the log's key, and the log today."""
    service.own_kien_nghi(kien_nghi_id, citizen_subject(citizen))
    received = service.history(kien_nghi_id)[:1]
    return await receipt_of(request, kien_nghi_id, received, since, witnessed)


@app.post("/kien-nghi/{kien_nghi_id}/rating", response_class=Response, responses=CHANGED)
def rate_own(
    request: Request,
    kien_nghi_id: UUID,
    body: a.RateOwn,
    service: DialoguesDep,
    citizen: Citizen,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    subject = citizen_subject(citizen)
    outcome = service.rate_own(
        kien_nghi_id,
        subject,
        rating=body.rating,
        comment=body.comment,
        actor=citizen,
        idempotency=idempotency_of(request, citizen, idempotency_key, body),
    )
    return outcome_response(outcome, 200)


@app.post("/kien-nghi/{kien_nghi_id}/reopening", response_class=Response, responses=CHANGED)
def reopen_own(
    request: Request,
    kien_nghi_id: UUID,
    body: a.ReopenOwn,
    service: DialoguesDep,
    citizen: Citizen,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    subject = citizen_subject(citizen)
    outcome = service.reopen_own(
        kien_nghi_id,
        subject,
        reason=body.reason,
        actor=citizen,
        idempotency=idempotency_of(request, citizen, idempotency_key, body),
    )
    return outcome_response(outcome, 200)


@app.get(
    "/kien-nghi/{kien_nghi_id}/attachments/{sha256}", response_class=Response, responses=ATTACHMENT
)
def own_attachment(
    kien_nghi_id: UUID, sha256: str, service: DialoguesDep, store: Attachments, citizen: Citizen
) -> Response:
    record = service.own_kien_nghi(kien_nghi_id, citizen_subject(citizen))
    return attachment_response(store, record, sha256, service.master_of(record))


@privacy.get(
    "/kien-nghi/{kien_nghi_id}/attachments/{sha256}",
    tags=["kien-nghi"],
    response_class=Response,
    responses=ATTACHMENT,
)
def officer_attachment(
    kien_nghi_id: UUID, sha256: str, service: DialoguesDep, store: Attachments, reader: Reader
) -> Response:
    record = service.get_kien_nghi(kien_nghi_id)
    service.require_readable(reader, record)
    return attachment_response(store, record, sha256, service.master_of(record))


@privacy.post(
    "/kien-nghi/{kien_nghi_id}/evidence",
    tags=["kien-nghi"],
    status_code=201,
    response_model=a.AttachmentRef,
    summary="Tải tài liệu chứng minh cho câu trả lời / upload evidence for the answer",
)
def upload_evidence(
    kien_nghi_id: UUID,
    service: DialoguesDep,
    store: Attachments,
    officer: Writer,
    file: Annotated[UploadFile, File()],
) -> a.AttachmentRef:
    """Sealed under the kiến nghị's citizen's key (erased with the rest of their data) or,
    for one with no citizen, under a key of its own."""
    record = service.get_kien_nghi(kien_nghi_id)
    service.require_readable(officer, record)
    unit = service.unit_of(record)
    if unit is not None:
        policy.require_may_act(officer, unit, service.catalog)
    content = file.file.read(store.max_bytes + 1)
    stored = store.put(content, evidence_subject(record.citizen, record.id), file.content_type)
    return a.AttachmentRef(**vars(stored))


@privacy.post(
    "/personal-data/erasures",
    response_class=Response,
    responses={
        200: {"model": a.Erased},
        404: {"description": "không có chủ thể này / no such data subject"},
    },
)
def erase(body: a.Erase, service: DialoguesDep, admin: Admin) -> Response:
    outcome = service.erase_data_subject(
        subject=body.subject,
        kien_nghi_id=body.kien_nghi_id,
        reason=body.reason,
        actor=admin,
    )
    return outcome_response(outcome, 200)


def attachment_response(
    store: AttachmentStore, record: KienNghi, sha256: str, master: KienNghi | None = None
) -> Response:
    """A file the citizen gave, or evidence of an answer (its master's, for a duplicate)."""
    if sha256 in record.attachments and record.citizen:
        owner, subject = record, record.citizen
    elif sha256 in record.evidence:
        owner, subject = record, evidence_subject(record.citizen, record.id)
    elif master is not None and sha256 in master.evidence:
        owner, subject = master, evidence_subject(master.citizen, master.id)
    else:
        raise NotFound("attachment_not_found", id=sha256)
    # a citizen's key older than the record is theirs; an evidence key is made on upload
    recorded_at = owner.created_on if owner.citizen else None
    described, content = store.get(sha256, subject, recorded_at=recorded_at)
    return Response(
        content, media_type=described.media_type, headers={"Cache-Control": "private, no-store"}
    )


def own_view(service: Dialogues, store: AttachmentStore, record: KienNghi) -> a.OwnKienNghi:
    closure = record.closure
    subject = record.citizen or ""
    master = service.master_of(record)
    answering = master or record
    sealed_by = evidence_subject(answering.citizen, answering.id)
    return a.OwnKienNghi(
        id=str(record.id),
        version=record.version,
        status=record.status,
        category=record.category,
        content=record.content,
        unit_code=record.unit_code,
        received_on=record.received_on,
        agency=record.agency,
        due_on=record.due_day,  # the assignment's, else the rules' day
        overdue=service.is_overdue(record),
        deadlines=record.deadlines,
        answer=record.last_answer,
        closure=closure,
        ratings=record.ratings,
        reopenings=record.reopenings,
        reopen_until=closure["closed_on"] + timedelta(days=service.reopen_days)
        if closure
        else None,
        contact=service.personal_data_of(record),
        attachments=[
            a.AttachmentRef(**vars(store.describe(h, subject))) for h in record.attachments
        ],
        tracking_code=record.tracking_code,
        extensions_granted=record.extensions_granted,
        escalated_to=record.escalated_to,
        master=a.OwnMaster(
            id=str(master.id),
            status=master.status,
            agency=master.agency,
            due_on=master.due_on,
            answer=master.last_answer,
            closure=master.closure,
        )
        if master
        else None,
        evidence=[
            a.AttachmentRef(**vars(store.describe(h, sealed_by))) for h in answering.evidence
        ],
        steps=[
            a.Step(step=item["type"].partition(".")[2], recorded_at=item["recorded_at"])
            for item in service.history(record.id)
        ],
    )
