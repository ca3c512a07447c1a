"""The write path against the database's own limit, PostgreSQL then SQLite, in one run.

For each store: the database's single-row commit rate (PostgreSQL: pgbench, one INSERT per
transaction into a scratch table of a scratch database, 64 clients; SQLite: one writer committing
one row at a time, WAL as the event store uses it), the event store's bare append rate (1 event
per save, 50 per save: bench/spine.py), then HTTP writes through the registry (POST /models)
and the dialogue (POST /kien-nghi) driven by wrk (bench/writes.lua: each request its own
Idempotency-Key), the services running as uvicorn processes with the aggregator following them.
While wrk runs, a probe writes marked records one after another and times each from its 2xx
response to its appearance in the aggregator (it waits on /followers/wait for the write's
X-Event-Position, then reads the models report or the kiến nghị listing until the record is
there): the follow lag, under load and again idle (also printed: the part until the
aggregator had applied the position, the rest being the report's or listing's own time). Then
both services at once, the connections shared. First of all, the framework's
floor: the same wrk load against a no-op FastAPI endpoint (bench/floor_app.py) that validates
the same body and answers at once, no authentication, middleware or store: what no service on
this stack can exceed on this machine; measured again after each store, the median of them all
is what the targets (issue 19) are judged against: writes/s >= 0.5 x the floor's requests/s,
service CPU per write <= 2 x the floor's per request, p99 <= 2 x the floor's; and the follow
lag: idle p50 <= 20 ms, under the load p95 <= 1 s. Each is printed PASS or FAIL.
Any non-2xx response fails the run. --workers N runs N uvicorn workers per service (each
with its own group commit; the rate limiter's window is per process). --follower-source stores
has the aggregator read the event stores directly instead of the services' GET /events (the
setting DANVAN_FOLLOWER_SOURCE).

    .venv/bin/python -m bench.writes [--stores postgres,sqlite] [--duration 10] [--connections 64]

Results are printed and written to bench/results/writes-<time>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import psycopg

from bench.spine import bare_append
from services.processes import Service, service_env
from shared.auth import TokenStore
from shared.principal import Role
from shared.settings import Settings
from testkit.databases import POSTGRES_ADMIN_URL, fresh_postgres_database, postgres_available

ROOT = Path(__file__).resolve().parents[1]
LUA = ROOT / "bench" / "writes.lua"
RESULTS = ROOT / "bench" / "results"
# issue 19's targets: ratios to the framework's floor measured in the same run, and lag bounds
RATE_SHARE, CPU_TIMES, P99_TIMES = 0.5, 2.0, 2.0
IDLE_LAG_P50_MS, LOADED_LAG_P95_MS = 20.0, 1000.0
ADMIN, AUDITOR = "bench-admin", "bench-auditor"
MARKER_YEAR = 2019  # load writes models of 2021; probes count models of this year


def framework_floor(args: argparse.Namespace, log_dir: Path) -> dict[str, Any]:
    """wrk against bench/floor_app.py alone, after a warm-up: requests/s, latencies and the
    CPU of its process per request."""
    floor = Service("floor", {**os.environ}, log_dir, app="bench.floor_app:create_app")
    floor.start()
    try:
        warm = argparse.Namespace(**{**vars(args), "duration": 2})
        wrk(floor.url, "model", "floor-warm", warm, args.connections)
        cpu = cpu_seconds(floor.process)
        result = wrk(floor.url, "model", "floor", args, args.connections)
        result["cpu_ms_per_request"] = (
            1000 * (cpu_seconds(floor.process) - cpu) / max(1, result["requests"])
        )
        result["load_during"] = load()
    finally:
        floor.stop()
    return result


def load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def cpu_seconds(process: subprocess.Popen[bytes] | None) -> float:
    """CPU time (user + system) a process and its waited-for children used so far."""
    if process is None:
        return 0.0
    fields = Path(f"/proc/{process.pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
    return ticks / os.sysconf("SC_CLK_TCK")


# the database alone


def pgbench_rate(clients: int, threads: int, seconds: int) -> dict[str, Any]:
    """pgbench in a scratch database: each transaction inserts one row into a scratch table."""
    name = f"danvan_pgbench_{uuid.uuid4().hex[:10]}"
    admin = f"{POSTGRES_ADMIN_URL}/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        with psycopg.connect(f"{POSTGRES_ADMIN_URL}/{name}", autocommit=True) as conn:
            conn.execute("CREATE TABLE scratch (id bigserial PRIMARY KEY, payload text)")
        with tempfile.NamedTemporaryFile("w", suffix=".sql") as script:
            script.write("INSERT INTO scratch (payload) VALUES ('one row, one commit');\n")
            script.flush()
            url = httpx.URL(POSTGRES_ADMIN_URL)
            command = [
                "pgbench",
                "-n",
                "-h",
                url.host or "127.0.0.1",
                "-p",
                str(url.port or 5432),
                "-U",
                url.username or "postgres",
                "-c",
                str(clients),
                "-j",
                str(threads),
                "-T",
                str(seconds),
                "-f",
                script.name,
                name,
            ]
            out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        tps = re.search(r"tps = ([\d.]+) \(without initial connection time\)", out)
        latency = re.search(r"latency average = ([\d.]+) ms", out)
        assert tps, out
        return {
            "tool": f"pgbench -c {clients} -j {threads} -T {seconds}, 1 INSERT per transaction",
            "commits_per_s": float(tps.group(1)),
            "latency_avg_ms": float(latency.group(1)) if latency else None,
        }
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def sqlite_commit_rate(seconds: float) -> dict[str, Any]:
    """One writer (SQLite serialises writers) committing one row at a time, WAL as the store."""
    with tempfile.TemporaryDirectory() as tmp:
        conn = sqlite3.connect(Path(tmp) / "scratch.db", isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE scratch (id INTEGER PRIMARY KEY, payload TEXT)")
        count, started = 0, time.perf_counter()
        while (elapsed := time.perf_counter() - started) < seconds:
            conn.execute("BEGIN")
            conn.execute("INSERT INTO scratch (payload) VALUES ('one row, one commit')")
            conn.execute("COMMIT")
            count += 1
        conn.close()
    return {"tool": "sqlite3, 1 writer, WAL", "commits_per_s": count / elapsed}


# the services


@dataclass
class System:
    registry: Service
    dialogue: Service
    aggregator: Service

    def client(self, service: Service, token: str) -> httpx.Client:
        return httpx.Client(
            base_url=service.url, headers={"Authorization": f"Bearer {token}"}, timeout=30
        )


@contextmanager
def running_system(settings: Settings, args: argparse.Namespace, log_dir: Path) -> Iterator[System]:
    env = service_env(
        settings,
        # the limiter still runs; all the clients share one token
        DANVAN_WRITE_RATE_LIMIT="100000000/minute",
        DANVAN_POSTGRES_POOL_SIZE=str(args.pool_size),
        DANVAN_FOLLOWER_WAIT_SECONDS="5",
        DANVAN_FOLLOWER_SOURCE=args.follower_source,
    )
    options = ["--workers", str(args.workers)] if args.workers > 1 else []
    registry = Service("registry", dict(env), log_dir, options=options)
    dialogue = Service("dialogue", dict(env), log_dir, options=options)
    aggregator = Service(
        "aggregator",
        {**env, "DANVAN_REGISTRY_URL": registry.url, "DANVAN_DIALOGUE_URL": dialogue.url},
        log_dir,
    )
    dialogue.env["DANVAN_AGGREGATOR_URL"] = aggregator.url
    if args.workers > 1:  # stores and tables made once, before the workers race to make them
        for service in (registry, dialogue):
            Service(service.name, service.env, log_dir).start(timeout=90).stop()
    started: list[Service] = []
    try:
        for service in (registry, dialogue, aggregator):
            started.append(service.start(timeout=90))
        yield System(registry, dialogue, aggregator)
    finally:
        for service in reversed(started):
            service.stop()


def wrk(
    url: str, kind: str, run: str, args: argparse.Namespace, connections: int
) -> dict[str, Any]:
    command = [
        "wrk",
        "-t",
        str(min(args.threads, connections)),
        "-c",
        str(connections),
        "-d",
        f"{args.duration}s",
        "--timeout",
        "10s",
        "--latency",
        "-s",
        str(LUA),
        url,
        "--",
        kind,
        ADMIN,
        run,
    ]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    seconds = result["duration_us"] / 1e6
    result.update(
        rate=result["requests"] / seconds,
        p50_ms=result["p50_us"] / 1000,
        p99_ms=result["p99_us"] / 1000,
        non_2xx=result["status"],
    )
    return result


# follow lag


class LagProbe(threading.Thread):
    """Writes a marked record, polls the aggregator until it shows, records the time between."""

    def __init__(self, system: System, kind: str, pause: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.kind, self.pause = kind, pause
        self.writer = system.client(system.registry if kind == "model" else system.dialogue, ADMIN)
        self.reader = system.client(system.aggregator, AUDITOR)
        self.lags: list[float] = []
        self.applied: list[float] = []  # until the aggregator had applied the write's position
        self.failures: list[str] = []
        self.stop = threading.Event()
        self.markers = self._count_markers() if kind == "model" else 0

    def _count_markers(self) -> int:
        response = self.reader.get("/reports/models", params={"model_year": MARKER_YEAR})
        response.raise_for_status()
        return int(response.json()["total"].get("registered", 0))

    def _write(self) -> tuple[str, int]:
        key = uuid.uuid4().hex
        if self.kind == "model":
            path, body = (
                "/models",
                {
                    "title": f"lag probe {key}",
                    "unit_code": "00004",
                    "body": "Hội LHPN",
                    "sector": "state",
                    "fields": ["economy"],
                    "year": MARKER_YEAR,
                    "registered_on": f"{MARKER_YEAR}-03-01",
                },
            )
        else:
            path, body = (
                "/kien-nghi",
                {
                    "source": "citizen_reception",
                    "unit_code": "00004",
                    "category": "other",
                    "content": f"lag probe {key}",
                    "received_on": "2024-05-02",
                },
            )
        response = self.writer.post(path, json=body, headers={"Idempotency-Key": key})
        if response.status_code != 201:
            raise RuntimeError(f"probe write {response.status_code}: {response.text[:200]}")
        record_id: str = response.json()["id"]
        return record_id, int(response.headers["X-Event-Position"])

    def _visible(self, record_id: str) -> bool:
        if self.kind == "model":
            return self._count_markers() > self.markers
        response = self.reader.get("/kien-nghi", params={"id": record_id, "limit": 1})
        response.raise_for_status()
        return bool(response.json()["items"])

    def probe(self, timeout: float = 30) -> None:
        record_id, position = self._write()
        written = time.perf_counter()
        # wait on the aggregator until it has applied that position (cheap, no polling of
        # reports), then see the record in the report or listing, polling if not yet there
        upstream = "registry" if self.kind == "model" else "dialogue"
        self.reader.get(
            "/followers/wait", params={upstream: position, "timeout": timeout}, timeout=timeout + 5
        )
        self.applied.append(time.perf_counter() - written)
        while time.perf_counter() - written < timeout:
            if self._visible(record_id):
                self.lags.append(time.perf_counter() - written)
                self.markers += 1
                return
            time.sleep(0.01)
        self.failures.append(f"{record_id} not visible after {timeout}s")
        self.markers += 1

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                self.probe()
            except Exception as exc:
                self.failures.append(f"{type(exc).__name__}: {exc}")
            self.stop.wait(self.pause)

    def summary(self) -> dict[str, Any]:
        lags = sorted(self.lags)
        if not lags:
            return {"probes": 0, "failures": self.failures}
        applied = sorted(self.applied)
        return {
            "probes": len(lags),
            "p50_ms": statistics.median(lags) * 1000,
            "p95_ms": lags[min(len(lags) - 1, int(len(lags) * 0.95))] * 1000,
            "max_ms": lags[-1] * 1000,
            "applied_p50_ms": statistics.median(applied) * 1000,
            "applied_max_ms": applied[-1] * 1000,
            "failures": self.failures,
        }


# one store


def events_head(system: System, service: Service) -> int:
    with system.client(service, AUDITOR) as client:
        response = client.get("/events/head")
        response.raise_for_status()
        return int(response.json()["position"])


def batches(system: System, service: Service) -> tuple[float, float]:
    """Group-commit transactions so far and the commands they saved (from /metrics)."""
    with system.client(service, AUDITOR) as client:
        text = client.get("/metrics").text
    found = dict.fromkeys(("_count", "_sum"), 0.0)
    for line in text.splitlines():
        if line.startswith("danvan_group_commit_batch_commands_"):
            name, value = line.split(" ")
            for suffix in found:
                if name.split("{")[0].endswith(suffix):
                    found[suffix] += float(value)
    return found["_count"], found["_sum"]


def wait_caught_up(system: System) -> None:
    with system.client(system.aggregator, AUDITOR) as client:
        response = client.get(
            "/followers/wait", params={"registry": "", "dialogue": "", "timeout": 60}
        )
        response.raise_for_status()


def write_load(system: System, args: argparse.Namespace) -> dict[str, Any]:
    runs: dict[str, Any] = {}
    tag = uuid.uuid4().hex[:8]
    for name, service, kind in (
        ("registry", system.registry, "model"),
        ("dialogue", system.dialogue, "kien_nghi"),
    ):
        warm = argparse.Namespace(**{**vars(args), "duration": 2})
        wrk(service.url, kind, f"warm-{tag}", warm, args.connections)
        wait_caught_up(system)
        before = events_head(system, service)
        transactions, commands = batches(system, service)
        cpu = cpu_seconds(service.process), cpu_seconds(system.aggregator.process)
        probe = LagProbe(system, kind)
        probe.start()
        load_before = load()
        result = wrk(service.url, kind, f"{name}-{tag}", args, args.connections)
        used = cpu_seconds(service.process) - cpu[0]
        result["service_cpu_s"] = used
        result["aggregator_cpu_s"] = cpu_seconds(system.aggregator.process) - cpu[1]
        if args.workers == 1:  # workers are children: their time shows only once they exit
            result["service_cpu_ms_per_write"] = 1000 * used / max(1, result["requests"])
        probe.stop.set()
        probe.join(timeout=60)
        result["load_during"] = load()
        result["load_before"] = load_before
        result["events_per_write"] = (events_head(system, service) - before) / max(
            1, result["requests"] + len(probe.lags) + len(probe.failures)
        )
        after_transactions, after_commands = batches(system, service)
        result["transactions"] = after_transactions - transactions
        result["commands_per_transaction"] = (after_commands - commands) / max(
            1, after_transactions - transactions
        )
        result["lag_under_load"] = probe.summary()
        wait_caught_up(system)
        idle = LagProbe(system, kind)
        for _ in range(args.idle_probes):
            idle.probe()
        result["lag_idle"] = idle.summary()
        runs[name] = result
    # both services at once, the connections shared between them
    half = max(1, args.connections // 2)
    both: dict[str, Any] = {}

    def drive(name: str, service: Service, kind: str) -> None:
        both[name] = wrk(service.url, kind, f"both-{name}-{tag}", args, half)

    threads = [
        threading.Thread(target=drive, args=("registry", system.registry, "model")),
        threading.Thread(target=drive, args=("dialogue", system.dialogue, "kien_nghi")),
    ]
    probe = LagProbe(system, "kien_nghi")
    probe.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    probe.stop.set()
    probe.join(timeout=60)
    runs["both"] = {
        "rate": both["registry"]["rate"] + both["dialogue"]["rate"],
        "p50_ms": max(both["registry"]["p50_ms"], both["dialogue"]["p50_ms"]),
        "p99_ms": max(both["registry"]["p99_ms"], both["dialogue"]["p99_ms"]),
        "non_2xx": both["registry"]["non_2xx"] + both["dialogue"]["non_2xx"],
        "timeout": both["registry"]["timeout"] + both["dialogue"]["timeout"],
        "parts": both,
        "lag_under_load": probe.summary(),
        "load_during": load(),
    }
    return runs


def measure(store: str, args: argparse.Namespace) -> dict[str, Any]:
    result: dict[str, Any] = {"store": store, "load_start": load()}
    if store == "postgres":
        result["database"] = pgbench_rate(args.connections, 2, args.pgbench_seconds)
    else:
        result["database"] = sqlite_commit_rate(args.pgbench_seconds)
    with fresh_store(store) as url, tempfile.TemporaryDirectory() as tmp:
        bare_settings = Settings(data_dir=Path(tmp), database_url=url)
        result["bare_append"] = {
            "per_save_1": bare_append(bare_settings, args.events, 1),
            "per_save_50": bare_append(bare_settings, args.events, 50),
        }
    with fresh_store(store) as url, tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), database_url=url, upstream_token=AUDITOR)
        tokens = TokenStore(settings.token_path)
        tokens.issue("bench", Role.ADMIN, [], token=ADMIN)
        tokens.issue("bench-auditor", Role.AUDITOR, [], token=AUDITOR)
        with running_system(settings, args, Path(tmp)) as system:
            result["http"] = write_load(system, args)
    result["load_end"] = load()
    return result


@contextmanager
def fresh_store(store: str) -> Iterator[str | None]:
    if store == "sqlite":
        yield None
    else:
        with fresh_postgres_database() as url:
            yield url


# report


def median_floor(floors: list[dict[str, Any]]) -> dict[str, Any]:
    """The floor the targets are judged against: each figure's median over the run's
    measurements (the floor itself moves by half between runs on this machine)."""
    keys = ("rate", "p50_ms", "p99_ms", "cpu_ms_per_request")
    return {k: statistics.median(f[k] for f in floors) for k in keys} | {"runs": len(floors)}


def floor_report(floors: list[dict[str, Any]]) -> str:
    floor = median_floor(floors)
    spread = ", ".join(
        f"{f['rate']:,.0f}/s {f['cpu_ms_per_request']:.2f} ms p99 {f['p99_ms']:.0f} ms"
        for f in floors
    )
    return (
        f"framework floor (no-op FastAPI POST /models, same body and wrk load, 1 uvicorn process), "
        f"median of {floor['runs']}: {floor['rate']:,.0f} req/s p99 {floor['p99_ms']:.1f} ms, "
        f"{floor['cpu_ms_per_request']:.2f} ms CPU/request  (each: {spread})"
    )


def verdict(run: dict[str, Any], floor: dict[str, Any]) -> dict[str, bool | None]:
    """Each of issue 19's targets: True, False, or None where the run could not measure it
    (a service's CPU with several workers; the idle lag with both services loaded)."""
    cpu = run.get("service_cpu_ms_per_write")
    idle = run.get("lag_idle", {})
    loaded = run["lag_under_load"]
    return {
        f"rate>={RATE_SHARE}xfloor": run["rate"] >= RATE_SHARE * floor["rate"],
        f"cpu<={CPU_TIMES:.0f}xfloor": None
        if cpu is None
        else cpu <= CPU_TIMES * floor["cpu_ms_per_request"],
        f"p99<={P99_TIMES:.0f}xfloor": run["p99_ms"] <= P99_TIMES * floor["p99_ms"],
        f"idle lag p50<={IDLE_LAG_P50_MS:.0f}ms": idle["p50_ms"] <= IDLE_LAG_P50_MS
        if idle.get("probes")
        else None,
        f"loaded lag p95<={LOADED_LAG_P95_MS:.0f}ms": loaded["p95_ms"] <= LOADED_LAG_P95_MS
        if loaded.get("probes")
        else None,
    }


def marks(checks: dict[str, bool | None]) -> str:
    return " ".join(
        f"{name}:{'-' if ok is None else 'PASS' if ok else 'FAIL'}" for name, ok in checks.items()
    )


def report(r: dict[str, Any], floor: dict[str, Any]) -> list[str]:
    db = r["database"]["commits_per_s"]
    bare1, bare50 = r["bare_append"]["per_save_1"], r["bare_append"]["per_save_50"]
    lines = [
        f"== {r['store']}  load {r['load_start']} -> {r['load_end']}",
        f"database single-row commits/s {db:,.0f}  ({r['database']['tool']})",
        f"bare append events/s: 1/save {bare1:,.0f}   50/save {bare50:,.0f}",
        f"{'HTTP writes':12} {'w/s':>7} {'/floor':>6} {'cpu ms':>6} {'/floor':>6} {'p99 ms':>7} "
        f"{'/floor':>6} {'/db':>5} {'/bare1':>6} {'/bare50':>7} {'non2xx':>6}  "
        "follow lag under load p50/p95/max ms (n)  idle  targets",
    ]
    for name, run in r["http"].items():
        lag = run["lag_under_load"]
        idle = run.get("lag_idle", {})
        notes = marks(verdict(run, floor))
        lag_text = (
            f"{lag['p50_ms']:.0f}/{lag['p95_ms']:.0f}/{lag['max_ms']:.0f} ({lag['probes']})"
            if lag.get("probes")
            else "-"
        )
        if lag.get("probes"):
            notes += f"  applied p50/max {lag['applied_p50_ms']:.0f}/{lag['applied_max_ms']:.0f} ms"
        idle_text = (
            f"{idle['p50_ms']:.0f}/{idle['p95_ms']:.0f}/{idle['max_ms']:.0f}"
            if idle.get("probes")
            else "-"
        )
        cpu = run.get("service_cpu_ms_per_write")
        if "service_cpu_s" in run:
            notes += (
                f"  service {run['service_cpu_s'] / (run['duration_us'] / 1e6):.0%} of a core, "
                f"aggregator {run['aggregator_cpu_s'] / (run['duration_us'] / 1e6):.0%}"
            )
        if "commands_per_transaction" in run:
            notes += f"  {run['commands_per_transaction']:.1f} writes/transaction"
        cpu_text = "-" if cpu is None else f"{cpu:.2f}"
        cpu_ratio = "-" if cpu is None else f"{cpu / floor['cpu_ms_per_request']:.1f}"
        lines.append(
            f"{name:12} {run['rate']:>7,.0f} {run['rate'] / floor['rate']:>6.2f} {cpu_text:>6} "
            f"{cpu_ratio:>6} {run['p99_ms']:>7.1f} {run['p99_ms'] / floor['p99_ms']:>6.1f} "
            f"{run['rate'] / db:>5.2f} {run['rate'] / bare1:>6.2f} {run['rate'] / bare50:>7.2f} "
            f"{run['non_2xx']:>6}  {lag_text:>30}  {idle_text}  {notes}  load {run['load_during']}"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--stores", default="postgres,sqlite")
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per service")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--pgbench-seconds", type=int, default=10)
    parser.add_argument("--events", type=int, default=3000, help="events for the bare append")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn workers per service")
    parser.add_argument("--pool-size", type=int, default=Settings().postgres_pool_size)
    parser.add_argument("--idle-probes", type=int, default=10)
    parser.add_argument(
        "--follower-source",
        choices=["feeds", "stores"],
        default="feeds",
        help="the aggregator follows GET /events (feeds) or the event stores directly",
    )
    args = parser.parse_args()
    stores = [s for s in args.stores.split(",") if s != "postgres" or postgres_available()]
    started = datetime.now(UTC)
    print(
        f"write benchmark {started:%Y-%m-%d %H:%M:%S} UTC, "
        f"load average {load()}, {os.cpu_count()} CPUs, the aggregator following the "
        f"{args.follower_source}"
    )

    def measure_floor() -> None:
        with tempfile.TemporaryDirectory() as tmp:
            floors.append(framework_floor(args, Path(tmp)))

    floors: list[dict[str, Any]] = []
    measure_floor()
    results = []
    failed = []
    missed = []
    for store in stores:
        r = measure(store, args)
        measure_floor()  # before and after every store: the median is the run's floor
        results.append(r)
    floor = median_floor(floors)
    print(floor_report(floors))
    for r in results:
        store = r["store"]
        print("\n".join(report(r, floor)), flush=True)
        for name, run in r["http"].items():
            missed += [
                f"{store} {name} {k}" for k, ok in verdict(run, floor).items() if ok is False
            ]
        for name, run in r["http"].items():
            if run["non_2xx"] or run.get("timeout"):
                failed.append(
                    f"{store} {name}: {run['non_2xx']} non-2xx, {run['timeout']} timeouts"
                )
            lag = run["lag_under_load"]
            if lag.get("failures"):
                failed.append(f"{store} {name}: follow-lag probe failures {lag['failures'][:3]}")
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"writes-{started:%Y%m%dT%H%M%S}.json"
    out.write_text(
        json.dumps(
            {
                "started": started.isoformat(),
                "args": vars(args),
                "cpus": os.cpu_count(),
                "floors": floors,
                "floor": floor,
                "load_end": load(),
                "stores": results,
            },
            indent=2,
        )
    )
    print(f"load average at the end {load()}; results in {out.relative_to(ROOT)}")
    print("targets missed: " + (", ".join(missed) if missed else "none"))
    if failed:
        print("FAILED:\n  " + "\n  ".join(failed), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
