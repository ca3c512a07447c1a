"""Vietnam's clock: days are counted in Asia/Ho_Chi_Minh (UTC+7), whatever the host's zone."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
OFFICE_HOURS_TEXT = "08:00-12:00,13:00-17:00"  # public bodies' working day (working_time.py)


def now_in_vietnam() -> dt.datetime:
    return dt.datetime.now(VIETNAM)


def today_in_vietnam() -> dt.date:
    return now_in_vietnam().date()


def day_in_vietnam(moment: dt.datetime | None) -> dt.date:
    """The day a moment falls on in Vietnam; today's for none."""
    return today_in_vietnam() if moment is None else moment.astimezone(VIETNAM).date()
