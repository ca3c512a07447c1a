"""Routes each feed item to the projection of its aggregate type."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from services.aggregator.projections.awards import project_award_event
from services.aggregator.projections.dialogues import project_dialogue_event
from services.aggregator.projections.kien_nghi import project_kien_nghi_event
from services.aggregator.projections.models import project_model_event
from services.aggregator.projections.supervisions import project_supervision_event
from shared.units import UnitCatalog

Item = dict[str, Any]
Projector = Callable[[Session, Item], None]

PROJECTIONS = {
    "Model": project_model_event,
    "Dialogue": project_dialogue_event,
    "Supervision": project_supervision_event,
    "KienNghi": project_kien_nghi_event,
    "Award": project_award_event,
}


def projector(catalog: UnitCatalog) -> Projector:
    def project(session: Session, item: Item) -> None:
        projection = PROJECTIONS.get(item["type"].partition(".")[0])
        if projection is not None:  # StoreIdentity, IdempotentRequest: nothing to report
            projection(session, item, catalog)

    return project
