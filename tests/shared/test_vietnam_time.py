"""Days are Vietnam's: at 01:30 in Hà Nội it is already tomorrow, whatever the host's zone."""

from __future__ import annotations

import datetime as dt

import time_machine

from services.aggregator.reports.engine import ReportQuery
from shared.vietnam_time import VIETNAM, day_in_vietnam, today_in_vietnam

EVENING_IN_UTC = dt.datetime(2026, 12, 3, 18, 30, tzinfo=dt.UTC)  # 01:30 on the 4th in Hà Nội


@time_machine.travel(EVENING_IN_UTC, tick=False)
def test_today_is_vietnams_date_not_the_hosts() -> None:
    assert today_in_vietnam() == dt.date(2026, 12, 4)
    assert ReportQuery().today == dt.date(2026, 12, 4)  # overdue counts from Vietnam's today
    assert day_in_vietnam(None) == dt.date(2026, 12, 4)


def test_a_moment_falls_on_its_day_in_vietnam() -> None:
    assert day_in_vietnam(EVENING_IN_UTC) == dt.date(2026, 12, 4)
    late_evening_here = dt.datetime(2026, 12, 4, 23, 59, tzinfo=VIETNAM)
    assert day_in_vietnam(late_evening_here) == dt.date(2026, 12, 4)
