"""danvan: start the system, load the seed scenarios, rebuild read models, issue tokens,
verify and export the sealed event feeds, back up the data folder, import from Excel, witness
a log's checkpoints."""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import time
from pathlib import Path

from eventsourcing.persistence import ProgrammingError

from services.importing.command import add_import_command, run_import
from services.processes import Service
from services.scenarios.agencies import CLERK_AGENCY
from services.store_names import APPLICATION_NAMES
from shared.audit.commands import add_source_arguments, add_witness_arguments
from shared.audit.receipt_command import add_verify_receipt_command, run_verify_receipt
from shared.audit.witness_command import add_witness_command, run_witness
from shared.auth import TokenStore
from shared.principal import Role
from shared.settings import Settings

SERVICES = {"aggregator": 8000, "registry": 8001, "dialogue": 8002}
# token: principal, role, units, agency (a clerk's)
DEMO_TOKENS: dict[str, tuple[str, Role, list[str], str | None]] = {
    "demo-admin": ("admin", Role.ADMIN, [], None),
    "demo-officer-hanoi": ("officer-hanoi", Role.OFFICER, ["01"], None),
    "demo-clerk-hanoi": ("clerk-hanoi", Role.OFFICER, ["01"], CLERK_AGENCY),
    "demo-auditor": ("auditor", Role.AUDITOR, [], None),
}


