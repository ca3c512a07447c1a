"""The spine's speed, SQLite and PostgreSQL in one run.

Prints for each store: the bare append rate of the event store (one event per save, and 50
aggregates per save), the HTTP write rate through the registry API at a given concurrency
(writes/s, p50/p99 latency), and the aggregator's rebuild rate (events/s).

    .venv/bin/python -m bench.spine [--events 3000] [--http 3000] [--clients 16]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from datetime import date
from pathlib import Path

import httpx

from services.aggregator.rebuild import rebuild
from services.processes import Service, service_env
from services.registry.application import Registry
from services.registry.domain import Model
from shared.auth import TokenStore
from shared.principal import Principal, Role
from shared.settings import Settings
from shared.store_setup import made_event_store
from shared.units import load_catalog
from testkit.databases import fresh_postgres_database, postgres_available

ACTOR = Principal("bench", Role.ADMIN).as_actor()
BODY = {
    "title": "Dân vận khéo",
    "unit_code": "00004",
    "body": "Hội LHPN",
    "sector": "state",
    "fields": ["economy"],
    "year": 2021,
    "registered_on": "2021-03-01",
}


def new_model(i: int) -> Model:
    return Model(
        title=f"m{i}",
        description="",
        unit_code="00004",
        unit_structure="legacy",
        body="Hội LHPN",
        sector="state",
        fields=["economy"],
        year=2021,
        registered_on=date(2021, 3, 1),
        actor=ACTOR,
    )


def bare_append(settings: Settings, events: int, batch: int) -> float:
    app = Registry(env=made_event_store(settings, "registry"), catalog=load_catalog())
    try:
        started = time.perf_counter()
        for start in range(0, events, batch):
            app.save(*(new_model(i) for i in range(start, min(start + batch, events))))
        return events / (time.perf_counter() - started)
    finally:
        app.close()


async def http_writes(url: str, count: int, clients: int) -> tuple[float, float, float]:
    latencies: list[float] = []
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(count):
        queue.put_nowait(i)
    headers = {"Authorization": "Bearer bench-admin"}
    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(
        base_url=url, headers=headers, limits=limits, timeout=60
    ) as client:

        async def worker() -> None:
            while not queue.empty():
                i = queue.get_nowait()
                began = time.perf_counter()
                response = await client.post(
                    "/models",
                    json={**BODY, "title": f"http {i}"},
                    headers={"Idempotency-Key": f"bench-{i}"},
                )
                latencies.append(time.perf_counter() - began)
                response.raise_for_status()

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        elapsed = time.perf_counter() - started
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    return count / elapsed, statistics.median(latencies) * 1000, p99 * 1000


def measure(store: str, database_url: str | None, args: argparse.Namespace) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            data_dir=Path(tmp),
            database_url=database_url,
            upstream_token="bench-auditor",
            postgres_pool_size=4,
        )
        tokens = TokenStore(settings.token_path)
        tokens.issue("bench", Role.ADMIN, [], token="bench-admin")
        tokens.issue("bench-auditor", Role.AUDITOR, [], token="bench-auditor")
        result = {
            "append_1": bare_append(settings, args.events, 1),
            "append_50": bare_append(settings, args.events, 50),
        }
        unlimited = service_env(settings, DANVAN_WRITE_RATE_LIMIT="100000000/minute")
        registry = Service("registry", unlimited, Path(tmp)).start()
        try:
            rate, p50, p99 = asyncio.run(http_writes(registry.url, args.http, args.clients))
            result.update(http_rate=rate, http_p50_ms=p50, http_p99_ms=p99)
            client = httpx.Client(
                base_url=registry.url, timeout=60, headers={"Authorization": "Bearer bench-auditor"}
            )
            started = time.perf_counter()
            applied = rebuild(settings, {"registry": client}, progress=False)["registry"]
            result["rebuild_events"] = applied
            result["rebuild_rate"] = applied / (time.perf_counter() - started)
        finally:
            registry.stop()
        return result


@contextmanager
def store_url(store: str) -> Iterator[str | None]:
    if store == "sqlite":
        with nullcontext():
            yield None
    else:
        with fresh_postgres_database() as url:
            yield url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=3000, help="events for the bare append")
    parser.add_argument("--http", type=int, default=3000, help="HTTP writes")
    parser.add_argument("--clients", type=int, default=16, help="concurrent HTTP clients")
    args = parser.parse_args()
    stores = ["sqlite"] + (["postgres"] if postgres_available() else [])
    print(
        f"spine benchmark: {args.events} appends, {args.http} HTTP writes by "
        f"{args.clients} clients, then a rebuild of everything written"
    )
    header = (
        f"{'store':9} {'append 1/save':>14} {'append 50/save':>15} {'HTTP writes/s':>14} "
        f"{'p50 ms':>7} {'p99 ms':>7} {'rebuild ev/s':>13} {'events':>7}"
    )
    print(header)
    for store in stores:
        with store_url(store) as url:
            r = measure(store, url, args)
        print(
            f"{store:9} {r['append_1']:>14,.0f} {r['append_50']:>15,.0f} "
            f"{r['http_rate']:>14,.0f} {r['http_p50_ms']:>7.1f} {r['http_p99_ms']:>7.1f} "
            f"{r['rebuild_rate']:>13,.0f} {r['rebuild_events']:>7,.0f}"
        )


if __name__ == "__main__":
    main()
