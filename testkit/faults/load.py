"""A bounded write load as a real app sends it: each write under its own Idempotency-Key,
retried with that key on no answer, 5xx or 429 (backoff, bounded), every outcome recorded."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx

from testkit.records import model_body

RETRYABLE_STATUS = 429  # and every 5xx


@dataclass(frozen=True)
class Write:
    """One write the load makes: which service, which path, which body, under which key."""

    key: str
    service: str  # "registry" or "dialogue"
    path: str
    body: dict[str, Any]
    created: str  # the event type its first event has in the feed

    @classmethod
    def model(cls, key: str) -> Write:
        body = model_body(title=f"Mô hình {key}", description=f"fault load {key}")
        return cls(key, "registry", "/models", body, "Model.Registered")

    @classmethod
    def kien_nghi(cls, key: str) -> Write:
        body = {
            "source": "citizen_reception",
            "source_id": None,
            "unit_code": "00004",
            "category": "land",
            "content": f"Kiến nghị {key}",
            "received_on": "2021-05-01",
        }
        return cls(key, "dialogue", "/kien-nghi", body, "KienNghi.Received")


def plan(prefix: str, count: int) -> list[Write]:
    """Two models for every kiến nghị, interleaved, so both write services carry load."""
    return [
        Write.kien_nghi(f"{prefix}-kn-{i}") if i % 3 == 2 else Write.model(f"{prefix}-m-{i}")
        for i in range(count)
    ]


@dataclass
class Outcome:
    write: Write
    result: str  # "acked", "rejected" (a final 4xx) or "gave_up" (no answer it could use)
    attempts: int
    started: float
    finished: float
    id: str | None = None
    status: int | None = None
    replayed: bool = False  # the answer was an earlier attempt's, replayed by its key
    errors: list[str] = field(default_factory=list)

    @property
    def retried(self) -> bool:
        return self.attempts > 1


@dataclass
class Retry:
    timeout: float = 5.0  # per attempt
    give_up_after: float = 45.0  # per write, all attempts together
    max_attempts: int = 200
    first_backoff: float = 0.05
    max_backoff: float = 1.0


class Writer:
    """One client (its own connections) writing to the services with retries."""

    def __init__(self, urls: dict[str, str], token: str, retry: Retry) -> None:
        self.retry = retry
        self.clients = {
            name: httpx.Client(
                base_url=url,
                headers={"Authorization": f"Bearer {token}"},
                timeout=httpx.Timeout(retry.timeout, connect=min(retry.timeout, 2.0)),
            )
            for name, url in urls.items()
        }

    def close(self) -> None:
        for client in self.clients.values():
            client.close()

    def send(self, write: Write, stop: threading.Event | None = None) -> Outcome:
        client = self.clients[write.service]
        started = time.monotonic()
        outcome = Outcome(write, "gave_up", 0, started, started)
        backoff = self.retry.first_backoff
        while True:
            outcome.attempts += 1
            delay = backoff
            try:
                response = client.post(
                    write.path, json=write.body, headers={"Idempotency-Key": write.key}
                )
            except httpx.TransportError as exc:
                outcome.errors.append(type(exc).__name__)
            else:
                outcome.status = response.status_code
                if response.is_success:
                    outcome.result, outcome.id = "acked", str(response.json()["id"])
                    outcome.replayed = response.headers.get("Idempotent-Replayed") == "true"
                    break
                outcome.errors.append(str(response.status_code))
                if response.status_code != RETRYABLE_STATUS and response.status_code < 500:
                    outcome.result = "rejected"
                    outcome.errors.append(response.text[:300])
                    break
                if response.status_code == RETRYABLE_STATUS:
                    delay = max(delay, float(response.headers.get("Retry-After", "1")))
            spent = time.monotonic() - started
            if (
                outcome.attempts >= self.retry.max_attempts
                or spent + delay > self.retry.give_up_after
                or (stop is not None and stop.is_set())
            ):
                break
            time.sleep(delay * random.uniform(0.75, 1.25))
            backoff = min(backoff * 2, self.retry.max_backoff)
        outcome.finished = time.monotonic()
        return outcome


class Load:
    """Client threads sharing a list of writes, as fast as the services take them or at a
    steady rate; progress is the share of writes handed out. slowed() trickles new writes
    while a part of the system is down, so that the load does not run past the next kill."""

    def __init__(
        self,
        writes: list[Write],
        new_writer: Callable[[], Writer],
        *,
        clients: int,
        rate: float | None,
    ) -> None:
        self.writes, self.new_writer, self.clients, self.rate = writes, new_writer, clients, rate
        self.outcomes: list[Outcome] = []
        self.stop = threading.Event()
        self._lock = threading.Lock()
        self._handed_out = 0
        self._due = 0.0
        self._threads: list[threading.Thread] = []
        self.failures: list[BaseException] = []

    @property
    def handed_out(self) -> float:
        return self._handed_out / max(1, len(self.writes))

    @property
    def in_flight(self) -> int:
        with self._lock:
            return self._handed_out - len(self.outcomes)

    def start(self) -> Load:
        for i in range(self.clients):
            thread = threading.Thread(target=self._client, name=f"load-{i}", daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def _next(self) -> Write | None:
        with self._lock:
            if self._handed_out >= len(self.writes) or self.stop.is_set():
                return None
            i, self._handed_out = self._handed_out, self._handed_out + 1
            due = self._due = max(time.monotonic(), self._due + 1 / self.rate if self.rate else 0)
        time.sleep(max(0.0, due - time.monotonic()))  # a steady pace, no burst after a hold
        return self.writes[i]

    def _client(self) -> None:
        writer = self.new_writer()
        try:
            while (write := self._next()) is not None:
                outcome = writer.send(write, self.stop)
                with self._lock:
                    self.outcomes.append(outcome)
        except BaseException as exc:  # shown by join(), never lost in a thread
            self.failures.append(exc)
        finally:
            writer.close()

    @contextmanager
    def slowed(self, rate: float) -> Iterator[None]:
        before, self.rate = self.rate, rate
        try:
            yield
        finally:
            self.rate = before

    def wait_handed_out(self, share: float) -> None:
        while self.handed_out < share and any(t.is_alive() for t in self._threads):
            time.sleep(0.02)

    def join(self, timeout: float = 600) -> list[Outcome]:
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        if self.failures:
            raise RuntimeError(f"a load client failed: {self.failures[0]!r}")
        if any(t.is_alive() for t in self._threads):
            raise RuntimeError("the load did not finish in time")
        return self.outcomes
