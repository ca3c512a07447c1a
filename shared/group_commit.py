"""Group commit: concurrent commands of one service saved in one transaction.

A database commits a transaction in about the time it commits one row, so a write service
that saves each command alone is held to its commit rate. Commands arrive from many request
threads; one writer thread takes whatever is waiting, runs each command's decision in order
(later ones see earlier ones' changes), and saves them all at once. A command whose decision
fails (a rule, a stale version) fails alone; the others commit.

Idempotency-Keys are not looked up one by one before deciding (a read per command would hold
the writer to the database's round trip): a key seen earlier in the same batch is answered from
the batch, and a key stored before makes the joint save conflict, since its record already
exists. Then the batch is decided again with every key looked up in the store (a retry gets its
first response, another body 409), and if that save conflicts too (a write made elsewhere),
each command runs again on its own with its usual retries.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import queue
import threading
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError

from shared.commands import Decision, Idempotency, IdempotentRequest, Outcome

if TYPE_CHECKING:
    from collections.abc import Callable

    from shared.application import ServiceApplication

log = logging.getLogger("danvan.group_commit")
STOP = object()


class Queued(BaseException):
    """Raised by submit() under queued_only(): the command is queued, its outcome will be set
    on future. A BaseException, so that nothing between the caller and submit() catches it."""

    def __init__(self, future: Future[Outcome] | None = None) -> None:
        super().__init__()
        self.future = future


_queued_only: contextvars.ContextVar[bool] = contextvars.ContextVar("queued_only", default=False)


@contextlib.contextmanager
def queued_only() -> Iterator[Queued]:
    """Within it, submit() queues the command and returns at once (by raising Queued, caught
    here) instead of waiting for the commit: an event loop awaits the yielded future."""
    token = _queued_only.set(True)
    holder = Queued()
    try:
        yield holder
    except Queued as queued:
        holder.future = queued.future
    finally:
        _queued_only.reset(token)


@dataclass
class Command:
    decide: Callable[[], Decision]
    idempotency: Idempotency | None
    future: Future[Outcome] = field(default_factory=Future)


@dataclass
class Accepted:
    command: Command
    aggregates: list[Aggregate]
    response: dict[str, Any]


class GroupCommit:
    def __init__(self, app: ServiceApplication, max_batch: int = 500) -> None:
        self.app, self.max_batch = app, max_batch
        self.commands: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self.batches = 0
        self.committed = 0
        self.on_batch: Callable[[int], None] | None = None  # e.g. a metrics histogram
        self.thread = threading.Thread(target=self._run, name="group-commit", daemon=True)
        self.thread.start()

    def submit(self, decide: Callable[[], Decision], idempotency: Idempotency | None) -> Outcome:
        command = Command(decide, idempotency)
        self.commands.put(command)
        if _queued_only.get():
            raise Queued(command.future)
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
            # a caller that gave up before its command was taken (cancelled): skip it; from
            # here on a caller can no longer cancel
            waiting = [c for c in waiting if c.future.set_running_or_notify_cancel()]
            if not waiting:
                continue
            try:
                self._commit(waiting)
            except Exception as exc:  # never leave a caller waiting
                log.exception("group commit failed")
                for command in waiting:
                    if not command.future.done():
                        command.future.set_exception(exc)

    def _commit(self, commands: list[Command], look_up_keys: bool = False) -> None:
        accepted, replays, tainted = self._decide_all(commands, look_up_keys)
        if tainted:  # a failed decision changed a shared aggregate: none of this batch is safe
            self._one_by_one([c for c in commands if not c.future.done()])
            return
        pending = {a.id: a for item in accepted for a in item.aggregates}
        try:
            recordings = self.app.save(*pending.values()) if pending else []
        except IntegrityError:
            undecided = [c for c in commands if not c.future.done()]
            if look_up_keys:
                self._one_by_one(undecided)
            else:  # a key stored before (a retry), or a write made elsewhere: look, then retry
                self._commit(undecided, look_up_keys=True)
            return
        position, entries = {}, defaultdict(list)
        for recording, entry in zip(recordings, self.app.entries(recordings), strict=True):
            position[recording.domain_event.originator_id] = recording.notification.id
            entries[recording.domain_event.originator_id].append(entry)
        self.batches += 1
        self.committed += len(accepted)
        if self.on_batch is not None:
            self.on_batch(len(accepted))
        for item in accepted:
            at = max((position.get(a.id, 0) for a in item.aggregates), default=None)
            written = sorted(e for a in item.aggregates for e in entries[a.id])
            item.command.future.set_result(Outcome(item.response, at, entries=tuple(written)))
        for command, answer in replays:  # only now is the first of their key stored
            if isinstance(answer, BaseException):
                command.future.set_exception(answer)
            else:
                command.future.set_result(answer)

    def _decide_all(
        self, commands: list[Command], look_up_keys: bool
    ) -> tuple[list[Accepted], list[tuple[Command, Outcome | BaseException]], bool]:
        """Decides each command in order. Returns those accepted, the answers to retries of a
        key first used in this batch (given once the batch is stored), and whether a failed
        decision left changes behind in an aggregate that others share."""
        accepted: list[Accepted] = []
        replays: list[tuple[Command, Outcome | BaseException]] = []
        with self.app.batch(size=10**9, flush=False) as batch:
            for command in commands:
                key = command.idempotency
                if key is not None and (
                    IdempotentRequest.create_id(key.scope, key.key) in batch.pending
                ):
                    try:
                        answer: Outcome | BaseException | None = self.app.earlier(key)
                    except Exception as exc:
                        answer = exc
                    if answer is not None:  # always: the key's record is in this batch
                        replays.append((command, answer))
                        continue
                before = {i: len(a.pending_events) for i, a in batch.pending.items()}
                try:
                    earlier = self.app.earlier(key) if look_up_keys else None
                    if earlier is not None:
                        command.future.set_result(earlier)
                        continue
                    aggregates, response = command.decide()
                except Exception as exc:
                    if key is None or look_up_keys:
                        command.future.set_exception(exc)
                    else:  # a retry its own first change now refuses: its first answer
                        self._answer_retry(command, exc)
                    if any(
                        len(a.pending_events) != before.get(i, 0)
                        for i, a in batch.pending.items()
                        if i in before
                    ):
                        return accepted, replays, True
                    continue
                mine = [
                    *aggregates,
                    *self.app.accepted_request(command.idempotency, response),
                ]
                batch.add(mine)
                accepted.append(Accepted(command, mine, response))
        return accepted, replays, False

    def _answer_retry(self, command: Command, refusal: BaseException) -> None:
        try:
            earlier = self.app.earlier(command.idempotency)
        except Exception as exc:  # the key with another body
            command.future.set_exception(exc)
            return
        if earlier is None:
            command.future.set_exception(refusal)
        else:
            command.future.set_result(earlier)

    def _one_by_one(self, commands: list[Command]) -> None:
        for command in commands:
            try:
                command.future.set_result(
                    self.app.execute_alone(command.decide, command.idempotency)
                )
            except Exception as exc:
                command.future.set_exception(exc)
