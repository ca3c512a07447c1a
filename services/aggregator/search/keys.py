"""What an entry is filtered and ordered by, inside the full-text index itself, so that a
filter narrows a match as fast as a word does instead of reading every entry a common word
matches to check its columns.

Its keys, words of their own among its indexed words (its fourth part, key_terms, which no
query's words reach): its kind, status, province and the units it counts for; letters and
digits alone, so both stores' tokenizers keep each one whole. And its doc, the index's own key
(FTS5's rowid, PostgreSQL's primary key): its day, then the place of its first event in its
feed, so that a range of days is a range of docs and the index walks entries newest first.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from services.aggregator.reports.engine import SCOPE

PROVINCE_COLUMNS = ("province_code", "province_2025_code")
DAY_SHIFT = 40  # a doc's day above 40 bits of feed position (2**39 events a feed)


def kind_key(kind: str) -> str:
    return "xk" + kind.replace("_", "")


def status_key(status: str) -> str:
    return "xs" + status.replace("_", "")


def unit_key(code: str) -> str:
    """A unit the entry counts for, or one above it, as recorded or in 2025: what an
    officer's scope and the unit filter match, as reports.engine.in_scope does."""
    return "xu" + code


def province_key(code: str) -> str:
    """A province, as recorded or in 2025: what the province filter matches (listing's
    in_province)."""
    return "xp" + code


def entry_keys(entry: Mapping[str, Any]) -> str:
    """An entry's keys, as key_terms keeps them."""
    units = [entry[c] for c in SCOPE if entry[c]]
    provinces = [entry[c] for c in PROVINCE_COLUMNS if entry[c]]
    keys = [kind_key(entry["kind"]), status_key(entry["status"])]
    keys += [unit_key(code) for code in units] + [province_key(code) for code in provinces]
    return " ".join(dict.fromkeys(keys))


def doc_of(day: date, position: int, *, registry: bool) -> int:
    """An entry's doc: its day, then its first event's position (unique: positions are
    within a feed, and the last bit says which feed)."""
    return (day.toordinal() << DAY_SHIFT) | (position << 1) | (0 if registry else 1)


def doc_on(day: date, doc: int) -> int:
    """The doc of the same entry on another day."""
    return (day.toordinal() << DAY_SHIFT) | (doc & ((1 << DAY_SHIFT) - 1))


def first_doc(day: date) -> int:
    """The least doc of an entry of that day or later."""
    return day.toordinal() << DAY_SHIFT


def last_doc(day: date) -> int:
    """The greatest doc of an entry of that day or earlier."""
    return ((day.toordinal() + 1) << DAY_SHIFT) - 1
