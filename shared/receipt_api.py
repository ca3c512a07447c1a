"""GET …/{id}/receipt on every record: its events proven in the feed's Merkle tree against a
signed checkpoint (shared.audit.receipts), for `danvan verify-receipt` to check offline.

`?since=<tree size>` (the checkpoint of a receipt kept) adds the proof that this receipt's tree
extends that one; `?witnessed=<k>` proves against the latest checkpoint that k witnesses have
cosigned. An event not yet sealed and checkpointed answers 409 `receipt_not_ready` with
Retry-After: the sealer checkpoints every few seconds."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import Query, Request
from starlette.concurrency import run_in_threadpool

from shared.audit.receipts import NotYetProven, Receipt, build_receipt
from shared.errors import Conflict, InvalidInput
from shared.events import FeedItem
from shared.feed import UNSEALED, audit_required
from shared.input_types import BIGINT_MAX

Since = Annotated[
    int | None,
    Query(
        ge=1,
        le=BIGINT_MAX,
        description="the tree size of a receipt kept: prove this one's tree extends it",
    ),
]
Witnessed = Annotated[
    int, Query(ge=0, le=100, description="prove against a checkpoint this many witnesses cosigned")
]
RECEIPT_RESPONSES: dict[int | str, dict[str, Any]] = {
    **UNSEALED,
    409: {
        "description": "chưa niêm phong và ký điểm kiểm tra; thử lại sau Retry-After giây / not "
        "sealed and checkpointed yet: retry after Retry-After seconds",
        "headers": {"Retry-After": {"schema": {"type": "integer", "minimum": 1}}},
    },
}


class ReceiptNotReady(Conflict):
    def __init__(self, retry_after: int) -> None:
        super().__init__("receipt_not_ready", retry_after=retry_after)
        self.headers = {"Retry-After": str(retry_after)}


async def receipt_of(
    request: Request,
    record_id: object,
    items: Sequence[FeedItem],
    since: int | None,
    witnessed: int,
) -> Receipt:
    audit = audit_required(request)
    if witnessed > len(audit.witnesses):
        known = len(audit.witnesses)
        raise InvalidInput("witnessed_beyond_witnesses", field="witnessed", known=known)
    try:
        return await run_in_threadpool(
            build_receipt, audit.store, str(record_id), request.url.path, items, since, witnessed
        )
    except NotYetProven:
        seconds = max(1, round(audit.sealer.every_seconds))
        raise ReceiptNotReady(seconds) from None
