"""The rebuild's speed and memory, SQLite and PostgreSQL, at several sizes.

For each store and size it loads the seed scenarios into stores of its own (once: later runs
reuse them; more Hà Nội copies, other seeds, make the larger sizes), then first replays the
stores raw: every stored event of both stores read and decoded into its feed envelope, in the
rebuild's pages, with no projection (one process per store on PostgreSQL, as the rebuild; one
after the other on SQLite): the physical floor of a rebuild here. Then it runs
`danvan rebuild --source stores` in a child process and prints events, seconds, events/s, the
ratio to the raw replay (target, issue 19: >= 0.5), the peak RSS of the rebuild (its largest
process) and the load average around it. --database names
an existing PostgreSQL database to measure as it is (only its read models are rebuilt).

    .venv/bin/python -m bench.rebuild [--sizes seed,1m] [--stores sqlite,postgres]
    .venv/bin/python -m bench.rebuild --database danvan_national
"""

from __future__ import annotations

import argparse
import ast
import multiprocessing
import os
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import psycopg

from services.scenarios.loader import load_scenario
from services.store_names import APPLICATION_NAMES
from shared.audit.sources import open_store
from shared.settings import Settings
from testkit.databases import POSTGRES_ADMIN_URL, postgres_available

ROOT = Path(__file__).resolve().parents[1]
SEED = ("haiphong", "halong", "hanoi")
# the seed scenarios are ~277,000 events; each further Hà Nội (another seed) ~259,000
SIZES = {"seed": 0, "1m": 3, "2m": 7}
TARGET_SHARE = 0.5  # of the raw replay's rate


@dataclass
class Run:
    store: str
    size: str
    events: int
    seconds: float
    cpu_seconds: float  # user + system of the rebuild and its reader processes
    peak_rss_mb: float
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float]
    raw_rate: float = 0.0  # the raw replay's events/s on the same stores

    @property
    def share(self) -> float:
        return self.rate / self.raw_rate if self.raw_rate else 0.0

    @property
    def rate(self) -> float:
        return self.events / self.seconds


def database_url(name: str) -> str:
    with psycopg.connect(f"{POSTGRES_ADMIN_URL}/postgres", autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not found:
            conn.execute(f'CREATE DATABASE "{name}"')
    return f"{POSTGRES_ADMIN_URL}/{name}"


def settings_for(store: str, size: str, work: Path) -> Settings:
    data_dir = work / f"{store}-{size}"
    url = database_url(f"danvan_bench_rebuild_{size}") if store == "postgres" else None
    return Settings(_env_file=None, data_dir=data_dir, database_url=url, json_logs=False)


def load(settings: Settings, size: str) -> None:
    """The seed scenarios, and for larger sizes more Hà Nội copies; each only once."""
    for name in SEED:
        load_scenario(settings, name, progress=False)
    for copy in range(SIZES[size]):
        load_scenario(settings, "hanoi", seed=3000 + copy, progress=False)


def read_store(settings: Settings, service: str) -> int:
    """Every stored event of one store read and decoded as the rebuild reads them; the count."""
    reader = open_store(settings, service, APPLICATION_NAMES[service])
    try:
        after, count = 0, 0
        while True:
            items, after = reader.feed(after, settings.rebuild_page_size)
            if not items:
                return count
            count += len(items)
    finally:
        reader.close()


def raw_replay(settings: Settings) -> float:
    """Events/s of reading and decoding both stores, nothing projected."""
    started = time.perf_counter()
    if settings.uses_postgres:
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(len(APPLICATION_NAMES), mp_context=context) as pool:
            counts = list(pool.map(read_store, [settings] * 2, list(APPLICATION_NAMES)))
    else:
        counts = [read_store(settings, service) for service in APPLICATION_NAMES]
    return sum(counts) / (time.perf_counter() - started)


def rebuild_in_child(settings: Settings, extra_env: dict[str, str] | None = None) -> Run:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DANVAN_")}
    env.update(DANVAN_DATA_DIR=str(settings.data_dir), DANVAN_JSON_LOGS="0", **(extra_env or {}))
    if settings.database_url:
        env["DANVAN_DATABASE_URL"] = settings.database_url
    load_before = os.getloadavg()
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "services.cli", "rebuild", "--source", "stores"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    out = child.stdout.read()
    # reaped here rather than by Popen, for its rusage: ru_maxrss is the peak RSS of the child,
    # or of a descendant it waited for (the read-ahead readers) if that was larger
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    child.stdout.close()
    if child.returncode:
        raise SystemExit(
            f"rebuild failed ({child.returncode}) after {seconds:.0f} s, peak RSS "
            f"{usage.ru_maxrss / 1024:,.0f} MB: {out[-2000:]}"
        )
    applied = ast.literal_eval(out.strip().splitlines()[-1].partition(": ")[2])
    return Run(
        store="postgres" if settings.database_url else "sqlite",
        size="",
        events=sum(applied.values()),
        seconds=seconds,
        cpu_seconds=usage.ru_utime + usage.ru_stime,
        peak_rss_mb=usage.ru_maxrss / 1024,
        load_before=load_before,
        load_after=os.getloadavg(),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="seed,1m", help=f"of {', '.join(SIZES)}")
    parser.add_argument("--stores", default="sqlite,postgres")
    parser.add_argument("--work", type=Path, default=Path("/tmp/danvan-bench-rebuild"))
    parser.add_argument("--database", help="an existing PostgreSQL database to measure as is")
    args = parser.parse_args()
    runs: list[Run] = []
    if args.database:
        url = f"{POSTGRES_ADMIN_URL}/{args.database}"
        settings = Settings(_env_file=None, data_dir=args.work / args.database, database_url=url)
        raw = raw_replay(settings)
        run = rebuild_in_child(settings)
        run.size, run.raw_rate = args.database, raw
        runs.append(run)
    else:
        stores = [s for s in args.stores.split(",") if s != "postgres" or postgres_available()]
        for size in args.sizes.split(","):
            for store in stores:
                settings = settings_for(store, size, args.work)
                started = time.perf_counter()
                load(settings, size)
                print(f"{store} {size}: stores ready in {time.perf_counter() - started:.0f} s")
                raw = raw_replay(settings)
                run = rebuild_in_child(settings)
                run.size, run.raw_rate = size, raw
                runs.append(run)
                print(describe(run), flush=True)
    print(
        f"\n{'store':9} {'size':>16} {'events':>10} {'seconds':>8} {'events/s':>9} "
        f"{'raw ev/s':>9} {'/raw':>5} {'CPU s':>6} {'peak RSS MB':>11}  load average before → after"
    )
    for run in runs:
        print(describe(run))
    missed = [f"{r.store} {r.size}" for r in runs if r.share < TARGET_SHARE]
    print(
        f"rebuild >= {TARGET_SHARE} x the raw replay: " + (f"FAIL {missed}" if missed else "PASS")
    )


def describe(run: Run) -> str:
    before = " ".join(f"{x:.2f}" for x in run.load_before)
    after = " ".join(f"{x:.2f}" for x in run.load_after)
    return (
        f"{run.store:9} {run.size:>16} {run.events:>10,} {run.seconds:>8.1f} {run.rate:>9,.0f} "
        f"{run.raw_rate:>9,.0f} {run.share:>5.2f} {run.cpu_seconds:>6.1f} "
        f"{run.peak_rss_mb:>11,.0f}  {before} → {after}"
    )


if __name__ == "__main__":
    main()
