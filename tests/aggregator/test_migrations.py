"""The alembic migrations build exactly the tables the code maps."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Column, MetaData, Table, text

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


def test_0015_gives_each_kien_nghi_its_due_day_in_vietnam(settings: Settings) -> None:
    """The assignment's due day, else the day the rules' resolve_by moment falls on in Vietnam
    (18:00 UTC on 17 June is 01:00 on 18 June there), else none."""
    engine = create_read_model_engine(settings)
    config = alembic_config(engine)
    rows = {
        "assigned": ("2024-06-14", "2024-06-17 10:00:00+00:00"),
        "by-rules": (None, "2024-06-17 10:00:00+00:00"),
        "after-midnight-there": (None, "2024-06-17 18:00:00+00:00"),
        "before-rules": (None, None),
    }
    try:
        drop_read_models(engine)
        command.upgrade(config, "0012")
        with engine.begin() as connection:
            table = Table("kien_nghi", MetaData(), autoload_with=connection)
            for n, (name, (due_on, resolve_by)) in enumerate(rows.items()):
                row = {c.name: filler(c) for c in table.columns if required(c)}
                row |= {"id": name, "position": n, "due_on": due_on and date.fromisoformat(due_on)}
                row["resolve_by"] = resolve_by and datetime.fromisoformat(resolve_by)
                connection.execute(table.insert().values(**row))
        migrate(engine)
        with engine.connect() as connection:
            found = connection.execute(text("SELECT id, due_day FROM kien_nghi")).all()
        assert {row.id: row.due_day and str(row.due_day) for row in found} == {
            "assigned": "2024-06-14",
            "by-rules": "2024-06-17",
            "after-midnight-there": "2024-06-18",
            "before-rules": None,
        }
    finally:
        drop_read_models(engine)
        engine.dispose()


def required(column: Column[Any]) -> bool:
    return not column.nullable and column.server_default is None


def filler(column: Column[Any]) -> object:
    """A value of the column's type, for the columns a test does not care about."""
    kind = column.type.python_type
    return {
        str: "x",
        int: 0,
        bool: False,
        date: date(2024, 6, 3),
        datetime: datetime(2024, 6, 3, tzinfo=UTC),
    }[kind]
