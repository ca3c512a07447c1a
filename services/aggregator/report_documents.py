"""The JSON of each report (reports.engine.run_report, compare; rendering.numbers.localize), as
closed typed dicts for the OpenAPI document.

A report's figures are fixed: its metrics, named and titled in rendering.labels. Its rows' other
keys depend on the query: each dimension grouped by (group_by), the name beside a unit code
(unit_name, province_name, district_name) and unit_structure when units are grouped as
recorded; each is listed as an optional key of its own type.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Annotated, Any, Literal, NotRequired

from pydantic import Field
from typing_extensions import TypedDict

from services.aggregator.documents import CLOSED, Locale, Period, ReportStructure, UnitStructure
from services.aggregator.rendering.labels import COMMON_DIMENSIONS, REPORTS, ReportLabels
from services.aggregator.rendering.numbers import kind_of
from services.aggregator.reports.engine import UNIT_DIMENSIONS
from services.aggregator.reports.sources import SOURCES

# what a grouped value is, where it is not a code (text, never null)
DIMENSION_TYPES: dict[str, Any] = {
    "unit_structure": UnitStructure,
    "year": int,
    "model_year": int,
    "quarter": Annotated[str, Field(pattern=r"^\d+-Q[1-4]$")],  # 2024-Q3
    "month": Annotated[str, Field(pattern=r"^\d+-\d{2}$")],  # 2024-07
    "district": str | None,  # a province's own records have none
    "agency": str | None,  # not yet assigned
    "rank": int,
}
RATIO_HELP = "this period's figure / the comparison period's; null where that one is 0"


def closed(name: str, fields: Mapping[str, Any], optional: Iterable[str] = ()) -> Any:
    """A typed dict of these fields, closed; the optional ones may be absent (never null)."""
    maybe = set(optional)
    make_typed_dict: Any = TypedDict  # its fields known at run time only: mypy cannot follow
    shape = make_typed_dict(
        name, {k: NotRequired[t] if k in maybe else t for k, t in fields.items()}
    )
    shape.__pydantic_config__ = CLOSED
    return shape


def bilingual(title: tuple[str, str]) -> str:
    return f"{title[0]} / {title[1]}"


def _camel(report: str) -> str:
    return "".join(part.capitalize() for part in report.split("_"))


def _dimension(name: str, labels: ReportLabels) -> Any:
    title = labels.dimensions.get(name) or COMMON_DIMENSIONS.get(name) or (name, name)
    kind = DIMENSION_TYPES.get(name, str | None if name.endswith("_name") else str)
    return Annotated[kind, Field(description=bilingual(title))]


def _figure(name: str, labels: ReportLabels) -> Any:
    kind = int if kind_of(name) == "count" else float | None
    return Annotated[kind, Field(description=bilingual(labels.metrics[name]))]


def report_document(
    report: str,
    source: str | None = None,
    *,
    required_filters: Iterable[str] = (),
    dimensions: Iterable[str] | None = None,  # default: the source's
    row_extra: Mapping[str, Any] | None = None,  # fields every row has besides its figures
) -> Any:
    """The document of a report of these labels over this source's dimensions (default: the
    source of the same name); with a comparison unless it has no source of its own."""
    labels = REPORTS[report]
    dimensions = list(SOURCES[source or report].dimensions if dimensions is None else dimensions)
    prefix = _camel(report)
    metrics = list(labels.metrics)
    averages = [m for m in metrics if kind_of(m) != "count"]
    counts = [m for m in metrics if m not in averages]
    formatted = closed(
        f"{prefix}FormattedFigures",
        {m: str | None if m in averages else str for m in metrics},
    )
    figures = {m: _figure(m, labels) for m in metrics}
    total = closed(f"{prefix}Figures", {**figures, "formatted": formatted}, ["formatted"])
    grouped = ["unit_structure"]
    for name in dimensions:
        grouped += [name, f"{name}_name"] if name in UNIT_DIMENSIONS else [name]
    row_fields = {d: _dimension(d, labels) for d in grouped}
    row = closed(
        f"{prefix}Row",
        {**row_fields, **(row_extra or {}), **figures, "formatted": formatted},
        [*grouped, "formatted"],
    )
    filters = closed(
        f"{prefix}Filters",
        dict.fromkeys(dimensions, str),
        [d for d in dimensions if d not in set(required_filters)],
    )
    fields: dict[str, Any] = {
        "report": Literal[report],
        "group_by": list[Literal[tuple(dimensions)]],  # type: ignore[misc]  # names known at run time
        "structure": ReportStructure,
        "period": Period | None,
        "filters": filters,
        "rows": list[row],  # type: ignore[valid-type]  # a TypedDict made at run time
        "total": total,
        "as_of": datetime,
        "locale": Locale,
    }
    optional = ["as_of", "locale"]
    if source is None:
        ratio = Annotated[float | None, Field(description=RATIO_HELP)]
        ratios = closed(
            f"{prefix}Ratios",
            {
                **dict.fromkeys(counts, ratio),
                "formatted": closed(f"{prefix}FormattedRatios", dict.fromkeys(counts, str | None)),
            },
            ["formatted"],
        )
        fields["compare"] = closed(
            f"{prefix}Comparison", {"period": Period, "total": total, "ratio": ratios}
        )
        optional.append("compare")
    return closed(f"{prefix}Report", fields, optional)


MODELS_REPORT = report_document("models")
DIALOGUES_REPORT = report_document("dialogues")
SUPERVISIONS_REPORT = report_document("supervisions")
INSPECTION_CHAIN_REPORT = report_document(
    "inspection_chain", "supervisions", required_filters=["kind"]
)
KIEN_NGHI_REPORT = report_document("kien_nghi")
AWARDS_REPORT = report_document("awards")
