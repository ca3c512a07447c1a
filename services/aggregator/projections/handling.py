"""The handling steps of a kiến nghị (docs/kien-nghi-handling.md) on its new version: what the
handling report judges it by."""

from __future__ import annotations

from typing import Any

from services.aggregator.projections.deadlines import day_or_none, deadline_columns, moment_or_none
from shared.events import FeedItem


def project_handling_step(row: dict[str, Any], item: FeedItem) -> None:
    data = item["data"]
    match item["type"]:
        case "KienNghi.Acknowledged":
            row["acknowledged_at"] = moment_or_none(data["acknowledged_at"])
            row["tracking_code"] = data["tracking_code"]
        case "KienNghi.Transferred":
            row["agency"], row["transfers"] = data["agency"], row["transfers"] + 1
            row["last_agency"] = data["agency"]
            row["due_on"] = day_or_none(data.get("due_on"))
            if data.get("deadlines"):  # the rule restarts the clock: a fresh start
                row.update(deadline_columns(data["deadlines"]))
                row["due_before_extension"] = None
        case "KienNghi.ExtensionRequested":
            row["extensions_requested"] += 1
        case "KienNghi.ExtensionGranted":
            row["extensions_granted"] += 1
            if row["due_before_extension"] is None:
                row["due_before_extension"] = day_or_none(data["previous_due_on"])
            row["due_on"] = day_or_none(data["due_on"])
        case "KienNghi.ExtensionRefused":
            row["extensions_refused"] += 1
        case "KienNghi.Escalated":
            row["escalated"] += 1
            row["escalation_level"] = data["to_level"]
        case "KienNghi.MergedInto":
            row["status"], row["master_id"] = "merged", str(data["master_id"])
            row["merged_on"] = day_or_none(data["merged_on"])
        case "KienNghi.DuplicateAttached":
            row["duplicates"] += 1
