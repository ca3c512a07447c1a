"""The handling rules as dated data: the rule set in force on the day a kiến nghị is received
gives its deadlines, which its events keep; a caller may set an earlier due date, never a later
one."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from services.dialogue.handling_rules import HandlingRules
from shared.errors import InvalidInput
from shared.vietnam_time import VIETNAM
from tests.conftest import bearer
from tests.dialogue.helpers import created, events_of, kien_nghi_body, ok
from tests.dialogue.test_domain import new_kien_nghi

SHIPPED = Path(__file__).parents[2] / "services/dialogue/data/handling_rules.toml"


def deadlines_of(dialogue: TestClient, **overrides: Any) -> dict[str, Any]:
    """Received (by an admin: any province) with these fields; its deadlines as stored, which
    its view shows too."""
    admin = bearer("admin")
    kien_nghi_id = created(dialogue, "/kien-nghi", kien_nghi_body(**overrides), headers=admin)
    received = events_of(dialogue, kien_nghi_id)[0]
    view = dialogue.get(f"/kien-nghi/{kien_nghi_id}", headers=admin).json()
    stored: dict[str, Any] = received["data"]["deadlines"]
    assert {k: str(v) for k, v in view["deadlines"].items()} == {
        k: str(v) for k, v in stored.items()
    }
    return stored


def test_a_rule_change_between_two_kien_nghi_gives_each_the_rules_of_its_day(
    dialogue: TestClient,
) -> None:
    # Hà Nội's own rules are in force from 1 January 2024; before, the national ones
    before = deadlines_of(dialogue, received_on="2023-12-29")
    assert before == {
        "rule_set": "national-default",
        "priority": "normal",
        "clock_from": "2023-12-29T17:00:00+07:00",
        "acknowledge_by": "2024-01-04T17:00:00+07:00",  # 3 working days; 1 January off
        "answer_by": "2024-01-15T17:00:00+07:00",
        "resolve_by": "2024-01-29T17:00:00+07:00",
    }
    after = deadlines_of(dialogue, received_on="2024-01-02")
    assert after == {
        "rule_set": "hanoi-2024",
        "priority": "normal",
        "clock_from": "2024-01-02T17:00:00+07:00",
        "acknowledge_by": "2024-01-03T17:00:00+07:00",  # 8 working hours
        "answer_by": "2024-01-16T17:00:00+07:00",
        "resolve_by": "2024-01-30T17:00:00+07:00",
    }
    # another province with rules of its own; the national ones elsewhere
    assert deadlines_of(dialogue, received_on="2024-01-02", unit_code="48")["resolve_by"] == (
        "2024-01-23T17:00:00+07:00"
    )
    elsewhere = deadlines_of(dialogue, received_on="2024-01-02", unit_code="31")
    assert (elsewhere["rule_set"], elsewhere["resolve_by"]) == (
        "national-default",
        "2024-01-30T17:00:00+07:00",
    )


def test_received_today_the_clock_starts_now(dialogue: TestClient) -> None:
    before = datetime.now(VIETNAM)
    deadlines = deadlines_of(dialogue, received_on=None)
    started = datetime.fromisoformat(deadlines["clock_from"])
    assert before - timedelta(seconds=1) <= started <= datetime.now(VIETNAM)
    assert started.utcoffset() == timedelta(hours=7)


def test_the_caller_may_set_an_earlier_due_date_never_a_later_one(dialogue: TestClient) -> None:
    # received Thursday 2 May 2024 in Hà Nội: resolved within 20 working days, by 29 May
    path = f"/kien-nghi/{created(dialogue, '/kien-nghi', kien_nghi_body())}"
    later = dialogue.post(
        f"{path}/assignment",
        json={"agency": "UBND", "due_on": "2024-05-30", "assigned_on": "2024-05-03"},
    )
    assert later.status_code == 422, later.text
    assert later.json()["error"] == {
        "code": "due_after_rule",
        "message": later.json()["error"]["message"],
        "field": "due_on",
        "params": {"value": "2024-05-30", "latest": "2024-05-29"},
    }
    assert [e["type"] for e in events_of(dialogue, path.rsplit("/", 1)[1])] == ["KienNghi.Received"]
    ok(dialogue, f"{path}/assignment", {"agency": "UBND", "assigned_on": "2024-05-03"})
    assert dialogue.get(path).json()["due_on"] == "2024-05-29"

    other = f"/kien-nghi/{created(dialogue, '/kien-nghi', kien_nghi_body())}"
    earlier = {"agency": "UBND", "due_on": "2024-05-20", "assigned_on": "2024-05-03"}
    ok(dialogue, f"{other}/assignment", earlier)
    assert dialogue.get(other).json()["due_on"] == "2024-05-20"


def test_a_record_from_before_the_rules_needs_a_due_date() -> None:
    record = new_kien_nghi()  # made with no deadlines, as events from before the rules replay
    with pytest.raises(InvalidInput) as refused:
        record.assign(agency="UBND", due_on=None, assigned_on=date(2024, 5, 3), actor={})
    assert (refused.value.code, refused.value.field) == ("due_on_required", "due_on")
    record.assign(agency="UBND", due_on=date(2024, 9, 1), assigned_on=date(2024, 5, 3), actor={})
    assert record.due_on == date(2024, 9, 1)


def test_the_shipped_rules_load_and_every_source_and_priority_has_a_rule() -> None:
    rules = HandlingRules.load(SHIPPED)
    assert {s.id for s in rules.rule_sets} >= {"national-default", "hanoi-2024", "danang-2020"}

    def in_force(province: str, day: date) -> str | None:
        rule_set = rules.in_force(province, day)
        return None if rule_set is None else rule_set.id

    assert in_force("01", date(2023, 12, 31)) == "national-default"
    assert in_force("01", date(2024, 1, 1)) == "hanoi-2024"
    assert in_force("31", date(2024, 1, 1)) == "national-default"
    assert in_force("01", date(1999, 12, 31)) is None


RULE = """
  [[rule_sets.rules]]
  priority = "{priority}"
  sources = "*"
  acknowledge = "{acknowledge}"
  answer = "10 working_days"
  resolve = "20 working_days"
  extensions = {extensions}
