"""The witness against logs whose trees pymerkle 7.0 keeps (in memory, independent of ours):
each root and each hash of a consistency proof is a pymerkle root, the proof's shape RFC 9162
§2.1.4.1's SUBPROOF."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pymerkle import InmemoryTree

from shared.audit.checkpoint_note import (
    Cosigner,
    checkpoint_note,
    log_verifier,
    open_checkpoint,
)
from shared.audit.note import Ed25519Verifier
from shared.audit.witness import Witness

ORIGIN = "danvan.test/registry/3f0c"


def mth(entries: list[bytes]) -> bytes:
    tree = InmemoryTree(algorithm="sha256")
    for entry in entries:
        tree.append_entry(entry)
    root: bytes = tree.get_root()
    return root


def subproof(m: int, entries: list[bytes], complete: bool) -> list[bytes]:
    """RFC 9162 §2.1.4.1, word for word."""
    n = len(entries)
    if m == n:
        return [] if complete else [mth(entries)]
    k = 1 << ((n - 1).bit_length() - 1)
    if m <= k:
        return [*subproof(m, entries[:k], complete), mth(entries[k:])]
    return [*subproof(m - k, entries[k:], False), mth(entries[:k])]


class PymerkleLog:
    """A log serving checkpoints, proofs, and taking cosignatures, all in memory."""

    def __init__(self, key: Ed25519PrivateKey, entries: list[bytes]) -> None:
        self.key, self.entries = key, entries
        self.published: list[tuple[int, str]] = []
        self.proof_asked: list[tuple[int, int]] = []
        self.forged_proof: list[bytes] | None = None

    @property
    def verifier(self) -> Ed25519Verifier:
        return log_verifier(ORIGIN, self.key.public_key())

    def checkpoint(self) -> str:
        return checkpoint_note(ORIGIN, len(self.entries), mth(self.entries), self.key)

    def consistency(self, first: int, second: int) -> list[bytes]:
        self.proof_asked.append((first, second))
        if self.forged_proof is not None:
            return self.forged_proof
        return subproof(first, self.entries[:second], True)

    def publish(self, tree_size: int, cosignature: str) -> None:
        self.published.append((tree_size, cosignature))


def entries(n: int, tag: str = "") -> list[bytes]:
    return [f"event {i}{tag}".encode() for i in range(n)]


@pytest.fixture
def log_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture
def witness(tmp_path: Path) -> Witness:
    return Witness(
        Cosigner("witness.mttq.test", Ed25519PrivateKey.generate()), tmp_path, lambda: 1.7e9
    )


def test_a_growing_log_is_cosigned_at_each_size_after_its_proof_verifies(
    witness: Witness, log_key: Ed25519PrivateKey
) -> None:
    log = PymerkleLog(log_key, entries(3))
    assert witness.witness(log, log.verifier).status == "cosigned"  # the first: trusted as is
    for size in (4, 7, 8, 13, 16, 17):
        log.entries = entries(size)
        outcome = witness.witness(log, log.verifier)
        assert (outcome.status, outcome.size) == ("cosigned", size)
    assert log.proof_asked == [(3, 4), (4, 7), (7, 8), (8, 13), (13, 16), (16, 17)]
    size, line = log.published[-1]
    cosigned = log.checkpoint() + line
    opened = open_checkpoint(cosigned, log.verifier, [witness.cosigner.verifier], required=1)
    assert (size, opened.witnesses) == (17, ("witness.mttq.test",))
    state = orjson.loads((witness.folder(ORIGIN) / "state.json").read_bytes())
    assert (state["size"], state["note"]) == (17, cosigned)
    assert (witness.folder(ORIGIN) / "cosigned" / "13.txt").exists()


def test_the_same_checkpoint_again_is_not_cosigned_twice_but_published_again(
    witness: Witness, log_key: Ed25519PrivateKey
) -> None:
    log = PymerkleLog(log_key, entries(5))
    witness.witness(log, log.verifier)
    assert witness.witness(log, log.verifier).status == "unchanged"
    assert log.published[0] == log.published[1]


def test_a_split_view_is_refused_and_kept_as_evidence(
    witness: Witness, log_key: Ed25519PrivateKey, tmp_path: Path
) -> None:
    honest = PymerkleLog(log_key, entries(5))
    # the same log key shows another party a history that changed event 3, then grew
    other = PymerkleLog(log_key, [*entries(3), *entries(3, " rewritten")])
    assert witness.witness(honest, honest.verifier).status == "cosigned"
    outcome = witness.witness(other, other.verifier)
    assert (outcome.status, outcome.failed) == ("fork", True)
    assert "consistency proof from 5 to 6 fails" in outcome.detail
    assert other.published == []
    assert witness.seen(ORIGIN) is not None and witness.seen(ORIGIN).size == 5  # type: ignore[union-attr]
    (evidence,) = (tmp_path / "forks").iterdir()
    text = evidence.read_text()
    assert honest.checkpoint() in text and other.checkpoint() in text
    # both checkpoints are well signed by the log: the evidence convicts it
    open_checkpoint(honest.checkpoint(), honest.verifier)
    open_checkpoint(other.checkpoint(), other.verifier)


def test_another_root_at_the_same_size_or_a_smaller_tree_is_a_fork(
    witness: Witness, log_key: Ed25519PrivateKey
) -> None:
    log = PymerkleLog(log_key, entries(6))
    witness.witness(log, log.verifier)
    log.entries = [*entries(5), b"another sixth"]
    assert witness.witness(log, log.verifier).detail == "another root at the same size 6"
    log.entries = entries(4)
    assert witness.witness(log, log.verifier).detail == "the tree shrank from 6 to 4"
    assert len(log.published) == 1


def test_a_forged_or_missing_proof_is_a_fork(witness: Witness, log_key: Ed25519PrivateKey) -> None:
    log = PymerkleLog(log_key, entries(4))
    witness.witness(log, log.verifier)
    log.entries = entries(9)
    log.forged_proof = [mth(entries(1))] * 3
    assert witness.witness(log, log.verifier).status == "fork"
    log.forged_proof = []
    assert witness.witness(log, log.verifier).status == "fork"
    log.forged_proof = None
    assert witness.witness(log, log.verifier).status == "cosigned"


def test_a_checkpoint_not_signed_by_the_configured_log_key_is_refused(
    witness: Witness, log_key: Ed25519PrivateKey
) -> None:
    log = PymerkleLog(log_key, entries(4))
    impostor = PymerkleLog(Ed25519PrivateKey.generate(), entries(4))
    outcome = witness.witness(impostor, log.verifier)
    assert (outcome.status, impostor.published) == ("refused", [])
    assert witness.seen(ORIGIN) is None


def test_the_state_outlives_the_process(
    witness: Witness, log_key: Ed25519PrivateKey, tmp_path: Path
) -> None:
    log = PymerkleLog(log_key, entries(10))
    witness.witness(log, log.verifier)
    again = Witness(witness.cosigner, tmp_path)
    log.entries = entries(3)
    assert again.witness(log, log.verifier).status == "fork"
