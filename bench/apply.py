"""The live follower's apply rate: pages of the follower's size applied with the report cubes'
deltas (what the follow lag waits for when the services are busy), read from the stores.

Writes a national data set at a small scale into a scratch database (PostgreSQL) or data folder
(SQLite), then replays each store through the live Follower (keep_cubes on, pages of
DANVAN_FOLLOWER_PAGE_SIZE) from position 0 and prints events/s, milliseconds per page and this
process's CPU per store, `--repeat` times.

    .venv/bin/python -m bench.apply [--store postgres|sqlite] [--scale 0.005] [--repeat 2]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path

from services.aggregator.database import (
    create_read_model_engine,
    drop_read_models,
    migrate,
    session_factory,
)
from services.aggregator.follower import Follower
from services.aggregator.projections.dispatch import projector
from services.aggregator.stores import StoreFeed
from services.scenarios.loader import load_scenario
from services.store_names import APPLICATION_NAMES
from shared.audit.sources import open_store
from shared.settings import Settings
from shared.units import load_catalog
from testkit.databases import fresh_postgres_database


def replay(settings: Settings) -> list[str]:
    engine = create_read_model_engine(settings)
    lines = []
    try:
        migrate(engine)
        drop_read_models(engine)
        migrate(engine)
        sessions = session_factory(engine)
        project = projector(load_catalog(settings.extra_units_file))
        for service, name in APPLICATION_NAMES.items():
            feed = StoreFeed(open_store(settings, service, name))
            follower = Follower(
                service, feed, sessions, project, page_size=settings.follower_page_size
            )
            started, cpu = time.perf_counter(), time.process_time()
            events = pages = 0
            while applied := follower.step():
                events, pages = events + applied, pages + 1
            seconds = time.perf_counter() - started
            lines.append(
                f"{service:9} {events:>7} events in {seconds:5.1f} s: {events / seconds:>6,.0f} "
                f"events/s, {seconds / pages * 1000:4.0f} ms per page of "
                f"{settings.follower_page_size}, CPU here {time.process_time() - cpu:5.1f} s"
            )
            feed.close()
    finally:
        engine.dispose()
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--store", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--scale", type=float, default=0.005)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    database = fresh_postgres_database() if args.store == "postgres" else nullcontext(None)
    with tempfile.TemporaryDirectory() as tmp, database as url:
        settings = Settings(_env_file=None, data_dir=Path(tmp), database_url=url)
        loaded = load_scenario(settings, "national", scale=args.scale, progress=False)
        assert loaded is not None
        print(f"{args.store}: {loaded['events_in_stores']:,} events at scale {args.scale}")
        for run in range(1, args.repeat + 1):
            for line in replay(settings):
                print(f"run {run}  {line}", flush=True)


if __name__ == "__main__":
    main()
