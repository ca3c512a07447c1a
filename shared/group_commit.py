"""Group commit: concurrent commands of one service saved in one transaction.

A database commits a transaction in about the time it commits one row, so a write service
that saves each command alone is held to its commit rate. Commands arrive from many request
threads; one writer thread takes whatever is waiting, runs each command's decision in order
(later ones see earlier ones' changes), and saves them all at once. A command whose decision
fails (a rule, a stale version) fails alone; the others commit. If the joint save conflicts
with a write made elsewhere, each command runs again on its own with its usual retries.
"""

from __future__ import annotations

import logging
import queue
import threading
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError

if TYPE_CHECKING:
    from collections.abc import Callable

    from shared.application import Decision, Idempotency, Outcome, ServiceApplication

log = logging.getLogger("danvan.group_commit")
STOP = object()


@dataclass
class Command:
    decide: Callable[[], Decision]
    idempotency: Idempotency | None
    future: Future[Outcome] = field(default_factory=Future)


@dataclass
class Accepted:
    command: Command
    aggregates: list[Aggregate]
    status: int
    response: dict[str, Any]


class GroupCommit:
    def __init__(self, app: ServiceApplication, max_batch: int = 500) -> None:
        self.app, self.max_batch = app, max_batch
        self.commands: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self.thread = threading.Thread(target=self._run, name="group-commit", daemon=True)
        self.thread.start()
        self.batches = 0
        self.committed = 0

    def submit(self, decide: Callable[[], Decision], idempotency: Idempotency | None) -> Outcome:
        command = Command(decide, idempotency)
        self.commands.put(command)
        return command.future.result()

    def close(self) -> None:
        self.commands.put(STOP)
        self.thread.join(timeout=10)

    def _run(self) -> None:
        while (first := self.commands.get()) is not STOP:
            waiting = [first]
            while len(waiting) < self.max_batch:
                try:
                    more = self.commands.get_nowait()
                except queue.Empty:
                    break
                if more is STOP:
                    self.commands.put(STOP)
                    break
                waiting.append(more)
            try:
                self._commit(waiting)
            except Exception as exc:  # never leave a caller waiting
                log.exception("group commit failed")
                for command in waiting:
                    if not command.future.done():
                        command.future.set_exception(exc)

    def _commit(self, commands: list[Command]) -> None:
        accepted, tainted = self._decide_all(commands)
        if tainted:  # a failed decision changed a shared aggregate: none of this batch is safe
            self._one_by_one([a.command for a in accepted])
            return
        pending = {a.id: a for item in accepted for a in item.aggregates}
        try:
            recordings = self.app.save(*pending.values())
        except IntegrityError:
            self._one_by_one([a.command for a in accepted])
            return
        position = {}
        for recording in recordings:
            position[recording.domain_event.originator_id] = recording.notification.id
        self.batches += 1
        self.committed += len(accepted)
        for item in accepted:
            at = max((position.get(a.id, 0) for a in item.aggregates), default=None)
            item.command.future.set_result(self.app.outcome(item.status, item.response, at))

    def _decide_all(self, commands: list[Command]) -> tuple[list[Accepted], bool]:
        accepted: list[Accepted] = []
        with self.app.batch(size=10**9, flush=False) as batch:
            for command in commands:
                before = {i: len(a.pending_events) for i, a in batch.pending.items()}
                try:
                    earlier = self.app.earlier(command.idempotency)
                    if earlier is not None:
                        command.future.set_result(earlier)
                        continue
                    aggregates, status, response = command.decide()
                except Exception as exc:
                    command.future.set_exception(exc)
                    if any(
                        len(a.pending_events) != before.get(i, 0)
                        for i, a in batch.pending.items()
                        if i in before
                    ):
                        return accepted, True
                    continue
                mine = [
                    *aggregates,
                    *self.app.accepted_request(command.idempotency, status, response),
                ]
                batch.add(mine)
                accepted.append(Accepted(command, mine, status, response))
        return accepted, False

    def _one_by_one(self, commands: list[Command]) -> None:
        for command in commands:
            try:
                command.future.set_result(
                    self.app.execute_alone(command.decide, command.idempotency)
                )
            except Exception as exc:
                command.future.set_exception(exc)
