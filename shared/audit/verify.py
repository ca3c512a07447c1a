"""Verification: recompute a feed's hash chain from its events and hold it against the chain
rows the sealer wrote and the checkpoints it signed.

The walk goes through the events in position order, chaining each onto the previous recomputed
hash (see `shared.audit.chain`), and merges them with the chain rows by position. The first
position where the two disagree is named, with its kind:

- **altered**: the event at p still has the id the chain row at p names, but its content
  (type, time, data, aggregate) hashes differently; also when the row was replaced in place
  by an event whose id is sealed nowhere while the sealed one is gone.
- **removed**: a chain row at p has no event at p and its event is nowhere else in the feed;
  also when the chain row at p links back to a hash the recomputed chain never had (an event
  before p was deleted together with its chain row: the range is given), and when a signed
  checkpoint names a position the feed no longer has (a truncated tail).
- **reordered**: the event at p is one the chain sealed at another position q (rows moved), or
  its content is the content sealed at q (only the states swapped: the content at p, chained
  at q onto q's sealed predecessor, gives q's sealed hash).
- **inserted**: an event at p inside the sealed range that no chain row names: either at a free
  position (a hole, which PostgreSQL leaves after rejected writes) or pushing the sealed event
  of p to a later position.
- **seal_removed**: an event with no chain row whose recomputed hash the next row links back
  to: the event is genuine, the chain table lost a row.

Checkpoints: every signature is checked with the auditor's public key (`bad_signature`, also
when the wrong key is given; `wrong_store` when it signs another store's chain), and every
checkpoint before the first problem must carry the recomputed hash at its position.

The Merkle tree (shared.audit.merkle) is rebuilt from the same events, each event sealed so far
a leaf in position order. With the audit store at hand (`from_store`), every stored leaf and
node is held against it: the first that differs, before the chain's first problem, is named
**tree_rewritten** at the first position it covers (nodes edited alone). Every checkpoint that
records a tree size and root must carry the rebuilt root at that size: when the stored tree
agrees with the events but not with that root, the tree was rewritten to match changed events
(**tree_rewritten**, the range back to the last root that held); when the chain holds there and
only the recorded root differs, **root_mismatch**. An export carries the roots with its
checkpoints, so they are checked offline too.

What an attacker who can also rewrite the chain table can and cannot hide: by recomputing the
chain rows after tampering, the row comparison passes, but the recomputed chain no longer meets
the signed checkpoint after the change (`chain_rewritten`, naming the range between the last
checkpoint that still holds and the first that fails: the exact position and kind are what they
hide). Signatures cannot be forged without the private key. What they can hide: changes after
the last checkpoint (the unsigned tail, at most `checkpoint_every_events` events or
`checkpoint_every_seconds`), and, by deleting the latest checkpoints too, a truncated or
rewritten tail back to the last checkpoint they keep: compare with checkpoints kept from an
earlier export (`--known-checkpoints`) to close that. An event written straight into the store
before the sealer reads it is sealed as genuine: the chain proves nothing changed after sealing,
not who wrote the event. Whoever holds the signing key can rewrite everything.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from shared.audit.chain import Checkpoint, Seal, canonical, genesis, link, link_entry
from shared.audit.keys import signature_valid
from shared.audit.merkle import Leaf, MemoryTree, Node, leaf_hash
from shared.events import FeedItem, position_of

Item = FeedItem


@dataclass
class Problem:
    kind: str
    position: int
    detail: str
    through: int | None = None  # the last position the problem may lie at, when not exact


@dataclass
class Report:
    store_id: str
    events: int = 0
    verified_through: int = 0  # last position whose recomputed hash its chain row confirms
    sealed_through: int = 0
    signed_through: int = 0  # last position covered by a checkpoint that verified
    checkpoints: int = 0
    checkpoints_checked: int = 0
    unsealed: int = 0  # events after the last chain row
    unsigned: int = 0  # events after the last verified checkpoint
    tree_size: int = 0  # leaves of the tree rebuilt from the events
    tree_rows_checked: int = 0  # stored leaves and nodes held against it
    roots_checked: int = 0  # checkpoints whose recorded tree root it confirms
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_json(self) -> dict[str, Any]:
        return {"ok": self.ok, **asdict(self)}


@dataclass
class _Walk:
    """The state of the first pass: everything the classification needs afterwards."""

    pending: tuple[str, int, Item | None, str] | None = None  # (what, position, item, prev)
    event_ids: dict[str, int] = field(default_factory=dict)
    positions: list[int] = field(default_factory=list)
    at_checkpoints: dict[int, str] = field(default_factory=dict)
    tree: MemoryTree = field(default_factory=MemoryTree)
    leaf_positions: list[int] = field(default_factory=list)
    roots: dict[int, bytes] = field(default_factory=dict)  # at the checkpoints' tree sizes
    tree_diverges: int | None = None  # the first leaf where the stored tree differs


@dataclass
class StoredTree:
    """The audit store's tree rows: leaves in index order, inner nodes."""

    leaves: Sequence[Leaf]
    nodes: Sequence[Node]


