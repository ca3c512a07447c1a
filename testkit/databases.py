"""Throwaway PostgreSQL databases for tests and benchmarks: made fresh, dropped after."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg

POSTGRES_ADMIN_URL = os.environ.get("DANVAN_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432")


def postgres_available() -> bool:
    try:
        with psycopg.connect(f"{POSTGRES_ADMIN_URL}/postgres", connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


@contextmanager
def fresh_postgres_database(template: str | None = None) -> Iterator[str]:
    """A new database, empty or a copy of the template database (which nobody may be using)."""
    name = f"danvan_test_{uuid.uuid4().hex[:12]}"
    copy_of = f' TEMPLATE "{template}"' if template else ""
    with psycopg.connect(f"{POSTGRES_ADMIN_URL}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"{copy_of}')
    try:
        yield f"{POSTGRES_ADMIN_URL}/{name}"
    finally:
        with psycopg.connect(f"{POSTGRES_ADMIN_URL}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
