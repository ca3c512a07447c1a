"""The sealer: a write service's background thread that chains and signs its feed.

It reads the notifications after the last chain row, in order (positions are committed in
order, see eventsourcing-notes §3), appends one chain row per event, and signs a checkpoint of
the chain's head every `every_events` events or, when anything new was sealed, every
`every_seconds` seconds, and once more at shutdown. Several processes of one service may each
run one: a row another sealer wrote first makes the insert fail on its position, and the
sealer reloads the head and carries on.

The sealer keeps the feed's Merkle tree (shared.audit.merkle) in the same transaction as the
chain rows: each sealed event becomes the next leaf, and every subtree it completes is stored.
Checkpoints record the tree's size and root, and the same tree head is signed as a C2SP
checkpoint note (shared.audit.checkpoint_note) kept beside it. An audit store written before the
tree existed gets its tree built over the sealed range by the sealer's first round
(`build_tree`), from the events, in the background thread: proofs answer meanwhile for the part
built.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Protocol

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.exc import IntegrityError

from shared.audit.chain import (
    Checkpoint,
    Seal,
    canonical,
    checkpoint_message,
    genesis,
    link_entry,
    stored_entry,
)
from shared.audit.checkpoint_note import checkpoint_note
from shared.audit.keys import key_id, sign
from shared.audit.merkle import Frontier, Leaf, Node, leaf_hash
from shared.audit.store import AuditStore
from shared.events import envelope

log = logging.getLogger("danvan.audit")


class EventStore(Protocol):
    """What the sealer needs of an eventsourcing Application: ServiceApplication has it."""

    store_id: str
    recorder: Any
    mapper: Any


class Sealer:
    def __init__(
        self,
        app: EventStore,
        store: AuditStore,
        key: Ed25519PrivateKey,
        *,
        every_events: int = 1000,
        every_seconds: float = 5.0,
        poll_seconds: float = 0.5,
        page_size: int = 1000,
        origin: str | None = None,
    ) -> None:
        self.app, self.store, self.key = app, store, key
        self.origin = origin  # of the C2SP checkpoint notes (None: none signed)
        self.key_id = key_id(key.public_key())
        self.every_events, self.every_seconds = every_events, every_seconds
        self.poll_seconds, self.page_size = poll_seconds, page_size
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._head: Seal | None = None
        self._signed_position = self._unsigned = 0
        self._signed_at = time.monotonic()
        self._tree: Frontier | None = Frontier()
        self._reload()

    def _reload(self) -> None:
        self._head = self.store.last_seal()
        last = self.store.last_checkpoint()
        self._signed_position = last.position if last else 0
        self._unsigned = self.store.count_seals(after=self._signed_position)
        self._tree_ready = False  # built by the first seal: in the background thread

    def _ensure_tree(self) -> None:
        if self._tree_ready:
            return
        try:
            built = self.build_tree()
            if built:
                log.info("Merkle tree built for %d sealed events", built)
        except LookupError:
            log.exception("the Merkle tree cannot be built: sealing the chain without it")
            self._tree = None
        self._tree_ready = True

    @property
    def tree_size(self) -> int | None:
        return self._tree.size if self._tree else None

    def build_tree(self, progress: Callable[[int], None] | None = None) -> int:
        """Brings the tree up to the chain: leaves for sealed events it lacks (all of them in a
        store sealed before the tree existed), read from the event store. Returns how many."""
        while True:
            try:
                return self._build_tree(progress)
            except IntegrityError:  # another process of this service built them first
                continue

    def _build_tree(self, progress: Callable[[int], None] | None) -> int:
        size = self.store.tree_size()
        tree = self._tree = Frontier.load(self.store, size)
        last = self.store.last_leaf() if size else None
        after, built = (last.position if last else 0), 0
        while seals := self.store.seals(after=after, limit=self.page_size, through=None):
            events = {
                n.id: n
                for n in self.app.recorder.select_notifications(
                    start=seals[0].position,
                    limit=seals[-1].position - seals[0].position + 1,
                    stop=seals[-1].position,
                )
            }
            leaves: list[Leaf] = []
            nodes: list[Node] = []
            tree = tree.copy()
            for seal in seals:
                notification = events.get(seal.position)
                if notification is None:
                    raise LookupError(f"the event sealed at {seal.position} is gone")
                entry = stored_entry(notification, self.app.mapper.transcoder)
                self._grow(tree, seal, entry, leaves, nodes)
            self.store.append_tree(leaves, nodes)
            self._tree, after, built = tree, seals[-1].position, built + len(seals)
            if progress is not None:
                progress(built)
        return built

    @staticmethod
    def _grow(
        tree: Frontier, seal: Seal, entry: bytes, leaves: list[Leaf], nodes: list[Node]
    ) -> None:
        made = tree.append(leaf_hash(entry))
        leaves.append(Leaf(made[0][0][1], seal.position, seal.event_id, made[0][1]))
        nodes.extend(made[1:])

    @property
    def sealed_through(self) -> int:
        return self._head.position if self._head else 0

    def seal(self) -> int:
        """Seals every event committed so far (signing checkpoints when due); returns how many."""
        total = 0
        with self._lock:
            while True:
                if self._unsigned >= self.every_events:
                    self._checkpoint()
                    continue
                sealed = self._seal_page(min(self.page_size, self.every_events - self._unsigned))
                total += sealed
                if sealed == 0:
                    break
            if self.sealed_through > self._signed_position and (
                time.monotonic() - self._signed_at >= self.every_seconds
            ):
                self._checkpoint()
        return total

    def checkpoint(self) -> Checkpoint | None:
        """Seals what is there and signs the head now (unless it is signed already)."""
        self.seal()
        with self._lock:
            return self._checkpoint()

    def _seal_page(self, limit: int) -> int:
        self._ensure_tree()
        after = self.sealed_through
        notifications = self.app.recorder.select_notifications(
            start=after, limit=limit, inclusive_of_start=False
        )
        if not notifications:
            return 0
        prev = self._head.hash if self._head else genesis(self.app.store_id)
        seals: list[Seal] = []
        leaves: list[Leaf] = []
        nodes: list[Node] = []
        tree = self._tree.copy() if self._tree else None
        for notification in notifications:
            item = envelope(notification, self.app.mapper.transcoder, notification.id)
            entry = canonical(item)
            chained = link_entry(prev, entry)
            seals.append(Seal(notification.id, str(item["id"]), prev, chained))
            if tree is not None:
                self._grow(tree, seals[-1], entry, leaves, nodes)
            prev = chained
        try:
            self.store.append(seals, leaves, nodes)
        except IntegrityError:  # another process of this service sealed them first
            self._reload()
            return self._seal_page(limit) if self.sealed_through > after else 0
        self._head, self._tree = seals[-1], tree
        self._unsigned += len(seals)
        return len(seals)

    def _checkpoint(self) -> Checkpoint | None:
        self._ensure_tree()
        head = self._head
        if head is None or head.position <= self._signed_position:
            return None
        checkpoint = Checkpoint(
            store_id=self.app.store_id,
            position=head.position,
            hash=head.hash,
            signature=sign(
                self.key, checkpoint_message(self.app.store_id, head.position, head.hash)
            ),
            key_id=self.key_id,
            signed_at=datetime.now(UTC).isoformat(),
            tree_size=self._tree.size if self._tree else None,
            root=self._tree.root() if self._tree else None,
        )
        note = None
        if self.origin and checkpoint.tree_size is not None and checkpoint.root is not None:
            note = checkpoint_note(self.origin, checkpoint.tree_size, checkpoint.root, self.key)
        with contextlib.suppress(IntegrityError):  # signed by another process of this service
            self.store.add_checkpoint(checkpoint, note)
        self._signed_position, self._signed_at = head.position, time.monotonic()
        self._unsigned = 0
        return checkpoint

    # the background thread

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="sealer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        backoff = self.poll_seconds
        while not self._stop.is_set():
            try:
                self.seal()
                backoff = self.poll_seconds
            except Exception:
                log.exception("sealer failed; retrying in %.1fs", backoff)
                backoff = min(backoff * 2, 30.0)
            self._stop.wait(backoff)

    def stop(self) -> None:
        """Stops the thread, then seals and signs what is left."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
        try:
            self.checkpoint()
        except Exception:
            log.exception("final seal failed")
