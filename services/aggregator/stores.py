"""An upstream's event store read directly, answering as its GET /events would: the fast source
for `rebuild` when the stores are at hand (no HTTP, pages of any size), its next pages read and
decoded in another process while this one projects and writes; and, when so configured, the live
followers' source (no hop through a write service that is busy with its writes)."""

from __future__ import annotations

import multiprocessing
import queue
import threading
import time
from collections.abc import Mapping
from typing import Any, cast

import httpx
import psycopg.sql
from eventsourcing.postgres import PostgresApplicationRecorder

from services.aggregator.gc_tuning import fewer_collections
from shared.audit.sources import StoreReader, open_store
from shared.events import dumps
from shared.settings import Settings

SQLITE_POLL = 0.005  # seconds between reads of a SQLite store's head while a long poll waits
READ_AHEAD_BEYOND = 10  # pages behind before a child process reads ahead (it starts in ~1 s)


class StoreFeed:
    """A FeedClient over one event store: the items are made as the feed makes them
    (shared.events.feed_page) and go through the same JSON, so projections see the same values."""

    def __init__(self, reader: StoreReader) -> None:
        self.reader = reader

    def get(self, url: str, *, params: dict[str, Any] | None = None) -> httpx.Response:
        params = params or {}
        if url == "/events/head":
            body = dumps({"store_id": self.reader.store_id, "position": self.head()})
        elif url == "/events":
            _, _, body = self.page(int(params.get("after", 0)), int(params.get("limit", 100)))
        else:
            return answer(self.reader.service, url, None)
        return answer(self.reader.service, url, body)

    def page(self, after: int, limit: int) -> tuple[int, int, bytes]:
        """The events after a position, as GET /events answers them: (how many, the position
        to ask after next, the JSON)."""
        items, next_after = self.reader.feed(after, limit)
        body = {"store_id": self.reader.store_id, "items": items, "next_after": next_after}
        return len(items), next_after, dumps(body)

    def head(self) -> int:
        return self.reader.head()

    def close(self) -> None:
        self.reader.close()


def answer(service: str, url: str, body: bytes | None) -> httpx.Response:
    """What the service would answer: 200 and the body, or 404 (None) for another path."""
    request = httpx.Request("GET", f"store://{service}{url}")
    if body is None:
        return httpx.Response(404, request=request)
    return httpx.Response(200, content=body, request=request)


class LiveStoreFeed:
    """The live follower's FeedClient over an upstream's event store (the same PostgreSQL or
    data folder as the write service's): GET /events long-polls as the service's does. On
    PostgreSQL the wait listens on the channel eventsourcing notifies at every insert, so it
    ends as the write commits; SQLite has no such signal across processes and its head is read
    every few milliseconds (a read of one index entry). Far behind (a full page, and many more
    after it), the next pages are read by a child process, as the rebuild reads them, while
    this one applies: until a page comes back short.

    The store is opened on first use, and again after a failure: the aggregator may start
    before a write service has created its store, and a store that cannot be reached raises
    ConnectionError, which the follower's loop backs off from and retries."""

    def __init__(
        self, settings: Settings, service: str, app_name: str, poll: float = SQLITE_POLL
    ) -> None:
        self.settings, self.service, self.app_name, self.poll = settings, service, app_name, poll
        self._feed: StoreFeed | None = None
        self._opening = threading.Lock()  # the follower, its read-ahead and /ready share it
        self._ahead: ReadAhead | None = None  # a child process reading the next pages

    def get(self, url: str, *, params: dict[str, Any] | None = None) -> httpx.Response:
        params = params or {}
        try:
            feed = self._store()
            if url != "/events":
                return feed.get(url, params=params)
            after, limit = int(params.get("after", 0)), int(params.get("limit", 100))
            if (read_ahead := self._read_ahead(after, limit)) is not None:
                return answer(self.service, url, read_ahead)
            deadline = time.monotonic() + float(params.get("wait", 0))
            if self.settings.uses_postgres:
                self._listen_until(feed, after, deadline)
            while time.monotonic() < deadline and feed.head() <= after:
                time.sleep(self.poll)
            count, next_after, body = feed.page(after, limit)
            if count == limit and feed.head() - next_after > READ_AHEAD_BEYOND * limit:
                self._ahead = ReadAhead(self.settings, self.service, self.app_name)
                self._ahead.start(next_after, limit)
            return answer(self.service, url, body)
        except ConnectionError:
            raise
        except Exception as exc:
            self.close()  # opened afresh next time
            raise ConnectionError(f"the {self.service} event store: {exc!r}") from exc

    @property
    def reading_ahead(self) -> bool:
        """Whether a child process is reading the next pages (far behind)."""
        return self._ahead is not None

    def _read_ahead(self, after: int, limit: int) -> bytes | None:
        """The page the child process read, if it is reading this one; it stops at a short
        page (caught up) or when asked for another."""
        ahead = self._ahead
        if ahead is None:
            return None
        if ahead.next != (after, limit):
            self._stop_reading_ahead()
            return None
        count, _, body = ahead.page(after, limit)
        if count < limit:
            self._stop_reading_ahead()
        return body

    def _stop_reading_ahead(self) -> None:
        ahead, self._ahead = self._ahead, None
        if ahead is not None:
            ahead.close()

    @staticmethod
    def _listen_until(feed: StoreFeed, after: int, deadline: float) -> None:
        """Until the store's head passes `after` or the deadline: LISTEN first, then look, so
        that an insert committed in between is not missed."""
        recorder = cast(PostgresApplicationRecorder, feed.reader.recorder)
        with recorder.datastore.get_connection() as conn:
            channel = psycopg.sql.Identifier(recorder.channel_name)
            conn.execute(psycopg.sql.SQL("LISTEN {0}").format(channel))
            try:
                while (remaining := deadline - time.monotonic()) > 0 and feed.head() <= after:
                    for _ in conn.notifies(timeout=remaining, stop_after=1):
                        pass
            finally:
                conn.execute(psycopg.sql.SQL("UNLISTEN {0}").format(channel))

    def _store(self) -> StoreFeed:
        with self._opening:
            if self._feed is None:
                try:
                    reader = open_store(self.settings, self.service, self.app_name)
                except Exception as exc:
                    raise ConnectionError(f"no {self.service} event store yet: {exc!r}") from exc
                if not reader.store_id:
                    reader.close()
                    raise ConnectionError(f"the {self.service} event store is not created yet")
                self._feed = StoreFeed(reader)
            return self._feed

    def close(self) -> None:
        self._stop_reading_ahead()
        with self._opening:
            feed, self._feed = self._feed, None
        if feed is not None:
            feed.close()


