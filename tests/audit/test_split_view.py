"""A split view on a real store: the operator copies a registry's data folder (its store id and
signing key with it) and lets the two copies go on with different histories, each sealed and
signed with the one real key, one shown to each auditor. Each note verifies on its own; a
consistency proof between the two does not, and a witness that cosigned one refuses the other."""

from __future__ import annotations

import base64
import shutil
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient

from services.registry.main import create_app as create_registry
from shared.audit.checkpoint_note import Cosigner, open_checkpoint
from shared.audit.merkle import verify_consistency
from shared.audit.service import Audit
from shared.audit.witness import HttpLog, Witness
from shared.proofs import b64
from shared.settings import Settings
from tests.conftest import bearer
from tests.helpers import app_of, register

AUDITOR = bearer("auditor")
WITNESS = Cosigner("witness.mttq.test", Ed25519PrivateKey.from_private_bytes(bytes(range(32))))


def signed(registry: TestClient, titles: list[str]) -> int:
    for title in titles:
        register(registry, title=title)
    audit: Audit = app_of(registry).state.audit
    checkpoint = audit.sealer.checkpoint()
    assert checkpoint is not None and checkpoint.tree_size is not None
    return checkpoint.tree_size


def test_two_histories_signed_with_the_real_key_are_caught(
    settings: Settings, tmp_path: Path
) -> None:
    if settings.database_url is not None:
        pytest.skip("the copy is of a SQLite data folder; the proofs are the same on PostgreSQL")
    settings.witness_keys = WITNESS.verifier.vkey
    with TestClient(create_registry(settings), headers=bearer("officer")) as registry:
        signed(registry, ["Mô hình chung 1", "Mô hình chung 2"])
    other = settings.model_copy(update={"data_dir": tmp_path / "copy"})
    shutil.copytree(settings.data_dir, other.data_dir)

    with (
        TestClient(create_registry(settings), headers=bearer("officer")) as shown_to_a,
        TestClient(create_registry(other), headers=bearer("officer")) as shown_to_b,
    ):
        size_a = signed(shown_to_a, ["Mô hình thật"])
        size_b = signed(shown_to_b, ["Mô hình khác", "Thêm một mô hình"])
        key = app_of(shown_to_a).state.audit.log_key
        note_a, note_b = shown_to_a.get("/checkpoint").text, shown_to_b.get("/checkpoint").text
        a = open_checkpoint(note_a, key).checkpoint  # each well signed by the log's key
        b = open_checkpoint(note_b, key).checkpoint
        assert a.origin == b.origin and size_b > size_a

        # auditor A asks B's log to prove its tree extends the one A was shown: it cannot
        proof = shown_to_b.get(
            "/proofs/consistency", params={"first": size_a, "second": size_b}, headers=AUDITOR
        )
        assert proof.status_code == 200, proof.text
        hashes = [base64.b64decode(h) for h in proof.json()["hashes"]]
        assert not verify_consistency(size_a, size_b, a.root, b.root, hashes)
        root_a_in_b = shown_to_b.get(
            "/proofs/root", params={"tree_size": size_a}, headers=AUDITOR
        ).json()["root"]
        assert root_a_in_b != b64(a.root)  # B's log has another tree at A's size

        # a witness that cosigned what A was shown refuses B's history, and keeps the evidence
        witness = Witness(WITNESS, tmp_path / "witness")
        log_a = HttpLog(TestClient(shown_to_a.app, headers=AUDITOR))
        log_b = HttpLog(TestClient(shown_to_b.app, headers=AUDITOR))
        assert witness.witness(log_a, key).status == "cosigned"
        refused = witness.witness(log_b, key)
        assert refused.status == "fork" and refused.size == size_b
        assert len(list((tmp_path / "witness" / "forks").iterdir())) == 1
        # and A's log, honest with itself, extends what the witness cosigned
        grown = signed(shown_to_a, ["Mô hình thật 2"])
        assert witness.witness(log_a, key).status == "cosigned"
        assert grown > size_a
