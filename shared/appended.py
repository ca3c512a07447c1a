"""Wakes the feed's long polls when this process appends events.

The writer (the group commit's thread, or a request's worker thread) calls notify(); a long poll
takes the signal's generation before it reads the feed and then waits for the generation to
move, so an append made while it read is not missed. Waiters may run on different event loops
(each TestClient request has its own): each waits on a future of its own loop, woken through
that loop. Appends made by another process (a second uvicorn worker, a bulk load) are seen by
the poll that still runs every POLL_INTERVAL beside it.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading


class AppendSignal:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._generation = 0
        self._waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = set()

    def generation(self) -> int:
        return self._generation

    def notify(self, count: int = 1) -> None:
        with self._lock:
            self._generation += 1
            waiters, self._waiters = self._waiters, set()
        for loop, future in waiters:
            with contextlib.suppress(RuntimeError):  # its loop closed in between
                loop.call_soon_threadsafe(_wake, future)

    async def wait(self, generation: int, timeout: float) -> None:
        """Until an append moves the generation past this one, or the timeout passes."""
        loop = asyncio.get_running_loop()
        waiter = (loop, loop.create_future())
        with self._lock:
            if self._generation != generation:
                return
            self._waiters.add(waiter)
        try:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(waiter[1], timeout)
        finally:
            with self._lock:
                self._waiters.discard(waiter)


def _wake(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)
