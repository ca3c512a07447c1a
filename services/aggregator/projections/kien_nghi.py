"""KienNghi events → kien_nghi versions; a finding's kiến nghị also moves its supervision's counts
(a new supervision version, made by the same feed item)."""

from __future__ import annotations

from datetime import date
from typing import Any

from services.aggregator.projections.deadlines import day_or_none, deadline_columns
from services.aggregator.projections.handling import project_handling_step
from services.aggregator.projections.rows import Changes, first_version
from services.aggregator.projections.supervisions import supervision_version
from services.aggregator.projections.units import unit_columns
from services.aggregator.tables import KienNghiRow, KienNghiStatusChange, SupervisionRow
from shared.events import FeedItem, position_of, recorded_moment
from shared.units import UnitCatalog
from shared.working_time import working_calendar

Item = FeedItem
# working days are the calendar's whatever the office hours: a changed list of moved days
# (shared/data) takes a `danvan rebuild` to reach the resolved ones
WORKING_DAYS = working_calendar()
UNIT_COLUMNS = (
    "unit_code",
    "unit_structure",
    "level",
    "province_code",
    "district_code",
    "unit_2025_code",
    "level_2025",
    "province_2025_code",
)
# the steps after receipt that Open311 lists as updates (a rating changes no status)
STEPS = frozenset(
    f"KienNghi.{step}"
    for step in (
        "Acknowledged",
        "Assigned",
        "Transferred",
        "ExtensionRequested",
        "ExtensionGranted",
        "ExtensionRefused",
        "Escalated",
        "MergedInto",
        "DuplicateAttached",
        "Answered",
        "Resolved",
        "Declined",
        "Reopened",
    )
)
# what a kiến nghị received starts with of how it is handled (docs/kien-nghi-handling.md)
UNHANDLED = {
    "acknowledged_at": None,
    "tracking_code": None,
    "transfers": 0,
    "extensions_requested": 0,
    "extensions_granted": 0,
    "extensions_refused": 0,
    "due_before_extension": None,
    "escalated": 0,
    "escalation_level": None,
    "master_id": None,
    "merged_on": None,
    "duplicates": 0,
    "evidence_count": 0,
}


def kien_nghi_records(item: Item) -> list[tuple[type, str]]:
    """The records this item changes, to read before the batch is projected."""
    if item["type"] == "KienNghi.Received":
        return []
    return [(KienNghiRow, str(item["aggregate_id"]))]


def finding_supervisions(changes: Changes, items: list[Item]) -> list[tuple[type, str]]:
    """The supervisions whose counts this batch's kiến nghị may move: those of findings'
    kiến nghị changed in it (read after the kiến nghị themselves)."""
    sources: dict[str, str] = {}
    for item in items:
        data = item["data"]
        received = item["type"] == "KienNghi.Received"
        if received and data["source"] == "supervision_finding" and data.get("source_id"):
            sources[str(item["aggregate_id"])] = str(data["source_id"])
    wanted: list[tuple[type, str]] = []
    for item in items:
        if item["type"].startswith("KienNghi.") and item["type"] != "KienNghi.Received":
            key = str(item["aggregate_id"])
            row = changes.found.get((KienNghiRow, key))
            if row is not None and row["source"] == "supervision_finding" and row["source_id"]:
                wanted.append((SupervisionRow, row["source_id"]))
            elif key in sources:
                wanted.append((SupervisionRow, sources[key]))
    return wanted


