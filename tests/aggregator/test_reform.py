"""Across 1 July 2025: records keep the unit they were made in, and every report adds up both
in the structure as recorded and rolled up onto the 2025 units."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.helpers import catch_up, register

# Hà Nội before the reform: Phường Trúc Bạch (00004) and Phường Quán Thánh (00013) of Quận Ba
# Đình, and Quận Ba Đình itself (001); after it, Phường Ba Đình (2025 code 00004).
BEFORE = ["00004", "00013", "001"]
AFTER = "00004"


def hold(dialogue: TestClient, unit: str, on: str) -> None:
    created = dialogue.post(
        "/dialogues",
        json={
            "unit_code": unit,
            "host_body": "government",
            "host_title": "Chủ tịch UBND",
            "kind": "periodic",
            "title": "Đối thoại",
            "topics": [],
            "scheduled_on": on,
        },
    )
    assert created.status_code == 201, created.text
    held = dialogue.post(
        f"/dialogues/{created.json()['id']}/held",
        json={"held_on": on, "participants": 50, "topics": [], "summary": "x"},
    )
    assert held.status_code == 200, held.text


def rows(aggregator: TestClient, path: str, **params: Any) -> dict[str, Any]:
    response = aggregator.get(f"/reports/{path}", params={"province": "01", **params})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_a_report_across_the_reform_adds_up_in_both_structures(
    registry: TestClient, dialogue: TestClient, aggregator: TestClient
) -> None:
    for unit in BEFORE:
        register(registry, unit_code=unit, registered_on="2025-03-01", year=2025)
        hold(dialogue, unit, "2025-03-01")
    register(registry, unit_code=AFTER, registered_on="2025-09-01", year=2025)
    hold(dialogue, AFTER, "2025-09-01")
    catch_up(aggregator)
    span = {"period": "2025"}

    recorded = rows(aggregator, "models", group_by="unit", **span)
    assert {
        (r["unit_structure"], r["unit"], r["unit_name"]): r["registered"] for r in recorded["rows"]
    } == {
        ("legacy", "00004", "Phường Trúc Bạch"): 1,
        ("legacy", "00013", "Phường Quán Thánh"): 1,
        ("legacy", "001", "Quận Ba Đình"): 1,
        ("2025", "00004", "Phường Ba Đình"): 1,
    }
    rolled = rows(aggregator, "models", group_by="level,unit", structure="2025", **span)
    assert {(r["level"], r["unit_name"]): r["registered"] for r in rolled["rows"]} == {
        ("commune", "Phường Ba Đình"): 3,  # Trúc Bạch and Quán Thánh merged into it, plus its own
        ("province", "Thành phố Hà Nội"): 1,  # a district-level record: districts are gone
    }
    assert recorded["total"] == rolled["total"]

    by_level = rows(aggregator, "dialogues", group_by="level", **span)
    assert {r["level"]: r["held"] for r in by_level["rows"]} == {"commune": 3, "district": 1}
    by_level_2025 = rows(aggregator, "dialogues", group_by="level", structure="2025", **span)
    assert {r["level"]: r["held"] for r in by_level_2025["rows"]} == {"commune": 3, "province": 1}
    assert by_level["total"]["held"] == by_level_2025["total"]["held"] == 4

    after_only = rows(aggregator, "dialogues", structure="2025", **{"from": "2025-07-01"})
    assert after_only["total"]["held"] == 1
    assert (
        aggregator.get(
            "/reports/dialogues", params={"structure": "2025", "group_by": "district"}
        ).status_code
        == 422
    )
