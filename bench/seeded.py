"""The seed scenarios (Hà Nội at a scale, Hải Phòng and Hạ Long whole) written into a fresh
store, the three services started on them, and the aggregator caught up: what the report and
dashboard benchmarks measure against. Also their latency loop."""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psycopg
from fastapi.testclient import TestClient

from services.processes import Service, service_env
from services.scenarios.loader import load_scenario
from shared.auth import TokenStore
from shared.principal import Role
from shared.settings import Settings

TOKEN = "bench-auditor"


@dataclass
class Seeded:
    client: httpx.Client  # the aggregator, as an auditor
    events: int
    load_s: float
    project_s: float


@contextmanager
def seeded_system(database_url: str | None, hanoi_scale: float) -> Iterator[Seeded]:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), database_url=database_url, upstream_token=TOKEN)
        events = 0
        started = time.perf_counter()
        for name, share in (("hanoi", hanoi_scale), ("haiphong", 1.0), ("halong", 1.0)):
            result = load_scenario(settings, name, scale=share, progress=False)
            events = int(result["events_in_stores"]) if result else events
        loaded = time.perf_counter() - started
        with running_system(settings) as (client, projected):
            yield Seeded(client, events, loaded, projected)


@contextmanager
def running_system(settings: Settings) -> Iterator[tuple[httpx.Client, float]]:
    """The three services on these stores, the aggregator caught up (and how long that took)."""
    TokenStore(settings.token_path).issue("bench", Role.AUDITOR, [], token=TOKEN)
    env = service_env(settings, DANVAN_POSTGRES_POOL_SIZE="4", DANVAN_UPSTREAM_TOKEN=TOKEN)
    logs = settings.data_dir
    registry = Service("registry", env, logs).start()
    dialogue = Service("dialogue", env, logs).start()
    aggregator = Service(
        "aggregator",
        {**env, "DANVAN_REGISTRY_URL": registry.url, "DANVAN_DIALOGUE_URL": dialogue.url},
        logs,
    )
    try:
        started = time.perf_counter()
        aggregator.start()
        client = httpx.Client(
            base_url=aggregator.url, timeout=120, headers={"Authorization": f"Bearer {TOKEN}"}
        )
        params: dict[str, str | int] = {"registry": "", "dialogue": "", "timeout": 30}
        while client.get("/followers/wait", params=params).status_code != 200:
            pass
        projected = time.perf_counter() - started
        if settings.database_url:  # planner statistics, as autovacuum makes within a minute
            with psycopg.connect(settings.database_url, autocommit=True) as conn:
                conn.execute("ANALYZE")
        yield client, projected
    finally:
        aggregator.stop()
        dialogue.stop()
        registry.stop()


def latencies(
    client: httpx.Client | TestClient, calls: list[tuple[str, str, dict[str, Any]]], repeat: int
) -> dict[str, tuple[float, float]]:
    """p50 and p95 in ms of each call, after one warm-up call each; any answer but 200 (or
    a dashboard's 303) stops the run."""
    measured = {}
    for label, path, params in calls:
        samples = []
        for attempt in range(repeat + 1):
            began = time.perf_counter()
            response = client.get(path, params=params)
            if attempt:
                samples.append((time.perf_counter() - began) * 1000)
            assert response.status_code in (200, 303), response.text[:500]
        samples.sort()
        p95 = samples[min(len(samples) - 1, int(len(samples) * 0.95))]
        measured[label] = (statistics.median(samples), p95)
    return measured


def print_latencies(title: str, measured: dict[str, tuple[float, float]]) -> None:
    print(f"{title:34} {'p50 ms':>8} {'p95 ms':>8}")
    for label, (p50, p95) in measured.items():
        print(f"{label:34} {p50:>8.1f} {p95:>8.1f}")
