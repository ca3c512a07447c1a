"""Report latency on the whole Hà Nội scenario (plus Hải Phòng and Hạ Long), SQLite and
PostgreSQL in one run: p50/p95 of each report call, and how long loading and projecting took.

    .venv/bin/python bench/reports.py [--scale 1.0] [--calls 40]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.seeded import latencies, print_latencies, seeded_system
from bench.spine import store_url
from tests.databases import postgres_available

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="share of Hà Nội's figures")
    parser.add_argument("--calls", type=int, default=40, help="calls per report")
    args = parser.parse_args()
    stores = ["sqlite"] + (["postgres"] if postgres_available() else [])
    for store in stores:
        with store_url(store) as url, seeded_system(url, args.scale) as seeded:
            measured = latencies(seeded.client, CALLS, args.calls)
        print(
            f"\n{store}: {seeded.events:,} events; scenarios written in {seeded.load_s:.0f} s "
            f"({seeded.events / seeded.load_s:,.0f} events/s), projected in "
            f"{seeded.project_s:.0f} s ({seeded.events / seeded.project_s:,.0f} events/s)"
        )
        print_latencies("report", measured)


if __name__ == "__main__":
    main()
