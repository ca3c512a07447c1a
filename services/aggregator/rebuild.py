"""rebuild: drop every read model and replay each upstream feed from position 0.

The same Follower and projections as the live aggregator, in large pages: the feed read from
the event stores directly when they are at hand (services.aggregator.stores), else over HTTP or
from export files. Read models are disposable, so while they are rebuilt SQLite may skip
syncing, and the secondary indexes are made once at the end rather than kept up row by row.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import httpx
from sqlalchemy import Connection, Engine, Index, event
from tqdm import tqdm

from services.aggregator.cubes import FILL_WAVES, fill_from_finer
from services.aggregator.database import (
    create_read_model_engine,
    drop_read_models,
    migrate,
    session_factory,
)
from services.aggregator.follower import FeedClient, Follower
from services.aggregator.gc_tuning import fewer_collections
from services.aggregator.projections.dispatch import projector
from services.aggregator.search.full_text import set_aside
from services.aggregator.stores import ReadAhead
from services.aggregator.tables import Base
from shared.feed import MAX_PAGE
from shared.settings import Settings
from shared.units import load_catalog

T = TypeVar("T")


def rebuild(
    settings: Settings,
    clients: Mapping[str, FeedClient],
    *,
    progress: bool = True,
    page_size: int | None = None,
) -> dict[str, int]:
    """Run it with the aggregator stopped: a live follower would refuse pages rebuild took.

    page_size: events per transaction (default settings.rebuild_page_size, at most what
    GET /events serves when a client speaks HTTP).
    """
    engine = create_read_model_engine(settings)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _bulk_pragmas)
    try:
        migrate(engine)  # first to head, with every index, for the downgrade to drop it all
        drop_read_models(engine)
        migrate(engine)
        size = page_size or settings.rebuild_page_size
        with _indexes_made_at_the_end(engine), fewer_collections():
            stores = {n: c for n, c in clients.items() if isinstance(c, ReadAhead)}
            if engine.dialect.name == "postgresql" and len(stores) == len(clients):
                applied = _replay_stores_at_once(settings, stores, size, progress)
            else:
                applied = _replay_one_by_one(settings, engine, clients, size, progress)
        _fill_cubes(engine, progress)
        _planner_statistics(engine)
        return applied
    finally:
        engine.dispose()


def _planner_statistics(engine: Engine) -> None:
    """PostgreSQL: every read model's statistics taken now, as a bulk load should end (the
    planner has none for tables just made, and autovacuum may be off or a minute away; without
    the tsvectors' it reads a common word's whole GIN list to check a scope). SQLite's planner
    keeps to its own rules without them."""
    if engine.dialect.name != "postgresql":
        return
    tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.exec_driver_sql(f"ANALYZE {tables}")


def _replay_one_by_one(
    settings: Settings,
    engine: Engine,
    clients: Mapping[str, FeedClient],
    page_size: int,
    progress: bool,
) -> dict[str, int]:
    sessions = session_factory(engine)
    project = projector(load_catalog(settings.extra_units_file))
    applied: dict[str, int] = {}
    for name, client in clients.items():
        size = min(page_size, MAX_PAGE) if isinstance(client, httpx.Client) else page_size
        follower = Follower(name, client, sessions, project, page_size=size, keep_cubes=False)
        applied[name] = _replay(follower, progress)
    return applied


def _replay_stores_at_once(
    settings: Settings, stores: Mapping[str, ReadAhead], page_size: int, progress: bool
) -> dict[str, int]:
    """Each store replayed by a process of its own (spawned: no engines or pools forked),
    which opens the store again from what opened it here."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(len(stores), mp_context=context) as pool:
        running = {
            name: pool.submit(
                _replay_store,
                settings,
                name,
                (store.settings, store.service, store.app_name),
                page_size,
                progress,
                line,
            )
            for line, (name, store) in enumerate(stores.items())
        }
        return {name: future.result() for name, future in running.items()}


