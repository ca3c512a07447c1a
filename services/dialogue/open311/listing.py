"""GET requests: the arguments, checked, as filters on the read side's list of kiến nghị."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from services.dialogue.open311.catalogue import checked_service
from services.dialogue.open311.forms import jurisdiction
from services.dialogue.open311.views import Recorded, date_range
from services.dialogue.read_side import ReadSideClient, list_service_requests
from shared.errors import InvalidInput
from shared.units import UnitCatalog
from shared.vietnam_time import VIETNAM

MAX_REQUESTS = 1000  # the specification's: at most 1000 requests an answer
MAX_PAGE = 1000


@dataclass(frozen=True)
class Wanted:
    """The arguments as sent: comma-separated lists and W3C datetimes; a page of them."""

    service_request_id: str | None = None
    service_code: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    status: str | None = None
    jurisdiction_id: str | None = None
    page: int = 1
    page_size: int = MAX_REQUESTS


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
    """One page of kiến nghị, newest first, each with its sealed personal data.

    Ids, when given, override every other argument (as the specification says). Otherwise
    the range of requested_datetime is at most 90 days (the last 90 by default). A page holds
    page_size requests (1 to 1000, 1000 by default: the specification's answer), page counts
    from 1 (to 1000).
    """
    page = {"limit": wanted.page_size, "offset": (wanted.page - 1) * wanted.page_size}
    ids = _split(wanted.service_request_id)
    if ids:
        if len(ids) > MAX_REQUESTS:
            raise InvalidInput("open311_too_many_ids", field="service_request_id", max=MAX_REQUESTS)
        items = list_service_requests(read_side, id=ids, **page)
    else:
        jurisdiction(catalog, wanted.jurisdiction_id)
        codes = [checked_service(code) for code in _split(wanted.service_code)]
        since, until = date_range(wanted.start_date, wanted.end_date, datetime.now(VIETNAM))
        items = list_service_requests(
            read_side,
            category=codes,
            requested_from=since,
            requested_to=until,
            state=_state(wanted.status),
            province=wanted.jurisdiction_id,
            **page,
        )
    return [(Recorded.of_item(item), item.get("personal")) for item in items]
