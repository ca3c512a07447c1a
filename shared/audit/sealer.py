"""The sealer: a write service's background thread that chains and signs its feed.

It reads the notifications after the last chain row, in order (positions are committed in
order, see eventsourcing-notes §3), appends one chain row per event, and signs a checkpoint of
the chain's head every `every_events` events or, when anything new was sealed, every
`every_seconds` seconds, and once more at shutdown. Several processes of one service may each
run one: a row another sealer wrote first makes the insert fail on its position, and the
sealer reloads the head and carries on.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from datetime import UTC, datetime
from typing import Any, Protocol

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.exc import IntegrityError

from shared.audit.chain import Checkpoint, Seal, checkpoint_message, genesis, link
from shared.audit.keys import key_id, sign
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
    ) -> None:
        self.app, self.store, self.key = app, store, key
        self.key_id = key_id(key.public_key())
        self.every_events, self.every_seconds = every_events, every_seconds
        self.poll_seconds, self.page_size = poll_seconds, page_size
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._head: Seal | None = None
        self._signed_position = self._unsigned = 0
        self._signed_at = time.monotonic()
        self._reload()

    def _reload(self) -> None:
        self._head = self.store.last_seal()
        last = self.store.last_checkpoint()
        self._signed_position = last.position if last else 0
        self._unsigned = self.store.count_seals(after=self._signed_position)

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
        after = self.sealed_through
        notifications = self.app.recorder.select_notifications(
            start=after, limit=limit, inclusive_of_start=False
        )
        if not notifications:
            return 0
        prev = self._head.hash if self._head else genesis(self.app.store_id)
        seals = []
        for notification in notifications:
            item = envelope(notification, self.app.mapper.transcoder, notification.id)
            chained = link(prev, item)
            seals.append(Seal(notification.id, str(item["id"]), prev, chained))
            prev = chained
        try:
            self.store.append(seals)
        except IntegrityError:  # another process of this service sealed them first
            self._reload()
            return self._seal_page(limit) if self.sealed_through > after else 0
        self._head = seals[-1]
        self._unsigned += len(seals)
        return len(seals)

    def _checkpoint(self) -> Checkpoint | None:
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
        )
        with contextlib.suppress(IntegrityError):  # signed by another process of this service
            self.store.add_checkpoint(checkpoint)
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
