"""Award events → award_fact rows (append-only; when recorded, for reports as of a moment)."""

from __future__ import annotations

from datetime import date

from services.aggregator.projections.rows import Changes, recorded_at
from services.aggregator.projections.units import unit_columns
from services.aggregator.tables import AwardFact
from shared.events import FeedItem
from shared.units import UnitCatalog


def project_award_event(changes: Changes, item: FeedItem, catalog: UnitCatalog) -> None:
    if item["type"] != "Award.Conferred":
        return
    data = item["data"]
    changes.add(
        AwardFact,
        {
            "event_id": str(item["id"]),
            "award_id": str(item["aggregate_id"]),
            "award": data["award"],
            "recipient_kind": data["recipient_kind"],
            "conferred_by": data["conferred_by"],
            "occurred_on": date.fromisoformat(data["conferred_on"]),
            "recorded_at": recorded_at(item),
            **unit_columns(catalog, data["unit_code"], data["unit_structure"]),
        },
    )
