"""One import, start to end: the workbook read and every row checked; then, only if no row has
a problem, every row written through the API (a dry run stops after the checks)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

from services.importing.checking import Checked, Checker
from services.importing.problems import Layout, Problem, whole_file
from services.importing.workbook import open_workbook, sheets
from services.importing.writing import Sender, Sent, WriteClient
from shared.messages import message
from shared.policy import WRITE, permits
from shared.principal import Principal
from shared.units import UnitCatalog
from shared.vietnam_time import today_in_vietnam

MAX_ROWS = 100_000  # rows of a file; the checked rows are held in memory until written
CONCURRENCY = 8  # requests in flight: enough for the group commit to batch them
FINAL = {"checked", "refused", "done", "stopped", "failed"}
SUMMARIES = {
    "checked": "import_checked",
    "refused": "import_refused",
    "done": "import_done",
    "stopped": "import_stopped",
}


@dataclass(frozen=True)
class Record:
    """A row written: the record it made (or had made, when uploaded before)."""

    sheet: str
    row: int
    id: str
    replayed: bool


@dataclass
class Progress:
    # queued, reading, checking, writing; then checked (a dry run), refused (nothing written), done,
    # stopped (the service shut down mid-way) or failed
    phase: str = "queued"
    total: int = 0  # rows; an estimate until they are all read
    checked: int = 0
    written: int = 0  # new records
    replayed: int = 0  # rows written by an earlier upload: nothing new
    refused: int = 0  # rows the API refused, or that could not be sent
    problems: list[Problem] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)

    @property
    def sent(self) -> int:
        return self.written + self.replayed + self.refused

    @property
    def finished(self) -> bool:
        return self.phase in FINAL

    def summary(self, lang: str) -> str:
        """The outcome in a sentence."""
        code = SUMMARIES.get(self.phase, "import_failed")
        return message(
            code,
            lang,
            count=len(self.problems),
            checked=self.checked,
            written=self.written,
            replayed=self.replayed,
            refused=self.refused,
            sent=self.sent,
        )


@dataclass
class Import:
    catalog: UnitCatalog
    principal: Principal | None  # whose scope the units are checked against; None: the API's
    lang: str
    writers: Mapping[str, WriteClient] | None = None  # None: check only (a dry run)
    credential: str = ""
    concurrency: int = CONCURRENCY
    today: date = field(default_factory=today_in_vietnam)
    stop: threading.Event = field(default_factory=threading.Event)
    progress: Progress = field(default_factory=Progress)
    on_change: Callable[[Progress], None] = lambda progress: None

    def run(self, workbook: bytes) -> Progress:
        self.progress.phase = "reading"
        try:
            rows, layouts = self._check(workbook)
            if self.progress.problems:
                self.progress.phase = "refused"
            elif self.writers is None:
                self.progress.phase = "checked"
            else:
                self._write(rows, layouts)
        except Exception:
            self.progress.phase = "failed"
            raise
        finally:
            self.on_change(self.progress)
        return self.progress

    def _check(self, workbook: bytes) -> tuple[list[Checked], dict[str, Layout]]:
        progress, lang = self.progress, self.lang
        if self.principal is not None and not permits(WRITE, self.principal):
            progress.problems.append(whole_file("forbidden_role", lang, role=self.principal.role))
            return [], {}
        book = open_workbook(workbook)
        if book is None:
            progress.problems.append(whole_file("import_not_a_workbook", lang))
            return [], {}
        try:
            found, progress.problems = sheets(book, lang)
            progress.phase, progress.total = "checking", sum(s.estimated_rows for s in found)
            self.on_change(progress)
            checker = Checker(self.catalog, self.principal, lang, self.today)
            rows: list[Checked] = []
            for sheet in found:
                if sheet.header_problems:
                    progress.problems += sheet.header_problems
                    continue
                for number, values in sheet.rows:
                    if progress.checked == MAX_ROWS:
                        progress.problems.append(
                            whole_file("import_too_many_rows", lang, max=MAX_ROWS)
                        )
                        return [], {}
                    checked = checker.check(sheet.layout, number, values)
                    if isinstance(checked, list):
                        progress.problems += checked
                    else:
                        rows.append(checked)
                    progress.checked += 1
                    self.on_change(progress)
        finally:
            book.close()
        progress.total = progress.checked
        if not progress.checked and not progress.problems:
            progress.problems.append(whole_file("import_no_rows", lang))
        return rows, {sheet.layout.sheet: sheet.layout for sheet in found}

    def _write(self, rows: list[Checked], layouts: dict[str, Layout]) -> None:
        progress = self.progress
        progress.phase = "writing"
        self.on_change(progress)
        assert self.writers is not None

        def done(sent: Sent) -> None:
            if not sent.sent:
                return
            if sent.record_id is None:
                progress.refused += 1
                progress.problems += sent.problems
            else:
                progress.records.append(
                    Record(sent.row.sheet, sent.row.row, sent.record_id, sent.replayed)
                )
                if sent.replayed:
                    progress.replayed += 1
                else:
                    progress.written += 1
            self.on_change(progress)

        sender = Sender(self.writers, self.credential, self.lang, layouts, self.stop)
        sender.send_all(rows, self.concurrency, done)
        # new lists, not sorted in place: a list being sorted reads as empty to other threads
        progress.problems = sorted(progress.problems, key=lambda p: (p.sheet, p.row, p.column))
        progress.records = sorted(progress.records, key=lambda r: (r.sheet, r.row))
        progress.phase = "stopped" if progress.sent < len(rows) else "done"
