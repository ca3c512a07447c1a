"""The overview of a unit: six figures against the comparison period, and the units below."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from services.aggregator.dashboard import charts
from services.aggregator.dashboard.areas import AREAS, on_time_rate
from services.aggregator.dashboard.reports import Call, Reports, ratio
from services.aggregator.dashboard.tables import HtmlCell, HtmlTable, figure_text
from services.aggregator.dashboard.text import ui
from services.aggregator.dashboard.units import UnitRows
from services.aggregator.rendering.codes import SUPERVISION_KINDS
from services.aggregator.rendering.labels import REPORTS, pick, word
from services.aggregator.reports.sources import DIALOGUES, KIEN_NGHI, MODELS, SUPERVISIONS

# key, area page, metric, supervision kind (None: the whole source)
CARDS = (
    ("models", "models", "registered", None),
    ("dialogues", "dialogues", "held", None),
    ("supervision", "supervision", "activities", "supervision"),
    ("social_criticism", "supervision", "activities", "social_criticism"),
    ("inspection_case", "supervision", "activities", "inspection_case"),
    ("kien_nghi", "kien-nghi", "received", None),
)
# the columns of the table of units below: area page, metric
CHILD_COLUMNS = (
    ("models", "registered"),
    ("dialogues", "held"),
    ("supervision", "activities"),
    ("kien-nghi", "received"),
    ("kien-nghi", "overdue"),
)


@dataclass
class Card:
    key: str
    title: str
    metric: str
    value: str
    previous: str | None
    ratio: str | None
    raw: dict[str, Any]  # value, previous, ratio as numbers
    page: str
    call: Call
    extra: list[str] = field(default_factory=list)


@dataclass
class Overview:
    cards: list[Card]
    chart: dict[str, Any]
    children: HtmlTable | None
    children_downloads: list[tuple[str, dict[str, str]]]


def build_overview(reports: Reports, units: UnitRows) -> Overview:
    view, lang = reports.view, reports.view.lang
    against = view.compare_api
    calls = {s.name: Call(s, compare=against) for s in (MODELS, DIALOGUES, KIEN_NGHI)}
    calls["kinds"] = Call(SUPERVISIONS, ("kind",))
    if against:
        calls["kinds_before"] = Call(SUPERVISIONS, ("kind",), period=against)
    if view.child_dimension:
        calls |= children_calls(reports)
    totals = reports.run_all(calls)  # side by side
    kinds = totals["kinds"]["rows"]
    kinds_before = totals["kinds_before"]["rows"] if against else []
    cards = []
    for key, page, metric, kind in CARDS:
        source = AREAS[page].source
        labels = REPORTS[source.name]
        if kind is None:
            body = totals[source.name]
            value = body["total"][metric]
            before = body["compare"]["total"][metric] if against else None
            title = pick(labels.title, lang)
        else:
            value = sum(r[metric] for r in kinds if r["kind"] == kind)
            before = sum(r[metric] for r in kinds_before if r["kind"] == kind) if against else None
            title = pick(SUPERVISION_KINDS[kind], lang)
        share = ratio(value, before)
        card = Card(
            key,
            title,
            labels.metric(metric, lang),
            figure_text(value, "count", lang),
            figure_text(before, "count", lang) if against else None,
            figure_text(share, "ratio", lang) if against else None,
            {"value": value, "previous": before, "ratio": share},
            page,
            Call(source, filters={"kind": kind} if kind else {}, compare=against),
        )
        if source is KIEN_NGHI:
            rate = on_time_rate(body["total"])
            text = f"{ui('on_time_rate', lang)}: {figure_text(rate, 'ratio', lang)}"
            if against:
                earlier = on_time_rate(body["compare"]["total"])
                text += f" ({word('compare', lang).lower()}: {figure_text(earlier, 'ratio', lang)})"
                card.raw["on_time_previous"] = earlier
            card.raw["on_time"] = rate
            card.extra.append(text)
        cards.append(card)
    chart = charts.bars(
        [c.title for c in cards],
        [(ui("ratio", lang), [c.raw["ratio"] for c in cards])],
        lang,
        horizontal=True,
        percent=True,
    )
    children, downloads = children_table(reports, units) if view.child_dimension else (None, [])
    return Overview(cards, chart, children, downloads)


def children_calls(reports: Reports) -> dict[str, Call]:
    dimension = reports.view.child_dimension or "unit"
    pages = dict.fromkeys(p for p, _ in CHILD_COLUMNS)
    return {f"below:{page}": Call(AREAS[page].source, (dimension,)) for page in pages}


def children_table(
    reports: Reports, units: UnitRows
) -> tuple[HtmlTable, list[tuple[str, dict[str, str]]]]:
    """The main figure of each area for each unit below, each unit linking one level down."""
    view, lang = reports.view, reports.view.lang
    dimension = view.child_dimension or "unit"
    calls = {key.removeprefix("below:"): call for key, call in children_calls(reports).items()}
    bodies = {page: reports.run(call) for page, call in calls.items()}
    downloads = [(AREAS[p].title(lang), call.downloads(view)) for p, call in calls.items()]
    found: dict[tuple[Any, Any], dict[str, Any]] = {}
    for page, body in bodies.items():
        for row in body["rows"]:
            key = (row.get("unit_structure"), row[dimension])
            found.setdefault(key, {"row": row})[page] = row
    titles = [ui("children", lang)] + [
        f"{AREAS[p].title(lang)}: {REPORTS[AREAS[p].source.name].metric(m, lang).lower()}"
        for p, m in CHILD_COLUMNS
    ]
    table = HtmlTable(titles, [False] + [True] * len(CHILD_COLUMNS), total_rows=1)
    for key in sorted(found, key=lambda k: (k[1] is not None, str(k[0]), str(k[1]))):
        entry = found[key]
        row = entry["row"]
        cells = [HtmlCell(units.name(row), href=units.link(row))]
        for page, metric in CHILD_COLUMNS:
            value = entry[page][metric] if page in entry else 0
            cells.append(HtmlCell(figure_text(value, "count", lang), True, value))
        table.rows.append(cells)
    total = [HtmlCell(word("total", lang))]
    for page, metric in CHILD_COLUMNS:
        value = bodies[page]["total"][metric]
        total.append(HtmlCell(figure_text(value, "count", lang), True, value))
    table.rows.append(total)
    return table, downloads
