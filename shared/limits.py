"""Per-client rate limits on writes, through the `limits` library (moving window, in memory).

A client is the principal its credential names (a bearer token, a JWT or an Open311 api_key:
however the header is spelt, every credential of one principal counts together), else its
address (no credential, or one that names nobody). Reads are not limited here; apps that
retry a write on a bad network send the same Idempotency-Key, which costs a hit but never a
second record.
"""

from __future__ import annotations

import math
import time

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from shared.auth import bearer_credential, principal_for_credential
from shared.errors import TooManyRequests

WRITES = {"POST", "PUT", "PATCH", "DELETE"}
FORM = "application/x-www-form-urlencoded"


class WriteRateLimit:
    """A FastAPI dependency: raises 429 with Retry-After once a client is over its limit.

    A coroutine, so FastAPI calls it on the event loop: the window lives in memory, and a
    worker thread per request would cost more than the count."""

    def __init__(self, limit: str) -> None:
        self.item: RateLimitItem = parse(limit)
        self.limiter = MovingWindowRateLimiter(MemoryStorage())

    async def __call__(self, request: Request) -> None:
        if request.method not in WRITES:
            return
        client = await self.client_of(request)
        if not self.limiter.hit(self.item, client):
            reset = self.limiter.get_window_stats(self.item, client).reset_time
            raise TooManyRequests(max(1, math.ceil(reset - time.time())))

    @staticmethod
    async def client_of(request: Request) -> str:
        credential = await credential_of(request)
        principal = None
        if credential and credential.count(".") == 2:  # a JWT: its key set may be fetched
            principal = await run_in_threadpool(principal_for_credential, request, credential)
        elif credential:  # a token: a look-up in memory
            principal = principal_for_credential(request, credential)
        if principal is not None:
            return f"principal:{principal.id}"
        return f"address:{request.client.host if request.client else 'unknown'}"


async def credential_of(request: Request) -> str | None:
    """The bearer credential, else an Open311 api_key (query string, or the form of a POST:
    FastAPI has parsed that form already for the route, so reading it costs nothing)."""
    credential = bearer_credential(request.headers.get("authorization"))
    if credential is None:
        credential = request.query_params.get("api_key")
    if credential is None and request.headers.get("content-type", "").startswith(FORM):
        value = (await request.form()).get("api_key")
        credential = value if isinstance(value, str) else None
    return credential.strip() if credential and credential.strip() else None
