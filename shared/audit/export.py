"""Exports: a store's whole history as JSON Lines, and reading one back.

Line 1 is `{"kind": "store", "store_id", "service", "head", "exported_at", "format"}`. Then, in
position order, one line per event: the feed item with the `hash` and `prev_hash` of the chain
row at its position (none yet when it is not sealed; `sealed_id` too if that row names another
event). A chain row with no event at its position comes as `{"kind": "seal", ...}`: in a
healthy store there are none. Last come the signed checkpoints, `{"kind": "checkpoint", ...}`.
Feed items never have a top-level "kind".
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import orjson

from shared.audit.chain import Checkpoint, Seal
from shared.audit.store import AuditStore
from shared.events import FeedItem, dumps, envelope

FORMAT = "danvan-export/v1"
PAGE = 1000


def annotate(item: FeedItem, seal: Seal | None) -> FeedItem:
    """A feed item with the chain row at its position."""
    if seal is not None:
        item["hash"], item["prev_hash"] = seal.hash, seal.prev_hash
        if seal.event_id != str(item["id"]):
            item["sealed_id"] = seal.event_id
    return item


def export_lines(app: Any, audit: AuditStore | None) -> Iterator[bytes]:
    """Streams the export: events and chain rows merged by position, then the checkpoints."""
    sealed = audit.sealed_through() if audit else 0  # before head: every row up to it had its event
    head = max(app.head(), sealed)
    header = {
        "kind": "store",
        "store_id": app.store_id,
        "service": app.service,
        "head": head,
        "exported_at": datetime.now(UTC),
        "format": FORMAT,
    }
    yield dumps(header) + b"\n"
    after = 0
    while after < head:
        notifications = [
            n
            for n in app.recorder.select_notifications(
                start=after, limit=PAGE, inclusive_of_start=False
            )
            if n.id <= head
        ]
        seals = audit.seals(after=after, limit=PAGE, through=head) if audit else []
        bound = head
        if len(notifications) == PAGE:
            bound = min(bound, notifications[-1].id)
        if len(seals) == PAGE:
            bound = min(bound, seals[-1].position)
        by_position = {s.position: s for s in seals if s.position <= bound}
        lines: list[tuple[int, bytes]] = []
        for n in notifications:
            if n.id > bound:
                break
            item = envelope(n, app.mapper.transcoder, n.id)
            lines.append((n.id, dumps(annotate(item, by_position.pop(n.id, None)))))
        for orphan in by_position.values():
            lines.append((orphan.position, dumps({"kind": "seal", **orphan.as_json()})))
        for _, line in sorted(lines, key=lambda line: line[0]):
            yield line + b"\n"
        after = bound
    for checkpoint in audit.checkpoints(through=head) if audit else []:
        yield dumps(checkpoint.as_json()) + b"\n"
    for note in audit.notes() if audit else []:  # C2SP, with the witnesses' cosignatures
        yield dumps({"kind": "note", "note": note}) + b"\n"


@dataclass
class ExportFile:
    """An export read back: the evidence for `verify`, and a feed for `rebuild`.

    Items are kept as their raw lines and parsed when asked for, so a big export costs little
    more memory than its size on disk.
    """

    path: Path
    header: dict[str, Any] = field(default_factory=dict)
    positions: list[int] = field(default_factory=list)
    lines: list[bytes] = field(default_factory=list)
    seals: list[Seal] = field(default_factory=list)
    checkpoints: list[Checkpoint] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        with self.path.open("rb") as lines:
            for number, line in enumerate(lines, 1):
                if not line.strip():
                    continue
                try:
                    record = orjson.loads(line)
                except orjson.JSONDecodeError as exc:
                    raise ValueError(f"{self.path}:{number}: not JSON ({exc})") from None
                self._add(record, line.rstrip(b"\n"), number)
        if not self.header:
            raise ValueError(f"{self.path}: no store line; is this a danvan export?")

    def _add(self, record: dict[str, Any], line: bytes, number: int) -> None:
        kind = record.get("kind")
        if kind == "store":
            self.header = record
        elif kind == "checkpoint":
            self.checkpoints.append(Checkpoint.from_json(record))
        elif kind == "note":
            self.notes.append(str(record["note"]))
        elif kind == "seal":
            self.seals.append(
                Seal(record["position"], record["id"], record["prev_hash"], record["hash"])
            )
        elif kind is None:
            position = int(record["position"])
            if self.positions and position <= self.positions[-1]:
                raise ValueError(f"{self.path}:{number}: position {position} out of order")
            self.positions.append(position)
            self.lines.append(line)
            if "hash" in record:
                sealed_id = record.get("sealed_id", record["id"])
                self.seals.append(Seal(position, sealed_id, record["prev_hash"], record["hash"]))
        else:
            raise ValueError(f"{self.path}:{number}: unknown kind {kind!r}")

    @property
    def store_id(self) -> str:
        return str(self.header["store_id"])

    @property
    def service(self) -> str | None:
        return self.header.get("service")

    def items(self, after: int = 0, limit: int | None = None) -> Iterator[FeedItem]:
        start = bisect.bisect_right(self.positions, after)
        stop = len(self.lines) if limit is None else start + limit
        for line in self.lines[start:stop]:
            item: FeedItem = orjson.loads(line)  # the feed's own lines
            for name in ("hash", "prev_hash", "sealed_id"):
                item.pop(name, None)  # type: ignore[misc]  # the seal's, read separately
            yield item

    # FeedClient: what the aggregator's follower asks an upstream for

    def get(self, url: str, *, params: dict[str, Any] | None = None) -> httpx.Response:
        params = params or {}
        if url == "/events/head":
            body: dict[str, Any] = {
                "store_id": self.store_id,
                "position": self.positions[-1] if self.positions else 0,
            }
        elif url == "/events":
            after = int(params.get("after", 0))
            items = list(self.items(after, int(params.get("limit", 100))))
            body = {
                "store_id": self.store_id,
                "items": items,
                "next_after": items[-1]["position"] if items else after,
            }
        else:
            return httpx.Response(404, request=httpx.Request("GET", f"file://{self.path}{url}"))
        request = httpx.Request("GET", f"file://{self.path}{url}")
        return httpx.Response(200, content=orjson.dumps(body), request=request)
