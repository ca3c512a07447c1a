"""Who may do what: every role against every endpoint family, and every refusal recorded."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import bearer
from tests.helpers import catch_up, model_body

ROLES = ("anonymous", "citizen", "officer", "officer_hcm", "auditor", "admin")
OK, CREATED = 200, 201


def headers(role: str) -> dict[str, str]:
    return {"Authorization": ""} if role == "anonymous" else bearer(role)


KIEN_NGHI = {
    "source": "citizen_reception",
    "source_id": None,
    "unit_code": "00004",
    "category": "land",
    "content": "Kiến nghị",
    "received_on": "2021-05-01",
}
APP_KIEN_NGHI = {"category": "land", "content": "Kiến nghị", "unit_code": "00004"}

# family: (service, method, path or path template, body, expected status per role)
MATRIX: dict[str, tuple[str, str, str, Any, tuple[int, ...]]] = {
    "register a model": (
        "registry",
        "POST",
        "/models",
        model_body(),
        (401, 403, CREATED, 403, 403, CREATED),
    ),
    "read a model": ("registry", "GET", "/models/{model}", None, (401, 403, OK, 403, OK, OK)),
    "registry feed": ("registry", "GET", "/events", None, (401, 403, 403, 403, OK, OK)),
    "receive a kiến nghị": (
        "dialogue",
        "POST",
        "/kien-nghi",
        KIEN_NGHI,
        (401, 403, CREATED, 403, 403, CREATED),
    ),
    "read a kiến nghị": (
        "dialogue",
        "GET",
        "/kien-nghi/{kien_nghi}",
        None,
        (401, 403, OK, 403, OK, OK),
    ),
    "dialogue feed": ("dialogue", "GET", "/events", None, (401, 403, 403, 403, OK, OK)),
    "citizen app submission": (
        "dialogue",
        "POST",
        "/app/kien-nghi",
        APP_KIEN_NGHI,
        (401, CREATED, 403, 403, 403, 403),
    ),
    "erase personal data": (
        "dialogue",
        "POST",
        "/personal-data/erasures",
        {"subject": "nobody", "reason": "x"},
        (401, 403, 403, 403, 403, 404),  # the admin passes; "nobody" is no data subject
    ),
    "reports": ("aggregator", "GET", "/reports/models", None, (401, 403, OK, OK, OK, OK)),
    "coverage of Hà Nội": (
        "aggregator",
        "GET",
        "/reports/models/coverage?unit=01",
        None,
        (401, 403, OK, 403, OK, OK),
    ),
    "kiến nghị list": ("aggregator", "GET", "/kien-nghi", None, (401, 403, OK, OK, OK, OK)),
    "refusals recorded": (
        "aggregator",
        "GET",
        "/security/denials",
        None,
        (401, 403, 403, 403, OK, OK),
    ),
}


@pytest.mark.parametrize("family", list(MATRIX))
def test_each_role_gets_what_its_role_allows(
    family: str, registry: TestClient, dialogue: TestClient, aggregator: TestClient
) -> None:
    clients = {"registry": registry, "dialogue": dialogue, "aggregator": aggregator}
    records = {
        "model": registry.post("/models", json=model_body()).json()["id"],
        "kien_nghi": dialogue.post("/kien-nghi", json=KIEN_NGHI).json()["id"],
    }
    service, method, path, body, expected = MATRIX[family]
    for role, status in zip(ROLES, expected, strict=True):
        response = clients[service].request(
            method, path.format(**records), json=body, headers=headers(role)
        )
        assert response.status_code == status, (family, role, response.text)


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
