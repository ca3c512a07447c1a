"""The work pages' one write path: each command goes to the write service's own HTTP API, as
the signed-in user (their own credential), so the service applies its policy, scope,
idempotency and If-Match and records its refusals exactly as for any other client. Reads of a
record for its page go the same way, so a page shows what the API would show this user."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx
from fastapi import Request

from services.aggregator.dashboard.session import forwarded_credential


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any
    etag: str | None = None

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def error(self) -> dict[str, Any]:
        error: dict[str, Any] = (self.body or {}).get("error") or {}
        return error


def _writer(request: Request, service: str) -> Any:
    writers: Mapping[str, httpx.Client] = request.app.state.writers
    return writers[service]


def _headers(request: Request, lang: str) -> dict[str, str]:
    return {
        "Authorization": f"Bearer {forwarded_credential(request) or ''}",
        "Accept-Language": lang,
    }


def _answer(response: httpx.Response) -> Answer:
    body = response.json() if response.content else None
    return Answer(response.status_code, body, response.headers.get("etag"))


def read(request: Request, service: str, path: str, lang: str) -> Answer:
    return _answer(_writer(request, service).get(path, headers=_headers(request, lang)))


def send(
    request: Request,
    service: str,
    path: str,
    body: dict[str, Any],
    *,
    key: str,
    version: str | None,
    lang: str,
) -> Answer:
    """POSTs the command with its Idempotency-Key (the form's: a second submit replays the
    first) and, for a change, If-Match (the version the form was shown with)."""
    headers = {**_headers(request, lang), "Idempotency-Key": key}
    if version:
        headers["If-Match"] = f'"{version}"'
    return _answer(_writer(request, service).post(path, json=body, headers=headers))


def openapi_of(request: Request, service: str) -> dict[str, Any]:
    """The write service's OpenAPI document, which the forms are made from (read once)."""
    documents: dict[str, dict[str, Any]] = request.app.state.write_documents
    if service not in documents:
        response = _writer(request, service).get("/openapi.json")
        response.raise_for_status()
        documents[service] = response.json()
    return documents[service]
