"""Follows one upstream's GET /events and applies each page with its position in one transaction."""

from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, cast

import httpx
import orjson
from sqlalchemy import CursorResult, Table, update
from sqlalchemy.orm import Session, sessionmaker

from services.aggregator.cubes import Partition, compact
from services.aggregator.moments import IN_STORE_AT, in_store_at
from services.aggregator.projections.rows import Changes
from services.aggregator.tables import Tracking
from shared.appended import AppendSignal
from shared.errors import Conflict
from shared.events import FeedItem

COMPACT_WHEN_QUIET_FOR = 2.0  # seconds without a batch before cube partitions are compacted
COMPACT_AT_LEAST_EVERY = 30.0  # seconds: under sustained load too, so that deltas stay few
log = logging.getLogger("danvan.follower")

Item = FeedItem
Projector = Callable[[Changes, list[Item]], None]  # projections.dispatch.projector


class FeedClient(Protocol):
    """httpx.Client, or an event store read directly (stores.py); a TestClient in tests."""

    def get(self, url: str, *, params: dict[str, Any] | None = ...) -> Any: ...


class StoreMismatch(Conflict):
    """The feed names a store other than the one followed so far: refuse, don't skip."""


@dataclass
class FollowerStatus:
    position: int = 0
    store_id: str | None = None
    head: int | None = None
    last_error: str | None = None


@dataclass(frozen=True)
class Tracked:
    store_id: str | None
    position: int
    recorded_at: datetime | None


