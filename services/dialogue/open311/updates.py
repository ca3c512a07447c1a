"""GET servicerequestupdates (FixMyStreet's Open311 extension): each step of a kiến nghị after
its receipt as a request_update, from the read side's record of them.

An update has update_id ("<service_request_id>-<feed position>", stable across rebuilds),
service_request_id, status (open or closed), external_status_code (our status after the step:
received, assigned, answered, resolved, declined, reopened, merged), updated_datetime (when
the service recorded the step), description and media_url. description is what the step
says: the tracking code of an acknowledgement, the agency and due date of an assignment or a
transfer, an extension's new due date, the answer, the resolution, the reason of a decline;
a reopening's reason is the reporter's words, shown in the full view only (access.py), a
notice otherwise.
The steps carry no media: media_url is empty (the request's own is on GET requests).

start_date and end_date bound updated_datetime as GET requests bounds requested_datetime (at
most 90 days, the last 90 by default); oldest first, page and page_size as on GET requests.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from services.dialogue.open311.access import View, view_of
from services.dialogue.open311.forms import jurisdiction
from services.dialogue.open311.views import CLOSED, date_range, read_moment, w3c
from services.dialogue.read_side import ReadSideClient, list_status_changes
from shared.messages import message
from shared.principal import Principal
from shared.units import UnitCatalog
from shared.vietnam_time import VIETNAM


def find_updates(
    read_side: ReadSideClient,
    catalog: UnitCatalog,
    caller: Principal | None,
    lang: str,
    *,
    start_date: str | None,
    end_date: str | None,
    jurisdiction_id: str | None,
    page: int,
    page_size: int,
) -> list[dict[str, Any]]:
    jurisdiction(catalog, jurisdiction_id)
    since, until = date_range(start_date, end_date, datetime.now(VIETNAM))
    changes = list_status_changes(
        read_side,
        since=since,
        until=until,
        province=jurisdiction_id,
        limit=page_size,
        offset=(page - 1) * page_size,
    )
    return [request_update(change, caller, catalog, lang) for change in changes]


def request_update(
    change: dict[str, Any], caller: Principal | None, catalog: UnitCatalog, lang: str
) -> dict[str, Any]:
    status = change["status"]
    unit = catalog.get(change["unit_structure"], change["unit_code"])
    view = view_of(caller, unit, change.get("citizen"), catalog)
    return {
        "update_id": f"{change['kien_nghi_id']}-{change['position']}",
        "service_request_id": change["kien_nghi_id"],
        "status": "closed" if status in CLOSED else "open",
        "external_status_code": status,
        "updated_datetime": w3c(read_moment(change["recorded_at"])),
        "description": _description(change, view, lang),
        "media_url": "",
    }


def _description(change: dict[str, Any], view: View, lang: str) -> str:
    due = date.fromisoformat(change["due_on"]) if change.get("due_on") else None
    shown = {
        "agency": change.get("agency") or "",
        "due_on": due.strftime("%d/%m/%Y") if due else "",
        "notes": change.get("notes") or "",
    }
    match change.get("step") or change["status"]:
        case "Assigned" | "assigned":
            return message("open311_update_assigned", lang, **shown)
        case "Reopened" | "reopened" if view is not View.FULL or not change.get("notes"):
            return message("open311_update_reopened", lang)
        case step if step in STEP_MESSAGES:
            return message(STEP_MESSAGES[step], lang, **shown)
    return str(change.get("notes") or message("open311_status", lang, status=change["status"]))


# the handling steps that change no status, each told in its own words (docs/kien-nghi-handling.md)
STEP_MESSAGES = {
    "Acknowledged": "open311_update_acknowledged",
    "Transferred": "open311_update_transferred",
    "ExtensionRequested": "open311_update_extension_requested",
    "ExtensionGranted": "open311_update_extension_granted",
    "ExtensionRefused": "open311_update_extension_refused",
    "Escalated": "open311_update_escalated",
    "MergedInto": "open311_update_merged",
    "DuplicateAttached": "open311_update_duplicate",
}
