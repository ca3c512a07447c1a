"""The audit store beside a write service's event store: chain rows and signed checkpoints, the
checkpoints as C2SP notes and the witnesses' cosignatures of them.

A SQLite file (<service>-audit.db) or a PostgreSQL schema (<service>_audit), created with
`metadata.create_all` like the refusals log: append-only tables, not read models.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Engine,
    MetaData,
    Row,
    String,
    Table,
    Text,
    create_engine,
    func,
    select,
)
from sqlalchemy.exc import IntegrityError

from shared.audit.chain import Checkpoint, Seal
from shared.audit.note import Signature
from shared.settings import Settings
from shared.store_setup import made

metadata = MetaData()
chain = Table(
    "chain",
    metadata,
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("event_id", String(36), nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Column("sealed_at", DateTime(timezone=True), nullable=False),
)
checkpoints = Table(
    "checkpoints",
    metadata,
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("store_id", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Column("signature", String(128), nullable=False),
    Column("key_id", String(32), nullable=False),
    Column("signed_at", DateTime(timezone=True), nullable=False),
)
# C2SP checkpoint notes, by tree size, and the witnesses' cosignatures of them (one a witness)
checkpoint_notes = Table(
    "checkpoint_notes",
    metadata,
    Column("tree_size", BigInteger, primary_key=True, autoincrement=False),
    Column("note", Text, nullable=False),
    Column("signed_at", DateTime(timezone=True), nullable=False),
)
cosignatures = Table(
    "cosignatures",
    metadata,
    Column("tree_size", BigInteger, primary_key=True, autoincrement=False),
    Column("key_name", String(255), primary_key=True),
    Column("key_id", BigInteger, primary_key=True, autoincrement=False),
    Column("line", Text, nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
)


class AuditStore:
    def __init__(self, engine: Engine, *, create: bool = True) -> None:
        self.engine = engine
        if create:
            metadata.create_all(engine)

    @classmethod
    def open(cls, settings: Settings, service: str) -> AuditStore:
        store = made(settings, settings.audit_store(service))
        engine = create_engine(
            store.url,
            connect_args=store.connect_args,
            pool_pre_ping=True,
            pool_size=2,
            max_overflow=4,
        )
        return cls(engine)

    def close(self) -> None:
        self.engine.dispose()

    # chain rows

    def last_seal(self) -> Seal | None:
        with self.engine.connect() as connection:
            row = connection.execute(
                select(chain).order_by(chain.c.position.desc()).limit(1)
            ).first()
        return _seal(row) if row else None

    def append(self, seals: Sequence[Seal]) -> None:
        """One transaction; a concurrent sealer's rows make it fail on the primary key."""
        now = datetime.now(UTC)
        with self.engine.begin() as connection:
            connection.execute(
                chain.insert(),
                [
                    {
                        "position": s.position,
                        "event_id": s.event_id,
                        "prev_hash": s.prev_hash,
                        "hash": s.hash,
                        "sealed_at": now,
                    }
                    for s in seals
                ],
            )

    def seals(self, after: int = 0, limit: int = 1000, through: int | None = None) -> list[Seal]:
        query = select(chain).where(chain.c.position > after)
        if through is not None:
            query = query.where(chain.c.position <= through)
        with self.engine.connect() as connection:
            rows = connection.execute(query.order_by(chain.c.position).limit(limit))
            return [_seal(row) for row in rows]

    def seals_at(self, positions: Iterable[int]) -> dict[int, Seal]:
        """The chain rows at these positions (a page's: they span a bounded range)."""
        wanted = set(positions)
        if not wanted:
            return {}
        query = select(chain).where(chain.c.position.between(min(wanted), max(wanted)))
        with self.engine.connect() as connection:
            return {
                row.position: _seal(row)
                for row in connection.execute(query)
                if row.position in wanted
            }

    def count_seals(self, after: int = 0) -> int:
        with self.engine.connect() as connection:
            query = select(func.count()).select_from(chain).where(chain.c.position > after)
            return int(connection.execute(query).scalar() or 0)

    def sealed_through(self) -> int:
        with self.engine.connect() as connection:
            return int(connection.execute(select(func.max(chain.c.position))).scalar() or 0)

    # checkpoints

    def add_checkpoint(self, checkpoint: Checkpoint) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                checkpoints.insert().values(
                    position=checkpoint.position,
                    store_id=checkpoint.store_id,
                    hash=checkpoint.hash,
                    signature=checkpoint.signature,
                    key_id=checkpoint.key_id,
                    signed_at=datetime.fromisoformat(checkpoint.signed_at),
                )
            )

    def checkpoints(self, through: int | None = None) -> list[Checkpoint]:
        query = select(checkpoints).order_by(checkpoints.c.position)
        if through is not None:
            query = query.where(checkpoints.c.position <= through)
        with self.engine.connect() as connection:
            return [_checkpoint(row) for row in connection.execute(query)]

    def last_checkpoint(self) -> Checkpoint | None:
        with self.engine.connect() as connection:
            row = connection.execute(
                select(checkpoints).order_by(checkpoints.c.position.desc()).limit(1)
            ).first()
        return _checkpoint(row) if row else None

    # checkpoint notes and cosignatures

    def add_note(self, tree_size: int, note: str) -> None:
        """A signed checkpoint note; another process's note of the same size is kept."""
        with contextlib.suppress(IntegrityError), self.engine.begin() as connection:
            connection.execute(
                checkpoint_notes.insert().values(
                    tree_size=tree_size, note=note, signed_at=datetime.now(UTC)
                )
            )

    def note(self, tree_size: int | None = None) -> tuple[int, str] | None:
        """The note of this tree size (None: the latest), with its size."""
        query = select(checkpoint_notes.c.tree_size, checkpoint_notes.c.note)
        if tree_size is None:
            query = query.order_by(checkpoint_notes.c.tree_size.desc()).limit(1)
        else:
            query = query.where(checkpoint_notes.c.tree_size == tree_size)
        with self.engine.connect() as connection:
            row = connection.execute(query).first()
        return (int(row.tree_size), str(row.note)) if row else None

    def add_cosignature(self, tree_size: int, signature: Signature) -> bool:
        """False when this witness's cosignature of this size is already kept."""
        try:
            with self.engine.begin() as connection:
                connection.execute(
                    cosignatures.insert().values(
                        tree_size=tree_size,
                        key_name=signature.name,
                        key_id=signature.key_id,
                        line=signature.line(),
                        received_at=datetime.now(UTC),
                    )
                )
        except IntegrityError:
            return False
        return True

    def cosignatures(self, tree_size: int) -> list[Signature]:
        query = (
            select(cosignatures.c.line)
            .where(cosignatures.c.tree_size == tree_size)
            .order_by(cosignatures.c.key_name, cosignatures.c.key_id)
        )
        with self.engine.connect() as connection:
            return [Signature.parse(line.rstrip("\n")) for line in connection.scalars(query)]


def _seal(row: Row[Any]) -> Seal:
    return Seal(row.position, row.event_id, row.prev_hash, row.hash)


def _checkpoint(row: Row[Any]) -> Checkpoint:
    r = row._mapping
    signed_at = r["signed_at"]
    if signed_at.tzinfo is None:  # SQLite keeps no offset
        signed_at = signed_at.replace(tzinfo=UTC)
    return Checkpoint(
        r["store_id"], r["position"], r["hash"], r["signature"], r["key_id"], signed_at.isoformat()
    )
