"""The report files a page links to (CSV, Excel, JSON), under /dashboard/reports/…: the report
API's own answers, for the dashboard's reader (its session), since the API accepts no cookie.
The same parameters, the same scope, the same engine in process."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from services.aggregator.api import Catalog, Output, Params, Sessions, answer
from services.aggregator.dashboard.access import DashboardRoute, Reader
from services.aggregator.dashboard.reports import API_PATHS
from services.aggregator.handling_api import answer as handling_answer
from services.aggregator.rendering import render
from services.aggregator.reports.engine import Source
from services.aggregator.reports.handling import AGENCIES, HANDLING
from services.aggregator.reports.sources import DIALOGUES, KIEN_NGHI, MODELS, SUPERVISIONS

PREFIX = "/dashboard"
router = APIRouter(
    prefix=PREFIX, tags=["dashboard"], include_in_schema=False, route_class=DashboardRoute
)


def _route(source: Source) -> None:
    @router.get(API_PATHS[source.name], name=f"dashboard_{source.name}_report")
    def report(
        request: Request,
        reader: Reader,
        params: Params,
        output: Output,
        sessions: Sessions,
        catalog: Catalog,
    ) -> Response:
        request.state.principal = reader  # the report's scope is the reader's
        if source in HANDLED:
            response = handling_answer(source, request, params, output, sessions, catalog)
        else:
            response = render(request, answer(request, params, source, sessions, catalog), output)
        response.headers["Cache-Control"] = "no-store"  # scoped figures
        return response


HANDLED = (HANDLING, AGENCIES)
for _source in (MODELS, DIALOGUES, SUPERVISIONS, KIEN_NGHI, *HANDLED):
    _route(_source)
