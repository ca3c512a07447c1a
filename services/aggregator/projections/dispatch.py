"""Routes each feed item to the projection of its aggregate type."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from services.aggregator.projections.models import project_model_event
from shared.units import UnitCatalog

Item = dict[str, Any]
Projector = Callable[[Session, Item], None]


def projector(catalog: UnitCatalog) -> Projector:
    def project(session: Session, item: Item) -> None:
        aggregate_type = item["type"].partition(".")[0]
        if aggregate_type == "Model":
            project_model_event(session, item, catalog)
        # StoreIdentity and IdempotentRequest events carry nothing to report

    return project
