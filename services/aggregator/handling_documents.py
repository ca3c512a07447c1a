"""The JSON of the handling report, the agencies' league table and a figure's records, for the
OpenAPI document."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, with_config
from typing_extensions import TypedDict

from services.aggregator.documents import CLOSED, Period
from services.aggregator.report_documents import closed, report_document
from services.aggregator.reports.handling import HANDLING
from services.aggregator.reports.handling_figures import FIGURES

DIMENSIONS = list(HANDLING.dimensions)
Figure = Literal[FIGURES]  # type: ignore[valid-type]  # the names, known at run time
RecordsLink = Annotated[
    str, Field(description="GET …/records: the kiến nghị behind the figure and their events")
]

HANDLING_REPORT = report_document("kien_nghi_handling", dimensions=DIMENSIONS)
AGENCIES_REPORT = report_document(
    "kien_nghi_handling_agencies",
    dimensions=["rank", *DIMENSIONS],
    row_extra={"records": closed("HandlingRecordsLinks", dict.fromkeys(FIGURES, RecordsLink))},
)


@with_config(CLOSED)
class HandlingRecord(TypedDict):
    """Một kiến nghị làm nên con số / one kiến nghị a figure counts."""

    id: str
    tracking_code: str | None
    agency: str | None
    events: Annotated[
        list[int],
        Field(description="vị trí các sự kiện quyết định / feed positions of the deciding events"),
    ]


@with_config(CLOSED)
class HandlingRecords(TypedDict):
    """Các kiến nghị của một con số / the kiến nghị behind one figure of the handling report."""

    figure: Figure
    period: Period | None
    filters: dict[str, str]
    day: Annotated[date, Field(description="the day open and overdue is counted on")]
    count: Annotated[int, Field(description="how many; items lists up to limit of them")]
    items: list[HandlingRecord]
