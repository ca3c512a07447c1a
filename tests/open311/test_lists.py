"""GET requests: lists from the read side, filtered as the specification says."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from shared.vietnam_time import VIETNAM
from tests.helpers import catch_up
from tests.open311.helpers import (
    CENTRE,
    LAT,
    LONG,
    PERSONAL,
    assign_and_resolve,
    read,
    submitted,
    xml_items,
)


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
    smoke = submitted(
        dialogue,
        service_code="environment",
        description="Khói đốt rác",
        **{"attribute[damage_kind]": None, "attribute[pollution_kind][]": ["air", "odour"]},
    )
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
    raw = dialogue.get(f"/open311/v2/requests.json?start_date={around['start_date']}")
    assert [r["service_request_id"] for r in raw.json()] == [lamp, smoke, road]

    # ids override every other argument
    assert sorted(ids(dialogue, service_request_id=f"{road},{lamp}", status="open")) == sorted(
        [road, lamp]
    )
    assert ids(dialogue, service_request_id="not-an-id") == []


def test_list_items_show_each_caller_its_view(dialogue: TestClient, aggregator: TestClient) -> None:
    request_id = submitted(dialogue)
    published = submitted(dialogue, publish_location_and_media="true")
    assign_and_resolve(dialogue, request_id)
    catch_up(aggregator)

    response = read(dialogue, "requests", service_request_id=f"{request_id},{published}")
    items = {item["service_request_id"]: item for item in response.json()}
    item = items[request_id]
    assert item["status"] == "closed"
    assert item["agency_responsible"] == "UBND phường Ba Đình"
    assert item["status_notes"] == "Đã vá ổ gà ngày 3/7"
    assert (item["lat"], item["long"], item["media_url"]) == (*CENTRE, None)
    assert item["requested_datetime"].endswith("+07:00")
    assert item["expected_datetime"].endswith("T23:59:59+07:00")
    assert (items[published]["lat"], items[published]["long"]) == (float(LAT), float(LONG))
    assert items[published]["media_url"].startswith("http://testserver/open311/v2/media/")
    assert [v for v in PERSONAL.values() if v in response.text] == []

    for key in (None, "token-officer", "token-officer_hcm", "token-citizen"):
        params = {"api_key": key} if key else {}
        listed = read(dialogue, "requests", service_request_id=request_id, **params).json()[0]
        alone = read(dialogue, f"requests/{request_id}", **params).json()[0]
        assert listed == {**alone, **_moments(listed)}, key
        assert _link(listed) == _link(alone), key
    full = read(dialogue, "requests", service_request_id=request_id, api_key="token-officer")
    assert full.json()[0]["lat"] == float(LAT)
    names = ("email", "phone", "first_name", "last_name", "device_id")
    assert [PERSONAL[k] for k in names if PERSONAL[k] in full.text] == []
    elsewhere = read(
        dialogue, "requests", service_request_id=request_id, api_key="token-officer_hcm"
    )
    assert elsewhere.json()[0]["lat"] == CENTRE[0]


def test_pages_of_requests(dialogue: TestClient, aggregator: TestClient) -> None:
    made = [submitted(dialogue, description=f"Kiến nghị số {n}") for n in range(5)]
    catch_up(aggregator)
    newest_first = made[::-1]

    assert ids(dialogue) == newest_first
    assert ids(dialogue, page_size=2) == newest_first[:2]
    assert ids(dialogue, page_size=2, page=2) == newest_first[2:4]
    assert ids(dialogue, "xml", page_size=2, page=3) == newest_first[4:]
    assert ids(dialogue, page_size=2, page=4) == []
    assert ids(dialogue, page_size=1000, page=1) == newest_first
    assert ids(dialogue, service_request_id=",".join(made), page_size=3, page=2) != []
    by_ids = ids(dialogue, service_request_id=",".join(made), page_size=3)
    assert len(by_ids) == 3 and set(by_ids) < set(made)


def _moments(item: dict[str, Any]) -> dict[str, Any]:
    """The store's and the read side's times of one event differ by how they were taken, and
    two reads may give links of two expiries (a quarter hour may pass between them)."""
    return {k: item[k] for k in ("requested_datetime", "updated_datetime", "media_url")}


def _link(item: dict[str, Any]) -> str | None:
    return item["media_url"].partition("?")[0] if item["media_url"] else None
