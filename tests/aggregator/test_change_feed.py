"""GET /kien-nghi/changes from the outside: every step once, in the order of the dialogue feed,
under a cursor; the filters; the long poll woken by a new step; who sees what."""

from __future__ import annotations

import itertools
import threading
import time
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from services.aggregator.projections.kien_nghi import STEPS
from testkit.faults.subscriber import Subscriber
from tests.conftest import bearer
from tests.dialogue.helpers import created, kien_nghi_body, ok
from tests.helpers import catch_up

ADMIN = bearer("admin")
TRUC_BACH, BEN_NGHE = "00004", "26734"  # communes of Hà Nội (01) and TP Hồ Chí Minh (79)
WARD, DEPARTMENT = "UBND phường Trúc Bạch", "Sở Tài nguyên và Môi trường"
REASON = "Nhà tôi ở số 5 vẫn bị lấn đất"  # the reporter's own words
CHANGES = "/kien-nghi/changes"


def received(dialogue: TestClient, unit_code: str = TRUC_BACH) -> str:
    return created(dialogue, "/kien-nghi", kien_nghi_body(unit_code=unit_code), headers=ADMIN)


def step(dialogue: TestClient, kien_nghi_id: str, path: str, body: dict[str, Any]) -> None:
    ok(dialogue, f"/kien-nghi/{kien_nghi_id}/{path}", body, headers=ADMIN)


def page(aggregator: TestClient, reader: str = "auditor", **params: Any) -> dict[str, Any]:
    response = aggregator.get(CHANGES, params=params, headers=bearer(reader))
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def everything(aggregator: TestClient, reader: str = "auditor", **params: Any) -> list[Any]:
    """Every change, a page at a time, following the cursor the feed hands back."""
    items: list[Any] = []
    after = 0
    while found := page(aggregator, reader, after=after, **params):
        items += found["items"]
        assert found["next"] >= after
        if not found["items"]:
            return items
        after = found["next"]
    return items


def handled(dialogue: TestClient) -> tuple[str, str, str]:
    """Three kiến nghị handled at once, their steps interleaved: one resolved, reopened and
    assigned again; one declined; one in another province."""
    first, second, elsewhere = received(dialogue), received(dialogue), received(dialogue, BEN_NGHE)
    due = {"due_on": "2024-05-20", "assigned_on": "2024-05-03"}
    step(dialogue, first, "assignment", {"agency": WARD, **due})
    step(dialogue, second, "assignment", {"agency": DEPARTMENT})
    step(dialogue, first, "answer", {"answer": "Đã cử cán bộ địa chính đo đạc"})
    step(dialogue, elsewhere, "assignment", {"agency": WARD})  # a ward of the same name there
    step(dialogue, first, "resolution", {"resolution": "Đã cắm lại mốc ranh giới"})
    step(dialogue, first, "rating", {"rating": 2})  # no status change
    step(dialogue, first, "reopening", {"reason": REASON})
    step(dialogue, second, "declination", {"reason": "Ngoài thẩm quyền của Sở"})
    step(dialogue, first, "assignment", {"agency": WARD})  # due as the rules count it
    return first, second, elsewhere


def dialogue_steps(dialogue: TestClient) -> list[tuple[int, str, str]]:
    """(position, kiến nghị, step) of every status change in the dialogue service's own feed."""
    response = dialogue.get("/events", params={"limit": 1000}, headers=bearer("auditor"))
    return [
        (item["position"], item["aggregate_id"], item["type"].removeprefix("KienNghi."))
        for item in response.json()["items"]
        if item["type"] in STEPS
    ]


def test_every_step_once_in_the_feeds_order_under_a_cursor(
    dialogue: TestClient, aggregator: TestClient
) -> None:
    first, second, elsewhere = handled(dialogue)
    catch_up(aggregator)

    items = everything(aggregator, limit=2)
    assert [(i["position"], i["kien_nghi_id"], i["step"]) for i in items] == dialogue_steps(
        dialogue
    )
    assert [(i["kien_nghi_id"], i["step"], i["status"], i["agency"]) for i in items] == [
        (first, "Assigned", "assigned", WARD),
        (second, "Assigned", "assigned", DEPARTMENT),
        (first, "Answered", "answered", WARD),
        (elsewhere, "Assigned", "assigned", WARD),
        (first, "Resolved", "resolved", WARD),
        (first, "Reopened", "reopened", WARD),  # the agency that had it
        (second, "Declined", "declined", DEPARTMENT),
        (first, "Assigned", "assigned", WARD),
    ]
    dues = [i["due_on"] for i in items if i["kien_nghi_id"] == first]
    assert dues[:4] == ["2024-05-20", "2024-05-20", "2024-05-20", None] and dues[4] > dues[0]
    assert items[4]["notes"] == "Đã cắm lại mốc ranh giới"
    assert all(i["recorded_at"].endswith("Z") or "+00:00" in i["recorded_at"] for i in items)
    assert not {"citizen", "personal", "content"} & set(items[0])

    last = page(aggregator, after=items[-1]["position"])
    assert last["items"] == [] and last["next"] >= items[-1]["position"]
    assert page(aggregator, after=items[2]["position"], limit=3)["items"] == items[3:6]
    assert page(aggregator, after=items[2]["position"], limit=3)["next"] == items[5]["position"]


