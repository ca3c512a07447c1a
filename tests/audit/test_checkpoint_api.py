"""GET /checkpoint, /checkpoints/{tree_size}, /checkpoint/verifier-key and
POST /checkpoint/cosignatures on a write service."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient

from services.registry.main import create_app as create_registry
from shared.audit.checkpoint_note import Cosigner, TooFewCosignatures, open_checkpoint
from shared.audit.keys import read_public_key
from shared.audit.note import ed25519_verifier, split_note
from shared.audit.service import Audit
from shared.settings import Settings
from tests.conftest import bearer
from tests.helpers import app_of

ROOT = bytes(range(32))


@pytest.fixture
def witness() -> Cosigner:
    return Cosigner("witness.mttq.test", Ed25519PrivateKey.generate())


@pytest.fixture
def registry(settings: Settings, witness: Cosigner) -> Iterator[TestClient]:
    settings.seal_feeds = False
    settings.witness_keys = witness.verifier.vkey
    with TestClient(create_registry(settings)) as client:  # no credentials: all public
        yield client


def audit_of(registry: TestClient) -> Audit:
    audit: Audit = app_of(registry).state.audit
    return audit


def cosign(registry: TestClient, witness: Cosigner, size: int, text: str | None = None) -> Any:
    note = registry.get(f"/checkpoints/{size}").text
    line = witness.cosign(text or split_note(note)[0], 1765000000).line()
    return registry.post("/checkpoint/cosignatures", json={"tree_size": size, "cosignature": line})


def error(response: Any) -> tuple[int, str, str | None]:
    body = response.json()["error"]
    return response.status_code, body["code"], body.get("field")


def test_the_latest_checkpoint_is_a_note_the_log_key_verifies(registry: TestClient) -> None:
    assert error(registry.get("/checkpoint")) == (404, "checkpoint_none", None)
    audit = audit_of(registry)
    audit.sign_note(3, bytes(32))
    audit.sign_note(5, ROOT)
    response = registry.get("/checkpoint")
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    vkey = registry.get("/checkpoint/verifier-key").text.strip()
    log = ed25519_verifier(vkey)
    assert log.name == f"danvan.local/registry/{app_of(registry).state.registry.store_id}"
    pem = registry.get("/events/public-key", headers=bearer("auditor")).content
    assert log.raw == read_public_key(pem).public_bytes_raw()  # the same key signs both forms
    checkpoint = open_checkpoint(response.text, log).checkpoint
    assert (checkpoint.size, checkpoint.root) == (5, ROOT)
    assert open_checkpoint(registry.get("/checkpoints/3").text, log).checkpoint.size == 3
    assert error(registry.get("/checkpoints/4")) == (404, "checkpoint_none", "tree_size")


def test_a_witness_cosignature_is_kept_once_and_served_with_the_note(
    registry: TestClient, witness: Cosigner
) -> None:
    audit_of(registry).sign_note(7, ROOT)
    first = cosign(registry, witness, 7)
    assert (first.status_code, first.json()) == (
        201,
        {"tree_size": 7, "witness": "witness.mttq.test", "new": True},
    )
    assert cosign(registry, witness, 7).json()["new"] is False  # again: 200, kept once
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
    audit_of(registry).sign_note(7, ROOT)
    stranger = Cosigner("stranger.test", Ed25519PrivateKey.generate())
    assert error(cosign(registry, stranger, 7)) == (
        403,
        "cosignature_witness_unknown",
        "cosignature",
    )
    forged = "danvan.local/elsewhere\n7\nAAAA\n"
    assert error(cosign(registry, witness, 7, forged)) == (
        422,
        "cosignature_invalid",
        "cosignature",
    )
    line = witness.cosign("x\n", 1).line()
    unknown = {"tree_size": 8, "cosignature": line}
    assert error(registry.post("/checkpoint/cosignatures", json=unknown)) == (
        404,
        "checkpoint_unknown",
        "tree_size",
    )
    for body, field in (
        ({"tree_size": 7, "cosignature": "not a signature line"}, "cosignature"),
        ({"tree_size": 7}, "cosignature"),
        ({"tree_size": -1, "cosignature": line}, "tree_size"),
        ({"tree_size": 7, "cosignature": line, "extra": 1}, "extra"),
    ):
        status, _, named = error(registry.post("/checkpoint/cosignatures", json=body))
        assert (status, named) == (422, field)
    assert registry.get("/checkpoint").text.count("\n— ") == 1  # only the log's signature
