"""Dialogue events → dialogue and dialogue_fact rows."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from services.aggregator.projections.rows import add_row, get_row, make, recorded_at
from services.aggregator.projections.units import UNIT_COLUMN_NAMES, unit_columns
from services.aggregator.tables import DialogueFact, DialogueRow
from shared.units import UnitCatalog

Item = dict[str, Any]


def project_dialogue_event(session: Session, item: Item, catalog: UnitCatalog) -> None:
    data = item["data"]
    dialogue_id = str(item["aggregate_id"])
    match item["type"]:
        case "Dialogue.Scheduled":
            dialogue = make(
                DialogueRow,
                id=dialogue_id,
                host_body=data["host_body"],
                dialogue_kind=data["kind"],
                status="scheduled",
                scheduled_on=date.fromisoformat(data["scheduled_on"]),
                held_on=None,
                participants=0,
                **unit_columns(catalog, data["unit_code"], data["unit_structure"]),
            )
            add_row(session, dialogue, dialogue_id)
            _fact(session, item, dialogue, "scheduled", data["scheduled_on"])
        case "Dialogue.Held":
            dialogue = _dialogue(session, dialogue_id)
            dialogue.status = "held"
            dialogue.held_on = date.fromisoformat(data["held_on"])
            dialogue.participants = int(data["participants"])
            _fact(session, item, dialogue, "held", data["held_on"], dialogue.participants)
        case "Dialogue.Cancelled":
            dialogue = _dialogue(session, dialogue_id)
            dialogue.status = "cancelled"
            _fact(session, item, dialogue, "cancelled", data["cancelled_on"])


def _dialogue(session: Session, dialogue_id: str) -> DialogueRow:
    return get_row(session, DialogueRow, dialogue_id)


def _fact(
    session: Session, item: Item, dialogue: DialogueRow, kind: str, on: str, participants: int = 0
) -> None:
    session.add(
        make(
            DialogueFact,
            event_id=str(item["id"]),
            dialogue_id=dialogue.id,
            kind=kind,
            occurred_on=date.fromisoformat(on),
            recorded_at=recorded_at(item),
            dialogue_kind=dialogue.dialogue_kind,
            host_body=dialogue.host_body,
            participants=participants,
            **{c: getattr(dialogue, c) for c in UNIT_COLUMN_NAMES},
        )
    )
