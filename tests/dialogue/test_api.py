"""The dialogue service through HTTP: lifecycles, the feed, bad input, idempotency, scope."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient

from shared.events import position_of
from tests.conftest import bearer
from tests.dialogue.helpers import (
    AUDITOR,
    created,
    dialogue_body,
    event_types,
    events_of,
    held_dialogue,
    kien_nghi_body,
    ok,
    supervision_body,
)


def test_a_dialogue_is_scheduled_and_held(dialogue: TestClient) -> None:
    dialogue_id = created(dialogue, "/dialogues", dialogue_body())
    held = ok(
        dialogue,
        f"/dialogues/{dialogue_id}/held",
        {"held_on": "2024-03-01", "participants": 150, "summary": "Tiếp thu 12 ý kiến"},
    )
    assert held == {"id": dialogue_id, "version": 2, "kien_nghi_ids": []}
    view = dialogue.get(f"/dialogues/{dialogue_id}")
    assert view.headers["ETag"] == '"2"'
    assert view.json()["status"] == "held"
    assert view.json()["topics"] == ["giải phóng mặt bằng", "trật tự đô thị"]
    assert event_types(dialogue) == ["Dialogue.Scheduled", "Dialogue.Held"]
    scheduled, held_event = events_of(dialogue, dialogue_id)
    assert set(scheduled["data"]) == {
        *("unit_code", "unit_structure", "host_body", "host_title", "kind", "title"),
        *("topics", "scheduled_on", "actor"),
    }
    assert scheduled["data"]["unit_structure"] == "legacy"
    assert scheduled["data"]["actor"]["id"] == "officer-hanoi"
    assert held_event["data"] == {
        "held_on": "2024-03-01",
        "participants": 150,
        "topics": ["giải phóng mặt bằng", "trật tự đô thị"],
        "summary": "Tiếp thu 12 ý kiến",
        "actor": held_event["data"]["actor"],
    }
    history = dialogue.get(f"/dialogues/{dialogue_id}/history").json()["items"]
    assert [e["type"] for e in history] == ["Dialogue.Scheduled", "Dialogue.Held"]


def test_a_cancelled_dialogue_cannot_be_held(dialogue: TestClient) -> None:
    dialogue_id = created(dialogue, "/dialogues", dialogue_body(kind="ad_hoc"))
    ok(dialogue, f"/dialogues/{dialogue_id}/cancellation", {"reason": "Mưa bão"})
    hold = dialogue.post(f"/dialogues/{dialogue_id}/held", json={"participants": 10})
    assert hold.status_code == 409
    assert hold.json()["error"]["code"] == "dialogue_cancelled"
    again = dialogue.post(f"/dialogues/{dialogue_id}/cancellation", json={"reason": "x"})
    assert again.json()["error"]["code"] == "dialogue_cancelled"
    assert event_types(dialogue) == ["Dialogue.Scheduled", "Dialogue.Cancelled"]


def test_a_dialogue_scheduled_ahead_names_the_unit_of_its_day(dialogue: TestClient) -> None:
    ahead = (date.today() + timedelta(days=30)).isoformat()
    dialogue_id = created(
        dialogue, "/dialogues", dialogue_body(unit_code="00004", scheduled_on=ahead)
    )
    view = dialogue.get(f"/dialogues/{dialogue_id}").json()
    assert (view["unit_structure"], view["scheduled_on"], view["status"]) == (
        "2025",
        ahead,
        "scheduled",
    )
    future = dialogue.post(
        f"/dialogues/{dialogue_id}/held", json={"held_on": ahead, "participants": 5}
    )
    assert (future.status_code, future.json()["error"]["field"]) == (422, "held_on")


def test_a_kien_nghi_is_raised_at_a_held_dialogue_only(dialogue: TestClient) -> None:
    held = held_dialogue(dialogue)
    raised = created(dialogue, "/kien-nghi", kien_nghi_body(source="dialogue", source_id=held))
    view = dialogue.get(f"/kien-nghi/{raised}").json()
    assert (view["source"], view["source_id"], view["status"]) == ("dialogue", held, "received")

    scheduled = created(dialogue, "/dialogues", dialogue_body())
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"source": "dialogue", "source_id": scheduled}, "dialogue_not_held", "source_id"),
        ({"source": "dialogue", "source_id": raised}, "dialogue_unknown", "source_id"),
        ({"source": "dialogue", "source_id": "not-a-uuid"}, "dialogue_unknown", "source_id"),
        ({"source": "dialogue", "source_id": None}, "source_id_required", "source_id"),
        (
            {"source": "dialogue", "source_id": held, "received_on": "2024-02-29"},
            "date_before_dialogue",
            "received_on",
        ),
        ({"source": "citizen_app", "source_id": held}, "source_id_not_allowed", "source_id"),
        (
            {"source": "supervision_finding", "source_id": held},
            "source_opened_by_findings",
            "source",
        ),
    ]
    before = event_types(dialogue)
    for overrides, code, field in cases:
        response = dialogue.post("/kien-nghi", json=kien_nghi_body(**overrides))
        assert response.status_code == 422, (overrides, response.text)
        assert (response.json()["error"]["code"], response.json()["error"]["field"]) == (
            code,
            field,
        )
    assert event_types(dialogue) == before
    assert before.count("KienNghi.Received") == 1


def test_a_supervision_is_started_given_findings_and_concluded(dialogue: TestClient) -> None:
    supervision_id = created(
        dialogue, "/supervisions", supervision_body(body="mttq", kind="supervision")
    )
    finding = ok(
        dialogue,
        f"/supervisions/{supervision_id}/findings",
        # a category without a recommendation opens nothing
        {"summary": "Niêm yết đầy đủ", "category": "administration", "raised_on": "2024-04-05"},
    )
    assert finding["kien_nghi_id"] is None
    ok(
        dialogue,
        f"/supervisions/{supervision_id}/conclusion",
        {"conclusion": "Đạt", "concluded_on": "2024-04-06"},
    )
    view = dialogue.get(f"/supervisions/{supervision_id}").json()
    assert view["status"] == "concluded"
    assert view["findings"][0]["finding_id"] == finding["finding_id"]
    assert event_types(dialogue) == [
        "Supervision.Started",
        "Supervision.FindingRaised",
        "Supervision.Concluded",
    ]


def test_a_finding_with_a_recommendation_opens_a_kien_nghi_that_is_then_followed(
    dialogue: TestClient,
) -> None:
    supervision_id = created(dialogue, "/supervisions", supervision_body())
    finding = ok(
        dialogue,
        f"/supervisions/{supervision_id}/findings",
        {
            "summary": "Chi sai mục đích 12 triệu đồng",
            "violation_signs": True,
            "recommendation": "Đề nghị UBND phường thu hồi khoản chi sai",
            "category": "administration",
            "raised_on": "2024-04-10",
        },
    )
    assert set(finding) == {"id", "version", "finding_id", "kien_nghi_id"}
    assert finding["version"] == 2
    kien_nghi_id = finding["kien_nghi_id"]
    items = events_of(dialogue, supervision_id)[1:] + events_of(dialogue, kien_nghi_id)
    raised, received = sorted(items, key=position_of)
    assert [raised["type"], received["type"]] == ["Supervision.FindingRaised", "KienNghi.Received"]
    assert position_of(received) == position_of(raised) + 1  # one transaction
    assert raised["data"]["kien_nghi_id"] == kien_nghi_id
    assert raised["data"]["violation_signs"] is True
    assert {k: v for k, v in received["data"].items() if k != "actor"} == {
        "source": "supervision_finding",
        "source_id": supervision_id,
        "finding_id": finding["finding_id"],
        "unit_code": "00004",
        "unit_structure": "legacy",
        "category": "administration",
        "content": "Đề nghị UBND phường thu hồi khoản chi sai",
        "received_on": "2024-04-10",
        "channel": "api",
        "citizen": None,
        "personal": None,
        "attachments": None,
        "attributes": None,
        "published": False,
        # Hà Nội's rules from 2024 (8 working hours; 10 and 20 working days), counted from the
        # close of a past day: Giỗ Tổ (18/4) skipped, 29/4–1/5 off, Saturday 4/5 worked
        "deadlines": {
            "rule_set": "hanoi-2024",
            "priority": "normal",
            "clock_from": "2024-04-10T17:00:00+07:00",
            "acknowledge_by": "2024-04-11T17:00:00+07:00",
            "answer_by": "2024-04-25T17:00:00+07:00",
            "resolve_by": "2024-05-13T17:00:00+07:00",
        },
    }

    path = f"/kien-nghi/{kien_nghi_id}"
    ok(
        dialogue,
        f"{path}/assignment",
        {"agency": "UBND phường Trúc Bạch", "due_on": "2024-05-10", "assigned_on": "2024-04-11"},
    )
    ok(dialogue, f"{path}/answer", {"answer": "Đã yêu cầu hoàn trả", "answered_on": "2024-04-20"})
    ok(dialogue, f"{path}/resolution", {"resolution": "Đã thu hồi đủ", "resolved_on": "2024-05-05"})
    rated = ok(
        dialogue, f"{path}/rating", {"rating": 5, "comment": "Kịp thời", "rated_on": "2024-05-06"}
    )
    assert rated == {"id": kien_nghi_id, "version": 5}
    view = dialogue.get(path).json()
    assert (view["status"], view["overdue"], view["finding_id"]) == (
        "resolved",
        False,
        finding["finding_id"],
    )
    assert view["ratings"] == [{"rating": 5, "comment": "Kịp thời", "rated_on": "2024-05-06"}]
    assert event_types(dialogue, kien_nghi_id) == [
        "KienNghi.Received",
        "KienNghi.Assigned",
        "KienNghi.Answered",
        "KienNghi.Resolved",
        "KienNghi.Rated",
    ]


def test_a_declined_kien_nghi_is_reopened_reassigned_and_overdue_is_derived(
    dialogue: TestClient,
) -> None:
    kien_nghi_id = created(dialogue, "/kien-nghi", kien_nghi_body(source="voter_meeting"))
    path = f"/kien-nghi/{kien_nghi_id}"
    ok(
        dialogue,
        f"{path}/assignment",
        {"agency": "Phòng TN&MT", "due_on": "2024-05-29", "assigned_on": "2024-05-03"},
    )
    assert dialogue.get(path).json()["overdue"] is True  # due long ago and still open
    ok(dialogue, f"{path}/declination", {"reason": "Ngoài thẩm quyền", "declined_on": "2024-05-10"})
    ok(dialogue, f"{path}/rating", {"rating": 1, "rated_on": "2024-05-11"})
    ok(dialogue, f"{path}/reopening", {"reason": "Khiếu nại lại", "reopened_on": "2024-05-12"})
    assert dialogue.get(path).json()["status"] == "reopened"
    # the clock starts again on reopening: due when Hà Nội's 20 working days after Sunday
    # 12 May end, unless the assignment sets an earlier day
    too_late = {"agency": "UBND quận", "due_on": "2024-06-10", "assigned_on": "2024-05-13"}
    response = dialogue.post(f"{path}/assignment", json=too_late)
    assert response.status_code == 422, response.text
    assert (response.json()["error"]["code"], response.json()["error"]["field"]) == (
        "due_after_rule",
        "due_on",
    )
    ok(dialogue, f"{path}/assignment", {"agency": "UBND quận", "assigned_on": "2024-05-13"})
    view = dialogue.get(path).json()
    assert (view["status"], view["agency"], view["due_on"], view["overdue"]) == (
        "assigned",
        "UBND quận",
        "2024-06-07",
        True,
    )
    assert view["deadlines"]["clock_from"] == "2024-05-12T17:00:00+07:00"
    ok(dialogue, f"{path}/resolution", {"resolution": "Đã giải quyết", "resolved_on": "2024-06-05"})
    assert dialogue.get(path).json()["overdue"] is False
    assert event_types(dialogue) == [
        "KienNghi.Received",
        "KienNghi.Assigned",
        "KienNghi.Declined",
        "KienNghi.Rated",
        "KienNghi.Reopened",
        "KienNghi.Assigned",
        "KienNghi.Resolved",
    ]


def test_impossible_transitions_get_409_and_record_nothing(dialogue: TestClient) -> None:
    kien_nghi_id = created(dialogue, "/kien-nghi", kien_nghi_body())
    path = f"/kien-nghi/{kien_nghi_id}"
    steps = [
        ("answer", {"answer": "x"}, "kien_nghi_not_assigned"),
        ("resolution", {"resolution": "x"}, "kien_nghi_not_assigned"),
        ("declination", {"reason": "x"}, "kien_nghi_not_assigned"),
        ("rating", {"rating": 4}, "kien_nghi_not_closed"),
        ("reopening", {"reason": "x"}, "kien_nghi_not_closed"),
    ]
    for step, body, code in steps:
        response = dialogue.post(f"{path}/{step}", json=body)
        assert response.status_code == 409, (step, response.text)
        assert response.json()["error"]["code"] == code
    ok(
        dialogue,
        f"{path}/assignment",
        {"agency": "UBND", "due_on": "2024-05-29", "assigned_on": "2024-05-03"},
    )
    ok(dialogue, f"{path}/resolution", {"resolution": "Xong"})
    ok(dialogue, f"{path}/rating", {"rating": 4})
    for step, body, code in [
        ("rating", {"rating": 5}, "kien_nghi_already_rated"),
        ("answer", {"answer": "x"}, "kien_nghi_closed"),
        ("assignment", {"agency": "x", "due_on": "2999-01-01"}, "kien_nghi_closed"),
    ]:
        response = dialogue.post(f"{path}/{step}", json=body)
        assert (response.status_code, response.json()["error"]["code"]) == (409, code)

    supervision_id = created(dialogue, "/supervisions", supervision_body())
    ok(dialogue, f"/supervisions/{supervision_id}/conclusion", {"conclusion": "Xong"})
    late = dialogue.post(
        f"/supervisions/{supervision_id}/findings",
        json={"summary": "x", "recommendation": "Thu hồi", "category": "land"},
    )
    assert (late.status_code, late.json()["error"]["code"]) == (409, "supervision_concluded")
    missing = dialogue.post(
        "/kien-nghi/00000000-0000-0000-0000-000000000000/answer", json={"answer": "x"}
    )
    assert missing.status_code == 404
    assert dialogue.get(f"/dialogues/{supervision_id}").status_code == 404
    assert event_types(dialogue) == [
        "KienNghi.Received",
        "KienNghi.Assigned",
        "KienNghi.Resolved",
        "KienNghi.Rated",
        "Supervision.Started",
        "Supervision.Concluded",
    ]


def test_bad_inputs_get_422_naming_the_field_and_record_nothing(dialogue: TestClient) -> None:
    supervision_id = created(dialogue, "/supervisions", supervision_body())
    kien_nghi_id = created(dialogue, "/kien-nghi", kien_nghi_body())
    findings = f"/supervisions/{supervision_id}/findings"
    cases = [
        ("/dialogues", dialogue_body(unit_code="99999"), "unit_code"),
        ("/dialogues", dialogue_body(host_body="people"), "host_body"),
        ("/dialogues", dialogue_body(kind="weekly"), "kind"),
        ("/dialogues", dialogue_body(title=""), "title"),
        ("/dialogues", dialogue_body(topics=["x"] * 21), "topics"),
        ("/dialogues", {**dialogue_body(), "colour": "red"}, "colour"),
        ("/supervisions", supervision_body(body="mttq"), "body"),
        ("/supervisions", supervision_body(kind="supervision"), "kind"),
        ("/supervisions", supervision_body(unit_code="001"), "unit_code"),
        ("/supervisions", supervision_body(started_on="2999-01-01"), "started_on"),
        ("/supervisions", supervision_body(subject="x" * 301), "subject"),
        (findings, {"summary": "x", "recommendation": "Thu hồi"}, "category"),
        (findings, {"summary": "x", "raised_on": "2024-03-31"}, "raised_on"),
        (findings, {"summary": ""}, "summary"),
        ("/kien-nghi", kien_nghi_body(category="weather"), "category"),
        ("/kien-nghi", kien_nghi_body(source="rumour"), "source"),
        ("/kien-nghi", kien_nghi_body(content=""), "content"),
        ("/kien-nghi", {**kien_nghi_body(), "finding_id": "x"}, "finding_id"),
        (
            f"/kien-nghi/{kien_nghi_id}/assignment",
            {"agency": "x", "due_on": "2024-05-01"},
            "due_on",
        ),
        (
            f"/kien-nghi/{kien_nghi_id}/assignment",
            {"agency": "x" * 201, "due_on": "2999-01-01"},
            "agency",
        ),
        (
            f"/kien-nghi/{kien_nghi_id}/assignment",
            {"agency": "x", "due_on": "2024-05-29", "assigned_on": "2024-05-01"},
            "assigned_on",
        ),
        (f"/kien-nghi/{kien_nghi_id}/rating", {"rating": 6}, "rating"),
        (f"/dialogues/{supervision_id}/held", {"participants": 0}, "participants"),
    ]
    for path, body, field in cases:
        response = dialogue.post(path, json=body)
        assert response.status_code == 422, (path, body, response.text)
        assert response.json()["error"]["field"] == field, (path, response.json())
        assert response.json()["error"]["message"]
    assert event_types(dialogue) == ["Supervision.Started", "KienNghi.Received"]


def test_a_retried_change_gets_its_first_answer_though_that_change_now_refuses_it(
    dialogue: TestClient,
) -> None:
    # a step allowed once (acknowledgement) sent again with its key, and with the version it
    # was based on, which its own first sending made stale: the retry replays, no 409
    kien_nghi_id = created(dialogue, "/kien-nghi", kien_nghi_body())
    path = f"/kien-nghi/{kien_nghi_id}/acknowledgement"
    headers = {"Idempotency-Key": "ack-retry-1", "If-Match": '"1"'}
    first = dialogue.post(path, json={}, headers=headers)
    again = dialogue.post(path, json={}, headers=headers)
    assert (first.status_code, again.status_code) == (200, 200), again.text
    assert first.json() == again.json() and again.headers["Idempotent-Replayed"] == "true"
    other = dialogue.post(path, json={}, headers={"Idempotency-Key": "ack-retry-2"})
    assert (other.status_code, other.json()["error"]["code"]) == (
        409,
        "kien_nghi_already_acknowledged",
    )
    assert event_types(dialogue).count("KienNghi.Acknowledged") == 1


def test_the_same_idempotency_key_and_body_make_one_record(dialogue: TestClient) -> None:
    key = {"Idempotency-Key": "app-retry-1"}
    first = dialogue.post("/kien-nghi", json=kien_nghi_body(), headers=key)
    again = dialogue.post("/kien-nghi", json=kien_nghi_body(), headers=key)
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json() == again.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    other = dialogue.post("/kien-nghi", json=kien_nghi_body(content="Khác"), headers=key)
    assert (other.status_code, other.json()["error"]["code"]) == (409, "idempotency_key_reused")

    supervision_id = created(dialogue, "/supervisions", supervision_body())
    finding = {
        "summary": "x",
        "violation_signs": True,
        "recommendation": "Thu hồi",
        "category": "land",
    }
    path = f"/supervisions/{supervision_id}/findings"
    once = ok(dialogue, path, finding, headers={"Idempotency-Key": "finding-1"})
    twice = ok(dialogue, path, finding, headers={"Idempotency-Key": "finding-1"})
    assert once == twice
    assert event_types(dialogue) == [
        "KienNghi.Received",
        "Supervision.Started",
        "Supervision.FindingRaised",
        "KienNghi.Received",
    ]


def test_a_stale_if_match_gets_409_and_nothing_is_lost(dialogue: TestClient) -> None:
    dialogue_id = created(dialogue, "/dialogues", dialogue_body())
    etag = dialogue.get(f"/dialogues/{dialogue_id}").headers["ETag"]
    ok(dialogue, f"/dialogues/{dialogue_id}/held", {"participants": 40}, headers={"If-Match": etag})
    stale = dialogue.post(
        f"/dialogues/{dialogue_id}/cancellation", json={"reason": "x"}, headers={"If-Match": etag}
    )
    assert stale.status_code == 409
    assert stale.json()["error"]["params"] == {"current": 2, "expected": 1}
    assert dialogue.get(f"/dialogues/{dialogue_id}").json()["participants"] == 40
    assert event_types(dialogue) == ["Dialogue.Scheduled", "Dialogue.Held"]


def test_an_officer_writes_only_within_their_units(dialogue: TestClient) -> None:
    ba_dinh, hoan_kiem = bearer("officer_badinh"), "00040"  # 00040 is in Quận Hoàn Kiếm
    outside = dialogue.post("/dialogues", json=dialogue_body(unit_code=hoan_kiem), headers=ba_dinh)
    assert (outside.status_code, outside.json()["error"]["code"]) == (403, "forbidden_unit")
    theirs = created(dialogue, "/kien-nghi", kien_nghi_body(unit_code=hoan_kiem))
    assign = {"agency": "x", "due_on": "2024-05-29", "assigned_on": "2024-05-03"}
    refused = dialogue.post(f"/kien-nghi/{theirs}/assignment", json=assign, headers=ba_dinh)
    assert refused.status_code == 404  # a record outside the scope is answered as missing
    supervision_id = created(dialogue, "/supervisions", supervision_body(unit_code=hoan_kiem))
    finding = {"summary": "x", "recommendation": "Thu hồi", "category": "land"}
    blocked = dialogue.post(
        f"/supervisions/{supervision_id}/findings", json=finding, headers=ba_dinh
    )
    assert blocked.status_code == 404
    mine = dialogue.post("/kien-nghi", json=kien_nghi_body(unit_code="00004"), headers=ba_dinh)
    assert mine.status_code == 201
    assert dialogue.post("/kien-nghi", json=kien_nghi_body(), headers=AUDITOR).status_code == 403
    assert dialogue.get(f"/kien-nghi/{theirs}", headers=AUDITOR).status_code == 200
    assert dialogue.get(f"/kien-nghi/{theirs}", headers=bearer("citizen")).status_code == 403
    assert event_types(dialogue) == [
        "KienNghi.Received",
        "Supervision.Started",
        "KienNghi.Received",
    ]


def test_a_dialogue_already_held_is_recorded_scheduled_and_held_in_one_step(
    dialogue: TestClient,
) -> None:
    held = {
        "participants": 85,
        "summary": "Tiếp thu 2 ý kiến",
        "kien_nghi": [
            {"category": "land", "content": "Cấp sổ đỏ chậm"},
            {"category": "environment", "content": "Rác thải tồn đọng"},
        ],
    }
    body = dialogue_body(scheduled_on="2023-10-05", held=held)
    key = {"Idempotency-Key": "held-at-once-1"}
    first = dialogue.post("/dialogues", json=body, headers=key)
    again = dialogue.post("/dialogues", json=body, headers=key)
    assert first.status_code == 201, first.text
    assert again.json() == first.json() and len(first.json()["kien_nghi_ids"]) == 2
    dialogue_id = first.json()["id"]
    view = dialogue.get(f"/dialogues/{dialogue_id}").json()
    assert (view["status"], view["held_on"], view["participants"]) == ("held", "2023-10-05", 85)
    history = dialogue.get(f"/dialogues/{dialogue_id}/history").json()["items"]
    assert [item["type"] for item in history] == ["Dialogue.Scheduled", "Dialogue.Held"]
    for kien_nghi_id in first.json()["kien_nghi_ids"]:
        raised = dialogue.get(f"/kien-nghi/{kien_nghi_id}").json()
        assert (raised["source"], raised["source_id"], raised["received_on"]) == (
            "dialogue",
            dialogue_id,
            "2023-10-05",
        )
    feed = [e["type"] for e in dialogue.get("/events", headers=bearer("auditor")).json()["items"]]
    assert feed.count("Dialogue.Scheduled") == 1  # the retry wrote nothing


def test_a_dialogue_recorded_held_with_a_bad_holding_writes_nothing(
    dialogue: TestClient,
) -> None:
    future = (date.today() + timedelta(days=30)).isoformat()
    before = dialogue.get("/events/head", headers=bearer("auditor")).json()["position"]
    for held, field, code in (
        ({"summary": "x"}, "held.participants", "missing"),
        (
            {"participants": 10, "kien_nghi": [{"category": "?"}]},
            "held.kien_nghi[0].category",
            None,
        ),
        ({"participants": 10, "held_on": future}, "held.held_on", "date_in_future"),
        ({"participants": 10, "held_on": "2024-02-28"}, "held.held_on", "held_before_scheduled"),
    ):
        refused = dialogue.post("/dialogues", json=dialogue_body(held=held))
        assert refused.status_code == 422, refused.text
        error = refused.json()["error"]
        details = error.get("details") or [error]  # a rule of the service: the error itself
        assert field in [d["field"] for d in details], error
        if code:
            assert code in [d["code"] for d in details]
    after = dialogue.get("/events/head", headers=bearer("auditor")).json()["position"]
    assert after == before, dialogue.get("/events", headers=bearer("auditor")).json()


def test_a_dialogue_recorded_held_without_a_schedule_day_was_scheduled_that_day(
    dialogue: TestClient,
) -> None:
    body = dialogue_body(held={"held_on": "2024-03-05", "participants": 40})
    del body["scheduled_on"]  # unit 001 is the 2024 district's: read on the day it was held
    answer = dialogue.post("/dialogues", json=body)
    assert answer.status_code == 201, answer.text
    view = dialogue.get(f"/dialogues/{answer.json()['id']}").json()
    assert (view["scheduled_on"], view["held_on"]) == ("2024-03-05", "2024-03-05")
    later = created(dialogue, "/dialogues", dialogue_body())  # scheduled 2024-03-01
    early = dialogue.post(
        f"/dialogues/{later}/held", json={"held_on": "2024-02-01", "participants": 5}
    )
    assert early.status_code == 422 and early.json()["error"]["field"] == "held_on"
