"""Several processes of one write service (uvicorn --workers 2), each with its own group commit
and sealer: idempotency and If-Match still hold, because the database decides them (docs/
scaling.md)."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import partial

import httpx
import pytest

from services.processes import Service, service_env
from shared.settings import Settings
from testkit.records import model_body
from tests.conftest import bearer

pytestmark = pytest.mark.e2e
ROUNDS = 4


@pytest.fixture
def registry(settings: Settings) -> Iterator[Service]:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    env = service_env(settings)
    service = Service("registry", env, settings.data_dir, options=["--workers", "2"])
    service.start(timeout=120)
    try:
        yield service
    finally:
        service.stop()


def clients(service: Service, count: int) -> list[httpx.Client]:
    """A connection each: the two processes accept them as the kernel hands them out."""
    return [
        httpx.Client(base_url=service.url, headers=bearer("officer"), timeout=30)
        for _ in range(count)
    ]


def register(client: httpx.Client, *, body: dict[str, object], key: str) -> httpx.Response:
    return client.post("/models", json=body, headers={"Idempotency-Key": key})


def report_on_version_1(model_id: str, client: httpx.Client) -> int:
    answer = client.post(
        f"/models/{model_id}/progress", json={"summary": "tiến độ"}, headers={"If-Match": '"1"'}
    )
    return answer.status_code


def test_retries_across_processes_make_one_record(registry: Service) -> None:
    connections = clients(registry, 16)
    try:
        for round_ in range(ROUNDS):
            body = model_body(title=f"Gửi lại {round_}")
            key = f"workers-{round_}"
            with ThreadPoolExecutor(max_workers=16) as pool:
                answers = list(pool.map(partial(register, body=body, key=key), connections))
            assert {a.status_code for a in answers} == {201}, [a.text for a in answers]
            assert len({a.json()["id"] for a in answers}) == 1
        with httpx.Client(base_url=registry.url, headers=bearer("auditor")) as feed:
            items = feed.get("/events", params={"limit": 1000}).json()["items"]
        registered = [i for i in items if i["type"] == "Model.Registered"]
        assert len(registered) == ROUNDS
    finally:
        for connection in connections:
            connection.close()


def test_stale_versions_across_processes_get_409(registry: Service) -> None:
    connections = clients(registry, 8)
    try:
        for _ in range(ROUNDS):
            model_id = connections[0].post("/models", json=model_body()).json()["id"]
            with ThreadPoolExecutor(max_workers=8) as pool:
                statuses = list(pool.map(partial(report_on_version_1, model_id), connections))
            assert sorted(statuses) == [200] + [409] * 7
            assert connections[1].get(f"/models/{model_id}").json()["version"] == 2
    finally:
        for connection in connections:
            connection.close()