def verify(
    store_id: str,
    events: Callable[[], Iterable[Item]],
    seals: Sequence[Seal],
    checkpoints: Sequence[Checkpoint],
    public_keys: Ed25519PublicKey | Sequence[Ed25519PublicKey],
    tree: StoredTree | None = None,
) -> Report:
    """`events` gives the feed items in position order; it is called again only to classify
    a mismatch (looking for content that moved). A checkpoint verifies under any of the keys
    (the old and the new one, after the signing key was replaced)."""
    keys = [public_keys] if isinstance(public_keys, Ed25519PublicKey) else list(public_keys)
    sealed = {s.position: s for s in seals}
    order = sorted(sealed)
    report = Report(store_id, sealed_through=order[-1] if order else 0)
    walk = _Walk(roots={c.tree_size: b"" for c in checkpoints if c.tree_size})
    _walk(walk, store_id, events(), sealed, order, {c.position for c in checkpoints}, report)
    if walk.pending is not None:
        report.problems.append(_classify(walk, sealed, events))
    first = walk.pending[1] if walk.pending else None
    signed: list[Checkpoint] = []
    first = _check_checkpoints(report, walk, checkpoints, keys, first, signed)
    _check_tree(report, walk, tree, first)
    roots = _Roots(report, walk, first, tree is not None)
    for checkpoint in signed:
        roots.check(checkpoint)
    report.unsigned = sum(1 for p in walk.positions if p > report.signed_through)
    report.problems.sort(key=lambda problem: problem.position)
    return report


def _walk(
    walk: _Walk,
    store_id: str,
    events: Iterable[Item],
    sealed: dict[int, Seal],
    order: list[int],
    checkpoint_positions: set[int],
    report: Report,
) -> None:
    prev, next_seal = genesis(store_id), 0
    for item in events:
        position = position_of(item)
        report.events += 1
        walk.positions.append(position)
        walk.event_ids[str(item["id"])] = position
        entry = canonical(item) if position <= report.sealed_through else None
        if entry is not None:  # every event the sealer has seen is a leaf of the tree
            walk.tree.append(leaf_hash(entry))
            walk.leaf_positions.append(position)
            if walk.tree.size in walk.roots:
                walk.roots[walk.tree.size] = walk.tree.frontier.root()
        if walk.pending is not None:
            continue
        if next_seal < len(order) and order[next_seal] < position:
            walk.pending = ("orphan", order[next_seal], None, prev)
            continue
        chained = link_entry(prev, entry) if entry is not None else link(prev, item)
        seal = sealed.get(position)
        if seal is None and position > report.sealed_through:
            report.unsealed += 1
        elif seal is None:
            walk.pending = ("unsealed", position, item, prev)
            continue
        elif chained != seal.hash:
            walk.pending = ("mismatch", position, item, prev)
            continue
        else:
            next_seal += 1
            report.verified_through = position
        if position in checkpoint_positions:
            walk.at_checkpoints[position] = chained
        prev = chained
    if walk.pending is None and next_seal < len(order):
        walk.pending = ("orphan", order[next_seal], None, prev)
    report.tree_size = walk.tree.size


