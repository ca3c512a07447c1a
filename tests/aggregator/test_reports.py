"""Reports change as models move through their lifecycle; counts are exact."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.helpers import catch_up, recognise, register


def report(aggregator: TestClient, **params: Any) -> dict[str, Any]:
    catch_up(aggregator)
    response = aggregator.get("/reports/models", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def rows_by(body: dict[str, Any], *keys: str) -> dict[Any, dict[str, Any]]:
    return {tuple(r[k] for k in keys) if len(keys) > 1 else r[keys[0]]: r for r in body["rows"]}


def test_registered_models_are_counted_by_level_and_field(
    registry: TestClient, aggregator: TestClient
) -> None:
    register(registry, unit_code="00004", fields=["economy"])
    register(registry, unit_code="00006", fields=["economy", "new_rural"])
    register(registry, unit_code="001", fields=["new_rural"])
    register(registry, unit_code="01", fields=["digital_transformation"])
    by_level = rows_by(report(aggregator, group_by="level"), "level")
    assert {k: v["registered"] for k, v in by_level.items()} == {
        "commune": 2,
        "district": 1,
        "province": 1,
    }
    by_field = report(aggregator, group_by="field")
    assert {r["field"]: r["registered"] for r in by_field["rows"]} == {
        "economy": 2,
        "new_rural": 2,
        "digital_transformation": 1,
    }
    assert by_field["total"]["registered"] == 4  # a model in two fields is one model


def test_the_lifecycle_shows_in_the_reports(registry: TestClient, aggregator: TestClient) -> None:
    model_id = register(registry, unit_code="00004")
    assert report(aggregator)["total"]["recognised"] == 0
    recognise(registry, model_id, on="2021-06-01")
    registry.post(
        f"/models/{model_id}/commendations",
        json={"award": "Giấy khen", "level": "district", "commended_on": "2021-07-01"},
    ).raise_for_status()
    registry.post(
        f"/models/{model_id}/replications",
        json={"to_unit_code": "00040", "replicated_on": "2022-02-01"},
    ).raise_for_status()
    total = report(aggregator)["total"]
    assert (total["registered"], total["recognised"], total["commended"], total["replicated"]) == (
        1,
        1,
        1,
        1,
    )
    by_unit = rows_by(report(aggregator, group_by="unit"), "unit")
    assert by_unit["00040"]["replicated"] == 1  # counts for the receiving unit
    assert by_unit["00040"]["registered"] == 0
    assert by_unit["00040"]["unit_name"] == "Phường Đồng Xuân"
    assert by_unit["00004"]["registered"] == 1
    in_2021 = report(aggregator, **{"from": "2021-01-01", "to": "2021-12-31"})["total"]
    assert (in_2021["registered"], in_2021["replicated"]) == (1, 0)
    by_year = rows_by(report(aggregator, group_by="year"), "year")
    assert by_year[2022]["replicated"] == 1 and by_year[2021]["registered"] == 1


def test_reports_roll_up_onto_the_2025_units(registry: TestClient, aggregator: TestClient) -> None:
    register(registry, unit_code="00004", registered_on="2024-03-01", year=2024)  # Trúc Bạch
    register(registry, unit_code="00008", registered_on="2024-03-01", year=2024)  # Liễu Giai
    register(registry, unit_code="00004", registered_on="2025-08-01", year=2025)  # Ba Đình (2025)
    recorded = rows_by(report(aggregator, group_by="unit"), "unit_structure", "unit")
    assert recorded[("legacy", "00004")]["registered"] == 1
    assert recorded[("2025", "00004")]["registered"] == 1
    rolled = report(aggregator, group_by="unit", structure="2025")
    assert {r["unit_name"]: r["registered"] for r in rolled["rows"]} == {
        "Phường Ba Đình": 2,
        "Phường Ngọc Hà": 1,
    }
    assert rolled["total"]["registered"] == recorded_total(aggregator) == 3


def recorded_total(aggregator: TestClient) -> int:
    return int(report(aggregator)["total"]["registered"])


def test_coverage_is_the_share_of_communes_with_an_active_model(
    registry: TestClient, aggregator: TestClient
) -> None:
    # Quận Ba Đình had 13 communes in the snapshot; two get models, one of them later discontinued
    first = register(registry, unit_code="00004")
    register(registry, unit_code="00006")
    recognise(registry, first)
    registry.post(
        f"/models/{first}/replications",
        json={"to_unit_code": "00007", "replicated_on": "2021-08-01"},
    ).raise_for_status()
    registry.post(
        f"/models/{first}/discontinuation", json={"reason": "x", "discontinued_on": "2023-01-01"}
    ).raise_for_status()
    catch_up(aggregator)

    def coverage(**params: Any) -> dict[str, Any]:
        body: dict[str, Any] = aggregator.get("/reports/models/coverage", params=params).json()
        return body

    ba_dinh = coverage(unit="001", on="2022-06-01")
    assert (ba_dinh["communes"], ba_dinh["covered"]) == (13, 3)
    assert ba_dinh["ratio"] == 3 / 13
    later = coverage(unit="001", on="2023-06-01")
    assert later["covered"] == 1
    in_new_rural = coverage(unit="001", on="2022-06-01", field=["new_rural"])
    assert in_new_rural["covered"] == 3  # the test models are in new_rural and economy
    in_environment = coverage(unit="001", on="2022-06-01", field=["environment"])
    assert in_environment["covered"] == 0
    hanoi = coverage(unit="01", on="2022-06-01")
    assert (hanoi["communes"], hanoi["covered"]) == (526, 3)
    assert {c["unit"]: c["covered"] for c in hanoi["children"]}["001"] == 3
    assert aggregator.get("/reports/models/coverage", params={"unit": "00004"}).status_code == 422


def test_bad_report_parameters_get_422_naming_them(aggregator: TestClient) -> None:
    unknown = aggregator.get("/reports/models", params={"group_by": "colour"})
    assert unknown.status_code == 422 and unknown.json()["error"]["field"] == "group_by"
    backwards = aggregator.get("/reports/models", params={"from": "2022-01-01", "to": "2021-01-01"})
    assert backwards.status_code == 422 and backwards.json()["error"]["field"] == "from"
    bad_date = aggregator.get("/reports/models", params={"from": "yesterday"})
    assert bad_date.status_code == 422 and bad_date.json()["error"]["field"] == "from"


def test_reports_need_a_reader_role(aggregator: TestClient) -> None:
    assert aggregator.get("/reports/models", headers={"Authorization": ""}).status_code == 401
    citizen = {"Authorization": "Bearer token-citizen"}
    assert aggregator.get("/reports/models", headers=citizen).status_code == 403
