"""The inbox page: the open kiến nghị a clerk's agency (or an officer's units' desk) has to
handle, one tab per view (mine, due soon, overdue, waiting) with its count, soonest due first;
each opens its work page. Read from the read models through services.aggregator.inbox, scoped
as the API is (GET /kien-nghi/inbox)."""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request, Response

from services.aggregator.dashboard.access import DashboardRoute, Reader, lang_of
from services.aggregator.dashboard.forms import pick_text
from services.aggregator.dashboard.pages import describe, render, words
from services.aggregator.dashboard.work_text import INBOX_UI, KIEN_NGHI_STEPS_BY_ACTION
from services.aggregator.inbox import VIEWS, counts, decode_cursor, encode_cursor, inbox_for, page
from services.aggregator.rendering import codes
from shared.policy import scope_of
from shared.units import UnitCatalog
from shared.vietnam_time import today_in_vietnam

router = APIRouter(
    prefix="/dashboard", tags=["dashboard"], include_in_schema=False, route_class=DashboardRoute
)
PAGE_SIZE = 50


def _link(lang: str, **params: str | None) -> str:
    query = {k: v for k, v in params.items() if v}
    if lang == "en":
        query["lang"] = "en"
    return "/dashboard/inbox" + (f"?{urlencode(query)}" if query else "")


@router.get("/inbox", summary="Hộp việc kiến nghị / kiến nghị inbox")
def inbox_page(
    request: Request,
    reader: Reader,
    view: Literal["mine", "due_soon", "overdue", "waiting"] = "mine",
    agency: Annotated[str | None, Query(max_length=200)] = None,
    cursor: Annotated[str | None, Query(pattern=r"^[A-Za-z0-9_-]{1,200}$")] = None,
) -> Response:
    lang = lang_of(request)
    catalog: UnitCatalog = request.app.state.catalog
    today = today_in_vietnam()
    holder = agency or reader.agency
    box = inbox_for(holder, scope_of(reader), None, today, 3, request.app.state.calendar)
    after = decode_cursor(cursor) if cursor else None
    with request.app.state.sessions() as session:
        found = counts(session, box)
        items, last = page(session, box, view, PAGE_SIZE, after, request.app.state.calendar)
    rows = []
    for item in items:
        unit = catalog.get(item["unit_structure"], item["unit_code"])
        rows.append(
            {
                **item,
                "link": f"/dashboard/kien-nghi/{item['id']}" + ("?lang=en" if lang == "en" else ""),
                "unit_name": unit.name if unit else item["unit_code"],
                "status_name": pick_text(codes.KIEN_NGHI_STATUSES, item["status"], lang),
                "next_step_name": pick_text(
                    KIEN_NGHI_STEPS_BY_ACTION, item["next_step"] or "", lang
                ),
            }
        )
    context = {
        **words(lang),
        "title": pick_text(INBOX_UI, "inbox", lang),
        "u": lambda key, **params: pick_text(INBOX_UI, key, lang).format(**params),
        "reader": describe(reader, catalog, lang),
        "switch_language": _link("vi" if lang == "en" else "en", view=view, agency=agency),
        "holder": holder,
        "tabs": [
            (
                name,
                pick_text(INBOX_UI, name, lang),
                found[name],
                _link(lang, view=name, agency=agency),
            )
            for name in VIEWS
        ],
        "current": view,
        "items": rows,
        "next_page": _link(lang, view=view, agency=agency, cursor=encode_cursor(last))
        if last is not None
        else None,
    }
    return render(request, "inbox.html", context)
