"""Wakes the long polls when this process appends events (or applies them: the aggregator's
change feed), and the long poll itself.

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
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


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


async def long_poll(
    read: Callable[[], Awaitable[T]],
    found: Callable[[T], bool],
    wait: float,
    signal: AppendSignal | None,
    gone: Callable[[], Awaitable[bool]],
    interval: float,
) -> T:
    """Reads until found(answer), the wait runs out or the caller is gone (gone()): woken at
    once by the signal, and every interval anyway for what another process wrote."""
    deadline = time.monotonic() + wait
    while True:
        generation = signal.generation() if signal else 0
        answer = await read()
        if found(answer) or time.monotonic() >= deadline or await gone():
            return answer
        pause = min(interval, max(0.0, deadline - time.monotonic()))
        if signal is None:
            await asyncio.sleep(pause)
        else:
            await signal.wait(generation, pause)
