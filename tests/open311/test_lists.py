"""GET requests: lists from the read side, filtered as the specification says."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from shared.application import VIETNAM
from tests.helpers import catch_up
from tests.open311.helpers import LAT, PERSONAL, assign_and_resolve, read, submitted, xml_items


def ids(client: TestClient, fmt: str = "json", **params: Any) -> list[str]:
    response = read(client, "requests", fmt, **params)
    assert response.status_code == 200, response.text
    if fmt == "xml":
        return [r["service_request_id"] for r in xml_items(response, "service_requests", "request")]
    return [r["service_request_id"] for r in response.json()]


def test_lists_filter_by_service_status_dates_and_ids(
    dialogue: TestClient, aggregator: TestClient
) -> None:
    road = submitted(dialogue)
    smoke = submitted(dialogue, service_code="environment", description="Khói đốt rác")
    lamp = submitted(dialogue, description="Đèn đường hỏng")
    assign_and_resolve(dialogue, lamp)
    catch_up(aggregator)

    assert ids(dialogue) == [lamp, smoke, road]  # newest first, the last 90 days
    assert ids(dialogue, service_code="infrastructure") == [lamp, road]
    assert ids(dialogue, service_code="infrastructure,environment") == [lamp, smoke, road]
    assert ids(dialogue, status="open") == [smoke, road]
    assert ids(dialogue, status="closed", service_code="infrastructure") == [lamp]
    assert ids(dialogue, status="open,closed") == [lamp, smoke, road]
    assert ids(dialogue, "xml", service_code="environment") == [smoke]
    assert ids(dialogue, jurisdiction_id="01") == [lamp, smoke, road]
    assert ids(dialogue, jurisdiction_id="79") == []

    now = datetime.now(VIETNAM)
    around = {"start_date": (now - timedelta(hours=1)).isoformat(timespec="seconds")}
    around["end_date"] = (now + timedelta(hours=1)).isoformat(timespec="seconds")
    assert ids(dialogue, **around) == [lamp, smoke, road]
    tomorrow = (now + timedelta(days=1)).date()
    assert ids(dialogue, start_date=str(tomorrow), end_date=str(tomorrow)) == []
    assert ids(dialogue, start_date=str(now.date()), end_date=str(now.date())) == [
        lamp,
        smoke,
        road,
    ]
    # a '+' left unencoded in the query string arrives as a space
    raw = dialogue.get(
        f"/open311/v2/requests.json?api_key=token-citizen&start_date={around['start_date']}"
    )
    assert [r["service_request_id"] for r in raw.json()] == [lamp, smoke, road]

    # ids override every other argument
    assert sorted(ids(dialogue, service_request_id=f"{road},{lamp}", status="open")) == sorted(
        [road, lamp]
    )
    assert ids(dialogue, service_request_id="not-an-id") == []


def test_list_items_hold_location_but_no_names(
    dialogue: TestClient, aggregator: TestClient
) -> None:
    request_id = submitted(dialogue)
    assign_and_resolve(dialogue, request_id)
    catch_up(aggregator)

    response = read(dialogue, "requests", service_request_id=request_id)
    [item] = response.json()
    assert item["status"] == "closed"
    assert item["agency_responsible"] == "UBND phường Ba Đình"
    assert item["status_notes"] == "Đã vá ổ gà ngày 3/7"
    assert item["lat"] == float(LAT)
    assert item["media_url"] == PERSONAL["media_url"]
    assert item["requested_datetime"].endswith("+07:00")
    assert item["expected_datetime"].endswith("T23:59:59+07:00")
    names = ("email", "phone", "first_name", "last_name", "device_id")
    assert [PERSONAL[k] for k in names if PERSONAL[k] in response.text] == []
    assert item == {**read(dialogue, f"requests/{request_id}").json()[0], **_moments(item)}


def _moments(item: dict[str, Any]) -> dict[str, Any]:
    """The store's and the read side's times of one event differ by how they were taken."""
    return {k: item[k] for k in ("requested_datetime", "updated_datetime")}