def project_kien_nghi_event(changes: Changes, item: Item, catalog: UnitCatalog) -> None:
    data = item["data"]
    kien_nghi_id = str(item["aggregate_id"])
    if item["type"] == "KienNghi.Received":
        changes.add(
            KienNghiRow,
            first_version(
                item,
                id=kien_nghi_id,
                source=data["source"],
                source_id=str(data["source_id"]) if data.get("source_id") else None,
                finding_id=str(data["finding_id"]) if data.get("finding_id") else None,
                category=data["category"],
                received_on=date.fromisoformat(data["received_on"]),
                status="received",
                agency=None,
                last_agency=None,
                assigned_on=None,
                due_on=None,
                answered_on=None,
                resolved_on=None,
                declined_on=None,
                rating=None,
                rated_on=None,
                reopened=0,
                resolve_days=None,
                content=data["content"],
                status_notes=None,
                channel=data.get("channel") or "api",
                citizen=data.get("citizen"),
                personal=data.get("personal"),
                requested_at=recorded_moment(item),
                updated_at=recorded_moment(item),
                published=bool(data.get("published")),
                attachment_count=len(data.get("attachments") or ()),
                **deadline_columns(data.get("deadlines")),
                **UNHANDLED,
                **unit_columns(catalog, data["unit_code"], data["unit_structure"]),
            ),
            kien_nghi_id,
        )
        return
    current = changes.get(KienNghiRow, kien_nghi_id)
    was_resolved = current["status"] == "resolved"
    row = changes.new_version(KienNghiRow, current, item, kien_nghi_id)
    row["updated_at"] = recorded_moment(item)  # as the service shows it
    match item["type"]:
        case "KienNghi.Assigned":
            row["status"], row["agency"] = "assigned", data["agency"]
            row["last_agency"] = data["agency"]
            row["assigned_on"] = date.fromisoformat(data["assigned_on"])
            row["due_on"] = date.fromisoformat(data["due_on"])
        case "KienNghi.Classified":
            row["priority"], row["category"] = data["priority"], data["category"]
            row["due_on"] = day_or_none(data.get("due_on"))
            if data.get("deadlines"):
                row.update(deadline_columns(data["deadlines"]))
        case "KienNghi.Answered":
            row["status"] = "answered"
            row["answered_on"] = date.fromisoformat(data["answered_on"])
            row["status_notes"] = data["answer"]
            row["evidence_count"] = len(data.get("evidence") or ())
        case "KienNghi.Resolved":
            row["status"] = "resolved"
            row["resolved_on"] = date.fromisoformat(data["resolved_on"])
            row["resolve_days"] = WORKING_DAYS.working_days_between(
                row["received_on"], row["resolved_on"]
            )
            row["status_notes"] = data["resolution"]
        case "KienNghi.Declined":
            row["status"] = "declined"
            row["declined_on"] = date.fromisoformat(data["declined_on"])
            row["status_notes"] = data["reason"]
        case "KienNghi.Rated":
            row["rating"] = int(data["rating"])
            row["rated_on"] = date.fromisoformat(data["rated_on"])
        case "KienNghi.Reopened":
            # as on the write side: a reopened kiến nghị waits for a new assignment
            row["status"], row["reopened"] = "reopened", row["reopened"] + 1
            row["resolved_on"] = row["declined_on"] = row["resolve_days"] = None
            row["agency"] = row["assigned_on"] = row["due_on"] = None
            row["due_before_extension"] = None
            if data.get("deadlines"):  # counted again from the reopening
                row.update(deadline_columns(data["deadlines"]))
        case _:  # the handling steps (acknowledged, transferred, extended, …)
            project_handling_step(row, item)
    if item["type"] in STEPS:
        changes.add(KienNghiStatusChange, status_change(row, item, current["agency"]))
    if (
        row["source"] == "supervision_finding"
        and row["source_id"]
        and was_resolved != (row["status"] == "resolved")
    ):
        supervision = supervision_version(changes, row["source_id"], item)
        supervision["kien_nghi_resolved"] += 1 if row["status"] == "resolved" else -1


def status_change(row: dict[str, Any], item: Item, agency_before: str | None) -> dict[str, Any]:
    """The update a step makes: the kiến nghị as the step left it, and what the step says; a
    step that leaves no agency (a reopening) names the one that had it, whose feed shows it."""
    data = item["data"]
    notes = (
        data.get("answer")
        or data.get("resolution")
        or data.get("reason")
        or data.get("tracking_code")  # acknowledged: the code the citizen follows it by
    )
    return {
        "kien_nghi_id": row["id"],
        "position": position_of(item),
        "step": item["type"].removeprefix("KienNghi."),
        "status": row["status"],
        "category": row["category"],
        "notes": notes,
        "agency": row["agency"] or agency_before,
        "due_on": row["due_on"],
        "citizen": row["citizen"],
        "recorded_at": row["updated_at"],
        **{column: row[column] for column in UNIT_COLUMNS},
    }
