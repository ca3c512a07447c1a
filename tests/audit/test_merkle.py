"""The tree's hashing and proofs against published vectors and against pymerkle.

Vectors: transparency-dev/merkle at commit 417fb0c314750d94e53942e9f92e79b6d35915db,
testonly/constants.go (LeafInputs, NodeHashes, RootHashes: RFC 6962 hashing, which RFC 9162 §2.1
keeps) and testdata/inclusion/*/happy-path.json, testdata/consistency/*/happy-path.json (the
proofs of cmd/proofgen), copied verbatim (hex and base64 as published; the proofs in
rfc9162_proofs.json).
"""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

import pytest
from pymerkle import InmemoryTree

from shared.audit.merkle import (
    EMPTY_ROOT,
    Frontier,
    MemoryTree,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    node_hash,
    root,
    root_from_inclusion,
    roots_from_consistency,
    subtrees,
    verify_consistency,
    verify_inclusion,
)
from tests.audit.pymerkle_check import pymerkle_verifies_inclusion

LEAF_INPUTS = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657",
               "606162636465666768696a6b6c6d6e6f"]  # fmt: skip
NODE_HASHES = [
    [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
        "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
        "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
        "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1",
    ],
    [
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
    ],
    [
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
    ["5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"],
]
ROOT_HASHES = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
PROOFS = json.loads((Path(__file__).parent / "rfc9162_proofs.json").read_text())
INCLUSION, CONSISTENCY = PROOFS["inclusion"], PROOFS["consistency"]


def b64(values: list[str] | None) -> list[bytes]:
    return [base64.b64decode(v) for v in values or []]


def reference_tree() -> MemoryTree:
    return MemoryTree(leaf_hash(bytes.fromhex(entry)) for entry in LEAF_INPUTS)


def test_every_node_and_root_is_the_published_one() -> None:
    tree = reference_tree()
    for level, hashes in enumerate(NODE_HASHES):
        for index, expected in enumerate(hashes):
            assert tree.nodes[(level, index)].hex() == expected
    assert len(tree.nodes) == sum(len(level) for level in NODE_HASHES)
    for size, expected in enumerate(ROOT_HASHES):
        assert root(tree, size).hex() == expected
    assert EMPTY_ROOT.hex() == ROOT_HASHES[0]


@pytest.mark.parametrize("vector", INCLUSION, ids=lambda v: f"{v['leafIdx']}of{v['treeSize']}")
def test_inclusion_proofs_are_the_published_ones(vector: dict[str, object]) -> None:
    index, size = int(vector["leafIdx"]), int(vector["treeSize"])  # type: ignore[call-overload]
    hashes = b64(vector["proof"])  # type: ignore[arg-type]
    leaf, expected_root = b64([vector["leafHash"], vector["root"]])  # type: ignore[list-item]
    assert inclusion_proof(reference_tree(), index, size) == hashes
    assert verify_inclusion(index, size, leaf, hashes, expected_root)
    assert not verify_inclusion(index, size, leaf, hashes, hashlib.sha256(b"x").digest())
    if hashes:
        assert not verify_inclusion(index, size, leaf, hashes[:-1], expected_root)
        flipped = bytes([hashes[0][0] ^ 1]) + hashes[0][1:]
        assert not verify_inclusion(index, size, leaf, [flipped, *hashes[1:]], expected_root)
    assert root_from_inclusion(size, size, leaf, hashes) is None
    assert pymerkle_verifies_inclusion(index, size, leaf, hashes, expected_root)


@pytest.mark.parametrize("vector", CONSISTENCY, ids=lambda v: f"{v['size1']}to{v['size2']}")
def test_consistency_proofs_are_the_published_ones(vector: dict[str, object]) -> None:
    first, second = int(vector["size1"]), int(vector["size2"])  # type: ignore[call-overload]
    hashes = b64(vector["proof"])  # type: ignore[arg-type]
    root1, root2 = b64([vector["root1"], vector["root2"]])  # type: ignore[list-item]
    assert consistency_proof(reference_tree(), first, second) == hashes
    assert verify_consistency(first, second, root1, root2, hashes)
    assert not verify_consistency(
        first, second, root2 if first != second else EMPTY_ROOT, root2, hashes
    )
    if hashes:
        assert not verify_consistency(first, second, root1, root2, hashes[1:])
        assert roots_from_consistency(first, second, root1, []) is None


def test_pymerkle_hashes_as_the_rfc_by_default() -> None:
    """pymerkle 7.0's defaults (sha256, security on: 0x00 and 0x01 prefixes) are RFC 9162."""
    tree = InmemoryTree()
    for entry in LEAF_INPUTS:
        tree.append_entry(bytes.fromhex(entry))
    for size, expected in enumerate(ROOT_HASHES):
        assert tree.get_root(size).hex() == expected
    assert (tree.leaf_prefix, tree.node_prefix) == (b"\x00", b"\x01")
    assert node_hash(tree.get_leaf(1), tree.get_leaf(2)).hex() == NODE_HASHES[1][0]


def test_roots_and_proofs_for_every_size_up_to_70_agree_with_pymerkle() -> None:
    entries = [f"entry {i}".encode() for i in range(70)]
    ours = MemoryTree(leaf_hash(e) for e in entries)
    theirs = InmemoryTree()
    for entry in entries:
        theirs.append_entry(entry)
    for size in range(1, 71):
        expected = theirs.get_root(size)
        assert root(ours, size) == expected
        for index in range(size):
            hashes = inclusion_proof(ours, index, size)
            assert verify_inclusion(index, size, leaf_hash(entries[index]), hashes, expected)
            assert pymerkle_verifies_inclusion(
                index, size, leaf_hash(entries[index]), hashes, expected
            )
            assert theirs.prove_inclusion(index + 1, size).path[1:] == hashes
        for first in range(1, size + 1):
            hashes = consistency_proof(ours, first, size)
            assert verify_consistency(first, size, root(ours, first), expected, hashes)


def test_a_frontier_loaded_from_the_nodes_goes_on_as_one_built_in_one_go() -> None:
    whole = MemoryTree(leaf_hash(bytes([i])) for i in range(70))
    for size in range(70):
        frontier = Frontier.load(whole, size)
        assert frontier.root() == root(whole, size)
        frontier.append(leaf_hash(bytes([size])))
        assert frontier.root() == root(whole, size + 1)
    assert subtrees(0, 7) == [(2, 0), (1, 2), (0, 6)]
    assert subtrees(3, 8) == [(0, 3), (2, 1)]
