"""The steps of handling a kiến nghị by its rules, through the HTTP API: each allowed, each
refused with its reason and nothing recorded (docs/kien-nghi-handling.md).

The kiến nghị here are received on Thursday 2 May 2024 at Phường Trúc Bạch, Hà Nội, under
Hà Nội's rules (hanoi-2024): resolved within 20 working days, counted from the close of that
day. Saturday 4 May 2024 was worked in exchange for Monday 29 April, so the 20th working day
is Wednesday 29 May.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.dialogue.main import create_app as create_dialogue
from shared.settings import Settings
from tests.citizens.test_app_journey import CITIZEN, PNG, submit
from tests.conftest import bearer
from tests.dialogue.helpers import created, events_of, kien_nghi_body, ok
from tests.helpers import app_of, catch_up

ADMIN = bearer("admin")


def received(dialogue: TestClient, **overrides: Any) -> str:
    return f"/kien-nghi/{created(dialogue, '/kien-nghi', kien_nghi_body(**overrides))}"


def assigned(dialogue: TestClient, agency: str = "UBND phường Trúc Bạch") -> str:
    path = received(dialogue)
    ok(dialogue, f"{path}/assignment", {"agency": agency, "assigned_on": "2024-05-03"})
    return path


def refused(
    dialogue: TestClient, path: str, body: dict[str, Any], status: int, code: str
) -> dict[str, Any]:
    """Refused with that status and code, and nothing recorded."""
    before = len(events_of(dialogue, path.split("/")[2]))
    response = dialogue.post(path, json=body)
    assert response.status_code == status, response.text
    error: dict[str, Any] = response.json()["error"]
    assert error["code"] == code
    assert len(events_of(dialogue, path.split("/")[2])) == before
    return error


def steps_of(dialogue: TestClient, path: str) -> list[str]:
    return [e["type"].removeprefix("KienNghi.") for e in events_of(dialogue, path.split("/")[2])]


# acknowledgement and the tracking code


def test_acknowledged_it_gets_a_tracking_code_that_finds_it(dialogue: TestClient) -> None:
    path = received(dialogue)
    body = ok(dialogue, f"{path}/acknowledgement", {"acknowledged_at": "2024-05-03T09:30:00+07:00"})
    code = body["tracking_code"]
    assert re.fullmatch(r"01-2024-[0-9]{7}", code), code  # Hà Nội, the year, a number
    view = dialogue.get(path).json()
    assert (view["tracking_code"], view["acknowledged_at"]) == (code, "2024-05-03T09:30:00+07:00")
    found = dialogue.get(f"/kien-nghi/tracking/{code}")
    assert (found.status_code, found.json()["id"]) == (200, path.split("/")[2])

    again = refused(dialogue, f"{path}/acknowledgement", {}, 409, "kien_nghi_already_acknowledged")
    assert again["params"]["tracking_code"] == code
    missing = dialogue.get("/kien-nghi/tracking/01-2024-0000000")
    assert (missing.status_code, missing.json()["error"]["code"]) == (
        404,
        "tracking_code_not_found",
    )
    assert dialogue.get("/kien-nghi/tracking/HN-2024-1").status_code == 422


def test_tracking_codes_are_unique_in_a_province_and_year(
    dialogue: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # every kiến nghị draws the same numbers first: each must get one no other has
    monkeypatch.setattr(
        "services.dialogue.handling_steps.candidate_codes",
        lambda province, year, _id: [f"{province}-{year}-{n:07d}" for n in range(1, 4)],
    )
    codes = [ok(dialogue, f"{received(dialogue)}/acknowledgement", {}) for _ in range(3)]
    assert sorted(c["tracking_code"][-7:] for c in codes) == ["0000001", "0000002", "0000003"]
    last = received(dialogue)
    refused(dialogue, f"{last}/acknowledgement", {}, 409, "tracking_codes_exhausted")


@pytest.mark.parametrize(
    ("moment", "code"),
    [("2024-05-03T09:30:00", "moment_without_offset"), ("2999-01-01T00:00:00Z", "date_in_future")],
)
def test_an_acknowledgement_needs_a_real_moment(
    dialogue: TestClient, moment: str, code: str
) -> None:
    error = refused(
        dialogue, f"{received(dialogue)}/acknowledgement", {"acknowledged_at": moment}, 422, code
    )
    assert error["field"] == "acknowledged_at"


def test_an_acknowledgement_before_receipt_is_refused(dialogue: TestClient) -> None:
    path = received(dialogue)
    body = {"acknowledged_at": "2024-05-01T10:00:00+07:00"}
    error = refused(dialogue, f"{path}/acknowledgement", body, 422, "date_before_receipt")
    assert error["field"] == "acknowledged_at"


# transfer


def test_transferred_the_clock_starts_again_where_the_rule_says(dialogue: TestClient) -> None:
    path = assigned(dialogue)
    ok(
        dialogue,
        f"{path}/transfer",
        {
            "agency": "Phòng TN&MT quận Ba Đình",
            "reason": "Thẩm quyền",
            "transferred_on": "2024-05-10",
        },
    )
    view = dialogue.get(path).json()
    # 20 working days from the close of Friday 10 May 2024
    assert (view["agency"], view["due_on"], view["transfers"]) == (
        "Phòng TN&MT quận Ba Đình",
        "2024-06-07",
        1,
    )
    assert view["deadlines"]["clock_from"] == "2024-05-10T17:00:00+07:00"
    transferred = events_of(dialogue, path.split("/")[2])[-1]
    assert transferred["type"] == "KienNghi.Transferred"
    assert transferred["data"]["from_agency"] == "UBND phường Trúc Bạch"
    assert transferred["data"]["reason"] == "Thẩm quyền"


def test_a_transfer_to_the_same_agency_or_of_an_unassigned_one_is_refused(
    dialogue: TestClient,
) -> None:
    path = assigned(dialogue, agency="UBND")
    error = refused(
        dialogue,
        f"{path}/transfer",
        {"agency": "UBND", "reason": "x"},
        422,
        "transfer_to_same_agency",
    )
    assert error["field"] == "agency"
    fresh = received(dialogue)
    refused(
        dialogue, f"{fresh}/transfer", {"agency": "X", "reason": "x"}, 409, "kien_nghi_not_assigned"
    )


NO_RESTART = """
[[rule_sets]]
id = "no-restart"
valid_from = 2000-01-01
title = "t"
title_en = "t"
""" + "".join(
    f"""
  [[rule_sets.rules]]
  priority = "{priority}"
  sources = "*"
  acknowledge = "3 working_days"
  answer = "10 working_days"
  resolve = "20 working_days"
  extensions = 0
  restart_on_transfer = false
