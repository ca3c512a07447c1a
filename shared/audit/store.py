"""The audit store beside a write service's event store: chain rows, the Merkle tree and signed
checkpoints, the checkpoints as C2SP notes and the witnesses' cosignatures of them.

The tree (shared.audit.merkle) is kept in two tables written in the chain rows' transaction:
`tree_leaves` (leaf index, the event's position and id, its leaf hash) and `tree_nodes` (every
complete subtree above the leaves, by level and index), about two rows a leaf. `tree_heads`
records the tree size and root at each checkpoint.

A SQLite file (<service>-audit.db) or a PostgreSQL schema (<service>_audit), created with
`metadata.create_all` like the refusals log: append-only tables, not read models.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

import psycopg
from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    DateTime,
    Engine,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Row,
    SmallInteger,
    String,
    Table,
    Text,
    create_engine,
    func,
    inspect,
    literal,
    select,
    tuple_,
    union_all,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql import Select

from shared.audit import merkle
from shared.audit.chain import Checkpoint, Seal
from shared.audit.merkle import Leaf, Node
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

tree_leaves = Table(
    "tree_leaves",
    metadata,
    Column("leaf_index", BigInteger, primary_key=True, autoincrement=False),
    Column("position", BigInteger, nullable=False, unique=True),
    Column("event_id", String(36), nullable=False),
    Column("hash", LargeBinary(32), nullable=False),
    Index("tree_leaves_event_id", "event_id"),
)
tree_nodes = Table(
    "tree_nodes",
    metadata,
    Column("level", SmallInteger, primary_key=True, autoincrement=False),
    Column("idx", BigInteger, primary_key=True, autoincrement=False),
    Column("hash", LargeBinary(32), nullable=False),
)
tree_heads = Table(
    "tree_heads",
    metadata,
    Column("position", BigInteger, primary_key=True, autoincrement=False),  # the checkpoint's
    Column("tree_size", BigInteger, nullable=False),
    Column("root", LargeBinary(32), nullable=False),
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

    def append(
        self, seals: Sequence[Seal], leaves: Sequence[Leaf] = (), nodes: Sequence[Node] = ()
    ) -> None:
        """Chain rows and the tree rows they make, in one transaction; a concurrent sealer's
        rows make it fail on the primary key."""
        now = datetime.now(UTC)
        with self.engine.begin() as connection:
            _bulk_insert(
                connection,
                chain,
                [(s.position, s.event_id, s.prev_hash, s.hash, now) for s in seals],
            )
            _insert_tree(connection, leaves, nodes)

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

    # the tree

    def tree_size(self) -> int:
        with self.engine.connect() as connection:
            last = connection.execute(select(func.max(tree_leaves.c.leaf_index))).scalar()
        return 0 if last is None else int(last) + 1

    def last_leaf(self) -> Leaf | None:
        with self.engine.connect() as connection:
            row = connection.execute(
                select(tree_leaves).order_by(tree_leaves.c.leaf_index.desc()).limit(1)
            ).first()
        return _leaf(row) if row else None

    def append_tree(self, leaves: Sequence[Leaf], nodes: Sequence[Node]) -> None:
        with self.engine.begin() as connection:
            _insert_tree(connection, leaves, nodes)

    def node_hashes(self, keys: Collection[merkle.Key]) -> dict[merkle.Key, bytes]:
        """The stored hashes of these complete subtrees (level 0: the leaves), in one read."""
        leaves = [index for level, index in keys if level == 0]
        inner = [key for key in keys if key[0] > 0]
        parts: list[Select[Any]] = []
        if leaves:
            parts.append(
                select(
                    literal(0, Integer).label("level"), tree_leaves.c.leaf_index, tree_leaves.c.hash
                ).where(tree_leaves.c.leaf_index.in_(leaves))
            )
        if inner:
            parts.append(
                select(tree_nodes.c.level, tree_nodes.c.idx, tree_nodes.c.hash).where(
                    tuple_(tree_nodes.c.level, tree_nodes.c.idx).in_(inner)
                )
            )
        if not parts:
            return {}
        query = parts[0] if len(parts) == 1 else union_all(*parts)
        with self.engine.connect() as connection:
            rows = connection.execute(query)
            return {(int(level), int(index)): bytes(digest) for level, index, digest in rows}

    def root(self, size: int) -> bytes:
        return merkle.root(self, size)

    def inclusion_proof(self, leaf_index: int, size: int) -> list[bytes]:
        return merkle.inclusion_proof(self, leaf_index, size)

    def consistency_proof(self, first: int, second: int) -> list[bytes]:
        return merkle.consistency_proof(self, first, second)

    def leaf(
        self, *, index: int | None = None, position: int | None = None, event_id: str | None = None
    ) -> Leaf | None:
        """The leaf by its index, its event's position or its event's id."""
        query = select(tree_leaves)
        if index is not None:
            query = query.where(tree_leaves.c.leaf_index == index)
        elif position is not None:
            query = query.where(tree_leaves.c.position == position)
        else:
            query = query.where(tree_leaves.c.event_id == event_id)
        with self.engine.connect() as connection:
            row = connection.execute(query.limit(1)).first()
        return _leaf(row) if row else None

    def leaf_index_of(self, key: int | str) -> int | None:
        """The leaf index of the event at a position (int) or with an id (str)."""
        found = self.leaf(position=key) if isinstance(key, int) else self.leaf(event_id=key)
        return found.index if found else None

    def leaves(self, after: int = -1, limit: int = 10_000) -> list[Leaf]:
        query = select(tree_leaves).where(tree_leaves.c.leaf_index > after)
        with self.engine.connect() as connection:
            rows = connection.execute(query.order_by(tree_leaves.c.leaf_index).limit(limit))
            return [_leaf(row) for row in rows]

    def nodes(self, after: merkle.Key = (0, -1), limit: int = 10_000) -> list[Node]:
        """Stored inner nodes in (level, index) order, after `after`."""
        # a row value: the primary key's range (an OR of the two columns was a filter, and each
        # page read the index from its start: 8.9 M nodes took hours)
        key = tuple_(tree_nodes.c.level, tree_nodes.c.idx)
        query = select(tree_nodes.c.level, tree_nodes.c.idx, tree_nodes.c.hash).where(
            key > tuple_(*(literal(part) for part in after))
        )
        with self.engine.connect() as connection:
            rows = connection.execute(
                query.order_by(tree_nodes.c.level, tree_nodes.c.idx).limit(limit)
            )
            return [((level, index), bytes(digest)) for level, index, digest in rows]

    # checkpoints

    def add_checkpoint(self, checkpoint: Checkpoint, note: str | None = None) -> None:
        """The checkpoint, its tree head, and the same tree head as a C2SP note, at once."""
        with self.engine.begin() as connection:
            if checkpoint.tree_size is not None and checkpoint.root is not None:
                connection.execute(
                    tree_heads.insert().values(
                        position=checkpoint.position,
                        tree_size=checkpoint.tree_size,
                        root=checkpoint.root,
                    )
                )
                if note is not None:
                    connection.execute(
                        checkpoint_notes.insert().values(
                            tree_size=checkpoint.tree_size,
                            note=note,
                            signed_at=datetime.fromisoformat(checkpoint.signed_at),
                        )
                    )
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
        query = _with_heads().order_by(checkpoints.c.position)
        if through is not None:
            query = query.where(checkpoints.c.position <= through)
        with self.engine.connect() as connection:
            return [_checkpoint(row) for row in connection.execute(query)]

    def last_checkpoint(self) -> Checkpoint | None:
        with self.engine.connect() as connection:
            row = connection.execute(
                _with_heads().order_by(checkpoints.c.position.desc()).limit(1)
            ).first()
        return _checkpoint(row) if row else None

    # checkpoint notes and cosignatures

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

    def notes(self, through: int | None = None) -> list[str]:
        """Every checkpoint note (up to a tree size), each with its cosignatures appended; none
        in an audit store made before the notes were."""
        if not inspect(self.engine).has_table(checkpoint_notes.name):
            return []
        query = select(checkpoint_notes.c.tree_size, checkpoint_notes.c.note)
        if through is not None:
            query = query.where(checkpoint_notes.c.tree_size <= through)
        lines: dict[int, list[str]] = {}
        with self.engine.connect() as connection:
            found = connection.execute(query.order_by(checkpoint_notes.c.tree_size)).all()
            for size, line in connection.execute(
                select(cosignatures.c.tree_size, cosignatures.c.line)
            ):
                lines.setdefault(size, []).append(line)
        return [str(note) + "".join(sorted(lines.get(size, []))) for size, note in found]

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

    def latest_cosigned(self, witnesses: int) -> int | None:
        """The largest tree size whose note carries at least this many cosignatures."""
        query = (
            select(cosignatures.c.tree_size)
            .group_by(cosignatures.c.tree_size)
            .having(func.count() >= witnesses)
            .order_by(cosignatures.c.tree_size.desc())
            .limit(1)
        )
        with self.engine.connect() as connection:
            size = connection.scalar(query)
        return int(size) if size is not None else None

    def cosignatures(self, tree_size: int) -> list[Signature]:
        query = (
            select(cosignatures.c.line)
            .where(cosignatures.c.tree_size == tree_size)
            .order_by(cosignatures.c.key_name, cosignatures.c.key_id)
        )
        with self.engine.connect() as connection:
            return [Signature.parse(line.rstrip("\n")) for line in connection.scalars(query)]


def _with_heads() -> Select[Any]:
    return select(checkpoints, tree_heads.c.tree_size, tree_heads.c.root).outerjoin(
        tree_heads, tree_heads.c.position == checkpoints.c.position
    )


def _insert_tree(connection: Connection, leaves: Sequence[Leaf], nodes: Sequence[Node]) -> None:
    _bulk_insert(
        connection, tree_leaves, [(x.index, x.position, x.event_id, x.hash) for x in leaves]
    )
    _bulk_insert(connection, tree_nodes, [(level, i, digest) for (level, i), digest in nodes])


def _bulk_insert(connection: Connection, table: Table, rows: Sequence[tuple[Any, ...]]) -> None:
    """Rows in the table's column order: by COPY on PostgreSQL (a page of the sealer's rows in
    a few milliseconds rather than a round of statements), else one executemany. A key taken
    already (another sealer was first) is an IntegrityError either way."""
    if not rows:
        return
    names = [column.name for column in table.columns]
    if connection.dialect.name != "postgresql":
        connection.execute(table.insert(), [dict(zip(names, row, strict=True)) for row in rows])
        return
    target = f'"{table.schema}"."{table.name}"' if table.schema else f'"{table.name}"'
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    statement = f"COPY {target} ({', '.join(names)}) FROM STDIN"
    try:
        with cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
    except psycopg.errors.UniqueViolation as taken:
        raise IntegrityError(statement, None, taken) from taken


def _leaf(row: Row[Any]) -> Leaf:
    return Leaf(row.leaf_index, row.position, row.event_id, bytes(row.hash))


def _seal(row: Row[Any]) -> Seal:
    return Seal(row.position, row.event_id, row.prev_hash, row.hash)


def _checkpoint(row: Row[Any]) -> Checkpoint:
    r = row._mapping
    signed_at = r["signed_at"]
    if signed_at.tzinfo is None:  # SQLite keeps no offset
        signed_at = signed_at.replace(tzinfo=UTC)
    root = r.get("root")
    return Checkpoint(
        r["store_id"],
        r["position"],
        r["hash"],
        r["signature"],
        r["key_id"],
        signed_at.isoformat(),
        r.get("tree_size"),
        bytes(root) if root is not None else None,
    )
