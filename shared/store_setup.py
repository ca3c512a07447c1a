"""Stores are made before they are first written: a SQLite file, private, in the data folder,
or a schema of the PostgreSQL database. Whatever only reads (verify, export, backup, a rebuild's
store reader) opens what is there and makes nothing."""

from __future__ import annotations

from pathlib import Path

import psycopg

from shared.private_files import private_file
from shared.settings import Settings, SqlStore


def made_event_store(settings: Settings, service: str) -> dict[str, str]:
    """The eventsourcing settings of the service's store, its file or schema made first."""
    env = settings.event_store_env(service)
    if settings.uses_postgres:
        make_postgres_schema(settings, service)
    else:
        private_file(Path(env["SQLITE_DBNAME"]))  # before SQLite makes it 0644
    return env


def made(settings: Settings, store: SqlStore) -> SqlStore:
    """The store, its file or schema made first."""
    if store.schema is not None:
        make_postgres_schema(settings, store.schema)
    elif store.sqlite_path is not None:
        private_file(store.sqlite_path)
    return store


def make_postgres_schema(settings: Settings, schema: str) -> None:
    url = settings.postgres_url()
    with psycopg.connect(
        host=url.host or "127.0.0.1",
        port=url.port or 5432,
        user=url.username or "postgres",
        password=url.password or "",
        dbname=url.database or "postgres",
        autocommit=True,
    ) as conn:
        conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
