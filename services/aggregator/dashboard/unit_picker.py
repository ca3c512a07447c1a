"""The units a work form offers: those of the structure in force on the record's date (the 2025
units from 1 July 2025 on) within the reader's scope, each unit and everything under it; for a
reader of the whole country, the provinces (any other code may still be typed: the API says
whether it names a unit). The form's first date is the record's date; until one is typed, today.
When it changes, the page asks GET /dashboard/units?on= for that day's units (work.js)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request

from services.aggregator.dashboard.access import DashboardRoute, Reader
from shared.principal import Principal, Role
from shared.units import Unit, UnitCatalog
from shared.vietnam_time import today_in_vietnam

router = APIRouter(
    prefix="/dashboard", tags=["dashboard"], include_in_schema=False, route_class=DashboardRoute
)


def _under(catalog: UnitCatalog, unit: Unit) -> list[Unit]:
    return [unit, *(u for child in catalog.children(unit) for u in _under(catalog, child))]


def unit_options(reader: Principal, catalog: UnitCatalog, on: date) -> list[tuple[str, str]]:
    """(code, "name (code)") of each unit a record of this day may name."""
    if reader.role is Role.OFFICER:
        roots = [u for code in reader.units if (u := catalog.find(code, on)) is not None]
        units = [u for root in roots for u in _under(catalog, root)]
    else:
        units = [u for u in catalog if u.parent_code is None and u.is_valid_on(on)]
    return [(u.code, f"{u.name} ({u.code})") for u in units if u.is_valid_on(on)]


def record_day(typed: str | None) -> date:
    """The day a form's typed date names; today when it names none."""
    try:
        return date.fromisoformat(typed or "")
    except ValueError:
        return today_in_vietnam()


@router.get("/units", summary="Đơn vị theo ngày / the units of a day")
def units_of_day(
    request: Request, reader: Reader, on: Annotated[str | None, Query(max_length=10)] = None
) -> list[tuple[str, str]]:
    return unit_options(reader, request.app.state.catalog, record_day(on))
