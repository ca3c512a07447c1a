"""The system as separate processes: registry and aggregator under uvicorn on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from shared.settings import Settings
from tests.conftest import bearer
from tests.e2e.processes import Service, service_env


@dataclass
class System:
    registry: Service
    dialogue: Service
    aggregator: Service
    settings: Settings

    def client(self, service: Service, who: str) -> httpx.Client:
        return httpx.Client(base_url=service.url, headers=bearer(who), timeout=30)


@pytest.fixture
def system(settings: Settings) -> Iterator[System]:
    log_dir = settings.data_dir
    log_dir.mkdir(parents=True, exist_ok=True)
    registry = Service("registry", service_env(settings), log_dir).start()
    dialogue = Service("dialogue", service_env(settings), log_dir)
    aggregator: Service = Service(
        "aggregator",
        service_env(
            settings,
            DANVAN_REGISTRY_URL=registry.url,
            DANVAN_DIALOGUE_URL=dialogue.url,
            DANVAN_FOLLOWER_PAGE_SIZE="7",
        ),
        log_dir,
    )
    dialogue.env["DANVAN_AGGREGATOR_URL"] = aggregator.url
    try:
        dialogue.start()
        aggregator.start()
        yield System(registry, dialogue, aggregator, settings)
    finally:
        aggregator.stop()
        dialogue.stop()
        registry.stop()


pytestmark = pytest.mark.e2e
