"""Sending checked rows through the write services' HTTP API, as the user: each row its
creation command (there are no batch endpoints), with its Idempotency-Key, a few at a time. A
429 waits as Retry-After says and a service that does not answer is asked again, with the same
key, so nothing is written twice; a refusal is the row's problem, told by the API."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx
import orjson

from services.importing.checking import Checked
from services.importing.problems import Layout, Problem
from shared.messages import message

ATTEMPTS = 8  # a service not answering, or answering 502–504: some 4 minutes in all
LONGEST_WAIT = 60.0
UNAVAILABLE = {502, 503, 504}


class WriteClient(Protocol):
    """httpx.Client in production; a TestClient in tests."""

    def post(self, url: str, *, content: bytes, headers: Mapping[str, str]) -> Any: ...


@dataclass(frozen=True)
class Sent:
    row: Checked
    record_id: str | None  # None: refused, or not sent
    replayed: bool  # written before, by an earlier upload of the same row
    problems: list[Problem] = field(default_factory=list)
    sent: bool = True  # False: the import was stopped before the row was answered


def retry_after(response: Any, otherwise: float) -> float:
    after = response.headers.get("retry-after", "")
    return min(float(after) if after.isdigit() else otherwise, LONGEST_WAIT)


class Sender:
    def __init__(
        self,
        writers: Mapping[str, WriteClient],
        credential: str,
        lang: str,
        layouts: Mapping[str, Layout],  # by sheet title
        stop: threading.Event,
    ) -> None:
        self.writers, self.layouts, self.stop = writers, layouts, stop
        self.lang = lang
        self.headers = {
            "Authorization": f"Bearer {credential}",
            "Content-Type": "application/json",
            "Accept-Language": lang,
            "X-Client-Id": "danvan-import",
        }

    def send_all(
        self, rows: Iterable[Checked], concurrency: int, done: Callable[[Sent], None]
    ) -> None:
        """Each row sent once, `concurrency` at a time; `done` is called in this thread."""
        with ThreadPoolExecutor(concurrency, thread_name_prefix="import-send") as pool:
            pending: set[Future[Sent]] = set()
            for row in rows:
                if self.stop.is_set():
                    break
                pending.add(pool.submit(self.send, row))
                if len(pending) >= concurrency * 2:
                    finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                    for future in finished:
                        done(future.result())
            for future in pending:
                done(future.result())

    def send(self, row: Checked) -> Sent:
        client = self.writers[row.kind.service]
        headers = {**self.headers, "Idempotency-Key": row.key}
        failures, reason = 0, ""
        while failures < ATTEMPTS and not self.stop.is_set():
            try:
                response = client.post(row.kind.path, content=row.body, headers=headers)
            except (httpx.HTTPError, OSError) as exc:
                failures, reason = failures + 1, type(exc).__name__
                self.stop.wait(min(2.0**failures, LONGEST_WAIT))
                continue
            status = response.status_code
            if status < 300:
                answer = orjson.loads(response.content)
                replayed = response.headers.get("idempotent-replayed") == "true"
                return Sent(row, str(answer["id"]), replayed)
            if status == 429:  # the user's rate limit: as long as it takes, as it says
                self.stop.wait(retry_after(response, 1.0))
                continue
            if status in UNAVAILABLE:
                failures, reason = failures + 1, f"HTTP {status}"
                self.stop.wait(retry_after(response, 2.0**failures))
                continue
            return Sent(row, None, False, self._refusal(row, response))
        if self.stop.is_set():
            return Sent(row, None, False, sent=False)
        code = "import_not_sent"
        text = message(code, self.lang, service=row.kind.service, reason=reason)
        problem = self.layouts[row.sheet].problem(row.row, None, code, text, self.lang, [])
        return Sent(row, None, False, [problem])

    def _refusal(self, row: Checked, response: Any) -> list[Problem]:
        """The API's error, each of its details at its field's cell."""
        layout = self.layouts[row.sheet]
        try:
            error = orjson.loads(response.content)["error"]
        except (orjson.JSONDecodeError, KeyError, TypeError):
            error = {"code": "http_error", "message": message("http_error", self.lang)}
        details = error.get("details") or [error]
        items = list(row.items)
        return [
            layout.problem(
                row.row,
                detail.get("field"),
                str(detail.get("code") or error.get("code")),
                str(detail.get("message", "")),
                self.lang,
                items,
            )
            for detail in details
        ]
