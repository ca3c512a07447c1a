"""Reporting and follower endpoints of the aggregator."""

from __future__ import annotations

import re
import time
from dataclasses import replace
from datetime import date
from typing import Annotated, Any

import httpx
from fastapi import APIRouter, Depends, Query, Request, Response
from sqlalchemy.orm import Session, sessionmaker

from services.aggregator.documents import FollowerProgress, KienNghiPage, ModelCoverage
from services.aggregator.follower import Follower
from services.aggregator.listing import KienNghiFilter, list_kien_nghi
from services.aggregator.openapi_responses import (
    BAD_QUERY,
    WAIT_RESPONSES,
    list_responses,
    report_responses,
)
from services.aggregator.rendering import OutputParams, render
from services.aggregator.report_documents import (
    AWARDS_REPORT,
    DIALOGUES_REPORT,
    INSPECTION_CHAIN_REPORT,
    KIEN_NGHI_REPORT,
    MODELS_REPORT,
    SUPERVISIONS_REPORT,
)
from services.aggregator.reports.coverage import model_coverage
from services.aggregator.reports.engine import ReportQuery, Source, compare, run_report
from services.aggregator.reports.sources import (
    AWARDS,
    DIALOGUES,
    KIEN_NGHI,
    MODELS,
    SUPERVISIONS,
)
from services.aggregator.schemas import AsOf, ReportParams, Structure, parse_as_of
from services.registry.vocabulary import ModelField
from shared import policy
from shared.errors import InvalidInput, NotFound, NotReady, Unavailable
from shared.events import dumps
from shared.input_types import BIGINT_MAX, IsoDate, PlainText, is_plain_text
from shared.periods import Period, parse_period
from shared.policy import READ, allow, scope_of
from shared.principal import Principal
from shared.units import UnitCatalog
from shared.vietnam_time import day_in_vietnam

Reader = Annotated[Principal, Depends(allow(READ))]


def get_sessions(request: Request) -> sessionmaker[Session]:
    sessions: sessionmaker[Session] = request.app.state.sessions
    return sessions


def get_catalog(request: Request) -> UnitCatalog:
    catalog: UnitCatalog = request.app.state.catalog
    return catalog


def get_followers(request: Request) -> dict[str, Follower]:
    followers: dict[str, Follower] = request.app.state.followers
    return followers


Sessions = Annotated[sessionmaker[Session], Depends(get_sessions)]
Catalog = Annotated[UnitCatalog, Depends(get_catalog)]
Followers = Annotated[dict[str, Follower], Depends(get_followers)]
Params = Annotated[ReportParams, Depends()]
Output = Annotated[OutputParams, Depends()]

router = APIRouter(tags=["reports"])
POSITION = re.compile(r"[0-9]{1,19}")  # a BIGINT has 19 digits at most

RESERVED = {
    "group_by",
    "from",
    "to",
    "period",
    "compare",
    "structure",
    "as_of",
    "lang",
    "format",
    "locale",
}


def report_query(request: Request, params: ReportParams) -> ReportQuery:
    if params.period and (params.start or params.end):
        raise InvalidInput("period_twice", field="period")
    period: Period | None = parse_period(params.period) if params.period else None
    if params.start or params.end:
        start, end = params.start or date(1900, 1, 1), params.end or date(2999, 12, 31)
        if start > end:
            raise InvalidInput("period_invalid", field="from", start=start, end=end)
        period = Period(start, end, f"{start}..{end}")
    groups = tuple(g.strip() for g in (params.group_by or "").split(",") if g.strip())
    filters = checked_filters(request)
    as_of = parse_as_of(params.as_of)
    return ReportQuery(
        groups,
        period,
        params.structure,
        filters,
        day_in_vietnam(as_of),
        scope_of(request.state.principal),
        as_of,
    )


def checked_filters(request: Request) -> dict[str, str]:
    """The dimension filters of a report's query string (any parameter not reserved), each
    plain text and, if a number, one the database can compare (a BIGINT)."""
    filters = {k: v for k, v in request.query_params.items() if k not in RESERVED}
    for name, value in filters.items():
        if not (is_plain_text(name) and is_plain_text(value)):
            raise InvalidInput("invalid_input", field=name)
        try:
            number = int(value)
        except ValueError:
            continue
        if abs(number) > BIGINT_MAX:
            raise InvalidInput("number_out_of_range", field=name, value=value, max=BIGINT_MAX)
    return filters


def answer(
    request: Request, params: ReportParams, source: Source, sessions: Sessions, catalog: Catalog
) -> dict[str, Any]:
    query = report_query(request, params)
    with sessions() as session:
        if params.compare:
            against = parse_period(params.compare, field="compare")
            return compare(session, source, query, against, catalog)
        return run_report(session, source, query, catalog)