def _check_tree(
    report: Report, walk: _Walk, stored: StoredTree | None, first_problem: int | None
) -> None:
    """Every stored leaf and node against the tree rebuilt from the events (a store sealed
    before the tree existed has none: nothing to hold)."""
    if stored is None or not stored.leaves:
        return
    rebuilt = walk.tree
    differs: list[tuple[int, int]] = []  # the leaves [first, last] under a row that differs
    if len(stored.leaves) != rebuilt.size:
        differs.append((min(len(stored.leaves), rebuilt.size), rebuilt.size))
    for leaf in stored.leaves:
        if (
            leaf.index >= rebuilt.size
            or rebuilt.nodes[(0, leaf.index)] != leaf.hash
            or walk.leaf_positions[leaf.index] != leaf.position
        ):
            differs.append((leaf.index, leaf.index))
            break
    inner = {key for key in rebuilt.nodes if key[0] > 0}
    for (level, index), digest in stored.nodes:
        inner.discard((level, index))
        if rebuilt.nodes.get((level, index)) != digest:
            differs.append((index << level, ((index + 1) << level) - 1))
    differs += [(index << level, ((index + 1) << level) - 1) for level, index in inner]
    report.tree_rows_checked = len(stored.leaves) + len(stored.nodes)
    if not differs:
        return
    walk.tree_diverges = min(first for first, _ in differs)

    def position(leaf: int) -> int:
        return walk.leaf_positions[leaf] if leaf < rebuilt.size else report.sealed_through + 1

    # a row over an event that changed differs as a consequence: the chain names that event
    edited = [
        first for first, last in differs if first_problem is None or position(last) < first_problem
    ]
    if edited:
        first = min(edited)
        report.problems.append(
            Problem(
                "tree_rewritten",
                min(position(first), report.sealed_through),
                f"the stored Merkle tree differs from the events' from leaf {first} on: its "
                "rows were edited",
            )
        )


def _classify(
    walk: _Walk, sealed: dict[int, Seal], events: Callable[[], Iterable[Item]]
) -> Problem:
    assert walk.pending is not None
    what, p, item, prev = walk.pending
    sealed_at = {s.event_id: s.position for s in sealed.values()}
    if what == "orphan":
        moved_to = walk.event_ids.get(sealed[p].event_id)
        if moved_to is not None:
            return Problem("reordered", p, f"the event sealed at {p} now stands at {moved_to}")
        return Problem("removed", p, f"the event sealed at {p} ({sealed[p].event_id}) is gone")
    assert item is not None
    event_id = str(item["id"])
    if event_id in sealed_at and sealed_at[event_id] != p:
        return Problem("reordered", p, f"the event sealed at {sealed_at[event_id]} stands at {p}")
    if what == "unsealed":
        later = [s for s in sealed.values() if s.position > p]
        after = min(later, key=lambda s: s.position)
        if after.prev_hash == link(prev, item):
            return Problem("seal_removed", p, f"the chain row of the event at {p} is missing")
        return Problem("inserted", p, f"event {event_id} at {p} was never sealed")
    seal = sealed[p]
    if event_id != seal.event_id:
        if seal.event_id in walk.event_ids:
            where = walk.event_ids[seal.event_id]
            return Problem("inserted", p, f"event {event_id} pushed the sealed one to {where}")
        return Problem("altered", p, f"event {seal.event_id} was replaced by {event_id}")
    if seal.prev_hash != prev:
        last = max((q for q in sealed if q < p), default=0)
        return Problem(
            "removed",
            last + 1,
            f"an event before {p} was deleted with its chain row",
            through=p - 1,
        )
    source = _swapped_from(item, p, sealed, events)
    if source is not None:
        return Problem("reordered", p, f"the content sealed at {source} stands at {p}")
    return Problem("altered", p, f"event {event_id} at {p} differs from what was sealed")


