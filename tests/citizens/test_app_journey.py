"""A citizen's journey through the native app API, and what stays private."""

from __future__ import annotations

import base64
from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import bearer
from tests.helpers import app_of, catch_up

# a 1×1 PNG: a real image, small enough for every test
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
CITIZEN = bearer("citizen")
OFFICER = bearer("officer")
CONTACT = {
    "name": "Nguyễn Thị Hoa",
    "phone": "0912345678",
    "email": "hoa@example.vn",
    "address": "12 Phố Quán Thánh",
}
BA_DINH = {"lat": 21.0405, "long": 105.8346}  # near Phường Ba Đình, Hà Nội


def submit(dialogue: TestClient, **overrides: Any) -> dict[str, Any]:
    body = {
        "category": "urban_order",
        "content": "Vỉa hè bị lấn chiếm",
        **BA_DINH,
        "contact": CONTACT,
        "device_id": "device-abc-123",
        **overrides,
    }
    response = dialogue.post("/app/kien-nghi", json=body, headers=CITIZEN)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def upload(dialogue: TestClient, content: bytes = PNG, name: str = "photo.png") -> Any:
    return dialogue.post(
        "/app/attachments", files={"file": (name, content, "image/png")}, headers=CITIZEN
    )


def test_a_citizen_submits_follows_rates_and_reopens_their_own(
    dialogue: TestClient, aggregator: TestClient
) -> None:
    photo = upload(dialogue)
    assert photo.status_code == 201, photo.text
    assert photo.json()["media_type"] == "image/png"
    created = submit(dialogue, attachments=[photo.json()["sha256"]])
    assert created["unit_name"] == "Phường Ba Đình"  # the point resolved to a 2025 commune
    path = f"/app/kien-nghi/{created['id']}"

    own = dialogue.get(path, headers=CITIZEN).json()
    assert own["status"] == "received" and own["contact"]["phone"] == "0912345678"
    # Hà Nội's clock, started when it was received today
    deadlines = own["deadlines"]
    assert (deadlines["rule_set"], deadlines["priority"]) == ("hanoi-2024", "normal")
    started = datetime.fromisoformat(deadlines["clock_from"])
    assert started.date() == app_of(dialogue).state.dialogues.today()
    steps = [deadlines[k] for k in ("clock_from", "acknowledge_by", "answer_by", "resolve_by")]
    assert [datetime.fromisoformat(s) for s in steps] == sorted(
        datetime.fromisoformat(s) for s in steps
    )
    assert (
        dialogue.get(f"{path}/attachments/{photo.json()['sha256']}", headers=CITIZEN).content == PNG
    )

    officer_path = f"/kien-nghi/{created['id']}"
    for step, body in (
        (
            "assignment",
            {
                "agency": "UBND phường Ba Đình",
                "due_on": (
                    app_of(dialogue).state.dialogues.today() + timedelta(days=15)
                ).isoformat(),
            },
        ),
        ("answer", {"answer": "Đã kiểm tra hiện trường"}),
        ("resolution", {"resolution": "Đã xử lý lấn chiếm"}),
    ):
        assert (
            dialogue.post(f"{officer_path}/{step}", json=body, headers=OFFICER).status_code == 200
        )
    followed = dialogue.get(path, headers=CITIZEN).json()
    assert followed["status"] == "resolved" and followed["agency"] == "UBND phường Ba Đình"
    assert followed["answer"]["answer"] == "Đã kiểm tra hiện trường"
    assert dialogue.post(f"{path}/rating", json={"rating": 4}, headers=CITIZEN).status_code == 200
    assert (
        dialogue.post(
            f"{path}/reopening", json={"reason": "Lại bị lấn chiếm"}, headers=CITIZEN
        ).status_code
        == 200
    )
    assert dialogue.get(path, headers=CITIZEN).json()["status"] == "reopened"

    catch_up(aggregator)
    listed = dialogue.get("/app/kien-nghi", headers=CITIZEN).json()["items"]
    assert [item["id"] for item in listed] == [created["id"]]
    assert "personal" not in listed[0] and "citizen" not in listed[0]


