"""Wakes the feed's long polls when this process appends events.

The writer (the group commit's thread, or a request's worker thread) calls notify(); each
long poll awaits the signal's current generation, an asyncio.Event replaced at every notify,
so a waiter that took it before reading the feed cannot miss an append made while it read.
Appends made by another process (a second uvicorn worker, a bulk load) are seen by the poll
that still runs every POLL_INTERVAL beside it.
"""

from __future__ import annotations

import asyncio
import contextlib


class AppendSignal:
    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._generation = asyncio.Event()

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        """The event loop the waiters run on (the app's, known once it starts)."""
        self._loop = loop

    def generation(self) -> asyncio.Event:
        return self._generation

    def notify(self, count: int = 1) -> None:
        loop = self._loop
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop closed in between
                loop.call_soon_threadsafe(self._advance)

    def _advance(self) -> None:
        current, self._generation = self._generation, asyncio.Event()
        current.set()

    @staticmethod
    async def wait(generation: asyncio.Event, timeout: float) -> None:
        """Until that generation ends (an append here) or the timeout passes."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(generation.wait(), timeout)
