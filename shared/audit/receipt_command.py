"""`danvan verify-receipt FILE --public-key KEY`: checks a receipt (shared.audit.receipts) with
nothing but the log's key; with `--log URL`, also that the log today still holds it."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Protocol

import httpx
from pydantic import ValidationError

from shared.audit.checkpoint_note import log_verifier, verifier_from_key
from shared.audit.commands import add_witness_arguments, witnesses_of
from shared.audit.keys import read_public_key
from shared.audit.note import MalformedNote, Verifier
from shared.audit.receipts import (
    Receipt,
    ReceiptInvalid,
    VerifiedReceipt,
    compare_receipts,
    verify_receipt,
)

EXIT_INVALID = 1


class Log(Protocol):
    """Where a fresh receipt is asked for: an httpx.Client on the service (a TestClient in
    tests)."""

    def get(self, url: str, *, params: Any, headers: Any) -> Any: ...


def add_verify_receipt_command(commands: Any) -> None:
    command = commands.add_parser(
        "verify-receipt",
        help="check a record's receipt offline with the log's key, and with --log that the "
        "log today still holds it",
    )
    command.add_argument("file", type=Path, help="the receipt (JSON), as …/receipt answered it")
    command.add_argument(
        "--public-key",
        required=True,
        help="the log's note verifier key (GET /checkpoint/verifier-key), or its PEM file "
        "(GET /events/public-key)",
    )
    add_witness_arguments(command)
    command.add_argument("--log", metavar="URL", help="the write service that gave it")
    command.add_argument("--token", help="bearer token for --log, if the receipt needs one")
    command.add_argument("--json", action="store_true", help="a JSON report")


def _log_key(given: str, receipt: Receipt) -> Verifier:
    path = Path(given)
    if path.is_file():  # a PEM: the note key is named after the checkpoint's origin
        origin = receipt.checkpoint.split("\n", 1)[0]
        return log_verifier(origin, read_public_key(path.read_bytes()))
    return verifier_from_key(given)


def _fresh(args: argparse.Namespace, kept: VerifiedReceipt, log: Log, witnessed: int) -> Receipt:
    headers = {"Authorization": f"Bearer {args.token}"} if args.token else {}
    params = {"since": kept.checkpoint.size, "witnessed": witnessed}
    response = log.get(kept.receipt.path, params=params, headers=headers)
    if response.status_code != 200:
        raise ReceiptInvalid(f"the log answered {response.status_code}: {response.text[:200]}")
    return Receipt.model_validate_json(response.content)


def check(args: argparse.Namespace, log: Log | None = None) -> VerifiedReceipt:
    """The receipt verified offline; with --log (or a client), against the log today too."""
    try:
        receipt = Receipt.model_validate_json(args.file.read_bytes())
    except ValidationError as error:
        raise ReceiptInvalid(f"not a receipt: {error.errors()[0]['msg']}") from None
    try:
        log_key = _log_key(args.public_key, receipt)
    except (MalformedNote, ValueError) as error:
        raise SystemExit(f"--public-key: {error}") from None
    witnesses, required = witnesses_of(args)
    kept = verify_receipt(receipt, log_key, witnesses, required)
    if log is None and args.log:
        with httpx.Client(base_url=args.log, timeout=30) as client:
            fresh = _fresh(args, kept, client, required)
    elif log is not None:
        fresh = _fresh(args, kept, log, required)
    else:
        return kept
    compare_receipts(kept, verify_receipt(fresh, log_key, witnesses, required))
    return kept


def run_verify_receipt(args: argparse.Namespace, log: Log | None = None) -> int:
    try:
        verified = check(args, log)
    except ReceiptInvalid as problem:
        failed = {"valid": False, "problem": str(problem)}
        sys.stdout.write((json.dumps(failed) if args.json else f"FAILED: {problem}") + "\n")
        return EXIT_INVALID
    checkpoint = verified.checkpoint
    entries = [
        {k: item[k] for k in ("position", "id", "type", "recorded_at")} for item in verified.items
    ]
    if args.json:
        report = {
            "valid": True,
            "record_id": verified.receipt.record_id,
            "origin": checkpoint.origin,
            "tree_size": checkpoint.size,
            "witnesses": list(verified.witnesses),
            "checked_against_log": bool(args.log or log),
            "entries": entries,
        }
        sys.stdout.write(json.dumps(report, ensure_ascii=False) + "\n")
        return 0
    lines = [f"OK: record {verified.receipt.record_id} in {checkpoint.origin}, "
             f"tree of {checkpoint.size}"]  # fmt: skip
    lines += [f"  {e['type']} recorded at {e['recorded_at']} (position {e['position']})"
              for e in entries]  # fmt: skip
    if verified.witnesses:
        lines.append(f"  cosigned by {', '.join(verified.witnesses)}")
    if args.log or log:
        lines.append("  the log today still holds it, and its tree extends the receipt's")
    sys.stdout.write("\n".join(lines) + "\n")
    return 0
