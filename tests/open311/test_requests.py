"""Open311 service requests driven as the GeoReport v2 examples do: POST a form, GET it back,
each caller in the view it may have."""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from shared.principal import Principal, Role
from shared.settings import Settings
from tests.conftest import bearer
from tests.dialogue.helpers import event_types
from tests.helpers import app_of, feed
from tests.open311.helpers import (
    CENTRE,
    LAT,
    LONG,
    PERSONAL,
    another_citizen,
    assign_and_resolve,
    errors,
    one_request,
    post,
    read,
    submitted,
    xml_items,
)

W3C = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$")
MEDIA_LINK = re.compile(
    r"^http://testserver/open311/v2/media/[0-9a-f-]{36}\?expires=\d+&signature="
)
HIDDEN = ("email", "phone", "first_name", "last_name", "device_id")


def location(request: dict[str, Any]) -> tuple[Any, ...]:
    return request["lat"], request["long"], request["address"], request["address_id"]


COMMUNE = (*CENTRE, "Phường Ba Đình, Thành phố Hà Nội", "00004")
REPORTED = (float(LAT), float(LONG), "Phường Ba Đình, Thành phố Hà Nội", "00004")


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


def test_the_public_view_needs_no_key_and_shows_the_commune_only(dialogue: TestClient) -> None:
    request_id = submitted(dialogue, address_string="Số 12 Phan Đình Phùng, Ba Đình")

    public = read(dialogue, f"requests/{request_id}")
    [request] = public.json()
    assert request["service_request_id"] == request_id
    assert (request["status"], request["service_code"]) == ("open", "infrastructure")
    assert request["service_name"] == "Hạ tầng"
    assert request["description"].startswith("Ổ gà lớn")
    assert location(request) == COMMUNE  # the commune's name, code and centre
    assert request["media_url"] is None
    assert request["agency_responsible"] is None
    # not yet assigned: expected when the handling rules' time to resolve it ends
    record = dialogue.get(f"/kien-nghi/{request_id}", headers=bearer("admin")).json()
    assert record["deadlines"]["rule_set"] == "hanoi-2024"
    assert request["expected_datetime"] == record["deadlines"]["resolve_by"]
    assert request["expected_datetime"].endswith("T17:00:00+07:00")
    assert W3C.match(request["requested_datetime"]) and W3C.match(request["updated_datetime"])
    assert list(request)[:3] == ["service_request_id", "status", "status_notes"]
    given = [*PERSONAL.values(), LAT, LONG, "Phan Đình Phùng"]
    assert [value for value in given if value in public.text] == []

    english = dialogue.get(
        f"/open311/v2/requests/{request_id}.xml", headers={"Accept-Language": "en"}
    )
    [xml] = xml_items(english, "service_requests", "request")
    assert (xml["status"], xml["service_name"]) == ("open", "Infrastructure")
    assert (xml["lat"], xml["long"]) == tuple(str(c) for c in CENTRE)
    assert xml["agency_responsible"] is None and xml["media_url"] is None  # <media_url/>
    assert LAT not in english.text and "Phan Đình Phùng" not in english.text


def test_consent_publishes_the_point_and_media(dialogue: TestClient) -> None:
    consented = submitted(dialogue, publish_location_and_media="true")
    declined = submitted(dialogue, publish_location_and_media="false")

    shown = one_request(dialogue, consented)
    assert location(shown) == REPORTED
    assert MEDIA_LINK.match(shown["media_url"])
    assert location(one_request(dialogue, declined)) == COMMUNE
    assert one_request(dialogue, declined)["media_url"] is None
    text = read(dialogue, f"requests/{consented}").text
    assert [PERSONAL[k] for k in HIDDEN if PERSONAL[k] in text] == []  # never names
    assert PERSONAL["media_url"] not in text  # a signed link, never the URL itself
    assert errors(post(dialogue, publish_location_and_media="maybe"), 400)[0].startswith(
        "publish_location_and_media: "
    )


@pytest.mark.parametrize(
    ("key", "view"),
    [
        ("token-officer", "full"),  # Hà Nội (01) covers Phường Ba Đình
        ("token-officer_badinh", "public"),  # legacy district 001: not a 2025 commune's unit
        ("token-officer_hcm", "public"),  # Hồ Chí Minh (79)
        ("token-admin", "full"),
        ("token-auditor", "public"),  # auditors see no contact data (GET /kien-nghi/{id})
        ("token-citizen", "full"),  # the reporter
    ],
)
def test_a_key_gives_each_caller_its_view(dialogue: TestClient, key: str, view: str) -> None:
    request_id = submitted(dialogue, address_string="Số 12 Phan Đình Phùng, Ba Đình")

    request = one_request(dialogue, request_id, api_key=key)
    if view == "full":
        assert (request["lat"], request["long"]) == (float(LAT), float(LONG))
        assert request["address"] == "Số 12 Phan Đình Phùng, Ba Đình"
        assert MEDIA_LINK.match(request["media_url"])
    else:
        assert location(request) == COMMUNE and request["media_url"] is None
    text = read(dialogue, f"requests/{request_id}", api_key=key).text
    assert [PERSONAL[k] for k in HIDDEN if PERSONAL[k] in text] == []


