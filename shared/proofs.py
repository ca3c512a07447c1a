"""GET /proofs/*: a write service's Merkle tree proofs (RFC 9162), read as `/events` is.

    /proofs/inclusion?tree_size=S&leaf_index=N (or &position=P, or &event_id=UUID)
    /proofs/consistency?first=M&second=N
    /proofs/root?tree_size=S

Sizes default to the tree's latest size (every sealed event); hashes are standard padded base64.
How to check an answer: docs/auditors.md, shared.audit.merkle.verify_inclusion and
verify_consistency.
"""

from __future__ import annotations

import base64
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request

from shared.audit.merkle import Leaf
from shared.audit.service import Audit
from shared.documents import ConsistencyProof, InclusionProof, TreeRoot
from shared.errors import InvalidInput, NotFound
from shared.feed import UNSEALED, Reader, audit_required
from shared.input_types import BIGINT_MAX, Position

Size = Annotated[int | None, Query(ge=1, le=BIGINT_MAX, description="leaves; default: all sealed")]
ERRORS = {**UNSEALED, 422: {"description": "tham số sai / a parameter out of range"}}


def b64(digest: bytes) -> str:
    return base64.b64encode(digest).decode()


def proofs_router() -> APIRouter:
    router = APIRouter(tags=["events"])

    @router.get(
        "/proofs/inclusion",
        summary="Chứng minh một sự kiện nằm trong cây / inclusion proof (RFC 9162)",
        responses=ERRORS,
    )
    def inclusion(
        request: Request,
        reader: Reader,
        tree_size: Size = None,
        leaf_index: Annotated[
            int | None, Query(ge=0, le=BIGINT_MAX, description="0-based, in sealing order")
        ] = None,
        position: Annotated[Position | None, Query(description="the event's feed position")] = None,
        event_id: Annotated[UUID | None, Query(description="the event's id")] = None,
    ) -> InclusionProof:
        audit = audit_required(request)
        size = _size(audit, tree_size, "tree_size")
        given = [(n, v) for n, v in [("leaf_index", leaf_index), ("position", position),
                                     ("event_id", event_id)] if v is not None]  # fmt: skip
        if len(given) != 1:
            raise InvalidInput("proof_leaf_one_of", field=given[1][0] if given else "leaf_index")
        name, value = given[0]
        if name == "leaf_index" and int(str(value)) >= size:
            raise InvalidInput("leaf_beyond_tree", field=name, leaf_index=value, tree_size=size)
        leaf = _leaf(audit, name, value)
        if leaf.index >= size:
            raise InvalidInput(
                "leaf_beyond_tree", field=name, leaf_index=leaf.index, tree_size=size
            )
        hashes = audit.store.inclusion_proof(leaf.index, size)
        return InclusionProof(
            leaf_index=leaf.index,
            position=leaf.position,
            event_id=leaf.event_id,
            tree_size=size,
            leaf_hash=b64(leaf.hash),
            hashes=[b64(h) for h in hashes],
        )

    @router.get(
        "/proofs/consistency",
        summary="Chứng minh cây sau nối tiếp cây trước / consistency proof (RFC 9162)",
        responses=ERRORS,
    )
    def consistency(
        request: Request,
        reader: Reader,
        first: Annotated[int, Query(ge=1, le=BIGINT_MAX, description="the earlier tree size")],
        second: Size = None,
    ) -> ConsistencyProof:
        audit = audit_required(request)
        later = _size(audit, second, "second")
        if first > later:
            raise InvalidInput("consistency_sizes", field="first", first=first, second=later)
        hashes = audit.store.consistency_proof(first, later)
        return ConsistencyProof(first=first, second=later, hashes=[b64(h) for h in hashes])

    @router.get(
        "/proofs/root",
        summary="Gốc cây Merkle / the tree's root hash (RFC 9162)",
        responses=ERRORS,
    )
    def root(request: Request, reader: Reader, tree_size: Size = None) -> TreeRoot:
        audit = audit_required(request)
        size = _size(audit, tree_size, "tree_size")
        return TreeRoot(tree_size=size, root=b64(audit.store.root(size)))

    return router


def _size(audit: Audit, asked: int | None, field: str) -> int:
    sealed = audit.store.tree_size()
    if sealed == 0:
        raise NotFound("tree_empty", field=field)
    if asked is not None and asked > sealed:
        raise InvalidInput("tree_size_beyond_sealed", field=field, value=asked, sealed=sealed)
    return sealed if asked is None else asked


def _leaf(audit: Audit, name: str, value: int | UUID) -> Leaf:
    if name == "leaf_index":
        found = audit.store.leaf(index=int(value))
    elif name == "position":
        found = audit.store.leaf(position=int(value))
    else:
        found = audit.store.leaf(event_id=str(value))
    if found is None:
        raise NotFound("leaf_not_found", field=name, value=str(value))
    return found
