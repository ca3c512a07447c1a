"""Finding records by their words within a reader's scope: the hits of one page, best first
(then newest, then by id), a cursor to the next page, and how many there are.

A page ends where its last hit stands in that order; the cursor carries that place (score, day,
id), so the next page starts after it whatever was indexed in between. No personal data: the
entries hold none (projections.search).
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

from services.aggregator.listing import in_province
from services.aggregator.reports.engine import in_scope
from services.aggregator.search.full_text import match
from services.aggregator.search.snippets import snippet
from services.aggregator.search.words import Phrase, phrases
from services.aggregator.tables import SearchEntry
from shared.errors import InvalidInput
from shared.units import UnitCatalog

KINDS = ("model", "dialogue", "supervision", "kien_nghi")
COUNT_UP_TO = 10_000  # beyond, a count says "more than": counting all of a common word costs
# where each kind's record is read, on which service
RESOURCES = {
    "model": ("registry", "/models/{id}"),
    "dialogue": ("dialogue", "/dialogues/{id}"),
    "supervision": ("dialogue", "/supervisions/{id}"),
    "kien_nghi": ("dialogue", "/kien-nghi/{id}"),
}


@dataclass(frozen=True)
class Place:
    """Where a hit stands in the order of the answer: its score, day and id."""

    score: float
    day: date
    id: str

    def cursor(self) -> str:
        raw = orjson.dumps([self.score, self.day.isoformat(), self.id])
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def of_cursor(cls, cursor: str) -> Place:
        """The place a cursor names; 422 naming cursor for one this API did not give."""
        try:
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
            score, day, record_id = orjson.loads(raw)
            if not (isinstance(score, float | int) and isinstance(record_id, str)):
                raise ValueError(cursor)
            return cls(float(score), date.fromisoformat(day), record_id[:36])
        except (ValueError, TypeError, binascii.Error, orjson.JSONDecodeError):
            raise InvalidInput("search_cursor_invalid", field="cursor") from None


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
    dialect = session.get_bind().dialect.name
    found = match(dialect, looked_for)
    e = SearchEntry.__table__.c
    base = select(e.id).select_from(found.source).where(found.where, *_filters(wanted))
    counted = session.scalar(
        select(func.count()).select_from(base.limit(COUNT_UP_TO + 1).subquery())
    )
    total = int(counted or 0)
    score = found.score.label("score")
    stmt: Select[Any] = (
        select(e.id, e.kind, e.title, e.text, e.status, e.occurred_on, e.tracking_code)
        .add_columns(e.unit_code, e.unit_structure, score)
        .select_from(found.source)
        .where(found.where, *_filters(wanted))
    )
    if wanted.after is not None:
        stmt = stmt.where(_after(found.score, wanted.after))
    stmt = stmt.order_by(score.desc(), e.occurred_on.desc(), e.id.desc()).limit(wanted.limit + 1)
    rows = session.execute(stmt).all()
    page = rows[: wanted.limit]
    items = [_hit(row, looked_for, catalog) for row in page]
    last = page[-1] if page else None
    following = (
        Place(float(last.score), last.occurred_on, last.id).cursor()
        if last is not None and len(rows) > wanted.limit
        else None
    )
    return SearchPage(items, following, min(total, COUNT_UP_TO), total <= COUNT_UP_TO, looked_for)


def _filters(wanted: SearchFilter) -> list[Any]:
    e = SearchEntry
    conditions: list[Any] = []
    if wanted.kinds:
        conditions.append(e.kind.in_(wanted.kinds))
    if wanted.unit:
        conditions.append(in_scope(e, (wanted.unit,)))
    if wanted.province:
        conditions.append(in_province(e, wanted.province))
    if wanted.start is not None:
        conditions.append(e.occurred_on >= wanted.start)
    if wanted.end is not None:
        conditions.append(e.occurred_on <= wanted.end)
    if wanted.status:
        conditions.append(e.status == wanted.status)
    if wanted.scope is not None:
        conditions.append(in_scope(e, wanted.scope))
    return conditions


def _after(score: Any, place: Place) -> Any:
    """After this place in the order: a lower score, or the same and older, or the same day
    and a lower id."""
    e = SearchEntry
    return or_(
        score < place.score,
        and_(
            score == place.score,
            or_(
                e.occurred_on < place.day,
                and_(e.occurred_on == place.day, e.id < place.id),
            ),
        ),
    )


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
    }
