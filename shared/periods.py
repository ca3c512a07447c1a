"""Reporting periods: years, quarters, months, ranges, party terms (nhiệm kỳ) and half-terms."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from shared.errors import InvalidInput


@dataclass(frozen=True)
class Term:
    """A party-congress term; the first half ends at the mid-term review (sơ kết giữa nhiệm kỳ)."""

    start: date
    end: date
    first_half_end: date


# Congresses sit in the autumn of the first year; mid-term reviews report up to the end of June
# of the third year (Hải Phòng's "sau 1/2 nhiệm kỳ 2020-2025" runs to 6/2023). Data, not code:
# a province whose congress fell elsewhere gets its own rows here.
TERMS: dict[str, Term] = {
    "2010-2015": Term(date(2010, 10, 1), date(2015, 9, 30), date(2013, 6, 30)),
    "2015-2020": Term(date(2015, 10, 1), date(2020, 9, 30), date(2018, 6, 30)),
    "2020-2025": Term(date(2020, 10, 1), date(2025, 9, 30), date(2023, 6, 30)),
    "2025-2030": Term(date(2025, 10, 1), date(2030, 9, 30), date(2028, 6, 30)),
}


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    label: str

    def as_json(self) -> dict[str, str]:
        return {"label": self.label, "from": self.start.isoformat(), "to": self.end.isoformat()}


_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")
_TERM = re.compile(r"^term:(\d{4}-\d{4})(?:/([12]))?$", re.IGNORECASE)

PERIOD_FORMS = "2021, 2021-Q3, 2021-07, 2021-01-01..2021-06-30, term:2020-2025, term:2020-2025/1"


def _month_end(year: int, month: int) -> date:
    first_next = date(year + month // 12, month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def parse_period(text: str, field: str = "period") -> Period:
    text = text.strip()
    try:
        if m := _YEAR.match(text):
            year = int(m[1])
            return Period(date(year, 1, 1), date(year, 12, 31), text)
        if m := _QUARTER.match(text):
            year, quarter = int(m[1]), int(m[2])
            return Period(
                date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter), text.upper()
            )
        if m := _MONTH.match(text):
            year, month = int(m[1]), int(m[2])
            return Period(date(year, month, 1), _month_end(year, month), text)
        if m := _RANGE.match(text):
            start, end = date.fromisoformat(m[1]), date.fromisoformat(m[2])
            if start > end:
                raise InvalidInput("period_invalid", field=field, start=start, end=end)
            return Period(start, end, text)
        if (m := _TERM.match(text)) and m[1] in TERMS:
            term = TERMS[m[1]]
            if m[2] == "1":
                return Period(term.start, term.first_half_end, text)
            if m[2] == "2":
                return Period(term.first_half_end + timedelta(days=1), term.end, text)
            return Period(term.start, term.end, text)
    except ValueError:
        pass
    raise InvalidInput("period_unknown", field=field, value=text, forms=PERIOD_FORMS)
