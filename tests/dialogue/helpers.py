"""Valid request bodies and lifecycle moves of the dialogue service, for its tests."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from shared.events import FeedItem
from tests.conftest import bearer
from tests.helpers import feed

AUDITOR = bearer("auditor")


def dialogue_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "unit_code": "001",  # Quận Ba Đình, Hà Nội (before 1 July 2025)
        "host_body": "party_committee",
        "host_title": "Bí thư Quận ủy",
        "kind": "thematic",
        "title": "Đối thoại về giải phóng mặt bằng",
        "topics": ["giải phóng mặt bằng", "trật tự đô thị"],
        "scheduled_on": "2024-03-01",
    }
    body.update(overrides)
    return body


def supervision_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "unit_code": "00004",  # Phường Trúc Bạch, Ba Đình (before 1 July 2025)
        "body": "people_inspection_board",
        "kind": "inspection_case",
        "subject": "Thu chi quỹ tổ dân phố số 5",
        "title": "Vụ việc thu chi quỹ tổ dân phố",
        "started_on": "2024-04-01",
    }
    body.update(overrides)
    return body


def finding_body(**overrides: Any) -> dict[str, Any]:
    """A finding with signs of violation and a recommendation (which opens a kiến nghị)."""
    body: dict[str, Any] = {
        "summary": "Chi sai quy định",
        "violation_signs": True,
        "recommendation": "Hoàn trả quỹ",
        "category": "administration",
        "raised_on": "2024-04-10",
    }
    body.update(overrides)
    return body


def kien_nghi_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "source": "citizen_reception",
        "source_id": None,
        "unit_code": "00004",
        "category": "land",
        "content": "Đề nghị giải quyết tranh chấp ranh giới đất",
        "received_on": "2024-05-02",
    }
    body.update(overrides)
    return body


def created(client: TestClient, path: str, body: dict[str, Any], **kwargs: Any) -> str:
    response = client.post(path, json=body, **kwargs)
    assert response.status_code == 201, response.text
    record_id: str = response.json()["id"]
    return record_id


def ok(client: TestClient, path: str, body: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    response = client.post(path, json=body, **kwargs)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def held_dialogue(client: TestClient, **overrides: Any) -> str:
    dialogue_id = created(client, "/dialogues", dialogue_body(**overrides))
    ok(
        client,
        f"/dialogues/{dialogue_id}/held",
        {"held_on": "2024-03-01", "participants": 120, "summary": "Tiếp thu 15 ý kiến"},
    )
    return dialogue_id


def event_types(client: TestClient, aggregate_id: str | None = None) -> list[str]:
    """The types in the feed, in order (of one aggregate if given), without bookkeeping."""
    items = feed(client, AUDITOR)
    return [
        str(item["type"])
        for item in items
        if (aggregate_id is None or item["aggregate_id"] == aggregate_id)
        and str(item["type"]).split(".")[0] in ("Dialogue", "Supervision", "KienNghi")
    ]


def events_of(client: TestClient, aggregate_id: str) -> list[FeedItem]:
    return [item for item in feed(client, AUDITOR) if item["aggregate_id"] == aggregate_id]
