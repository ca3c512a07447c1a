"""What exactly is hashed.

Item n of a feed (n counts events, not positions: PostgreSQL positions have holes) is chained as

    hash_n = sha256(bytes.fromhex(hash_{n-1}) || canonical(item_n))

where canonical(item) is the feed envelope's seven fields (position, id, aggregate_id,
aggregate_version, type, recorded_at, data), as the feed writes them (UUIDs, dates and decimals
as strings), serialised by orjson with sorted keys and no spaces. hash_0, the chain's genesis,
is sha256("danvan-feed-chain/v1|" + store_id). The item's position is part of what is hashed,
so an event cannot move without changing the chain. Hashes are lower-case hex.

Anyone can recompute the chain from the plain feed with a few lines of any language; the
auditor's `danvan verify` does exactly this.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from typing import Any

import orjson
from eventsourcing.persistence import Notification, Transcoder

from shared.events import FeedItem, dumps, envelope

FIELDS = ("position", "id", "aggregate_id", "aggregate_version", "type", "recorded_at", "data")
GENESIS_PREFIX = "danvan-feed-chain/v1|"


def genesis(store_id: str) -> str:
    return hashlib.sha256(f"{GENESIS_PREFIX}{store_id}".encode()).hexdigest()


def canonical(item: FeedItem) -> bytes:
    """The bytes hashed for one feed item: the same whether it comes from the store (Python
    values) or from the feed's JSON (strings)."""
    fields = {name: value for name, value in item.items() if name in FIELDS}
    return orjson.dumps(orjson.loads(dumps(fields)), option=orjson.OPT_SORT_KEYS)


def stored_entry(stored: Notification, transcoder: Transcoder) -> bytes:
    """The entry of an event as its store holds it, at its position: what the chain and the
    Merkle tree hash, and what a write's answer names (X-Event-Entries)."""
    return canonical(envelope(stored, transcoder, stored.id))


def link(prev_hash: str, item: FeedItem) -> str:
    return link_entry(prev_hash, canonical(item))


def link_entry(prev_hash: str, entry: bytes) -> str:
    return hashlib.sha256(bytes.fromhex(prev_hash) + entry).hexdigest()


@dataclass(frozen=True)
class Seal:
    """One chain row: the event sealed at a position and the chain's hash there."""

    position: int
    event_id: str
    prev_hash: str
    hash: str

    def as_json(self) -> dict[str, Any]:
        return {
            "position": self.position,
            "id": self.event_id,
            "prev_hash": self.prev_hash,
            "hash": self.hash,
        }


@dataclass(frozen=True)
class Checkpoint:
    """A signed statement: in store `store_id` the chain's hash at `position` is `hash`; with
    it, the Merkle tree of the first `tree_size` sealed events has root `root` (checkpoints
    signed before the tree existed have neither)."""

    store_id: str
    position: int
    hash: str
    signature: str  # base64 Ed25519 over message()
    key_id: str
    signed_at: str
    tree_size: int | None = None
    root: bytes | None = None

    def message(self) -> bytes:
        return checkpoint_message(self.store_id, self.position, self.hash)

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": "checkpoint",
            "store_id": self.store_id,
            "position": self.position,
            "hash": self.hash,
            "signature": self.signature,
            "key_id": self.key_id,
            "signed_at": self.signed_at,
            **self.tree_head(),
        }

    def tree_head(self) -> dict[str, Any]:
        if self.tree_size is None or self.root is None:
            return {}
        return {"tree_size": self.tree_size, "root": base64.b64encode(self.root).decode()}

    @classmethod
    def from_json(cls, line: dict[str, Any]) -> Checkpoint:
        return cls(
            store_id=str(line["store_id"]),
            position=int(line["position"]),
            hash=str(line["hash"]),
            signature=str(line["signature"]),
            key_id=str(line.get("key_id", "")),
            signed_at=str(line.get("signed_at", "")),
            tree_size=int(line["tree_size"]) if line.get("tree_size") is not None else None,
            root=base64.b64decode(line["root"]) if line.get("root") else None,
        )


def checkpoint_message(store_id: str, position: int, chain_hash: str) -> bytes:
    """What a checkpoint's signature covers: `store_id|position|hash`, UTF-8."""
    return f"{store_id}|{position}|{chain_hash}".encode()
