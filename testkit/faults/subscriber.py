"""A subscriber to the aggregator's change feed (GET /kien-nghi/changes) as another system runs
one: it keeps its cursor, long-polls after it, and when a request fails (no connection, no
answer, 5xx, 429) asks again after the same cursor, so that nothing is skipped; every change
it was handed and every failure it met are kept for the proofs."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

# the feed asked with these parameters: an httpx response (or a TestClient's, of its own httpx)
Get = Callable[[dict[str, Any]], Any]


@dataclass
class Subscriber:
    get: Get
    filters: dict[str, Any] = field(default_factory=dict)  # agency=, province=…
    limit: int = 5
    wait: float = 2.0
    backoff: float = 0.1
    cursor: int = 0
    received: list[dict[str, Any]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def poll(self, wait: float | None = None) -> bool:
        """One request after the cursor; True if it answered (the cursor moved as told)."""
        params = {**self.filters, "after": self.cursor, "limit": self.limit}
        try:
            response = self.get({**params, "wait": self.wait if wait is None else wait})
        except httpx.TransportError as exc:
            self.failures.append(type(exc).__name__)
            return False
        if response.status_code >= 500 or response.status_code == 429:
            self.failures.append(str(response.status_code))
            return False
        response.raise_for_status()  # anything else is the subscriber's own mistake
        page = response.json()
        self.received += page["items"]
        self.cursor = page["next"]
        return True

    def drain(self, timeout: float = 60) -> None:
        """Asks until a page comes back empty: every change applied so far is in."""
        deadline = time.monotonic() + timeout
        while True:
            before = len(self.received)
            if self.poll(wait=0) and len(self.received) == before:
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"the change feed did not answer in {timeout:.0f}s")
            time.sleep(self.backoff if len(self.received) == before else 0)

    def start(self) -> Subscriber:
        self._thread = threading.Thread(target=self._follow, name="subscriber", daemon=True)
        self._thread.start()
        return self

    def _follow(self) -> None:
        while not self.stop.is_set():
            if not self.poll():
                self.stop.wait(self.backoff)

    def close(self) -> None:
        self.stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.wait + 30)
