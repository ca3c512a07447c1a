"""Wiring for a write service: its audit store, its signing key and its sealer thread."""

from __future__ import annotations

from dataclasses import dataclass

from shared.audit.keys import load_signing_key, public_pem
from shared.audit.sealer import EventStore, Sealer
from shared.audit.store import AuditStore
from shared.settings import Settings


@dataclass
class Audit:
    store: AuditStore
    sealer: Sealer
    public_pem: bytes
    sealing: bool = True

    @classmethod
    def open(cls, settings: Settings, service: str, app: EventStore) -> Audit:
        key = load_signing_key(settings.signing_key_file, settings.data_dir)
        store = AuditStore.open(settings, service)
        sealer = Sealer(
            app,
            store,
            key,
            every_events=settings.checkpoint_every_events,
            every_seconds=settings.checkpoint_every_seconds,
            poll_seconds=settings.seal_poll_seconds,
        )
        audit = cls(store, sealer, public_pem(key.public_key()))
        audit.sealing = settings.seal_feeds
        return audit

    def start(self) -> None:
        if self.sealing:
            self.sealer.start()

    def stop(self) -> None:
        """At shutdown, before the application closes: seals and signs what is left."""
        if self.sealing:
            self.sealer.stop()
        self.store.close()
