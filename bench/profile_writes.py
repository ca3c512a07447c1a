"""Where a write's CPU goes: one write service (no aggregator) under the wrk load of
bench/writes.py, sampled by py-spy while they hold the GIL (what runs Python), then the functions
that took the most of its samples, inclusive and exclusive, printed.

    .venv/bin/python -m bench.profile_writes [--service registry|dialogue|floor]
        [--store postgres|sqlite] [--duration 15] [--connections 64]

py-spy must be installed (`pip install py-spy`); the raw profile goes to
bench/results/profile-<service>-<store>-<time>.txt (collapsed stacks, flamegraph.pl's input).
"""

from __future__ import annotations

import argparse
import collections
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from bench.writes import ADMIN, AUDITOR, RESULTS, cpu_seconds, fresh_store, load, wrk
from services.processes import Service, service_env
from shared.auth import TokenStore
from shared.principal import Role
from shared.settings import Settings

KINDS = {
    "registry": "model",
    "dialogue": "kien_nghi",
    "floor": "model",
}  # floor: bench/floor_app.py


def summarise(collapsed: Path, top: int) -> list[str]:
    inclusive: collections.Counter[str] = collections.Counter()
    exclusive: collections.Counter[str] = collections.Counter()
    threads: collections.Counter[str] = collections.Counter()
    total = 0
    for line in collapsed.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        samples = int(count)
        total += samples
        thread, *frames = stack.split(";")  # "thread (id): name", then the frames
        threads[thread.rpartition(": ")[2]] += samples
        if not frames:
            continue
        for frame in set(frames):
            inclusive[frame] += samples
        exclusive[frames[-1]] += samples
    lines = [
        f"{total} samples holding the GIL, by thread: "
        + ", ".join(f"{name} {n / total:.0%}" for name, n in threads.most_common(6))
    ]
    for title, counter in (("inclusive", inclusive), ("exclusive", exclusive)):
        lines.append(f"-- {title}")
        lines += [f"{n / total:6.1%}  {frame}" for frame, n in counter.most_common(top)]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--service", choices=sorted(KINDS), default="registry")
    parser.add_argument("--store", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--top", type=int, default=45)
    args = parser.parse_args()
    RESULTS.mkdir(exist_ok=True)
    started = datetime.now(UTC)
    out = RESULTS / f"profile-{args.service}-{args.store}-{started:%Y%m%dT%H%M%S}.txt"
    with fresh_store(args.store) as url, tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), database_url=url, upstream_token=AUDITOR)
        TokenStore(settings.token_path).issue("bench", Role.ADMIN, [], token=ADMIN)
        env = service_env(settings, DANVAN_WRITE_RATE_LIMIT="100000000/minute")
        app = "bench.floor_app:create_app" if args.service == "floor" else None
        service = Service(args.service, env, Path(tmp), app=app).start(timeout=90)
        try:
            kind = KINDS[args.service]
            warm = argparse.Namespace(**{**vars(args), "duration": 2})
            wrk(service.url, kind, "warm", warm, args.connections)
            assert service.process is not None
            spy = subprocess.Popen(
                [
                    str(Path(sys.executable).with_name("py-spy")),
                    "record",
                    "--pid",
                    str(service.process.pid),
                    "--format",
                    "raw",
                    "--output",
                    str(out),
                    "--rate",
                    "250",
                    "--gil",
                    "--threads",
                    "--duration",
                    str(args.duration),
                ],
                stdout=subprocess.DEVNULL,
            )
            cpu = cpu_seconds(service.process)
            result = wrk(service.url, kind, "profiled", args, args.connections)
            used = cpu_seconds(service.process) - cpu
            spy.wait(timeout=args.duration + 60)
        finally:
            service.stop()
    print(
        f"{args.service} on {args.store}: {result['rate']:,.0f} writes/s, p99 "
        f"{result['p99_ms']:.0f} ms, {1000 * used / max(1, result['requests']):.2f} ms CPU/write "
        f"(under py-spy), non-2xx {result['non_2xx']}, load {load()}"
    )
    print("\n".join(summarise(out, args.top)))


if __name__ == "__main__":
    main()
