"""The kiến nghị handling reports: the figures, the agencies' league table, the records behind
each figure (docs/kien-nghi-handling.md says what on time means)."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy.orm import Session, sessionmaker

from services.aggregator.api import REPORT_HELP, Catalog, Output, Params, Reader, Sessions
from services.aggregator.api import report_query as common_query
from services.aggregator.handling_documents import (
    AGENCIES_REPORT,
    HANDLING_REPORT,
    Figure,
    HandlingRecords,
)
from services.aggregator.openapi_responses import list_responses, report_responses
from services.aggregator.rendering import OutputParams, render
from services.aggregator.reports.engine import ReportQuery, Source
from services.aggregator.reports.handling import AGENCIES, HANDLING
from services.aggregator.reports.handling_answers import handled
from services.aggregator.reports.handling_records import figure_records
from services.aggregator.schemas import ReportParams
from shared.events import dumps
from shared.units import UnitCatalog

router = APIRouter(tags=["reports"])
OWN_PARAMETERS = ("figure", "limit")
HANDLING_HELP = (
    REPORT_HELP + " Counts the kiến nghị received in the period, a merged duplicate under its "
    "master, judged as docs/kien-nghi-handling.md says: on time by the due day before any "
    "extension, late with an approved extension by the extended one, else late; open and "
    "overdue on the period's last day (or today, if sooner); working days by Vietnam's "
    "calendar. Dimensions: level, unit, province, district, category, agency, source, "
    "priority, year, quarter, month."
)


def report_query(request: Request, params: ReportParams) -> ReportQuery:
    query = common_query(request, params)
    filters = {k: v for k, v in query.filters.items() if k not in OWN_PARAMETERS}
    return replace(query, filters=filters)


def answer(
    source: Source,
    request: Request,
    params: ReportParams,
    output: OutputParams,
    sessions: sessionmaker[Session],
    catalog: UnitCatalog,
) -> Response:
    """The handling report or the league table the request asks for, as JSON or a file."""
    query = report_query(request, params)
    asked = dict(request.query_params)
    with sessions() as session:
        report = handled(session, source, query, params.compare, catalog, asked)
    return render(request, report, output)


@router.get(
    "/reports/kien-nghi-handling",
    responses=report_responses(HANDLING_REPORT),
    summary="Kết quả giải quyết kiến nghị / how kiến nghị were handled: on time, late with an "
    "extension, late, overdue, days to resolve",
    description=HANDLING_HELP,
)
def handling(
    request: Request,
    params: Params,
    output: Output,
    sessions: Sessions,
    catalog: Catalog,
    reader: Reader,
) -> Response:
    return answer(HANDLING, request, params, output, sessions, catalog)


@router.get(
    "/reports/kien-nghi-handling/agencies",
    responses=report_responses(AGENCIES_REPORT),
    summary="Xếp hạng cơ quan theo tỷ lệ đúng hạn / agencies ranked by on-time rate",
    description=HANDLING_HELP + " Ranked by on-time rate, then by how many were closed, then "
    "by name; each row links every figure to the kiến nghị behind it.",
)
def agencies(
    request: Request,
    params: Params,
    output: Output,
    sessions: Sessions,
    catalog: Catalog,
    reader: Reader,
) -> Response:
    return answer(AGENCIES, request, params, output, sessions, catalog)


@router.get(
    "/reports/kien-nghi-handling/records",
    responses=list_responses(HandlingRecords),
    summary="Kiến nghị làm nên một con số / the kiến nghị behind a figure, with the positions "
    "of the events that decided each",
    description="The same period, filters and as_of as the report; figure= one of its figures "
    "(a rate lists those it is a share of, a median or average those it is taken over).",
)
def records(
    request: Request,
    params: Params,
    sessions: Sessions,
    reader: Reader,
    figure: Figure,
    limit: Annotated[int, Query(ge=1, le=1000)] = 1000,
) -> Response:
    query = report_query(request, params)
    with sessions() as session:
        found: dict[str, Any] = figure_records(session, query, figure, limit)
    return Response(dumps(found), media_type="application/json")
