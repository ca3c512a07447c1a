"""Reporting periods parse from the forms the commission uses."""

from __future__ import annotations

from datetime import date

import pytest

from shared.errors import InvalidInput
from shared.periods import parse_period


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2021", date(2021, 1, 1), date(2021, 12, 31)),
        ("2021-Q1", date(2021, 1, 1), date(2021, 3, 31)),
        ("2021-q4", date(2021, 10, 1), date(2021, 12, 31)),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("2021-12", date(2021, 12, 1), date(2021, 12, 31)),
        ("2021-03-05..2021-04-01", date(2021, 3, 5), date(2021, 4, 1)),
        ("term:2015-2020", date(2015, 10, 1), date(2020, 9, 30)),
        ("term:2020-2025/1", date(2020, 10, 1), date(2023, 6, 30)),
        ("term:2020-2025/2", date(2023, 7, 1), date(2025, 9, 30)),
    ],
)
def test_each_form_names_its_days(text: str, start: date, end: date) -> None:
    period = parse_period(text)
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize(
    "text", ["21", "2021-13", "2021-Q5", "term:2019-2024", "2022-01-01..2021-01-01", "hôm qua"]
)
def test_anything_else_is_refused_naming_the_field(text: str) -> None:
    with pytest.raises(InvalidInput) as error:
        parse_period(text, field="compare")
    assert error.value.field == "compare"
