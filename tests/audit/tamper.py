"""An attacker with SQL access to a write service's stores, on SQLite or PostgreSQL."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import psycopg

from shared.events import FeedItem
from shared.settings import Settings

APP_NAMES = {"registry": "registry", "dialogue": "dialogue"}  # Application.name, lower case


@dataclass
class Tamperer:
    settings: Settings
    service: str = "registry"

    @property
    def postgres(self) -> bool:
        return self.settings.uses_postgres

    @property
    def events(self) -> str:
        if self.postgres:
            return f'"{self.service}"."{APP_NAMES[self.service]}_events"'
        return "stored_events"

    @property
    def chain(self) -> str:
        return f'"{self.service}_audit"."chain"' if self.postgres else "chain"

    @property
    def pos(self) -> str:
        return "notification_id" if self.postgres else "rowid"

    @contextmanager
    def _connect(self, store: str) -> Iterator[Any]:
        if self.postgres:
            assert self.settings.database_url
            with psycopg.connect(self.settings.database_url) as connection:
                yield connection
        else:
            lite = sqlite3.connect(self.settings.data_dir / f"{self.service}-{store}.db")
            try:
                with lite:
                    yield lite
            finally:
                lite.close()

    def sql(self, statement: str, *params: Any, store: str = "events") -> list[Any]:
        if self.postgres:
            statement = statement.replace("?", "%s")
        with self._connect(store) as connection:
            cursor = connection.execute(statement, params)
            return list(cursor.fetchall()) if cursor.description else []

    def row(self, position: int) -> tuple[Any, int, str, bytes]:
        rows = self.sql(
            f"SELECT originator_id, originator_version, topic, state FROM {self.events} "
            f"WHERE {self.pos} = ?",
            position,
        )
        originator, version, topic, state = rows[0]
        return originator, version, topic, bytes(state)

    def positions(self) -> list[int]:
        return [r[0] for r in self.sql(f"SELECT {self.pos} FROM {self.events} ORDER BY 1")]

    # the four kinds of tampering

    def alter(self, position: int, **changes: Any) -> None:
        state = json.loads(self.row(position)[3])
        state.update(changes)
        self.sql(
            f"UPDATE {self.events} SET state = ? WHERE {self.pos} = ?",
            json.dumps(state).encode(),
            position,
        )

    def remove(self, position: int) -> None:
        self.sql(f"DELETE FROM {self.events} WHERE {self.pos} = ?", position)

    def swap_states(self, p: int, q: int) -> None:
        state_p, state_q = self.row(p)[3], self.row(q)[3]
        self.sql(f"UPDATE {self.events} SET state = ? WHERE {self.pos} = ?", state_q, p)
        self.sql(f"UPDATE {self.events} SET state = ? WHERE {self.pos} = ?", state_p, q)

    def insert_forged(self, position: int, like: int) -> None:
        """A forged event at `position` (the rows from there on moved up one if it is taken):
        a copy of the event at `like`, as a new version of its aggregate."""
        originator, _, topic, state = self.row(like)
        (last,) = self.sql(
            f"SELECT MAX(originator_version) FROM {self.events} WHERE originator_id = ?",
            originator,
        )[0]
        for taken in sorted((p for p in self.positions() if p >= position), reverse=True):
            self.sql(
                f"UPDATE {self.events} SET {self.pos} = ? WHERE {self.pos} = ?", taken + 1, taken
            )
        forged = json.loads(state)
        forged["summary"] = "forged"
        self.sql(
            f"INSERT INTO {self.events} ({self.pos}, originator_id, originator_version, topic, "
            "state) VALUES (?, ?, ?, ?, ?)",
            position,
            originator,
            last + 1,
            topic,
            json.dumps(forged).encode(),
        )

    # rewriting the chain table too

    def rewrite_chain(self, genesis_hash: str, items: list[FeedItem]) -> None:
        """Recomputes every chain row from the (tampered) events, as the sealer would."""
        from shared.audit.chain import link

        prev = genesis_hash
        for item in items:
            chained = link(prev, item)
            self.sql(
                f"UPDATE {self.chain} SET prev_hash = ?, hash = ? WHERE position = ?",
                prev,
                chained,
                item["position"],
                store="audit",
            )
            prev = chained

    # rewriting the Merkle tree

    def edit_tree_node(self, level: int, index: int) -> None:
        """One stored hash of the tree changed (a leaf at level 0), nothing else."""
        forged = bytes(32)
        if level == 0:
            table, where = self.audit_table("tree_leaves"), "leaf_index = ?"
            self.sql(f"UPDATE {table} SET hash = ? WHERE {where}", forged, index, store="audit")
        else:
            table = self.audit_table("tree_nodes")
            self.sql(
                f"UPDATE {table} SET hash = ? WHERE level = ? AND idx = ?",
                forged,
                level,
                index,
                store="audit",
            )

    def rewrite_tree(self, items: list[FeedItem]) -> None:
        """Every stored leaf and node recomputed from the (tampered) events, as the sealer
        would; the tree heads recorded with the checkpoints are left as they were."""
        from shared.audit.chain import canonical
        from shared.audit.merkle import MemoryTree, leaf_hash

        tree = MemoryTree(leaf_hash(canonical(item)) for item in items)
        for (level, index), digest in tree.nodes.items():
            if level == 0:
                self.sql(
                    f"UPDATE {self.audit_table('tree_leaves')} SET hash = ? WHERE leaf_index = ?",
                    digest,
                    index,
                    store="audit",
                )
            else:
                self.sql(
                    f"UPDATE {self.audit_table('tree_nodes')} SET hash = ? "
                    "WHERE level = ? AND idx = ?",
                    digest,
                    level,
                    index,
                    store="audit",
                )

    def drop_chain_row(self, position: int) -> None:
        self.sql(f"DELETE FROM {self.chain} WHERE position = ?", position, store="audit")

    def audit_table(self, name: str) -> str:
        return f'"{self.service}_audit"."{name}"' if self.postgres else name

    @property
    def checkpoints(self) -> str:
        return f'"{self.service}_audit"."checkpoints"' if self.postgres else "checkpoints"

    def truncate(self, after: int) -> None:
        """Deletes every event, chain row, checkpoint, tree row and checkpoint note after
        `after`."""
        self.sql(f"DELETE FROM {self.events} WHERE {self.pos} > ?", after)
        self.sql(f"DELETE FROM {self.chain} WHERE position > ?", after, store="audit")
        self.sql(f"DELETE FROM {self.checkpoints} WHERE position > ?", after, store="audit")
        leaves, nodes = self.audit_table("tree_leaves"), self.audit_table("tree_nodes")
        self.sql(f"DELETE FROM {leaves} WHERE position > ?", after, store="audit")
        (size,) = self.sql(f"SELECT COUNT(*) FROM {leaves}", store="audit")[0]
        for level, index in self.sql(f"SELECT level, idx FROM {nodes}", store="audit"):
            if (index + 1) << level > size:
                self.sql(
                    f"DELETE FROM {nodes} WHERE level = ? AND idx = ?", level, index, store="audit"
                )
        heads = self.audit_table("tree_heads")
        self.sql(f"DELETE FROM {heads} WHERE position > ?", after, store="audit")
        notes = self.audit_table("checkpoint_notes")
        self.sql(f"DELETE FROM {notes} WHERE tree_size > ?", size, store="audit")

    def lose_audit_store(self) -> None:
        """Every chain row, checkpoint, tree row and note gone, the events left as they were."""
        self.sql(f"DELETE FROM {self.chain}", store="audit")
        self.sql(f"DELETE FROM {self.checkpoints}", store="audit")
        for table in ("tree_leaves", "tree_nodes", "tree_heads", "checkpoint_notes"):
            self.sql(f"DELETE FROM {self.audit_table(table)}", store="audit")

    def truncate_tree(self, size: int) -> None:
        """The tail after the first `size` leaves dropped with everything that proves it (see
        truncate), the cosignatures of larger trees too: what an operator covering a rewrite
        would do."""
        [(last,)] = self.sql(
            f"SELECT position FROM {self.audit_table('tree_leaves')} WHERE leaf_index = ?",
            size - 1,
            store="audit",
        )
        self.truncate(last)
        cosignatures = self.audit_table("cosignatures")
        self.sql(f"DELETE FROM {cosignatures} WHERE tree_size > ?", size, store="audit")
