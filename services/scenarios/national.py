"""The nation 2016–2025 (issue 10): all 63 provinces of the three-level structure, ten years of
"Dân vận khéo" models with their careers, awards, supervision, phản biện conferences and People's
Inspection cases with findings that open kiến nghị, dialogues held and the kiến nghị raised there
or received otherwise, each carried through its lifecycle. About ten million events at scale 1.

Each province's volume is its number of communes times Hà Nội's published rate per commune and
year (seeds 000 and 003: models, supervision and phản biện 2013–2023, People's Inspection 2021),
dialogues at Hải Phòng's rate (seed 004); direct kiến nghị and awards are this scenario's own
figures. Records dated from 1 July 2025 on name the 2025 units the province's communes became.

Written in parts, one per province, year and service (registry, dialogue), each drawn from its
own generator (seed, province, year, service). A part's records and its marker are saved in one
transaction, so an interrupted run leaves whole parts only, and a rerun skips the parts already
saved and writes the rest; once every part is in, the scenario's own marker makes reruns no-ops.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tqdm import tqdm

from services.scenarios import haiphong, hanoi
from services.scenarios.marker import ScenarioLoaded
from services.scenarios.writer import ScenarioWriter
from shared.units import LEGACY_END, Level, Structure, Unit

YEARS = range(2016, 2026)
END = date(2025, 12, 31)
HANOI_YEARS = (hanoi.END - hanoi.START).days / 365.25
HAIPHONG_YEARS = 8.5  # 2015 – 6/2023

# levels of the three-level structure; from 1 July 2025 district shares go to the communes
SUPERVISION_LEVELS = hanoi.SUPERVISIONS
SOCIAL_CRITICISM_LEVELS = hanoi.SOCIAL_CRITICISM
MODEL_LEVELS = dict(hanoi.MODEL_LEVELS)
DIALOGUE_LEVELS = dict(haiphong.DIALOGUE_LEVELS)
AWARD_LEVELS = {Level.DISTRICT: 0.3, Level.COMMUNE: 0.7}
CONFERRED_BY = {Level.DISTRICT: "province", Level.COMMUNE: "district"}

# this scenario's own figures, per commune and year
KIEN_NGHI_PER_COMMUNE_YEAR = 0.5  # received at tiếp dân, voter meetings, from the app, other
AWARDS_PER_COMMUNE_YEAR = 0.3
CONCLUDED_SHARE = 0.4  # of supervision activities and cases, with a conclusion recorded
KIEN_NGHI_SOURCES = ("citizen_reception", "voter_meeting", "citizen_app", "other")
# what the People's Inspection cases of Hà Nội 2021 came to (seed 003)
RECOMMENDED_SHARE = hanoi.INSPECTION_2021["recommended"] / hanoi.INSPECTION_2021["cases"]
VIOLATION_SHARE = hanoi.INSPECTION_2021["with_violation_signs"] / hanoi.INSPECTION_2021["cases"]
EVENTS_PER_COMMUNE_YEAR = 104  # measured: for the progress bar's estimate only


@dataclass
class Rates:
    """Records per commune and year, from the published figures."""

    models: float
    supervisions: float
    social_criticism: float
    inspection_cases: float
    dialogues: float

    @classmethod
    def published(cls, writer: ScenarioWriter) -> Rates:
        hanoi_communes = len(writer.units(hanoi.PROVINCE, Level.COMMUNE))
        haiphong_communes = len(writer.units(haiphong.PROVINCE, Level.COMMUNE))
        per_hanoi_commune_year = hanoi_communes * HANOI_YEARS
        return cls(
            models=hanoi.MODELS / per_hanoi_commune_year,
            supervisions=sum(hanoi.SUPERVISIONS.values()) / per_hanoi_commune_year,
            social_criticism=sum(hanoi.SOCIAL_CRITICISM.values()) / per_hanoi_commune_year,
            inspection_cases=hanoi.INSPECTION_2021["cases"] / hanoi_communes,
            dialogues=sum(haiphong.DIALOGUES.values()) / (haiphong_communes * HAIPHONG_YEARS),
        )


@dataclass
class Province:
    """A province of the three-level structure and the 2025 units its communes became."""

    legacy: dict[Level, list[Unit]]
    reformed: dict[Level, list[Unit]]

    @property
    def unit(self) -> Unit:
        return self.legacy[Level.PROVINCE][0]

    @property
    def communes(self) -> int:
        return len(self.legacy[Level.COMMUNE])

    def units(self, on: date, level: Level) -> list[Unit]:
        """The units of that level in force on that day (districts: none from 1 July 2025)."""
        if on <= LEGACY_END:
            return self.legacy[level]
        return self.reformed[Level.COMMUNE if level is Level.DISTRICT else level]


def provinces(writer: ScenarioWriter) -> list[Province]:
    return [
        province_of(writer, unit.code)
        for unit in sorted(writer.catalog, key=lambda u: u.code)
        if unit.structure is Structure.LEGACY and unit.level is Level.PROVINCE
    ]


def province_of(writer: ScenarioWriter, code: str) -> Province:
    """A province of the three-level structure (its code) with the 2025 units it became."""
    catalog = writer.catalog
    legacy = {level: writer.units(code, level) for level in Level}
    successors = {catalog.in_2025(c) for c in legacy[Level.COMMUNE]}
    province_2025 = catalog.in_2025(legacy[Level.PROVINCE][0])
    assert province_2025 is not None, code
    reformed = {
        Level.PROVINCE: [province_2025],
        Level.COMMUNE: sorted((u for u in successors if u is not None), key=lambda u: u.code),
    }
    return Province(legacy, reformed)


@dataclass(frozen=True)
class Span:
    """What a part covers: the days its records begin on (first to last), the last day their
    careers reach (end), and how many records of a kind it holds at a rate per commune and
    year."""

    first: date
    last: date
    end: date
    count: Callable[[float], int]


def year_span(province: Province, scale: float, year: int) -> Span:
    return Span(
        date(year, 1, 1),
        date(year, 12, 31),
        END,
        lambda rate: _count(rate, province, scale, year),
    )


@dataclass
class Tally:
    """What a run wrote, counted while writing."""

    events: Counter[tuple[str, int]] = field(default_factory=Counter)  # (province, year)
    models: Counter[tuple[str, str]] = field(default_factory=Counter)  # (structure, province)
    records: Counter[str] = field(default_factory=Counter)
    parts_written: int = 0
    parts_skipped: int = 0

    def summary(self) -> dict[str, Any]:
        return {
            "events_written": sum(self.events.values()),
            "provinces": len({p for p, _ in self.events}),
            "parts_written": self.parts_written,
            "parts_skipped": self.parts_skipped,
            "records": dict(self.records),
        }


class Progress:
    """One bar over the whole job, in events, fed from the batches as they fill."""

    def __init__(self, writer: ScenarioWriter, total: int) -> None:
        self.writer = writer
        self.bar = tqdm(
            total=total,
            desc="national",
            unit="ev",
            unit_scale=True,
            smoothing=0.05,
            disable=not writer.progress,
        )
        self.shown = 0  # of the current part, not yet saved

    def tick(self, service: str) -> None:
        pending = self.writer.pending_events(service)
        self.bar.update(pending - self.shown)
        self.shown = pending

    def saved(self, events: int) -> None:
        self.bar.update(events - self.shown)
        self.shown = 0

    def close(self) -> None:
        self.bar.total = self.bar.n
        self.bar.refresh()
        self.bar.close()


TICK = 500  # records between progress updates
BATCH_SIZE = 10**9  # the loader's batches never save on their own: write() saves each part whole


def write(writer: ScenarioWriter, scale: float) -> dict[str, Any]:
    writer.recount = True  # plausible figures, not a seed's: duplicates, reopenings
    rates = Rates.published(writer)
    nation = provinces(writer)
    estimate = sum(p.communes for p in nation) * len(YEARS) * EVENTS_PER_COMMUNE_YEAR * scale
    progress = Progress(writer, round(estimate))
    tally = Tally()
    parts: dict[str, Callable[[Province, Span, Progress, Tally], None]] = {
        "registry": lambda *a: registry_part(writer, rates, *a),
        "dialogue": lambda *a: dialogue_part(writer, rates, *a),
    }
    seed_rng = writer.rng
    try:
        for province in nation:
            code = province.unit.code
            for year in YEARS:
                progress.bar.set_postfix_str(f"{province.unit.name} {year}", refresh=False)
                for service, write_part in parts.items():
                    name = f"national/{code}/{year}/{service}"
                    marker = ScenarioLoaded.create_id(name, scale, writer.seed)
                    app = writer.registry if service == "registry" else writer.dialogue
                    if writer.is_saved(app, marker):
                        tally.parts_skipped += 1
                        assert progress.bar.total is not None  # the bar was made with one
                        progress.bar.total -= round(
                            province.communes * EVENTS_PER_COMMUNE_YEAR * scale / 2
                        )
                        continue
                    writer.reseed(f"{writer.seed}/{code}/{year}/{service}")
                    write_part(province, year_span(province, scale, year), progress, tally)
                    saved = writer.commit(
                        service, ScenarioLoaded(name=name, scale=scale, seed=writer.seed)
                    )
                    progress.saved(saved)
                    tally.events[(code, year)] += saved
                    tally.parts_written += 1
    finally:
        writer.rng = seed_rng
        progress.close()
    summary = tally.summary()
    summary["tally"] = tally
    return summary


def _count(rate: float, province: Province, scale: float, year: int) -> int:
    """Records of a kind in a province's year: its communes at the rate, scaled, rounded so that
    the years add up to the decade's figure rounded (small rates still show at small scales)."""
    per_year = rate * province.communes * scale
    return round(per_year * (year - YEARS[0] + 1)) - round(per_year * (year - YEARS[0]))


