"""Records → search entries (tables.SearchEntry): what search shows of a model, dialogue,
supervision or kiến nghị and the words it is found by, kept by the same feed items as the
record's own rows (projections.dispatch runs this after them, so the record's row is current).

A record's first event makes its entry; later events that change what search shows or finds of
it change the entry (CHANGING), so a record is found by its present words and not its old ones.
A kiến nghị is indexed by its content, never by what its citizen wrote later (a reopening's
reason, a rating's comment) nor by anything of the person.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import lru_cache

from services.aggregator.projections.rows import Changes, Row
from services.aggregator.projections.units import unit_columns
from services.aggregator.rendering.codes import (
    DIALOGUE_KINDS,
    FIELDS,
    HOST_BODIES,
    KIEN_NGHI_CATEGORIES,
    SECTORS,
    SUPERVISION_BODIES,
    SUPERVISION_KINDS,
    Text,
)
from services.aggregator.search.keys import doc_of, doc_on, entry_keys
from services.aggregator.search.words import terms
from services.aggregator.tables import KienNghiRow, SearchEntry
from shared.events import FeedItem, position_of
from shared.units import Structure, UnitCatalog

Item = FeedItem
TITLE_LENGTH = 300
KIEN_NGHI_TITLE = 120  # a kiến nghị has no title: the start of its content stands for one
TEXT_LENGTH = 4000  # what an entry keeps of a long text (a supervision gathers its findings)
KIEN_NGHI_CHANGES = (
    "Acknowledged",  # its tracking code
    "Assigned",
    "Transferred",  # its agency
    "Classified",  # its category
    "Answered",
    "Resolved",
    "Declined",
    "Reopened",
    "MergedInto",  # its status
)
CHANGING = frozenset(
    {
        "Model.Discontinued",
        "Dialogue.Held",
        "Dialogue.Cancelled",
        "Supervision.FindingRaised",
        "Supervision.Concluded",
        *(f"KienNghi.{step}" for step in KIEN_NGHI_CHANGES),
    }
)


def search_records(item: Item) -> list[tuple[type, str]]:
    """The entry this item changes, to read before the batch is projected."""
    return [(SearchEntry, str(item["aggregate_id"]))] if item["type"] in CHANGING else []


def index_for_search(changes: Changes, item: Item, catalog: UnitCatalog) -> None:
    data, record_id = item["data"], str(item["aggregate_id"])
    match item["type"]:
        case "Model.Registered":
            facets = [data["body"], *_names(SECTORS, [data["sector"]])]
            facets += _names(FIELDS, data["fields"])
            _add(changes, item, catalog, "model", data["title"], data["description"], facets)
        case "Dialogue.Scheduled":
            facets = [data["host_title"], *_names(HOST_BODIES, [data["host_body"]])]
            facets += _names(DIALOGUE_KINDS, [data["kind"]])
            text = "; ".join(data.get("topics") or ())
            _add(changes, item, catalog, "dialogue", data["title"], text, facets)
        case "Supervision.Started":
            facets = _names(SUPERVISION_KINDS, [data["kind"]])
            facets += _names(SUPERVISION_BODIES, [data["body"]])
            _add(changes, item, catalog, "supervision", data["title"], data["subject"], facets)
        case "KienNghi.Received":
            row = changes.get(KienNghiRow, record_id)
            title, content = _cut(data["content"], KIEN_NGHI_TITLE), data["content"]
            _add(changes, item, catalog, "kien_nghi", title, content, _kien_nghi_facets(row))
        case kind if kind in CHANGING:
            entry = changes.find(SearchEntry, record_id)
            if entry is not None:  # else made before migration 0014: the next rebuild has it
                entry = _changed(entry, item, changes, catalog)
                entry["key_terms"] = entry_keys(entry)


def _changed(entry: Row, item: Item, changes: Changes, catalog: UnitCatalog) -> Row:
    """The entry as this item changes it (a held dialogue's: another row, its day moved)."""
    data = item["data"]
    match item["type"]:
        case "Model.Discontinued":
            entry["status"] = "discontinued"
        case "Dialogue.Held":
            entry = _moved(changes, entry, date.fromisoformat(data["held_on"]))
            entry["status"] = "held"
            _set_text(entry, "; ".join(data.get("topics") or ()), data.get("summary"))
        case "Dialogue.Cancelled":
            entry["status"] = "cancelled"
        case "Supervision.FindingRaised":
            _set_text(entry, entry["text"], data["summary"])
        case "Supervision.Concluded":
            entry["status"] = "concluded"
            _set_text(entry, entry["text"], data["conclusion"])
        case _:
            row = changes.get(KienNghiRow, str(item["aggregate_id"]))
            _kien_nghi_changed(entry, row, catalog)
    return entry


def _moved(changes: Changes, entry: Row, day: date) -> Row:
    """The entry on another day: its doc, which orders by day, moves with it."""
    if day == entry["occurred_on"]:
        return entry
    moved = {**entry, "doc": doc_on(day, entry["doc"]), "occurred_on": day}
    return changes.replace(SearchEntry, entry, moved, entry["id"])


def _add(
    changes: Changes,
    item: Item,
    catalog: UnitCatalog,
    kind: str,
    title: str,
    text: str,
    facets: Sequence[str | None],
) -> Row:
    """A record's entry, from its first event."""
    data = item["data"]
    where = unit_columns(catalog, data["unit_code"], data["unit_structure"])
    day = date.fromisoformat(next(data[k] for k in DAYS if k in data))
    entry: Row = {
        "doc": doc_of(day, position_of(item), registry=kind == "model"),
        "id": str(item["aggregate_id"]),
        "kind": kind,
        "title": _cut(title, TITLE_LENGTH),
        "status": FIRST_STATUS[kind],
        "occurred_on": day,
        "tracking_code": None,
        "title_terms": terms(title),
        "facet_terms": _facet_terms(catalog, where, facets),
        **where,
    }
    _set_text(entry, text)
    entry["key_terms"] = entry_keys(entry)
    return changes.add(SearchEntry, entry, entry["id"])


FIRST_STATUS = {
    "model": "active",
    "dialogue": "scheduled",
    "supervision": "open",
    "kien_nghi": "received",
}
DAYS = ("registered_on", "scheduled_on", "started_on", "received_on")  # of a first event


def _kien_nghi_facets(row: Row) -> list[str | None]:
    """What a kiến nghị is also found by: its category, agency and tracking code."""
    return [*_names(KIEN_NGHI_CATEGORIES, [row["category"]]), row["agency"], row["tracking_code"]]


def _kien_nghi_changed(entry: Row, row: Row, catalog: UnitCatalog) -> None:
    """A kiến nghị's entry as its current row stands."""
    entry["status"], entry["tracking_code"] = row["status"], row["tracking_code"]
    entry["facet_terms"] = _facet_terms(catalog, row, _kien_nghi_facets(row))


def _facet_terms(catalog: UnitCatalog, where: Row, facets: Sequence[str | None]) -> str:
    return terms(*facets, unit_names(catalog, where["unit_structure"], where["unit_code"]))


def _set_text(entry: Row, *parts: str | None) -> None:
    text = _cut(". ".join(p for p in parts if p), TEXT_LENGTH)
    entry["text"], entry["text_terms"] = text, terms(text)


def _cut(text: str, length: int) -> str:
    """The text, or as many of its first words as fit in length with an ellipsis."""
    if len(text) <= length:
        return text
    head = text[: length - 1]
    return (head.rsplit(maxsplit=1)[0] if " " in head.strip() else head).rstrip() + "…"


def _names(codes: dict[str, Text], values: list[str]) -> list[str]:
    """The Vietnamese and English names of coded values (a code no longer named: itself)."""
    return [name for value in values for name in codes.get(value, (value,))]


@lru_cache(maxsize=16384)
def unit_names(catalog: UnitCatalog, structure: str, code: str) -> str:
    """The names of a unit, the units above it, and those it rolls up onto in 2025."""
    unit = catalog.get(structure, code)
    if unit is None:
        return ""
    rolled = catalog.in_2025(unit)
    chain = [unit, *catalog.ancestors(unit)]
    if rolled is not None and rolled.structure is Structure.V2025 and rolled != unit:
        chain += [rolled, *catalog.ancestors(rolled)]
    return " ".join(dict.fromkeys(u.name for u in chain))
