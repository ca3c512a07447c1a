"""Dashboard page latency on the whole Hà Nội scenario (plus Hải Phòng and Hạ Long), SQLite and
PostgreSQL in one run: p50/p95 of the server's answer (HTML, every report of the page computed)
for the overview and each area page.

    .venv/bin/python bench/dashboard.py [--scale 1.0] [--calls 30]

PostgreSQL's planner statistics are refreshed (ANALYZE) once the read models have caught up, as
autovacuum does within a minute of a bulk load."""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.spine import store_url
from services.scenarios.loader import load_scenario
from shared.auth import TokenStore
from shared.principal import Role
from shared.settings import Settings
from tests.databases import postgres_available
from tests.e2e.processes import Service, service_env

HANOI = {"province": "01", "period": "2023"}
PAGES: list[tuple[str, str, dict[str, str]]] = [
    ("overview, Hà Nội 2023", "/dashboard", HANOI),
    ("models, Hà Nội 2023", "/dashboard/models", HANOI),
    ("dialogues, Hà Nội 2023", "/dashboard/dialogues", HANOI),
    ("supervision, Hà Nội 2023", "/dashboard/supervision", HANOI),
    ("kiến nghị, Hà Nội 2023", "/dashboard/kien-nghi", HANOI),
    ("overdue kiến nghị, Hà Nội 2023", "/dashboard/kien-nghi/overdue", HANOI),
    ("overview, Hà Nội 2025 units", "/dashboard", {**HANOI, "structure": "2025"}),
    ("overview, Ba Đình 2023", "/dashboard", {"district": "001", "period": "2023"}),
    ("overview, Hà Nội all time", "/dashboard", {"province": "01", "period": "all"}),
    ("dialogues, Hải Phòng terms", "/dashboard/dialogues", {"province": "31", "period": "2022"}),
    ("/dashboard (finds the year)", "/dashboard", {}),
]


def wait_for_followers(client: httpx.Client) -> None:
    params = {"registry": "", "dialogue": "", "timeout": 30}
    while client.get("/followers/wait", params=params).status_code != 200:
        pass


def analyze(database_url: str) -> None:
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("ANALYZE")


def percentiles(samples: list[float]) -> tuple[float, float]:
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.95))]


def measure(database_url: str | None, scale: float, calls: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            data_dir=Path(tmp),
            database_url=database_url,
            upstream_token="bench-auditor",
            postgres_pool_size=4,
        )
        TokenStore(settings.token_path).issue("bench", Role.AUDITOR, [], token="bench-auditor")
        events = 0
        started = time.perf_counter()
        for name, share in (("hanoi", scale), ("haiphong", 1.0), ("halong", 1.0)):
            result = load_scenario(settings, name, scale=share, progress=False)
            events = int(result["events_in_stores"]) if result else events
        loaded = time.perf_counter() - started
        env = service_env(settings, DANVAN_POSTGRES_POOL_SIZE="4")
        registry = Service("registry", env, Path(tmp)).start()
        dialogue = Service("dialogue", env, Path(tmp)).start()
        aggregator = Service(
            "aggregator",
            {**env, "DANVAN_REGISTRY_URL": registry.url, "DANVAN_DIALOGUE_URL": dialogue.url},
            Path(tmp),
        )
        try:
            aggregator.start()
            client = httpx.Client(
                base_url=aggregator.url,
                timeout=120,
                headers={"Authorization": "Bearer bench-auditor"},
            )
            started = time.perf_counter()
            wait_for_followers(client)
            projected = time.perf_counter() - started
            if database_url:
                analyze(database_url)
            latencies = {}
            for label, path, params in PAGES:
                assert client.get(path, params=params).status_code in (200, 303)  # warm
                samples = []
                for _ in range(calls):
                    began = time.perf_counter()
                    response = client.get(path, params=params)
                    samples.append((time.perf_counter() - began) * 1000)
                    assert response.status_code in (200, 303), response.text
                latencies[label] = percentiles(samples)
        finally:
            aggregator.stop()
            dialogue.stop()
            registry.stop()
        return {"events": events, "load_s": loaded, "project_s": projected, "latencies": latencies}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="share of Hà Nội's figures")
    parser.add_argument("--calls", type=int, default=30, help="requests per page")
    args = parser.parse_args()
    stores = ["sqlite"] + (["postgres"] if postgres_available() else [])
    for store in stores:
        with store_url(store) as url:
            r = measure(url, args.scale, args.calls)
        print(
            f"\n{store}: Hà Nội at scale {args.scale} with Hải Phòng and Hạ Long, "
            f"{r['events']:,} events; written in {r['load_s']:.0f} s, projected in "
            f"{r['project_s']:.0f} s"
        )
        print(f"{'page':34} {'p50 ms':>8} {'p95 ms':>8}")
        for label, (p50, p95) in r["latencies"].items():
            print(f"{label:34} {p50:>8.1f} {p95:>8.1f}")


if __name__ == "__main__":
    main()
