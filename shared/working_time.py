"""Working time as Vietnam's public bodies keep it: which days are worked and during which hours,
and deadlines counted in working days or working hours.

Days off come from the `holidays` package's Vietnam calendar (Tết, Giỗ Tổ Hùng Vương, 30/4, 1/5,
2/9 and the rest, with the weekdays given off in exchange); the Saturdays worked in return
(ngày làm bù) and any day off the package lacks come from shared/data/working_days.toml.
Hours are a setting (08:00–12:00 and 13:00–17:00 by default), in Vietnam's time.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import cache
from importlib import resources
from itertools import islice, pairwise
from pathlib import Path
from typing import Any

import holidays

from shared.vietnam_time import OFFICE_HOURS_TEXT, VIETNAM

SATURDAY = 5
PRECOMPUTED_YEARS = range(2000, 2041)  # filled once: later lookups only read (threads)


class TimeUnit(StrEnum):
    WORKING_HOURS = "working_hours"
    WORKING_DAYS = "working_days"


@dataclass(frozen=True)
class WorkingHours:
    """The periods of a working day, in order, in Vietnam's time."""

    periods: tuple[tuple[time, time], ...]

    @classmethod
    def parse(cls, text: str) -> WorkingHours:
        """From "08:00-12:00,13:00-17:00"."""
        periods = []
        for part in text.split(","):
            start, end = (time.fromisoformat(t.strip()) for t in part.split("-"))
            periods.append((start, end))
        if not periods or any(a >= b for a, b in periods):
            raise ValueError(f"working hours out of order: {text!r}")
        if any(b > c for (_, b), (c, _) in pairwise(periods)):
            raise ValueError(f"working hours overlap: {text!r}")
        return cls(tuple(periods))

    @property
    def ends(self) -> time:
        return self.periods[-1][1]


OFFICE_HOURS = WorkingHours.parse(OFFICE_HOURS_TEXT)


@dataclass(frozen=True)
class MovedDays:
    """Days worked against the calendar, and days off it does not show."""

    working_days: frozenset[date] = frozenset()
    days_off: frozenset[date] = frozenset()

    @classmethod
    def load(cls, path: Path | None = None) -> MovedDays:
        shipped = resources.files("shared").joinpath("data/working_days.toml")
        data: dict[str, Any] = tomllib.loads((path or shipped).read_text("utf-8"))
        return cls(
            frozenset(entry["date"] for entry in data.get("working_days", [])),
            frozenset(entry["date"] for entry in data.get("days_off", [])),
        )


@dataclass(frozen=True)
class Duration:
    amount: int
    unit: TimeUnit

    @classmethod
    def parse(cls, text: str) -> Duration:
        """From "8 working_hours" or "10 working_days"."""
        match text.split():
            case [amount, unit] if amount.isdigit() and unit in set(TimeUnit):
                duration = cls(int(amount), TimeUnit(unit))
            case _:
                raise ValueError(
                    f"a duration is '<n> working_hours' or '<n> working_days': {text!r}"
                )
        if duration.amount < 1:
            raise ValueError(f"a duration must be positive: {text!r}")
        return duration

    def __str__(self) -> str:
        return f"{self.amount} {self.unit}"


class WorkingCalendar:
    def __init__(self, hours: WorkingHours = OFFICE_HOURS, moved: MovedDays | None = None) -> None:
        self.hours = hours
        self.moved = MovedDays.load() if moved is None else moved
        self.holidays = holidays.country_holidays("VN", language="vi", years=PRECOMPUTED_YEARS)

    def is_working_day(self, day: date) -> bool:
        if day in self.moved.working_days:
            return True
        if day in self.moved.days_off:
            return False
        return day.weekday() < SATURDAY and day not in self.holidays

    def day_off_name(self, day: date) -> str | None:
        """Why a day is not worked (a holiday's Vietnamese name), if it is a holiday."""
        return None if self.is_working_day(day) else self.holidays.get(day)

    def working_days_after(self, day: date) -> Iterator[date]:
        while True:
            day += timedelta(days=1)
            if self.is_working_day(day):
                yield day

    def add_working_days(self, day: date, count: int) -> date:
        """The count-th working day after a day (the day itself not counted, as the law counts
        a time limit from the day after the one it starts on)."""
        if count < 1:
            raise ValueError("count must be positive")
        return next(islice(self.working_days_after(day), count - 1, None))

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after start, up to and including end (0 when end is not after start)."""
        return sum(
            1
            for n in range((end - start).days)
            if self.is_working_day(start + timedelta(days=n + 1))
        )

    def add_working_hours(self, moment: datetime, hours: float) -> datetime:
        """The moment when this many working hours have passed since a moment (outside working
        hours the clock waits for the next period)."""
        local = moment.astimezone(VIETNAM)
        left = timedelta(hours=hours)
        day = local.date()
        while True:
            if self.is_working_day(day):
                for start, end in self.hours.periods:
                    opens = datetime.combine(day, start, VIETNAM)
                    closes = datetime.combine(day, end, VIETNAM)
                    begin = max(opens, local)
                    if begin >= closes:
                        continue
                    if begin + left <= closes:
                        return begin + left
                    left -= closes - begin
            day += timedelta(days=1)
            local = datetime.combine(day, time(0), VIETNAM)

    def deadline(self, start: datetime, duration: Duration) -> datetime:
        """When a time limit starting at a moment ends: after so many working hours, or at the
        close of the so-many-th working day after the moment's day."""
        match duration.unit:
            case TimeUnit.WORKING_HOURS:
                return self.add_working_hours(start, duration.amount)
            case TimeUnit.WORKING_DAYS:
                day = self.add_working_days(start.astimezone(VIETNAM).date(), duration.amount)
                return datetime.combine(day, self.hours.ends, VIETNAM)


@cache
def working_calendar(hours: str | None = None) -> WorkingCalendar:
    """One calendar per process and hours (its holidays are computed once)."""
    return WorkingCalendar(OFFICE_HOURS if hours is None else WorkingHours.parse(hours))
