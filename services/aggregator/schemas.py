"""Query parameters of the reporting API."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Annotated, Literal

from fastapi import Query

from shared.errors import InvalidInput
from shared.input_types import IsoDate
from shared.vietnam_time import VIETNAM

AS_OF_HELP = (
    "answer as the records stood at this moment (when recorded, not business dates): an ISO "
    "timestamp (without a zone: Vietnam's time), or a date for the end of that day in Vietnam "
    "(today: now); not in the future"
)
# a date (2024-07-01, 20240701) or a timestamp, its offset's "+" perhaps sent unencoded (a space)
# (what the form cannot say, a 30 February or a moment before year 1, is `moment_nonexistent`)
_DAY = r"(000[1-9]|00[1-9]\d|0[1-9]\d{2}|[1-9]\d{3})-?(0[1-9]|1[0-2])-?(0[1-9]|[12]\d|3[01])"
_TIME = r"([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?(Z|[+ -]([01]\d|2[0-3]):?[0-5]\d)?"
AS_OF_FORM = f"^{_DAY}([T ]{_TIME})?$"
AsOf = Annotated[str | None, Query(description=AS_OF_HELP, max_length=40, pattern=AS_OF_FORM)]

Structure = Annotated[
    Literal["recorded", "2025"],
    Query(description="recorded: units as recorded; 2025: rolled up onto the 2025 units"),
]


@dataclass
class ReportParams:
    group_by: Annotated[str | None, Query(description="comma-separated dimensions")] = None
    start: Annotated[IsoDate | None, Query(alias="from", description="first day, inclusive")] = None
    end: Annotated[IsoDate | None, Query(alias="to", description="last day, inclusive")] = None
    period: Annotated[
        str | None,
        Query(
            description="2021, 2021-Q3, 2021-07, 2021-01-01..2021-06-30, term:2020-2025, "
            "term:2020-2025/1 (first half), term:2020-2025/2"
        ),
    ] = None
    compare: Annotated[str | None, Query(description="another period, same forms")] = None
    structure: Structure = "recorded"
    as_of: AsOf = None


# "+07:00" sent unencoded in a query string arrives as " 07:00"
_SPACED_OFFSET = re.compile(r"(T?\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}:?\d{2})$")


def parse_as_of(text: str | None, now: datetime | None = None) -> datetime | None:
    """The moment as_of names, aware; a date alone is the end of that day in Vietnam (of today:
    now). 422 naming as_of if it is not a date or timestamp, or lies in the future."""
    if not text:
        return None
    now = now or datetime.now(UTC)
    try:
        if ":" not in text:  # a date alone (2024-07-01, 20240701)
            day = date.fromisoformat(text)
            if day > now.astimezone(VIETNAM).date():
                raise InvalidInput("date_in_future", field="as_of", value=text)
            moment = min(datetime.combine(day, time.max, VIETNAM), now)
        else:
            moment = datetime.fromisoformat(_SPACED_OFFSET.sub(r"\1+\2", text))
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=VIETNAM)
        for zone in (UTC, VIETNAM):  # 0001-01-01T00:00+14:00 falls before year 1 in UTC
            moment.astimezone(zone)
    except (ValueError, OverflowError):
        raise InvalidInput("moment_nonexistent", field="as_of", value=text) from None
    if moment > now:
        raise InvalidInput("date_in_future", field="as_of", value=text)
    return moment
