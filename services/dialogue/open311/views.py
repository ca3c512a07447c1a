"""Kiến nghị as Open311 service requests, from the store or the read side; date ranges."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from services.dialogue.domain import KienNghi
from services.dialogue.open311.access import View
from services.dialogue.open311.catalogue import service_name
from shared.errors import InvalidInput
from shared.messages import message
from shared.units import UnitCatalog
from shared.vietnam_time import VIETNAM

CLOSED = ("resolved", "declined")
MAX_SPAN = timedelta(days=90)
FIRST_YEAR, LAST_YEAR = 1900, 2999  # the dates asked for; beyond, 400


@dataclass(frozen=True)
class Recorded:
    """What a service request shows of a kiến nghị, wherever it was read."""

    id: str
    status: str
    category: str
    content: str
    agency: str | None
    status_notes: str | None
    due_on: date | None
    requested_at: datetime | None
    updated_at: datetime | None
    unit_code: str
    unit_structure: str
    citizen: str | None = None
    published: bool = False  # the reporter agreed to publish location and media
    attachments: int = 0
    resolve_by: datetime | None = None  # the handling rules' deadline
    tracking_code: str | None = None  # given when acknowledged

    @classmethod
    def of_record(cls, k: KienNghi) -> Recorded:
        notes = (k.closure or {}).get("text") or (k.last_answer or {}).get("answer")
        return cls(
            str(k.id),
            str(k.status),
            k.category,
            k.content,
            k.agency,
            notes,
            k.due_on,
            k.created_on,
            k.modified_on,
            k.unit_code,
            k.unit_structure,
            k.citizen,
            k.published,
            len(k.attachments),
            datetime.fromisoformat(k.deadlines["resolve_by"]) if k.deadlines else None,
            k.tracking_code,
        )

    @classmethod
    def of_item(cls, item: dict[str, Any]) -> Recorded:
        due = item.get("due_on")
        return cls(
            str(item["id"]),
            item["status"],
            item["category"],
            item.get("content") or "",
            item.get("agency"),
            item.get("status_notes"),
            date.fromisoformat(due) if due else None,
            read_moment(item.get("requested_at")),
            read_moment(item.get("updated_at")),
            item["unit_code"],
            item["unit_structure"],
            item.get("citizen"),
            bool(item.get("published")),
            int(item.get("attachment_count") or 0),
            read_moment(item.get("resolve_by")),
            item.get("tracking_code"),
        )


def read_moment(value: str | None) -> datetime | None:
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # SQLite keeps no zone


def w3c(moment: datetime | None) -> str | None:
    """W3C datetime with its offset, in Vietnam's time."""
    return moment.astimezone(VIETNAM).isoformat(timespec="seconds") if moment else None


def place(catalog: UnitCatalog, structure: str, code: str) -> str:
    """'Phường Ba Đình, Thành phố Hà Nội': the commune and the units above it."""
    unit = catalog.get(structure, code)
    if unit is None:
        return code
    return ", ".join([unit.name, *(a.name for a in catalog.ancestors(unit))])


def shows_reporter(k: Recorded, view: View) -> bool:
    """Whether the location and media the reporter gave are shown, not the commune's."""
    return view is View.FULL or k.published


def has_media(k: Recorded, personal: dict[str, Any] | None, erased: bool) -> bool:
    """A media_url the reporter gave, or an attachment, while its subject is not erased."""
    return bool((personal or {}).get("media_url")) or (k.attachments > 0 and not erased)


def service_request(
    k: Recorded,
    personal: dict[str, Any] | None,
    view: View,
    catalog: UnitCatalog,
    lang: str,
    media_url: str | None = None,
) -> dict[str, Any]:
    """One service request in the caller's view (access.py): the reporter's location, or the
    commune's name, code and centre; media_url as given by the caller (a signed link, or
    none); never names, emails or phones. Erased personal data leaves the commune."""
    reporter = (personal or {}) if shows_reporter(k, view) else {}
    unit = catalog.get(k.unit_structure, k.unit_code)
    lat, lon = reporter.get("lat"), reporter.get("long")
    if lat is None or lon is None:  # the commune's centre (the catalog's), if it has one
        lat, lon = (unit.lat, unit.lon) if unit is not None else (None, None)
    # the end of the due day once assigned, else the rules' deadline
    due = datetime.combine(k.due_on, time(23, 59, 59), VIETNAM) if k.due_on else k.resolve_by
    return {
        "service_request_id": k.id,
        "status": "closed" if k.status in CLOSED else "open",
        "status_notes": k.status_notes,
        "service_name": service_name(k.category, lang),
        "service_code": k.category,
        "description": k.content,
        "agency_responsible": k.agency,
        "service_notice": notice(k, lang),
        "requested_datetime": w3c(k.requested_at),
        "updated_datetime": w3c(k.updated_at),
        "expected_datetime": w3c(due),
        "address": reporter.get("address_string") or place(catalog, k.unit_structure, k.unit_code),
        "address_id": k.unit_code,
        "zipcode": None,
        "lat": lat,
        "long": lon,
        "media_url": media_url,
    }


def notice(k: Recorded, lang: str) -> str:
    """Its status, and the tracking code to quote on the phone once it has one."""
    status = message("open311_status", lang, status=k.status)
    if k.tracking_code is None:
        return status
    return f"{message('open311_tracking_code', lang, tracking_code=k.tracking_code)} {status}"


def parse_w3c(value: str, field: str, *, end: bool = False) -> datetime:
    """A W3C datetime (YYYY, YYYY-MM-DD, …Thh:mm:ss±hh:mm or Z); a bare day covers all of it
    and a missing offset is Vietnam's. A '+' decoded to a space in a query string is mended."""
    text = value.strip()
    if len(text) > 19 and text[-6] == " ":
        text = f"{text[:-6]}+{text[-5:]}"
    try:
        if len(text) in (4, 7):  # YYYY, YYYY-MM: from its first day, or to the next's
            year, month = int(text[:4]), int(text[5:7]) if len(text) == 7 else 1
            if end and len(text) == 4:
                year += 1
            elif end:
                year, month = year + month // 12, month % 12 + 1
            moment = datetime(year, month, 1, tzinfo=VIETNAM)
            if not FIRST_YEAR <= moment.year <= LAST_YEAR:
                raise ValueError(value)
            return moment
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput("open311_date_invalid", field=field, value=value) from None
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:  # a span of days around it stays a date
        raise InvalidInput("open311_date_invalid", field=field, value=value)
    if len(text) == 10 and end:
        moment += timedelta(days=1)
    return moment if moment.tzinfo else moment.replace(tzinfo=VIETNAM)


def date_range(start: str | None, end: str | None, now: datetime) -> tuple[datetime, datetime]:
    """The requested_datetime range: at most 90 days, the last 90 by default."""
    since = parse_w3c(start, "start_date") if start else None
    until = parse_w3c(end, "end_date", end=True) if end else None
    if since is None and until is None:
        until = now
    if since is None:
        assert until is not None
        since = until - MAX_SPAN
    if until is None:
        until = since + MAX_SPAN
    if until < since:
        raise InvalidInput("period_invalid", field="end_date", start=start, end=end)
    if until - since > MAX_SPAN:
        raise InvalidInput("open311_date_span", field="end_date", days=MAX_SPAN.days)
    if since.year < FIRST_YEAR or until.year > LAST_YEAR:
        # the one given, when the other was derived from it
        wrong_start = start is not None and (since.year < FIRST_YEAR or end is None)
        field, value = ("start_date", start) if wrong_start else ("end_date", end)
        raise InvalidInput("open311_date_invalid", field=field, value=value)
    return since, until
