"""A report as a table: titled columns, rows of typed cells, the total and comparison rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from services.aggregator.rendering.codes import REPORT_STRUCTURES
from services.aggregator.rendering.labels import REPORTS, ReportLabels, pick, word
from services.aggregator.rendering.numbers import kind_of
from services.aggregator.reports.engine import UNIT_DIMENSIONS
from shared.vietnam_time import VIETNAM

NUMERIC_DIMENSIONS = ("year", "model_year")


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    kind: str  # text, number (a year), count, average, ratio


@dataclass(frozen=True)
class Cell:
    value: Any
    kind: str


@dataclass
class Table:
    name: str  # the report's code, for file names
    title: str  # the report's title, for sheet names
    columns: list[Column]
    rows: list[list[Cell]] = field(default_factory=list)
    total_rows: int = 0  # how many rows at the end are totals and comparisons
    info: list[tuple[str, str]] = field(default_factory=list)


def build_table(body: dict[str, Any], lang: str, generated: datetime) -> Table:
    if body["report"] == "model_coverage":
        return _coverage_table(body, lang, generated)
    labels = REPORTS[body["report"]]
    dims = _dimension_keys(body)
    metrics = list(body["total"])
    columns = [Column(d, labels.dimension(d, lang), _dimension_kind(d)) for d in dims]
    if not columns:
        columns.append(Column("label", word("label", lang), "text"))
    columns += [Column(m, labels.metric(m, lang), kind_of(m)) for m in metrics]
    table = Table(body["report"], pick(labels.title, lang), columns, info=_info(body, lang))
    table.info.append((word("generated", lang), generated.isoformat(timespec="seconds")))
    if dims:  # ungrouped, the only row is the total
        for row in body["rows"]:
            cells = [Cell(labels.value(d, row.get(d), lang), _dimension_kind(d)) for d in dims]
            table.rows.append(cells + [Cell(row[m], kind_of(m)) for m in metrics])
    width = max(len(columns) - len(metrics), 1)

    def summary(label: str, figures: dict[str, Any], ratio: bool = False) -> None:
        cells = [Cell(label, "text")] + [Cell(None, "text")] * (width - 1)
        figures_cells = [Cell(figures.get(m), "ratio" if ratio else kind_of(m)) for m in metrics]
        table.rows.append(cells + figures_cells)
        table.total_rows += 1

    summary(word("total", lang), body["total"])
    if "compare" in body:
        compared = body["compare"]
        summary(f"{word('compare', lang)} {compared['period']['label']}", compared["total"])
        summary(word("ratio", lang), compared["ratio"], ratio=True)
    return table


def _dimension_keys(body: dict[str, Any]) -> list[str]:
    keys: list[str] = []
    if body["structure"] != "2025" and set(body["group_by"]) & set(UNIT_DIMENSIONS):
        keys.append("unit_structure")  # codes name different units before and after 2025
    for name in body["group_by"]:
        keys += [name, f"{name}_name"] if name in UNIT_DIMENSIONS else [name]
    return keys


def _dimension_kind(name: str) -> str:
    return "number" if name in NUMERIC_DIMENSIONS else "text"


def _info(body: dict[str, Any], lang: str) -> list[tuple[str, str]]:
    labels = REPORTS[body["report"]]
    info = [(word("report", lang), pick(labels.title, lang))]
    info.append((word("period", lang), _period(body["period"], lang)))
    if "compare" in body:
        info.append((word("compare", lang), _period(body["compare"]["period"], lang)))
    grouped = ", ".join(labels.dimension(d, lang) for d in body["group_by"])
    info.append((word("group_by", lang), grouped or word("none", lang)))
    filters = "; ".join(_filter(labels, k, v, lang) for k, v in body["filters"].items())
    info.append((word("filters", lang), filters or word("none", lang)))
    info.append((word("structure", lang), pick(REPORT_STRUCTURES[body["structure"]], lang)))
    if body.get("as_of") is not None:
        info.append((word("as_of", lang), _moment(body["as_of"])))
    return info


def _moment(moment: datetime) -> str:
    """A report's as-of moment, in Vietnam's time."""
    return moment.astimezone(VIETNAM).isoformat(timespec="seconds")


def _filter(labels: ReportLabels, name: str, value: str, lang: str) -> str:
    return f"{labels.dimension(name, lang)}: {labels.value(name, value, lang)}"


def _period(period: dict[str, str] | None, lang: str) -> str:
    if period is None:
        return word("all_time", lang)
    return f"{period['label']} ({period['from']} – {period['to']})"


def _coverage_table(body: dict[str, Any], lang: str, generated: datetime) -> Table:
    labels = REPORTS["model_coverage"]
    keys = ["unit", "unit_name", "communes", "covered", "ratio"]
    columns = [Column(k, labels.dimension(k, lang), "text") for k in keys[:2]]
    columns += [Column(k, labels.metric(k, lang), kind_of(k)) for k in keys[2:]]
    table = Table("model_coverage", pick(labels.title, lang), columns, total_rows=1)
    for unit in (*body["children"], {**body, "unit": word("total", lang)}):
        table.rows.append([Cell(unit[c.key], c.kind) for c in columns])
    table.info = [
        (word("report", lang), table.title),
        (labels.dimension("unit_name", lang), f"{body['unit']} – {body['unit_name']}"),
        (word("on", lang), str(body["on"])),
        (labels.dimension("field", lang), _fields(body.get("fields") or [], labels, lang)),
        (word("structure", lang), pick(REPORT_STRUCTURES[body["structure"]], lang)),
    ]
    if body.get("as_of") is not None:
        table.info.append((word("as_of", lang), _moment(body["as_of"])))
    table.info.append((word("generated", lang), generated.isoformat(timespec="seconds")))
    return table


def _fields(fields: list[str], labels: ReportLabels, lang: str) -> str:
    return ", ".join(str(labels.value("field", f, lang)) for f in fields) or word("all", lang)