def test_a_citizen_sees_its_own_in_full_and_others_in_public(
    dialogue: TestClient, settings: Settings
) -> None:
    other = another_citizen(settings)
    mine = submitted(dialogue)
    theirs = submitted(dialogue, api_key=other, device_id="device-2")

    assert location(one_request(dialogue, mine, api_key="token-citizen")) == REPORTED
    assert location(one_request(dialogue, theirs, api_key="token-citizen")) == COMMUNE
    assert location(one_request(dialogue, theirs, api_key=other)) == REPORTED
    assert location(one_request(dialogue, mine, api_key=other)) == COMMUNE
    # an app's account of a citizen does not make the key holder someone else
    with_account = submitted(dialogue, account_id="app-user-42")
    assert location(one_request(dialogue, with_account, api_key="token-citizen")) == REPORTED


def test_a_key_that_is_not_valid_is_refused_even_on_reads(dialogue: TestClient) -> None:
    request_id = submitted(dialogue)

    assert errors(read(dialogue, f"requests/{request_id}", api_key="wrong"), 403)
    assert errors(read(dialogue, "requests", "xml", api_key="wrong"), 403)
    assert read(dialogue, f"requests/{request_id}", api_key="").status_code == 200  # blank: none


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
    request_id = by_address.json()[0]["service_request_id"]
    request = one_request(dialogue, request_id, api_key="token-citizen")
    assert request["address"] == "12 Tràng Tiền, Hoàn Kiếm, Hà Nội"
    assert request["address_id"] == "00070"  # Phường Hoàn Kiếm
    assert (request["lat"], request["long"]) == (21.032, 105.85)  # no point: the centre
    assert one_request(dialogue, request_id)["address"] == "Phường Hoàn Kiếm, Thành phố Hà Nội"

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
    assert located["address_id"] == "00070"

    by_id = post(dialogue, lat=None, long=None, address_id="00004", jurisdiction_id="01")
    assert by_id.status_code == 200, by_id.text
    assert one_request(dialogue, by_id.json()[0]["service_request_id"])["address_id"] == "00004"

    # with a point too, address_id names the commune; the point agrees on the province
    both = post(dialogue, address_id="00070", jurisdiction_id="01")
    assert both.status_code == 200, both.text
    assert one_request(dialogue, both.json()[0]["service_request_id"])["address_id"] == "00070"


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
    other_answer = post(dialogue, headers=key, **{"attribute[damage_kind]": "drainage"})
    assert errors(other_answer, 409)
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
    assert received["data"]["attributes"] == {"damage_kind": "pothole"}
    assert received["data"]["published"] is False
    assert UUID(received["data"]["citizen"])
    clear = [*PERSONAL.values(), "app-user-42", LAT, LONG]
    raw = history.text + str(feed(dialogue, auditor))
    assert [value for value in clear if value in raw] == []

    shown = read(dialogue, f"requests/{request_id}", api_key="token-admin").text
    assert [PERSONAL[k] for k in HIDDEN if PERSONAL[k] in shown] == []
    assert "app-user-42" not in shown


def test_erased_personal_data_leaves_the_commune(dialogue: TestClient) -> None:
    request_id = submitted(dialogue, publish_location_and_media="true")
    dialogues = app_of(dialogue).state.dialogues
    dialogues.erase_data_subject(
        subject=None,
        kien_nghi_id=UUID(request_id),
        reason="Người dân yêu cầu xóa",
        actor=Principal("admin-1", Role.ADMIN),
    )

    for key in (None, "token-admin"):
        request = one_request(dialogue, request_id, **({"api_key": key} if key else {}))
        assert location(request) == COMMUNE
        assert request["media_url"] is None
        assert request["description"].startswith("Ổ gà lớn")


def test_tokens_give_the_request_id(dialogue: TestClient) -> None:
    token = post(dialogue).json()[0]["token"]

    response = read(dialogue, f"tokens/{token}")
    assert response.status_code == 200, response.text
    assert response.json() == [{"service_request_id": token, "token": token}]
    [xml] = xml_items(read(dialogue, f"tokens/{token}", "xml"), "service_requests", "request")
    assert xml == {"service_request_id": token, "token": token}
