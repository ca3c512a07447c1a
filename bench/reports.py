"""Report latency on the whole Hà Nội scenario (plus Hải Phòng and Hạ Long), SQLite and
PostgreSQL in one run: p50/p95 of each report call, and how long loading and projecting took.

    .venv/bin/python -m bench.reports [--scale 1.0] [--calls 40]

On a data set already written (the national one: `danvan scenario national`), every report
endpoint nationwide and for a province, district and commune:

    .venv/bin/python -m bench.reports --data-dir DIR [--database-url postgresql://…]
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from bench.seeded import TOKEN, latencies, print_latencies, running_system, seeded_system
from bench.spine import store_url
from services.aggregator.main import create_app
from shared.auth import TokenStore
from shared.principal import Role
from shared.settings import Settings
from testkit.databases import postgres_available

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


NATIONAL: list[tuple[str, str, dict[str, Any]]] = [
    ("models by province, nation", "/reports/models", {"group_by": "province"}),
    ("models by district, HCMC", "/reports/models", {"province": "79", "group_by": "district"}),
    (
        "models by field, year, Hà Nội",
        "/reports/models",
        {"province": "01", "group_by": "field,year"},
    ),
    ("models by 2025 province", "/reports/models", {"group_by": "province", "structure": "2025"}),
    ("models of a commune", "/reports/models", {"unit": "00004", "group_by": "year"}),
    (
        "supervisions by level, kind",
        "/reports/supervisions",
        {"group_by": "level,kind", "from": "2016-01-01", "to": "2025-06-30"},
    ),
    (
        "supervisions by province 2024",
        "/reports/supervisions",
        {"group_by": "province", "period": "2024"},
    ),
    ("inspection chain, nation 2021", "/reports/inspection-chain", {"period": "2021"}),
    ("inspection chain, Hà Nội", "/reports/inspection-chain", {"province": "01", "period": "2021"}),
    ("dialogues by quarter, nation", "/reports/dialogues", {"group_by": "quarter"}),
    (
        "dialogues term against term",
        "/reports/dialogues",
        {"province": "31", "period": "term:2020-2025/1", "compare": "term:2015-2020"},
    ),
    ("kiến nghị by agency, nation", "/reports/kien-nghi", {"group_by": "agency"}),
    (
        "kiến nghị by province, 2024",
        "/reports/kien-nghi",
        {"group_by": "province", "period": "2024"},
    ),
    ("awards by province", "/reports/awards", {"group_by": "province"}),
    ("coverage of Hà Nội communes", "/reports/models/coverage", {"unit": "01", "on": "2024-12-31"}),
    ("coverage of a district", "/reports/models/coverage", {"unit": "001", "on": "2024-12-31"}),
    (
        "kiến nghị list, Hà Nội, open",
        "/kien-nghi",
        {"province": "01", "state": "assigned", "limit": "50"},
    ),
    (
        "as of 2024, models by province",
        "/reports/models",
        {"group_by": "province", "as_of": "2025-01-01T00:00:00Z"},
    ),
]


def existing(args: argparse.Namespace) -> None:
    settings = Settings(
        data_dir=Path(args.data_dir), database_url=args.database_url, upstream_token=TOKEN
    )
    if args.aggregator_only:
        # read models already made (`danvan rebuild`): the aggregator's app alone, in this
        # process, following nothing (the write services would first seal every event)
        TokenStore(settings.token_path).issue("bench", Role.AUDITOR, [], token=TOKEN)
        app = create_app(settings, clients={})
        with TestClient(app, headers={"Authorization": f"Bearer {TOKEN}"}) as client:
            measured = latencies(client, NATIONAL, args.calls)
        print(f"\n{args.database_url or args.data_dir}: the aggregator's app alone, in process")
    else:
        with running_system(settings) as (client, caught_up):
            measured = latencies(client, NATIONAL, args.calls)
        print(f"\n{args.database_url or args.data_dir}: caught up in {caught_up:.0f} s")
    print_latencies("report", measured)
    slow = {label: p95 for label, (_, p95) in measured.items() if p95 >= 50}
    print(
        f"p95 under 50 ms: {len(measured) - len(slow)} of {len(measured)}; over: {slow or 'none'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="share of Hà Nội's figures")
    parser.add_argument("--calls", type=int, default=40, help="calls per report")
    parser.add_argument("--data-dir", help="measure a data set already written there")
    parser.add_argument("--database-url", help="… whose stores are in this PostgreSQL database")
    parser.add_argument(
        "--aggregator-only", action="store_true", help="… and read models already rebuilt"
    )
    args = parser.parse_args()
    if args.data_dir:
        return existing(args)
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
