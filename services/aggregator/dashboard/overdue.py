"""Overdue kiến nghị: how many each agency has (the report API's table), and the items
themselves, longest overdue first, as a table and as CSV or Excel."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from services.aggregator.dashboard import charts
from services.aggregator.dashboard.areas import Section
from services.aggregator.dashboard.reports import Call, Reports
from services.aggregator.dashboard.tables import HtmlCell, HtmlTable, figure_text, report_table
from services.aggregator.dashboard.text import ui
from services.aggregator.rendering.labels import COMMON_DIMENSIONS, REPORTS, pick
from services.aggregator.rendering.table import Cell, Column, Table
from services.aggregator.reports.engine import in_scope, in_utc
from services.aggregator.reports.sources import KIEN_NGHI, OPEN_STATUSES
from services.aggregator.tables import KienNghiRow
from shared.units import Structure, UnitCatalog
from shared.vietnam_time import VIETNAM

LIMIT = 500
LABELS = REPORTS["kien_nghi"]


def by_agency(reports: Reports) -> Section:
    view, lang = reports.view, reports.view.lang
    call = Call(KIEN_NGHI, ("agency",))
    body = reports.run(call)
    table = report_table(body, lang, call.downloads(view))
    for cells in table.rows[: len(body["rows"])]:
        if not cells[0].text:
            cells[0] = HtmlCell(ui("unassigned", lang))
    late = sorted((r for r in body["rows"] if r["overdue"]), key=lambda r: -r["overdue"])
    chart = charts.bars(
        [r["agency"] or ui("unassigned", lang) for r in late],
        [(LABELS.metric(m, lang), [r[m] for r in late]) for m in ("overdue", "open")],
        lang,
        horizontal=True,
    )
    return Section("by-agency", ui("by_agency", lang), table, chart)


def overdue_items(reports: Reports, limit: int = LIMIT) -> list[dict[str, Any]]:
    """Open kiến nghị past their due date, received in the period, of the unit, in the reader's
    scope (the same filters, scope and moment as the report engine's)."""
    view, k = reports.view, KienNghiRow
    rolled = view.structure == "2025"
    stmt = select(
        k.id,
        k.unit_code,
        k.unit_structure,
        k.unit_2025_code,
        k.category,
        k.agency,
        k.status,
        k.received_on,
        k.due_on,
    ).where(
        KIEN_NGHI.at(in_utc(view.as_of) if view.as_of is not None else None),
        k.status.in_(OPEN_STATUSES),
        k.due_on < reports.today,
    )
    if view.period is not None:
        stmt = stmt.where(k.received_on.between(view.period.start, view.period.end))
    facts = KIEN_NGHI.facts()
    if rolled:
        stmt = stmt.where(facts.rollable)
    for name, value in view.filters.items():
        stmt = stmt.where(KIEN_NGHI.dimensions[name].pick(facts, rolled) == value)
    if reports.scope is not None:
        stmt = stmt.where(in_scope(k, reports.scope))
    stmt = stmt.order_by(k.due_on, k.id).limit(limit)
    with reports.sessions() as session:
        return [dict(r._mapping) for r in session.execute(stmt)]


def items_table(items: list[dict[str, Any]], reports: Reports, catalog: UnitCatalog) -> Table:
    """The items as a report table: what the page shows and the CSV and Excel files hold."""
    lang, today = reports.view.lang, reports.today
    columns = [
        Column("id", ui("id", lang), "text"),
        Column("unit_name", pick(COMMON_DIMENSIONS["unit_name"], lang), "text"),
        Column("category", LABELS.dimension("category", lang), "text"),
        Column("agency", LABELS.dimension("agency", lang), "text"),
        Column("status", LABELS.dimension("status", lang), "text"),
        Column("received_on", ui("received_on", lang), "text"),
        Column("due_on", ui("due_on", lang), "text"),
        Column("days", ui("days_overdue", lang), "count"),
    ]
    table = Table("kien_nghi_overdue", ui("overdue", lang), columns)
    for item in items:
        if reports.view.structure == "2025":
            unit = catalog.get(Structure.V2025, item["unit_2025_code"] or "")
        else:
            unit = catalog.get(item["unit_structure"], item["unit_code"])
        values = [
            item["id"],
            unit.name if unit else item["unit_code"],
            LABELS.value("category", item["category"], lang),
            item["agency"] or ui("unassigned", lang),
            LABELS.value("status", item["status"], lang),
            item["received_on"].isoformat(),
            item["due_on"].isoformat(),
            (today - item["due_on"]).days,
        ]
        table.rows.append([Cell(v, c.kind) for v, c in zip(values, columns, strict=True)])
    table.info = [(ui("overdue", lang), reports.view.unit.name)]
    table.info.append(("generated", datetime.now(VIETNAM).isoformat(timespec="seconds")))
    return table


def _work_page(kien_nghi_id: str, lang: str) -> str:
    return f"/dashboard/kien-nghi/{kien_nghi_id}" + ("?lang=en" if lang == "en" else "")


def html_items(table: Table, lang: str) -> HtmlTable:
    """The items, each id a link to its work page."""
    html = HtmlTable([c.title for c in table.columns], [c.kind == "count" for c in table.columns])
    for row in table.rows:
        html.rows.append(
            [
                HtmlCell(figure_text(c.value, c.kind, lang), True, c.value)
                if c.kind == "count"
                else HtmlCell(str(c.value), href=_work_page(c.value, lang) if i == 0 else None)
                for i, c in enumerate(row)
            ]
        )
    return html
