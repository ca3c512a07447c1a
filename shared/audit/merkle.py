"""The Merkle tree over a feed, hashed as RFC 9162 §2.1 says, and its proofs.

Leaf i of a feed's tree is the i-th event sealed (0-based, in sealing order: positions have holes
on PostgreSQL, so the leaf index is not the position), its entry exactly `canonical(item)`, the
bytes the hash chain hashes (shared.audit.chain):

    leaf_hash(entry)   = SHA-256(0x00 || entry)
    node_hash(l, r)    = SHA-256(0x01 || l || r)
    MTH({})            = SHA-256("")
    MTH(D[n])          = node_hash(MTH(D[0:k]), MTH(D[k:n])), k the largest power of 2 below n

A node is named by (level, index): the complete subtree over leaves [index·2^level,
(index+1)·2^level). The sealer stores every complete subtree as it completes (`Frontier`), about
two rows a leaf; the root of any size and any proof then need only the O(log n) complete subtrees
that tile a few ranges (`subtrees`), read in one query from a `NodeSource`, never the leaves.

Proofs are RFC 9162 §2.1.3.1 (inclusion) and §2.1.4.1 (consistency), hash lists in the RFC's
order; `verify_inclusion` and `verify_consistency` are §2.1.3.2 and §2.1.4.2 word for word.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

LEAF_PREFIX, NODE_PREFIX = b"\x00", b"\x01"
Key = tuple[int, int]  # (level, index) of a complete subtree
Range = tuple[int, int]  # leaves [start, end)
Node = tuple[Key, bytes]


@dataclass(frozen=True)
class Leaf:
    """Leaf `index` of a feed's tree: the event sealed at `position`."""

    index: int
    position: int
    event_id: str
    hash: bytes


