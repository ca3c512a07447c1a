"""`danvan import FILE`: the same import from the command line, with a progress bar; and
`danvan import --template KIND OUT.xlsx`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from tqdm import tqdm

from services.importing.importer import Import, Progress
from services.importing.kinds import KINDS
from services.importing.template import template
from services.write_clients import write_clients
from shared.auth import TokenStore
from shared.settings import Settings
from shared.units import load_catalog


def add_import_command(commands: Any) -> None:
    parser = commands.add_parser(
        "import",
        help="check a workbook's rows as the write APIs do, then write them through the APIs "
        "(or, with --template, write an empty template)",
    )
    parser.add_argument("file", type=Path, help="the workbook (with --template: where to write)")
    parser.add_argument("--token", help="the bearer credential to write as (your own)")
    parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
    parser.add_argument("--template", choices=[*KINDS, "all"], help="write this kind's template")
    parser.add_argument("--lang", choices=["vi", "en"], default="vi", help="of the messages")


def run_import(args: argparse.Namespace, settings: Settings) -> int:
    if args.template:
        kinds = list(KINDS.values()) if args.template == "all" else [KINDS[args.template]]
        args.file.write_bytes(template(kinds))
        print(f"{args.file}: {', '.join(k.vi for k in kinds)}")
        return 0
    if not args.token and not args.dry_run:
        raise SystemExit("--token is required to write (or check only with --dry-run)")
    # the principal, where these settings' token file knows it, for its scope before writing;
    # otherwise (a JWT, another system's token) the API answers for each row
    principal = TokenStore(settings.token_path).principal_for(args.token) if args.token else None
    writers = None if args.dry_run else write_clients(settings)
    bar = Bar(args.lang)
    job = Import(
        load_catalog(settings.extra_units_file),
        principal,
        args.lang,
        writers,
        args.token or "",
        on_change=bar.show,
    )
    try:
        progress = job.run(args.file.read_bytes())
    finally:
        bar.close()
        for client in (writers or {}).values():
            client.close()
    print_report(progress, args.lang)
    return 1 if progress.problems or progress.phase not in ("checked", "done") else 0


class Bar:
    """A tqdm bar per phase: rows checked, then rows written."""

    def __init__(self, lang: str) -> None:
        self.lang, self.phase = lang, ""
        self.bar: tqdm[Any] | None = None

    def show(self, progress: Progress) -> None:
        if progress.phase != self.phase and progress.phase in ("checking", "writing"):
            self.close()
            self.phase = progress.phase
            names = {"checking": ("kiểm tra", "checking"), "writing": ("ghi", "writing")}
            desc = names[progress.phase][self.lang == "en"]
            self.bar = tqdm(total=progress.total, desc=desc, unit=" rows", mininterval=0.5)
        if self.bar is not None:
            done = progress.checked if self.phase == "checking" else progress.sent
            self.bar.total = max(progress.total, done)
            self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def print_report(progress: Progress, lang: str) -> None:
    for problem in progress.problems:
        where = f"{problem.sheet or '-'}!{problem.column or '-'}{problem.row or ''}"
        title = f" ({problem.title})" if problem.title else ""
        print(f"{where}{title}: {problem.message}")
    print(progress.summary(lang))
