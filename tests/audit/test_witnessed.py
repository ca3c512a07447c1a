"""`danvan verify` holds the checkpoint notes against the events, and, given witness keys,
requires K witnesses' cosignatures on a note."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from shared.audit.checkpoint_note import Cosigner, checkpoint_note
from shared.audit.note import split_note
from shared.audit.store import AuditStore
from tests.audit.conftest import Sealed

Capture = pytest.CaptureFixture[str]
MTTQ = Cosigner("witness.mttq.test", Ed25519PrivateKey.generate())
PRESS = Cosigner("witness.press.test", Ed25519PrivateKey.generate())


def cosign_latest(sealed: Sealed, *witnesses: Cosigner) -> int:
    """The witnesses cosign the registry's latest note, kept as POST /checkpoint/cosignatures
    keeps them."""
    store = AuditStore.open(sealed.settings, "registry")
    try:
        found = store.note()
        assert found is not None
        size, note = found
        for witness in witnesses:
            store.add_cosignature(size, witness.cosign(split_note(note)[0], 1765000000))
    finally:
        store.close()
    return size


def test_the_notes_verify_and_witnesses_are_counted(sealed: Sealed, capsys: Capture) -> None:
    code, report = sealed.verify(capsys)
    assert code == 0 and report["notes"]["verified"] == report["notes"]["notes"] == 3
    code, report = sealed.verify(capsys, "--witness-key", MTTQ.verifier.vkey)
    assert code == 1 and [p["kind"] for p in report["problems"]] == ["not_witnessed"]
    size = cosign_latest(sealed, MTTQ)
    both = ["--witness-key", MTTQ.verifier.vkey, "--witness-key", PRESS.verifier.vkey]
    code, report = sealed.verify(capsys, *both)
    assert code == 0
    assert (report["notes"]["witnessed_size"], report["notes"]["witnesses"]) == (
        size,
        ["witness.mttq.test"],
    )
    code, report = sealed.verify(capsys, *both, "--witnesses-required", "2")
    assert code == 1 and report["problems"][0]["kind"] == "not_witnessed"
    cosign_latest(sealed, PRESS)
    assert sealed.verify(capsys, *both, "--witnesses-required", "2")[0] == 0


def test_a_note_must_carry_its_checkpoints_root_and_the_logs_signature(
    sealed: Sealed, capsys: Capture
) -> None:
    tamper = sealed.tamper
    heads = tamper.audit_table("tree_heads")
    tamper.sql(f"UPDATE {heads} SET root = ? WHERE position = 8", bytes(32), store="audit")
    code, report = sealed.verify(capsys)
    assert code == 1 and {"root_mismatch", "note_root"} <= {p["kind"] for p in report["problems"]}


def test_a_note_signed_by_another_key_is_named(sealed: Sealed, capsys: Capture) -> None:
    notes = sealed.tamper.audit_table("checkpoint_notes")
    (size, note), *_ = sealed.tamper.sql(f"SELECT tree_size, note FROM {notes}", store="audit")
    text, _ = split_note(note)
    forged = checkpoint_note(text.split("\n")[0], size, bytes(32), Ed25519PrivateKey.generate())
    tamper_note = f"UPDATE {notes} SET note = ? WHERE tree_size = ?"
    sealed.tamper.sql(tamper_note, forged, size, store="audit")
    code, report = sealed.verify(capsys)
    kinds = [(p["kind"], p["position"]) for p in report["problems"]]
    assert code == 1 and kinds == [("note_bad_signature", 0), ("root_unsigned", size)]


def test_a_witness_key_of_the_wrong_type_is_refused(sealed: Sealed, capsys: Capture) -> None:
    plain = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
    with pytest.raises(SystemExit, match="--witness-key"):
        sealed.verify(capsys, "--witness-key", plain)


def test_a_root_whose_note_was_dropped_is_named_unsigned(sealed: Sealed, capsys: Capture) -> None:
    """The tree and its recorded roots rewritten together, the signed notes dropped: the roots
    no key signed are named (the signed notes are what make a recorded root evidence)."""
    tamper = sealed.tamper
    notes = tamper.audit_table("checkpoint_notes")
    [(size,)] = tamper.sql(f"SELECT MAX(tree_size) FROM {notes}", store="audit")
    tamper.sql(f"DELETE FROM {notes} WHERE tree_size = ?", size, store="audit")
    code, report = sealed.verify(capsys)
    assert code == 1
    assert [(p["kind"], p["position"]) for p in report["problems"]] == [("root_unsigned", size)]
