"""The alembic migrations build exactly the tables the code maps."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from services.aggregator.database import create_read_model_engine, drop_read_models, migrate
from services.aggregator.tables import Base
from shared.settings import Settings


def test_migrations_match_the_mapped_tables_and_downgrade_cleanly(settings: Settings) -> None:
    engine = create_read_model_engine(settings)
    try:
        migrate(engine)
        with engine.connect() as connection:
            assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
        drop_read_models(engine)
        with engine.connect() as connection:
            tables = set(engine.dialect.get_table_names(connection))
        assert tables <= {"alembic_version"}
    finally:
        engine.dispose()
