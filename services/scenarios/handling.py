"""Hà Nội, the last four months to today: kiến nghị received on every channel (the reception
desk, voter meetings, the citizens' app, Open311) and handled by the rules, with each step of
docs/kien-nghi-handling.md: acknowledged (some late), classified urgent or complex,
transferred, given more time or refused it, escalated, merged as duplicates, resolved (some
late) or still open. Not a seed: the demo's own plausible figures, dated up to the day it is
written (the apps record the day they receive)."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from services.dialogue.citizens import Whereabouts
from services.scenarios.writer import CATEGORIES, LOADER, ScenarioWriter, scaled
from shared.units import Structure

PROVINCE = "01"
KIEN_NGHI = 600
SPAN = timedelta(days=120)
DESK_SOURCES = ("citizen_reception", "voter_meeting", "other")
# the channels and the share of the kiến nghị that come through each
CHANNELS, SHARES = ("desk", "app", "open311"), (0.5, 0.3, 0.2)


def write(writer: ScenarioWriter, scale: float) -> None:
    writer.recount = True
    province = writer.catalog.get(Structure.V2025, PROVINCE)
    assert province is not None
    communes = sorted(writer.catalog.communes_under(province), key=lambda u: u.code)
    today = writer.dialogue.today()
    for n in writer.bar(range(scaled(KIEN_NGHI, scale)), "Hà Nội handling"):
        channel = writer.rng.choices(CHANNELS, SHARES)[0]
        unit = writer.pick(communes)
        if channel == "desk":  # recorded from the desk's book: on the day it was received
            on = writer.day(today - SPAN, today)
            received = writer.dialogue.receive_kien_nghi(
                source=writer.pick(DESK_SOURCES),
                source_id=None,
                unit_code=unit.code,
                category=writer.pick(CATEGORIES),
                content="Đề nghị xem xét, giải quyết",
                received_on=on,
                actor=LOADER,
            )
        else:  # an app records the moment it receives
            on = today
            received = writer.dialogue.submit_kien_nghi(
                category=writer.pick(CATEGORIES),
                content="Phản ánh qua ứng dụng",
                where=Whereabouts(unit_code=unit.code),
                personal={},
                attachments=[],
                channel=channel,
                subject=f"demo-citizen-{n}",
                actor=LOADER,
            )
        if writer.rng.random() < 0.85:  # the rest wait to be assigned
            resolve = 0.8 if on < today - timedelta(days=30) else 0.3
            writer.handle(UUID(received.response["id"]), on, today, resolve=resolve)
