"""The aggregator's kiến nghị listing, as the dialogue service asks for it over HTTP.

Single records are read from the service's own store; lists (Open311 GET requests, a citizen's
own kiến nghị) come from the read side, which may trail the store by a moment.
"""

from __future__ import annotations

from typing import Any, Protocol

import httpx
import orjson

from shared.errors import DanvanError
from shared.settings import Settings


class ReadSideClient(Protocol):
    """httpx.Client in production; a TestClient in tests."""

    def get(self, url: str, *, params: Any = ...) -> Any: ...


class ReadSideUnavailable(DanvanError):
    status = 503


def read_side_client(settings: Settings) -> httpx.Client:
    headers = (
        {"Authorization": f"Bearer {settings.upstream_token}"} if settings.upstream_token else {}
    )
    return httpx.Client(base_url=settings.aggregator_url, headers=headers, timeout=30)


def list_kien_nghi(client: ReadSideClient, **filters: Any) -> list[dict[str, Any]]:
    params = {k: v for k, v in filters.items() if v not in (None, "", [], ())}
    try:
        response = client.get("/kien-nghi", params=params)
    except httpx.HTTPError as exc:
        raise ReadSideUnavailable("read_side_unavailable") from exc
    if response.status_code != 200:
        raise ReadSideUnavailable("read_side_unavailable", status=response.status_code)
    items: list[dict[str, Any]] = orjson.loads(response.content)["items"]
    return items