def _replay_store(
    settings: Settings,
    upstream: str,
    store: tuple[Settings, str, str],
    page_size: int,
    progress: bool,
    line: int,
) -> int:
    """In a replaying process: one upstream's store into the read models of settings."""
    engine = create_read_model_engine(settings)
    feed = ReadAhead(*store)
    try:
        project = projector(load_catalog(settings.extra_units_file))
        follower = Follower(
            upstream, feed, session_factory(engine), project, page_size=page_size, keep_cubes=False
        )
        with fewer_collections():
            return _replay(follower, progress, line)
    finally:
        feed.close()
        engine.dispose()


def _fill_cubes(engine: Engine, progress: bool) -> None:
    """Every report cube counted from the facts."""
    for wave in FILL_WAVES:
        _each_at_once(engine, fill_from_finer, wave, "fill report cubes", progress)


def _each_at_once(
    engine: Engine,
    work: Callable[[T, Connection], Any],
    items: Sequence[T],
    description: str,
    progress: bool,
) -> None:
    """work(item, connection) for each item in a transaction of its own; on PostgreSQL several
    at once (the server runs one statement on one core), on SQLite one after another."""

    def run(item: T) -> None:
        with engine.begin() as connection:
            work(item, connection)

    workers = (os.cpu_count() or 1) if engine.dialect.name == "postgresql" else 1
    with (
        ThreadPoolExecutor(workers) as pool,
        tqdm(total=len(items), desc=description, disable=not progress) as bar,
    ):
        for _ in pool.map(run, items):
            bar.update()


def _replay(follower: Follower, progress: bool, line: int | None = None) -> int:
    head = follower.head()
    with tqdm(
        total=head,
        position=line,
        desc=f"rebuild {follower.upstream}",
        unit="ev",
        unit_scale=True,
        disable=not progress,
        smoothing=0.1,
    ) as bar:
        started = time.perf_counter()
        applied = follower.catch_up(on_page=bar.update)
        bar.total = bar.n  # positions may skip numbers (PostgreSQL): the events are the total
        seconds = time.perf_counter() - started
        bar.set_postfix_str(f"{applied / seconds if seconds else 0:,.0f} ev/s", refresh=True)
    return applied


def _bulk_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """The read models are rebuilt from scratch: a crash midway means rebuilding again."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=OFF")
    cursor.execute("PRAGMA cache_size=-65536")  # 64 MiB
    cursor.close()


@contextmanager
def _indexes_made_at_the_end(engine: Engine) -> Iterator[None]:
    """Drops the secondary indexes (the lookups go by primary key) and the search's full-text
    index, and makes them again from the same definitions once every row is in, even when the
    replay fails."""
    indexes = [index for table in Base.metadata.sorted_tables for index in table.indexes]
    with engine.begin() as connection:
        for index in indexes:
            index.drop(connection)
        full_text = set_aside(connection)  # the search index too, made from every entry at once
    try:
        yield
    finally:
        _each_at_once(engine, Index.create, indexes, "make indexes", progress=False)
        with engine.begin() as connection:
            for statement in full_text:
                connection.exec_driver_sql(statement)


def rebuild_from_exports(
    settings: Settings,
    exports: Sequence[tuple[str | None, Path]],
    public_key: Path | None = None,
    *,
    progress: bool = True,
) -> dict[str, int]:
    """Rebuilds every read model from export files alone (`danvan export`, GET /events/export).

    Each export is named by its upstream (registry, dialogue): as given, or as its store line
    says. With a public key, each export must verify whole first.
    """
    from shared.audit.export import ExportFile
    from shared.audit.keys import read_public_key
    from shared.audit.verify import verify

    clients: dict[str, FeedClient] = {}
    for name, path in exports:
        export = ExportFile(path)
        upstream = name or export.service
        if not upstream:
            raise SystemExit(f"{path}: name the upstream, e.g. registry={path}")
        if public_key is not None:
            key = read_public_key(public_key.read_bytes())
            report = verify(export.store_id, export.items, export.seals, export.checkpoints, key)
            if not report.ok:
                first = report.problems[0]
                raise SystemExit(f"{path}: {first.kind} at {first.position}: {first.detail}")
        clients[upstream] = export
    return rebuild(settings, clients, progress=progress)