@dataclass
class Follower:
    upstream: str
    client: FeedClient
    sessions: sessionmaker[Session]
    project: Projector
    page_size: int = 500
    # pages this large while behind (the last page came back full): fewer, larger transactions
    catch_up_page_size: int | None = None
    keep_cubes: bool = True  # a rebuild fills them once at the end
    # the live loop asks for the next page while it applies this one (see step)
    read_ahead: bool = False
    ahead: tuple[int, Future[dict[str, Any]]] | None = None  # (after, the page's fetch)
    # cube partitions with deltas since they were last counted again (cubes.py)
    uncompacted: dict[Table, set[Partition]] = field(default_factory=lambda: defaultdict(set))
    applied_at: float = 0.0  # time.monotonic() of the last batch applied
    compacted_at: float = field(default_factory=time.monotonic)
    status: FollowerStatus = field(default_factory=FollowerStatus)
    behind: bool = False  # the last page came back full
    progressed: threading.Condition = field(default_factory=threading.Condition)
    applied_events: AppendSignal = field(default_factory=AppendSignal)  # wakes change feed polls
    # the tracking row as this follower last committed it; None: read it again (at the start,
    # after a failure, or when someone else may have moved it)
    tracked: Tracked | None = None

    def position(self) -> tuple[str | None, int]:
        tracked = self._tracking()
        return tracked.store_id, tracked.position

    def _tracking(self) -> Tracked:
        """What this follower committed last, else the row as it stands."""
        return self.tracked or self._read_tracking()

    def _read_tracking(self) -> Tracked:
        with self.sessions() as session:
            row = session.get(Tracking, self.upstream)
            if row is None:
                return Tracked(None, 0, None)
            return Tracked(row.store_id, row.position, row.recorded_at)

    def head(self) -> int:
        """The upstream's last position now."""
        response = self.client.get("/events/head")
        response.raise_for_status()
        return int(response.json()["position"])

    @property
    def limit(self) -> int:
        """Events to ask for: a catch-up page while behind, else a live one."""
        return (self.catch_up_page_size or self.page_size) if self.behind else self.page_size

    def fetch(self, after: int, wait: float = 0) -> dict[str, Any]:
        params = {"after": after, "limit": self.limit, "wait": wait}
        response = self.client.get("/events", params=params)
        response.raise_for_status()
        page: dict[str, Any] = orjson.loads(response.content)
        return page

    def step(self, wait: float = 0) -> int:
        """Reads one page after the tracked position and applies it; returns events applied.

        With read_ahead, the request for the page after this one is already on its way while
        this one is applied: under load, the upstream's answer takes as long as its other
        requests do, and the follower no longer waits for it after each batch."""
        remembered = self.tracked is not None
        tracked = self._tracking()
        store_id, after = tracked.store_id, tracked.position
        page = self._page(after, wait)
        if store_id is not None and page["store_id"] != store_id:
            raise StoreMismatch(
                "feed_store_mismatch",
                upstream=self.upstream,
                found=page["store_id"],
                expected=store_id,
            )
        items: list[Item] = page["items"]
        self.behind = len(items) >= self.limit
        if items:
            if self.read_ahead:
                self._fetch_ahead(page["next_after"], wait)
            try:
                self.apply(page["store_id"], tracked, items, page["next_after"])
            except Conflict:
                if not remembered:
                    raise
                # the row moved elsewhere since this follower committed it (another follower,
                # a rebuild): go on from where it stands now
                return self.step(wait)
        else:
            self._advanced(page["store_id"], after)
        self.compact()
        return len(items)

    def _page(self, after: int, wait: float) -> dict[str, Any]:
        """The page after this position: the one read ahead if it is that one (else it is
        awaited and dropped: one request at a time), or a new request."""
        ahead, self.ahead = self.ahead, None
        if ahead is not None:
            ahead_after, fetching = ahead
            if ahead_after == after:
                return fetching.result()
            fetching.exception()  # the position moved otherwise (another writer): drop it
        return self.fetch(after, wait)

    def _fetch_ahead(self, after: int, wait: float) -> None:
        """Asks for the page after this position on a thread of its own (a daemon: a long poll
        in flight never holds up the process's exit)."""
        fetching: Future[dict[str, Any]] = Future()

        def fetch() -> None:
            try:
                fetching.set_result(self.fetch(after, wait))
            except BaseException as exc:
                fetching.set_exception(exc)

        threading.Thread(target=fetch, name=f"{self.upstream}-read-ahead", daemon=True).start()
        self.ahead = (after, fetching)

    def compact(self) -> None:
        """Compacts the cube partitions this follower gave deltas to, once the feed has been
        quiet a while, and under sustained load every so often (not every batch: a report sums
        the deltas just the same)."""
        now = time.monotonic()
        quiet = now - self.applied_at >= COMPACT_WHEN_QUIET_FOR
        if self.uncompacted and (quiet or now - self.compacted_at >= COMPACT_AT_LEAST_EVERY):
            with self.sessions.begin() as session:
                compact(session.connection(), self.uncompacted)
            self.uncompacted.clear()
            self.compacted_at = now

    def apply(self, store_id: str, tracked: Tracked, items: list[Item], next_after: int) -> None:
        """Projects a page and moves the tracking row in one transaction; the row moves only
        from the position the page was read after, else Conflict (someone else applied it)."""
        self.tracked = None  # until this commits
        latest = tracked.recorded_at
        for item in items:
            latest = item[IN_STORE_AT] = in_store_at(item, latest)
        with self.sessions.begin() as session:
            if not self._move_tracking(session, store_id, tracked.position, next_after, items):
                raise Conflict("concurrent_write")
            changes = Changes(session.connection(), keep_cubes=self.keep_cubes)
            self.project(changes, items)
            changes.flush()
            touched = changes.touched
        self.tracked = Tracked(store_id, next_after, latest)
        self.applied_at = time.monotonic()
        for table, partitions in touched.items():  # once committed
            self.uncompacted[table] |= partitions
        self._advanced(store_id, next_after)
        self.applied_events.notify(len(items))

    def _move_tracking(
        self, session: Session, store_id: str, after: int, next_after: int, items: list[Item]
    ) -> bool:
        latest = items[-1][IN_STORE_AT]
        if after == 0 and session.get(Tracking, self.upstream) is None:
            session.add(
                Tracking(
                    upstream=self.upstream,
                    store_id=store_id,
                    position=next_after,
                    events=len(items),
                    recorded_at=latest,
                )
            )
            session.flush()
            return True
        result = session.execute(
            update(Tracking)
            .where(
                Tracking.upstream == self.upstream,
                Tracking.position == after,
                Tracking.store_id == store_id,
            )
            .values(position=next_after, events=Tracking.events + len(items), recorded_at=latest)
            .execution_options(synchronize_session=False)
        )
        return cast(CursorResult[Any], result).rowcount == 1  # an UPDATE's result

    def _advanced(self, store_id: str, position: int) -> None:
        with self.progressed:
            self.status.store_id, self.status.position = store_id, position
            self.status.last_error = None
            self.progressed.notify_all()

    def catch_up(self, on_page: Callable[[int], object] | None = None) -> int:
        """Applies pages until the feed has nothing newer; returns events applied."""
        total = 0
        while applied := self.step():
            total += applied
            if on_page:
                on_page(applied)
        return total

    def run(self, stop: threading.Event, wait: float) -> None:
        """The live loop: long-poll, apply, repeat; errors back off and retry."""
        backoff = 0.2
        while not stop.is_set():
            try:
                self.step(wait=wait)
                backoff = 0.2
            except StoreMismatch as exc:
                self.status.last_error = f"store mismatch: {exc.params}"
                log.error("follower %s stopped: %s", self.upstream, self.status.last_error)
                return
            except (httpx.HTTPError, OSError, Conflict) as exc:
                self.status.last_error = repr(exc)
                log.warning("follower %s: %r; retrying in %.1fs", self.upstream, exc, backoff)
                stop.wait(backoff)
                backoff = min(backoff * 2, 5.0)
            except Exception as exc:
                if stop.is_set():
                    return
                self.status.last_error = repr(exc)
                log.exception("follower %s failed; retrying", self.upstream)
                stop.wait(backoff)
                backoff = min(backoff * 2, 5.0)

    def wait_for(self, position: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        with self.progressed:
            while self.status.position < position:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self.progressed.wait(remaining)
        return True
