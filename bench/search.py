"""Search latency on the national data set: p50/p95 of realistic queries (a common word, a rare
one, a phrase written without diacritics, a tracking code, with and without filters, an
officer's scope, a second page), against a plain indexed lookup measured in the same run
(GET /kien-nghi?id=…, one record by its key), with the ratio of each p95 to the lookup's.

On a data set already written (`danvan scenario national`, or bench/national.py):

    .venv/bin/python -m bench.search --data-dir DIR [--database-url postgresql://…] [--calls 30]

or writing one first into a scratch SQLite folder or PostgreSQL database:

    .venv/bin/python -m bench.search --scale 0.1 [--store sqlite|postgres] [--data-dir DIR]

The read models are rebuilt first when they are not at the stores' heads (a new data set, or
one written before the search index). The aggregator's app runs alone, in this process. The
words, codes and names asked for are read from the data set, not typed here. A JSON line with
the figures is appended to bench/results/search.jsonl.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, inspect, select, text

from bench.national import scratch_postgres
from bench.seeded import latencies
from services.aggregator.database import create_read_model_engine
from services.aggregator.main import create_app
from services.aggregator.rebuild import rebuild
from services.aggregator.stores import store_feeds
from services.aggregator.tables import KienNghiRow, SearchEntry, Tracking
from services.scenarios.loader import load_scenario
from services.store_names import APPLICATION_NAMES
from shared.auth import TokenStore
from shared.principal import Role
from shared.settings import Settings
from shared.units import Structure, load_catalog
from testkit.faults.postgres import Cluster

RESULTS = Path(__file__).resolve().parent / "results" / "search.jsonl"
READERS = {  # token: (principal, role, units)
    "bench-auditor": ("bench-auditor", Role.AUDITOR, []),
    "bench-officer-hanoi": ("bench-officer-hanoi", Role.OFFICER, ["01"]),
    "bench-officer-district": ("bench-officer-district", Role.OFFICER, ["001"]),
}
Call = tuple[str, str, dict[str, Any], str]  # label, path, parameters, token


def written(args: argparse.Namespace) -> Settings:
    """The data set's settings; with --scale, the national scenario written there first."""
    url = args.database_url
    if args.scale is not None:
        if args.data_dir.exists():
            shutil.rmtree(args.data_dir)
        url = scratch_postgres(args.database, True) if args.store == "postgres" else None
    settings = Settings(_env_file=None, data_dir=args.data_dir, database_url=url)
    if args.scale is not None:
        started = time.perf_counter()
        result = load_scenario(settings, "national", scale=args.scale, progress=True)
        events = result["events_written"] if result else 0
        print(f"national scale {args.scale}: {events:,} events in {_since(started)} s")
    return settings


def rebuilt_if_behind(settings: Settings) -> None:
    """Rebuilds the read models unless they are at each store's head (and hold the index)."""
    feeds = store_feeds(settings, APPLICATION_NAMES, read_ahead=False)
    try:
        heads = {
            name: int(feed.get("/events/head").json()["position"]) for name, feed in feeds.items()
        }
    finally:
        for feed in feeds.values():
            feed.close()
    engine = create_read_model_engine(settings)
    tracked: dict[str, int] = {}
    indexed = 0
    try:
        with engine.connect() as connection:
            if inspect(connection).has_table(Tracking.__tablename__):  # never rebuilt: none
                rows = connection.execute(select(Tracking.upstream, Tracking.position)).tuples()
                tracked = dict(rows.all())
                indexed = connection.scalar(select(func.count()).select_from(SearchEntry)) or 0
    finally:
        engine.dispose()
    if tracked == heads and indexed:
        return
    started = time.perf_counter()
    stores = store_feeds(settings, APPLICATION_NAMES)
    try:
        applied = rebuild(settings, stores, progress=True)
    finally:
        for store in stores.values():
            store.close()
    print(f"read models rebuilt: {sum(applied.values()):,} events in {_since(started)} s")


def picked(settings: Settings) -> dict[str, Any]:
    """What the queries ask for, read from the data set: a tracking code, a commune's name
    few records carry, a kiến nghị's id for the lookup, how many entries there are."""
    engine = create_read_model_engine(settings)
    catalog = load_catalog(settings.extra_units_file)
    e = SearchEntry
    try:
        if engine.dialect.name == "postgresql":
            # committed: the statistics ANALYZE makes belong to its transaction
            with engine.begin() as connection:
                connection.execute(text("ANALYZE"))  # as autovacuum does within a minute
        with engine.connect() as connection:
            entries = connection.scalar(select(func.count()).select_from(e))
            code = connection.scalar(
                select(e.tracking_code).where(e.tracking_code.is_not(None)).order_by(e.doc.desc())
            )
            communes = connection.execute(
                select(e.unit_structure, e.unit_code)
                .where(e.level == "commune", e.province_code == "79")
                .group_by(e.unit_structure, e.unit_code)
                .order_by(func.count(), e.unit_code)
            ).all()
            kien_nghi_id = connection.scalar(
                select(KienNghiRow.id).where(KienNghiRow.valid_to.is_(None)).limit(1)
            )
    finally:
        engine.dispose()
    names = Counter(unit.name for unit in catalog)
    # the first with a name no other unit has (not "Phường 1")
    commune = next(
        (u for s, c in communes if (u := catalog.get(Structure(s), c)) and names[u.name] == 1),
        None,
    )
    assert code and commune and kien_nghi_id, "a national data set, its read models rebuilt"
    return {"entries": entries, "code": code, "commune": commune.name, "id": kien_nghi_id}


