"""The dashboard end to end: the seed scenarios (Hải Phòng and Hạ Long whole, Hà Nội scaled
down) written once per store, the three services under uvicorn, and headless Chromium driven by
Playwright (Debian's /usr/bin/chromium). Screenshots go to test-artifacts/dashboard/<store>/."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

import pytest

from services.processes import running_system
from services.scenarios.loader import load_scenario
from shared.settings import Settings
from testkit.databases import fresh_postgres_database
from testkit.tokens import issue_test_tokens
from tests.dashboard.helpers import Browse, Dashboard
from tests.databases import skip_or_fail_without_postgres

HANOI_SCALE = 0.02
CHROMIUM = os.environ.get("DANVAN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "dashboard"
AXE = "axe-core@4.14.1"


@pytest.fixture(
    scope="session",
    # on PostgreSQL among the slow ones (CI runs them): the pages read the same API
    params=["sqlite", pytest.param("postgres", marks=[pytest.mark.postgres, pytest.mark.slow])],
)
def dashboard(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Dashboard]:
    store: str = request.param
    if not Path(CHROMIUM).exists():
        missing = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("DANVAN_REQUIRE_CHROMIUM"):
            pytest.fail(missing)
        pytest.skip(missing)
    with _database(store) as url:
        data = tmp_path_factory.mktemp(f"dashboard-{store}")
        settings = Settings(
            _env_file=None,
            data_dir=data,
            database_url=url,
            upstream_token="token-auditor",
            json_logs=False,
        )
        issue_test_tokens(settings)
        for name, scale in (("haiphong", 1.0), ("halong", 1.0), ("hanoi", HANOI_SCALE)):
            load_scenario(settings, name, scale=scale, progress=False)
        pool = {"DANVAN_POSTGRES_POOL_SIZE": "4"}
        with running_system(settings, data, aggregator_env=pool) as (
            registry,
            dialogue,
            aggregator,
        ):
            dashboard = Dashboard(
                aggregator.url, store, ARTIFACTS / store, dialogue.url, registry.url
            )
            shutil.rmtree(dashboard.artifacts, ignore_errors=True)
            dashboard.artifacts.mkdir(parents=True, exist_ok=True)  # another setup may race it
            with dashboard.api() as client:
                waited = client.get(
                    "/followers/wait", params={"registry": "", "dialogue": "", "timeout": 60}
                )
                while waited.status_code == 504:
                    waited = client.get(
                        "/followers/wait", params={"registry": "", "dialogue": "", "timeout": 60}
                    )
                assert waited.status_code == 200, waited.text
            yield dashboard


def _database(store: str) -> AbstractContextManager[str | None]:
    if store == "sqlite":
        return nullcontext(None)
    skip_or_fail_without_postgres()
    return fresh_postgres_database()


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's script, from npm (installed once into a cache of its own)."""
    cache = Path(os.environ.get("DANVAN_AXE_DIR", Path.home() / ".cache" / "danvan-axe"))
    script = cache / "node_modules" / "axe-core" / "axe.min.js"
    if not script.exists():
        npm = shutil.which("npm")
        if npm is None:
            missing = "npm not found: axe-core comes from the npm registry"
            if os.environ.get("DANVAN_REQUIRE_CHROMIUM"):
                pytest.fail(missing)
            pytest.skip(missing)
        command = [npm, "install", "--no-audit", "--no-fund", "--prefix", str(cache), AXE]
        subprocess.run(command, check=True, capture_output=True, timeout=300)
    return script.read_text()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def browse(browser: Any, dashboard: Dashboard, request: pytest.FixtureRequest) -> Iterator[Browse]:
    """A fresh browser context (no cookies), Vietnamese; console errors collected (a page that
    breaks its Content-Security-Policy logs one)."""
    context = browser.new_context(
        base_url=dashboard.url,
        locale="vi-VN",
        viewport={"width": 1280, "height": 900},
        accept_downloads=True,
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    browse = Browse(page, dashboard, request.node.originalname)
    page.on("pageerror", lambda error: browse.errors.append(str(error)))
    page.on(
        "console",
        lambda message: browse.errors.append(message.text) if message.type == "error" else None,
    )
    yield browse
    context.close()
