"""Every service answers /health, /ready and /metrics without credentials."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.helpers import catch_up, register


def test_metrics_and_readiness_of_the_running_services(
    registry: TestClient, dialogue: TestClient, aggregator: TestClient
) -> None:
    register(registry)
    catch_up(aggregator)
    anonymous = {"Authorization": ""}
    for client in (registry, dialogue, aggregator):
        assert client.get("/health", headers=anonymous).status_code == 200
        assert client.get("/metrics", headers=anonymous).status_code == 200
    text = aggregator.get("/metrics", headers=anonymous).text
    assert 'danvan_follower_position{upstream="registry"}' in text
    assert 'danvan_follower_lag_events{upstream="registry"} 0.0' in text
    assert 'danvan_http_requests_total{method="GET",route="/followers/wait"' in text
    ready = aggregator.get("/ready", headers=anonymous)
    assert ready.status_code == 200, ready.text
    assert set(ready.json()["checks"]) == {"read_models", "upstream:registry", "upstream:dialogue"}


def test_every_response_carries_a_request_id(registry: TestClient) -> None:
    given = registry.get("/health", headers={"X-Request-ID": "trace-123"})
    assert given.headers["X-Request-ID"] == "trace-123"
    assert len(registry.get("/health").headers["X-Request-ID"]) == 32


def test_write_services_are_ready_when_their_store_answers(
    registry: TestClient, dialogue: TestClient
) -> None:
    register(registry)
    for client in (registry, dialogue):
        ready = client.get("/ready", headers={"Authorization": ""}).json()
        assert ready["ready"] is True and ready["checks"]["event_store"]["ok"] is True
    metrics = registry.get("/metrics", headers={"Authorization": ""}).text
    assert 'danvan_events_appended_total{service="registry"}' in metrics
