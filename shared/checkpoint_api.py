"""The feed's checkpoints as C2SP signed notes, where transparency-log tools and witnesses read
them, and the witnesses' cosignatures (shared.audit.checkpoint_note, shared.audit.witness).

GET /checkpoint is the latest note, GET /checkpoints/{tree_size} a given one, each with the
cosignatures collected appended as further signature lines; GET /checkpoint/verifier-key the
log's note verifier key. POST /checkpoint/cosignatures takes a witness's cosignature: only from
a key of DANVAN_WITNESS_KEYS, only over a checkpoint this log signed; the same one twice is
kept once. All public: a note proves itself, a cosignature authenticates its witness.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from shared.audit.checkpoint_note import with_signatures
from shared.audit.note import MalformedNote, Signature, split_note
from shared.audit.service import Audit
from shared.errors import Forbidden, InvalidInput, NotFound
from shared.input_types import Position
from shared.policy import PUBLIC, allow

NOTE = "text/plain; charset=utf-8"
NOTE_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {NOTE: {"schema": {"type": "string"}}}},
    404: {"description": "chưa có điểm kiểm tra / no checkpoint note yet"},
}


class PostCosignature(BaseModel):
    """A witness's cosignature (c2sp.org/tlog-cosignature) of this log's checkpoint."""

    model_config = ConfigDict(extra="forbid")
    # 2^53, not BIGINT_MAX: a body's bound is written as a JSON number, exact only up to 2^53
    tree_size: int = Field(ge=0, le=2**53)
    cosignature: str = Field(max_length=1000, description="— <witness name> <base64>")


class CosignatureKept(BaseModel):
    tree_size: int
    witness: str
    new: bool  # False: this witness's cosignature of this size was kept already


def checkpoint_router() -> APIRouter:
    router = APIRouter(tags=["checkpoints"], dependencies=[Depends(allow(PUBLIC))])

    @router.get(
        "/checkpoint",
        summary="Điểm kiểm tra mới nhất / latest checkpoint (C2SP note)",
        response_class=Response,
        responses=NOTE_RESPONSE,
    )
    def latest(request: Request) -> Response:
        return _note(_audit(request), None)

    @router.get(
        "/checkpoints/{tree_size}",
        summary="Điểm kiểm tra của một kích thước cây / checkpoint of a tree size",
        response_class=Response,
        responses=NOTE_RESPONSE,
    )
    def at_size(request: Request, tree_size: Annotated[Position, Path()]) -> Response:
        return _note(_audit(request), tree_size)

    @router.get(
        "/checkpoint/verifier-key",
        summary="Khóa kiểm chứng ghi chú / the notes' verifier key",
        response_class=Response,
        responses={200: {"content": {NOTE: {"schema": {"type": "string"}}}}},
    )
    def verifier_key(request: Request) -> Response:
        return Response(_audit(request).log_key.vkey + "\n", media_type=NOTE)

    @router.post(
        "/checkpoint/cosignatures",
        summary="Nhận đồng chữ ký của nhân chứng / take a witness's cosignature",
        status_code=201,
        responses={200: {"model": CosignatureKept}},
    )
    async def cosign(
        request: Request, body: PostCosignature, response: Response
    ) -> CosignatureKept:
        audit = _audit(request)
        kept = await run_in_threadpool(_take, audit, body)
        if not kept.new:
            response.status_code = 200
        return kept

    return router


def _audit(request: Request) -> Audit:
    audit: Audit | None = getattr(request.app.state, "audit", None)
    if audit is None:
        raise NotFound("feed_not_sealed")
    return audit


def _note(audit: Audit, tree_size: int | None) -> Response:
    found = audit.store.note(tree_size)
    if found is None:
        raise NotFound("checkpoint_none", field="tree_size" if tree_size is not None else None)
    size, note = found
    return Response(with_signatures(note, audit.store.cosignatures(size)), media_type=NOTE)


def _take(audit: Audit, body: PostCosignature) -> CosignatureKept:
    try:
        signature = Signature.parse(body.cosignature.removesuffix("\n"))
    except MalformedNote:
        raise InvalidInput("cosignature_malformed", field="cosignature") from None
    witness = next(
        (w for w in audit.witnesses if (w.name, w.key_id) == (signature.name, signature.key_id)),
        None,
    )
    if witness is None:
        key = f"{signature.name}+{signature.key_id:08x}"
        raise Forbidden("cosignature_witness_unknown", field="cosignature", key=key)
    found = audit.store.note(body.tree_size)
    if found is None:
        raise NotFound("checkpoint_unknown", field="tree_size", tree_size=body.tree_size)
    text, _ = split_note(found[1])
    if not witness.verify(text.encode(), signature.signature):
        raise InvalidInput("cosignature_invalid", field="cosignature", tree_size=body.tree_size)
    new = audit.store.add_cosignature(body.tree_size, signature)
    return CosignatureKept(tree_size=body.tree_size, witness=signature.name, new=new)
