"""Model events → model, model_field, model_fact and model_presence rows."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.aggregator.projections.rows import (
    add_row,
    first_version,
    get_row,
    make,
    new_version,
    recorded_at,
)
from services.aggregator.projections.units import UNIT_COLUMN_NAMES, unit_columns
from services.aggregator.tables import ModelFact, ModelFieldRow, ModelPresence, ModelRow
from shared.units import UnitCatalog

Item = dict[str, Any]


def project_model_event(session: Session, item: Item, catalog: UnitCatalog) -> None:
    data = item["data"]
    model_id = str(item["aggregate_id"])
    match item["type"]:
        case "Model.Registered":
            _registered(session, item, model_id, catalog)
        case "Model.ProgressReported":
            _fact(session, item, _model(session, model_id), "progress", data["reported_on"])
        case "Model.Recognised":
            model = _model(session, model_id)
            model.recognised_on = date.fromisoformat(data["recognised_on"])
            model.recognition_level = data["level"]
            _fact(session, item, model, "recognised", data["recognised_on"])
        case "Model.Commended":
            _fact(session, item, _model(session, model_id), "commended", data["commended_on"])
        case "Model.Replicated":
            receiver = unit_columns(catalog, data["to_unit_code"], data["to_unit_structure"])
            model = _model(session, model_id)
            _fact(session, item, model, "replicated", data["replicated_on"], receiver)
            session.add(
                first_version(
                    ModelPresence,
                    item,
                    model_id=model_id,
                    unit_key=f"{receiver['unit_structure']}:{receiver['unit_code']}",
                    since=date.fromisoformat(data["replicated_on"]),
                    until=None,
                    **receiver,
                )
            )
        case "Model.Discontinued":
            on = date.fromisoformat(data["discontinued_on"])
            model = _model(session, model_id)
            model.status, model.discontinued_on = "discontinued", on
            _fact(session, item, model, "discontinued", data["discontinued_on"])
            # rare: flush this page's presences so the query finds them too
            presences = session.scalars(
                select(ModelPresence).where(
                    ModelPresence.model_id == model_id, ModelPresence.valid_to.is_(None)
                )
            ).all()
            for presence in presences:
                new_version(session, presence, item).until = on


def _registered(session: Session, item: Item, model_id: str, catalog: UnitCatalog) -> None:
    data = item["data"]
    where = unit_columns(catalog, data["unit_code"], data["unit_structure"])
    on = date.fromisoformat(data["registered_on"])
    model = make(
        ModelRow,
        id=model_id,
        title=data["title"][:300],
        sector=data["sector"],
        year=data["year"],
        registered_on=on,
        status="active",
        recognised_on=None,
        recognition_level=None,
        discontinued_on=None,
        **where,
    )
    add_row(session, model, model_id)
    session.add_all(make(ModelFieldRow, model_id=model_id, field=f) for f in data["fields"])
    session.add(
        first_version(
            ModelPresence,
            item,
            model_id=model_id,
            unit_key=f"{where['unit_structure']}:{where['unit_code']}",
            since=on,
            until=None,
            **where,
        )
    )
    _fact(session, item, model, "registered", data["registered_on"])


def _model(session: Session, model_id: str) -> ModelRow:
    return get_row(session, ModelRow, model_id)


def _fact(
    session: Session,
    item: Item,
    model: ModelRow,
    kind: str,
    occurred_on: str,
    where: dict[str, Any] | None = None,
) -> None:
    if where is None:
        where = {c: getattr(model, c) for c in UNIT_COLUMN_NAMES}
    session.add(
        make(
            ModelFact,
            event_id=str(item["id"]),
            model_id=model.id,
            kind=kind,
            occurred_on=date.fromisoformat(occurred_on),
            recorded_at=recorded_at(item),
            sector=model.sector,
            model_year=model.year,
            **where,
        )
    )
