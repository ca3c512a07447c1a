"""Every error under /open311 is an Open311 error array with its HTTP status; nowhere else."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.exceptions import HTTPException
from starlette.requests import Request

from services.dialogue.main import create_app
from services.dialogue.open311.rendering import error_of
from shared.settings import Settings
from tests.conftest import bearer
from tests.dialogue.helpers import event_types
from tests.open311.helpers import LAT, LONG, V2, errors, post, read, submitted


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(
    ("overrides", "status", "field"),
    [
        ({"api_key": None}, 403, "api_key"),
        ({"api_key": "not-a-token"}, 403, "api_key"),
        ({"api_key": "token-auditor"}, 403, "api_key"),  # a role that may not submit
        ({"service_code": "potholes"}, 404, "service_code"),
        ({"service_code": None}, 400, "service_code"),
        ({"jurisdiction_id": "99"}, 404, "jurisdiction_id"),
        ({"lat": None, "long": None}, 400, "lat"),
        ({"long": None}, 400, "long"),
        ({"lat": "north"}, 400, "lat"),
        ({"lat": "95"}, 400, "lat"),
        ({"lat": "48.85", "long": "2.35"}, 400, "lat"),  # Paris is not ours
        ({"description": None}, 400, "description"),
        ({"description": "x" * 4001}, 400, "description"),
        ({"first_name": "x" * 101}, 400, "first_name"),
        ({"email": "x" * 250 + "@a.vn"}, 400, "email"),
        ({"email": "not-an-email"}, 400, "email"),
        ({"phone": "0" * 21}, 400, "phone"),
        ({"media_url": "https://a.vn/" + "x" * 2048}, 400, "media_url"),
        ({"media_url": "javascript:alert(1)"}, 400, "media_url"),
        ({"lat": None, "long": None, "address_string": "x" * 501}, 400, "address_string"),
        ({"lat": None, "long": None, "address_string": "Ở đâu đó"}, 400, "address_string"),
        ({"lat": None, "long": None, "address_id": "99999"}, 400, "address_id"),
        ({"publish_location_and_media": "perhaps"}, 400, "publish_location_and_media"),
        # jurisdiction_id, the point and address_id must agree
        ({"jurisdiction_id": "31"}, 400, "lat"),  # a point in Hà Nội under Hải Phòng
        (
            {"lat": None, "long": None, "jurisdiction_id": "31", "address_id": "00004"},
            400,
            "address_id",
        ),
        ({"jurisdiction_id": "31", "address_id": "11383"}, 400, "lat"),  # Lê Chân, Hải Phòng
        ({"address_id": "11383"}, 400, "lat"),  # the point is in Hà Nội, the commune is not
        (
            {
                "lat": None,
                "long": None,
                "jurisdiction_id": "31",
                "address_string": "12 Tràng Tiền, Hoàn Kiếm, Hà Nội",
            },
            400,
            "address_string",
        ),
        # the fields of the service
        ({"attribute[damage_kind]": None}, 400, "attribute[damage_kind]"),
        ({"attribute[damage_kind]": ""}, 400, "attribute[damage_kind]"),
        ({"attribute[damage_kind]": "meteor"}, 400, "attribute[damage_kind]"),
        ({"attribute[damage_kind][]": ["pothole", "power"]}, 400, "attribute[damage_kind]"),
        ({"attribute[immediate_danger]": "maybe"}, 400, "attribute[immediate_danger]"),
        ({"service_code": "urban_order"}, 400, "attribute[encroachment_kind]"),
        (
            {"service_code": "environment", "attribute[pollution_kind][]": ["air", "smell"]},
            400,
            "attribute[pollution_kind]",
        ),
    ],
)
def test_post_errors_name_the_field(
    module_dialogue: TestClient, fmt: str, overrides: dict[str, Any], status: int, field: str
) -> None:
    descriptions = errors(post(module_dialogue, fmt, **overrides), status)

    assert any(d.startswith(f"{field}: ") for d in descriptions), descriptions


def test_a_location_outside_the_jurisdiction_says_where_it_lies(dialogue: TestClient) -> None:
    no_point = {"lat": None, "long": None, "jurisdiction_id": "31"}
    english = {"Accept-Language": "en"}

    [point] = errors(post(dialogue, jurisdiction_id="31", headers=english), 400)
    assert point == (
        f"lat: The point ({LAT}, {LONG}) lies in Thành phố Hà Nội, not in Thành phố Hải Phòng."
    )
    [unit] = errors(post(dialogue, address_id="00004", headers=english, **no_point), 400)
    assert unit == (
        "address_id: Unit 00004 lies in Thành phố Hà Nội, not in Thành phố Hải Phòng "
        "(jurisdiction_id)."
    )
    address = "12 Tràng Tiền, Hoàn Kiếm, Hà Nội"
    [text] = errors(post(dialogue, address_string=address, headers=english, **no_point), 400)
    assert text == (
        "address_string: The address lies in Thành phố Hà Nội, not in Thành phố Hải Phòng "
        "(jurisdiction_id)."
    )


def test_nothing_is_written_by_a_refused_post(dialogue: TestClient) -> None:
    refused = [
        post(dialogue, jurisdiction_id="31"),
        post(dialogue, **{"attribute[damage_kind]": "meteor"}),
        post(dialogue, api_key="token-officer_hcm"),
    ]

    assert [r.status_code for r in refused] == [400, 400, 403]
    assert "KienNghi.Received" not in event_types(dialogue)


def test_an_officer_files_only_within_its_units(dialogue: TestClient) -> None:
    hanoi_unit = {"lat": None, "long": None, "address_id": "00004"}

    [outside] = errors(post(dialogue, api_key="token-officer_hcm", **hanoi_unit), 403)
    assert outside.startswith("address_id: ")
    [by_point] = errors(post(dialogue, "xml", api_key="token-officer_hcm"), 403)
    assert by_point.startswith("lat: ")
    assert "KienNghi.Received" not in event_types(dialogue)
    denials = dialogue.get("/security/denials", headers=bearer("auditor")).json()
    refused = [d for d in denials if d["path"] == f"{V2}/requests.json"]
    assert [(d["principal"], d["code"]) for d in refused] == [("officer-hcm", "forbidden_unit")]

    assert post(dialogue, api_key="token-officer", **hanoi_unit).status_code == 200
    assert post(dialogue, api_key="token-admin", **hanoi_unit).status_code == 200
    assert post(dialogue, api_key="token-citizen", **hanoi_unit).status_code == 200
    hcm = {"lat": None, "long": None, "address_id": "26740"}  # Phường Sài Gòn
    assert post(dialogue, api_key="token-officer_hcm", **hcm).status_code == 200


def test_get_errors(dialogue: TestClient) -> None:
    request_id = submitted(dialogue)

    assert errors(read(dialogue, f"requests/{request_id}", api_key="wrong"), 403)
    assert errors(read(dialogue, "requests", api_key="wrong"), 403)
    assert errors(read(dialogue, "servicerequestupdates", "xml", api_key="wrong"), 403)
    assert errors(read(dialogue, "requests", page="0"), 400)[0].startswith("page: ")
    assert errors(read(dialogue, "requests", page="1001"), 400)
    assert errors(read(dialogue, "requests", page_size="1001"), 400)[0].startswith("page_size: ")
    assert errors(read(dialogue, "requests", page_size="ten"), 400)
    assert errors(read(dialogue, "servicerequestupdates", page_size="0"), 400)
    assert errors(read(dialogue, "servicerequestupdates", start_date="then"), 400)
    assert errors(read(dialogue, "servicerequestupdates", jurisdiction_id="00"), 404)
    for far in ("9999-12-31", "9999", "0001-01-01T00:00:00+07:00", "1899-12"):
        assert errors(read(dialogue, "requests", end_date=far), 400)[0].startswith("end_date: ")
        assert errors(read(dialogue, "servicerequestupdates", start_date=far), 400)
    assert errors(read(dialogue, f"requests/{request_id}", "csv"), 404)
    assert errors(read(dialogue, "services", "html"), 404)
    unknown = "00000000-0000-0000-0000-000000000000"
    assert errors(read(dialogue, f"requests/{unknown}", "xml"), 404)
    assert errors(read(dialogue, "requests/not-an-id"), 404)
    assert errors(read(dialogue, f"tokens/{unknown}"), 404)
    assert errors(read(dialogue, "requests", status="pending"), 400)
    assert errors(read(dialogue, "requests", start_date="yesterday"), 400)
    too_long = {"start_date": "2025-01-01", "end_date": "2025-06-01T00:00:00+07:00"}
    assert errors(read(dialogue, "requests", **too_long), 400)[0].startswith("end_date: ")
    backwards = {"start_date": "2025-06-01", "end_date": "2025-05-01"}
    assert errors(read(dialogue, "requests", **backwards), 400)
    assert errors(read(dialogue, "requests", service_code="potholes"), 404)
    assert errors(read(dialogue, "requests", jurisdiction_id="00"), 404)
    assert errors(dialogue.get(f"{V2}/nothing/here.xml"), 404)
    assert errors(dialogue.get("/open311/v3/services.json"), 404)
    refused = dialogue.delete(f"{V2}/requests.json")
    assert errors(refused, 405) and refused.headers["allow"] == "GET, POST"


def test_errors_in_english_on_request(dialogue: TestClient) -> None:
    english = {"Accept-Language": "en"}

    [missing] = errors(post(dialogue, api_key=None, headers=english), 403)
    assert missing == "api_key: The api_key is missing or invalid."
    [too_long] = errors(post(dialogue, description="x" * 4001, headers=english), 400)
    assert too_long.startswith("description: String should have at most 4000 characters")
    [vietnamese] = errors(post(dialogue, description="x" * 4001), 400)
    assert vietnamese == "description: Quá dài (tối đa 4000 ký tự)."


def test_rate_limited_posts_keep_retry_after(settings: Settings) -> None:
    limited = settings.model_copy(update={"write_rate_limit": "1/minute"})
    with TestClient(create_app(limited)) as client:
        assert post(client).status_code == 200
        for fmt in ("json", "xml"):
            refused = post(client, fmt)
            assert errors(refused, 429)
            assert int(refused.headers["Retry-After"]) >= 1


def test_http_errors_keep_their_headers() -> None:
    scope = {"type": "http", "method": "POST", "path": f"{V2}/requests.xml", "headers": []}
    exc = HTTPException(429, headers={"Retry-After": "7"})

    status, texts, headers = error_of(Request({**scope, "query_string": b""}), exc)

    assert (status, headers) == (429, {"Retry-After": "7"})
    assert "7" in texts[0]


def test_the_rest_of_the_service_keeps_its_error_format(dialogue: TestClient) -> None:
    response = dialogue.get("/kien-nghi/not-a-uuid")

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_input"
    assert dialogue.get("/nowhere").json()["error"]["code"] == "not_found"


def test_control_characters_are_refused_before_anything_is_stored(dialogue: TestClient) -> None:
    """A NUL stored in an event stops PostgreSQL's copy of it into the read models."""
    for field in ("description", "email", "device_id", "first_name"):
        response = post(dialogue, **{field: "x\x00y@z"})
        assert response.status_code == 400, (field, response.text)
        assert response.json()[0]["description"].startswith(f"{field}: ")


def test_ids_with_control_characters_are_refused_not_passed_on(dialogue: TestClient) -> None:
    """The read side refuses them too: passed on, they made the list 503 instead of 400."""
    response = dialogue.get("/open311/v2/requests.json", params={"service_request_id": "a\x03b"})

    assert response.status_code == 400, response.text
    assert response.json()[0]["description"].startswith("service_request_id: ")
    assert "U+0000" in response.json()[0]["description"]
