"""The aggregator's routes that Open311 reads from: scoped like every read, moments checked."""

from __future__ import annotations

from datetime import datetime, timedelta

from fastapi.testclient import TestClient

from shared.vietnam_time import VIETNAM
from tests.conftest import bearer
from tests.helpers import catch_up
from tests.open311.helpers import assign_and_resolve, submitted


def test_status_changes_and_pages_of_kien_nghi_for_open311(
    dialogue: TestClient, aggregator: TestClient
) -> None:
    request_id = submitted(dialogue)
    assign_and_resolve(dialogue, request_id)
    catch_up(aggregator)
    now = datetime.now(VIETNAM)
    window = {"since": (now - timedelta(hours=1)).isoformat(), "until": now.isoformat()}

    def changes(reader: str, **params: str) -> list[dict[str, object]]:
        response = aggregator.get(
            "/kien-nghi/status-changes", params={**window, **params}, headers=bearer(reader)
        )
        assert response.status_code == 200, response.text
        items: list[dict[str, object]] = response.json()["items"]
        return items

    everything = changes("auditor")
    assert [(c["kien_nghi_id"], c["status"]) for c in everything] == [
        (request_id, "assigned"),
        (request_id, "resolved"),
    ]
    assert everything[1]["notes"] == "Đã vá ổ gà ngày 3/7"
    assert changes("officer") == everything
    assert changes("officer_hcm") == []  # an officer reads its units only
    assert changes("auditor", province="79") == []
    assert changes("auditor", limit="1", offset="1") == everything[1:]

    page = aggregator.get(
        "/kien-nghi/service-requests", params={"category": ["infrastructure", "land"]}
    )
    assert [item["id"] for item in page.json()["items"]] == [request_id]
    assert page.json()["items"][0]["published"] is False
    assert page.json()["items"][0]["attachment_count"] == 0
    assert aggregator.get("/kien-nghi/service-requests", params={"offset": 1}).json() == {
        "items": []
    }

    for wrong in (
        {"since": "2026-01-01T00:00:00"},  # no offset
        {"since": "0001-01-01T00:00:00+07:00"},
        {"until": "not a moment"},
        {"offset": "1000001"},
        {"limit": "0"},
    ):
        refused = aggregator.get("/kien-nghi/status-changes", params={**window, **wrong})
        assert refused.status_code == 422, (wrong, refused.text)
    assert aggregator.get("/kien-nghi/status-changes", headers=bearer("citizen")).status_code == 403
