"""The alembic migrations build exactly the tables the code maps."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from services.aggregator.database import (
    alembic_config,
    create_read_model_engine,
    drop_read_models,
    migrate,
)
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


def test_0011_names_the_steps_recorded_before_and_a_reopenings_agency(settings: Settings) -> None:
    engine = create_read_model_engine(settings)
    config = alembic_config(engine)
    try:
        drop_read_models(engine)  # a PostgreSQL test database starts at head
        command.upgrade(config, "0010")
        with engine.begin() as connection:
            for position, status, agency in (
                (1, "assigned", "UBND"),
                (2, "answered", "UBND"),
                (3, "reopened", None),
                (4, "assigned", "Sở Xây dựng"),
                (5, "declined", "Sở Xây dựng"),
            ):
                connection.execute(
                    text(
                        "INSERT INTO kien_nghi_status_change (kien_nghi_id, position, status, "
                        "agency, category, recorded_at, unit_code, unit_structure, level, "
                        "province_code) VALUES ('k', :position, :status, :agency, 'land', "
                        "'2024-05-02 03:00:00', '00004', 'legacy', 'commune', '01')"
                    ),
                    {"position": position, "status": status, "agency": agency},
                )
        migrate(engine)
        with engine.connect() as connection:
            steps = connection.execute(
                text("SELECT step, agency FROM kien_nghi_status_change ORDER BY position")
            ).all()
        assert [tuple(step) for step in steps] == [
            ("Assigned", "UBND"),
            ("Answered", "UBND"),
            ("Reopened", "UBND"),  # the agency that had it follows it
            ("Assigned", "Sở Xây dựng"),
            ("Declined", "Sở Xây dựng"),
        ]
    finally:
        drop_read_models(engine)
        engine.dispose()
