"""Report tables as the page shows them: the report API's own table (build_table, the same titles
and rows as its CSV and Excel files), figures written for the page's language, and each unit of
the level below linking to its own page."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from services.aggregator.dashboard.units import UnitRows
from services.aggregator.rendering.numbers import format_figure
from services.aggregator.rendering.table import build_table
from shared.vietnam_time import VIETNAM

FIGURES = ("count", "average", "ratio")
HIDDEN = ("unit_structure",)  # the same in every row of a dashboard table


@dataclass(frozen=True)
class HtmlCell:
    text: str
    figure: bool = False  # right-aligned, with the raw value beside it
    value: Any = None
    href: str | None = None


@dataclass
class HtmlTable:
    titles: list[str]
    figure_columns: list[bool]
    rows: list[list[HtmlCell]] = field(default_factory=list)
    total_rows: int = 0
    downloads: dict[str, str] = field(default_factory=dict)


def figure_text(value: Any, kind: str, lang: str) -> str:
    if value is None:
        return "–"
    return format_figure(value, kind, lang) or "–"


def report_table(
    body: dict[str, Any], lang: str, downloads: dict[str, str], units: UnitRows | None = None
) -> HtmlTable:
    """With units, the units below are named (the page's own unit too) and linked down."""
    table = build_table(body, lang, datetime.now(VIETNAM))
    keep = [i for i, c in enumerate(table.columns) if c.key not in HIDDEN]
    columns = [table.columns[i] for i in keep]
    html = HtmlTable(
        [c.title for c in columns],
        [c.kind in FIGURES for c in columns],
        total_rows=table.total_rows,
        downloads=downloads,
    )
    grouped = len(table.rows) - table.total_rows
    for index, cells in enumerate(table.rows):
        row = body["rows"][index] if index < grouped else None
        out = []
        for i in keep:
            column, cell = table.columns[i], cells[i]
            if cell.kind in FIGURES:
                out.append(HtmlCell(figure_text(cell.value, cell.kind, lang), True, cell.value))
                continue
            text = "" if cell.value is None else str(cell.value)
            if row is not None and units and column.key == f"{units.dimension}_name":
                out.append(HtmlCell(units.name(row), href=units.link(row)))
            else:
                out.append(HtmlCell(text))
        html.rows.append(out)
    return html


def figures_table(
    titles: list[str], rows: list[tuple[str, list[tuple[Any, str]]]], lang: str
) -> HtmlTable:
    """A small table of labelled figures (label, [(value, kind), …])."""
    html = HtmlTable(titles, [False] + [True] * (len(titles) - 1))
    for label, figures in rows:
        cells = [HtmlCell(label)]
        cells += [HtmlCell(figure_text(v, k, lang), True, v) for v, k in figures]
        html.rows.append(cells)
    return html
