"""Imports running in the background, for the dashboard: started with the workbook, the user's
own credential and language, then followed by their id. Kept in memory: a restart forgets them
(rows written stay written; uploading the file again writes only what was not)."""

from __future__ import annotations

import logging
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as futures_wait
from dataclasses import dataclass, replace

from services.importing.importer import Import, Progress
from services.importing.writing import WriteClient
from shared.principal import Principal
from shared.units import UnitCatalog

log = logging.getLogger("danvan.import")
KEPT = 10  # finished jobs remembered (each with a line per row written), the oldest forgotten


@dataclass(frozen=True)
class JobStatus:
    id: str
    owner: str | None  # the principal who started it (and auditors and admins) follow it
    lang: str
    progress: Progress  # a copy, as it stood when asked


class ImportJobs:
    """One import at a time (its requests run a few at a time), the others queued."""

    def __init__(
        self,
        writers: Callable[[], Mapping[str, WriteClient]],  # asked when an import starts
        catalog: UnitCatalog,
        workers: int = 1,
    ) -> None:
        self.writers, self.catalog = writers, catalog
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="import")
        self._jobs: OrderedDict[str, tuple[JobStatus, Import]] = OrderedDict()
        self._running: dict[str, Future[None]] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()

    def start(
        self, workbook: bytes, credential: str, language: str, principal: Principal | None = None
    ) -> str:
        job_id = str(uuid.uuid4())
        job = Import(
            self.catalog,
            principal,
            language,
            self.writers(),
            credential,
            stop=self._stop,
        )
        status = JobStatus(job_id, principal.id if principal else None, language, job.progress)
        with self._lock:
            self._jobs[job_id] = (status, job)
            self._forget_oldest()
        self._running[job_id] = self._pool.submit(self._run, job, workbook)
        return job_id

    def wait(self, job_id: str, timeout: float | None = None) -> JobStatus | None:
        """The job's status once it is over (or the timeout has passed)."""
        running = self._running.get(job_id)
        if running is not None:
            done, _ = futures_wait([running], timeout)
            if done:
                self._running.pop(job_id, None)
        return self.status(job_id)

    def status(self, job_id: str) -> JobStatus | None:
        with self._lock:
            found = self._jobs.get(job_id)
        if found is None:
            return None
        status, job = found
        progress = job.progress
        copied = replace(progress, problems=list(progress.problems), records=list(progress.records))
        return replace(status, progress=copied)

    def close(self) -> None:
        """Stops the running import between two rows; the queued ones never start."""
        self._stop.set()
        self._pool.shutdown(wait=True, cancel_futures=True)

    @staticmethod
    def _run(job: Import, workbook: bytes) -> None:
        try:
            job.run(workbook)
        except Exception:
            log.exception("an import failed")

    def _forget_oldest(self) -> None:
        finished = [k for k, (_, job) in self._jobs.items() if job.progress.finished]
        for key in finished[: max(0, len(finished) - KEPT)]:
            del self._jobs[key]
            self._running.pop(key, None)
