"""The Model aggregate's rules, without any store."""

from __future__ import annotations

from datetime import date

import pytest

from services.registry.domain import Model
from shared.errors import InvalidInput, RuleBroken

ACTOR = {"id": "officer-1", "role": "officer", "units": ["01"], "client": None}


def new_model() -> Model:
    return Model(
        title="Tuyến phố văn minh",
        description="",
        unit_code="00004",
        unit_structure="legacy",
        body="UBND phường",
        sector="state",
        fields=["urban_improvement"],
        year=2021,
        registered_on=date(2021, 3, 1),
        actor=ACTOR,
    )


def test_each_lifecycle_step_records_one_past_tense_event() -> None:
    model = new_model()
    model.report_progress(summary="Hoàn thành 2 km", reported_on=date(2021, 5, 1), actor=ACTOR)
    model.recognise(level="district", recognised_on=date(2021, 6, 1), decision=None, actor=ACTOR)
    model.commend(award="Giấy khen", level="district", commended_on=date(2021, 7, 1), actor=ACTOR)
    model.replicate(
        to_unit_code="00006",
        to_unit_structure="legacy",
        replicated_on=date(2021, 8, 1),
        actor=ACTOR,
    )
    model.discontinue(reason="Đã hoàn thành", discontinued_on=date(2022, 1, 1), actor=ACTOR)
    names = [type(e).__name__ for e in model.collect_events()]
    assert names == [
        "Registered",
        "ProgressReported",
        "Recognised",
        "Commended",
        "Replicated",
        "Discontinued",
    ]


def test_a_discontinued_model_cannot_be_commended() -> None:
    model = new_model()
    model.recognise(level="district", recognised_on=date(2021, 6, 1), decision=None, actor=ACTOR)
    model.discontinue(reason="x", discontinued_on=date(2021, 7, 1), actor=ACTOR)
    with pytest.raises(RuleBroken) as error:
        model.commend(
            award="Giấy khen", level="district", commended_on=date(2021, 8, 1), actor=ACTOR
        )
    assert error.value.code == "model_discontinued"


def test_a_model_cannot_be_replicated_to_its_own_unit() -> None:
    model = new_model()
    model.recognise(level="district", recognised_on=date(2021, 6, 1), decision=None, actor=ACTOR)
    with pytest.raises(RuleBroken) as error:
        model.replicate(
            to_unit_code="00004",
            to_unit_structure="legacy",
            replicated_on=date(2021, 8, 1),
            actor=ACTOR,
        )
    assert error.value.code == "replicate_to_same_unit"


def test_an_unrecognised_model_cannot_be_replicated() -> None:
    with pytest.raises(RuleBroken) as error:
        new_model().replicate(
            to_unit_code="00006",
            to_unit_structure="legacy",
            replicated_on=date(2021, 8, 1),
            actor=ACTOR,
        )
    assert error.value.code == "model_not_recognised"


def test_a_step_dated_before_registration_is_refused() -> None:
    with pytest.raises(InvalidInput) as error:
        new_model().report_progress(summary="x", reported_on=date(2020, 1, 1), actor=ACTOR)
    assert (error.value.code, error.value.field) == ("date_before_registration", "reported_on")


def test_a_model_is_recognised_once() -> None:
    model = new_model()
    model.recognise(level="district", recognised_on=date(2021, 6, 1), decision=None, actor=ACTOR)
    with pytest.raises(RuleBroken):
        model.recognise(
            level="province", recognised_on=date(2021, 9, 1), decision=None, actor=ACTOR
        )