AS_OF_REFUSED = BAD_QUERY + "; as_of= not a moment or in the future"
REPORT_HELP = (
    "group_by: comma-separated dimensions; any dimension name as a query parameter filters "
    "on it (e.g. province=01&kind=periodic); period= or from=/to=; compare= another period; "
    "as_of= a moment: the figures as recorded then; "
    "format=json|csv|xlsx; locale=vi|en writes the figures for that locale."
)


@router.get(
    "/reports/models",
    responses=report_responses(MODELS_REPORT),
    summary="Mô hình Dân vận khéo / Dân vận khéo models",
    description=REPORT_HELP + " Dimensions: level, unit, province, district, field, "
    "sector, model_year, year, quarter, month.",
)
def models_report(
    request: Request,
    params: Params,
    output: Output,
    sessions: Sessions,
    catalog: Catalog,
    reader: Reader,
) -> Response:
    return render(request, answer(request, params, MODELS, sessions, catalog), output)


@router.get(
    "/reports/dialogues",
    responses=report_responses(DIALOGUES_REPORT),
    summary="Hội nghị đối thoại / dialogue conferences",
    description=REPORT_HELP + " Dimensions: level, unit, province, district, kind, "
    "host_body, year, quarter, month.",
)
def dialogues_report(
    request: Request,
    params: Params,
    output: Output,
    sessions: Sessions,
    catalog: Catalog,
    reader: Reader,
) -> Response:
    return render(request, answer(request, params, DIALOGUES, sessions, catalog), output)


@router.get(
    "/reports/supervisions",
    responses=report_responses(SUPERVISIONS_REPORT),
    summary="Giám sát, phản biện xã hội / supervision and social criticism",
    description=REPORT_HELP + " Dimensions: level, unit, province, district, kind "
    "(supervision, social_criticism, inspection_case), body, year, quarter, month.",
)
def supervisions_report(
    request: Request,
    params: Params,
    output: Output,
    sessions: Sessions,
    catalog: Catalog,
    reader: Reader,
) -> Response:
    return render(request, answer(request, params, SUPERVISIONS, sessions, catalog), output)


@router.get(
    "/reports/inspection-chain",
    responses=report_responses(INSPECTION_CHAIN_REPORT),
    summary="Thanh tra nhân dân / People's Inspection cases: supervised → violation "
    "signs → recommended → resolved",
)
def inspection_chain(
    request: Request,
    params: Params,
    output: Output,
    sessions: Sessions,
    catalog: Catalog,
    reader: Reader,
) -> Response:
    query = report_query(request, params)
    query = replace(query, filters={**query.filters, "kind": "inspection_case"})
    with sessions() as session:
        report = run_report(session, SUPERVISIONS, query, catalog)
    chain = ("activities", "with_violation_signs", "recommended", "resolved")

    def links(metrics: dict[str, Any]) -> dict[str, Any]:
        return {"cases": metrics["activities"], **{k: metrics[k] for k in chain[1:]}}

    report["report"] = "inspection_chain"
    report["rows"] = [
        {**{k: v for k, v in row.items() if k not in report["total"]}, **links(row)}
        for row in report["rows"]
    ]
    report["total"] = links(report["total"])
    return render(request, report, output)


@router.get(
    "/reports/kien-nghi",
    responses=report_responses(KIEN_NGHI_REPORT),
    summary="Kiến nghị: tiếp nhận, giải quyết / received, resolved",
    description=REPORT_HELP + " Counts the kiến nghị received in the period and what "
    "became of them. Dimensions: level, unit, province, district, category, agency, "
    "source, status, year, quarter, month.",
)
def kien_nghi_report(
    request: Request,
    params: Params,
    output: Output,
    sessions: Sessions,
    catalog: Catalog,
    reader: Reader,
) -> Response:
    return render(request, answer(request, params, KIEN_NGHI, sessions, catalog), output)


@router.get(
    "/reports/awards",
    responses=report_responses(AWARDS_REPORT),
    summary="Khen thưởng / awards and medals",
    description=REPORT_HELP + " Dimensions: level, unit, province, district, award, "
    "recipient_kind, conferred_by, year, quarter, month.",
)
def awards_report(
    request: Request,
    params: Params,
    output: Output,
    sessions: Sessions,
    catalog: Catalog,
    reader: Reader,
) -> Response:
    return render(request, answer(request, params, AWARDS, sessions, catalog), output)


