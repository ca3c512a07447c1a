"""The aggregator's kiến nghị listing, as the dialogue service asks for it over HTTP.

Single records are read from the service's own store; lists (Open311 GET requests, a citizen's
own kiến nghị) come from the read side, which may trail the store by a moment.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

import httpx
import orjson

from shared.errors import Unavailable
from shared.settings import Settings


class ReadSideClient(Protocol):
    """httpx.Client in production; a TestClient in tests."""

    def get(self, url: str, *, params: Any = ...) -> Any: ...


class ReadSideUnavailable(Unavailable):
    """The aggregator, which lists kiến nghị for this service, did not answer."""


def read_side_client(settings: Settings) -> httpx.Client:
    headers = (
        {"Authorization": f"Bearer {settings.upstream_token}"} if settings.upstream_token else {}
    )
    return httpx.Client(base_url=settings.aggregator_url, headers=headers, timeout=30)


def list_kien_nghi(client: ReadSideClient, **filters: Any) -> list[dict[str, Any]]:
    return _items(client, "/kien-nghi", filters)


def list_service_requests(client: ReadSideClient, **filters: Any) -> list[dict[str, Any]]:
    """Kiến nghị a page at a time, as Open311 lists them (categories, requested_at range)."""
    return _items(client, "/kien-nghi/service-requests", filters)


def list_status_changes(client: ReadSideClient, **filters: Any) -> list[dict[str, Any]]:
    """The steps of kiến nghị recorded between since and until, oldest first."""
    return _items(client, "/kien-nghi/status-changes", filters)


def _items(client: ReadSideClient, path: str, filters: dict[str, Any]) -> list[dict[str, Any]]:
    params = {k: _param(v) for k, v in filters.items() if v not in (None, "", [], ())}
    try:
        response = client.get(path, params=params)
    except httpx.HTTPError as exc:
        raise ReadSideUnavailable("read_side_unavailable") from exc
    if response.status_code != 200:
        raise ReadSideUnavailable("read_side_unavailable", status=response.status_code)
    items: list[dict[str, Any]] = orjson.loads(response.content)["items"]
    return items


def _param(value: Any) -> Any:
    """Moments with their offset, in full (a '+' is encoded by the client)."""
    return value.isoformat() if isinstance(value, datetime) else value
