"""Fresh stores for tests: a temporary folder for SQLite, a new database for PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest

POSTGRES_ADMIN_URL = os.environ.get("DANVAN_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432")


def postgres_available() -> bool:
    try:
        with psycopg.connect(f"{POSTGRES_ADMIN_URL}/postgres", connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


def skip_or_fail_without_postgres() -> None:
    if postgres_available():
        return
    if os.environ.get("DANVAN_REQUIRE_POSTGRES"):
        pytest.fail(f"PostgreSQL is required but not reachable at {POSTGRES_ADMIN_URL}")
    pytest.skip(f"PostgreSQL not reachable at {POSTGRES_ADMIN_URL}")


@contextmanager
def fresh_postgres_database() -> Iterator[str]:
    name = f"danvan_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"{POSTGRES_ADMIN_URL}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{POSTGRES_ADMIN_URL}/{name}"
    finally:
        with psycopg.connect(f"{POSTGRES_ADMIN_URL}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