DEMO_SCENARIOS = ["haiphong", "halong", "hanoi", "handling", "office"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="danvan", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    up = commands.add_parser("up", help="start registry, dialogue and aggregator here")
    up.add_argument("--no-demo", action="store_true", help="do not load the seed scenarios")
    up.add_argument(
        "--scenario",
        action="append",
        choices=DEMO_SCENARIOS,
        help="scenarios to load before starting (default: all five, each once)",
    )
    up.add_argument("--host", default="127.0.0.1")

    rebuild = commands.add_parser(
        "rebuild", help="drop the read models and replay every feed (or export) from 0"
    )
    rebuild.add_argument(
        "--from-export",
        action="append",
        default=[],
        metavar="[NAME=]FILE",
        help="replay this export instead of the live feed (repeatable; NAME: registry, dialogue)",
    )
    rebuild.add_argument("--public-key", type=Path, help="verify each export before replaying")
    rebuild.add_argument(
        "--source",
        choices=["auto", "stores", "feeds"],
        default="auto",
        help="read the event stores directly (fast), the services' GET /events, or the stores "
        "when these settings reach them and the feeds otherwise (default)",
    )

    verify = commands.add_parser(
        "verify", help="recompute a feed's hash chain and check its signed checkpoints"
    )
    add_source_arguments(verify, export=True)
    verify.add_argument(
        "--public-key",
        type=Path,
        action="append",
        required=True,
        help="PEM, obtained out of band (repeatable: old and new key after a key change)",
    )
    verify.add_argument(
        "--known-checkpoints",
        type=Path,
        action="append",
        default=[],
        help="checkpoints kept from an earlier export (or GET /events/checkpoints); repeatable",
    )
    verify.add_argument(
        "--max-unsigned",
        type=int,
        help="fail if more events follow the last checkpoint "
        "(default: twice DANVAN_CHECKPOINT_EVERY_EVENTS; -1: no limit)",
    )
    add_witness_arguments(verify)
    verify.add_argument("--json", action="store_true", help="a JSON report")

    export = commands.add_parser("export", help="write a write service's history as JSON Lines")
    add_source_arguments(export, export=False)
    export.add_argument("--output", "-o", type=Path, help="the file (default: standard output)")

    backup = commands.add_parser(
        "backup", help="copy what the data folder holds that cannot be rebuilt (stores, keys)"
    )
    backup.add_argument("target", type=Path, help="a new or empty folder")

    scenario = commands.add_parser(
        "scenario",
        help="write a demo scenario (hanoi, haiphong, halong: the seeds; handling: kiến nghị "
        "handled by the rules, to today; office: Hà Nội's work from last January to today, "
        "and the demo clerk's inbox) or the national data set "
        "(national: ~10 million events at scale 1) into the stores, once",
    )
    scenario.add_argument("name", choices=[*DEMO_SCENARIOS, "national"])
    scenario.add_argument("--scale", type=float, default=1.0, help="share of the seed figures")
    scenario.add_argument("--seed", type=int, default=2023)

    token = commands.add_parser("token", help="issue a bearer token (printed once, kept hashed)")
    token.add_argument("principal")
    token.add_argument("--role", choices=[r.value for r in Role], required=True)
    token.add_argument("--unit", action="append", default=[], help="scope (repeatable)")
    token.add_argument(
        "--agency",
        help="the agency a clerk works for, as kiến nghị are assigned to it (its inbox)",
    )

    revoke = commands.add_parser("revoke", help="revoke every token of a principal")
    revoke.add_argument("principal")
    commands.add_parser("tokens", help="list issued tokens (hashes only) and their state")
    add_import_command(commands)
    add_witness_command(commands)
    add_verify_receipt_command(commands)

    args = parser.parse_args(argv)
    settings = Settings()
    if args.command == "up":
        scenarios = [] if args.no_demo else (args.scenario or DEMO_SCENARIOS)
        return run_up(settings, host=args.host, scenarios=scenarios)
    if args.command == "rebuild":
        return run_rebuild(settings, args.from_export, args.public_key, args.source)
    if args.command in ("verify", "export"):
        from shared.audit.commands import run_export, run_verify

        run = run_verify if args.command == "verify" else run_export
        try:
            return run(args, settings, APPLICATION_NAMES)
        except (FileNotFoundError, ProgrammingError) as exc:  # no such store, or no tables
            raise SystemExit(f"cannot read the store: {exc}") from None
    if args.command == "witness":
        return run_witness(args, settings)
    if args.command == "verify-receipt":
        return run_verify_receipt(args)
    if args.command == "backup":
        return run_backup(settings, args.target)
    if args.command == "import":
        return run_import(args, settings)
    if args.command == "scenario":
        from services.scenarios.loader import load_scenario

        result = load_scenario(settings, args.name, scale=args.scale, seed=args.seed)
        if result is not None:
            result.pop("tally", None)  # the national scenario's counts by province and year
        print(f"{args.name}: {result or 'already in these stores'}")
        return 0
    if args.command == "revoke":
        revoked = TokenStore(settings.token_path).revoke(args.principal)
        print(f"revoked {revoked} token(s) of {args.principal}")
        return 0 if revoked else 1
    if args.command == "tokens":
        for entry in TokenStore(settings.token_path).listing():
            state = f"revoked {entry['revoked_at']}" if entry.get("revoked_at") else "live"
            agency = entry.get("agency") or "-"
            units = ",".join(entry["units"])
            print(f"{entry['id']:24} {entry['role']:8} {units:12} {state:8} {agency}")
        return 0
    if args.command == "token":
        agency = args.agency.strip() if args.agency else None
        if args.agency is not None and (not agency or args.role != Role.OFFICER):
            raise SystemExit("--agency names the agency of an officer (a clerk): a name")
        issued = TokenStore(settings.token_path).issue(
            args.principal, Role(args.role), args.unit, agency=agency
        )
        print(issued)
        return 0
    return 2


def run_rebuild(
    settings: Settings, exports: list[str], public_key: Path | None, source: str = "auto"
) -> int:
    from services.aggregator.rebuild import rebuild_from_exports

    if not exports:
        return rebuild_live(settings, source)
    named: list[tuple[str | None, Path]] = []
    for given in exports:
        name, _, path = given.partition("=")
        named.append((name, Path(path)) if name.isidentifier() else (None, Path(given)))
    applied = rebuild_from_exports(settings, named, public_key)
    print(f"rebuilt from exports: {applied}")
    return 0


def rebuild_live(settings: Settings, source: str) -> int:
    """From the event stores when these settings reach them (or --source stores), else from
    the services' feeds; whichever is opened is closed again."""
    from services.aggregator.main import upstream_clients
    from services.aggregator.rebuild import rebuild
    from services.aggregator.stores import store_feeds

    with contextlib.ExitStack() as opened:
        if source != "feeds":
            try:
                stores = store_feeds(settings, APPLICATION_NAMES)
            except Exception as exc:
                if source == "stores":
                    raise SystemExit(f"cannot read the event stores: {exc}") from None
                print(f"event stores not at hand ({exc}); replaying the feeds over HTTP")
            else:
                for store in stores.values():
                    opened.callback(store.close)
                print(f"rebuilt from the event stores: {rebuild(settings, stores)}")
                return 0
        clients = upstream_clients(settings)
        for client in clients.values():
            opened.callback(client.close)
        print(f"rebuilt: {rebuild(settings, clients)}")
        return 0


def run_backup(settings: Settings, target: Path) -> int:
    from shared.backup import backup, kept_elsewhere

    copied = backup(settings, target)
    print(f"backed up into {target}: {', '.join(copied) or 'nothing'}")
    for thing in kept_elsewhere(settings):
        print(f"not in the data folder, back it up too: {thing}")
    return 0


def run_up(settings: Settings, *, host: str, scenarios: list[str]) -> int:
    """Loads the scenarios not yet in the stores, then starts each service as its own uvicorn
    process on the embedded default (or PostgreSQL); the aggregator catches up on its own."""
    from services.scenarios.loader import load_scenario

    for name in scenarios:
        result = load_scenario(settings, name)
        print(f"scenario {name}: {result or 'already loaded'}")
    if scenarios:  # demo data, demo tokens; --no-demo issues none (a production start)
        store = TokenStore(settings.token_path)
        for token, (principal, role, units, agency) in DEMO_TOKENS.items():
            if store.principal_for(token) is None:
                store.issue(principal, role, units, token=token, agency=agency)
    env = {
        **os.environ,
        "DANVAN_DATA_DIR": str(settings.data_dir.resolve()),
        "DANVAN_REGISTRY_URL": f"http://{host}:{SERVICES['registry']}",
        "DANVAN_DIALOGUE_URL": f"http://{host}:{SERVICES['dialogue']}",
        "DANVAN_AGGREGATOR_URL": f"http://{host}:{SERVICES['aggregator']}",
        "DANVAN_UPSTREAM_TOKEN": settings.upstream_token or "demo-auditor",
        # one data folder or database for all three: the aggregator reads the stores themselves
        "DANVAN_FOLLOWER_SOURCE": os.environ.get("DANVAN_FOLLOWER_SOURCE", "stores"),
    }
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    services = [Service(name, env, None, port, host) for name, port in SERVICES.items()]
    try:
        for service in services:
            service.start()
        print(
            f"\ndanvan is running:\n"
            f"  registry   http://{host}:{SERVICES['registry']}/docs\n"
            f"  dialogue   http://{host}:{SERVICES['dialogue']}/docs\n"
            f"  aggregator http://{host}:{SERVICES['aggregator']}/docs\n"
            f"  dashboard  http://{host}:{SERVICES['aggregator']}/dashboard "
            f"(sign in with demo-officer-hanoi or demo-auditor)\n"
            f"  a clerk's inbox: curl -H 'Authorization: Bearer demo-clerk-hanoi' "
            f"'http://{host}:{SERVICES['aggregator']}/kien-nghi/inbox?view=due_soon'\n"
            f"  try: curl -H 'Authorization: Bearer demo-auditor' "
            f"'http://{host}:{SERVICES['aggregator']}/reports/models?group_by=level'\n"
            f"Ctrl-C stops it. Data: {settings.data_dir.resolve()}"
        )
        while all(s.process is not None and s.process.poll() is None for s in services):
            time.sleep(0.5)
        return 1
    except RuntimeError as exc:  # a service exited or did not answer /health in time
        raise SystemExit(str(exc)) from None
    except KeyboardInterrupt:
        return 0
    finally:
        for service in services:
            service.stop()


def _stop_on_sigterm(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


if __name__ == "__main__":
    sys.exit(main())
