"""Wiring for a write service: its audit store, its signing key and its sealer thread, and what
its checkpoint notes need: the log's origin, and the witnesses whose cosignatures it takes."""

from __future__ import annotations

from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from shared.audit.checkpoint_note import (
    CosignatureVerifier,
    cosignature_verifiers,
    log_verifier,
    origin_of,
)
from shared.audit.keys import load_signing_key, public_pem
from shared.audit.note import Ed25519Verifier
from shared.audit.sealer import EventStore, Sealer
from shared.audit.store import AuditStore
from shared.settings import Settings


@dataclass
class Audit:
    store: AuditStore
    sealer: Sealer
    key: Ed25519PrivateKey
    origin: str  # of the checkpoint notes: <DANVAN_LOG_ORIGIN>/<service>/<store_id>
    witnesses: tuple[CosignatureVerifier, ...] = ()
    sealing: bool = True

    @property
    def public_pem(self) -> bytes:
        return public_pem(self.key.public_key())

    @classmethod
    def open(cls, settings: Settings, service: str, app: EventStore) -> Audit:
        key = load_signing_key(settings.signing_key_file, settings.data_dir)
        witnesses = witnesses_configured(settings.witness_keys)
        store = AuditStore.open(settings, service)
        origin = origin_of(settings.log_origin, service, app.store_id)
        sealer = Sealer(
            app,
            store,
            key,
            every_events=settings.checkpoint_every_events,
            every_seconds=settings.checkpoint_every_seconds,
            poll_seconds=settings.seal_poll_seconds,
            origin=origin,
        )
        return cls(store, sealer, key, origin, witnesses, settings.seal_feeds)

    @property
    def log_key(self) -> Ed25519Verifier:
        """The checkpoint notes' verifier: its `vkey` is what witnesses are configured with."""
        return log_verifier(self.origin, self.key.public_key())

    def start(self) -> None:
        if self.sealing:
            self.sealer.start()

    def stop(self) -> None:
        """At shutdown, before the application closes: seals and signs what is left."""
        if self.sealing:
            self.sealer.stop()
        self.store.close()


class WitnessKeysUnreadable(ValueError):
    pass


def witnesses_configured(keys: str) -> tuple[CosignatureVerifier, ...]:
    """DANVAN_WITNESS_KEYS read, or the service refuses to start naming it."""
    try:
        return cosignature_verifiers(keys.split(","))
    except ValueError as refused:
        raise WitnessKeysUnreadable(
            f"DANVAN_WITNESS_KEYS: khóa nhân chứng không đọc được / a witness key that cannot "
            f"be read: {refused}"
        ) from None