def _swapped_from(
    item: Item, p: int, sealed: dict[int, Seal], events: Callable[[], Iterable[Item]]
) -> int | None:
    """The position q whose sealed content the event at p now carries, if any."""
    content = {"recorded_at": item["recorded_at"], "data": item["data"]}
    for other in events():
        q = position_of(other)
        seal = sealed.get(q)
        if q == p or seal is None:
            continue
        if link(seal.prev_hash, {**other, **content}) == seal.hash:  # type: ignore[typeddict-item]
            return q
    return None


def _check_checkpoints(
    report: Report,
    walk: _Walk,
    checkpoints: Sequence[Checkpoint],
    keys: Sequence[Ed25519PublicKey],
    first_problem: int | None,
    signed: list[Checkpoint],
) -> int | None:
    """Returns the first problem's position, a chain_rewritten one included; `signed` gets
    the checkpoints that verify under the keys."""
    last_event = walk.positions[-1] if walk.positions else 0
    good = 0
    unsigned: list[int] = []
    unique = {(c.position, c.hash, c.signature): c for c in checkpoints}
    for c in sorted(unique.values(), key=lambda c: c.position):
        report.checkpoints += 1
        if not any(signature_valid(key, c.message(), c.signature) for key in keys):
            unsigned.append(c.position)
            continue
        if c.store_id != report.store_id:
            report.problems.append(
                Problem("wrong_store", c.position, f"checkpoint signs store {c.store_id}")
            )
            continue
        signed.append(c)
        if first_problem is not None and c.position >= first_problem:
            continue  # the chain already broke before it
        recomputed = walk.at_checkpoints.get(c.position)
        if recomputed is None:
            detail = f"a signed checkpoint names position {c.position}; the feed " + (
                f"ends at {last_event}" if c.position > last_event else "has no event there"
            )
            report.problems.append(Problem("removed", min(c.position, last_event + 1), detail))
        elif recomputed != c.hash:
            report.problems.append(
                Problem(
                    "chain_rewritten",
                    good + 1,
                    f"the events between {good + 1} and {c.position} differ from what was "
                    f"signed at {c.signed_at}, and the chain rows were rewritten to match",
                    through=c.position,
                )
            )
            first_problem = good + 1
        else:
            report.checkpoints_checked += 1
            report.signed_through = good = c.position
    if unsigned:
        report.problems.append(
            Problem(
                "bad_signature",
                unsigned[0],
                f"{len(unsigned)} of {report.checkpoints} checkpoints (the first at "
                f"{unsigned[0]}) do not verify with the public key(s) given",
            )
        )
    return first_problem


@dataclass
class _Roots:
    """Each checkpoint's recorded tree root against the rebuilt tree's; one problem at most."""

    report: Report
    walk: _Walk
    first_problem: int | None
    tree_stored: bool
    held_through: int = 0  # the last checkpoint position whose root held
    reported: bool = False

    def check(self, c: Checkpoint) -> None:
        if c.tree_size is None or c.root is None or self.reported:
            return
        if self.walk.roots.get(c.tree_size) == c.root:
            self.report.roots_checked += 1
            self.held_through = c.position
            return
        diverges = self.walk.tree_diverges
        if self.first_problem is None or c.position < self.first_problem:
            problem = Problem(  # the events hold here: the recorded root itself was changed
                "root_mismatch",
                c.position,
                f"the tree root recorded with the checkpoint at {c.position} (size "
                f"{c.tree_size}) is not the root of the events' tree",
            )
        elif self.tree_stored and (diverges is None or diverges >= c.tree_size):
            problem = Problem(
                "tree_rewritten",
                self.held_through + 1,
                f"the stored tree matches the events, but its root at size {c.tree_size} is "
                f"not the one recorded at {c.signed_at}: tree and events were changed together",
                through=c.position,
            )
        else:
            return  # the events changed before it and the tree shows it: the chain names where
        self.report.problems.append(problem)
        self.reported = True
