"""`danvan verify` and `danvan export`: what services/cli.py runs for them."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Mapping
from dataclasses import asdict
from pathlib import Path
from typing import Any

import orjson

from shared.audit.chain import Checkpoint
from shared.audit.checkpoint_note import CosignatureVerifier, cosignature_verifiers
from shared.audit.export import export_lines
from shared.audit.keys import read_public_key
from shared.audit.note import MalformedNote
from shared.audit.sources import (
    Evidence,
    download_export,
    from_export,
    from_store,
    from_url,
    open_audit_store,
    open_store,
)
from shared.audit.verify import Problem, Report, verify
from shared.audit.witnessed import check_notes
from shared.settings import Settings


def add_source_arguments(parser: argparse.ArgumentParser, *, export: bool) -> None:
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--url", help="a running write service, e.g. http://127.0.0.1:8001")
    if export:
        source.add_argument("--export", type=Path, help="an export file (JSON Lines)")
    source.add_argument(
        "--service", choices=["registry", "dialogue"], help="read this service's stores directly"
    )
    parser.add_argument("--token", help="bearer token (auditor); default DANVAN_UPSTREAM_TOKEN")
    parser.add_argument("--database-url", help="with --service: the PostgreSQL database")
    parser.add_argument("--data-dir", type=Path, help="with --service: the SQLite data folder")


def store_settings(settings: Settings, args: argparse.Namespace) -> Settings:
    overrides: dict[str, Any] = {}
    if args.database_url:
        overrides["database_url"] = args.database_url
    if args.data_dir:
        overrides["data_dir"] = args.data_dir
    return settings.model_copy(update=overrides) if overrides else settings


def add_witness_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--witness-key",
        action="append",
        default=[],
        metavar="VKEY",
        help="a witness's cosignature verifier key (repeatable)",
    )
    parser.add_argument(
        "--witnesses-required",
        type=int,
        metavar="K",
        help="fail unless a checkpoint note carries K of these witnesses' cosignatures "
        "(default: 1 when witness keys are given)",
    )


def witnesses_of(args: argparse.Namespace) -> tuple[tuple[CosignatureVerifier, ...], int]:
    """The witnesses' keys given, and how many of them must have cosigned."""
    try:
        witnesses = cosignature_verifiers(args.witness_key)
    except MalformedNote as error:
        raise SystemExit(f"--witness-key: {error}") from None
    required = args.witnesses_required
    return witnesses, (1 if witnesses else 0) if required is None else required


def run_verify(args: argparse.Namespace, settings: Settings, app_names: Mapping[str, str]) -> int:
    public_keys = [read_public_key(path.read_bytes()) for path in args.public_key]
    witnesses, required = witnesses_of(args)
    evidence = _evidence(args, settings, app_names)
    try:
        known = [c for path in args.known_checkpoints for c in read_checkpoints(path)]
        report = verify(
            evidence.store_id,
            evidence.events,
            evidence.seals,
            [*evidence.checkpoints, *known],
            public_keys,
            evidence.tree,
        )
        notes = check_notes(
            evidence.store_id,
            evidence.notes,
            [*evidence.checkpoints, *known],
            public_keys,
            witnesses,
            required,
        )
    finally:
        evidence.close()
    report.problems.extend(notes.problems)
    # a live sealer signs at least every checkpoint_every_events: a longer unsigned tail means
    # lost checkpoints (or a lost audit store), which would otherwise pass as whole
    most = args.max_unsigned
    if most is None:
        most = 2 * settings.checkpoint_every_events
    nothing_signed = report.events > 0 and report.checkpoints_checked == 0
    if most >= 0 and (report.unsigned > most or nothing_signed):
        report.problems.append(
            Problem(
                "unsigned_tail",
                report.signed_through + 1,
                f"{report.unsigned} events after the last verified checkpoint "
                + ("(no checkpoint verifies)" if nothing_signed else f"(at most {most} allowed)"),
            )
        )
    if args.json:
        document = {**report.as_json(), "notes": asdict(notes)}
        sys.stdout.write(orjson.dumps(document, option=orjson.OPT_INDENT_2).decode())
        sys.stdout.write("\n")
    else:
        sys.stdout.write(describe(report))
        witnessed = f"{notes.witnessed_size} ({', '.join(notes.witnesses) or '-'})"
        sys.stdout.write(
            f"  checkpoint notes: {notes.verified} of {notes.notes} verified; witnessed through "
            f"tree size {witnessed if notes.witnessed_size is not None else '-'}\n"
        )
    return 0 if report.ok else 1


def _evidence(
    args: argparse.Namespace, settings: Settings, app_names: Mapping[str, str]
) -> Evidence:
    if args.export:
        return from_export(args.export)
    if args.url:
        return from_url(args.url, args.token or settings.upstream_token)
    return from_store(store_settings(settings, args), args.service, app_names[args.service])


def read_checkpoints(path: Path) -> list[Checkpoint]:
    """Checkpoints kept from before: an export, or GET /events/checkpoints saved as JSON."""
    text = path.read_bytes().strip()
    if text.startswith(b"["):
        return [Checkpoint.from_json(c) for c in orjson.loads(text)]
    lines = (orjson.loads(line) for line in text.splitlines() if line.strip())
    return [Checkpoint.from_json(c) for c in lines if c.get("kind") == "checkpoint"]


def describe(report: Report) -> str:
    verdict = "WHOLE" if report.ok else "NOT WHOLE"
    lines = [
        f"store {report.store_id}: {verdict}",
        f"  events: {report.events}; chain verified through position {report.verified_through}"
        f" (sealed through {report.sealed_through}); unsealed tail: {report.unsealed}",
        f"  checkpoints: {report.checkpoints_checked} of {report.checkpoints} verified, "
        f"signed through {report.signed_through}; events after it: {report.unsigned}",
        f"  Merkle tree: {report.tree_size} leaves rebuilt; {report.tree_rows_checked} stored "
        f"rows and {report.roots_checked} checkpoint roots confirmed",
    ]
    for problem in report.problems:
        where = str(problem.position)
        if problem.through and problem.through != problem.position:
            where += f"..{problem.through}"
        lines.append(f"  {problem.kind.upper()} at position {where}: {problem.detail}")
    return "\n".join(lines) + "\n"


def run_export(args: argparse.Namespace, settings: Settings, app_names: Mapping[str, str]) -> int:
    target: Path | None = args.output
    if args.url:
        if target is None:
            raise SystemExit("export --url needs --output")
        download_export(args.url, args.token or settings.upstream_token, target)
        return 0
    settings = store_settings(settings, args)
    reader = open_store(settings, args.service, app_names[args.service])
    audit = open_audit_store(settings, args.service)
    with contextlib.ExitStack() as stack:
        stack.callback(reader.close)
        if audit is not None:
            stack.callback(audit.close)
        out = stack.enter_context(target.open("wb")) if target else sys.stdout.buffer
        for line in export_lines(reader, audit):
            out.write(line)
    return 0
