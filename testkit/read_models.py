"""Every read-model table's rows, comparable across stores; an empty store of the same kind to
rebuild into. What the rebuild tests, the spine and the fault proofs compare."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import select

from services.aggregator.cubes import CUBES
from services.aggregator.database import create_read_model_engine
from services.aggregator.tables import Base
from shared.settings import Settings
from testkit.databases import fresh_postgres_database

Rows = dict[str, list[tuple[str, ...]]]


def read_model_rows(settings: Settings) -> Rows:
    engine = create_read_model_engine(settings)
    try:
        with engine.connect() as connection:
            # a report cube's content is its sums by key, its rows may be deltas (cubes.py)
            cubes = {cube.table: cube.summed() for cube in CUBES}
            return {
                table.name: sorted(
                    tuple(str(v) for v in row)
                    for row in connection.execute(cubes.get(table, select(table)))
                )
                for table in Base.metadata.sorted_tables
            }
    finally:
        engine.dispose()


@contextmanager
def fresh_read_store(settings: Settings) -> Iterator[Settings]:
    """Another read-model store of the same kind, empty: a folder, or a new database."""
    if settings.uses_postgres:
        with fresh_postgres_database() as url:
            yield settings.model_copy(update={"database_url": url})
    else:
        folder = settings.data_dir.parent / f"{settings.data_dir.name}-rebuilt"
        yield settings.model_copy(update={"data_dir": folder})
