"""Alembic environment for the aggregator's read models (event stores need no migrations)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from services.aggregator.database import create_read_model_engine
from services.aggregator.search.full_text import mapped_only
from services.aggregator.tables import Base
from shared.settings import Settings

config = context.config
engine: Engine = config.attributes.get("engine") or create_read_model_engine(Settings())

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        include_name=mapped_only,  # the stores' own full-text indexes (migration 0014)
    )
    with context.begin_transaction():
        context.run_migrations()
