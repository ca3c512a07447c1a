"""Fixtures: every service built through its own factory, once per store (SQLite, PostgreSQL)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from services.aggregator.database import create_read_model_engine, migrate
from services.aggregator.main import create_app as create_aggregator
from services.dialogue.main import create_app as create_dialogue
from services.registry.main import create_app as create_registry
from shared.settings import Settings
from testkit.databases import fresh_postgres_database
from testkit.tokens import issue_test_tokens
from tests.databases import skip_or_fail_without_postgres
from tests.helpers import app_of

SHARED_SCOPES = ("module", "package", "session")
PER_WORKER = {"read_models_at_head", "postgres_at_head"}  # cheap: each worker makes its own


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook reads the groups off the marks
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """With pytest-xdist (--dist loadgroup): the tests that share one of our fixtures built
    once per module or session (a live system, a browser) run on one worker, so it is built
    once; every other test goes wherever a worker is free."""
    for item in items:
        fixtures = getattr(item, "_fixtureinfo", None)
        if fixtures is None:
            continue
        params = getattr(getattr(item, "callspec", None), "params", {})
        shared = [
            definition
            for definitions in fixtures.name2fixturedefs.values()
            for definition in definitions
            if definition.scope in SHARED_SCOPES
            and definition.baseid.startswith("tests")
            and definition.argname not in PER_WORKER
        ]
        if shared:  # where they are shared (a module, or the outermost package), and their
            # parameters (a store)
            per_module = all(d.scope == "module" for d in shared)
            where = item.nodeid.split("::")[0] if per_module else min(d.baseid for d in shared)
            values = sorted({str(params[d.argname]) for d in shared if d.argname in params})
            # no "]" in a group's name: xdist reads a name after one as a parameter's value
            item.add_marker(pytest.mark.xdist_group(f"{where}:{'+'.join(values)}"))


def bearer(name: str) -> dict[str, str]:
    return {"Authorization": f"Bearer token-{name}"}


@pytest.fixture(scope="session")
def read_models_at_head(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The aggregator's read models migrated once a session, as a SQLite file: each test's
    aggregator starts from a copy and finds its tables at head (migrations: test_migrations)."""
    settings = Settings(_env_file=None, data_dir=tmp_path_factory.mktemp("read-models"))
    engine = create_read_model_engine(settings)
    migrate(engine)
    engine.dispose()
    return settings.data_dir / "aggregator.db"


@pytest.fixture(scope="session")
def postgres_at_head() -> Iterator[str]:
    """A database whose read-model schema is migrated once a session: each PostgreSQL test's
    database is made from it (CREATE DATABASE … TEMPLATE)."""
    skip_or_fail_without_postgres()
    with fresh_postgres_database() as url:
        engine = create_read_model_engine(Settings(_env_file=None, database_url=url))
        migrate(engine)
        engine.dispose()
        yield url.rsplit("/", 1)[1]


STORES = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
# for a test that takes tens of seconds: on PostgreSQL among the slow ones (CI runs them)
POSTGRES_SLOW = pytest.mark.parametrize(
    "store",
    ["sqlite", pytest.param("postgres", marks=[pytest.mark.postgres, pytest.mark.slow])],
    indirect=True,
)


def store_for(request: pytest.FixtureRequest) -> Iterator[str | None]:
    """None for SQLite; for PostgreSQL, a database of its own made from the migrated template."""
    if request.param == "sqlite":
        yield None
        return
    skip_or_fail_without_postgres()
    with fresh_postgres_database(template=request.getfixturevalue("postgres_at_head")) as url:
        yield url


def settings_for(store: str | None, data_dir: Path) -> Settings:
    settings = Settings(
        _env_file=None,
        data_dir=data_dir,
        database_url=store,
        postgres_pool_size=2,
        postgres_max_overflow=4,
        follower_wait_seconds=0.5,
        upstream_token="token-auditor",
        json_logs=False,  # pytest captures the logs itself
        escalation_interval=0,  # tests run a round when they mean to (EscalationProcess.sweep)
    )
    issue_test_tokens(settings)
    return settings


@contextmanager
def aggregator_following(
    settings: Settings, registry: TestClient, dialogue: TestClient, read_models_at_head: Path
) -> Iterator[TestClient]:
    """The aggregator in process, following the two services' TestClients; the dialogue's
    read side is this aggregator."""
    if not settings.uses_postgres:
        shutil.copyfile(read_models_at_head, settings.data_dir / "aggregator.db")
    feeds = {
        "registry": TestClient(registry.app, headers=bearer("auditor")),
        "dialogue": TestClient(dialogue.app, headers=bearer("auditor")),
    }
    with TestClient(create_aggregator(settings, feeds), headers=bearer("auditor")) as client:
        # the dialogue service lists kiến nghị from this read side
        app_of(dialogue).state.read_side = TestClient(client.app, headers=bearer("auditor"))
        # the work pages and imports send their commands to the services themselves, as the
        # reader
        app_of(client).state.writers = {
            "registry": TestClient(registry.app),
            "dialogue": TestClient(dialogue.app),
        }
        yield client


@pytest.fixture(params=STORES)
def store(request: pytest.FixtureRequest) -> Iterator[str | None]:
    yield from store_for(request)


@pytest.fixture
def settings(store: str | None, tmp_path: Path) -> Settings:
    return settings_for(store, tmp_path / "data")


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
    settings: Settings, registry: TestClient, dialogue: TestClient, read_models_at_head: Path
) -> Iterator[TestClient]:
    with aggregator_following(settings, registry, dialogue, read_models_at_head) as client:
        yield client


# The same, built once per module and store: for tests that only read what the module's fixture
# wrote, or whose requests are refused and write nothing.


@pytest.fixture(scope="module", params=STORES)
def module_store(request: pytest.FixtureRequest) -> Iterator[str | None]:
    yield from store_for(request)


@pytest.fixture(scope="module")
def module_settings(module_store: str | None, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return settings_for(module_store, tmp_path_factory.mktemp("module") / "data")


@pytest.fixture(scope="module")
def module_registry(module_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_registry(module_settings), headers=bearer("officer")) as client:
        yield client


@pytest.fixture(scope="module")
def module_dialogue(module_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_dialogue(module_settings), headers=bearer("officer")) as client:
        yield client


@pytest.fixture(scope="module")
def module_aggregator(
    module_settings: Settings,
    module_registry: TestClient,
    module_dialogue: TestClient,
    read_models_at_head: Path,
) -> Iterator[TestClient]:
    with aggregator_following(
        module_settings, module_registry, module_dialogue, read_models_at_head
    ) as client:
        yield client