def test_a_citizen_sees_only_their_own(dialogue: TestClient, settings: Any) -> None:
    from shared.auth import TokenStore
    from shared.principal import Role

    TokenStore(settings.token_path).issue("citizen-2", Role.CITIZEN, [], token="token-citizen-2")
    created = submit(dialogue)
    other = {"Authorization": "Bearer token-citizen-2"}
    assert dialogue.get(f"/app/kien-nghi/{created['id']}", headers=other).status_code == 404
    assert (
        dialogue.post(
            f"/app/kien-nghi/{created['id']}/rating", json={"rating": 1}, headers=other
        ).status_code
        == 404
    )
    assert dialogue.get("/app/kien-nghi/" + created["id"], headers=OFFICER).status_code == 403


def test_reopening_is_refused_after_the_time_limit(dialogue: TestClient) -> None:
    created = submit(dialogue)
    officer_path = f"/kien-nghi/{created['id']}"
    due = (app_of(dialogue).state.dialogues.today() + timedelta(days=5)).isoformat()
    dialogue.post(
        f"{officer_path}/assignment", json={"agency": "UBND", "due_on": due}, headers=OFFICER
    ).raise_for_status()
    dialogue.post(
        f"{officer_path}/resolution", json={"resolution": "Xong"}, headers=OFFICER
    ).raise_for_status()
    service = app_of(dialogue).state.dialogues
    later = service.today() + timedelta(days=service.reopen_days + 1)
    service.today = lambda: later  # the application's clock, a month on
    late = dialogue.post(
        f"/app/kien-nghi/{created['id']}/reopening", json={"reason": "Chưa xong"}, headers=CITIZEN
    )
    assert late.status_code == 409 and late.json()["error"]["code"] == "reopen_too_late"


def test_a_retried_submission_makes_one_record(dialogue: TestClient) -> None:
    body = {"category": "land", "content": "Tranh chấp đất", "unit_code": "00004"}
    key = {**CITIZEN, "Idempotency-Key": "app-retry-7"}
    first = dialogue.post("/app/kien-nghi", json=body, headers=key)
    again = dialogue.post("/app/kien-nghi", json=body, headers=key)
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"category": "land", "content": "x"}, "lat"),  # neither unit nor point
        ({"category": "land", "content": "x", "lat": 48.85, "long": 2.35}, "lat"),  # Paris
        ({"category": "land", "content": "x" * 4001, "unit_code": "00004"}, "content"),
        ({"category": "weather", "content": "x", "unit_code": "00004"}, "category"),
        (
            {
                "category": "land",
                "content": "x",
                "unit_code": "00004",
                "contact": {"phone": "gọi tôi"},
            },
            "contact.phone",
        ),
        (
            {"category": "land", "content": "x", "unit_code": "00004", "attachments": ["0" * 64]},
            "attachment_not_found",
        ),
    ],
)
def test_bad_submissions_are_refused_naming_the_field(
    dialogue: TestClient, body: dict[str, Any], field: str
) -> None:
    response = dialogue.post("/app/kien-nghi", json=body, headers=CITIZEN)
    assert 400 <= response.status_code < 500, response.text
    error = response.json()["error"]
    assert field in (error.get("field"), error["code"]), error


def test_attachments_are_checked_by_their_bytes_and_size(dialogue: TestClient) -> None:
    text = upload(dialogue, b"not really an image", "photo.png")
    assert text.status_code == 422 and text.json()["error"]["code"] == "attachment_type"
    pdf = upload(
        dialogue,
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF",
        "scan.pdf",
    )
    assert pdf.status_code == 201 and pdf.json()["media_type"] == "application/pdf"
    huge = upload(dialogue, PNG + b"\0" * 12_000_000)
    assert huge.status_code in (413, 422)
    assert (
        dialogue.post(
            "/app/attachments", files={"file": ("x.png", PNG, "image/png")}, headers=OFFICER
        ).status_code
        == 403
    )
