"""KienNghi events → kien_nghi versions; a finding's kiến nghị also moves its supervision's counts
(a new supervision version, made by the same feed item)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from services.aggregator.projections.rows import (
    add_row,
    first_version,
    get_row,
    new_version,
)
from services.aggregator.projections.supervisions import supervision_version
from services.aggregator.projections.units import unit_columns
from services.aggregator.tables import KienNghiRow
from shared.units import UnitCatalog

Item = dict[str, Any]


def project_kien_nghi_event(session: Session, item: Item, catalog: UnitCatalog) -> None:
    data = item["data"]
    kien_nghi_id = str(item["aggregate_id"])
    if item["type"] == "KienNghi.Received":
        add_row(
            session,
            first_version(
                KienNghiRow,
                item,
                id=kien_nghi_id,
                source=data["source"],
                source_id=str(data["source_id"]) if data.get("source_id") else None,
                finding_id=str(data["finding_id"]) if data.get("finding_id") else None,
                category=data["category"],
                received_on=date.fromisoformat(data["received_on"]),
                status="received",
                reopened=0,
                content=data["content"],
                status_notes=None,
                channel=data.get("channel") or "api",
                citizen=data.get("citizen"),
                personal=data.get("personal"),
                requested_at=datetime.fromisoformat(item["recorded_at"]),
                updated_at=datetime.fromisoformat(item["recorded_at"]),
                **unit_columns(catalog, data["unit_code"], data["unit_structure"]),
            ),
            kien_nghi_id,
        )
        return
    current = get_row(session, KienNghiRow, kien_nghi_id)
    was_resolved = current.status == "resolved"
    row = new_version(session, current, item, kien_nghi_id)
    row.updated_at = datetime.fromisoformat(item["recorded_at"])  # as the service shows it
    match item["type"]:
        case "KienNghi.Assigned":
            row.status, row.agency = "assigned", data["agency"]
            row.assigned_on = date.fromisoformat(data["assigned_on"])
            row.due_on = date.fromisoformat(data["due_on"])
        case "KienNghi.Answered":
            row.status, row.answered_on = "answered", date.fromisoformat(data["answered_on"])
            row.status_notes = data["answer"]
        case "KienNghi.Resolved":
            row.status, row.resolved_on = "resolved", date.fromisoformat(data["resolved_on"])
            row.status_notes = data["resolution"]
        case "KienNghi.Declined":
            row.status, row.declined_on = "declined", date.fromisoformat(data["declined_on"])
            row.status_notes = data["reason"]
        case "KienNghi.Rated":
            row.rating, row.rated_on = int(data["rating"]), date.fromisoformat(data["rated_on"])
        case "KienNghi.Reopened":
            # as on the write side: a reopened kiến nghị waits for a new assignment
            row.status, row.reopened = "reopened", row.reopened + 1
            row.resolved_on = row.declined_on = row.due_on = row.agency = None
    if (
        row.source == "supervision_finding"
        and row.source_id
        and was_resolved != (row.status == "resolved")
    ):
        supervision = supervision_version(session, row.source_id, item)
        supervision.kien_nghi_resolved += 1 if row.status == "resolved" else -1
