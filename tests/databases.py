"""PostgreSQL tests skip where no server is reachable, and fail instead where CI requires one."""

from __future__ import annotations

import os

import pytest

from testkit.databases import POSTGRES_ADMIN_URL, postgres_available


def skip_or_fail_without_postgres() -> None:
    if postgres_available():
        return
    if os.environ.get("DANVAN_REQUIRE_POSTGRES"):
        pytest.fail(f"PostgreSQL is required but not reachable at {POSTGRES_ADMIN_URL}")
    pytest.skip(f"PostgreSQL not reachable at {POSTGRES_ADMIN_URL}")
