"""GET servicerequestupdates (FixMyStreet's extension): each step of a kiến nghị, from the read
side's status changes, in JSON and XML, with the field names FixMyStreet reads."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from shared.settings import Settings
from shared.vietnam_time import VIETNAM, today_in_vietnam
from tests.helpers import catch_up
from tests.open311.helpers import another_citizen, read, submitted, xml_items

FIELDS = [
    "update_id",
    "service_request_id",
    "status",
    "external_status_code",
    "updated_datetime",
    "description",
    "media_url",
]
REASON = "Ổ gà vẫn còn, nhà tôi ở số 5 vẫn bị ngập"  # the reporter's own words


def step(dialogue: TestClient, request_id: str, path: str, body: dict[str, Any]) -> None:
    response = dialogue.post(f"/kien-nghi/{request_id}/{path}", json=body)
    assert response.status_code == 200, response.text


def every_step(dialogue: TestClient, request_id: str) -> str:
    """Assigned, answered, resolved, reopened, assigned again; the due day, as shown."""
    due = today_in_vietnam() + timedelta(days=10)
    assignment = {"agency": "UBND phường Ba Đình", "due_on": due.isoformat()}
    step(dialogue, request_id, "assignment", assignment)
    step(dialogue, request_id, "answer", {"answer": "Đã cử người kiểm tra"})
    step(dialogue, request_id, "resolution", {"resolution": "Đã vá ổ gà"})
    step(dialogue, request_id, "rating", {"rating": 2})  # no status change: no update
    step(dialogue, request_id, "reopening", {"reason": REASON})
    step(dialogue, request_id, "assignment", {**assignment, "agency": "Công ty Công trình"})
    return due.strftime("%d/%m/%Y")


def updates(client: TestClient, fmt: str = "json", **params: Any) -> list[dict[str, Any]]:
    response = read(client, "servicerequestupdates", fmt, **params)
    assert response.status_code == 200, response.text
    if fmt == "xml":
        return xml_items(response, "service_request_updates", "request_update")
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    found: list[dict[str, Any]] = response.json()
    return found


def test_each_step_is_an_update_in_json_and_xml(
    dialogue: TestClient, aggregator: TestClient
) -> None:
    request_id = submitted(dialogue)
    due = every_step(dialogue, request_id)
    declined = submitted(dialogue, description="Đèn đường hỏng")
    step(dialogue, declined, "assignment", {"agency": "UBND"})
    step(dialogue, declined, "declination", {"reason": "Ngoài thẩm quyền của phường"})
    catch_up(aggregator)

    found = updates(dialogue)  # no api_key: the public view
    assert all(list(update) == FIELDS for update in found)
    mine = [u for u in found if u["service_request_id"] == request_id]
    assert [(u["status"], u["external_status_code"]) for u in mine] == [
        ("open", "assigned"),
        ("open", "answered"),
        ("closed", "resolved"),
        ("open", "reopened"),
        ("open", "assigned"),
    ]
    assert [u["description"] for u in mine] == [
        f"Đã giao UBND phường Ba Đình xử lý, hạn {due}.",
        "Đã cử người kiểm tra",
        "Đã vá ổ gà",
        "Kiến nghị được mở lại để xử lý tiếp.",  # the reporter's words: not in public
        f"Đã giao Công ty Công trình xử lý, hạn {due}.",
    ]
    assert len({u["update_id"] for u in found}) == len(found) == 7
    assert all(u["update_id"].startswith(f"{u['service_request_id']}-") for u in found)
    assert all(u["media_url"] == "" for u in found)
    moments = [datetime.fromisoformat(u["updated_datetime"]) for u in found]
    assert moments == sorted(moments) and all(
        u["updated_datetime"].endswith("+07:00") for u in found
    )
    last = [u for u in found if u["service_request_id"] == declined][-1]
    assert (last["status"], last["description"]) == ("closed", "Ngoài thẩm quyền của phường")

    xml = updates(dialogue, "xml")
    assert [u["update_id"] for u in xml] == [u["update_id"] for u in found]
    assert all(list(u) == FIELDS for u in xml)
    assert xml[0]["service_request_id"] == request_id and xml[0]["media_url"] is None
    assert xml[2]["status"] == "closed"
    english = dialogue.get(
        "/open311/v2/servicerequestupdates.json", headers={"Accept-Language": "en"}
    )
    assert english.json()[3]["description"] == "The kiến nghị was reopened for further handling."


def test_a_reopening_shows_its_reason_to_those_who_see_the_request_in_full(
    dialogue: TestClient, aggregator: TestClient, settings: Settings
) -> None:
    request_id = submitted(dialogue)
    every_step(dialogue, request_id)
    catch_up(aggregator)

    def reopening(key: str | None) -> str:
        found = updates(dialogue, **({"api_key": key} if key else {}))
        [reopened] = [u for u in found if u["external_status_code"] == "reopened"]
        return str(reopened["description"])

    assert reopening("token-officer") == REASON
    assert reopening("token-citizen") == REASON
    assert reopening("token-admin") == REASON
    for key in (None, "token-officer_hcm", "token-auditor", another_citizen(settings)):
        assert reopening(key) == "Kiến nghị được mở lại để xử lý tiếp.", key


def test_updates_since_a_date_of_a_jurisdiction_a_page_at_a_time(
    dialogue: TestClient, aggregator: TestClient
) -> None:
    first = submitted(dialogue)
    every_step(dialogue, first)
    between = datetime.now(VIETNAM).isoformat()
    second = submitted(dialogue)
    every_step(dialogue, second)
    catch_up(aggregator)

    assert {u["service_request_id"] for u in updates(dialogue)} == {first, second}
    since = updates(dialogue, start_date=between)
    assert [u["service_request_id"] for u in since] == [second] * 5
    until = updates(dialogue, end_date=between)
    assert [u["service_request_id"] for u in until] == [first] * 5
    tomorrow = (today_in_vietnam() + timedelta(days=1)).isoformat()
    assert updates(dialogue, start_date=tomorrow) == []
    assert len(updates(dialogue, jurisdiction_id="01")) == 10
    assert updates(dialogue, "xml", jurisdiction_id="79") == []

    everything = updates(dialogue)
    assert updates(dialogue, page_size=4) == everything[:4]
    assert updates(dialogue, page_size=4, page=3) == everything[8:]
    assert updates(dialogue, page_size=4, page=4) == []


def test_the_handling_steps_are_updates_in_their_own_words(
    dialogue: TestClient, aggregator: TestClient
) -> None:
    """Acknowledged (the tracking code), assigned, transferred, given more time, escalated:
    each an update an Open311 client reads; the request's notice carries the tracking code."""
    request_id = submitted(dialogue)
    code = dialogue.post(f"/kien-nghi/{request_id}/acknowledgement", json={}).json()
    step(dialogue, request_id, "assignment", {"agency": "UBND phường Ba Đình"})
    step(dialogue, request_id, "transfer", {"agency": "Công ty Công trình", "reason": "Chủ đầu tư"})
    step(dialogue, request_id, "extension-request", {"reason": "Chờ vật liệu"})
    step(dialogue, request_id, "extension-grant", {"reason": "Đồng ý"})
    step(dialogue, request_id, "escalation", {"reason": "Cần quận chỉ đạo"})
    view = dialogue.get(f"/kien-nghi/{request_id}").json()
    due = datetime.fromisoformat(f"{view['due_on']}T00:00").strftime("%d/%m/%Y")
    before = datetime.fromisoformat(f"{view['due_before_extension']}T00:00").strftime("%d/%m/%Y")
    catch_up(aggregator)

    mine = [u for u in updates(dialogue) if u["service_request_id"] == request_id]
    assert [u["description"] for u in mine] == [
        f"Đã tiếp nhận kiến nghị, mã tra cứu {code['tracking_code']}.",
        # received and transferred today: the restarted clock ends on the same working day
        f"Đã giao UBND phường Ba Đình xử lý, hạn {before}.",
        f"Đã chuyển Công ty Công trình xử lý, hạn {before}: Chủ đầu tư",
        "Công ty Công trình đề nghị gia hạn xử lý.",
        f"Đã gia hạn xử lý đến {due}.",
        "Kiến nghị đã được chuyển lên cấp trên xem xét.",
    ]
    assert all(u["status"] == "open" for u in mine)
    shown = read(dialogue, f"requests/{request_id}").json()[0]
    assert shown["service_notice"].startswith(f"Mã tra cứu: {code['tracking_code']}.")
