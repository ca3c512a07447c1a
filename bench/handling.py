"""The handling report, its league table and its records on a data set already written and
rebuilt (the national one: `danvan scenario national`, then `danvan rebuild`), against what the
same run measures for the plain kiến nghị report (cubes) and for reading the same rows alone:

    .venv/bin/python -m bench.handling --data-dir DIR [--database-url URL] [--calls 10]

Each line prints p50/p95 of the call and two ratios of its p50: to the kiến nghị report of the
same period and filters (cubes), and to counting the same rows grouped the same way (the handling
report's own WHERE and GROUP BY, nothing judged), so the figures say what judging costs over the
cheapest pass over those rows.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func
from sqlalchemy.orm import Session

from bench.seeded import TOKEN, latencies
from services.aggregator.database import create_read_model_engine
from services.aggregator.main import create_app
from services.aggregator.reports.engine import ReportQuery, grouping_names
from services.aggregator.reports.handling import judged_rows
from shared.auth import TokenStore
from shared.periods import parse_period
from shared.principal import Role
from shared.settings import Settings

# (label, handling path, params); the cube report and the count take the same period/filters
CALLS: list[tuple[str, str, dict[str, Any]]] = [
    (
        "nation by province, 2024",
        "/reports/kien-nghi-handling",
        {"period": "2024", "group_by": "province"},
    ),
    (
        "nation, 2016–2025",
        "/reports/kien-nghi-handling",
        {"from": "2016-01-01", "to": "2025-12-31"},
    ),
    (
        "Hà Nội by district, 2024",
        "/reports/kien-nghi-handling",
        {"period": "2024", "province": "01", "group_by": "district"},
    ),
    (
        "Hà Nội league, 2024",
        "/reports/kien-nghi-handling/agencies",
        {"period": "2024", "province": "01"},
    ),
    (
        "Hà Nội late records, 2024",
        "/reports/kien-nghi-handling/records",
        {"period": "2024", "province": "01", "figure": "late"},
    ),
    (
        "HCMC by category, 2025",
        "/reports/kien-nghi-handling",
        {"period": "2025", "province": "79", "group_by": "category"},
    ),
]
NOT_FILTERS = {"period", "from", "to", "group_by", "figure"}


def plain(params: dict[str, Any]) -> dict[str, Any]:
    """The kiến nghị report (cubes) of the same period, filters and grouping."""
    kept = {k: v for k, v in params.items() if k != "figure"}
    return kept if "group_by" in kept else {**kept, "group_by": "agency"}


def query_of(params: dict[str, Any]) -> ReportQuery:
    if "period" in params:
        period = parse_period(params["period"])
    else:
        period = parse_period(f"{params['from']}..{params['to']}")
    filters = {k: v for k, v in params.items() if k not in NOT_FILTERS}
    group_by = tuple(filter(None, str(params.get("group_by", "")).split(",")))
    return ReportQuery(group_by=group_by, period=period, filters=filters)


def counting_ms(session: Session, params: dict[str, Any], repeat: int) -> float:
    """p50 of counting the rows the handling report judges, grouped as it groups them."""
    query = query_of(params)
    stmt, keys = judged_rows(query, grouping_names(query), [func.count()])
    samples = []
    for attempt in range(repeat + 1):
        began = time.perf_counter()
        groups = session.execute(stmt.group_by(*keys)).all()
        if attempt:
            samples.append((time.perf_counter() - began) * 1000)
    counted = sum(group[-1] for group in groups)
    print(f"  {counted:,} kiến nghị in {len(groups):,} groups for {params}")
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", required=True, help="a data set written and rebuilt")
    parser.add_argument("--database-url", help="… whose stores are in this PostgreSQL database")
    parser.add_argument("--calls", type=int, default=10, help="calls per report")
    args = parser.parse_args()
    settings = Settings(
        data_dir=Path(args.data_dir), database_url=args.database_url, upstream_token=TOKEN
    )
    TokenStore(settings.token_path).issue("bench", Role.AUDITOR, [], token=TOKEN)
    app = create_app(settings, clients={})  # follows nothing: the read models are made
    engine = create_read_model_engine(settings)
    with (
        TestClient(app, headers={"Authorization": f"Bearer {TOKEN}"}) as client,
        Session(engine) as session,
    ):
        handled = latencies(client, CALLS, args.calls)
        cubes = latencies(
            client, [(label, "/reports/kien-nghi", plain(p)) for label, _, p in CALLS], args.calls
        )
        raw = {label: counting_ms(session, params, args.calls) for label, _, params in CALLS}
    engine.dispose()
    print(f"\n{args.database_url or args.data_dir}: the aggregator's app alone, in process")
    print(f"{'handling report':30} {'p50 ms':>8} {'p95 ms':>8} {'÷ cubes':>8} {'÷ count':>8}")
    for label, (p50, p95) in handled.items():
        print(
            f"{label:30} {p50:>8.1f} {p95:>8.1f} "
            f"{p50 / cubes[label][0]:>8.1f} {p50 / raw[label]:>8.2f}"
        )


if __name__ == "__main__":
    main()
