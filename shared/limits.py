"""Per-client rate limits on writes, through the `limits` library (moving window, in memory).

A client is its bearer token (or Open311 api_key), else its address. Reads are not limited
here; apps that retry a write on a bad network send the same Idempotency-Key, which costs a
hit but never a second record.
"""

from __future__ import annotations

import hashlib
import math
import time

from fastapi import Request
from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from shared.errors import TooManyRequests

WRITES = {"POST", "PUT", "PATCH", "DELETE"}


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
        client = self.client_of(request)
        if not self.limiter.hit(self.item, client):
            reset = self.limiter.get_window_stats(self.item, client).reset_time
            raise TooManyRequests(max(1, math.ceil(reset - time.time())))

    @staticmethod
    def client_of(request: Request) -> str:
        credential = request.headers.get("authorization") or request.query_params.get("api_key")
        if credential:
            return hashlib.sha256(credential.encode()).hexdigest()
        return request.client.host if request.client else "unknown"
