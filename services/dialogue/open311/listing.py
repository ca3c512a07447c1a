"""GET requests: the arguments, checked, as filters on the read side's list of kiến nghị."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from services.dialogue.open311.catalogue import checked_service
from services.dialogue.open311.forms import jurisdiction
from services.dialogue.open311.views import Recorded, date_range
from services.dialogue.read_side import ReadSideClient, list_kien_nghi
from shared.application import VIETNAM
from shared.errors import InvalidInput
from shared.units import UnitCatalog

MAX_REQUESTS = 1000


@dataclass(frozen=True)
class Wanted:
    """The arguments as sent: comma-separated lists and W3C datetimes."""

    service_request_id: str | None = None
    service_code: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    status: str | None = None
    jurisdiction_id: str | None = None


def _split(raw: str | None) -> list[str]:
    return list(dict.fromkeys(part.strip() for part in (raw or "").split(",") if part.strip()))


def _state(raw: str | None) -> str | None:
    """open, closed, or None for both."""
    wanted = set(_split(raw))
    if wanted - {"open", "closed"}:
        raise InvalidInput("open311_status_unknown", field="status", value=raw)
    return wanted.pop() if len(wanted) == 1 else None


def find_requests(
    read_side: ReadSideClient, catalog: UnitCatalog, wanted: Wanted
) -> list[tuple[Recorded, str | None]]:
    """Up to 1000 kiến nghị, newest first, each with its sealed personal data.

    Ids, when given, override every other argument (as the specification says). Otherwise
    the range of requested_datetime is at most 90 days (the last 90 by default); one read
    per service_code asked for, since the read side filters on one category at a time.
    """
    ids = _split(wanted.service_request_id)
    if ids:
        if len(ids) > MAX_REQUESTS:
            raise InvalidInput("open311_too_many_ids", field="service_request_id", max=MAX_REQUESTS)
        items = list_kien_nghi(read_side, id=ids, limit=MAX_REQUESTS)
        return [(Recorded.of_item(item), item.get("personal")) for item in items]
    jurisdiction(catalog, wanted.jurisdiction_id)
    codes: list[str | None] = [checked_service(code) for code in _split(wanted.service_code)]
    since, until = date_range(wanted.start_date, wanted.end_date, datetime.now(VIETNAM))
    filters = {
        "received_from": since.astimezone(VIETNAM).date(),
        "received_to": until.astimezone(VIETNAM).date(),
        "state": _state(wanted.status),
        "province": wanted.jurisdiction_id,
        "limit": MAX_REQUESTS,
    }
    found = [
        (Recorded.of_item(item), item.get("personal"))
        for code in codes or [None]
        for item in list_kien_nghi(read_side, category=code, **filters)
    ]
    # the read side filters on the day received; the range is to the second
    found = [
        pair
        for pair in found
        if pair[0].requested_at is None or since <= pair[0].requested_at <= until
    ]
    found.sort(key=lambda pair: pair[0].requested_at or since, reverse=True)
    return found[:MAX_REQUESTS]
