"""pymerkle 7.0 as an independent verifier of our inclusion proofs: its path is the leaf hash
followed by the RFC 9162 audit path, its rule the layout it recomputes from index and size."""

from __future__ import annotations

from pymerkle import verify_inclusion
from pymerkle.core import _inclusion_path_layout
from pymerkle.proof import InclusionProof, InvalidProof


def pymerkle_verifies_inclusion(
    index: int, size: int, leaf: bytes, hashes: list[bytes], root: bytes
) -> bool:
    rule, _ = _inclusion_path_layout(index + 1, size)  # pymerkle counts leaves from one
    proof = InclusionProof("sha256", True, size, index + 1, rule, [leaf, *hashes])
    try:
        verify_inclusion(leaf, root, proof)
    except InvalidProof:
        return False
    return True