def test_filters_by_agency_province_kien_nghi_and_moment(
    dialogue: TestClient, aggregator: TestClient
) -> None:
    first, second, elsewhere = handled(dialogue)
    catch_up(aggregator)
    items = everything(aggregator)

    def ids(**params: Any) -> list[tuple[str, str]]:
        return [(i["kien_nghi_id"], i["step"]) for i in everything(aggregator, **params)]

    assert ids(agency=DEPARTMENT) == [(second, "Assigned"), (second, "Declined")]
    assert ids(agency=WARD, province="01") == [
        (first, step) for step in ("Assigned", "Answered", "Resolved", "Reopened", "Assigned")
    ]
    assert ids(province="79") == [(elsewhere, "Assigned")]
    assert ids(province="01", kien_nghi_id=second) == [(second, "Assigned"), (second, "Declined")]
    assert ids(agency="Không có cơ quan này") == []
    since = items[6]["recorded_at"]
    assert ids(since=since) == [(i["kien_nghi_id"], i["step"]) for i in items[6:]]
    quiet = page(aggregator, agency=DEPARTMENT, after=items[-2]["position"])
    assert quiet["items"] == [] and quiet["next"] >= items[-1]["position"]  # moved past the rest


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"after": "-1"}, "after"),
        ({"after": str(2**63)}, "after"),
        ({"limit": "1001"}, "limit"),
        ({"kien_nghi_id": "not-a-uuid"}, "kien_nghi_id"),
        ({"since": "2026-01-01T00:00:00"}, "since"),  # no offset
        ({"province": "1"}, "province"),
        ({"wait": "61"}, "wait"),
        ({"agency": "UBND\x00"}, "agency"),
    ],
)
def test_a_wrong_parameter_is_422_naming_it(
    module_aggregator: TestClient, params: dict[str, str], field: str
) -> None:
    response = module_aggregator.get(CHANGES, params=params)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["field"] == field


def test_the_long_poll_answers_as_soon_as_a_step_arrives(
    dialogue: TestClient, aggregator: TestClient
) -> None:
    kien_nghi_id = received(dialogue)
    catch_up(aggregator)
    cursor = page(aggregator)["next"]
    started = time.monotonic()
    assert page(aggregator, after=cursor, wait=1)["items"] == []  # nothing new: waits it out
    assert time.monotonic() - started >= 1

    answers: list[dict[str, Any]] = []
    polling = threading.Thread(
        target=lambda: answers.append(page(aggregator, after=cursor, agency=WARD, wait=30))
    )
    started = time.monotonic()
    polling.start()
    time.sleep(0.5)
    step(dialogue, kien_nghi_id, "assignment", {"agency": WARD})
    polling.join(timeout=40)
    assert [(i["kien_nghi_id"], i["step"]) for i in answers[0]["items"]] == [
        (kien_nghi_id, "Assigned")
    ]
    assert time.monotonic() - started < 15  # woken by the step, not by the end of the wait


def test_a_subscriber_whose_requests_fail_asks_again_from_its_cursor_and_loses_nothing(
    dialogue: TestClient, aggregator: TestClient
) -> None:
    handled(dialogue)
    catch_up(aggregator)
    calls = itertools.count()

    def flaky(params: dict[str, Any]) -> Any:
        """Every third request refused, every third answered 503 by what stands in front."""
        match next(calls) % 3:
            case 1:
                raise httpx.ConnectError("connection refused")
            case 2:
                return httpx.Response(503)
        return aggregator.get(CHANGES, params=params)

    subscriber = Subscriber(flaky, {"province": "01"}, limit=2, backoff=0)
    subscriber.drain()
    assert subscriber.received == everything(aggregator, province="01")
    assert len(subscriber.received) == 7
    assert {"ConnectError", "503"} <= set(subscriber.failures)


def test_each_reader_sees_its_units_and_a_citizens_words_only_if_it_handles_them(
    dialogue: TestClient, aggregator: TestClient
) -> None:
    first, _, elsewhere = handled(dialogue)
    catch_up(aggregator)

    def seen(reader: str) -> list[tuple[str, str]]:
        return [(i["kien_nghi_id"], i["step"]) for i in everything(aggregator, reader)]

    everyone = seen("auditor")
    assert seen("admin") == everyone
    assert seen("officer") == [kept for kept in everyone if kept[0] != elsewhere]
    assert seen("officer_badinh") == seen("officer")  # Ba Đình district, Trúc Bạch's
    assert seen("officer_hcm") == [(elsewhere, "Assigned")]

    def reopening(reader: str) -> Any:
        items = everything(aggregator, reader, kien_nghi_id=first)
        return next(i["notes"] for i in items if i["step"] == "Reopened")

    assert reopening("officer") == reopening("admin") == REASON
    assert reopening("auditor") is None  # as Open311 shows auditors the public view
    assert aggregator.get(CHANGES, headers=bearer("citizen")).status_code == 403
    assert aggregator.get(CHANGES, headers={"Authorization": ""}).status_code == 401
