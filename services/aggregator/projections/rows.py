"""Rows added in this page's transaction, found again without a flush and a SELECT; versions.

Events of one aggregate usually follow each other within a page; looking a just-added row up
through Session.get would autoflush and query for every one of them. For a versioned table the
cache holds a record's current version: every change of the record in this transaction goes
through it, so a record not in the cache stands in the database as it stood before.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.aggregator.moments import IN_STORE_AT, in_store_at
from services.aggregator.tables import Versioned

R = TypeVar("R")
V = TypeVar("V", bound=Versioned)

Item = dict[str, Any]

_COLUMNS: dict[type, tuple[str, ...]] = {}


def add_row(session: Session, row: Any, key: str) -> None:
    session.add(row)
    session.info.setdefault("rows", {})[(type(row), key)] = row


def get_row(session: Session, kind: type[R], key: str) -> R:
    """The row (of a versioned table: the current version) of a record, by its id."""
    found = session.info.get("rows", {}).get((kind, key))
    if found is None:
        if issubclass(kind, Versioned):
            versioned: Any = kind
            current = select(versioned).where(versioned.id == key, versioned.valid_to.is_(None))
            with session.no_autoflush:  # what this transaction changed is in the cache
                found = session.scalars(current).one_or_none()
        else:
            found = session.get(kind, key)
        if found is None:
            raise LookupError(f"event for an unknown {kind.__name__} {key}")
        session.info.setdefault("rows", {})[(kind, key)] = found
    row: R = found
    return row


def recorded_at(item: Item) -> datetime:
    """When the event stood in the store, in UTC (SQLite keeps no time zone: keep all in one);
    the follower works it out for each item of the feed (moments.in_store_at)."""
    moment = item.get(IN_STORE_AT)
    if moment is None:  # an item projected outside a follower
        moment = item[IN_STORE_AT] = in_store_at(item, None)
    at: datetime = moment
    return at


def make(kind: type[R], /, **values: Any) -> R:
    """A new row of a mapped class, its column values given by their attribute names.

    The fast way for rows made by the thousand: the values go straight into the instance's
    dict rather than through an instrumented attribute each (a flush inserts what the dict
    holds); later changes go through the attributes as usual. Only for plain column attributes.
    """
    row: R = kind.__mapper__.class_manager.new_instance()  # type: ignore[attr-defined]
    row.__dict__.update(values)
    return row


def first_version(kind: type[V], item: Item, /, **values: Any) -> V:
    """A new record's row: its first version, made by this feed item."""
    return make(
        kind, **values, position=int(item["position"]), valid_from=recorded_at(item), valid_to=None
    )


def new_version(session: Session, row: V, item: Item, key: str | None = None) -> V:
    """The version of a record this feed item makes: the current one closes where it starts.

    One item changing a record twice changes its one version. A version never starts before
    the one it supersedes (moments never go back along a feed, see moments.in_store_at; the
    max below keeps it so whatever the moments), so versions neither overlap nor leave gaps.
    """
    position = int(item["position"])
    if row.position == position:
        return row
    kind = type(row)
    columns = _COLUMNS.get(kind)
    if columns is None:
        mapper = kind.__mapper__  # type: ignore[attr-defined]
        columns = _COLUMNS[kind] = tuple(a.key for a in mapper.column_attrs)
    values = {c: getattr(row, c) for c in columns}
    valid_from = max(recorded_at(item), _aware(row.valid_from))
    values.update(position=position, valid_from=valid_from, valid_to=None)
    version = make(kind, **values)
    row.valid_to = version.valid_from
    session.add(version)
    if key is not None:
        session.info.setdefault("rows", {})[(kind, key)] = version
    return version


def _aware(moment: datetime) -> datetime:
    """SQLite gives back naive datetimes: they are UTC (see recorded_at)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
