"""What an entry is filtered by, kept as words of its own among its indexed words (its fourth
part, key_terms, which no query's words reach): its kind, status, province and the units it
counts for. A filter then narrows the full-text match inside the index itself, as fast as a
word does, instead of reading every entry a common word matches to check its columns.

The keys are letters and digits alone, so both stores' tokenizers keep each one whole.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from services.aggregator.reports.engine import SCOPE

PROVINCE_COLUMNS = ("province_code", "province_2025_code")


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
