"""Report latency on the whole Hà Nội scenario (plus Hải Phòng and Hạ Long), SQLite and
PostgreSQL in one run: p50/p95 of each report call, and how long loading and projecting took.

    .venv/bin/python bench/reports.py [--scale 1.0] [--calls 40]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.spine import store_url
from services.scenarios.loader import load_scenario
from shared.auth import TokenStore
from shared.principal import Role
from shared.settings import Settings
from tests.databases import postgres_available
from tests.e2e.processes import Service, service_env

SINCE_2013 = {"province": "01", "from": "2013-01-01", "to": "2023-11-03"}
CALLS: list[tuple[str, str, dict[str, Any]]] = [
    (
        "supervisions by level and kind",
        "/reports/supervisions",
        {"group_by": "level,kind", **SINCE_2013},
    ),
    ("models registered since 2013", "/reports/models", SINCE_2013),
    (
        "models by 2025 commune",
        "/reports/models",
        {"province": "01", "group_by": "unit", "structure": "2025"},
    ),
    ("models by field and year", "/reports/models", {"province": "01", "group_by": "field,year"}),
    (
        "models by district, vi CSV",
        "/reports/models",
        {"province": "01", "group_by": "district", "format": "csv", "locale": "vi"},
    ),
    ("inspection chain 2021", "/reports/inspection-chain", {"province": "01", "period": "2021"}),
    ("kiến nghị by agency", "/reports/kien-nghi", {"group_by": "agency"}),
    ("dialogues by month", "/reports/dialogues", {"province": "31", "group_by": "month"}),
    (
        "dialogues term against term",
        "/reports/dialogues",
        {"province": "31", "period": "term:2020-2025/1", "compare": "term:2015-2020"},
    ),
    ("coverage of Hà Nội communes", "/reports/models/coverage", {"unit": "01", "on": "2023-11-03"}),
    ("awards by unit", "/reports/awards", {"group_by": "unit"}),
]


def measure(database_url: str | None, scale: float, calls: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            data_dir=Path(tmp),
            database_url=database_url,
            upstream_token="bench-auditor",
            postgres_pool_size=4,
        )
        TokenStore(settings.token_path).issue("bench", Role.AUDITOR, [], token="bench-auditor")
        started = time.perf_counter()
        events = 0
        for name, share in (("hanoi", scale), ("haiphong", 1.0), ("halong", 1.0)):
            result = load_scenario(settings, name, scale=share, progress=False)
            events = int(result["events_in_stores"]) if result else events
        loaded = time.perf_counter() - started
        env = service_env(settings)
        registry = Service("registry", env, Path(tmp)).start()
        dialogue = Service("dialogue", env, Path(tmp)).start()
        aggregator = Service(
            "aggregator",
            service_env(
                settings,
                DANVAN_REGISTRY_URL=registry.url,
                DANVAN_DIALOGUE_URL=dialogue.url,
            ),
            Path(tmp),
        )
        try:
            started = time.perf_counter()
            aggregator.start()
            client = httpx.Client(
                base_url=aggregator.url,
                timeout=120,
                headers={"Authorization": "Bearer bench-auditor"},
            )
            while (
                client.get(
                    "/followers/wait", params={"registry": "", "dialogue": "", "timeout": 30}
                ).status_code
                != 200
            ):
                pass
            projected = time.perf_counter() - started
            latencies = {}
            for label, path, params in CALLS:
                client.get(path, params=params).raise_for_status()  # warm
                samples = []
                for _ in range(calls):
                    began = time.perf_counter()
                    client.get(path, params=params).raise_for_status()
                    samples.append((time.perf_counter() - began) * 1000)
                samples.sort()
                latencies[label] = (
                    statistics.median(samples),
                    samples[min(len(samples) - 1, int(len(samples) * 0.95))],
                )
        finally:
            aggregator.stop()
            dialogue.stop()
            registry.stop()
        return {"events": events, "load_s": loaded, "project_s": projected, "latencies": latencies}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="share of Hà Nội's figures")
    parser.add_argument("--calls", type=int, default=40, help="calls per report")
    args = parser.parse_args()
    stores = ["sqlite"] + (["postgres"] if postgres_available() else [])
    for store in stores:
        with store_url(store) as url:
            r = measure(url, args.scale, args.calls)
        print(
            f"\n{store}: {r['events']:,} events; scenarios written in {r['load_s']:.0f} s "
            f"({r['events'] / r['load_s']:,.0f} events/s), projected in {r['project_s']:.0f} s "
            f"({r['events'] / r['project_s']:,.0f} events/s)"
        )
        print(f"{'report':34} {'p50 ms':>8} {'p95 ms':>8}")
        for label, (p50, p95) in r["latencies"].items():
            print(f"{label:34} {p50:>8.1f} {p95:>8.1f}")


if __name__ == "__main__":
    main()
