"""Model events → model, model_field, model_fact and model_presence rows."""

from __future__ import annotations

from datetime import date
from typing import Any

from services.aggregator.projections.rows import Changes, Row, first_version, recorded_at
from services.aggregator.projections.units import UNIT_COLUMN_NAMES, unit_columns
from services.aggregator.tables import ModelFact, ModelFieldRow, ModelPresence, ModelRow
from shared.events import FeedItem
from shared.units import UnitCatalog

Item = FeedItem


def model_records(item: Item) -> list[tuple[type, str]]:
    """The records this item changes, to read before the batch is projected."""
    model_id = str(item["aggregate_id"])
    match item["type"]:
        case "Model.Registered":
            return []
        case "Model.Replicated" | "Model.Discontinued":
            return [(ModelRow, model_id), (ModelPresence, model_id)]
    return [(ModelRow, model_id)]


def project_model_event(changes: Changes, item: Item, catalog: UnitCatalog) -> None:
    data = item["data"]
    model_id = str(item["aggregate_id"])
    match item["type"]:
        case "Model.Registered":
            _registered(changes, item, model_id, catalog)
        case "Model.ProgressReported":
            _fact(changes, item, _model(changes, model_id), "progress", data["reported_on"])
        case "Model.Recognised":
            model = _model(changes, model_id)
            model["recognised_on"] = date.fromisoformat(data["recognised_on"])
            model["recognition_level"] = data["level"]
            _fact(changes, item, model, "recognised", data["recognised_on"])
        case "Model.Commended":
            _fact(changes, item, _model(changes, model_id), "commended", data["commended_on"])
        case "Model.Replicated":
            receiver = unit_columns(catalog, data["to_unit_code"], data["to_unit_structure"])
            model = _model(changes, model_id)
            _fact(changes, item, model, "replicated", data["replicated_on"], receiver)
            changes.add(
                ModelPresence,
                first_version(
                    item,
                    model_id=model_id,
                    unit_key=f"{receiver['unit_structure']}:{receiver['unit_code']}",
                    since=date.fromisoformat(data["replicated_on"]),
                    until=None,
                    **receiver,
                ),
                model_id,
            )
        case "Model.Discontinued":
            on = date.fromisoformat(data["discontinued_on"])
            model = _model(changes, model_id)
            model["status"], model["discontinued_on"] = "discontinued", on
            _fact(changes, item, model, "discontinued", data["discontinued_on"])
            presences = changes.members(ModelPresence, model_id)
            for i, presence in enumerate(presences):
                presences[i] = changes.new_version(ModelPresence, presence, item)
                presences[i]["until"] = on


def _registered(changes: Changes, item: Item, model_id: str, catalog: UnitCatalog) -> None:
    data = item["data"]
    where = unit_columns(catalog, data["unit_code"], data["unit_structure"])
    on = date.fromisoformat(data["registered_on"])
    model = changes.add(
        ModelRow,
        {
            "id": model_id,
            "title": data["title"][:300],
            "sector": data["sector"],
            "year": data["year"],
            "registered_on": on,
            "status": "active",
            "recognised_on": None,
            "recognition_level": None,
            "discontinued_on": None,
            **where,
        },
        model_id,
    )
    for field in data["fields"]:
        changes.add(ModelFieldRow, {"model_id": model_id, "field": field})
    changes.start(ModelPresence, model_id)
    changes.add(
        ModelPresence,
        first_version(
            item,
            model_id=model_id,
            unit_key=f"{where['unit_structure']}:{where['unit_code']}",
            since=on,
            until=None,
            **where,
        ),
        model_id,
    )
    _fact(changes, item, model, "registered", data["registered_on"])


def _model(changes: Changes, model_id: str) -> Row:
    return changes.get(ModelRow, model_id)


def _fact(
    changes: Changes,
    item: Item,
    model: Row,
    kind: str,
    occurred_on: str,
    where: dict[str, Any] | None = None,
) -> None:
    if where is None:
        where = {c: model[c] for c in UNIT_COLUMN_NAMES}
    changes.add(
        ModelFact,
        {
            "event_id": str(item["id"]),
            "model_id": model["id"],
            "kind": kind,
            "occurred_on": date.fromisoformat(occurred_on),
            "recorded_at": recorded_at(item),
            "sector": model["sector"],
            "model_year": model["year"],
            **where,
        },
    )
