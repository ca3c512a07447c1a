"""Fixtures: every service built through its own factory, once per store (SQLite, PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from services.aggregator.main import create_app as create_aggregator
from services.dialogue.main import create_app as create_dialogue
from services.registry.main import create_app as create_registry
from shared.settings import Settings
from testkit.databases import fresh_postgres_database
from testkit.tokens import issue_test_tokens
from tests.databases import skip_or_fail_without_postgres
from tests.helpers import app_of

SHARED_SCOPES = ("module", "package", "session")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """With pytest-xdist (--dist loadgroup): the tests that share one of our fixtures built
    once per module or session (a live system, a browser) run on one worker, so it is built
    once; every other test goes wherever a worker is free."""
    for item in items:
        fixtures = getattr(item, "_fixtureinfo", None)
        if fixtures is None:
            continue
        params = getattr(getattr(item, "callspec", None), "params", {})
        shared = {  # where the fixture is defined, and its parameter (a store) if any
            f"{definition.baseid}[{params.get(definition.argname, '')}]"
            for definitions in fixtures.name2fixturedefs.values()
            for definition in definitions
            if definition.scope in SHARED_SCOPES and definition.baseid.startswith("tests")
        }
        if shared:
            item.add_marker(pytest.mark.xdist_group(" ".join(sorted(shared))))


def bearer(name: str) -> dict[str, str]:
    return {"Authorization": f"Bearer token-{name}"}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest) -> Iterator[str | None]:
    if request.param == "sqlite":
        yield None
        return
    skip_or_fail_without_postgres()
    with fresh_postgres_database() as url:
        yield url


@pytest.fixture
def settings(store: str | None, tmp_path: Path) -> Settings:
    settings = Settings(
        _env_file=None,
        data_dir=tmp_path / "data",
        database_url=store,
        postgres_pool_size=2,
        postgres_max_overflow=4,
        follower_wait_seconds=0.5,
        upstream_token="token-auditor",
        json_logs=False,  # pytest captures the logs itself
    )
    issue_test_tokens(settings)
    return settings


@pytest.fixture
def registry(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_registry(settings), headers=bearer("officer")) as client:
        yield client


@pytest.fixture
def dialogue(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_dialogue(settings), headers=bearer("officer")) as client:
        yield client


@pytest.fixture
def aggregator(
    settings: Settings, registry: TestClient, dialogue: TestClient
) -> Iterator[TestClient]:
    feeds = {
        "registry": TestClient(registry.app, headers=bearer("auditor")),
        "dialogue": TestClient(dialogue.app, headers=bearer("auditor")),
    }
    with TestClient(create_aggregator(settings, feeds), headers=bearer("auditor")) as client:
        # the dialogue service lists kiến nghị from this read side
        app_of(dialogue).state.read_side = TestClient(client.app, headers=bearer("auditor"))
        yield client
