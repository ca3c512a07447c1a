"""The national data set's write speed: `danvan scenario national` in full, timed.

Writes the national scenario (all 63 provinces 2016–2025, ~10.5 million events at scale 1)
through the services' own commands into a scratch PostgreSQL database (default, kept afterwards
for rebuild and report benchmarks) or a scratch SQLite data folder, and prints the events
written, seconds, events/s, peak RSS of this process and the load average (at the start, the
mean of one sample a minute, at the end): other work on the machine takes its share of the cores.

    .venv/bin/python -m bench.national [SCALE] [--store postgres|sqlite]
        [--database danvan_national] [--data-dir /tmp/danvan-national] [--resume]

Without --resume the scratch database (or data folder) is dropped and made anew first.
A JSON line with the figures is appended to bench/results/national.jsonl.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import psycopg

from services.scenarios.loader import load_scenario
from shared.settings import Settings

POSTGRES = os.environ.get("DANVAN_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432")
RESULTS = Path(__file__).resolve().parent / "results" / "national.jsonl"


class LoadSampler:
    """The 1-minute load average once a minute while the run lasts; and, on PostgreSQL, the
    stores' statistics brought up to date as they grow (ANALYZE), where autovacuum is off (as
    on the machines here): planned on an empty table's statistics, loading a record by its id
    becomes a scan of millions of rows, and writing falls from thousands of events/s to
    hundreds."""

    def __init__(self, every: float = 60, database_url: str | None = None) -> None:
        self.database_url = database_url
        self.samples = [os.getloadavg()[0]]
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.run, args=(every,), daemon=True)
        self.thread.start()

    def run(self, every: float) -> None:
        while not self.stopped.wait(every):
            self.samples.append(os.getloadavg()[0])
            if self.database_url:
                with psycopg.connect(self.database_url, autocommit=True) as conn:
                    conn.execute("ANALYZE")

    def stop(self) -> dict[str, float]:
        self.stopped.set()
        self.samples.append(os.getloadavg()[0])
        return {
            "start": self.samples[0],
            "mean": round(sum(self.samples) / len(self.samples), 2),
            "max": max(self.samples),
            "end": self.samples[-1],
        }


def scratch_postgres(database: str, fresh: bool) -> str:
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as conn:
        if fresh:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,))
        if exists.fetchone() is None:
            conn.execute(f'CREATE DATABASE "{database}"')
    return f"{POSTGRES}/{database}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scale", nargs="?", type=float, default=1.0)
    parser.add_argument("--store", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--database", default="danvan_national", help="PostgreSQL database")
    parser.add_argument("--data-dir", type=Path, default=Path("/tmp/danvan-national"))
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--resume", action="store_true", help="keep what an earlier run wrote")
    parser.add_argument("--no-progress", action="store_true")
    args = parser.parse_args()

    if not args.resume and args.data_dir.exists():
        shutil.rmtree(args.data_dir)
    url = scratch_postgres(args.database, not args.resume) if args.store == "postgres" else None
    settings = Settings(
        _env_file=None,
        data_dir=args.data_dir,
        database_url=url,
    )
    print(
        f"national scale {args.scale} on {args.store} "
        f"({url or args.data_dir}), load {os.getloadavg()[0]:.2f}, {os.cpu_count()} cores",
        flush=True,
    )
    load = LoadSampler(database_url=url)
    started = time.perf_counter()
    result = load_scenario(
        settings, "national", scale=args.scale, seed=args.seed, progress=not args.no_progress
    )
    seconds = time.perf_counter() - started
    loads = load.stop()
    if result is None:
        print("already in these stores: nothing written (drop --resume)")
        return 1
    events = int(result["events_written"])
    figures = {
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "store": args.store,
        "scale": args.scale,
        "database": args.database if url else None,
        "data_dir": str(args.data_dir.resolve()),
        "events": events,
        "events_in_stores": result["events_in_stores"],
        "parts_written": result["parts_written"],
        "parts_skipped": result["parts_skipped"],
        "seconds": round(seconds, 1),
        "events_per_second": round(events / seconds),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "cpu_seconds": round(time.process_time(), 1),
        "load": loads,
        "cores": os.cpu_count(),
    }
    print(
        f"{events:,} events in {seconds:,.1f} s: {figures['events_per_second']:,} events/s; "
        f"peak RSS {figures['peak_rss_mib']} MiB; CPU {figures['cpu_seconds']} s; "
        f"load average start {loads['start']:.2f}, mean {loads['mean']:.2f}, "
        f"max {loads['max']:.2f}, end {loads['end']:.2f} ({os.cpu_count()} cores)"
    )
    RESULTS.parent.mkdir(exist_ok=True)
    with RESULTS.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(figures) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
