"""Reporting and follower endpoints of the aggregator."""

from __future__ import annotations

import time
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlalchemy.orm import Session, sessionmaker

from services.aggregator.follower import Follower
from services.aggregator.reports.coverage import model_coverage
from services.aggregator.reports.models import ModelQuery, model_report
from services.aggregator.schemas import (
    FieldFilter,
    From,
    GroupBy,
    LevelFilter,
    SectorFilter,
    Structure,
    To,
    UnitFilter,
    YearFilter,
)
from shared.application import today_in_vietnam
from shared.auth import require_role
from shared.errors import InvalidInput, NotFound, NotReady
from shared.events import dumps
from shared.principal import Principal, Role
from shared.units import UnitCatalog

Reader = Annotated[Principal, Depends(require_role(Role.OFFICER, Role.AUDITOR, Role.ADMIN))]


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

router = APIRouter(tags=["reports"])


def json_response(body: Any) -> Response:
    return Response(dumps(body), media_type="application/json")


@router.get("/reports/models", summary="Mô hình Dân vận khéo / Dân vận khéo models")
def models_report(
    sessions: Sessions,
    catalog: Catalog,
    reader: Reader,
    group_by: GroupBy = None,
    start: From = None,
    end: To = None,
    structure: Structure = "recorded",
    level: LevelFilter = None,
    unit: UnitFilter = None,
    province: UnitFilter = None,
    district: UnitFilter = None,
    field: FieldFilter = None,
    sector: SectorFilter = None,
    model_year: YearFilter = None,
) -> Response:
    if start and end and start > end:
        raise InvalidInput("period_invalid", field="from", start=start, end=end)
    filters = {
        name: str(value)
        for name, value in {
            "level": level,
            "unit": unit,
            "province": province,
            "district": district,
            "field": field,
            "sector": sector,
        }.items()
        if value is not None
    }
    if model_year is not None:
        filters["model_year"] = model_year  # type: ignore[assignment]
    groups = tuple(g.strip() for g in group_by.split(",") if g.strip()) if group_by else ()
    query = ModelQuery(groups, start, end, structure, filters)
    with sessions() as session:
        return json_response(model_report(session, query, catalog))


@router.get("/reports/models/coverage", summary="Độ phủ mô hình / model coverage of communes")
def models_coverage(
    sessions: Sessions,
    catalog: Catalog,
    reader: Reader,
    unit: Annotated[str, Query(pattern=r"^\d{2,3}$", description="province or district code")],
    on: Annotated[date | None, Query(description="the day; default today")] = None,
    structure: Structure = "recorded",
) -> Response:
    with sessions() as session:
        return json_response(
            model_coverage(session, catalog, unit, on or today_in_vietnam(), structure)
        )


@router.get("/followers", tags=["followers"], summary="Tiến độ theo dõi / follower progress")
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


@router.get("/followers/wait", tags=["followers"], summary="Chờ cập nhật / wait until caught up")
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
        target = int(raw) if raw.isdigit() else follower.head()
        while follower.position()[1] < target:
            if time.monotonic() >= deadline:
                raise NotReady("wait_timeout", upstream=name, position=target)
            follower.wait_for(target, min(0.5, max(0.0, deadline - time.monotonic())))
    return followers_status(followers, reader)