"""
    for priority in ("normal", "urgent", "complex")
)


@pytest.fixture
def dialogue_without_restart(settings: Settings, tmp_path: Path) -> Iterator[TestClient]:
    rules = tmp_path / "rules.toml"
    rules.write_text(NO_RESTART, "utf-8")
    changed = settings.model_copy(update={"handling_rules_file": rules})
    with TestClient(create_dialogue(changed), headers=bearer("officer")) as client:
        yield client


def test_where_the_rule_keeps_the_clock_a_transfer_keeps_the_due_day(
    dialogue_without_restart: TestClient,
) -> None:
    dialogue = dialogue_without_restart
    path = assigned(dialogue)
    before = dialogue.get(path).json()
    ok(dialogue, f"{path}/transfer", {"agency": "Sở Xây dựng", "reason": "Thẩm quyền"})
    after = dialogue.get(path).json()
    assert (after["due_on"], after["deadlines"]) == (before["due_on"], before["deadlines"])
    assert events_of(dialogue, path.split("/")[2])[-1]["data"]["deadlines"] is None
    # and with no extensions in its rule, none may be asked for
    refused(dialogue, f"{path}/extension-request", {"reason": "x"}, 409, "extensions_exhausted")


# extensions


def test_an_extension_asked_for_and_granted_moves_the_due_day_once(dialogue: TestClient) -> None:
    path = assigned(dialogue)
    assert dialogue.get(path).json()["due_on"] == "2024-05-29"
    refused(dialogue, f"{path}/extension-grant", {"reason": "x"}, 409, "no_extension_requested")
    ok(
        dialogue,
        f"{path}/extension-request",
        {"reason": "Cần đo đạc", "requested_on": "2024-05-20"},
    )
    assert dialogue.get(path).json()["extension_request"]["reason"] == "Cần đo đạc"
    refused(dialogue, f"{path}/extension-request", {"reason": "again"}, 409, "extension_pending")
    # Hà Nội's rule: one extension of 10 working days, from the close of 29 May: 12 June
    later = {"reason": "Đồng ý", "due_on": "2024-06-13", "granted_on": "2024-05-21"}
    error = refused(dialogue, f"{path}/extension-grant", later, 422, "due_after_rule")
    assert (error["field"], error["params"]["latest"]) == ("due_on", "2024-06-12")
    earlier = {"reason": "Đồng ý", "due_on": "2024-05-29", "granted_on": "2024-05-21"}
    refused(dialogue, f"{path}/extension-grant", earlier, 422, "extension_not_later")
    granted = ok(
        dialogue, f"{path}/extension-grant", {"reason": "Đồng ý", "granted_on": "2024-05-21"}
    )
    assert granted["due_on"] == "2024-06-12"
    view = dialogue.get(path).json()
    assert (view["due_on"], view["due_before_extension"], view["extensions_granted"]) == (
        "2024-06-12",
        "2024-05-29",
        1,
    )
    assert view["extension_request"] is None
    refused(dialogue, f"{path}/extension-request", {"reason": "more"}, 409, "extensions_exhausted")


def test_a_refused_extension_keeps_the_due_day_and_may_be_asked_again(
    dialogue: TestClient,
) -> None:
    path = assigned(dialogue)
    ok(dialogue, f"{path}/extension-request", {"reason": "Cần thêm thời gian"})
    refused(dialogue, f"{path}/extension-refusal", {"reason": ""}, 422, "invalid_input")
    ok(dialogue, f"{path}/extension-refusal", {"reason": "Không có căn cứ"})
    view = dialogue.get(path).json()
    assert (view["due_on"], view["extensions_granted"], view["extension_request"]) == (
        "2024-05-29",
        0,
        None,
    )
    refused(dialogue, f"{path}/extension-refusal", {"reason": "x"}, 409, "no_extension_requested")
    ok(dialogue, f"{path}/extension-request", {"reason": "Lần nữa"})
    unassigned = received(dialogue)
    refused(
        dialogue, f"{unassigned}/extension-request", {"reason": "x"}, 409, "kien_nghi_not_assigned"
    )


# escalation


def test_escalated_by_hand_it_goes_up_a_level_at_a_time(dialogue: TestClient) -> None:
    path = received(dialogue)
    for level in ("province", "central"):
        ok(dialogue, f"{path}/escalation", {"reason": "Vượt thẩm quyền"})
        assert dialogue.get(path).json()["escalated_to"] == level
    refused(dialogue, f"{path}/escalation", {"reason": "x"}, 409, "kien_nghi_at_highest_level")
    escalated = events_of(dialogue, path.split("/")[2])[-1]["data"]
    assert (escalated["automatic"], escalated["to_level"]) == (False, "central")
    closed = assigned(dialogue)
    ok(dialogue, f"{closed}/resolution", {"resolution": "Xong", "resolved_on": "2024-05-06"})
    refused(dialogue, f"{closed}/escalation", {"reason": "x"}, 409, "kien_nghi_closed")


def test_the_escalation_process_escalates_each_overdue_one_once_per_due_day(
    dialogue: TestClient, aggregator: TestClient
) -> None:
    overdue = assigned(dialogue)  # due 29 May 2024
    never_assigned = received(dialogue)  # due by the rules' day, 29 May 2024 too
    fresh = received(dialogue, received_on=None)  # today: not overdue
    closed = assigned(dialogue)
    ok(dialogue, f"{closed}/resolution", {"resolution": "Xong", "resolved_on": "2024-05-06"})
    catch_up(aggregator)
    process = app_of(dialogue).state.escalation
    first = {str(i) for i in process.sweep()}
    assert {overdue.split("/")[2], never_assigned.split("/")[2]} <= first
    assert not {fresh.split("/")[2], closed.split("/")[2]} & first
    escalated = events_of(dialogue, overdue.split("/")[2])[-1]
    assert escalated["type"] == "KienNghi.Escalated"
    assert escalated["data"]["automatic"] is True
    assert escalated["data"]["due_on"] == "2024-05-29"
    assert escalated["data"]["actor"]["id"] == "escalation-process"
    catch_up(aggregator)
    assert not {overdue.split("/")[2], never_assigned.split("/")[2]} & {
        str(i) for i in process.sweep()
    }
    assert steps_of(dialogue, overdue).count("Escalated") == 1


# merging duplicates


def test_a_merged_duplicates_citizen_follows_the_master_and_rates_it(
    dialogue: TestClient, aggregator: TestClient
) -> None:
    mine = submit(dialogue)["id"]
    code = ok(dialogue, f"/kien-nghi/{mine}/acknowledgement", {}, headers=ADMIN)["tracking_code"]
    master = created(
        dialogue, "/kien-nghi", kien_nghi_body(received_on=None, unit_code="00004"), headers=ADMIN
    )
    ok(
        dialogue,
        f"/kien-nghi/{mine}/merge",
        {"master_id": master, "reason": "Cùng vụ việc"},
        headers=ADMIN,
    )
    own = dialogue.get(f"/app/kien-nghi/{mine}", headers=CITIZEN).json()
    # the code to quote, and the deadline: the rules' day until it is assigned
    assert own["tracking_code"] == code
    assert own["due_on"] == own["deadlines"]["resolve_by"][:10]
    assert (own["status"], own["master"]["id"], own["master"]["status"]) == (
        "merged",
        master,
        "received",
    )
    assert dialogue.get(f"/kien-nghi/{master}", headers=ADMIN).json()["duplicates"] == [mine]
    rating = dialogue.post(f"/app/kien-nghi/{mine}/rating", json={"rating": 4}, headers=CITIZEN)
    assert (rating.status_code, rating.json()["error"]["code"]) == (409, "kien_nghi_not_closed")

    ok(dialogue, f"/kien-nghi/{master}/assignment", {"agency": "UBND"}, headers=ADMIN)
    ok(dialogue, f"/kien-nghi/{master}/answer", {"answer": "Đã xử lý vỉa hè"}, headers=ADMIN)
    ok(dialogue, f"/kien-nghi/{master}/resolution", {"resolution": "Xong"}, headers=ADMIN)
    own = dialogue.get(f"/app/kien-nghi/{mine}", headers=CITIZEN).json()
    assert own["master"]["status"] == "resolved"
    assert own["master"]["answer"]["answer"] == "Đã xử lý vỉa hè"
    rated = dialogue.post(f"/app/kien-nghi/{mine}/rating", json={"rating": 4}, headers=CITIZEN)
    assert rated.status_code == 200, rated.text
    assert (
        dialogue.get(f"/app/kien-nghi/{mine}", headers=CITIZEN).json()["ratings"][0]["rating"] == 4
    )
    reopened = dialogue.post(
        f"/app/kien-nghi/{mine}/reopening", json={"reason": "x"}, headers=CITIZEN
    )
    assert (reopened.status_code, reopened.json()["error"]["code"]) == (409, "kien_nghi_merged")
    steps = [
        s["step"] for s in dialogue.get(f"/app/kien-nghi/{mine}", headers=CITIZEN).json()["steps"]
    ]
    assert steps == ["Received", "Acknowledged", "MergedInto", "Rated"]


def test_merges_that_cannot_be_are_refused(dialogue: TestClient) -> None:
    one, other, third = received(dialogue), received(dialogue), received(dialogue)
    one_id, other_id = one.split("/")[2], other.split("/")[2]
    error = refused(
        dialogue, f"{one}/merge", {"master_id": one_id, "reason": "x"}, 422, "merge_into_itself"
    )
    assert error["field"] == "master_id"
    unknown = {"master_id": "00000000-0000-4000-8000-000000000000", "reason": "x"}
    assert refused(dialogue, f"{one}/merge", unknown, 422, "master_unknown")["field"] == "master_id"
    ok(dialogue, f"{one}/merge", {"master_id": other_id, "reason": "Trùng"})
    refused(
        dialogue, f"{third}/merge", {"master_id": one_id, "reason": "x"}, 409, "master_is_merged"
    )
    refused(
        dialogue, f"{one}/merge", {"master_id": other_id, "reason": "x"}, 409, "kien_nghi_merged"
    )
    refused(dialogue, f"{one}/assignment", {"agency": "UBND"}, 409, "kien_nghi_merged")


# evidence


def test_an_answer_the_rule_requires_evidence_for_cannot_be_sent_without_it(
    dialogue: TestClient,
) -> None:
    path = received(dialogue)
    ok(dialogue, f"{path}/classification", {"priority": "complex", "classified_on": "2024-05-03"})
    ok(dialogue, f"{path}/assignment", {"agency": "UBND", "assigned_on": "2024-05-03"})
    answer = {"answer": "Đã kiểm tra hiện trường", "answered_on": "2024-05-10"}
    error = refused(dialogue, f"{path}/answer", answer, 422, "evidence_required")
    assert error["field"] == "evidence"
    stranger = {**answer, "evidence": ["a" * 64]}
    assert refused(dialogue, f"{path}/answer", stranger, 422, "evidence_unknown")["field"] == (
        "evidence[0]"
    )

    upload = dialogue.post(f"{path}/evidence", files={"file": ("bien-ban.png", PNG, "image/png")})
    assert upload.status_code == 201, upload.text
    sha256 = upload.json()["sha256"]
    ok(dialogue, f"{path}/answer", {**answer, "evidence": [sha256]})
    view = dialogue.get(path).json()
    assert view["last_answer"]["evidence"] == [sha256] and view["evidence"] == [sha256]
    assert dialogue.get(f"{path}/attachments/{sha256}").content == PNG
    # a normal kiến nghị's answer needs none
    plain = assigned(dialogue)
    ok(dialogue, f"{plain}/answer", answer)
