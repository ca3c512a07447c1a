"""Hà Nội's office at work, up to the day it is written: every area of the dashboard's latest
year has its records, and last year's to compare them with; and the demo clerk's agency has an
inbox of open kiến nghị due soon, overdue and waiting for it.

From 1 January of last year to today, at Hà Nội's published rates per year (seeds 000 and 003,
as the national scenario derives them; dialogues at Hải Phòng's rate, seed 004) scaled to the
days passed: models registered, some reporting progress, recognised, commended, replicated;
supervision, phản biện and People's Inspection with their findings; dialogues held, and the
next two months' scheduled; kiến nghị raised there or received otherwise, handled by the rules
(national.dialogue_part). Records from 1 July 2025 on name the 2025 units. Not a seed: the
seeds' records are untouched, these are dated after them.

The clerk's desk (CLERK_AGENCY): kiến nghị received in the last weeks and assigned to it, their
due days set relative to today (past, today to three working days ahead, and the weeks after,
so that later starts on the same data still find some due soon), some not yet acknowledged, one
waiting for an extension to be decided, two answered and waiting to be confirmed settled.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from uuid import UUID

from services.scenarios import national
from services.scenarios.agencies import CLERK_AGENCY
from services.scenarios.writer import CATEGORIES, LOADER, ScenarioWriter, scaled
from shared.errors import InvalidInput
from shared.units import Level
from shared.vietnam_time import VIETNAM
from shared.working_time import working_calendar

PROVINCE = "01"
PROGRESSING = 0.4  # of the models registered, the share that reports its progress
AHEAD = timedelta(days=60)  # dialogues scheduled up to so far ahead
YEAR = 365.25
BATCH_SIZE = 10**9  # the loader's batches never save on their own: write() saves each part


@dataclass(frozen=True)
class Desk:
    """One of the clerk's kiến nghị: received so many days ago, due (working days from today;
    negative: calendar days past), acknowledged or not, and where it stands."""

    received_days_ago: int
    due: int
    acknowledged: bool = True
    stands: str = "assigned"  # assigned, extension_requested, answered


DESK = (
    # overdue
    *(Desk(21, -days) for days in (1, 3, 6, 10)),
    # due soon: today and the three working days after it; two not yet acknowledged
    Desk(10, 0),
    Desk(10, 1, acknowledged=False),
    Desk(9, 2),
    Desk(8, 3, acknowledged=False),
    Desk(12, 2, stands="extension_requested"),
    # the weeks after; two not yet acknowledged, two answered
    *(Desk(3, due, acknowledged=due % 4 != 1) for due in (5, 7, 9, 11, 13, 15)),
    Desk(14, 4, stands="answered"),
    Desk(14, 6, stands="answered"),
)


def write(writer: ScenarioWriter, scale: float) -> dict[str, int]:
    writer.recount = True  # plausible figures, not a seed's: duplicates, reopenings
    today = writer.dialogue.today()
    hanoi = national.province_of(writer, PROVINCE)
    rates = national.Rates.published(writer)
    spans = [span(hanoi, scale, date(today.year - 1, 1, 1), date(today.year - 1, 12, 31), today)]
    spans.append(span(hanoi, scale, date(today.year, 1, 1), today, today))
    years = sum((s.last - s.first).days + 1 for s in spans) / YEAR
    estimate = hanoi.communes * national.EVENTS_PER_COMMUNE_YEAR * scale * years
    progress, tally = national.Progress(writer, round(estimate)), national.Tally()
    progress.bar.set_description("Hà Nội office")
    try:
        for part in spans:  # each year's registry part, then its dialogue part, saved whole
            national.registry_part(writer, rates, hanoi, part, progress, tally, PROGRESSING)
            progress.saved(writer.commit("registry"))
            writer.last_handled = None  # merges stay within the part being written
            national.dialogue_part(writer, rates, hanoi, part, progress, tally)
            progress.saved(writer.commit("dialogue"))
    finally:
        progress.close()
    ahead = round(rates.dialogues * hanoi.communes * scale * AHEAD.days / YEAR)
    levels, weights = list(national.DIALOGUE_LEVELS), list(national.DIALOGUE_LEVELS.values())
    for _ in range(ahead):  # the weeks ahead's, at the same rate
        on = writer.day(today + timedelta(days=1), today + AHEAD)
        level = writer.rng.choices(levels, weights)[0]
        writer.dialogue_scheduled(writer.pick(hanoi.units(on, level)), on)
    desk = clerk_desk(writer, hanoi, today, scale)
    return {**tally.records, "dialogues_ahead": ahead, "clerk_desk": desk}


def span(
    province: national.Province, scale: float, first: date, last: date, end: date
) -> national.Span:
    """The days first to last at the province's yearly rates, scaled to the days passed; one
    record of each kind at least (on 1 January too, every area has its figure)."""
    commune_years = province.communes * scale * ((last - first).days + 1) / YEAR
    return national.Span(first, last, end, lambda rate: max(1, round(rate * commune_years)))


def clerk_desk(
    writer: ScenarioWriter, province: national.Province, today: date, scale: float
) -> int:
    """The clerk's kiến nghị (DESK), as many times over as the scale gives (once at least)."""
    calendar = working_calendar()
    rounds = max(1, scaled(2, scale))
    for _ in range(rounds):
        for desk in DESK:
            on = today - timedelta(days=desk.received_days_ago)
            due = (
                calendar.add_working_days(today, desk.due)
                if desk.due > 0
                else today + timedelta(days=desk.due)
            )
            kien_nghi_id = received(writer, province, on)
            handed_on(writer, kien_nghi_id, on, due, desk, today)
    return rounds * len(DESK)


