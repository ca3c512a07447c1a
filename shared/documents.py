"""The shapes of what every service answers alike, as the OpenAPI documents state them: the
event feed and a record's history, the signed checkpoints, readiness, refusals."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field


class FeedItem(BaseModel):
    position: int | None = Field(description="vị trí trong dòng; null trong lịch sử / in a history")
    id: UUID
    aggregate_id: UUID
    aggregate_version: int
    type: str = Field(description="Model.Registered, KienNghi.Answered…")
    recorded_at: datetime
    data: dict[str, Any]
    hash: str | None = Field(None, description="chuỗi băm, khi đã niêm phong / once sealed")
    prev_hash: str | None = None
    sealed_id: str | None = Field(None, description="khi chuỗi niêm phong một sự kiện khác")


class FeedPage(BaseModel):
    store_id: str
    items: list[FeedItem]
    next_after: int = Field(description="vị trí để hỏi tiếp / the position to ask after next")


class History(BaseModel):
    aggregate_id: UUID
    items: list[FeedItem]


class FeedHead(BaseModel):
    store_id: str
    position: int
    sealed_through: int | None


class SignedCheckpoint(BaseModel):
    kind: str = "checkpoint"
    store_id: str
    position: int
    hash: str
    signature: str = Field(description="Ed25519, base64")
    key_id: str
    signed_at: str
    tree_size: int | None = Field(None, description="leaves of the Merkle tree at this checkpoint")
    root: str | None = Field(None, description="the tree's RFC 9162 root hash, base64")


B64 = "base64 (standard, padded)"


class InclusionProof(BaseModel):
    """RFC 9162 §2.1.3: the audit path of one leaf in the tree of `tree_size` leaves."""

    leaf_index: int = Field(description="0-based, in sealing order (not the position)")
    position: int
    event_id: str
    tree_size: int
    leaf_hash: str = Field(description=f"SHA-256(0x00 || canonical entry), {B64}")
    hashes: list[str] = Field(description=f"the audit path, bottom up, {B64}")


class ConsistencyProof(BaseModel):
    """RFC 9162 §2.1.4: the tree of `second` leaves extends the tree of `first`."""

    first: int
    second: int
    hashes: list[str] = Field(description=B64)


class TreeRoot(BaseModel):
    tree_size: int
    root: str = Field(description=f"RFC 9162 MTH, {B64}")


class Readiness(BaseModel):
    ready: bool
    checks: dict[str, dict[str, Any]]


class Denial(BaseModel):
    id: int
    at: datetime
    service: str
    principal: str | None
    role: str | None
    method: str
    path: str
    code: str
    detail: dict[str, Any] | None


HISTORY: dict[int | str, dict[str, Any]] = {200: {"model": History}}
