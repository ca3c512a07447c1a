"""Dialogue events → dialogue and dialogue_fact rows."""

from __future__ import annotations

from datetime import date

from services.aggregator.projections.rows import Changes, Row, recorded_at
from services.aggregator.projections.units import UNIT_COLUMN_NAMES, unit_columns
from services.aggregator.tables import DialogueFact, DialogueRow
from shared.events import FeedItem
from shared.units import UnitCatalog

Item = FeedItem


def dialogue_records(item: Item) -> list[tuple[type, str]]:
    """The records this item changes, to read before the batch is projected."""
    if item["type"] == "Dialogue.Scheduled":
        return []
    return [(DialogueRow, str(item["aggregate_id"]))]


def project_dialogue_event(changes: Changes, item: Item, catalog: UnitCatalog) -> None:
    data = item["data"]
    dialogue_id = str(item["aggregate_id"])
    match item["type"]:
        case "Dialogue.Scheduled":
            dialogue = changes.add(
                DialogueRow,
                {
                    "id": dialogue_id,
                    "host_body": data["host_body"],
                    "dialogue_kind": data["kind"],
                    "status": "scheduled",
                    "scheduled_on": date.fromisoformat(data["scheduled_on"]),
                    "held_on": None,
                    "participants": 0,
                    **unit_columns(catalog, data["unit_code"], data["unit_structure"]),
                },
                dialogue_id,
            )
            _fact(changes, item, dialogue, "scheduled", data["scheduled_on"])
        case "Dialogue.Held":
            dialogue = changes.get(DialogueRow, dialogue_id)
            dialogue["status"] = "held"
            dialogue["held_on"] = date.fromisoformat(data["held_on"])
            dialogue["participants"] = int(data["participants"])
            _fact(changes, item, dialogue, "held", data["held_on"], dialogue["participants"])
        case "Dialogue.Cancelled":
            dialogue = changes.get(DialogueRow, dialogue_id)
            dialogue["status"] = "cancelled"
            _fact(changes, item, dialogue, "cancelled", data["cancelled_on"])


def _fact(
    changes: Changes, item: Item, dialogue: Row, kind: str, on: str, participants: int = 0
) -> None:
    changes.add(
        DialogueFact,
        {
            "event_id": str(item["id"]),
            "dialogue_id": dialogue["id"],
            "kind": kind,
            "occurred_on": date.fromisoformat(on),
            "recorded_at": recorded_at(item),
            "dialogue_kind": dialogue["dialogue_kind"],
            "host_body": dialogue["host_body"],
            "participants": participants,
            **{c: dialogue[c] for c in UNIT_COLUMN_NAMES},
        },
    )
