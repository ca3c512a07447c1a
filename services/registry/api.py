"""HTTP endpoints of the registry: one short function per command or read."""

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
from shared.documents import HISTORY
from shared.events import dumps
from shared.http import CommandRoute, add_command_routes
from shared.policy import READ, WRITE, allow
from shared.principal import Principal


def get_registry(request: Request) -> Registry:
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

C = CommandRoute
add_command_routes(
    router,
    [
        C("", RegisterModel, "register_model", "Đăng ký mô hình / register a model", ModelRef),
        C(
            "/{record_id}/progress",
            ReportProgress,
            "report_progress",
            "Báo cáo tiến độ / report progress",
            ModelRef,
        ),
        C(
            "/{record_id}/recognition",
            RecogniseModel,
            "recognise_model",
            "Công nhận / recognise",
            ModelRef,
        ),
        C(
            "/{record_id}/commendations",
            CommendModel,
            "commend_model",
            "Khen thưởng / commend",
            ModelRef,
        ),
        C(
            "/{record_id}/replications",
            ReplicateModel,
            "replicate_model",
            "Nhân rộng sang đơn vị khác / replicate to another unit",
            ModelRef,
        ),
        C(
            "/{record_id}/discontinuation",
            DiscontinueModel,
            "discontinue_model",
            "Dừng thực hiện / discontinue",
            ModelRef,
        ),
    ],
    service=RegistryDep,
    writer=Writer,
)
add_command_routes(
    awards,
    [C("", ConferAward, "confer_award", "Khen thưởng, kỷ niệm chương / confer an award", ModelRef)],
    service=RegistryDep,
    writer=Writer,
)


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