def live_store_feeds(
    settings: Settings, application_names: Mapping[str, str]
) -> dict[str, LiveStoreFeed]:
    return {
        service: LiveStoreFeed(settings, service, name)
        for service, name in application_names.items()
    }


class ReadAhead:
    """A StoreFeed whose pages come from a child process reading ahead of the follower: it asks
    for the page after the last one, so the child reads each next page while this process is
    busy with the current one (two pages at most wait, so memory stays flat)."""

    def __init__(self, settings: Settings, service: str, app_name: str, depth: int = 2) -> None:
        self.settings, self.service, self.app_name, self.depth = settings, service, app_name, depth
        self.local = StoreFeed(open_store(settings, service, app_name))
        self.context = multiprocessing.get_context("spawn")  # no forked pools or engines
        self.child: Any = None
        self.pages: Any = None
        self.next: tuple[int, int] | None = None  # the (after, limit) the child reads next

    def get(self, url: str, *, params: dict[str, Any] | None = None) -> httpx.Response:
        if url != "/events":
            return self.local.get(url, params=params)
        params = params or {}
        _, _, body = self.page(int(params.get("after", 0)), int(params.get("limit", 100)))
        return answer(self.service, url, body)

    def page(self, after: int, limit: int) -> tuple[int, int, bytes]:
        """As StoreFeed.page, from the child (started again if it reads elsewhere)."""
        if self.next != (after, limit):
            self.start(after, limit)
        page_after, count, next_after, content = self._next_page()
        assert page_after == after
        self.next = (next_after, limit) if next_after != after else None
        return count, next_after, content

    def _next_page(self) -> tuple[int, int, int, bytes]:
        while True:
            try:
                page: tuple[int, int, int, bytes] = self.pages.get(timeout=1)
                return page
            except queue.Empty:
                if not self.child.is_alive():
                    code = self.child.exitcode
                    self._stop()
                    self.next = None
                    raise RuntimeError(f"the {self.service} store reader exited ({code})") from None

    def start(self, after: int, limit: int) -> None:
        self._stop()
        self.pages = self.context.Queue(maxsize=self.depth)
        args = (self.settings, self.service, self.app_name, after, limit, self.pages)
        self.child = self.context.Process(target=_read_pages, args=args, daemon=True)
        self.child.start()
        self.next = (after, limit)

    def _stop(self) -> None:
        if self.child is not None:
            if self.child.is_alive():
                self.child.terminate()
            self.child.join()
            self.child = None

    def close(self) -> None:
        self._stop()
        self.local.close()


def _read_pages(
    settings: Settings, service: str, app_name: str, after: int, limit: int, pages: Any
) -> None:
    """In the child: every page from `after` on, as the feed's JSON, until an empty one, or
    until the parent is gone (killed: nobody would take the pages)."""
    parent = multiprocessing.parent_process()
    feed = StoreFeed(open_store(settings, service, app_name))
    try:
        with fewer_collections():
            while True:
                count, next_after, body = feed.page(after, limit)
                while True:
                    try:
                        pages.put((after, count, next_after, body), timeout=1)
                        break
                    except queue.Full:
                        if parent is not None and not parent.is_alive():
                            pages.cancel_join_thread()  # exit without flushing to nobody
                            return
                if not count:
                    return
                after = next_after
    finally:
        feed.close()


def store_feeds(
    settings: Settings, application_names: Mapping[str, str], *, read_ahead: bool = True
) -> dict[str, StoreFeed | ReadAhead]:
    """Each upstream's store (service → its Application.name); raises when one is missing."""
    feeds: dict[str, StoreFeed | ReadAhead] = {}
    try:
        for service, name in application_names.items():
            reader = open_store(settings, service, name)
            found = reader.store_id
            reader.close()
            if not found:
                raise FileNotFoundError(f"no {service} event store in these settings")
            feeds[service] = (
                ReadAhead(settings, service, name)
                if read_ahead
                else StoreFeed(open_store(settings, service, name))
            )
    except BaseException:
        for feed in feeds.values():
            feed.close()
        raise
    return feeds
