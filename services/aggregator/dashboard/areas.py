"""One page per area (models, dialogues, supervision, kiến nghị): the main figures against the
comparison period, then by level, by unit below, over time and term against term."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from services.aggregator.dashboard import charts
from services.aggregator.dashboard.reports import Call, Reports, ratio
from services.aggregator.dashboard.tables import HtmlTable, figures_table, report_table
from services.aggregator.dashboard.text import period_label, ui
from services.aggregator.dashboard.units import UnitRows
from services.aggregator.rendering.labels import REPORTS, pick
from services.aggregator.rendering.numbers import kind_of
from services.aggregator.reports.engine import Source
from services.aggregator.reports.handling import AGENCIES, HANDLING
from services.aggregator.reports.sources import DIALOGUES, KIEN_NGHI, MODELS, SUPERVISIONS
from shared.periods import TERMS

LEVEL_ORDER = ("central", "province", "district", "commune")


@dataclass(frozen=True)
class Area:
    slug: str  # its page: /dashboard/<slug>
    source: Source
    chart_metrics: tuple[str, ...]
    main: str
    split: str | None = None  # a dimension charted beside level

    def title(self, lang: str) -> str:
        return pick(REPORTS[self.source.name].title, lang)


AREAS = {
    a.slug: a
    for a in (
        Area(
            "models", MODELS, ("registered", "recognised", "commended", "replicated"), "registered"
        ),
        Area("dialogues", DIALOGUES, ("held", "scheduled", "cancelled"), "held"),
        Area(
            "supervision",
            SUPERVISIONS,
            ("activities", "with_findings", "with_violation_signs", "recommended"),
            "activities",
            split="kind",
        ),
        Area(
            "kien-nghi",
            KIEN_NGHI,
            ("received", "resolved", "resolved_on_time", "overdue"),
            "received",
        ),
    )
}


@dataclass
class Section:
    key: str
    title: str
    table: HtmlTable
    chart: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)
    more_downloads: list[tuple[str, dict[str, str]]] = field(default_factory=list)


def area_calls(reports: Reports, area: Area) -> dict[str, Call]:
    view, source = reports.view, area.source
    current, previous = current_term(reports)
    calls = {
        "summary": Call(source, compare=view.compare_api),
        "by-level": Call(source, ("level", area.split) if area.split else ("level",)),
        "by-period": Call(source, (view.by,)),
        "half-1": Call(source, period=f"term:{current}/1", compare=f"term:{previous}/1"),
        "half-2": Call(source, period=f"term:{current}/2", compare=f"term:{previous}/2"),
    }
    if view.child_dimension:
        calls["by-unit"] = Call(source, (view.child_dimension,))
    if source is KIEN_NGHI:
        calls["handling"] = Call(HANDLING, compare=view.compare_api)
        calls["agencies"] = Call(AGENCIES)
    return calls


def area_sections(reports: Reports, units: UnitRows, area: Area) -> list[Section]:
    calls = area_calls(reports, area)
    reports.run_all(calls)  # side by side; each section below reads its report back
    sections = [
        summary(reports, area, calls["summary"]),
        by_level(reports, area, calls["by-level"]),
    ]
    if "by-unit" in calls:
        sections.append(by_unit(reports, units, area, calls["by-unit"]))
    if "handling" in calls:
        sections.append(summary(reports, area, calls["handling"], "handling"))
        sections.append(league(reports, calls["agencies"]))
    sections.append(by_period(reports, area, calls["by-period"]))
    sections.append(terms(reports, area, (calls["half-1"], calls["half-2"])))
    return sections


def metric(area: Area, name: str, lang: str) -> str:
    return REPORTS[area.source.name].metric(name, lang)


def summary(reports: Reports, area: Area, call: Call, key: str = "summary") -> Section:
    """A report's totals, each against the comparison period's."""
    view, lang = reports.view, reports.view.lang
    labels = REPORTS[call.source.name]
    body = reports.run(call)
    total, against = body["total"], body.get("compare")
    titles = [ui(key, lang), period_label(view.period_text, lang)]
    if against:
        titles += [period_label(view.compare_api, lang), ui("ratio", lang)]
    rows = []
    for name, value in total.items():
        kind = kind_of(name)
        figures = [(value, kind)]
        if against:
            figures += [(against["total"][name], kind), (against["ratio"].get(name), "ratio")]
        rows.append((labels.metric(name, lang), figures))
    if call.source is KIEN_NGHI:
        rate = [(on_time_rate(total), "ratio")]
        if against:
            rate += [(on_time_rate(against["total"]), "ratio"), (None, "ratio")]
        rows.append((ui("on_time_rate", lang), rate))
    table = figures_table(titles, rows, lang)
    table.downloads = call.downloads(view)
    return Section(key, ui(key, lang), table)


def league(reports: Reports, call: Call) -> Section:
    """The agencies ranked by on-time rate, charted by that rate."""
    view, lang = reports.view, reports.view.lang
    body = reports.run(call)
    table = report_table(body, lang, call.downloads(view))
    rows = body["rows"]
    rate = REPORTS[call.source.name].metric("on_time_rate", lang)
    chart = charts.bars(
        [row["agency"] for row in rows],
        [(rate, [row["on_time_rate"] for row in rows])],
        lang,
        horizontal=True,
        percent=True,
    )
    return Section("agencies", ui("agencies", lang), table, chart, [ui("agencies_help", lang)])


def on_time_rate(figures: dict[str, Any]) -> float | None:
    return ratio(figures["resolved_on_time"], figures["resolved"])


def by_level(reports: Reports, area: Area, call: Call) -> Section:
    lang, labels = reports.view.lang, REPORTS[area.source.name]
    body = reports.run(call)
    body["rows"].sort(
        key=lambda r: LEVEL_ORDER.index(r["level"]) if r["level"] in LEVEL_ORDER else 9
    )
    levels = list(dict.fromkeys(r["level"] for r in body["rows"]))
    names = [str(labels.value("level", v, lang)) for v in levels]
    if area.split:
        values = list(dict.fromkeys(r[area.split] for r in body["rows"]))
        found = {(r["level"], r[area.split]): r[area.main] for r in body["rows"]}
        series = [
            (str(labels.value(area.split, v, lang)), [found.get((lv, v), 0) for lv in levels])
            for v in values
        ]
    else:
        series = [(metric(area, m, lang), [r[m] for r in body["rows"]]) for m in area.chart_metrics]
    table = report_table(body, lang, call.downloads(reports.view))
    return Section("by-level", ui("by_level", lang), table, charts.bars(names, series, lang))


def by_unit(reports: Reports, units: UnitRows, area: Area, call: Call) -> Section:
    view, lang = reports.view, reports.view.lang
    body = reports.run(call)
    table = report_table(body, lang, call.downloads(view), units)
    ranked = sorted(body["rows"], key=lambda r: -r[area.main])
    chart = charts.bars(
        [units.name(r) for r in ranked],
        [(metric(area, area.main, lang), [r[area.main] for r in ranked])],
        lang,
        links=[units.link(r) for r in ranked],
        horizontal=True,
    )
    return Section("by-unit", ui("by_unit", lang), table, chart, [ui("chart_click", lang)])


def by_period(reports: Reports, area: Area, call: Call) -> Section:
    view, lang = reports.view, reports.view.lang
    body = reports.run(call)
    categories = [str(r[view.by]) for r in body["rows"]]
    series = [(metric(area, m, lang), [r[m] for r in body["rows"]]) for m in area.chart_metrics]
    table = report_table(body, lang, call.downloads(view))
    title = f"{ui('by_period', lang)} – {period_label(view.period_text, lang)}"
    return Section("by-period", title, table, charts.lines(categories, series, lang))


def current_term(reports: Reports) -> tuple[str, str]:
    """The term holding the period's end (or today), and the term before it."""
    period = reports.view.period
    day = period.end if period else reports.today
    names = sorted(TERMS)
    current = next((n for n in names if TERMS[n].start <= day <= TERMS[n].end), names[-1])
    index = max(names.index(current), 1)
    return names[index], names[index - 1]


