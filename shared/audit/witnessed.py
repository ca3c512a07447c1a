"""What `danvan verify` checks of a feed's checkpoint notes (shared.audit.checkpoint_note).

Each note must be signed by the log's key (one of the auditor's public keys, under the note's
origin, which must end in the store's id) and carry the root that its checkpoint of the same
tree size records, which `verify` holds against the tree it recomputes from the events
(`note_root` otherwise). Given witness keys and K, the latest note with at least K of their
cosignatures is the one the witnesses vouch for: without any, the history is not witnessed
(`not_witnessed`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from shared.audit.chain import Checkpoint as JsonCheckpoint
from shared.audit.checkpoint_note import (
    Checkpoint,
    CosignatureVerifier,
    TooFewCosignatures,
    log_verifier,
    open_checkpoint,
)
from shared.audit.note import MalformedNote, split_note
from shared.audit.verify import Problem


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
    checkpoints: Iterable[JsonCheckpoint],
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
    roots = {c.tree_size: c.root for c in checkpoints if c.tree_size is not None}
    for checkpoint, note, key in sorted(signed, key=lambda signed: signed[0].size):
        if roots.get(checkpoint.size) != checkpoint.root:
            report.problems.append(
                Problem(
                    "note_root",
                    checkpoint.size,
                    f"the signed note of tree size {checkpoint.size} names another root than "
                    "the checkpoint of that size",
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
    noted = {checkpoint.size for checkpoint, _, _ in signed}
    for size in sorted(set(roots) - noted):  # a root nobody signed could be anyone's
        report.problems.append(
            Problem(
                "root_unsigned",
                size,
                f"the root recorded for tree size {size} has no checkpoint note the key signs",
            )
        )
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
