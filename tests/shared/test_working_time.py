"""Working days and hours on Vietnam's real calendars: holidays from the `holidays` package, the
Saturdays worked in exchange from our data file."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import holidays
import pytest

from shared.vietnam_time import VIETNAM
from shared.working_time import (
    Duration,
    MovedDays,
    WorkingCalendar,
    WorkingHours,
    working_calendar,
)


@pytest.fixture(scope="module")
def calendar() -> WorkingCalendar:
    return working_calendar()


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=VIETNAM)


def test_received_on_the_friday_before_tet_the_deadline_skips_the_whole_holiday(
    calendar: WorkingCalendar,
) -> None:
    # Tết Ất Tỵ: 27–31 January 2025 off, with the weekends around them nine days in all
    assert [calendar.is_working_day(date(2025, 1, d)) for d in (24, 25, 27, 31)] == [
        True,
        False,
        False,
        False,
    ]
    assert calendar.add_working_days(date(2025, 1, 24), 1) == date(2025, 2, 3)
    assert calendar.add_working_days(date(2025, 1, 24), 3) == date(2025, 2, 5)
    # Tết Bính Ngọ: 16–20 February 2026
    assert calendar.add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 23)
    # 8 working hours from 15:00 that Friday: 2 then, 6 once work resumes
    assert calendar.add_working_hours(at("2025-01-24T15:00"), 8) == at("2025-02-03T15:00")
    assert calendar.deadline(at("2025-01-24T15:00"), Duration.parse("3 working_days")) == at(
        "2025-02-05T17:00"
    )
    assert calendar.day_off_name(date(2025, 1, 29)) == "Tết Nguyên Đán"


def test_a_saturday_worked_in_exchange_counts_and_the_day_given_off_does_not(
    calendar: WorkingCalendar,
) -> None:
    # 2025: Friday 2 May off, Saturday 26 April worked; 30 April and 1 May are holidays
    assert calendar.is_working_day(date(2025, 4, 26))
    assert not calendar.is_working_day(date(2025, 5, 2))
    assert calendar.add_working_days(date(2025, 4, 24), 2) == date(2025, 4, 26)
    assert calendar.add_working_days(date(2025, 4, 29), 1) == date(2025, 5, 5)
    # Giỗ Tổ Hùng Vương 2024 (18 April), then 29 April off for Saturday 4 May
    assert calendar.add_working_days(date(2024, 4, 17), 1) == date(2024, 4, 19)
    assert calendar.add_working_days(date(2024, 4, 26), 2) == date(2024, 5, 3)
    assert calendar.add_working_days(date(2024, 4, 26), 3) == date(2024, 5, 4)
    # an ordinary Saturday is not worked
    assert not calendar.is_working_day(date(2024, 5, 11))


def test_working_hours_wait_for_the_next_period(calendar: WorkingCalendar) -> None:
    # received at lunch: the clock starts at 13:00
    assert calendar.add_working_hours(at("2024-05-06T12:30"), 4) == at("2024-05-06T17:00")
    # received on Saturday night: Monday 08:00 onwards
    assert calendar.add_working_hours(at("2024-05-11T22:00"), 4) == at("2024-05-13T12:00")
    # across lunch and the night: 3 h on Monday afternoon, 1 h on Tuesday morning
    assert calendar.add_working_hours(at("2024-05-13T14:00"), 4) == at("2024-05-14T09:00")
    # a moment in another zone is read in Vietnam's time
    utc = datetime.fromisoformat("2024-05-13T01:00:00+00:00")  # 08:00 in Hà Nội
    assert calendar.add_working_hours(utc, 1) == at("2024-05-13T09:00")


def test_working_days_between_count_the_days_after_the_first(calendar: WorkingCalendar) -> None:
    assert calendar.working_days_between(date(2025, 1, 24), date(2025, 2, 5)) == 3
    assert calendar.working_days_between(date(2025, 4, 24), date(2025, 5, 5)) == 5
    assert calendar.working_days_between(date(2025, 5, 5), date(2025, 5, 5)) == 0
    assert calendar.working_days_between(date(2025, 5, 6), date(2025, 5, 5)) == 0


def test_other_working_hours_are_a_setting() -> None:
    shifted = working_calendar("07:30-11:30,13:30-17:30")
    assert shifted.add_working_hours(at("2024-05-06T11:00"), 1) == at("2024-05-06T14:00")
    assert shifted.deadline(at("2024-05-06T09:00"), Duration.parse("1 working_days")) == at(
        "2024-05-07T17:30"
    )
    for wrong in ("12:00-08:00", "08:00-12:00,11:00-17:00", "8h-12h"):
        with pytest.raises(ValueError):
            WorkingHours.parse(wrong)


def test_moved_days_come_from_a_data_file(tmp_path: Path) -> None:
    moved = tmp_path / "days.toml"
    moved.write_text(
        '[[working_days]]\ndate = 2030-01-05\nreason = "x"\n'
        '[[days_off]]\ndate = 2030-01-07\nreason = "y"\n',
        encoding="utf-8",
    )
    calendar = WorkingCalendar(moved=MovedDays.load(moved))
    assert calendar.is_working_day(date(2030, 1, 5))  # a Saturday
    assert not calendar.is_working_day(date(2030, 1, 7))  # a Monday
    assert calendar.add_working_days(date(2030, 1, 4), 2) == date(2030, 1, 8)


def test_every_exchange_the_package_names_has_its_saturday_in_our_file() -> None:
    """The package names the weekday given off "thay cho ngày dd/mm/yyyy"; the day worked in
    exchange must be in our file, and nothing else: a newer package with a new exchange fails
    here until the file has it."""
    package = holidays.country_holidays("VN", language="vi", years=range(2000, 2041))
    named = {
        datetime.strptime(found, "%d/%m/%Y").date()
        for name in package.values()
        for found in re.findall(r"thay cho ngày (\d\d/\d\d/\d{4})", name)
    }
    listed = MovedDays.load().working_days
    assert named == listed
    assert all(day.weekday() >= 5 for day in listed)  # weekend days made working days
