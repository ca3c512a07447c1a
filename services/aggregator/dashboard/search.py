"""The search page: the search box and its filters, the hits a page at a time (each with what
it is, its status, day and unit, the words found marked, a link to its unit's page), through
the same parameters and finder as GET /search, in the reader's scope."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from fastapi import Request, Response
from pydantic import ValidationError

from services.aggregator.dashboard.access import lang_of
from services.aggregator.dashboard.areas import AREAS
from services.aggregator.dashboard.pages import describe, render, words
from services.aggregator.dashboard.tables import figure_text
from services.aggregator.dashboard.text import ui
from services.aggregator.dashboard.view import UNIT_PARAMS
from services.aggregator.rendering.codes import DIALOGUE_STATUSES, KIEN_NGHI_STATUSES, Text
from services.aggregator.rendering.labels import REPORTS, pick
from services.aggregator.search.finder import SearchPage, search
from services.aggregator.search.params import KINDS, SearchParams
from services.aggregator.search.snippets import marked
from shared.errors import DanvanError
from shared.messages import message, validation_message
from shared.policy import scope_of
from shared.principal import Principal
from shared.units import Structure, UnitCatalog

PAGE = "search"
FIELDS = ("q", "kind", "province", "unit", "from", "to", "status")
# each kind's title, and the dashboard page its unit's figures are on
KIND_TITLES: dict[str, Text] = {
    "model": REPORTS["models"].title,
    "dialogue": REPORTS["dialogues"].title,
    "supervision": REPORTS["supervisions"].title,
    "kien_nghi": REPORTS["kien_nghi"].title,
}
KIND_AREAS = {
    "model": "models",
    "dialogue": "dialogues",
    "supervision": "supervision",
    "kien_nghi": "kien-nghi",
}
STATUSES: dict[str, dict[str, Text]] = {
    "model": {
        "active": ("Đang thực hiện", "Active"),
        "discontinued": REPORTS["models"].metrics["discontinued"],
    },
    "dialogue": DIALOGUE_STATUSES,
    "supervision": {
        "open": ("Đang thực hiện", "Under way"),
        "concluded": REPORTS["supervisions"].metrics["concluded"],
    },
    "kien_nghi": KIEN_NGHI_STATUSES,
}


def search_page(request: Request, reader: Principal) -> Response:
    """The page; with q, its hits (422 and the form again for a parameter it refuses)."""
    lang = lang_of(request)
    asked = request.query_params
    context: dict[str, Any] = {
        **words(lang),
        **chrome(request, reader, lang),
        "form": {
            name: asked.getlist(name) if name == "kind" else asked.get(name, "") for name in FIELDS
        },
        "kinds": [(kind, pick(KIND_TITLES[kind], lang)) for kind in KINDS],
        "statuses": status_choices(lang),
    }
    if not asked.get("q"):
        return render(request, "search.html", context)
    catalog: UnitCatalog = request.app.state.catalog
    try:
        params = SearchParams.model_validate(
            {k: asked.getlist(k) if k == "kind" else v for k, v in asked.items() if v}
        )
        wanted = params.wanted(scope_of(reader), request.app.state.settings.search_rank_up_to)
        with request.app.state.sessions() as session:
            found = search(session, wanted, catalog)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = str(error["loc"][0]) if error["loc"] else "q"
        context["error"] = {"field": field, "text": validation_message(error, lang)}
        return render(request, "search.html", context, 422)
    except DanvanError as exc:
        text = message(exc.code, lang, field=exc.field, **exc.params)
        context["error"] = {"field": exc.field, "text": text}
        return render(request, "search.html", context, exc.status)
    context["found"] = hits(found, catalog, lang)
    count = figure_text(found.total, "count", lang)
    context["total"] = ui(
        "search_found" if found.total_exact else "search_found_more", lang, count=count
    )
    context["next"] = link(asked, cursor=found.next) if found.next else None
    context["first"] = link(asked, cursor=None) if params.cursor else None
    return render(request, "search.html", context)


def hits(found: SearchPage, catalog: UnitCatalog, lang: str) -> list[dict[str, Any]]:
    shown = []
    for hit in found.items:
        unit = hit["unit"]
        kind = hit["kind"]
        shown.append(
            {
                **hit,
                "kind_title": pick(KIND_TITLES[kind], lang),
                "status_title": pick(STATUSES[kind].get(hit["status"], (hit["status"],) * 2), lang),
                "day": day_text(hit["date"], lang),
                "title_pieces": marked(hit["title"], found.phrases),
                "snippet_pieces": marked(hit["snippet"], found.phrases),
                "unit_name": unit["name"] or unit["code"],
                "unit_link": unit_link(catalog, kind, unit, hit["date"], lang),
            }
        )
    return shown


def unit_link(
    catalog: UnitCatalog, kind: str, unit: dict[str, Any], day: date, lang: str
) -> str | None:
    """The dashboard's page of the hit's area for its unit, in the year of its day."""
    found = catalog.get(unit["structure"], unit["code"])
    if found is None:
        return None
    params = {
        UNIT_PARAMS[found.level]: found.code,
        **({"structure": "2025"} if found.structure is Structure.V2025 else {}),
        "period": str(day.year),
        **({"lang": "en"} if lang == "en" else {}),
    }
    return f"/dashboard/{KIND_AREAS[kind]}?{urlencode(params)}"


def link(asked: Any, **changes: str | None) -> str:
    values = [(k, v) for k, v in asked.multi_items() if k not in changes]
    values += [(k, v) for k, v in changes.items() if v is not None]
    return f"/dashboard/{PAGE}?{urlencode(values)}"


def status_choices(lang: str) -> list[tuple[str, str]]:
    """Every status a hit may have, named once (a name two kinds share, once)."""
    named: dict[str, str] = {}
    for statuses in STATUSES.values():
        for status, title in statuses.items():
            named.setdefault(status, pick(title, lang))
    return sorted(named.items(), key=lambda item: item[1])


def day_text(day: date, lang: str) -> str:
    return day.strftime("%d/%m/%Y") if lang == "vi" else day.isoformat()


def chrome(request: Request, reader: Principal, lang: str) -> dict[str, Any]:
    """What the page shows around its content: the areas' links, who reads, the language."""
    suffix = "?lang=en" if lang == "en" else ""
    nav = [(f"/dashboard{suffix}", ui("overview", lang), False)]
    nav += [(f"/dashboard/{a.slug}{suffix}", a.title(lang), False) for a in AREAS.values()]
    nav.append((f"/dashboard/kien-nghi/overdue{suffix}", ui("overdue", lang), False))
    switched = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    if lang == "vi":
        switched.append(("lang", "en"))
    return {
        "title": ui("search", lang),
        "nav": nav,
        "reader": describe(reader, request.app.state.catalog, lang),
        "switch_language": f"/dashboard/{PAGE}?{urlencode(switched)}",
    }
