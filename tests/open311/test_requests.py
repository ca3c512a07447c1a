"""Open311 service requests driven as the GeoReport v2 examples do: POST a form, GET it back."""

from __future__ import annotations

import re
from uuid import UUID

from fastapi.testclient import TestClient

from shared.principal import Principal, Role
from tests.conftest import bearer
from tests.dialogue.helpers import event_types
from tests.helpers import feed
from tests.open311.helpers import (
    LAT,
    LONG,
    PERSONAL,
    assign_and_resolve,
    errors,
    one_request,
    post,
    read,
    submitted,
    xml_items,
)

W3C = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$")


def test_post_answers_the_documented_array(dialogue: TestClient) -> None:
    response = post(dialogue, **{"attribute[WHISKER]": "ignored"})

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    [created] = response.json()
    assert set(created) == {"service_request_id", "token", "service_notice", "account_id"}
    assert UUID(created["service_request_id"])
    assert created["token"] == created["service_request_id"]
    assert created["account_id"] is None
    assert "Phường Ba Đình" in created["service_notice"]

    xml = post(dialogue, "xml", device_id="other-device")
    [request] = xml_items(xml, "service_requests", "request")
    assert UUID(request["service_request_id"]) and request["account_id"] is None


def test_a_request_reads_back_in_json_and_xml(dialogue: TestClient) -> None:
    request_id = submitted(dialogue)

    request = one_request(dialogue, request_id)
    assert request["service_request_id"] == request_id
    assert request["status"] == "open"
    assert request["service_code"] == "infrastructure"
    assert request["service_name"] == "Hạ tầng"
    assert request["description"].startswith("Ổ gà lớn")
    assert (request["lat"], request["long"]) == (float(LAT), float(LONG))
    assert request["media_url"] == PERSONAL["media_url"]
    assert request["address"] == "Phường Ba Đình, Thành phố Hà Nội"
    assert request["address_id"] == "00004"
    assert request["agency_responsible"] is None and request["expected_datetime"] is None
    assert W3C.match(request["requested_datetime"]) and W3C.match(request["updated_datetime"])
    assert list(request)[:3] == ["service_request_id", "status", "status_notes"]

    english = dialogue.get(
        f"/open311/v2/requests/{request_id}.xml",
        params={"api_key": "token-officer"},
        headers={"Accept-Language": "en"},
    )
    [xml] = xml_items(english, "service_requests", "request")
    assert xml["service_request_id"] == request_id
    assert (xml["status"], xml["service_name"]) == ("open", "Infrastructure")
    assert (xml["lat"], xml["long"]) == (LAT, LONG)
    assert xml["agency_responsible"] is None  # <agency_responsible/>


def test_assignment_and_resolution_show_agency_notes_and_closed(dialogue: TestClient) -> None:
    request_id = submitted(dialogue)
    due = assign_and_resolve(dialogue, request_id)

    request = one_request(dialogue, request_id)
    assert request["status"] == "closed"
    assert request["agency_responsible"] == "UBND phường Ba Đình"
    assert request["status_notes"] == "Đã vá ổ gà ngày 3/7"
    assert request["expected_datetime"] == f"{due}T23:59:59+07:00"
    assert request["service_notice"] == "Trạng thái: đã giải quyết."


def test_address_string_or_address_id_locate_the_commune(dialogue: TestClient) -> None:
    by_address = post(dialogue, lat="", long="", address_string="12 Tràng Tiền, Hoàn Kiếm, Hà Nội")
    assert by_address.status_code == 200, by_address.text
    request = one_request(dialogue, by_address.json()[0]["service_request_id"])
    assert request["address"] == "12 Tràng Tiền, Hoàn Kiếm, Hà Nội"
    assert request["lat"] is None and request["long"] is None

    # a street alone is read within the jurisdiction given
    within = post(
        dialogue,
        lat=None,
        long=None,
        jurisdiction_id="01",
        address_string="Số 5 phố Tràng Tiền, phường Hoàn Kiếm",
    )
    assert within.status_code == 200, within.text
    located = one_request(dialogue, within.json()[0]["service_request_id"])
    assert located["address_id"] == request["address_id"]

    by_id = post(dialogue, lat=None, long=None, address_id="00004", jurisdiction_id="01")
    assert by_id.status_code == 200, by_id.text
    assert one_request(dialogue, by_id.json()[0]["service_request_id"])["address_id"] == "00004"


def test_retries_with_one_idempotency_key_make_one_record(dialogue: TestClient) -> None:
    key = {"Idempotency-Key": "open311-retry-1"}
    first = post(dialogue, headers=key)
    again = post(dialogue, headers=key)

    assert first.status_code == again.status_code == 200
    assert first.json()[0]["service_request_id"] == again.json()[0]["service_request_id"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert event_types(dialogue).count("KienNghi.Received") == 1

    changed = post(dialogue, headers=key, description="Một kiến nghị khác")
    assert "Idempotency-Key" in errors(changed, 409)[0]
    # without the header, the same form twice is two requests
    assert submitted(dialogue) != submitted(dialogue)


def test_personal_data_is_never_stored_or_shown_in_clear(dialogue: TestClient) -> None:
    request_id = submitted(dialogue, account_id="app-user-42", headers={"Idempotency-Key": "p"})
    auditor = bearer("auditor")

    history = dialogue.get(f"/kien-nghi/{request_id}/history", headers=auditor)
    assert history.status_code == 200, history.text
    [received] = [e for e in history.json()["items"] if e["type"] == "KienNghi.Received"]
    assert received["data"]["channel"] == "open311"
    assert received["data"]["personal"].startswith("pd1.")
    assert UUID(received["data"]["citizen"])
    clear = [*PERSONAL.values(), "app-user-42", LAT, LONG]
    raw = history.text + str(feed(dialogue, auditor))
    assert [value for value in clear if value in raw] == []

    shown = read(dialogue, f"requests/{request_id}").text
    hidden = ("email", "phone", "first_name", "last_name", "device_id", "app-user-42")
    assert [v for k, v in PERSONAL.items() if k in hidden and v in shown] == []


def test_erased_personal_data_leaves_the_commune(dialogue: TestClient) -> None:
    request_id = submitted(dialogue)
    dialogues = dialogue.app.state.dialogues  # type: ignore[attr-defined]
    dialogues.erase_data_subject(
        subject=None,
        kien_nghi_id=UUID(request_id),
        reason="Người dân yêu cầu xóa",
        actor=Principal("admin-1", Role.ADMIN),
    )

    request = one_request(dialogue, request_id)
    assert (request["lat"], request["long"], request["media_url"]) == (None, None, None)
    assert request["address"] == "Phường Ba Đình, Thành phố Hà Nội"
    assert request["description"].startswith("Ổ gà lớn")


def test_tokens_give_the_request_id(dialogue: TestClient) -> None:
    token = post(dialogue).json()[0]["token"]

    response = read(dialogue, f"tokens/{token}")
    assert response.status_code == 200, response.text
    assert response.json() == [{"service_request_id": token, "token": token}]
    [xml] = xml_items(read(dialogue, f"tokens/{token}", "xml"), "service_requests", "request")
    assert xml == {"service_request_id": token, "token": token}
