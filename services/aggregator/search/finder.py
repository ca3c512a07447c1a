"""Finding records by their words within a reader's scope: the hits of one page, a cursor to
the next page, and how many there are.

Best match first, then newest (by doc: the record's first day, then the order its events came
in); but of a query matching more than rank_up_to records (a common word alone; a setting,
10,000 by default), newest first only: ranking them all would read every one, and a reader
narrows such a query rather than read its thousands of equally good hits. The index itself
walks entries newest first, so such a page costs what a rare word's does.

A page ends where its last hit stands in that order; the cursor carries that place (the score,
or none when newest first, and the doc), so the next page starts after it whatever was indexed
in between. No personal data: the entries hold none (projections.search).
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import orjson
from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from services.aggregator.search.full_text import Keys, Match, match, walk_newest_first
from services.aggregator.search.keys import (
    first_doc,
    kind_key,
    last_doc,
    province_key,
    status_key,
    unit_key,
)
from services.aggregator.search.snippets import snippet
from services.aggregator.search.words import Phrase, phrases
from services.aggregator.tables import SearchEntry
from shared.errors import InvalidInput
from shared.input_types import BIGINT_MAX
from shared.units import UnitCatalog

COUNT_UP_TO = 10_000  # beyond, a count says "more than"
# where each kind's record is read, on which service
RESOURCES = {
    "model": ("registry", "/models/{id}"),
    "dialogue": ("dialogue", "/dialogues/{id}"),
    "supervision": ("dialogue", "/supervisions/{id}"),
    "kien_nghi": ("dialogue", "/kien-nghi/{id}"),
}
PAGES = {"kien_nghi": "/dashboard/kien-nghi/{id}"}  # a record's own page on the dashboard


@dataclass(frozen=True)
class Place:
    """Where a hit stands in the order of the answer: its score (None: newest first) and doc."""

    score: float | None
    doc: int

    def cursor(self) -> str:
        raw = orjson.dumps([self.score, self.doc])
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def of_cursor(cls, cursor: str) -> Place:
        """The place a cursor names; 422 naming cursor for one this API did not give."""
        try:
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
            score, doc = orjson.loads(raw)
        except (ValueError, TypeError, binascii.Error):
            score, doc = "", None
        ranked = isinstance(score, float | int) and not isinstance(score, bool)
        if not (ranked or score is None) or type(doc) is not int or not 0 <= doc <= BIGINT_MAX:
            raise InvalidInput("search_cursor_invalid", field="cursor")
        return cls(float(score) if ranked else None, doc)


@dataclass(frozen=True)
class SearchFilter:
    query: str
    kinds: tuple[str, ...] = ()  # any of these; none: every kind
    unit: str | None = None  # a unit's records and those of the units under it
    province: str | None = None  # recorded or 2025 code
    start: date | None = None  # the record's day, from
    end: date | None = None  # … to, inclusive
    status: str | None = None
    limit: int = 20
    after: Place | None = None  # the cursor: the page starts after this place
    scope: tuple[str, ...] | None = None  # an officer's units
    rank_up_to: int = 10_000  # more matches: newest first

    def keys(self) -> Keys:
        """The filters the index matches by the entries' keys (search.keys)."""
        groups: list[list[str]] = [[kind_key(k) for k in self.kinds]]
        groups.append([unit_key(self.unit)] if self.unit else [])
        groups.append([province_key(self.province)] if self.province else [])
        groups.append([status_key(self.status)] if self.status else [])
        groups.append([unit_key(code) for code in self.scope or ()])
        return [group for group in groups if group]

    def days(self, doc: Any) -> list[Any]:
        """The record's day from start to end, as a range of the index's docs."""
        return [
            *([doc >= first_doc(self.start)] if self.start is not None else []),
            *([doc <= last_doc(self.end)] if self.end is not None else []),
        ]


@dataclass
class SearchPage:
    items: list[dict[str, Any]]
    next: str | None  # the cursor of the next page; None: this is the last
    total: int
    total_exact: bool = True  # False: there are more than total (COUNT_UP_TO)
    phrases: list[Phrase] = field(default_factory=list)


def search(session: Session, wanted: SearchFilter, catalog: UnitCatalog) -> SearchPage:
    looked_for = phrases(wanted.query)
    if not looked_for:
        raise InvalidInput("search_words_missing", field="q")
    if wanted.scope == ():  # an officer without units sees nothing
        return SearchPage([], None, 0, True, looked_for)
    found = match(session.get_bind().dialect.name, looked_for, wanted.keys())
    days = wanted.days(found.doc)
    up_to = max(COUNT_UP_TO, wanted.rank_up_to)
    counted = select(found.doc).select_from(found.index).where(found.where, *days)
    counted = counted.limit(up_to + 1)
    total = int(session.scalar(select(func.count()).select_from(counted.subquery())) or 0)
    after = wanted.after
    ranked = total <= wanted.rank_up_to if after is None else after.score is not None
    if not ranked:
        walk_newest_first(session)
    rows = session.execute(_page(found, wanted, days, ranked)).all()
    page = rows[: wanted.limit]
    last = page[-1] if page and len(rows) > wanted.limit else None
    following = Place(last.score if ranked else None, last.doc).cursor() if last else None
    items = [_hit(row, looked_for, catalog) for row in page]
    return SearchPage(items, following, min(total, up_to), total <= up_to, looked_for)


def _page(found: Match, wanted: SearchFilter, days: list[Any], ranked: bool) -> Select[Any]:
    e = SearchEntry.__table__.c
    score, doc = found.score.label("score"), found.doc.label("doc")
    stmt = (
        select(e.id, e.kind, e.title, e.text, e.status, e.occurred_on, e.tracking_code)
        .add_columns(e.unit_code, e.unit_structure, doc, *([score] if ranked else []))
        .select_from(found.source)
        .where(found.where, *days)
    )
    after = wanted.after
    if ranked:
        if after is not None and after.score is not None:
            stmt = stmt.where(
                or_(
                    found.score < after.score,
                    and_(found.score == after.score, found.doc < after.doc),
                )
            )
        return stmt.order_by(score.desc(), doc.desc()).limit(wanted.limit + 1)
    if after is not None:
        stmt = stmt.where(found.doc < after.doc)
    return stmt.order_by(doc.desc()).limit(wanted.limit + 1)


def _hit(row: Any, looked_for: list[Phrase], catalog: UnitCatalog) -> dict[str, Any]:
    unit = catalog.get(row.unit_structure, row.unit_code)
    service, path = RESOURCES[row.kind]
    return {
        "kind": row.kind,
        "id": row.id,
        "title": row.title,
        "snippet": snippet(row.text, looked_for),
        "status": row.status,
        "date": row.occurred_on,
        "tracking_code": row.tracking_code,
        "unit": {
            "code": row.unit_code,
            "name": unit.name if unit is not None else None,
            "structure": row.unit_structure,
        },
        "service": service,
        "path": path.format(id=row.id),
        "page": PAGES[row.kind].format(id=row.id) if row.kind in PAGES else None,
    }
