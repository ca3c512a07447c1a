"""Hạ Long 2021 (seed 001): the year's dialogue and kiến nghị work, and the four medals
"Vì sự nghiệp Dân vận" conferred at the year's review conference on 17 December 2021.

The seed gives no counts of dialogues or kiến nghị; DIALOGUES and KIEN_NGHI are this
scenario's own plausible figures. The medals and their recipients are the seed's."""

from __future__ import annotations

from datetime import date

from services.scenarios.writer import LOADER, ScenarioWriter, scaled
from shared.units import Structure

DISTRICT = "193"  # Thành phố Hạ Long, Quảng Ninh
YEAR_START, YEAR_END = date(2021, 1, 1), date(2021, 12, 31)
REVIEW_DAY = date(2021, 12, 17)
DIALOGUES = 64
KIEN_NGHI = 420
MEDALS = {  # unit code: recipient, as the seed names them
    "07054": "Trương Kim Luân",  # xã Quảng La
    "07051": "Phạm Thị Thu Hằng",  # xã Dân Chủ
    "06652": "Nguyễn Thị Bích Ngọc",  # phường Hà Phong
    "06664": "Nguyễn Thị Kim Cúc",  # phường Hà Tu
}
SOURCES = ("citizen_reception", "voter_meeting", "citizen_app", "other")


def write(writer: ScenarioWriter, scale: float) -> None:
    district = writer.catalog.get(Structure.LEGACY, DISTRICT)
    assert district is not None
    communes = writer.catalog.communes_under(district)
    units = [district, *communes]
    held = []
    for _ in writer.bar(range(scaled(DIALOGUES, scale)), "Hạ Long dialogues 2021"):
        unit = writer.pick(units)
        on = writer.day(YEAR_START, date(2021, 11, 30))
        held.append((writer.dialogue_held(unit, on, writer.rng.randint(40, 250)), unit, on))
    for _ in writer.bar(range(scaled(KIEN_NGHI, scale)), "Hạ Long kiến nghị 2021"):
        if held and writer.rng.random() < 0.4:
            dialogue_id, unit, on = writer.pick(held)
            kien_nghi = writer.kien_nghi(unit, on, "dialogue", str(dialogue_id))
        else:
            unit, on = writer.pick(units), writer.day(YEAR_START, date(2021, 11, 30))
            kien_nghi = writer.kien_nghi(unit, on, writer.pick(SOURCES))
        writer.handle(kien_nghi, on, YEAR_END)
    for unit_code, recipient in MEDALS.items():
        writer.registry.confer_award(
            award="medal_dan_van",
            recipient_kind="individual",
            recipient=recipient,
            unit_code=unit_code,
            conferred_by="central",
            conferred_on=REVIEW_DAY,
            reason="Có nhiều đóng góp cho sự nghiệp dân vận",
            actor=LOADER,
        )
