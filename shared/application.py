"""What every write service's eventsourcing Application shares.

Store identity, idempotent commands and optimistic concurrency live here so that each
service's own application only says what its commands do.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, ClassVar, TypeVar, Unpack, cast
from uuid import UUID, uuid4

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, Recording

from shared import policy
from shared.audit.chain import stored_entry
from shared.audit.merkle import leaf_hash
from shared.commands import (
    ChangeTerms,
    Decision,
    Entry,
    Idempotency,
    IdempotentRequest,
    Outcome,
)
from shared.errors import Conflict, InvalidInput, NotFound
from shared.event_store import EventStore
from shared.events import FeedItem, envelope
from shared.group_commit import GroupCommit
from shared.principal import Principal
from shared.store_identity import StoreIdentity
from shared.units import Unit, UnitCatalog
from shared.vietnam_time import today_in_vietnam

log = logging.getLogger("danvan.application")


A = TypeVar("A", bound=Aggregate)

MAX_ATTEMPTS = 5


class Batch:
    """Aggregates changed by batched commands, saved together when enough have gathered."""

    def __init__(self, app: Application[UUID], size: int) -> None:
        self.app, self.size = app, size
        self.pending: dict[UUID, Aggregate] = {}

    def add(self, aggregates: Sequence[Aggregate]) -> None:
        for aggregate in aggregates:
            self.pending[aggregate.id] = aggregate
        if len(self.pending) >= self.size:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.app.save(*self.pending.values())
            self.pending.clear()


class ServiceApplication(EventStore):
    """Base of the registry and dialogue applications."""

    log_section_size = 1000
    not_found_codes: ClassVar[dict[type[Aggregate], str]] = {}  # each kind of record's 404

    def __init__(
        self,
        env: dict[str, str] | None = None,
        *,
        catalog: UnitCatalog,
        today: Callable[[], dt.date] = today_in_vietnam,
    ) -> None:
        self.catalog = catalog
        self.today = today
        self._batches = threading.local()
        self.group_commit: GroupCommit | None = None
        self.on_appended: list[Callable[[int], None]] = []  # told how many events were saved
        super().__init__(env=env)
        self.store_id = self._ensure_store_identity()

    def _ensure_store_identity(self) -> str:
        identity_id = StoreIdentity.create_id()
        try:
            return str(self.repository.get(identity_id).store_id)
        except AggregateNotFoundError:
            pass
        with contextlib.suppress(IntegrityError):  # another process created it first
            self.save(StoreIdentity(store_id=str(uuid4()), service=self.service))
        return str(self.repository.get(identity_id).store_id)

    def execute(
        self,
        decide: Callable[[], Decision],
        *,
        idempotency: Idempotency | None = None,
    ) -> Outcome:
        """Runs a command: decide() loads, checks and changes aggregates; they are saved at once.

        A conflicting concurrent write is retried with fresh state, so decide() checks again
        (a caller who asked for a specific version then gets its 409). Under an
        Idempotency-Key the first outcome is stored in the same transaction and replayed for
        the same body; another body gets 409.
        """
        batch: Batch | None = getattr(self._batches, "current", None)
        if batch is not None:
            aggregates, response = decide()
            batch.add(aggregates)
            return Outcome(response, None)
        if self.group_commit is not None:
            return self.group_commit.submit(decide, idempotency)
        return self.execute_alone(decide, idempotency)

    def execute_alone(
        self, decide: Callable[[], Decision], idempotency: Idempotency | None = None
    ) -> Outcome:
        """One command in its own transaction, retried on a conflicting write."""
        for attempt in range(1, MAX_ATTEMPTS + 1):
            if (earlier := self.earlier(idempotency)) is not None:
                return earlier
            aggregates, response = decide()
            pending = [*aggregates, *self.accepted_request(idempotency, response)]
            try:
                recordings = self.save(*pending)
            except IntegrityError:
                if self.earlier(idempotency) is not None:
                    continue  # the same request won a race: replay its outcome
                if attempt == MAX_ATTEMPTS:
                    raise Conflict("concurrent_write") from None
                log.info("write conflict, retrying (attempt %d)", attempt)
                continue
            position = recordings[-1].notification.id if recordings else None
            return Outcome(response, position, entries=tuple(self.entries(recordings)))
        raise Conflict("concurrent_write")

    def accepted_request(
        self, idempotency: Idempotency | None, response: dict[str, Any]
    ) -> list[Aggregate]:
        """The record of an idempotent request, saved with the command's own changes."""
        if idempotency is None:
            return []
        return [IdempotentRequest.accept(idempotency, response)]

    def earlier(self, idempotency: Idempotency | None) -> Outcome | None:
        """The outcome of the same request made before (in the store or this batch), if any."""
        if idempotency is None:
            return None
        record_id = IdempotentRequest.create_id(idempotency.scope, idempotency.key)
        batch: Batch | None = getattr(self._batches, "current", None)
        try:
            record = cast(
                IdempotentRequest,
                batch.pending[record_id]
                if batch and record_id in batch.pending
                else self.repository.get(record_id),
            )
        except AggregateNotFoundError:
            return None
        if record.request_hash != idempotency.request_hash:
            raise Conflict("idempotency_key_reused", field="Idempotency-Key")
        return Outcome(dict(record.response), None, replayed=True)

    def change(
        self,
        load: Callable[[], A],
        act: Callable[[A, Principal], Sequence[Aggregate] | None],
        *,
        unit_of: Callable[[A], Unit | None] | None = None,
        respond: Callable[[A], dict[str, Any]] | None = None,
        **terms: Unpack[ChangeTerms],
    ) -> Outcome:
        """A command on an existing aggregate: load, check version and scope, act, save.

        act(aggregate, actor) may return further aggregates to save in the same transaction (a
        kiến nghị opened by a finding, say); the response names the loaded aggregate and its
        version, and respond(aggregate), if given, adds fields to it (the finding just raised,
        say). The scope checked is that of the unit unit_of (default: the record's) names;
        none for a citizen's own record, which load() checks.
        """
        actor, expected_version = terms["actor"], terms.get("expected_version")
        scope_of = self.unit_of if unit_of is None else unit_of

        def decide() -> Decision:
            aggregate = load()
            if expected_version is not None and aggregate.version != expected_version:
                raise Conflict(
                    "stale_version", current=aggregate.version, expected=expected_version
                )
            unit = scope_of(aggregate)
            if unit is not None:
                policy.require_readable(actor, unit, self.catalog, self.missing(aggregate))
                policy.require_may_act(actor, unit, self.catalog)
            more = act(aggregate, actor) or ()
            response = {"id": str(aggregate.id), "version": aggregate.version}
            if respond is not None:
                response.update(respond(aggregate))
            return [aggregate, *more], response

        return self.execute(decide, idempotency=terms.get("idempotency"))

    def load(self, aggregate_id: UUID, kind: type[A], not_found: str | None = None) -> A:
        """The aggregate of that kind, or NotFound with the given code (default: the kind's)."""
        not_found = not_found or self.not_found_codes[kind]
        batch: Batch | None = getattr(self._batches, "current", None)
        try:
            aggregate = (
                batch.pending[aggregate_id]
                if batch and aggregate_id in batch.pending
                else self.repository.get(aggregate_id)
            )
        except AggregateNotFoundError:
            raise NotFound(not_found, id=str(aggregate_id)) from None
        if not isinstance(aggregate, kind):
            raise NotFound(not_found, id=str(aggregate_id))
        return aggregate

    def day(self, day: dt.date | None, field: str) -> dt.date:
        """The date a command states, today by default; never in the future."""
        on = day or self.today()
        if on > self.today():
            raise InvalidInput("date_in_future", field=field, value=on)
        return on

    def unit(self, code: str, on: dt.date, actor: Principal, field: str = "unit_code") -> Unit:
        """The unit bearing that code on that day, within the actor's scope."""
        unit = self.catalog.find(code, on)
        if unit is None:
            raise InvalidInput("unit_unknown", field=field, unit_code=code, on=on)
        policy.require_may_act(actor, unit, self.catalog, field)
        return unit

    def recorded_unit(self, code: str, structure: str) -> Unit | None:
        return self.catalog.get(structure, code)

    def missing(self, record: Aggregate) -> NotFound:
        """What a request for this record answers when it does not exist."""
        return NotFound(self.not_found_codes[type(record)], id=str(record.id))

    def unit_of(self, record: Any) -> Unit | None:
        """The unit a record was recorded at."""
        return self.recorded_unit(record.unit_code, record.unit_structure)

    def require_readable(self, reader: Principal, record: Any) -> None:
        """A record outside the reader's scope answers as a missing one (shared.policy)."""
        policy.require_readable(reader, self.unit_of(record), self.catalog, self.missing(record))

    @contextlib.contextmanager
    def batch(self, size: int = 500, flush: bool = True) -> Iterator[Batch]:
        """Bulk loading: this thread's commands are saved size aggregates per transaction.

        Each command still decides through its aggregate's rules; commands later in the batch
        see the aggregates changed earlier. No idempotency records: a bulk load is run once.
        """
        batch = Batch(self, size)
        self._batches.current = batch
        try:
            yield batch
            if flush:
                batch.flush()
        finally:
            self._batches.current = None

    def save(self, *objs: Any, **kwargs: Any) -> Any:
        recordings = super().save(*objs, **kwargs)
        if recordings:
            for listener in self.on_appended:
                listener(len(recordings))
        return recordings

    def entries(self, recordings: Iterable[Recording[Any]]) -> Iterator[Entry]:
        """Each event recorded, as the feed's Merkle tree will hold it once sealed."""
        for recording in recordings:
            entry = stored_entry(recording.notification, self.mapper.transcoder)
            yield Entry(recording.notification.id, leaf_hash(entry))

    def start_group_commit(self, max_batch: int = 500) -> None:
        """From now on concurrent commands share transactions (see shared.group_commit)."""
        self.group_commit = GroupCommit(self, max_batch)

    def close(self) -> None:
        if self.group_commit is not None:
            self.group_commit.close()
        super().close()

    def history(self, aggregate_id: UUID) -> list[FeedItem]:
        """Every stored event of one aggregate, oldest first, as feed envelopes."""
        return [
            envelope(stored, self.mapper.transcoder, None)
            for stored in self.recorder.select_events(aggregate_id)
        ]
