"""Receipts: what proves, with nothing else, that a record's events are in its feed's log, and
when they were recorded.

A receipt holds each event's entry (the exact bytes the feed's Merkle tree hashes as a leaf:
`canonical(item)` of shared.audit.chain) with its inclusion proof, and the signed checkpoint note
(C2SP tlog-checkpoint, with any witnesses' cosignatures) of the tree they are proven in. Anyone
with the log's verifier key checks it offline (`verify_receipt`): the note's signature, each
leaf's path to the note's root (RFC 9162 §2.1.3.2), and that each entry says what the receipt
says it is. A receipt asked for again with `?since=<the kept one's tree size>` also proves the
log's newer tree extends the kept one (RFC 9162 §2.1.4): `compare_receipts` checks that and that
every kept entry is still the same, which is how a history changed after the receipt was given
is caught. A citizen's erasure keeps every proof: the entries hold ciphertext, never the key.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, cast

import orjson
from pydantic import BaseModel, Field

from shared.audit import merkle
from shared.audit.chain import canonical
from shared.audit.checkpoint_note import (
    Checkpoint,
    OpenedCheckpoint,
    open_checkpoint,
    with_signatures,
)
from shared.audit.note import Verifier
from shared.audit.store import AuditStore
from shared.events import FeedItem

FORMAT: Literal["danvan-receipt/v1"] = "danvan-receipt/v1"
B64 = "standard base64 with padding"


class ReceiptEntry(BaseModel):
    leaf_index: int = Field(ge=0, description="0-based, in sealing order")
    position: int = Field(ge=1, description="the event's position in the feed")
    event_id: str
    type: str
    recorded_at: str
    entry: str = Field(description=f"the leaf's bytes (canonical feed item, JSON), {B64}")
    hashes: list[str] = Field(description=f"the inclusion proof, bottom up, {B64}")


class ConsistencyFrom(BaseModel):
    first: int = Field(description="the tree size of the receipt asked about (?since=)")
    hashes: list[str] = Field(description=f"RFC 9162 consistency proof to this one's, {B64}")


class Receipt(BaseModel):
    format: Literal["danvan-receipt/v1"] = FORMAT
    record_id: str
    path: str = Field(
        pattern=r"^(/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)+$",  # no "..", no host
        description="where the log answers this receipt again (with ?since=): a path on the "
        "log, never another host",
    )
    checkpoint: str = Field(description="C2SP tlog-checkpoint signed note, with cosignatures")
    entries: list[ReceiptEntry]
    consistency: ConsistencyFrom | None = Field(
        default=None, description="with ?since=: this checkpoint's tree extends that size's"
    )


class ReceiptInvalid(ValueError):
    """A receipt that does not prove what it says, and why."""


class NotYetProven(LookupError):
    """An event not sealed yet, or sealed after the latest checkpoint: its receipt is a few
    seconds away (the sealer checkpoints every DANVAN_CHECKPOINT_EVERY_SECONDS)."""


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def _unb64(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except binascii.Error as error:
        raise ReceiptInvalid(f"not base64: {text[:20]!r}") from error


def build_receipt(
    store: AuditStore,
    record_id: str,
    path: str,
    items: Sequence[FeedItem],
    since: int | None = None,
    witnessed: int = 0,
) -> Receipt:
    """The receipt of these events (a record's history, or its first event) against the latest
    checkpoint note (with `witnessed`: the latest that many witnesses cosigned), its
    cosignatures appended; raises NotYetProven until each is sealed and so checkpointed."""
    size = store.latest_cosigned(witnessed) if witnessed else None
    latest = store.note(size) if size or not witnessed else None
    if latest is None:
        raise NotYetProven("no checkpoint yet")
    size, note = latest
    note = with_signatures(note, store.cosignatures(size))
    entries = []
    for item in items:
        leaf = store.leaf(event_id=str(item["id"]))
        if leaf is None or leaf.index >= size:
            raise NotYetProven(str(item["id"]))
        entry = canonical({**item, "position": leaf.position})
        entries.append(
            ReceiptEntry(
                leaf_index=leaf.index,
                position=leaf.position,
                event_id=str(item["id"]),
                type=str(item["type"]),
                recorded_at=str(orjson.loads(entry)["recorded_at"]),
                entry=_b64(entry),
                hashes=[_b64(h) for h in store.inclusion_proof(leaf.index, size)],
            )
        )
    consistency = None
    if since is not None and 0 < since <= size:
        proof = store.consistency_proof(since, size) if since < size else []
        consistency = ConsistencyFrom(first=since, hashes=[_b64(h) for h in proof])
    return Receipt(
        record_id=record_id,
        path=path,
        checkpoint=note,
        entries=entries,
        consistency=consistency,
    )


@dataclass(frozen=True)
class VerifiedReceipt:
    receipt: Receipt
    checkpoint: Checkpoint
    witnesses: tuple[str, ...]  # the known witnesses whose cosignatures verified
    items: tuple[dict[str, Any], ...]  # each entry, read


def verify_receipt(
    receipt: Receipt,
    log: Verifier,
    witnesses: Iterable[Verifier] = (),
    required: int = 0,
) -> VerifiedReceipt:
    """Checks a receipt offline: the log's signature on its checkpoint (and `required` of the
    witnesses' cosignatures), each entry's inclusion in that tree, and that each entry is the
    event it is listed as."""
    try:
        opened: OpenedCheckpoint = open_checkpoint(receipt.checkpoint, log, witnesses, required)
    except ValueError as error:
        raise ReceiptInvalid(f"checkpoint: {error}") from error
    checkpoint = opened.checkpoint
    if not receipt.entries:
        raise ReceiptInvalid("no entries")
    items = []
    for entry in receipt.entries:
        raw = _unb64(entry.entry)
        hashes = [_unb64(h) for h in entry.hashes]
        if entry.leaf_index >= checkpoint.size or not merkle.verify_inclusion(
            entry.leaf_index, checkpoint.size, merkle.leaf_hash(raw), hashes, checkpoint.root
        ):
            raise ReceiptInvalid(f"entry {entry.leaf_index}: not in the checkpoint's tree")
        item = _read(raw, entry.leaf_index)
        said = (entry.position, entry.event_id, entry.type, entry.recorded_at, receipt.record_id)
        if tuple(item.get(k) for k in LISTED) != said:
            raise ReceiptInvalid(f"entry {entry.leaf_index}: is not the event it is listed as")
        items.append(item)
    return VerifiedReceipt(receipt, checkpoint, opened.witnesses, tuple(items))


# what a receipt lists of each entry, and of whose record it is, as the entry itself says
LISTED = ("position", "id", "type", "recorded_at", "aggregate_id")


def _read(raw: bytes, index: int) -> dict[str, Any]:
    """The entry's JSON, only if it is in the canonical form the log hashes (one reading)."""
    try:
        item = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise ReceiptInvalid(f"entry {index}: not JSON") from None
    if not isinstance(item, dict) or canonical(cast(FeedItem, item)) != raw:
        raise ReceiptInvalid(f"entry {index}: not a canonical feed entry")
    return item


def compare_receipts(kept: VerifiedReceipt, fresh: VerifiedReceipt) -> None:
    """The log today (a fresh receipt of the same record, asked ?since= the kept one's size)
    still holds what the kept receipt proved: its tree extends the kept one and every kept
    entry is there unchanged."""
    old, new = kept.checkpoint, fresh.checkpoint
    if fresh.receipt.record_id != kept.receipt.record_id:
        raise ReceiptInvalid(f"the log answered for record {fresh.receipt.record_id}")
    if new.origin != old.origin:
        raise ReceiptInvalid(f"another log: {new.origin!r}, not {old.origin!r}")
    if new.size < old.size:
        raise ReceiptInvalid(f"the log shrank from {old.size} to {new.size} entries")
    proof = fresh.receipt.consistency
    if proof is None or proof.first != old.size:
        raise ReceiptInvalid(f"no consistency proof from tree size {old.size}")
    hashes = [_unb64(h) for h in proof.hashes]
    same = new.size == old.size and new.root == old.root
    if not same and not merkle.verify_consistency(old.size, new.size, old.root, new.root, hashes):
        raise ReceiptInvalid(f"the log's tree of {new.size} does not extend the kept {old.size}")
    now = {e.leaf_index: e.entry for e in fresh.receipt.entries}
    for entry in kept.receipt.entries:
        if now.get(entry.leaf_index) != entry.entry:
            raise ReceiptInvalid(f"entry {entry.leaf_index} (position {entry.position}) changed")