def terms(reports: Reports, area: Area, calls: tuple[Call, Call]) -> Section:
    """The term holding the period against the term before, half by half and whole; and the
    first half against the whole term before (how mid-term reviews compare)."""
    view, lang = reports.view, reports.view.lang
    current, previous = current_term(reports)
    now, before = [], []  # the main figure in each half, this term and the one before
    for call in calls:
        body = reports.run(call)
        now.append(body["total"][area.main])
        before.append(body["compare"]["total"][area.main])
    rows = [
        (ui(f"half_{i + 1}", lang), [(b, "count"), (n, "count"), (ratio(n, b), "ratio")])
        for i, (n, b) in enumerate(zip(now, before, strict=True))
    ]
    whole_now, whole_before = sum(now), sum(before)
    rows.append(
        (
            ui("whole_term", lang),
            [
                (whole_before, "count"),
                (whole_now, "count"),
                (ratio(whole_now, whole_before), "ratio"),
            ],
        )
    )
    mid_term = ui("half_against_term", lang, current=dash(current), previous=dash(previous))
    rows.append(
        (
            mid_term,
            [(whole_before, "count"), (now[0], "count"), (ratio(now[0], whole_before), "ratio")],
        )
    )
    names = [f"{ui('term', lang)} {dash(t)}" for t in (previous, current)]
    table = figures_table([metric(area, area.main, lang), *names, ui("ratio", lang)], rows, lang)
    series = [(ui(f"half_{i + 1}", lang), [before[i], now[i]]) for i in range(2)]
    section = Section("terms", ui("terms", lang), table, charts.bars(names, series, lang))
    against_whole = Call(area.source, period=f"term:{current}/1", compare=f"term:{previous}")
    section.more_downloads = [
        (ui("half_1", lang), calls[0].downloads(view)),
        (ui("half_2", lang), calls[1].downloads(view)),
        (mid_term, against_whole.downloads(view)),
    ]
    return section


def dash(term: str) -> str:
    return term.replace("-", "–")
