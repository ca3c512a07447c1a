"""Every figure on the dashboard is a report of the engine, asked in the reader's scope, and
the same question can be put to the report API: a Call is both."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlencode

from sqlalchemy.orm import Session, sessionmaker

from services.aggregator.dashboard.view import View
from services.aggregator.reports.engine import ReportQuery, Source, compare, run_report
from services.aggregator.reports.handling import AGENCIES, HANDLING
from services.aggregator.reports.handling_answers import handled
from services.aggregator.reports.sources import DIALOGUES, KIEN_NGHI, MODELS, SUPERVISIONS
from shared.periods import parse_period
from shared.policy import scope_of
from shared.principal import Principal
from shared.units import UnitCatalog
from shared.vietnam_time import day_in_vietnam

API_PATHS = {
    MODELS.name: "/reports/models",
    DIALOGUES.name: "/reports/dialogues",
    SUPERVISIONS.name: "/reports/supervisions",
    KIEN_NGHI.name: "/reports/kien-nghi",
    HANDLING.name: "/reports/kien-nghi-handling",
    AGENCIES.name: "/reports/kien-nghi-handling/agencies",
}
SAME = "same"  # a Call's period: the view's
WORKERS = min(4, os.cpu_count() or 1)  # a page's reports side by side, each its own connection


@dataclass(frozen=True)
class Call:
    source: Source
    group_by: tuple[str, ...] = ()
    filters: dict[str, str] = field(default_factory=dict)
    period: str | None = SAME  # the API's form; None: all time
    compare: str | None = None

    def api_params(self, view: View) -> dict[str, str]:
        if self.period == SAME:
            period = view.period_text if view.period is not None else None
        else:
            period = self.period
        params = {**view.filters, **self.filters}
        params.update(
            {
                k: v
                for k, v in (
                    ("group_by", ",".join(self.group_by)),
                    ("period", period),
                    ("compare", self.compare),
                    ("structure", "2025" if view.structure == "2025" else None),
                    ("as_of", view.as_of_text),
                )
                if v
            }
        )
        return params

    def api_url(self, view: View, fmt: str = "json") -> str:
        """The report API's answer to the same question, as the dashboard serves it to its
        reader (services.aggregator.dashboard.downloads; the same parameters work on the API):
        JSON with the figures written for the page's language, or the CSV / Excel file
        (titles in that language, figures raw)."""
        params = self.api_params(view)
        if fmt == "json":
            params["locale"] = view.lang
        else:
            params["format"] = fmt
        if view.lang == "en":
            params["lang"] = "en"
        return f"/dashboard{API_PATHS[self.source.name]}?{urlencode(params)}"

    def downloads(self, view: View) -> dict[str, str]:
        return {fmt: self.api_url(view, fmt) for fmt in ("csv", "xlsx", "json")}


class Reports:
    """Runs Calls through the report engine for one reader: an officer's scope always applies,
    exactly as on the report API (shared.policy.scope_of). A page hands its calls to
    run_all, which runs them side by side, each in its own session."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        catalog: UnitCatalog,
        view: View,
        reader: Principal,
    ) -> None:
        self.sessions, self.catalog, self.view = sessions, catalog, view
        self.scope = scope_of(reader)
        self._done: dict[str, dict[str, Any]] = {}

    @property
    def today(self) -> date:
        """Today, or the as-of moment's day: when a kiến nghị counts as overdue."""
        as_of = self.view.as_of
        return day_in_vietnam(as_of)

    def query(self, call: Call) -> ReportQuery:
        view = self.view
        period = view.period if call.period == SAME else call.period
        return ReportQuery(
            call.group_by,
            parse_period(period) if isinstance(period, str) else period,
            view.structure,
            {**view.filters, **call.filters},
            self.today,
            self.scope,
            view.as_of,
        )

    def run(self, call: Call) -> dict[str, Any]:
        key = repr(call)
        if key not in self._done:
            with self.sessions() as session:
                self._done[key] = self._answer(session, call)
        return self._done[key]

    def run_all(self, calls: dict[str, Call]) -> dict[str, dict[str, Any]]:
        """Every call's report, by the caller's names for them, computed concurrently."""
        wanted = [c for c in calls.values() if repr(c) not in self._done]
        if len(wanted) > 1:
            with ThreadPoolExecutor(min(WORKERS, len(wanted))) as pool:
                for call, body in zip(wanted, pool.map(self.run, wanted), strict=True):
                    self._done[repr(call)] = body
        return {name: self.run(call) for name, call in calls.items()}

    def _answer(self, session: Session, call: Call) -> dict[str, Any]:
        query = self.query(call)
        if call.source in (HANDLING, AGENCIES):
            asked = call.api_params(self.view)
            return handled(session, call.source, query, call.compare, self.catalog, asked)
        if call.compare:
            against = parse_period(call.compare, field="compare")
            return compare(session, call.source, query, against, self.catalog)
        return run_report(session, call.source, query, self.catalog)

    def latest_year(self) -> int | None:
        """The last year with any record of the unit in scope, up to this one (a dialogue
        scheduled for next year does not open the pages on it): where a page opens."""
        calls = {
            s.name: Call(s, ("year",), period=None)
            for s in (MODELS, DIALOGUES, SUPERVISIONS, KIEN_NGHI)
        }
        bodies = self.run_all(calls).values()
        years = [row["year"] for body in bodies for row in body["rows"] if row["year"]]
        return max((y for y in years if y <= self.today.year), default=None)


def ratio(current: float | None, previous: float | None) -> float | None:
    return current / previous if current is not None and previous else None