"""


def rule_set(id: str, valid_from: str, valid_to: str | None = None, **rule: Any) -> str:
    rules = "".join(
        RULE.format(
            priority=priority,
            **{"acknowledge": "3 working_days", "extensions": 0, **rule},
        )
        for priority in ("normal", "urgent", "complex")
    )
    to = f"valid_to = {valid_to}\n" if valid_to else ""
    return (
        f'[[rule_sets]]\nid = "{id}"\nvalid_from = {valid_from}\n{to}'
        f'title = "t"\ntitle_en = "t"\n{rules}'
    )


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        (rule_set("a", "2020-01-01") + rule_set("b", "2024-01-01"), "in force on the same days"),
        (rule_set("a", "2020-01-01", "2023-12-31") + rule_set("a", "2024-01-01"), "repeat"),
        (rule_set("a", "2020-01-01", acknowledge="3 days"), "working_days"),
        (rule_set("a", "2020-01-01", acknowledge="0 working_days"), "positive"),
        (rule_set("a", "2020-01-01", extensions=1), "extension length"),
        (rule_set("a", "2020-01-01").replace('"complex"', '"normal"'), "no rule for complex"),
        (rule_set("a", "2024-01-01", "2023-01-01"), "valid_to before valid_from"),
    ],
)
def test_a_rules_file_that_contradicts_itself_is_refused(
    tmp_path: Path, text: str, complaint: str
) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationError, match=complaint):
        HandlingRules.load(path)
    path.write_text(rule_set("a", "2020-01-01", "2023-12-31") + rule_set("b", "2024-01-01"))
    assert [s.id for s in HandlingRules.load(path).rule_sets] == ["a", "b"]


def test_anyone_reads_the_rules_in_force_for_a_province_on_a_day(dialogue: TestClient) -> None:
    def rule_sets(**params: str) -> list[str]:
        response = dialogue.get("/handling-rules", params=params, headers={"Authorization": ""})
        assert response.status_code == 200, response.text
        return [rule_set["id"] for rule_set in response.json()["rule_sets"]]

    assert rule_sets(province="01", on="2024-05-02") == ["hanoi-2024"]
    assert rule_sets(province="01", on="2023-05-02") == ["national-default"]
    assert rule_sets(province="31", on="2024-05-02") == ["national-default"]
    assert rule_sets(province="01") == ["national-default", "hanoi-2024"]
    assert rule_sets(on="1999-12-31") == []
    every = dialogue.get("/handling-rules").json()["rule_sets"]
    hanoi = next(rule_set for rule_set in every if rule_set["id"] == "hanoi-2024")
    assert (hanoi["province"], hanoi["valid_from"], hanoi["valid_to"]) == ("01", "2024-01-01", None)
    urgent = next(rule for rule in hanoi["rules"] if rule["priority"] == "urgent")
    assert (urgent["acknowledge"], urgent["sources"]) == ("4 working_hours", "*")
    refused = dialogue.get("/handling-rules", params={"province": "1", "on": "2024-02-30"})
    assert refused.status_code == 422, refused.text


def test_assigned_after_the_rules_day_it_is_due_that_day_and_overdue(
    dialogue: TestClient,
) -> None:
    path = f"/kien-nghi/{created(dialogue, '/kien-nghi', kien_nghi_body())}"
    ok(dialogue, f"{path}/assignment", {"agency": "UBND"})  # today, long after 29 May 2024
    view = dialogue.get(path).json()
    assert (view["due_on"], view["overdue"]) == ("2024-05-29", True)
    # a caller cannot give it more time than the rules did
    other = f"/kien-nghi/{created(dialogue, '/kien-nghi', kien_nghi_body())}"
    response = dialogue.post(f"{other}/assignment", json={"agency": "UBND", "due_on": "2099-01-01"})
    assert (response.status_code, response.json()["error"]["code"]) == (422, "due_after_rule")


def test_classified_urgent_its_deadlines_are_counted_again_from_its_clock(
    dialogue: TestClient,
) -> None:
    kien_nghi_id = created(dialogue, "/kien-nghi", kien_nghi_body(category="land"))
    path = f"/kien-nghi/{kien_nghi_id}"
    ok(dialogue, f"{path}/assignment", {"agency": "UBND", "assigned_on": "2024-05-03"})
    assert dialogue.get(path).json()["due_on"] == "2024-05-29"
    urgent = {"priority": "urgent", "category": "environment", "classified_on": "2024-05-03"}
    ok(dialogue, f"{path}/classification", urgent)
    view = dialogue.get(path).json()
    # Hà Nội, urgent: 4 working hours from the close of Thursday 2 May; resolved within 2
    # working days, the second of them Saturday 4 May, worked in exchange for 29 April
    assert view["deadlines"] == {
        "rule_set": "hanoi-2024",
        "priority": "urgent",
        "clock_from": "2024-05-02T17:00:00+07:00",
        "acknowledge_by": "2024-05-03T12:00:00+07:00",
        "answer_by": "2024-05-03T12:00:00+07:00",
        "resolve_by": "2024-05-04T17:00:00+07:00",
    }
    assert (view["priority"], view["category"], view["due_on"]) == (
        "urgent",
        "environment",
        "2024-05-04",
    )
    # complex gives longer deadlines; the due day set stays (a caller's earlier day holds)
    ok(dialogue, f"{path}/classification", {"priority": "complex", "classified_on": "2024-05-03"})
    view = dialogue.get(path).json()
    assert (view["deadlines"]["resolve_by"], view["due_on"], view["category"]) == (
        "2024-06-12T17:00:00+07:00",
        "2024-05-04",
        "environment",
    )
    classified = [e for e in events_of(dialogue, kien_nghi_id) if e["type"].endswith("Classified")]
    assert [e["data"]["priority"] for e in classified] == ["urgent", "complex"]


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        ({"priority": "very"}, 422, "invalid_input", "priority"),
        (
            {"priority": "urgent", "classified_on": "2024-05-01"},
            422,
            "date_before_receipt",
            "classified_on",
        ),
        ({"priority": "urgent", "category": "weather"}, 422, "invalid_input", "category"),
    ],
)
def test_a_classification_refused_records_nothing(
    dialogue: TestClient, body: dict[str, Any], status: int, code: str, field: str
) -> None:
    kien_nghi_id = created(dialogue, "/kien-nghi", kien_nghi_body())
    response = dialogue.post(f"/kien-nghi/{kien_nghi_id}/classification", json=body)
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert (error["code"], error["field"]) == (code, field)
    assert [e["type"] for e in events_of(dialogue, kien_nghi_id)] == ["KienNghi.Received"]


def test_a_closed_kien_nghi_is_not_classified(dialogue: TestClient) -> None:
    path = f"/kien-nghi/{created(dialogue, '/kien-nghi', kien_nghi_body())}"
    ok(dialogue, f"{path}/assignment", {"agency": "UBND", "assigned_on": "2024-05-03"})
    ok(dialogue, f"{path}/resolution", {"resolution": "Xong", "resolved_on": "2024-05-06"})
    response = dialogue.post(f"{path}/classification", json={"priority": "urgent"})
    assert response.status_code == 409, response.text
    assert response.json()["error"]["code"] == "kien_nghi_closed"


def test_before_there_were_rules_a_kien_nghi_has_no_deadlines_and_needs_a_due_date(
    dialogue: TestClient,
) -> None:
    """Schemathesis found a reopening dated 1900 answered 500: no rules were in force then."""
    path = f"/kien-nghi/{created(dialogue, '/kien-nghi', kien_nghi_body(received_on='1999-06-01'))}"
    assert dialogue.get(path).json()["deadlines"] is None
    refused = dialogue.post(f"{path}/assignment", json={"agency": "UBND"})
    assert (refused.status_code, refused.json()["error"]["code"]) == (422, "due_on_required")
    assignment = {"agency": "UBND", "due_on": "1999-07-01", "assigned_on": "1999-06-02"}
    ok(dialogue, f"{path}/assignment", assignment)
    ok(dialogue, f"{path}/resolution", {"resolution": "Xong", "resolved_on": "1999-06-20"})
    ok(dialogue, f"{path}/reopening", {"reason": "Chưa xong", "reopened_on": "1999-06-25"})
    assert dialogue.get(path).json()["deadlines"] is None
    ok(dialogue, f"{path}/classification", {"priority": "urgent", "classified_on": "1999-06-26"})
    assert dialogue.get(path).json()["priority"] == "urgent"
