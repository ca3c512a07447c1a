"""The read-model database: engine, sessions, and schema through alembic."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from shared.settings import Settings
from shared.store_setup import made

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def create_read_model_engine(settings: Settings) -> Engine:
    store = made(settings, settings.read_models())
    url, connect_args = store.url, store.connect_args
    if url.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # moments compared and bucketed by month in UTC, as SQLite keeps them (cubes.py). Commits
    # don't wait for the WAL's flush, as SQLite's synchronous=NORMAL doesn't: everything here is
    # rebuilt from the stores, and each page commits with its tracking row, so what a crash of
    # the machine loses is a tail the follower applies again.
    extra = "-ctimezone=UTC -csynchronous_commit=off"
    options = f"{connect_args.get('options', '')} {extra}".strip()
    return create_engine(
        url,
        connect_args={**connect_args, "options": options},
        pool_size=settings.postgres_pool_size,
        max_overflow=settings.postgres_max_overflow,
        pool_pre_ping=True,
    )


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def migrate(engine: Engine) -> None:
    command.upgrade(alembic_config(engine), "head")
    ensure_indexes(engine)


def ensure_indexes(engine: Engine) -> None:
    """Makes the secondary indexes a rebuild interrupted midway left out (it drops them while it
    loads, see rebuild.py); the schema is at head here, so the mapped definitions are its own."""
    from services.aggregator.tables import Base

    with engine.begin() as connection:
        for table in Base.metadata.sorted_tables:
            for index in table.indexes:
                index.create(connection, checkfirst=True)


def drop_read_models(engine: Engine) -> None:
    command.downgrade(alembic_config(engine), "base")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
