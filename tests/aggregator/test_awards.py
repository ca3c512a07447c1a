"""Honours conferred show in the awards report, by unit and kind."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.helpers import award_body, catch_up

HA_LONG_MEDALS = {
    "07054": "Trương Kim Luân",
    "07051": "Phạm Thị Thu Hằng",
    "06652": "Nguyễn Thị Bích Ngọc",
    "06664": "Nguyễn Thị Kim Cúc",
}


def medal(unit_code: str, recipient: str, **overrides: Any) -> dict[str, Any]:
    central = {"conferred_by": "central", "conferred_on": "2021-12-17"}
    reason = "Thành tích công tác dân vận"
    wanted = {"recipient": recipient, "unit_code": unit_code, "reason": reason, **central}
    return award_body(**wanted | overrides)


def test_medals_conferred_are_counted_by_award_and_district(
    registry: TestClient, aggregator: TestClient
) -> None:
    admin = {"Authorization": "Bearer token-admin"}
    for unit_code, name in HA_LONG_MEDALS.items():
        created = registry.post("/awards", json=medal(unit_code, name), headers=admin)
        assert created.status_code == 201, created.text
    collective = registry.post(
        "/awards",
        headers=admin,
        json=medal(
            "06652",
            "Hội LHPN phường Hà Phong",
            award="certificate_of_merit",
            recipient_kind="collective",
            conferred_by="province",
        ),
    )
    assert collective.status_code == 201
    award = registry.get(f"/awards/{collective.json()['id']}", headers=admin).json()
    assert award["unit_structure"] == "legacy" and award["award"] == "certificate_of_merit"
    catch_up(aggregator)
    report = aggregator.get(
        "/reports/awards", params={"district": "193", "period": "2021", "group_by": "award"}
    ).json()
    assert {r["award"]: r["conferred"] for r in report["rows"]} == {
        "medal_dan_van": 4,
        "certificate_of_merit": 1,
    }
    assert (
        aggregator.get(
            "/reports/awards", params={"award": "medal_dan_van", "period": "2020"}
        ).json()["total"]["conferred"]
        == 0
    )


def test_an_award_for_an_unknown_unit_or_kind_is_refused(registry: TestClient) -> None:
    admin = {"Authorization": "Bearer token-admin"}
    unknown = registry.post("/awards", json=medal("99999", "X"), headers=admin)
    assert unknown.status_code == 422 and unknown.json()["error"]["field"] == "unit_code"
    bad_kind = registry.post("/awards", json=medal("06652", "X", award="gold"), headers=admin)
    assert bad_kind.status_code == 422 and bad_kind.json()["error"]["field"] == "award"
