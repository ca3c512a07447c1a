"""Hải Phòng 2015 – 6/2023 (seed 004): dialogue conferences by term and half-term, models
registered by 9/2023, and every commune with a model in new-style rural or urban development."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from services.scenarios.writer import ScenarioWriter, scaled
from shared.periods import TERMS
from shared.units import Level

PROVINCE = "31"
PREVIOUS_TERM = TERMS["2015-2020"]
CURRENT_TERM = TERMS["2020-2025"]
DIALOGUES = {"previous_term": 2663, "first_half_current_term": 2299}  # 4.962 together
MODELS_BY = date(2023, 9, 30)
MODELS = 2035
COVERAGE_FIELDS = ["new_rural", "urban_improvement"]
DIALOGUE_LEVELS = ((Level.PROVINCE, 0.02), (Level.DISTRICT, 0.18), (Level.COMMUNE, 0.80))


def write(writer: ScenarioWriter, scale: float) -> None:
    units = {level: writer.units(PROVINCE, level) for level in Level}
    levels = [level for level, _ in DIALOGUE_LEVELS]
    weights = [weight for _, weight in DIALOGUE_LEVELS]
    spans = {
        "previous_term": (PREVIOUS_TERM.start, PREVIOUS_TERM.end),
        "first_half_current_term": (CURRENT_TERM.start, CURRENT_TERM.first_half_end),
    }
    for span, count in DIALOGUES.items():
        start, end = spans[span]
        for _ in writer.bar(range(scaled(count, scale)), f"Hải Phòng dialogues {span}"):
            unit = writer.pick(units[writer.rng.choices(levels, weights)[0]])
            on = writer.day(start, end)
            dialogue_id = writer.dialogue_held(unit, on, writer.rng.randint(30, 300))
            if writer.rng.random() < 0.25:
                kien_nghi = writer.kien_nghi(unit, on, "dialogue", str(dialogue_id))
                writer.handle(kien_nghi, on, CURRENT_TERM.first_half_end)

    communes = units[Level.COMMUNE]
    total = scaled(MODELS, scale)
    for i in writer.bar(range(total), "Hải Phòng models"):
        on = writer.day(date(2015, 1, 1), MODELS_BY)
        if i < len(communes):  # the target: every commune a model in these fields
            unit, fields = communes[i], [writer.pick(COVERAGE_FIELDS)]
        else:
            level = writer.rng.choices(levels, weights)[0]
            unit, fields = writer.pick(units[level]), None
        model_id: UUID = writer.model(unit, on, fields)
        writer.model_career(model_id, unit, on, MODELS_BY, communes)
