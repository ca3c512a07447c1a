"""Where verification gets its evidence: a running service (its export over HTTP), an export
file, or the stores themselves (the event store and the audit store, read directly)."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import create_engine, inspect

from shared.audit.chain import Checkpoint, Seal
from shared.audit.export import ExportFile
from shared.audit.merkle import Leaf, Node
from shared.audit.store import AuditStore
from shared.audit.verify import StoredTree
from shared.event_store import EventStore
from shared.events import FeedItem, envelope
from shared.settings import Settings
from shared.store_identity import StoreIdentity

Item = FeedItem
PAGE = 1000


@dataclass
class Evidence:
    store_id: str
    events: Callable[[], Iterable[Item]]
    seals: list[Seal]
    checkpoints: list[Checkpoint]
    closers: list[Callable[[], None]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # C2SP checkpoint notes, cosigned
    tree: StoredTree | None = None  # the stored tree's rows: only the audit store has them

    def close(self) -> None:
        for close in self.closers:
            close()


def from_export(path: Path) -> Evidence:
    export = ExportFile(path)
    return Evidence(
        export.store_id, export.items, export.seals, export.checkpoints, notes=export.notes
    )


def download_export(url: str, token: str | None, target: Path) -> None:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    timeout = httpx.Timeout(60, connect=10)
    with (
        httpx.stream(
            "GET", f"{url.rstrip('/')}/events/export", headers=headers, timeout=timeout
        ) as response,
        target.open("wb") as out,
    ):
        response.raise_for_status()
        for chunk in response.iter_bytes():
            out.write(chunk)


def from_url(url: str, token: str | None) -> Evidence:
    """The service's whole export, kept in a temporary file while it is checked."""
    folder = tempfile.TemporaryDirectory(prefix="danvan-verify-")
    path = Path(folder.name) / "export.jsonl"
    try:
        download_export(url, token, path)
        evidence = from_export(path)
    except BaseException:
        folder.cleanup()
        raise
    evidence.closers.append(folder.cleanup)
    return evidence


class StoreReader(EventStore):
    """Reads a write service's event store without its application: no commands, no writes."""

    store_id = ""

    def items(self) -> Iterator[Item]:
        after = 0
        while notifications := self.recorder.select_notifications(
            start=after, limit=PAGE, inclusive_of_start=False
        ):
            for n in notifications:
                yield envelope(n, self.mapper.transcoder, n.id)
            after = notifications[-1].id


def open_store(settings: Settings, service: str, app_name: str) -> StoreReader:
    """`app_name` is the service's Application.name: it names the PostgreSQL tables."""
    if not settings.uses_postgres:
        path = settings.data_dir / f"{service}-events.db"
        if not path.exists():
            raise FileNotFoundError(f"no event store at {path}")
    env = {**settings.event_store_env(service), "CREATE_TABLE": "no"}
    reader_class = type(app_name, (StoreReader,), {"name": app_name})
    reader: StoreReader = reader_class(env=env)
    reader.service = service
    identity = reader.recorder.select_events(StoreIdentity.create_id(), limit=1)
    if identity:
        created = envelope(identity[0], reader.mapper.transcoder, None)
        reader.store_id = str(created["data"]["store_id"])
    return reader


def open_audit_store(settings: Settings, service: str) -> AuditStore | None:
    """The service's audit store if there is one (verification creates nothing)."""
    if not settings.uses_postgres and not (settings.data_dir / f"{service}-audit.db").exists():
        return None
    store = settings.audit_store(service)
    engine = create_engine(store.url, connect_args=store.connect_args)
    if not inspect(engine).has_table("chain"):
        engine.dispose()
        return None
    return AuditStore(engine, create=False)


def from_store(settings: Settings, service: str, app_name: str) -> Evidence:
    reader = open_store(settings, service, app_name)
    audit = open_audit_store(settings, service)
    seals: list[Seal] = []
    checkpoints: list[Checkpoint] = []
    notes: list[str] = []
    tree = None
    if audit is not None:
        with contextlib.closing(audit):
            while page := audit.seals(after=seals[-1].position if seals else 0, limit=PAGE * 10):
                seals.extend(page)
            checkpoints = audit.checkpoints()
            notes = audit.notes()
            tree = stored_tree(audit) if inspect(audit.engine).has_table("tree_leaves") else None
    evidence = Evidence(reader.store_id, reader.items, seals, checkpoints, [reader.close], notes)
    evidence.tree = tree
    return evidence


def stored_tree(audit: AuditStore) -> StoredTree:
    leaves: list[Leaf] = []
    nodes: list[Node] = []
    while page := audit.leaves(after=leaves[-1].index if leaves else -1, limit=PAGE * 10):
        leaves.extend(page)
    while more := audit.nodes(after=nodes[-1][0] if nodes else (0, -1), limit=PAGE * 10):
        nodes.extend(more)
    return StoredTree(leaves, nodes)
