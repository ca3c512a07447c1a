"""HTTP endpoints of the registry: one function per command or read."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Request, Response

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
from shared.audit.receipts import Receipt
from shared.documents import HISTORY
from shared.events import dumps
from shared.http import Change, Creation, changed, created
from shared.policy import READ, WRITE, allow
from shared.principal import Principal
from shared.receipt_api import RECEIPT_RESPONSES, Since, Witnessed, receipt_of


async def get_registry(request: Request) -> Registry:
    registry: Registry = request.app.state.registry
    return registry


RegistryDep = Annotated[Registry, Depends(get_registry)]
Writer = Annotated[Principal, Depends(allow(WRITE))]
Reader = Annotated[Principal, Depends(allow(READ))]

router = APIRouter(prefix="/models", tags=["models"])


@router.get("/{model_id}", response_model=ModelView)
def get_model(model_id: UUID, registry: RegistryDep, reader: Reader, response: Response) -> Any:
    model = registry.get_model(model_id)
    registry.require_readable(reader, model)
    response.headers["ETag"] = f'"{model.version}"'
    return _view(model)


@router.get("/{model_id}/history", responses=HISTORY)
def model_history(model_id: UUID, registry: RegistryDep, reader: Reader) -> Response:
    registry.require_readable(reader, registry.get_model(model_id))
    body = {"aggregate_id": model_id, "items": registry.model_history(model_id)}
    return Response(dumps(body), media_type="application/json")


@router.get(
    "/{model_id}/receipt",
    response_model=Receipt,
    responses=RECEIPT_RESPONSES,
    summary="Biên nhận có chứng minh / receipt with proofs",
)
async def model_receipt(
    request: Request,
    model_id: UUID,
    registry: RegistryDep,
    reader: Reader,
    since: Since = None,
    witnessed: Witnessed = 0,
) -> Receipt:
    registry.require_readable(reader, registry.get_model(model_id))
    items = registry.model_history(model_id)
    return await receipt_of(request, model_id, items, since, witnessed)


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
        next_steps=model.next_steps,
    )


awards = APIRouter(prefix="/awards", tags=["awards"])


@router.post(
    "", status_code=201, response_model=ModelRef, summary="Đăng ký mô hình / register a model"
)
async def register_model(
    body: RegisterModel, registry: RegistryDep, actor: Writer, write: Creation
) -> Response:
    return await created(
        registry,
        lambda: registry.register_model(
            title=body.title,
            description=body.description,
            unit_code=body.unit_code,
            body=body.body,
            sector=body.sector,
            fields=body.fields,
            year=body.year,
            registered_on=body.registered_on,
            actor=actor,
            idempotency=write.idempotency(actor, body),
        ),
    )


@router.post(
    "/{model_id}/progress", response_model=ModelRef, summary="Báo cáo tiến độ / report progress"
)
async def report_progress(
    model_id: UUID, body: ReportProgress, registry: RegistryDep, actor: Writer, write: Change
) -> Response:
    return await changed(
        registry,
        lambda: registry.report_progress(
            model_id,
            summary=body.summary,
            reported_on=body.reported_on,
            **write.terms(actor, body),
        ),
    )


@router.post("/{model_id}/recognition", response_model=ModelRef, summary="Công nhận / recognise")
async def recognise_model(
    model_id: UUID, body: RecogniseModel, registry: RegistryDep, actor: Writer, write: Change
) -> Response:
    return await changed(
        registry,
        lambda: registry.recognise_model(
            model_id,
            level=body.level,
            recognised_on=body.recognised_on,
            decision=body.decision,
            **write.terms(actor, body),
        ),
    )


@router.post("/{model_id}/commendations", response_model=ModelRef, summary="Khen thưởng / commend")
async def commend_model(
    model_id: UUID, body: CommendModel, registry: RegistryDep, actor: Writer, write: Change
) -> Response:
    return await changed(
        registry,
        lambda: registry.commend_model(
            model_id,
            award=body.award,
            level=body.level,
            commended_on=body.commended_on,
            **write.terms(actor, body),
        ),
    )


@router.post(
    "/{model_id}/replications",
    response_model=ModelRef,
    summary="Nhân rộng sang đơn vị khác / replicate to another unit",
)
async def replicate_model(
    model_id: UUID, body: ReplicateModel, registry: RegistryDep, actor: Writer, write: Change
) -> Response:
    return await changed(
        registry,
        lambda: registry.replicate_model(
            model_id,
            to_unit_code=body.to_unit_code,
            replicated_on=body.replicated_on,
            **write.terms(actor, body),
        ),
    )


@router.post(
    "/{model_id}/discontinuation", response_model=ModelRef, summary="Dừng thực hiện / discontinue"
)
async def discontinue_model(
    model_id: UUID,
    body: DiscontinueModel,
    registry: RegistryDep,
    actor: Writer,
    write: Change,
) -> Response:
    return await changed(
        registry,
        lambda: registry.discontinue_model(
            model_id,
            reason=body.reason,
            discontinued_on=body.discontinued_on,
            **write.terms(actor, body),
        ),
    )


@awards.post(
    "",
    status_code=201,
    response_model=ModelRef,
    summary="Khen thưởng, kỷ niệm chương / confer an award",
)
async def confer_award(
    body: ConferAward, registry: RegistryDep, actor: Writer, write: Creation
) -> Response:
    return await created(
        registry,
        lambda: registry.confer_award(
            award=body.award,
            recipient_kind=body.recipient_kind,
            recipient=body.recipient,
            unit_code=body.unit_code,
            conferred_by=body.conferred_by,
            conferred_on=body.conferred_on,
            reason=body.reason,
            actor=actor,
            idempotency=write.idempotency(actor, body),
        ),
    )


@awards.get("/{award_id}", response_model=AwardView)
def get_award(
    award_id: UUID, registry: RegistryDep, reader: Reader, response: Response
) -> AwardView:
    award = registry.get_award(award_id)
    registry.require_readable(reader, award)
    response.headers["ETag"] = f'"{award.version}"'
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


@awards.get("/{award_id}/history", responses=HISTORY)
def award_history(award_id: UUID, registry: RegistryDep, reader: Reader) -> Response:
    registry.require_readable(reader, registry.get_award(award_id))
    body = {"aggregate_id": award_id, "items": registry.history(award_id)}
    return Response(dumps(body), media_type="application/json")


@awards.get(
    "/{award_id}/receipt",
    response_model=Receipt,
    responses=RECEIPT_RESPONSES,
    summary="Biên nhận có chứng minh / receipt with proofs",
)
async def award_receipt(
    request: Request,
    award_id: UUID,
    registry: RegistryDep,
    reader: Reader,
    since: Since = None,
    witnessed: Witnessed = 0,
) -> Receipt:
    registry.require_readable(reader, registry.get_award(award_id))
    return await receipt_of(request, award_id, registry.history(award_id), since, witnessed)
