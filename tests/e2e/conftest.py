"""The system as separate processes: registry and aggregator under uvicorn on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx
import pytest

from services.processes import Service, running_system
from shared.settings import Settings
from tests.conftest import bearer


@dataclass
class System:
    registry: Service
    dialogue: Service
    aggregator: Service
    settings: Settings

    def client(self, service: Service, who: str) -> httpx.Client:
        return httpx.Client(base_url=service.url, headers=bearer(who), timeout=30)


@contextmanager
def system_of(settings: Settings) -> Iterator[System]:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    # pages of 7 events, behind too: a kill lands in the middle of a catch-up
    small_pages = {"DANVAN_FOLLOWER_PAGE_SIZE": "7", "DANVAN_FOLLOWER_CATCH_UP_PAGE_SIZE": "7"}
    with running_system(settings, settings.data_dir, aggregator_env=small_pages) as services:
        yield System(*services, settings)


@pytest.fixture
def system(settings: Settings) -> Iterator[System]:
    """A system of the test's own: for a test that stops, kills or rebuilds part of it."""
    with system_of(settings) as system:
        yield system


@pytest.fixture(scope="module")
def shared_system(module_settings: Settings) -> Iterator[System]:
    """One system for the module's tests that only write and read (each counts from what it
    found before)."""
    with system_of(module_settings) as system:
        yield system
