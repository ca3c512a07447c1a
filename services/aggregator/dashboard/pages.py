"""What every page shares: the templates, the frame around a page (navigation, the unit's
breadcrumbs, filters, language and structure switches, who is signed in), security headers and
the error page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import plotly
from fastapi import Request, Response
from fastapi.templating import Jinja2Templates

from services.aggregator.dashboard.areas import AREAS
from services.aggregator.dashboard.record_kinds import KINDS
from services.aggregator.dashboard.text import period_label, ui
from services.aggregator.dashboard.view import ALL, UNIT_PARAMS, View, home_unit, may_view
from services.aggregator.rendering.codes import REPORT_STRUCTURES
from services.aggregator.rendering.labels import COMMON_DIMENSIONS, pick, word
from shared.api_errors import record_if_refused
from shared.errors import DanvanError
from shared.messages import message
from shared.periods import TERMS
from shared.principal import Principal, Role
from shared.units import Structure, UnitCatalog
from shared.vietnam_time import today_in_vietnam

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")
PLOTLY_JS = f"/dashboard/static/plotly-{plotly.__version__}.min.js"
SECURITY_HEADERS = {
    # plotly.js adds its own <style> elements; nothing runs but our two scripts
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; frame-ancestors 'none'; "
    "form-action 'self'; base-uri 'none'; object-src 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
PAGE_HEADERS = {**SECURITY_HEADERS, "Cache-Control": "no-store"}  # scoped figures


def render(request: Request, template: str, context: dict[str, Any], status: int = 200) -> Response:
    return templates.TemplateResponse(
        request, template, context, status_code=status, headers=PAGE_HEADERS
    )


def words(lang: str) -> dict[str, Any]:
    def t(key: str, **params: object) -> str:
        return ui(key, lang, **params)

    suffix = "?lang=en" if lang == "en" else ""
    new_records = [(f"/dashboard/{k.slug}/new{suffix}", pick(k.title, lang)) for k in KINDS]
    return {"lang": lang, "t": t, "plotly_js": PLOTLY_JS, "new_records": new_records}


def frame(
    request: Request, view: View, reader: Principal, catalog: UnitCatalog, page: str
) -> dict[str, Any]:
    lang = view.lang
    nav = [("", ui("overview", lang))] + [(a.slug, a.title(lang)) for a in AREAS.values()]
    nav.append(("kien-nghi/overdue", ui("overdue", lang)))
    nav.append(("inbox", ui("inbox", lang)))
    crumbs = [
        (u.name, view.unit_link(u, page) if may_view(reader, u, catalog) else None)
        for u in reversed(catalog.ancestors(view.unit))
    ]
    title = dict(nav)[page]
    return {
        **words(lang),
        "view": view,
        "page": page,
        "title": title,
        "nav": [(view.link(slug), label, slug == page) for slug, label in nav],
        "crumbs": [*crumbs, (view.unit.name, None)],
        "period_label": period_label(view.period_text, lang),
        "compare_label": period_label(view.compare_api, lang) if view.compare_api else None,
        "switch_structure": switch_structure(view, reader, catalog, page),
        "switch_language": view.link(page, lang=None if lang == "en" else "en"),
        "reader": describe(reader, catalog, lang),
        "form": form(view),
    }


def form(view: View) -> dict[str, Any]:
    """The filter form: its fields (the URL's parameters) and suggested periods."""
    year = today_in_vietnam().year
    periods = [str(y) for y in range(year, 2012, -1)]
    for name in sorted(TERMS, reverse=True):
        periods += [f"term:{name}", f"term:{name}/1", f"term:{name}/2"]
    lang = view.lang
    return {
        "hidden": {
            k: v
            for k, v in view.params().items()
            if k in (*UNIT_PARAMS.values(), "structure", "lang", "as_of")
        },
        "period_title": word("period", lang),
        "period": view.period_text or "",
        "compare": view.compare_text or "",
        "compare_placeholder": view.compare_api or "",
        "periods": [*periods, ALL],
        "by": view.by,
        "granularities": [
            (g, pick(COMMON_DIMENSIONS[g], lang)) for g in ("year", "quarter", "month")
        ],
        "structure_name": pick(REPORT_STRUCTURES[view.structure], lang),
        "structure_title": word("structure", lang),
    }


def switch_structure(
    view: View, reader: Principal, catalog: UnitCatalog, page: str
) -> tuple[str, str]:
    """The same page in the other structure: the 2025 unit this one rolls up onto, or back to
    the province as recorded."""
    if view.structure == "2025":
        target = catalog.get(Structure.LEGACY, view.unit.province_code)
        if target is None or not may_view(reader, target, catalog):
            target = home_unit(catalog, reader)
        label = REPORT_STRUCTURES["recorded"]
    else:
        target = catalog.in_2025(view.unit)
        if target is not None and not may_view(reader, target, catalog):
            target = catalog.get(Structure.V2025, target.province_code)
        label = REPORT_STRUCTURES["2025"]
    if target is None:
        return pick(label, view.lang), view.link(page)
    return pick(label, view.lang), view.unit_link(target, page)


def describe(reader: Principal, catalog: UnitCatalog, lang: str) -> dict[str, str]:
    if reader.role is Role.OFFICER:
        names = [
            (catalog.get(Structure.LEGACY, c) or catalog.get(Structure.V2025, c))
            for c in reader.units
        ]
        scope = ", ".join(u.name if u else c for u, c in zip(names, reader.units, strict=True))
    else:
        scope = ui("everything", lang)
    described = {"id": reader.id, "role": ui(f"role_{reader.role}", lang), "scope": scope}
    return described | ({"agency": reader.agency} if reader.agency else {})


def error_page(
    request: Request,
    status: int,
    title: str | None = None,
    text: str | None = None,
    *,
    exc: DanvanError | None = None,
    reader: Principal | None = None,
) -> Response:
    lang = "en" if request.query_params.get("lang") == "en" else "vi"
    if exc is not None:
        record_if_refused(request, exc)
    title = title or {403: "forbidden", 404: "not_found"}.get(status, "invalid")
    if exc is not None and exc.code == "unit_unknown":
        detail = ui("unit_unknown", lang, code=exc.params.get("unit_code", ""))
    elif exc is not None:
        detail = message(exc.code, lang, field=exc.field, **exc.params)
    else:
        detail = ui(text or title, lang)
    back = "/dashboard" + ("?lang=en" if lang == "en" else "")
    context = {
        **words(lang),
        "heading": ui(title, lang),
        "detail": detail,
        "back": back,
        "reader": describe(reader, request.app.state.catalog, lang) if reader else None,
    }
    return render(request, "error.html", context, status)