def calls(found: dict[str, Any]) -> list[Call]:
    auditor, hanoi, district = READERS
    year = {"from": "2024-01-01", "to": "2024-12-31"}
    return [
        ("common word", "/search", {"q": "dân"}, auditor),
        ("common phrase, 3 words", "/search", {"q": "nông thôn mới"}, auditor),
        ("folded phrase", "/search", {"q": "dan van kheo"}, auditor),
        ("rare word: a commune's name", "/search", {"q": found["commune"]}, auditor),
        ("tracking code", "/search", {"q": found["code"]}, auditor),
        ("common phrase, a year", "/search", {"q": "đề nghị", **year}, auditor),
        ("common word, a province", "/search", {"q": "dân", "province": "48"}, auditor),
        ("common word, a status", "/search", {"q": "giám sát", "status": "concluded"}, auditor),
        ("common word, officer Hà Nội", "/search", {"q": "dân"}, hanoi),
        ("folded phrase, officer Hà Nội", "/search", {"q": "dan van kheo"}, hanoi),
        ("common word, officer district", "/search", {"q": "dân"}, district),
        ("a prefix asked for", "/search", {"q": "giải phóng mặt bằ*"}, auditor),
    ]


def measure(
    settings: Settings, found: dict[str, Any], repeat: int, cold: bool
) -> tuple[dict[str, tuple[float, float]], dict[str, float]]:
    """Warm p50/p95 of each call; with cold, also its first call with nothing cached."""
    tokens = TokenStore(settings.token_path)
    for token, (principal, role, units) in READERS.items():
        tokens.issue(principal, role, units, token=token)
    app = create_app(settings, clients={})
    lookup: Call = ("lookup: GET /kien-nghi?id=…", "/kien-nghi", {"id": found["id"]}, "")
    empty_caches = caches_emptier(settings) if cold else None
    measured: dict[str, tuple[float, float]] = {}
    first: dict[str, float] = {}
    with TestClient(app) as client:
        for label, path, params, token in [lookup, *calls(found), _second_page(client, found)]:
            client.headers["Authorization"] = f"Bearer {token or 'bench-auditor'}"
            if empty_caches is not None:
                empty_caches()
                client.get("/ready")  # the pool's connection made again
                began = time.perf_counter()
                assert client.get(path, params=params).status_code == 200
                first[label] = (time.perf_counter() - began) * 1000
            measured |= latencies(client, [(label, path, params)], repeat)
    return measured, first


def caches_emptier(settings: Settings) -> Callable[[], None]:
    """What empties every cache the data set's reads go through: the kernel's page cache and,
    for PostgreSQL, the local server's shared buffers (a restart)."""
    drop = Path("/proc/sys/vm/drop_caches")
    if not os.access(drop, os.W_OK):
        raise SystemExit("--cold drops the kernel's page cache: run it as root")
    cluster = (
        Cluster.local(settings.database_url.rsplit("/", 1)[0]) if settings.database_url else None
    )
    if settings.database_url and cluster is None:
        raise SystemExit("--cold restarts PostgreSQL: the database must be a local cluster's")

    def empty() -> None:
        if cluster is not None:
            cluster.restart()
        os.sync()
        drop.write_text("3\n")

    return empty


def _second_page(client: TestClient, found: dict[str, Any]) -> Call:
    """The common word's second page, by the first page's cursor."""
    client.headers["Authorization"] = "Bearer bench-auditor"
    first = client.get("/search", params={"q": "dân"}).json()
    return ("common word, second page", "/search", {"q": "dân", "cursor": first["next"]}, "")


def report(
    settings: Settings,
    found: dict[str, Any],
    measured: dict[str, tuple[float, float]],
    first: dict[str, float],
) -> None:
    lookup = next(iter(measured.values()))[1]
    store = "postgres" if settings.database_url else "sqlite"
    load = os.getloadavg()
    print(f"\n{settings.database_url or settings.data_dir} ({store}): {found['entries']:,} entries")
    cold = f"{'cold ms':>9}" if first else ""
    print(f"{'call':36}{cold} {'p50 ms':>8} {'p95 ms':>8} {'p95 / lookup':>13}")
    for label, (p50, p95) in measured.items():
        cold = f"{first[label]:>9.1f}" if first else ""
        print(f"{label:36}{cold} {p50:>8.1f} {p95:>8.1f} {p95 / lookup:>13.1f}")
    searches = [p95 for label, (_, p95) in list(measured.items())[1:]]
    print(
        f"search p95: worst {max(searches):.0f} ms, {max(searches) / lookup:.0f}× the lookup's "
        f"{lookup:.1f} ms; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
        f"({os.cpu_count()} cores)"
    )
    RESULTS.parent.mkdir(exist_ok=True)
    with RESULTS.open("a", encoding="utf-8") as handle:
        line = {
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
            "store": store,
            "entries": found["entries"],
            "p50_p95_ms": {k: [round(a, 1), round(b, 1)] for k, (a, b) in measured.items()},
            "cold_ms": {k: round(v, 1) for k, v in first.items()},
            "load": load,
        }
        handle.write(json.dumps(line, ensure_ascii=False) + "\n")


def _since(started: float) -> str:
    return f"{time.perf_counter() - started:,.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, default=Path("/tmp/danvan-search"))
    parser.add_argument("--database-url", help="the data set's PostgreSQL database")
    parser.add_argument("--scale", type=float, help="write the national scenario first")
    parser.add_argument("--store", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--database", default="danvan_search", help="… into this database")
    parser.add_argument("--calls", type=int, default=30, help="calls per query")
    parser.add_argument("--cold", action="store_true", help="each query's first call uncached")
    args = parser.parse_args()
    settings = written(args)
    rebuilt_if_behind(settings)
    found = picked(settings)
    report(settings, found, *measure(settings, found, args.calls, args.cold))


if __name__ == "__main__":
    main()