@router.get(
    "/reports/models/coverage",
    summary="Độ phủ mô hình / model coverage of communes",
    responses=report_responses(ModelCoverage, scoped_unit=True),
)
def models_coverage(
    request: Request,
    output: Output,
    sessions: Sessions,
    catalog: Catalog,
    reader: Reader,
    unit: Annotated[str, Query(pattern=r"^\d{2,3}$", description="province or district code")],
    on: Annotated[
        IsoDate | None, Query(description="the day; default today (with as_of: that day)")
    ] = None,
    structure: Structure = "recorded",
    field: Annotated[
        list[ModelField] | None, Query(description="count only models in one of these fields")
    ] = None,
    as_of: AsOf = None,
) -> Response:
    fields = [str(f) for f in field] if field else None
    moment = parse_as_of(as_of)
    day = on or day_in_vietnam(moment)
    parent = catalog.get("2025", unit) if structure == "2025" else catalog.find(unit, day)
    if parent is not None:
        policy.require_may_read_unit(reader, parent, catalog, field="unit")
    with sessions() as session:
        report = model_coverage(session, catalog, unit, day, structure, fields, moment)
    return render(request, report, output)


@router.get(
    "/kien-nghi",
    tags=["kien-nghi"],
    summary="Danh sách kiến nghị / kiến nghị one by one (no personal data in clear)",
    responses=list_responses(KienNghiPage, AS_OF_REFUSED),
)
def kien_nghi_list(
    sessions: Sessions,
    reader: Reader,
    ids: Annotated[list[PlainText] | None, Query(alias="id", max_length=1000)] = None,
    category: Annotated[PlainText | None, Query(max_length=32)] = None,
    received_from: IsoDate | None = None,
    received_to: IsoDate | None = None,
    state: Annotated[str | None, Query(pattern=r"^[a-z_]{1,16}$")] = None,
    citizen: Annotated[PlainText | None, Query(max_length=64)] = None,
    province: Annotated[str | None, Query(pattern=r"^\d{2}$")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 1000,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    due_before: Annotated[
        IsoDate | None,
        Query(description="due (the assignment's day, else the rules') before this day"),
    ] = None,
    as_of: AsOf = None,
) -> Response:
    wanted = KienNghiFilter(
        tuple(ids or ()), category, received_from, received_to, state, citizen, province, limit
    )
    wanted = replace(
        wanted,
        scope=scope_of(reader),
        as_of=parse_as_of(as_of),
        offset=offset,
        due_before=due_before,
    )
    with sessions() as session:
        items = list_kien_nghi(session, wanted)
    return Response(dumps({"items": items}), media_type="application/json")


@router.get(
    "/followers",
    tags=["followers"],
    summary="Tiến độ theo dõi / follower progress",
    response_model=list[FollowerProgress],
)
def followers_status(followers: Followers, reader: Reader) -> list[dict[str, Any]]:
    result = []
    for name, follower in followers.items():
        store_id, position = follower.position()
        result.append(
            {
                "upstream": name,
                "store_id": store_id,
                "position": position,
                "last_error": follower.status.last_error,
            }
        )
    return result


def upstream_position(name: str, raw: str) -> int:
    """A position to wait for: ASCII digits, no more than a feed's BIGINT positions."""
    if not POSITION.fullmatch(raw):
        raise InvalidInput("invalid_input", field=name)
    if int(raw) > BIGINT_MAX:
        raise InvalidInput("number_out_of_range", field=name, value=raw, max=BIGINT_MAX)
    return int(raw)


def upstream_head(name: str, follower: Follower) -> int:
    try:
        return follower.head()
    except httpx.HTTPError as exc:
        raise Unavailable("upstream_unavailable", upstream=name) from exc


@router.get(
    "/followers/wait",
    tags=["followers"],
    summary="Chờ cập nhật / wait until caught up",
    response_model=list[FollowerProgress],
    responses=WAIT_RESPONSES,
)
def wait_for_upstreams(
    request: Request,
    followers: Followers,
    reader: Reader,
    timeout: Annotated[float, Query(ge=0, le=60)] = 10,
) -> list[dict[str, Any]]:
    """Returns once every upstream named in the query (?registry=123) has been applied up to
    that position; an upstream named without a position waits for its current head."""
    deadline = time.monotonic() + timeout
    for name, raw in request.query_params.items():
        if name == "timeout":
            continue
        follower = followers.get(name)
        if follower is None:
            raise NotFound("not_found")
        target = upstream_position(name, raw) if raw else upstream_head(name, follower)
        while follower.position()[1] < target:
            if time.monotonic() >= deadline:
                raise NotReady("wait_timeout", upstream=name, position=target)
            follower.wait_for(target, min(0.5, max(0.0, deadline - time.monotonic())))
    return followers_status(followers, reader)
