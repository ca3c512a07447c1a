"""Catch-up against rebuild (issue 19): the live aggregator, behind by whole scenarios, against
`danvan rebuild` on the same stores, in one run.

For each store it loads the seed scenarios into stores of its own (bench/rebuild.py's, reused by
later runs), then:
1. `danvan rebuild --source stores` in a child process: events/s (the rebuild's rate);
2. the read models dropped, an aggregator started under uvicorn as `danvan up` starts it
   (following the stores, or with --source feeds the registry's and dialogue's GET /events, both
   services running), timed from its start until /followers/wait answers that both followers
   are at their upstream's head: events/s (the catch-up rate), with the aggregator's CPU.
It prints the ratio, PASS or FAIL against the target (catch-up >= 0.5 x rebuild), and the load.

    .venv/bin/python -m bench.catchup [--stores sqlite,postgres] [--source stores,feeds]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

import httpx

from bench.rebuild import load, rebuild_in_child, settings_for
from bench.writes import cpu_seconds
from services.aggregator.database import create_read_model_engine, drop_read_models
from services.processes import Service, service_env
from shared.auth import TokenStore
from shared.principal import Role
from shared.settings import Settings
from testkit.databases import postgres_available

TARGET_SHARE = 0.5  # of the rebuild's rate
AUDITOR = "bench-catchup-auditor"


def catch_up(
    settings: Settings,
    source: str,
    log_dir: Path,
    extra_env: dict[str, str],
    profile: Path | None = None,
) -> tuple[float, float]:
    """Seconds from the aggregator's start until it is at both heads, and its CPU seconds."""
    engine = create_read_model_engine(settings)
    try:
        drop_read_models(engine)
    finally:
        engine.dispose()
    TokenStore(settings.token_path).issue("bench", Role.AUDITOR, [], token=AUDITOR)
    env = service_env(
        settings.model_copy(update={"upstream_token": AUDITOR}),
        DANVAN_FOLLOWER_SOURCE=source,
        DANVAN_JSON_LOGS="0",
        **extra_env,
    )
    with ExitStack() as stack:
        if source == "feeds":
            for name in ("registry", "dialogue"):
                service = Service(name, dict(env), log_dir).start(timeout=120)
                stack.callback(service.stop)
                env[f"DANVAN_{name.upper()}_URL"] = service.url
        started = time.perf_counter()
        aggregator = Service("aggregator", env, log_dir).start(timeout=120)
        stack.callback(aggregator.stop)
        if profile is not None:  # py-spy on the aggregator until it stops
            assert aggregator.process is not None
            spy = [str(Path(sys.executable).with_name("py-spy")), "record", "--format", "raw"]
            spy += ["--pid", str(aggregator.process.pid), "--output", str(profile), "--gil"]
            stack.callback(subprocess.Popen(spy, stdout=subprocess.DEVNULL).wait, 60)
        with httpx.Client(
            base_url=aggregator.url, headers={"Authorization": f"Bearer {AUDITOR}"}, timeout=90
        ) as client:
            while True:
                answer = client.get(
                    "/followers/wait", params={"registry": "", "dialogue": "", "timeout": 60}
                )
                if answer.status_code == 200:
                    break
                if answer.status_code != 504:  # still behind when the wait ran out: wait again
                    raise SystemExit(f"/followers/wait: {answer.status_code} {answer.text}")
        return time.perf_counter() - started, cpu_seconds(aggregator.process)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--stores", default="sqlite,postgres")
    parser.add_argument("--source", default="stores", help="stores, feeds or both")
    parser.add_argument("--work", type=Path, default=Path("/tmp/danvan-bench-rebuild"))
    parser.add_argument("--env", action="append", default=[], help="NAME=VALUE for the aggregator")
    parser.add_argument("--profile", type=Path, help="py-spy's raw profile of the aggregator here")
    args = parser.parse_args()
    extra_env = dict(item.split("=", 1) for item in args.env)
    stores = [s for s in args.stores.split(",") if s != "postgres" or postgres_available()]
    lines, missed = [], []
    print(f"load average {os.getloadavg()}, {os.cpu_count()} CPUs")
    for store in stores:
        settings = settings_for(store, "seed", args.work)
        load(settings, "seed")
        rebuilt = rebuild_in_child(settings)
        for source in args.source.split(","):
            with tempfile.TemporaryDirectory() as logs:
                seconds, cpu = catch_up(settings, source, Path(logs), extra_env, args.profile)
            rate = rebuilt.events / seconds
            share = rate / rebuilt.rate
            if share < TARGET_SHARE:
                missed.append(f"{store} {source}")
            line = (
                f"{store:8} {source:6} {rebuilt.events:>9,} events  "
                f"rebuild {rebuilt.rate:>7,.0f}/s "
                f"({rebuilt.seconds:.0f} s)  catch-up {rate:>7,.0f}/s ({seconds:.0f} s, aggregator "
                f"CPU {cpu:.0f} s)  ratio {share:.2f}  load {os.getloadavg()[0]:.2f}"
            )
            print(line, flush=True)
            lines.append(line)
    print("\n".join(["", *lines]))
    print(f"catch-up >= {TARGET_SHARE} x rebuild: " + (f"FAIL {missed}" if missed else "PASS"))


if __name__ == "__main__":
    main()
