"""The sealer: checkpoint cadence, several sealers on one store, the signing key's origin."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient

from services.registry.main import create_app as create_registry
from shared.audit.keys import load_signing_key, public_pem, read_public_key
from shared.audit.sealer import Sealer
from shared.audit.sources import from_store
from shared.audit.store import AuditStore
from shared.audit.verify import verify
from shared.settings import Settings
from tests.conftest import bearer
from tests.helpers import app_of, register


@pytest.fixture
def registry(settings: Settings) -> Iterator[TestClient]:
    settings.seal_feeds = False
    with TestClient(create_registry(settings), headers=bearer("officer")) as client:
        yield client


def sealer_of(
    registry: TestClient, settings: Settings, every_events: int = 1000, every_seconds: float = 5
) -> Sealer:
    key = load_signing_key(None, settings.data_dir)
    store = AuditStore.open(settings, "registry")
    app = app_of(registry).state.registry
    return Sealer(app, store, key, every_events=every_events, every_seconds=every_seconds)


def whole(settings: Settings) -> bool:
    evidence = from_store(settings, "registry", "Registry")
    key = read_public_key((settings.data_dir / "signing-key.pub.pem").read_bytes())
    try:
        report = verify(
            evidence.store_id, evidence.events, evidence.seals, evidence.checkpoints, key
        )
    finally:
        evidence.close()
    return report.ok and report.unsealed == 0


def test_checkpoints_every_n_events_and_every_t_seconds(
    registry: TestClient, settings: Settings
) -> None:
    sealer = sealer_of(registry, settings, every_events=3, every_seconds=3600)
    for _ in range(6):
        register(registry)
    assert sealer.seal() == 7
    assert [c.position for c in sealer.store.checkpoints()] == [3, 6]
    sealer.every_seconds = 0.001
    sealer.seal()
    assert [c.position for c in sealer.store.checkpoints()] == [3, 6, 7]
    assert sealer.seal() == 0 and len(sealer.store.checkpoints()) == 3  # nothing new: no more
    sealer.store.close()


def test_two_sealers_on_one_store_write_one_chain(registry: TestClient, settings: Settings) -> None:
    first = sealer_of(registry, settings, every_events=2)
    second = sealer_of(registry, settings, every_events=2)
    register(registry)
    first.seal()
    for _ in range(3):
        register(registry)
    second.seal()  # first still believes the head is where it left it
    register(registry)
    first.seal()
    second.checkpoint()
    assert first.store.sealed_through() == 6 and whole(settings)
    first.store.close()
    second.store.close()


def test_a_configured_key_signs_and_none_is_generated(settings: Settings, tmp_path: Path) -> None:
    key = Ed25519PrivateKey.generate()
    path = tmp_path / "danvan-signing.pem"
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    settings.signing_key_file = path
    with TestClient(create_registry(settings), headers=bearer("auditor")) as registry:
        assert registry.get("/events/public-key").content == public_pem(key.public_key())
    assert not (settings.data_dir / "signing-key.pem").exists()


def test_both_services_share_the_key_generated_first(settings: Settings) -> None:
    first = load_signing_key(None, settings.data_dir)
    again = load_signing_key(None, settings.data_dir)
    assert public_pem(first.public_key()) == public_pem(again.public_key())
    assert (settings.data_dir / "signing-key.pub.pem").read_bytes() == public_pem(
        first.public_key()
    )


def test_the_stored_tree_reads_back_whole_a_page_at_a_time(
    registry: TestClient, settings: Settings
) -> None:
    """The inner nodes are paged by their (level, index) key: pages of three give every node
    once, in order, as one page of all does (across levels too)."""
    sealer = sealer_of(registry, settings, every_events=5)
    for _ in range(12):
        register(registry)
    sealer.seal()
    store = sealer.store
    everything = store.nodes(limit=1000)
    assert len({level for (level, _), _ in everything}) >= 3
    paged: list[tuple[tuple[int, int], bytes]] = []
    while page := store.nodes(after=paged[-1][0] if paged else (0, -1), limit=3):
        paged.extend(page)
    assert paged == everything == sorted(everything)
    store.close()
