"""Errors with stable codes, raised by domain and application code alike."""

from __future__ import annotations

from typing import Any


class DanvanError(Exception):
    """An error with a stable code; its text comes from the message catalogue."""

    status = 400

    def __init__(self, code: str, *, field: str | None = None, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.field = field
        self.params = params


class InvalidInput(DanvanError):
    status = 422


class NotFound(DanvanError):
    status = 404


class Hidden(NotFound):
    """A record the caller may not read: answered exactly as the missing record it stands for,
    and recorded as a refusal with what was hidden (never shown to the caller)."""

    def __init__(self, missing: NotFound, **hidden: Any) -> None:
        super().__init__(missing.code, field=missing.field, **missing.params)
        self.hidden = hidden


class RuleBroken(DanvanError):
    """The record's state does not allow this command (commend a discontinued model…)."""

    status = 409


class Conflict(DanvanError):
    """A concurrent or repeated write disagrees with what is stored."""

    status = 409


class Unauthenticated(DanvanError):
    status = 401


class Forbidden(DanvanError):
    status = 403


class NotReady(DanvanError):
    """A wait ran out before the read models caught up."""

    status = 504


class Unavailable(DanvanError):
    """A service this answer depends on did not answer."""

    status = 503


class TooManyRequests(DanvanError):
    """A client over its rate limit; Retry-After says when to come back."""

    status = 429

    def __init__(self, retry_after: int) -> None:
        super().__init__("rate_limited", retry_after=retry_after)
        self.headers = {"Retry-After": str(retry_after)}
