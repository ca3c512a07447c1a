"""Supervision events → supervision versions and finding rows."""

from __future__ import annotations

from datetime import date

from services.aggregator.projections.rows import Changes, Row, first_version
from services.aggregator.projections.units import unit_columns
from services.aggregator.tables import FindingRow, SupervisionRow
from shared.events import FeedItem
from shared.units import UnitCatalog

Item = FeedItem


def supervision_records(item: Item) -> list[tuple[type, str]]:
    """The records this item changes, to read before the batch is projected."""
    if item["type"] == "Supervision.Started":
        return []
    return [(SupervisionRow, str(item["aggregate_id"]))]


def project_supervision_event(changes: Changes, item: Item, catalog: UnitCatalog) -> None:
    data = item["data"]
    supervision_id = str(item["aggregate_id"])
    match item["type"]:
        case "Supervision.Started":
            changes.add(
                SupervisionRow,
                first_version(
                    item,
                    id=supervision_id,
                    body=data["body"],
                    kind=data["kind"],
                    started_on=date.fromisoformat(data["started_on"]),
                    concluded_on=None,
                    findings=0,
                    violation_signs=False,
                    recommended=False,
                    kien_nghi_opened=0,
                    kien_nghi_resolved=0,
                    **unit_columns(catalog, data["unit_code"], data["unit_structure"]),
                ),
                supervision_id,
            )
        case "Supervision.FindingRaised":
            supervision = supervision_version(changes, supervision_id, item)
            recommended = bool(data.get("recommendation"))
            supervision["findings"] += 1
            supervision["violation_signs"] = (
                supervision["violation_signs"] or data["violation_signs"]
            )
            supervision["recommended"] = supervision["recommended"] or recommended
            if data.get("kien_nghi_id"):
                supervision["kien_nghi_opened"] += 1
            changes.add(
                FindingRow,
                {
                    "finding_id": str(data["finding_id"]),
                    "supervision_id": supervision_id,
                    "violation_signs": data["violation_signs"],
                    "recommended": recommended,
                    "raised_on": date.fromisoformat(data["raised_on"]),
                    "kien_nghi_id": str(data["kien_nghi_id"]) if data.get("kien_nghi_id") else None,
                },
            )
        case "Supervision.Concluded":
            supervision = supervision_version(changes, supervision_id, item)
            supervision["concluded_on"] = date.fromisoformat(data["concluded_on"])


def supervision_version(changes: Changes, supervision_id: str, item: Item) -> Row:
    """The supervision's version made by this feed item, to change."""
    current = changes.get(SupervisionRow, supervision_id)
    return changes.new_version(SupervisionRow, current, item, supervision_id)