def registry_part(
    writer: ScenarioWriter,
    rates: Rates,
    province: Province,
    span: Span,
    progress: Progress,
    tally: Tally,
    progressing: float = 0.0,
) -> None:
    """A province's models (with their careers; with progressing, that share reports its
    progress too) and awards over the span."""
    first, last = span.first, span.last
    levels, weights = list(MODEL_LEVELS), list(MODEL_LEVELS.values())
    for i in range(span.count(rates.models)):
        on = writer.day(first, last)
        level = writer.rng.choices(levels, weights)[0]
        unit = writer.pick(province.units(on, level))
        model_id = writer.model(unit, on)
        if progressing and writer.rng.random() < progressing:
            writer.progress_report(model_id, writer.after(on, 14, 120, span.end))
        writer.model_career(
            model_id,
            unit,
            on,
            span.end,
            province.legacy[Level.COMMUNE],
            province.reformed[Level.COMMUNE],
        )
        tally.models[(str(unit.structure), unit.province_code)] += 1
        tally.records["models"] += 1
        if i % TICK == TICK - 1:
            progress.tick("registry")
    levels, weights = list(AWARD_LEVELS), list(AWARD_LEVELS.values())
    for _ in range(span.count(AWARDS_PER_COMMUNE_YEAR)):
        on = writer.day(first, last)
        level = writer.rng.choices(levels, weights)[0]
        by = CONFERRED_BY[level] if on <= LEGACY_END else "province"  # no districts since
        writer.award(writer.pick(province.units(on, level)), on, by)
        tally.records["awards"] += 1


