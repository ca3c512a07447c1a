"""Fault injection, the long version of tests/faults/test_sigkill.py.

Starts registry, dialogue and aggregator as processes on a fresh store, sends `writes` writes
from `clients` threads (each under its own Idempotency-Key, retried with it on no answer, 5xx
or 429), and `rounds` times over the load SIGKILLs registry, dialogue, aggregator and (on
PostgreSQL, when it is a local cluster this user may control) PostgreSQL itself, restarting
each after a pause. Then proves from the feeds and the read models: every acknowledged write
stored exactly once, none twice, read models equal to a clean `danvan rebuild`, report totals
equal to the writes stored. Prints the figures; exits 1 if any proof fails.

    .venv/bin/python -m bench.faults [--writes 3000] [--clients 16] [--rounds 3]
                                     [--store sqlite|postgres|both] [--rate N] [--pause 0.5]
                                     [--follower-source feeds|stores]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

from shared.auth import TokenStore
from shared.settings import Settings
from testkit.databases import fresh_postgres_database, postgres_available
from testkit.faults.harness import Recovery, run_faults, running_services
from testkit.faults.postgres import Cluster
from testkit.faults.proofs import prove
from testkit.tokens import TOKENS


@contextmanager
def fresh_settings(store: str) -> Iterator[Settings]:
    with tempfile.TemporaryDirectory(prefix="danvan-faults-") as tmp:
        database = fresh_postgres_database() if store == "postgres" else nullcontext(None)
        with database as url:
            settings = Settings(
                _env_file=None,
                data_dir=Path(tmp) / "data",
                database_url=url,
                upstream_token="token-auditor",
            )
            tokens = TokenStore(settings.token_path)
            for name, (principal, role, units) in TOKENS.items():
                tokens.issue(principal, role, units, token=f"token-{name}")
            yield settings


def recovery_table(recoveries: list[Recovery]) -> list[str]:
    lines = [r.describe() for r in recoveries]
    by_target: dict[str, list[Recovery]] = {}
    for recovery in recoveries:
        by_target.setdefault(recovery.target, []).append(recovery)
    for target, group in by_target.items():
        back = [r.back for r in group if r.back is not None]
        writes = [t for r in group for t in r.writes.values() if t is not None]
        caught = [r.caught_up for r in group if r.caught_up is not None]
        lines.append(
            f"  {target:<10} x{len(group)}: back median {statistics.median(back):.2f}s "
            f"max {max(back):.2f}s"
            + (f"; writes again max {max(writes):.2f}s" if writes else "")
            + (f"; caught up max {max(caught):.2f}s" if caught else "; caught up: never")
            + ("" if all(r.self_healed for r in group) else "; DID NOT RECOVER BY ITSELF")
        )
    return lines


def measure(store: str, args: argparse.Namespace) -> bool:
    cluster = Cluster.local() if store == "postgres" else None
    if store == "postgres" and cluster is None:
        print("postgres: not a local cluster this user may kill; PostgreSQL is not killed")
    with (
        fresh_settings(store) as settings,
        running_services(settings, follower_source=args.follower_source) as services,
    ):
        run = run_faults(
            services,
            writes=args.writes,
            clients=args.clients,
            rounds=args.rounds,
            rate=args.rate,
            pause=args.pause,
            recover_timeout=args.recover_timeout,
            cluster=cluster,
            prefix="bench",
        )
        started = time.monotonic()
        proof = prove(services, run.outcomes)
        proving = time.monotonic() - started
    ok = not proof.problems() and all(r.self_healed for r in run.recoveries)
    print(
        f"\n== {store}: {len(run.recoveries)} kills in {run.seconds:.1f}s, proved in {proving:.1f}s"
    )
    print(
        f"writes          {proof.writes} ({args.writes} load + {proof.writes - args.writes} probes)"
    )
    print(f"acknowledged    {proof.acknowledged}")
    print(f"retried         {proof.retried} writes, {proof.attempts - proof.writes} extra attempts")
    seen = Counter(e for o in run.outcomes for e in o.errors if len(e) < 40)
    print(f"answers retried {dict(seen.most_common())}")
    print(f"replayed        {proof.replayed} answers (an earlier attempt had committed)")
    print(f"given up        {proof.gave_up} ({proof.gave_up_present} of them stored, once)")
    print(f"rejected        {proof.rejected}")
    print(f"duplicates      {len(proof.duplicates)} (must be 0)")
    print(f"missing acked   {len(proof.missing)} (must be 0)")
    print(f"report totals   {proof.totals} (stored: {proof.expected})")
    print(f"rebuild equal   {proof.tables_equal} (rows: {proof.rows})")
    print("recovery, seconds from each kill:")
    for line in recovery_table(run.recoveries):
        print(f"  {line}")
    for problem in proof.problems():
        print(f"PROBLEM: {problem}")
    print("OK" if ok else "FAILED")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--writes", type=int, default=3000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3, help="kill cycles over the load")
    parser.add_argument("--store", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--rate", type=float, default=None, help="writes/s (default: flat out)")
    parser.add_argument("--pause", type=float, default=0.5, help="seconds dead before restart")
    parser.add_argument("--recover-timeout", type=float, default=30.0)
    parser.add_argument(
        "--follower-source",
        choices=["feeds", "stores"],
        default="feeds",
        help="the aggregator follows GET /events (feeds) or the event stores directly",
    )
    args = parser.parse_args()
    stores = ["sqlite", "postgres"] if args.store == "both" else [args.store]
    if "postgres" in stores and not postgres_available():
        print("PostgreSQL not reachable: SQLite only")
        stores.remove("postgres")
    results = [measure(store, args) for store in stores]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