def leaf_hash(entry: bytes) -> bytes:
    return hashlib.sha256(LEAF_PREFIX + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


EMPTY_ROOT = hashlib.sha256(b"").digest()


class NodeSource(Protocol):
    """Where the complete subtrees' hashes are kept: the audit store, or memory."""

    def node_hashes(self, keys: Collection[Key]) -> dict[Key, bytes]: ...


def split(size: int) -> int:
    """k of RFC 9162: the largest power of two smaller than size (size > 1)."""
    return 1 << ((size - 1).bit_length() - 1)


def subtrees(start: int, end: int) -> list[Key]:
    """The maximal complete subtrees tiling leaves [start, end), left to right."""
    keys = []
    while start < end:
        level = (start & -start).bit_length() - 1 if start else (end - start).bit_length() - 1
        while start + (1 << level) > end:
            level -= 1
        keys.append((level, start >> level))
        start += 1 << level
    return keys


def fold(hashes: Sequence[bytes]) -> bytes:
    """MTH of a range from its tiling subtrees (an RFC range: their sizes descend)."""
    if not hashes:
        return EMPTY_ROOT
    root = hashes[-1]
    for left in reversed(hashes[:-1]):
        root = node_hash(left, root)
    return root


def inclusion_ranges(index: int, size: int) -> list[Range]:
    """The subtrees whose MTHs make PATH(index, D[size]), in the RFC's order (bottom up)."""
    ranges = []
    start, end = 0, size
    while end - start > 1:
        k = split(end - start)
        if index < start + k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            start += k
    return ranges[::-1]


def consistency_ranges(first: int, second: int) -> list[Range]:
    """The subtrees whose MTHs make PROOF(first, D[second]) (RFC 9162 §2.1.4.1)."""
    ranges = []
    start, end, m, whole = 0, second, first, True
    while m != end - start:
        k = split(end - start)
        if m <= k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            start, m, whole = start + k, m - k, False
    if not whole:
        ranges.append((start, end))
    return ranges[::-1]


def hashes_of(source: NodeSource, ranges: Iterable[Range]) -> list[bytes]:
    """The MTH of each range, from one read of the subtrees that tile them."""
    tilings = [subtrees(start, end) for start, end in ranges]
    wanted = {key for tiling in tilings for key in tiling}
    found = source.node_hashes(wanted)
    missing = wanted - found.keys()
    if missing:
        raise LookupError(f"the tree lacks nodes {sorted(missing)[:3]}")
    return [fold([found[key] for key in tiling]) for tiling in tilings]


def root(source: NodeSource, size: int) -> bytes:
    return hashes_of(source, [(0, size)])[0] if size else EMPTY_ROOT


def inclusion_proof(source: NodeSource, index: int, size: int) -> list[bytes]:
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of {size}")
    return hashes_of(source, inclusion_ranges(index, size))


def consistency_proof(source: NodeSource, first: int, second: int) -> list[bytes]:
    if not 0 < first <= second:
        raise ValueError(f"no consistency proof from {first} to {second}")
    return hashes_of(source, consistency_ranges(first, second))


# verification: RFC 9162 §2.1.3.2 and §2.1.4.2


def root_from_inclusion(
    index: int, size: int, leaf: bytes, hashes: Sequence[bytes]
) -> bytes | None:
    """The root the inclusion proof leads to, or None when the proof is malformed."""
    if not 0 <= index < size:
        return None
    fn, sn, r = index, size - 1, leaf
    for p in hashes:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return r if sn == 0 else None


def verify_inclusion(
    index: int, size: int, leaf: bytes, hashes: Sequence[bytes], expected_root: bytes
) -> bool:
    return root_from_inclusion(index, size, leaf, hashes) == expected_root


def roots_from_consistency(
    first: int, second: int, first_root: bytes, hashes: Sequence[bytes]
) -> tuple[bytes, bytes] | None:
    """The two roots the consistency proof leads to, or None when it is malformed."""
    if not 0 < first <= second:
        return None
    if first == second:
        return (first_root, first_root) if not hashes else None
    if not hashes:
        return None
    path = [first_root, *hashes] if first & (first - 1) == 0 else list(hashes)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return (fr, sr) if sn == 0 else None


def verify_consistency(
    first: int, second: int, first_root: bytes, second_root: bytes, hashes: Sequence[bytes]
) -> bool:
    return roots_from_consistency(first, second, first_root, hashes) == (first_root, second_root)


# building


@dataclass
class Frontier:
    """The tree's right edge: the complete subtrees of its size's binary decomposition, left to
    right. Appending a leaf gives the nodes it completes, the leaf first."""

    size: int = 0
    edge: list[tuple[int, bytes]] = field(default_factory=list)  # (level, hash)

    @classmethod
    def load(cls, source: NodeSource, size: int) -> Frontier:
        keys = subtrees(0, size)
        found = source.node_hashes(keys)
        return cls(size, [(level, found[(level, index)]) for level, index in keys])

    def append(self, leaf: bytes) -> list[tuple[Key, bytes]]:
        index, level, current = self.size, 0, leaf
        made = [((0, index), leaf)]
        while self.edge and self.edge[-1][0] == level:
            current = node_hash(self.edge.pop()[1], current)
            level += 1
            made.append(((level, index >> level), current))
        self.edge.append((level, current))
        self.size += 1
        return made

    def root(self) -> bytes:
        return fold([h for _, h in self.edge])

    def copy(self) -> Frontier:
        return Frontier(self.size, list(self.edge))


class MemoryTree:
    """Every complete subtree in a dict: for verification and tests."""

    def __init__(self, leaves: Iterable[bytes] = ()) -> None:
        self.nodes: dict[Key, bytes] = {}
        self.frontier = Frontier()
        for leaf in leaves:
            self.append(leaf)

    def append(self, leaf: bytes) -> list[tuple[Key, bytes]]:
        made = self.frontier.append(leaf)
        self.nodes.update(made)
        return made

    @property
    def size(self) -> int:
        return self.frontier.size

    def node_hashes(self, keys: Collection[Key]) -> dict[Key, bytes]:
        return {key: self.nodes[key] for key in keys if key in self.nodes}
