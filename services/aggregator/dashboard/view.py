"""What a dashboard page shows, read from its URL: the unit, structure, period, comparison,
granularity, language and moment. Every link a page draws is built from the same state, so a
view can be shared by its URL."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from starlette.requests import Request

from services.aggregator.schemas import parse_as_of
from shared import policy
from shared.errors import Forbidden, InvalidInput, NotFound
from shared.periods import TERMS, Period, parse_period
from shared.principal import Principal, Role
from shared.units import REFORM_START, Level, Structure, Unit, UnitCatalog

DEFAULT_PROVINCE = "01"  # Hà Nội: the scenario `danvan up` loads
ALL = "all"  # period: all time; compare: none
GRANULARITIES = ("year", "quarter", "month")
UNIT_PARAMS = {Level.PROVINCE: "province", Level.DISTRICT: "district", Level.COMMUNE: "unit"}


@dataclass(frozen=True)
class View:
    unit: Unit
    structure: str  # recorded | 2025
    period_text: str | None  # None: not given (the page picks the latest year with data)
    compare_text: str | None  # given in the URL; None: the previous period
    by_text: str | None
    lang: str
    as_of_text: str | None = None

    @property
    def period(self) -> Period | None:
        if self.period_text in (None, ALL):
            return None
        return parse_period(self.period_text)

    @property
    def compare(self) -> Period | None:
        text = self.compare_api
        return parse_period(text, field="compare") if text else None

    @property
    def compare_api(self) -> str | None:
        """The comparison period as the report API writes it; None: none."""
        if self.compare_text == ALL or self.period is None:
            return None
        return self.compare_text or previous_period(self.period_text or "", self.period)

    @property
    def by(self) -> str:
        if self.by_text in GRANULARITIES:
            return self.by_text
        period = self.period
        days = (period.end - period.start).days if period else 10_000
        return "month" if days <= 400 else "quarter" if days <= 1100 else "year"

    @property
    def as_of(self) -> datetime | None:
        return parse_as_of(self.as_of_text)

    @property
    def filters(self) -> dict[str, str]:
        """The report filter naming the unit: province=, district= or unit=."""
        return {UNIT_PARAMS[self.unit.level]: self.unit.code}

    @property
    def child_dimension(self) -> str | None:
        """The report dimension one level down: districts of a province (as recorded), else
        communes; None under a commune."""
        if self.unit.level is Level.COMMUNE:
            return None
        if self.unit.level is Level.PROVINCE and self.structure == "recorded":
            return "district"
        return "unit"

    def params(self, **changes: str | None) -> dict[str, str]:
        """The URL parameters of this view with changes (None drops one)."""
        values: dict[str, str | None] = {
            **dict.fromkeys(UNIT_PARAMS.values()),
            **self.filters,
            "structure": "2025" if self.structure == "2025" else None,
            "period": self.period_text,
            "compare": self.compare_text,
            "by": self.by_text,
            "as_of": self.as_of_text,
            "lang": "en" if self.lang == "en" else None,
            **changes,
        }
        return {k: v for k, v in values.items() if v is not None}

    def link(self, page: str = "", **changes: str | None) -> str:
        path = "/dashboard" + (f"/{page}" if page else "")
        return f"{path}?{urlencode(self.params(**changes))}"

    def unit_link(self, unit: Unit, page: str = "") -> str:
        """The same page for another unit (of either structure)."""
        changes: dict[str, str | None] = dict.fromkeys(UNIT_PARAMS.values())
        changes[UNIT_PARAMS[unit.level]] = unit.code
        changes["structure"] = "2025" if unit.structure is Structure.V2025 else None
        return self.link(page, **changes)


def opening(
    view: View, page: str, year: int | None, catalog: UnitCatalog, structure_asked: bool
) -> str:
    """Where a page asked without a period opens: on the latest year with records (else all
    time); a year wholly after the 2025 reform on the 2025 unit the view's became (its records
    name no district: by the old units they would all stand under the province itself), unless
    the URL asked for a structure."""
    if year is None:
        return view.link(page, period=ALL)
    successor = catalog.in_2025(view.unit) if view.unit.structure is Structure.LEGACY else None
    if successor is not None and not structure_asked and date(year, 1, 1) >= REFORM_START:
        return replace(view, period_text=str(year)).unit_link(successor, page)
    return view.link(page, period=str(year))


def previous_period(text: str, period: Period) -> str:
    """The period just before, in the same form: 2022 for 2023, 2023-Q1 for 2023-Q2, the
    previous term (or the same half of it) for a term; else the days just before, as many."""
    label = period.label
    if label.isdigit():
        return str(int(label) - 1)
    if "-Q" in label:
        year, quarter = int(label[:4]), int(label[-1])
        return f"{year - 1}-Q4" if quarter == 1 else f"{year}-Q{quarter - 1}"
    if len(label) == 7 and label[4] == "-":
        year, month = int(label[:4]), int(label[5:])
        return f"{year - 1}-12" if month == 1 else f"{year}-{month - 1:02d}"
    if text.lower().startswith("term:"):
        name, _, half = text[5:].partition("/")
        earlier = [k for k, t in TERMS.items() if t.end < TERMS[name].start]
        if earlier:
            return f"term:{max(earlier)}" + (f"/{half}" if half else "")
    days = (period.end - period.start).days + 1
    end = period.start - timedelta(days=1)
    return f"{end - timedelta(days=days - 1)}..{end}"


def read_view(request: Request, catalog: UnitCatalog, reader: Principal) -> View:
    """The view a request asks for; 422 for a malformed parameter, 404 for an unknown unit,
    403 for a unit outside an officer's scope."""
    query = request.query_params
    lang = "en" if query.get("lang") == "en" else "vi"
    structure = query.get("structure") or "recorded"
    if structure not in ("recorded", "2025"):
        raise InvalidInput("invalid_input", field="structure", value=structure)
    given = [(p, query[p]) for p in ("unit", "district", "province") if query.get(p)]
    unit = find_unit(catalog, structure, *given[0]) if given else home_unit(catalog, reader)
    if unit is None:
        raise NotFound("unit_unknown", field=given[0][0], unit_code=given[0][1])
    if not given and unit.structure is Structure.V2025:
        structure = "2025"
    if not may_view(reader, unit, catalog):
        raise Forbidden("forbidden_unit", field="unit", unit_code=unit.code)
    view = View(
        unit,
        structure,
        query.get("period") or None,
        query.get("compare") or None,
        query.get("by") or None,
        lang,
        query.get("as_of") or None,
    )
    _ = view.period, view.compare, view.as_of  # malformed: InvalidInput now, not mid-page
    return view


def find_unit(catalog: UnitCatalog, structure: str, param: str, code: str) -> Unit | None:
    levels = {v: k for k, v in UNIT_PARAMS.items()}
    unit = catalog.get(Structure.V2025 if structure == "2025" else Structure.LEGACY, code)
    if unit is None or unit.level is not levels[param]:
        return None
    return unit


def home_unit(catalog: UnitCatalog, reader: Principal) -> Unit | None:
    """An officer's own (first) unit; anyone else's: Hà Nội."""
    code = reader.units[0] if reader.role is Role.OFFICER and reader.units else DEFAULT_PROVINCE
    return catalog.get(Structure.LEGACY, code) or catalog.get(Structure.V2025, code)


def may_view(reader: Principal, unit: Unit, catalog: UnitCatalog) -> bool:
    """An officer views its units and those under them, and the 2025 unit its units roll up
    onto (whose figures the report engine then limits to the officer's own records); auditors
    and administrators view everything."""
    if policy.may_read(reader, unit, catalog):
        return True
    own = [
        catalog.get(Structure.LEGACY, c) or catalog.get(Structure.V2025, c) for c in reader.units
    ]
    return any(u is not None and catalog.in_2025(u) == unit for u in own)
