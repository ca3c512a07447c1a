"""Every refused call (403) recorded: who, which role, what, when; auditors read them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    select,
)

from shared.stored_time import stored_utc

metadata = MetaData()
access_denials = Table(
    "access_denials",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("service", String(16), nullable=False),
    Column("principal", String(128)),
    Column("role", String(16)),
    Column("method", String(8), nullable=False),
    Column("path", String(500), nullable=False),
    Column("code", String(64), nullable=False),
    Column("detail", JSON),
)


class DenialLog:
    def __init__(self, engine: Engine, service: str) -> None:
        self.engine, self.service = engine, service
        metadata.create_all(engine)  # an append-only log, not a read model

    def record(
        self, *, principal: Any, method: str, path: str, code: str, detail: dict[str, Any]
    ) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                access_denials.insert().values(
                    at=datetime.now(UTC),
                    service=self.service,
                    principal=getattr(principal, "id", None),
                    role=str(principal.role) if principal is not None else None,
                    method=method,
                    path=path[:500],
                    code=code,
                    detail=detail,
                )
            )

    def recent(self, limit: int = 100) -> list[dict[str, Any]]:
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(access_denials).order_by(access_denials.c.id.desc()).limit(limit)
            )
            return [{**row._mapping, "at": stored_utc(row.at)} for row in rows]
