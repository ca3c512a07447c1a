"""Write → feed → project → report with every service a real process on loopback."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from services.processes import rebuild_from_feeds
from testkit.read_models import read_model_rows
from testkit.records import model_body
from tests.conftest import POSTGRES_SLOW
from tests.e2e.conftest import System

pytestmark = pytest.mark.e2e


def wait_caught_up(aggregator: httpx.Client) -> None:
    response = aggregator.get(
        "/followers/wait", params={"registry": "", "dialogue": "", "timeout": 30}
    )
    assert response.status_code == 200, response.text


def totals(aggregator: httpx.Client, **params: Any) -> dict[str, int]:
    wait_caught_up(aggregator)
    response = aggregator.get("/reports/models", params=params)
    response.raise_for_status()
    body: dict[str, int] = response.json()["total"]
    return body


def register_many(registry: httpx.Client, count: int, prefix: str) -> list[str]:
    def one(i: int) -> str:
        response = registry.post(
            "/models",
            json=model_body(title=f"{prefix} {i}"),
            headers={"Idempotency-Key": f"{prefix}-{i}"},
        )
        assert response.status_code == 201, response.text
        model_id: str = response.json()["id"]
        return model_id

    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(one, range(count)))


def test_models_moved_through_the_api_change_the_reports(shared_system: System) -> None:
    system = shared_system
    with (
        system.client(system.registry, "officer") as registry,
        system.client(system.aggregator, "auditor") as aggregator,
    ):
        before = totals(aggregator)
        model_id = registry.post("/models", json=model_body()).json()["id"]
        registry.post(
            f"/models/{model_id}/recognition",
            json={"level": "district", "recognised_on": "2021-06-01"},
        ).raise_for_status()
        registry.post(
            f"/models/{model_id}/replications",
            json={"to_unit_code": "00006", "replicated_on": "2021-07-01"},
        ).raise_for_status()
        after = totals(aggregator)
        assert after["registered"] == before["registered"] + 1
        assert after["recognised"] == before["recognised"] + 1
        assert after["replicated"] == before["replicated"] + 1
        coverage = aggregator.get(
            "/reports/models/coverage", params={"unit": "001", "on": "2021-12-31"}
        ).json()
        assert coverage["covered"] == 2


@POSTGRES_SLOW
def test_a_killed_aggregator_resumes_and_counts_every_event_once(system: System) -> None:
    system.aggregator.stop()
    with system.client(system.registry, "officer") as registry:
        ids = register_many(registry, 300, "crash")
    with system.client(system.dialogue, "officer") as desk:
        for i in range(120):
            desk.post(
                "/kien-nghi",
                json={
                    "source": "citizen_reception",
                    "source_id": None,
                    "unit_code": "00004",
                    "category": "land",
                    "content": f"Kiến nghị {i}",
                    "received_on": "2021-05-01",
                },
                headers={"Idempotency-Key": f"crash-kn-{i}"},
            ).raise_for_status()
    with system.client(system.registry, "auditor") as feed:
        head = feed.get("/events/head").json()["position"]
    with system.client(system.dialogue, "auditor") as feed:
        dialogue_head = feed.get("/events/head").json()["position"]
    positions_at_kill: list[int] = []
    for _ in range(3):
        system.aggregator.start()
        last = positions_at_kill[-1] if positions_at_kill else 0
        deadline = time.monotonic() + 30
        position = last
        while position <= last and time.monotonic() < deadline:
            with system.client(system.aggregator, "auditor") as aggregator:
                followers = aggregator.get("/followers").json()
                position = {f["upstream"]: f["position"] for f in followers}["registry"]
        system.aggregator.kill()  # SIGKILL while it works through pages of 7 events
        positions_at_kill.append(position)
    assert any(0 < p < head for p in positions_at_kill), (positions_at_kill, head)
    system.aggregator.start()
    with system.client(system.aggregator, "auditor") as aggregator:
        total = totals(aggregator)
        assert total["registered"] == len(ids) == 300
        received = aggregator.get("/reports/kien-nghi").json()["total"]["received"]
        assert received == 120
        positions = {f["upstream"]: f["position"] for f in aggregator.get("/followers").json()}
        assert positions == {"registry": head, "dialogue": dialogue_head}


@POSTGRES_SLOW
def test_rebuild_replays_to_tables_identical_to_the_live_ones(system: System) -> None:
    with system.client(system.registry, "officer") as registry:
        ids = register_many(registry, 40, "rebuild")
        for model_id in ids[:10]:
            registry.post(
                f"/models/{model_id}/recognition",
                json={"level": "district", "recognised_on": "2021-06-01"},
            ).raise_for_status()
            registry.post(
                f"/models/{model_id}/replications",
                json={"to_unit_code": "00040", "replicated_on": "2021-07-01"},
            ).raise_for_status()
        registry.post(
            f"/models/{ids[0]}/discontinuation",
            json={"reason": "x", "discontinued_on": "2022-01-01"},
        ).raise_for_status()
    with system.client(system.aggregator, "auditor") as aggregator:
        wait_caught_up(aggregator)
        live_report = aggregator.get("/reports/models", params={"group_by": "unit,year"}).json()
    live = read_model_rows(system.settings)
    system.aggregator.stop()
    result = rebuild_from_feeds(system.settings, system.registry, system.dialogue, timeout=300)
    assert result.returncode == 0, result.stderr
    rebuilt = read_model_rows(system.settings)
    assert rebuilt == live
    assert len(rebuilt["model"]) == 40 and len(rebuilt["model_fact"]) == 61
    system.aggregator.start()
    with system.client(system.aggregator, "auditor") as aggregator:
        wait_caught_up(aggregator)
        assert (
            aggregator.get("/reports/models", params={"group_by": "unit,year"}).json()
            == live_report
        )


def test_racing_retries_with_one_key_make_one_record(shared_system: System) -> None:
    system = shared_system
    body = model_body(title="Gửi lại khi mạng chập chờn")
    with system.client(system.aggregator, "auditor") as aggregator:
        before = totals(aggregator)["registered"]
    with system.client(system.registry, "officer") as registry:

        def send(_: int) -> httpx.Response:
            return registry.post("/models", json=body, headers={"Idempotency-Key": "flaky-1"})

        with ThreadPoolExecutor(max_workers=8) as pool:
            responses = list(pool.map(send, range(16)))
        assert {r.status_code for r in responses} == {201}
        assert len({r.json()["id"] for r in responses}) == 1
    with system.client(system.aggregator, "auditor") as aggregator:
        assert totals(aggregator)["registered"] == before + 1


def test_concurrent_changes_with_a_stale_version_get_409_over_http(shared_system: System) -> None:
    system = shared_system
    with system.client(system.registry, "officer") as registry:
        model_id = registry.post("/models", json=model_body()).json()["id"]

        def report(i: int) -> int:
            return registry.post(
                f"/models/{model_id}/progress",
                json={"summary": f"{i}"},
                headers={"If-Match": '"1"'},
            ).status_code

        with ThreadPoolExecutor(max_workers=8) as pool:
            statuses = list(pool.map(report, range(8)))
        assert sorted(statuses) == [200] + [409] * 7
        assert registry.get(f"/models/{model_id}").json()["version"] == 2


def test_bad_input_over_http_gets_4xx_and_leaves_no_event(shared_system: System) -> None:
    system = shared_system
    with system.client(system.registry, "auditor") as feed:
        head = feed.get("/events/head").json()["position"]
    with system.client(system.registry, "officer") as registry:
        for body in (
            model_body(unit_code="99999"),
            model_body(year="hai nghìn"),
            {"title": "thiếu hết"},
        ):
            response = registry.post("/models", json=body)
            assert 400 <= response.status_code < 500
            assert response.json()["error"]["field"]
        garbage = registry.post(
            "/models", content=b"\xff\xfe", headers={"Content-Type": "application/json"}
        )
        assert garbage.status_code == 400  # not UTF-8: refused before it is parsed
        assert garbage.json()["error"]["field"] == "body"
    with system.client(system.registry, "auditor") as feed:
        assert feed.get("/events/head").json()["position"] == head
