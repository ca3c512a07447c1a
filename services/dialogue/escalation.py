"""The escalation process: every so often, the open kiến nghị whose due day has passed go one
level up, each once per due day (KienNghi.needs_escalation decides, on its own record)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from uuid import UUID

from services.dialogue.application import Dialogues
from services.dialogue.read_side import ReadSideClient, ReadSideUnavailable, list_kien_nghi

log = logging.getLogger("danvan.escalation")
PAGE = 1000


class EscalationProcess:
    def __init__(
        self, dialogues: Dialogues, read_side: Callable[[], ReadSideClient], interval: float
    ) -> None:
        self.dialogues, self.read_side, self.interval = dialogues, read_side, interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def sweep(self) -> list[UUID]:
        """One round: the read side names the candidates a page at a time, the store decides."""
        escalated: list[UUID] = []
        offset, today = 0, self.dialogues.today()
        while True:
            page = list_kien_nghi(
                self.read_side(), state="open", due_before=today, limit=PAGE, offset=offset
            )
            escalated += self.dialogues.escalate_overdue([UUID(item["id"]) for item in page])
            if len(page) < PAGE:
                return escalated
            offset += PAGE

    def start(self) -> None:
        if self.interval > 0:
            self._thread = threading.Thread(target=self._run, name="escalation", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                if escalated := self.sweep():
                    log.info("escalated %d overdue kiến nghị", len(escalated))
            except ReadSideUnavailable:
                log.warning("escalation skipped: the read side did not answer")
            except Exception:
                log.exception("escalation round failed; trying again next round")

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