def dialogue_part(
    writer: ScenarioWriter,
    rates: Rates,
    province: Province,
    span: Span,
    progress: Progress,
    tally: Tally,
) -> None:
    """A province's supervision, phản biện, People's Inspection, dialogues and kiến nghị over
    the span."""
    first, last, end = span.first, span.last, span.end
    written = 0

    def tick() -> None:
        nonlocal written
        written += 1
        if written % TICK == 0:
            progress.tick("dialogue")

    def until(on: date) -> date:
        """The last day a record begun that day may name its unit: the structure's last."""
        return min(LEGACY_END, end) if on <= LEGACY_END else end

    def level_mix(figures: dict[Level, int]) -> tuple[list[Level], list[float]]:
        return list(figures), list(figures.values())

    for kind, figures, rate in (
        ("supervision", SUPERVISION_LEVELS, rates.supervisions),
        ("social_criticism", SOCIAL_CRITICISM_LEVELS, rates.social_criticism),
    ):
        levels, weights = level_mix(figures)
        for _ in range(span.count(rate)):
            on = writer.day(first, last)
            level = writer.rng.choices(levels, weights)[0]
            activity = writer.supervision(writer.pick(province.units(on, level)), kind, on)
            closing = until(on)
            concluded_on = on
            if writer.rng.random() < 0.3:
                raised = concluded_on = writer.after(on, 7, 60, closing)
                violation = kind == "supervision" and writer.rng.random() < 0.25
                recommends = violation or writer.rng.random() < 0.1
                opened = writer.finding(
                    activity,
                    raised,
                    violation,
                    "Đề nghị cơ quan có thẩm quyền xem xét" if recommends else None,
                )
                if opened is not None:
                    writer.handle(opened, raised, end)
                    tally.records["kien_nghi"] += 1
            if writer.rng.random() < CONCLUDED_SHARE:
                writer.conclude(activity, writer.after(concluded_on, 0, 30, closing))
            tally.records[kind] += 1
            tick()

    for _ in range(span.count(rates.inspection_cases)):
        on = writer.day(first, last)
        case = writer.supervision(
            writer.pick(province.units(on, Level.COMMUNE)),
            "inspection_case",
            on,
            body="people_inspection_board",
        )
        closing = until(on)
        raised = writer.after(on, 3, 30, closing)
        roll = writer.rng.random()
        if roll < RECOMMENDED_SHARE:
            opened = writer.finding(case, raised, True, "Đề nghị cơ quan có thẩm quyền xử lý")
            if opened is not None:
                writer.handle(opened, raised, end, resolve=0.9)
                tally.records["kien_nghi"] += 1
        elif roll < VIOLATION_SHARE:
            writer.finding(case, raised, True, None)
        elif writer.rng.random() < 0.7:
            writer.finding(case, raised, False, None)
        if writer.rng.random() < CONCLUDED_SHARE:
            writer.conclude(case, writer.after(raised, 0, 30, closing))
        tally.records["inspection_case"] += 1
        tick()

    levels, weights = list(DIALOGUE_LEVELS), list(DIALOGUE_LEVELS.values())
    for _ in range(span.count(rates.dialogues)):
        on = writer.day(first, last)
        unit = writer.pick(province.units(on, writer.rng.choices(levels, weights)[0]))
        dialogue_id = writer.dialogue_held(unit, on, writer.rng.randint(30, 300))
        for _ in range(writer.rng.choice((0, 0, 0, 1, 1, 1))):
            kien_nghi = writer.kien_nghi(unit, on, "dialogue", str(dialogue_id))
            writer.handle(kien_nghi, on, end)
            tally.records["kien_nghi"] += 1
        tally.records["dialogues"] += 1
        tick()

    for _ in range(span.count(KIEN_NGHI_PER_COMMUNE_YEAR)):
        on = writer.day(first, last)
        unit = writer.pick(province.units(on, Level.COMMUNE))
        kien_nghi = writer.kien_nghi(unit, on, writer.pick(KIEN_NGHI_SOURCES))
        writer.handle(kien_nghi, on, end)
        tally.records["kien_nghi"] += 1
        tick()
