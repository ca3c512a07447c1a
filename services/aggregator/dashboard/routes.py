"""The dashboard's pages under /dashboard: the overview, one page per area, overdue kiến nghị.

Every page reads its view from the URL, authenticates the reader (the session opened at login,
or an Authorization header) and asks the report engine in the reader's scope."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session, sessionmaker

from services.aggregator.dashboard.access import PUBLIC_PAGES, DashboardRoute, Reader
from services.aggregator.dashboard.areas import AREAS, area_sections
from services.aggregator.dashboard.overdue import by_agency, html_items, items_table, overdue_items
from services.aggregator.dashboard.overview import build_overview
from services.aggregator.dashboard.pages import (
    SECURITY_HEADERS,
    error_page,
    frame,
    render,
)
from services.aggregator.dashboard.reports import Reports
from services.aggregator.dashboard.search import search_page
from services.aggregator.dashboard.units import UnitRows
from services.aggregator.dashboard.view import View, opening, read_view
from services.aggregator.rendering.files import CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE, to_csv, to_xlsx
from services.aggregator.rendering.table import Table
from shared.errors import DanvanError
from shared.principal import Principal
from shared.units import UnitCatalog

router = APIRouter(
    prefix="/dashboard", tags=["dashboard"], include_in_schema=False, route_class=DashboardRoute
)
root = APIRouter(dependencies=PUBLIC_PAGES)
Build = Callable[[Reports, UnitRows], dict[str, Any]]


def show(
    request: Request,
    reader: Principal,
    page: str,
    template: str,
    build: Build,
    respond: Callable[[dict[str, Any]], Response] | None = None,
) -> Response:
    """Builds a page's context for the view the URL asks; renders the template with it, or
    answers respond(context) (a file of the same figures)."""
    catalog: UnitCatalog = request.app.state.catalog
    sessions: sessionmaker[Session] = request.app.state.sessions
    try:
        view = read_view(request, catalog, reader)
        reports = Reports(sessions, catalog, view, reader)
        if view.period_text is None:  # opens on the latest year with records
            asked = "structure" in request.query_params
            target = opening(view, page, reports.latest_year(), catalog, asked)
            return RedirectResponse(target, 303)
        context = build(reports, UnitRows(view, catalog, page))
    except DanvanError as exc:
        return error_page(request, exc.status, exc=exc, reader=reader)
    if respond is not None:
        return respond(context)
    return render(request, template, frame(request, view, reader, catalog, page) | context)


@root.get("/", include_in_schema=False)
def home() -> Response:
    """The aggregator's address in a browser opens the dashboard."""
    return RedirectResponse("/dashboard", 307)


@router.get("", summary="Tổng quan / overview")
def overview(request: Request, reader: Reader) -> Response:
    return show(
        request, reader, "", "overview.html", lambda r, u: {"overview": build_overview(r, u)}
    )


@router.get("/kien-nghi/overdue", summary="Kiến nghị quá hạn / overdue kiến nghị")
def overdue(request: Request, reader: Reader) -> Response:
    """The page; with format=csv or xlsx, the overdue items as a file."""
    wanted = request.query_params.get("format")

    def build(reports: Reports, units: UnitRows) -> dict[str, Any]:
        items = items_table(overdue_items(reports), reports, units.catalog)
        return {
            "agency": by_agency(reports),
            "items": html_items(items, reports.view.lang),
            "file": items,
            "view": reports.view,
        }

    def respond(context: dict[str, Any]) -> Response:
        return download(context["file"], context["view"], wanted or "csv")

    page = "kien-nghi/overdue"
    return show(
        request, reader, page, "overdue.html", build, respond if wanted in FORMATS else None
    )


FORMATS = ("csv", "xlsx")


def download(table: Table, view: View, fmt: str) -> Response:
    if fmt == "csv":
        content, media_type = to_csv(table, None), CSV_MEDIA_TYPE
    else:
        content, media_type = to_xlsx(table, view.lang), XLSX_MEDIA_TYPE
    name = f"kien_nghi_overdue_{view.unit.code}.{fmt}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"', **SECURITY_HEADERS}
    return Response(content, media_type=media_type, headers=headers)


@router.get("/search", summary="Tìm kiếm / search")
def search(request: Request, reader: Reader) -> Response:
    return search_page(request, reader)


@router.get("/{slug}", summary="Một lĩnh vực / one area")
def area(request: Request, reader: Reader, slug: str) -> Response:
    chosen = AREAS.get(slug)
    if chosen is None:
        return error_page(request, 404, "not_found", reader=reader)
    return show(
        request,
        reader,
        slug,
        "area.html",
        lambda r, u: {"area": chosen, "sections": area_sections(r, u, chosen)},
    )
