"""The agencies' league table: the handling report by agency, ranked by on-time rate (ties by
how many were closed, then by name), each figure linked to the kiến nghị that make it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

from sqlalchemy.orm import Session

from services.aggregator.reports.engine import ReportQuery
from services.aggregator.reports.handling import handling_report
from services.aggregator.reports.handling_figures import FIGURES
from shared.units import UnitCatalog

RECORDS_PATH = "/reports/kien-nghi-handling/records"
NOT_PASSED_ON = {"group_by", "compare", "format", "locale", "figure", "agency"}


def ranked(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The agencies' rows best first: by on-time rate (none closed: last), then by how many
    were closed, then by name; the kiến nghị of no agency are none of them."""

    def key(row: dict[str, Any]) -> tuple[Any, ...]:
        rate = row["on_time_rate"]
        return (rate is None, -(rate or 0), -row["closed"], row["agency"])

    return sorted((row for row in rows if row["agency"] is not None), key=key)


def records_links(asked: Mapping[str, str], agency: str) -> dict[str, str]:
    """Where each figure of an agency's row is listed kiến nghị by kiến nghị: the same query
    (period, filters, moment) narrowed to the agency."""
    kept = {k: v for k, v in asked.items() if k not in NOT_PASSED_ON}
    return {
        figure: f"{RECORDS_PATH}?{urlencode({**kept, 'agency': agency, 'figure': figure})}"
        for figure in FIGURES
    }


def league_table(
    session: Session,
    query: ReportQuery,
    catalog: UnitCatalog,
    asked: Mapping[str, str],
) -> dict[str, Any]:
    by_agency = handling_report(session, replace(query, group_by=("agency",)), catalog)
    by_agency["report"] = "kien_nghi_handling_agencies"
    by_agency["group_by"] = ["rank", "agency"]
    by_agency["rows"] = [
        {"rank": rank, **row, "records": records_links(asked, row["agency"])}
        for rank, row in enumerate(ranked(by_agency["rows"]), start=1)
    ]
    return by_agency