def received(writer: ScenarioWriter, province: national.Province, on: date) -> UUID:
    outcome = writer.dialogue.receive_kien_nghi(
        source=writer.pick(("citizen_reception", "voter_meeting", "other")),
        source_id=None,
        unit_code=writer.pick(province.units(on, Level.COMMUNE)).code,
        category=writer.pick(CATEGORIES),
        content=writer.pick(CONTENTS),
        received_on=on,
        actor=LOADER,
    )
    return UUID(outcome.response["id"])


def handed_on(
    writer: ScenarioWriter, kien_nghi_id: UUID, on: date, due: date, desk: Desk, today: date
) -> None:
    """Assigned to the clerk's agency the day it came, due when the desk says (the rules' day
    if that is sooner); then acknowledged, and taken as far as the desk says."""
    dialogue = writer.dialogue
    try:
        dialogue.assign_kien_nghi(
            kien_nghi_id, agency=CLERK_AGENCY, due_on=due, assigned_on=on, actor=LOADER
        )
    except InvalidInput:  # later than the rules allow (a holiday in between): theirs
        dialogue.assign_kien_nghi(
            kien_nghi_id, agency=CLERK_AGENCY, due_on=None, assigned_on=on, actor=LOADER
        )
    if desk.acknowledged:
        dialogue.acknowledge_kien_nghi(
            kien_nghi_id,
            acknowledged_at=min(datetime.combine(on, time(9), VIETNAM), dialogue.now()),
            actor=LOADER,
        )
    yesterday = max(on, today - timedelta(days=1))
    if desk.stands == "extension_requested":
        dialogue.request_extension(
            kien_nghi_id,
            reason="Cần xác minh thêm tại hiện trường",
            requested_on=yesterday,
            actor=LOADER,
        )
    elif desk.stands == "answered":
        dialogue.answer_kien_nghi(
            kien_nghi_id,
            answer="Đã kiểm tra hiện trường, trả lời công dân bằng văn bản",
            answered_on=yesterday,
            evidence=[],
            actor=LOADER,
        )


CONTENTS = (
    "Đề nghị xử lý tình trạng nước thải sinh hoạt chảy tràn ra đường",
    "Phản ánh việc đổ trộm phế thải xây dựng ven đê",
    "Đề nghị xem xét cấp giấy chứng nhận quyền sử dụng đất còn tồn đọng",
    "Phản ánh khói bụi từ cơ sở sản xuất gần khu dân cư",
    "Đề nghị làm rõ ranh giới đất giữa các hộ liền kề",
)
