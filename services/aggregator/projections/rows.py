"""Rows added in this page's transaction, found again without a flush and a SELECT.

Events of one aggregate usually follow each other within a page; looking a just-added row up
through Session.get would autoflush and query for every one of them.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy.orm import Session

R = TypeVar("R")


def add_row(session: Session, row: Any, key: str) -> None:
    session.add(row)
    session.info.setdefault("rows", {})[(type(row), key)] = row


def get_row(session: Session, kind: type[R], key: str) -> R:
    found = session.info.get("rows", {}).get((kind, key))
    if found is None:
        found = session.get(kind, key)
        if found is None:
            raise LookupError(f"event for an unknown {kind.__name__} {key}")
        session.info.setdefault("rows", {})[(kind, key)] = found
    row: R = found
    return row
