"""`danvan witness`: what services/cli.py runs for it (the logic: shared.audit.witness)."""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from shared.audit.checkpoint_note import Cosigner
from shared.audit.keys import load_or_create_key
from shared.audit.note import MalformedNote, ed25519_verifier
from shared.audit.witness import HttpLog, LogClient, Outcome, Witness, witness_round
from shared.settings import Settings

EXIT_FORK, EXIT_REFUSED = 2, 1


def add_witness_command(commands: Any) -> None:
    witness = commands.add_parser(
        "witness",
        help="cosign logs' checkpoints after checking that each extends the last one cosigned "
        "(C2SP tlog-cosignature); refuse and report a fork",
    )
    witness.add_argument("--log", action="append", required=True, metavar="URL")
    witness.add_argument(
        "--log-key",
        action="append",
        required=True,
        metavar="VKEY",
        help="the log's note verifier key (GET /checkpoint/verifier-key, checked out of band), "
        "one per --log, in the same order",
    )
    witness.add_argument(
        "--key", type=Path, required=True, help="the witness's Ed25519 key (PEM); made if missing"
    )
    witness.add_argument(
        "--name", default="witness.danvan.local", help="the witness's key name (a URL, no scheme)"
    )
    witness.add_argument("--state", type=Path, required=True, help="the witness's state folder")
    witness.add_argument("--every", type=float, default=60.0, help="seconds between rounds")
    witness.add_argument("--once", action="store_true", help="one round; exit 2 on a fork")
    witness.add_argument("--token", help="bearer token the logs' proofs need, if any")


def run_witness(
    args: argparse.Namespace,
    settings: Settings,
    logs: Sequence[LogClient] | None = None,
    stop: threading.Event | None = None,
) -> int:
    if len(args.log) != len(args.log_key):
        raise SystemExit("give one --log-key for each --log, in the same order")
    try:
        keys = [ed25519_verifier(vkey) for vkey in args.log_key]
    except MalformedNote as error:
        raise SystemExit(f"--log-key: {error}") from None
    key, made = load_or_create_key(args.key)
    cosigner = Cosigner(args.name, key)
    sys.stdout.write(f"{'made' if made else 'using'} witness key {args.key}\n")
    sys.stdout.write(f"witness verifier key: {cosigner.verifier.vkey}\n")
    token = args.token or settings.upstream_token
    clients = list(logs) if logs is not None else [HttpLog.at(url, token) for url in args.log]
    witness = Witness(cosigner, args.state)
    stop = stop or threading.Event()
    while True:
        outcomes = witness_round(witness, list(zip(clients, keys, strict=True)))
        for outcome in outcomes:
            sys.stdout.write(_line(outcome) + "\n")
        sys.stdout.flush()
        if args.once:
            return _exit_code(outcomes)
        if stop.wait(args.every):
            return 0


def _line(outcome: Outcome) -> str:
    detail = f": {outcome.detail}" if outcome.detail else ""
    return f"{outcome.origin}: {outcome.status.upper()} at size {outcome.size}{detail}"


def _exit_code(outcomes: Sequence[Outcome]) -> int:
    if any(o.status == "fork" for o in outcomes):
        return EXIT_FORK
    return EXIT_REFUSED if any(o.failed for o in outcomes) else 0
