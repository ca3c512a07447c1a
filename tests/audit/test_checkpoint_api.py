"""GET /checkpoint, /checkpoints/{tree_size}, /checkpoint/verifier-key and
POST /checkpoint/cosignatures on a write service."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient

from services.registry.main import create_app as create_registry
from shared.audit.chain import Checkpoint
from shared.audit.checkpoint_note import (
    Cosigner,
    TooFewCosignatures,
    log_verifier,
    open_checkpoint,
)
from shared.audit.keys import read_public_key
from shared.audit.note import ed25519_verifier, split_note
from shared.audit.service import Audit, WitnessKeysUnreadable
from shared.settings import Settings
from tests.conftest import bearer
from tests.helpers import app_of, register


@pytest.fixture
def witness() -> Cosigner:
    return Cosigner("witness.mttq.test", Ed25519PrivateKey.generate())


@pytest.fixture
def registry(settings: Settings, witness: Cosigner) -> Iterator[TestClient]:
    """The registry with its sealer thread off (the tests seal when they choose), taking the
    witness's cosignatures."""
    settings.seal_feeds = False
    settings.witness_keys = witness.verifier.vkey
    with TestClient(create_registry(settings), headers=bearer("officer")) as client:
        yield client


def audit_of(registry: TestClient) -> Audit:
    audit: Audit = app_of(registry).state.audit
    return audit


def signed(registry: TestClient, models: int) -> Checkpoint:
    """Registers models, then seals and signs: the checkpoint, with its tree head."""
    for _ in range(models):
        register(registry)
    checkpoint = audit_of(registry).sealer.checkpoint()
    assert checkpoint is not None and checkpoint.tree_size is not None
    return checkpoint


def cosign(registry: TestClient, witness: Cosigner, size: int, text: str | None = None) -> Any:
    note = registry.get(f"/checkpoints/{size}").text
    line = witness.cosign(text or split_note(note)[0], 1765000000).line()
    return registry.post("/checkpoint/cosignatures", json={"tree_size": size, "cosignature": line})


def error(response: Any) -> tuple[int, str, str | None]:
    body = response.json()["error"]
    return response.status_code, body["code"], body.get("field")


def test_each_checkpoint_is_a_note_the_log_key_verifies(registry: TestClient) -> None:
    assert error(registry.get("/checkpoint")) == (404, "checkpoint_none", None)
    first = signed(registry, 3)
    latest = signed(registry, 2)
    assert latest.tree_size == first.tree_size + 2  # type: ignore[operator]
    response = registry.get("/checkpoint")
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    vkey = registry.get("/checkpoint/verifier-key").text.strip()
    log = ed25519_verifier(vkey)
    assert log.name == f"danvan.local/registry/{app_of(registry).state.registry.store_id}"
    pem = registry.get("/events/public-key", headers=bearer("auditor")).content
    assert log.raw == read_public_key(pem).public_bytes_raw()  # the same key signs both forms
    checkpoint = open_checkpoint(response.text, log).checkpoint
    assert (checkpoint.size, checkpoint.root) == (latest.tree_size, latest.root)
    asked = {"tree_size": checkpoint.size}
    root = registry.get("/proofs/root", params=asked, headers=bearer("auditor"))
    assert base64.b64decode(root.json()["root"]) == checkpoint.root
    earlier = open_checkpoint(registry.get(f"/checkpoints/{first.tree_size}").text, log)
    assert (earlier.checkpoint.size, earlier.checkpoint.root) == (first.tree_size, first.root)
    missing = registry.get(f"/checkpoints/{checkpoint.size - 1}")
    assert error(missing) == (404, "checkpoint_none", "tree_size")


def test_a_witness_cosignature_is_kept_once_and_served_with_the_note(
    registry: TestClient, witness: Cosigner
) -> None:
    size = signed(registry, 2).tree_size
    assert size is not None
    first = cosign(registry, witness, size)
    assert (first.status_code, first.json()) == (
        201,
        {"tree_size": size, "witness": "witness.mttq.test", "new": True},
    )
    assert cosign(registry, witness, size).json()["new"] is False  # again: 200, kept once
    log = audit_of(registry).log_key
    note = registry.get("/checkpoint").text
    opened = open_checkpoint(note, log, [witness.verifier], required=1)
    assert opened.witnesses == ("witness.mttq.test",)
    with pytest.raises(TooFewCosignatures):
        other = Cosigner("other.test", Ed25519PrivateKey.generate())
        open_checkpoint(note, log, [witness.verifier, other.verifier], required=2)


def test_a_cosignature_is_refused_from_an_unknown_witness_or_over_another_text(
    registry: TestClient, witness: Cosigner
) -> None:
    size = signed(registry, 2).tree_size
    assert size is not None
    stranger = Cosigner("stranger.test", Ed25519PrivateKey.generate())
    assert error(cosign(registry, stranger, size)) == (
        403,
        "cosignature_witness_unknown",
        "cosignature",
    )
    forged = "danvan.local/elsewhere\n7\nAAAA\n"
    assert error(cosign(registry, witness, size, forged)) == (
        422,
        "cosignature_invalid",
        "cosignature",
    )
    line = witness.cosign("x\n", 1).line()
    unknown = {"tree_size": size + 1, "cosignature": line}
    assert error(registry.post("/checkpoint/cosignatures", json=unknown)) == (
        404,
        "checkpoint_unknown",
        "tree_size",
    )
    for body, field in (
        ({"tree_size": size, "cosignature": "not a signature line"}, "cosignature"),
        ({"tree_size": size}, "cosignature"),
        ({"tree_size": -1, "cosignature": line}, "tree_size"),
        ({"tree_size": size, "cosignature": line, "extra": 1}, "extra"),
    ):
        status, _, named = error(registry.post("/checkpoint/cosignatures", json=body))
        assert (status, named) == (422, field)
    assert registry.get("/checkpoint").text.count("\n— ") == 1  # only the log's signature


@pytest.mark.parametrize("keys", ["bad", "log+0a0b0c0d+AAAA", "{log}"])
def test_a_witness_key_that_cannot_be_read_stops_the_service_naming_it(
    keys: str, witness: Cosigner, settings: Settings
) -> None:
    """The service does not start with a witness it cannot check (a log's own key, type
    0x01, is not a witness's); the message names the variable."""
    log_key = log_verifier("danvan.test/registry", Ed25519PrivateKey.generate().public_key())
    settings.witness_keys = keys.replace("{log}", f"{witness.verifier.vkey},{log_key.vkey}")
    with (
        pytest.raises(WitnessKeysUnreadable, match="DANVAN_WITNESS_KEYS"),
        TestClient(create_registry(settings)),
    ):
        pass
    settings.witness_keys = f" {witness.verifier.vkey}, "  # blanks and spaces are no key
    with TestClient(create_registry(settings)) as client:
        assert client.get("/checkpoint/verifier-key").status_code == 200
