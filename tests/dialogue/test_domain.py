"""The rules of dialogues, supervision activities and kiến nghị, without any store."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from services.dialogue.domain import Dialogue, KienNghi, Supervision
from shared.errors import InvalidInput, RuleBroken
from shared.units import Level

ACTOR = {"id": "officer-1", "role": "officer", "units": ["01"], "client": None}


def names(aggregate: Dialogue | Supervision | KienNghi) -> list[str]:
    return [type(e).__name__ for e in aggregate.collect_events()]


def new_dialogue() -> Dialogue:
    return Dialogue(
        unit_code="001",
        unit_structure="legacy",
        host_body="government",
        host_title="Chủ tịch UBND quận",
        kind="periodic",
        title="Đối thoại định kỳ quý I",
        topics=["thủ tục hành chính"],
        scheduled_on=date(2024, 3, 1),
        actor=ACTOR,
    )


def new_supervision() -> Supervision:
    return Supervision(
        unit_code="00004",
        unit_structure="legacy",
        body="mttq",
        kind="supervision",
        subject="UBND phường Trúc Bạch",
        title="Giám sát cải cách hành chính",
        started_on=date(2024, 4, 1),
        actor=ACTOR,
    )


def new_kien_nghi() -> KienNghi:
    return KienNghi(
        source="citizen_app",
        source_id=None,
        finding_id=None,
        unit_code="00004",
        unit_structure="legacy",
        category="environment",
        content="Rác thải ùn ứ ở ngõ 12",
        received_on=date(2024, 5, 2),
        actor=ACTOR,
    )


def hold(dialogue: Dialogue) -> None:
    dialogue.hold(
        held_on=date(2024, 3, 1), participants=80, topics=["đất đai"], summary="", actor=ACTOR
    )


def test_a_dialogue_is_scheduled_then_held() -> None:
    dialogue = new_dialogue()
    hold(dialogue)
    assert names(dialogue) == ["Scheduled", "Held"]
    assert (dialogue.status, dialogue.participants, dialogue.topics) == ("held", 80, ["đất đai"])


def test_a_dialogue_is_held_or_cancelled_once() -> None:
    dialogue = new_dialogue()
    hold(dialogue)
    with pytest.raises(RuleBroken) as again:
        hold(dialogue)
    assert again.value.code == "dialogue_already_held"
    with pytest.raises(RuleBroken) as cancel:
        dialogue.cancel(reason="x", cancelled_on=date(2024, 3, 2), actor=ACTOR)
    assert cancel.value.code == "dialogue_already_held"


def test_a_cancelled_dialogue_cannot_be_held() -> None:
    dialogue = new_dialogue()
    dialogue.cancel(reason="Bão số 3", cancelled_on=date(2024, 2, 28), actor=ACTOR)
    with pytest.raises(RuleBroken) as error:
        hold(dialogue)
    assert error.value.code == "dialogue_cancelled"
    assert names(dialogue) == ["Scheduled", "Cancelled"]


def test_a_supervision_is_started_given_findings_and_concluded() -> None:
    supervision = new_supervision()
    supervision.raise_finding(
        finding_id="f-1",
        summary="Niêm yết thủ tục chưa đầy đủ",
        violation_signs=False,
        recommendation=None,
        raised_on=date(2024, 4, 10),
        kien_nghi_id=None,
        actor=ACTOR,
    )
    supervision.conclude(conclusion="Đạt yêu cầu", concluded_on=date(2024, 4, 20), actor=ACTOR)
    assert names(supervision) == ["Started", "FindingRaised", "Concluded"]
    assert supervision.status == "concluded"


@pytest.mark.parametrize(
    ("body", "kind", "level", "code", "field"),
    [
        ("mttq", "inspection_case", Level.COMMUNE, "inspection_case_needs_board", "body"),
        (
            "people_inspection_board",
            "supervision",
            Level.COMMUNE,
            "board_records_inspection_cases",
            "kind",
        ),
        (
            "people_inspection_board",
            "inspection_case",
            Level.DISTRICT,
            "board_unit_not_commune",
            "unit_code",
        ),
    ],
)
def test_only_a_commune_inspection_board_records_inspection_cases(
    body: str, kind: str, level: Level, code: str, field: str
) -> None:
    with pytest.raises(InvalidInput) as error:
        Supervision.check_start(body=body, kind=kind, unit_level=level)
    assert (error.value.code, error.value.field) == (code, field)


def test_bodies_and_kinds_that_fit_are_accepted() -> None:
    Supervision.check_start(
        body="people_inspection_board", kind="inspection_case", unit_level=Level.COMMUNE
    )
    Supervision.check_start(body="mttq", kind="social_criticism", unit_level=Level.PROVINCE)
    Supervision.check_start(body="youth_union", kind="supervision", unit_level=Level.DISTRICT)


def test_a_concluded_supervision_takes_no_more_findings() -> None:
    supervision = new_supervision()
    supervision.conclude(conclusion="Xong", concluded_on=date(2024, 4, 20), actor=ACTOR)
    with pytest.raises(RuleBroken) as error:
        supervision.raise_finding(
            finding_id="f-1",
            summary="x",
            violation_signs=True,
            recommendation=None,
            raised_on=date(2024, 4, 21),
            kien_nghi_id=None,
            actor=ACTOR,
        )
    assert error.value.code == "supervision_concluded"
    with pytest.raises(RuleBroken):
        supervision.conclude(conclusion="Lại", concluded_on=date(2024, 4, 22), actor=ACTOR)


def test_supervision_dates_follow_its_start_and_findings() -> None:
    supervision = new_supervision()
    with pytest.raises(InvalidInput) as early:
        supervision.raise_finding(
            finding_id="f-1",
            summary="x",
            violation_signs=False,
            recommendation=None,
            raised_on=date(2024, 3, 31),
            kien_nghi_id=None,
            actor=ACTOR,
        )
    assert (early.value.code, early.value.field) == ("date_before_start", "raised_on")
    supervision.raise_finding(
        finding_id="f-1",
        summary="x",
        violation_signs=False,
        recommendation=None,
        raised_on=date(2024, 4, 15),
        kien_nghi_id=None,
        actor=ACTOR,
    )
    with pytest.raises(InvalidInput) as before_finding:
        supervision.conclude(conclusion="x", concluded_on=date(2024, 4, 14), actor=ACTOR)
    assert before_finding.value.field == "concluded_on"


def test_a_kien_nghi_goes_round_the_whole_cycle() -> None:
    k = new_kien_nghi()
    k.assign(
        agency="UBND phường", due_on=date(2024, 5, 20), assigned_on=date(2024, 5, 3), actor=ACTOR
    )
    k.answer(answer="Đã thu gom", answered_on=date(2024, 5, 10), actor=ACTOR)
    k.resolve(resolution="Xong", resolved_on=date(2024, 5, 11), actor=ACTOR)
    k.rate(rating=2, comment="Lại ùn ứ", rated_on=date(2024, 5, 12), actor=ACTOR)
    k.reopen(reason="Tái diễn", reopened_on=date(2024, 5, 13), actor=ACTOR)
    assert (k.status, k.due_on) == ("reopened", None)
    k.assign(
        agency="Công ty môi trường",
        due_on=date(2024, 6, 1),
        assigned_on=date(2024, 5, 14),
        actor=ACTOR,
    )
    k.decline(reason="Ngoài thẩm quyền", declined_on=date(2024, 5, 20), actor=ACTOR)
    k.rate(rating=1, comment="", rated_on=date(2024, 5, 21), actor=ACTOR)
    assert names(k) == [
        "Received",
        "Assigned",
        "Answered",
        "Resolved",
        "Rated",
        "Reopened",
        "Assigned",
        "Declined",
        "Rated",
    ]


def assigned() -> KienNghi:
    k = new_kien_nghi()
    k.assign(
        agency="UBND phường", due_on=date(2024, 5, 20), assigned_on=date(2024, 5, 3), actor=ACTOR
    )
    return k


def test_impossible_steps_are_refused_with_their_own_codes() -> None:
    day = date(2024, 5, 15)
    received = new_kien_nghi()
    answered = assigned()
    answered.answer(answer="x", answered_on=day, actor=ACTOR)
    resolved = assigned()
    resolved.resolve(resolution="x", resolved_on=day, actor=ACTOR)
    cases: list[tuple[Callable[[], None], str]] = [
        (
            lambda: received.answer(answer="x", answered_on=day, actor=ACTOR),
            "kien_nghi_not_assigned",
        ),
        (
            lambda: received.resolve(resolution="x", resolved_on=day, actor=ACTOR),
            "kien_nghi_not_assigned",
        ),
        (
            lambda: received.decline(reason="x", declined_on=day, actor=ACTOR),
            "kien_nghi_not_assigned",
        ),
        (
            lambda: received.rate(rating=5, comment="", rated_on=day, actor=ACTOR),
            "kien_nghi_not_closed",
        ),
        (lambda: received.reopen(reason="x", reopened_on=day, actor=ACTOR), "kien_nghi_not_closed"),
        (
            lambda: answered.answer(answer="y", answered_on=day, actor=ACTOR),
            "kien_nghi_already_answered",
        ),
        (
            lambda: resolved.assign(agency="x", due_on=day, assigned_on=day, actor=ACTOR),
            "kien_nghi_closed",
        ),
        (lambda: resolved.answer(answer="x", answered_on=day, actor=ACTOR), "kien_nghi_closed"),
        (lambda: resolved.decline(reason="x", declined_on=day, actor=ACTOR), "kien_nghi_closed"),
    ]
    for step, code in cases:
        with pytest.raises(RuleBroken) as error:
            step()
        assert error.value.code == code


def test_a_closure_is_rated_once() -> None:
    k = assigned()
    k.resolve(resolution="x", resolved_on=date(2024, 5, 10), actor=ACTOR)
    k.rate(rating=5, comment="Tốt", rated_on=date(2024, 5, 11), actor=ACTOR)
    with pytest.raises(RuleBroken) as error:
        k.rate(rating=4, comment="", rated_on=date(2024, 5, 12), actor=ACTOR)
    assert error.value.code == "kien_nghi_already_rated"


def test_kien_nghi_dates_keep_their_order() -> None:
    k = new_kien_nghi()
    with pytest.raises(InvalidInput) as before_receipt:
        k.assign(agency="x", due_on=date(2024, 6, 1), assigned_on=date(2024, 5, 1), actor=ACTOR)
    assert (before_receipt.value.code, before_receipt.value.field) == (
        "date_before_receipt",
        "assigned_on",
    )
    with pytest.raises(InvalidInput) as due:
        k.assign(agency="x", due_on=date(2024, 5, 3), assigned_on=date(2024, 5, 4), actor=ACTOR)
    assert (due.value.code, due.value.field) == ("due_before_assignment", "due_on")
    k = assigned()
    with pytest.raises(InvalidInput) as before_step:
        k.answer(answer="x", answered_on=date(2024, 5, 2), actor=ACTOR)
    assert (before_step.value.code, before_step.value.field) == (
        "date_before_previous_step",
        "answered_on",
    )


def test_overdue_is_derived_from_the_due_date_while_open() -> None:
    k = assigned()  # due 2024-05-20
    assert not k.is_overdue(date(2024, 5, 20))
    assert k.is_overdue(date(2024, 5, 21))
    k.answer(answer="Đang xử lý", answered_on=date(2024, 5, 10), actor=ACTOR)
    assert k.is_overdue(date(2024, 5, 21))
    k.resolve(resolution="Xong", resolved_on=date(2024, 5, 25), actor=ACTOR)
    assert not k.is_overdue(date(2024, 6, 1))
    k.reopen(reason="Chưa triệt để", reopened_on=date(2024, 6, 1), actor=ACTOR)
    assert not k.is_overdue(date(2024, 7, 1))  # waits for a new assignment and due date
