"""Officers' reports, refusals recorded, revocation (every route × role: test_route_matrix)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from testkit.records import model_body
from tests.conftest import bearer
from tests.helpers import catch_up


def test_an_officer_reports_only_on_its_units(registry: TestClient, aggregator: TestClient) -> None:
    registry.post("/models", json=model_body(unit_code="00004")).raise_for_status()
    registry.post(
        "/models",
        json=model_body(unit_code="26734", registered_on="2021-03-01"),
        headers=bearer("admin"),
    ).raise_for_status()  # a commune of TP Hồ Chí Minh
    catch_up(aggregator)

    def registered(role: str) -> int:
        total: dict[str, int] = aggregator.get("/reports/models", headers=bearer(role)).json()[
            "total"
        ]
        return total["registered"]

    assert registered("admin") == 2
    assert registered("officer") == 1 and registered("officer_badinh") == 1
    assert registered("officer_hcm") == 1


def test_refusals_are_recorded_with_who_and_what(
    registry: TestClient, dialogue: TestClient
) -> None:
    registry.post("/models", json=model_body(unit_code="79"), headers=bearer("officer"))
    registry.get("/events", headers=bearer("citizen"))
    denials = registry.get("/security/denials", headers=bearer("auditor")).json()
    assert [(d["principal"], d["code"], d["path"]) for d in denials[:2]] == [
        ("citizen-1", "forbidden_role", "/events"),
        ("officer-hanoi", "forbidden_unit", "/models"),
    ]


def test_a_revoked_token_stops_working_at_once(registry: TestClient, settings: Any) -> None:
    from shared.auth import TokenStore
    from shared.principal import Role

    store = TokenStore(settings.token_path)
    token = store.issue("temp-officer", Role.OFFICER, ["01"])
    auth = {"Authorization": f"Bearer {token}"}
    assert registry.post("/models", json=model_body(), headers=auth).status_code == 201
    assert store.revoke("temp-officer") == 1
    assert registry.post("/models", json=model_body(), headers=auth).status_code == 401
