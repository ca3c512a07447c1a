"""Hà Nội 2013–2023: the ten-year review of Resolution 25 (seed 000) and the 2021 QCDC review
(seed 003): supervision and social criticism by level, models registered, and the People's
Inspection chain of 2021."""

from __future__ import annotations

from datetime import date

from services.scenarios.writer import ScenarioWriter, scaled
from shared.units import Level

PROVINCE = "01"
START, END = date(2013, 6, 3), date(2023, 11, 3)  # Resolution 25 to the review conference
SUPERVISIONS = {Level.PROVINCE: 2514, Level.DISTRICT: 21100, Level.COMMUNE: 68463}
SOCIAL_CRITICISM = {Level.PROVINCE: 144, Level.DISTRICT: 1499, Level.COMMUNE: 11742}
MODELS = 95964
INSPECTION_2021 = {"cases": 4956, "with_violation_signs": 648, "recommended": 586}
MODEL_LEVELS = ((Level.PROVINCE, 0.01), (Level.DISTRICT, 0.14), (Level.COMMUNE, 0.85))


def write(writer: ScenarioWriter, scale: float) -> None:
    units = {level: writer.units(PROVINCE, level) for level in Level}
    for kind, figures in (("supervision", SUPERVISIONS), ("social_criticism", SOCIAL_CRITICISM)):
        for level, count in figures.items():
            for _ in writer.bar(range(scaled(count, scale)), f"Hà Nội {kind} {level}"):
                writer.supervision(writer.pick(units[level]), kind, writer.day(START, END))

    levels = [level for level, _ in MODEL_LEVELS]
    weights = [weight for _, weight in MODEL_LEVELS]
    for _ in writer.bar(range(scaled(MODELS, scale)), "Hà Nội models"):
        level = writer.rng.choices(levels, weights)[0]
        unit, on = writer.pick(units[level]), writer.day(START, END)
        model_id = writer.model(unit, on)
        writer.model_career(model_id, unit, on, END, units[Level.COMMUNE])

    cases = scaled(INSPECTION_2021["cases"], scale)
    violations = scaled(INSPECTION_2021["with_violation_signs"], scale)
    recommended = scaled(INSPECTION_2021["recommended"], scale)
    year_start, year_end = date(2021, 1, 1), date(2021, 12, 31)
    for i in writer.bar(range(cases), "Hà Nội People's Inspection 2021"):
        on = writer.day(year_start, year_end)
        case = writer.supervision(
            writer.pick(units[Level.COMMUNE]), "inspection_case", on, body="people_inspection_board"
        )
        raised = writer.after(on, 3, 30, END)
        if i < recommended:
            opened = writer.finding(case, raised, True, "Đề nghị cơ quan có thẩm quyền xử lý")
            if opened is not None:
                writer.handle(opened, raised, END, resolve=0.9)
        elif i < violations:
            writer.finding(case, raised, True, None)
        elif writer.rng.random() < 0.7:
            writer.finding(case, raised, False, None)
