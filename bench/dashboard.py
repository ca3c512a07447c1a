"""Dashboard page latency on the whole Hà Nội scenario (plus Hải Phòng and Hạ Long), SQLite and
PostgreSQL in one run: p50/p95 of the server's answer (HTML, every report of the page computed)
for the overview and each area page.

    .venv/bin/python -m bench.dashboard [--scale 1.0] [--calls 30]

PostgreSQL's planner statistics are refreshed (ANALYZE) once the read models have caught up, as
autovacuum does within a minute of a bulk load."""

from __future__ import annotations

import argparse
from typing import Any

from bench.seeded import latencies, print_latencies, seeded_system
from bench.spine import store_url
from testkit.databases import postgres_available

HANOI = {"province": "01", "period": "2023"}
PAGES: list[tuple[str, str, dict[str, Any]]] = [
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="share of Hà Nội's figures")
    parser.add_argument("--calls", type=int, default=30, help="requests per page")
    args = parser.parse_args()
    stores = ["sqlite"] + (["postgres"] if postgres_available() else [])
    for store in stores:
        with store_url(store) as url, seeded_system(url, args.scale) as seeded:
            measured = latencies(seeded.client, PAGES, args.calls)
        print(
            f"\n{store}: Hà Nội at scale {args.scale} with Hải Phòng and Hạ Long, "
            f"{seeded.events:,} events; written in {seeded.load_s:.0f} s, projected in "
            f"{seeded.project_s:.0f} s"
        )
        print_latencies("page", measured)
        slowest = max(p95 for label, (_, p95) in measured.items() if label.startswith("overview"))
        print(f"overview p95 under 1 s: {'yes' if slowest < 1000 else 'NO'} ({slowest:.0f} ms)")


if __name__ == "__main__":
    main()
