"""What `danvan verify` checks of a feed's checkpoint notes (shared.audit.checkpoint_note).

Each note must be signed by the log's key (one of the auditor's public keys, under the note's
origin, which must end in the store's id) and carry the root of the Merkle tree recomputed from
the events at its size. Given witness keys and K, the latest note with at least K of their
cosignatures is the one the witnesses vouch for: without any, the history is not witnessed
(`not_witnessed`); an auditor handed another history than the witnesses saw finds its roots
differ from theirs (`note_root`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from shared.audit.chain import canonical
from shared.audit.checkpoint_note import (
    Checkpoint,
    CosignatureVerifier,
    TooFewCosignatures,
    log_verifier,
    open_checkpoint,
)
from shared.audit.merkle import Frontier, leaf_hash
from shared.audit.note import MalformedNote, split_note
from shared.audit.verify import Item, Problem


@dataclass
class NotesReport:
    notes: int = 0
    verified: int = 0
    witnessed_size: int | None = None  # the largest tree size K witnesses cosigned
    witnesses: tuple[str, ...] = ()
    problems: list[Problem] = field(default_factory=list)


def check_notes(
    store_id: str,
    notes: Sequence[str],
    events: Iterable[Item],
    public_keys: Sequence[Ed25519PublicKey],
    witnesses: Sequence[CosignatureVerifier] = (),
    required: int = 0,
) -> NotesReport:
    report = NotesReport(notes=len(notes))
    signed: list[tuple[Checkpoint, str, Ed25519PublicKey]] = []
    for note in notes:
        found = _signed(note, store_id, public_keys)
        if found is None:
            report.problems.append(
                Problem("note_bad_signature", 0, "a checkpoint note the public key(s) do not sign")
            )
        else:
            signed.append((found[0], note, found[1]))
    roots = _roots(events, {c.size for c, _, _ in signed})
    for checkpoint, note, key in sorted(signed, key=lambda signed: signed[0].size):
        if roots.get(checkpoint.size) != checkpoint.root:
            report.problems.append(
                Problem(
                    "note_root",
                    checkpoint.size,
                    f"the signed note of tree size {checkpoint.size} names another root than "
                    "the tree of these events",
                )
            )
            continue
        report.verified += 1
        try:
            opened = open_checkpoint(
                note, log_verifier(checkpoint.origin, key), witnesses, required
            )
        except (TooFewCosignatures, MalformedNote):
            continue
        report.witnessed_size, report.witnesses = checkpoint.size, opened.witnesses
    if required > 0 and report.witnessed_size is None:
        report.problems.append(
            Problem(
                "not_witnessed",
                0,
                f"no checkpoint note carries {required} cosignatures of the witness keys given",
            )
        )
    return report


def _signed(
    note: str, store_id: str, public_keys: Sequence[Ed25519PublicKey]
) -> tuple[Checkpoint, Ed25519PublicKey] | None:
    """The checkpoint of a note signed by one of the keys for this store, and the key."""
    try:
        origin = Checkpoint.parse(split_note(note)[0]).origin
    except MalformedNote:
        return None
    if not origin.endswith(f"/{store_id}"):
        return None
    for key in public_keys:
        try:
            return open_checkpoint(note, log_verifier(origin, key)).checkpoint, key
        except ValueError:  # MalformedNote, UnverifiedNote, InvalidNoteSignature
            continue
    return None


def _roots(events: Iterable[Item], sizes: set[int]) -> dict[int, bytes]:
    """The roots of the tree over these events at these sizes (a leaf per event, in order)."""
    tree, roots = Frontier(), {}
    if 0 in sizes:
        roots[0] = tree.root()
    wanted = max(sizes, default=0)
    for item in events:
        if tree.size >= wanted:
            break
        tree.append(leaf_hash(canonical(item)))
        if tree.size in sizes:
            roots[tree.size] = tree.root()
    return roots
