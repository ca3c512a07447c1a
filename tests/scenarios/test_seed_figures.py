"""Each figure the seeds publish, from one report call over a scenario written through the
services' own commands. Hải Phòng and Hạ Long run whole; Hà Nội at a fiftieth here and whole
in the slow test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.scenarios.loader import load_scenario
from shared.settings import Settings
from tests.helpers import catch_up

HANOI_SCALE = 0.02


def scaled(figure: int, scale: float) -> int:
    return round(figure * scale)


def report(aggregator: TestClient, path: str, **params: Any) -> dict[str, Any]:
    response = aggregator.get(f"/reports/{path}", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.fixture
def scenarios(settings: Settings, request: pytest.FixtureRequest) -> Iterator[None]:
    for name, scale in request.param:
        assert load_scenario(settings, name, scale=scale, progress=False) is not None
    yield


def check_hanoi(aggregator: TestClient, scale: float) -> None:
    catch_up(aggregator, minutes=15)
    since_2013 = {"province": "01", "from": "2013-01-01", "to": "2023-11-03"}
    by_level = report(aggregator, "supervisions", group_by="level,kind", **since_2013)
    figures = {(r["level"], r["kind"]): r["activities"] for r in by_level["rows"]}
    for (level, kind), seed in {
        ("province", "supervision"): 2514,
        ("district", "supervision"): 21100,
        ("commune", "supervision"): 68463,
        ("province", "social_criticism"): 144,
        ("district", "social_criticism"): 1499,
        ("commune", "social_criticism"): 11742,
    }.items():
        assert figures[(level, kind)] == scaled(seed, scale), (level, kind)
    models = report(aggregator, "models", **since_2013)
    assert models["total"]["registered"] == scaled(95964, scale)
    chain = report(aggregator, "inspection-chain", province="01", period="2021")["total"]
    assert chain["cases"] == scaled(4956, scale)
    assert chain["with_violation_signs"] == scaled(648, scale)
    assert chain["recommended"] == scaled(586, scale)
    assert chain["resolved"] <= chain["recommended"]


@pytest.mark.parametrize("scenarios", [[("hanoi", HANOI_SCALE)]], indirect=True)
def test_hanoi_scaled_down_reproduces_the_seed_figures(
    scenarios: None, aggregator: TestClient
) -> None:
    check_hanoi(aggregator, HANOI_SCALE)


@pytest.mark.slow
# loading and following ~220k events: 2.5 minutes alone on a 2-core machine, over 5 in a
# loaded CI run; the 300 s default timeout is for ordinary tests (catch_up allows 15 minutes)
@pytest.mark.timeout(1200)
@pytest.mark.parametrize("scenarios", [[("hanoi", 1.0)]], indirect=True)
def test_hanoi_whole_reproduces_the_seed_figures(scenarios: None, aggregator: TestClient) -> None:
    check_hanoi(aggregator, 1.0)


@pytest.mark.parametrize("scenarios", [[("haiphong", 1.0)]], indirect=True)
def test_haiphong_reproduces_dialogues_by_term_models_and_coverage(
    scenarios: None, aggregator: TestClient
) -> None:
    catch_up(aggregator)
    whole = report(
        aggregator, "dialogues", province="31", **{"from": "2015-01-01", "to": "2023-06-30"}
    )
    assert whole["total"]["held"] == 4962
    terms = report(
        aggregator, "dialogues", province="31", period="term:2020-2025/1", compare="term:2015-2020"
    )
    assert terms["total"]["held"] == 2299
    assert terms["compare"]["total"]["held"] == 2663
    assert round(terms["compare"]["ratio"]["held"] * 100, 1) == 86.3
    models = report(aggregator, "models", province="31", to="2023-09-30")
    assert models["total"]["registered"] == 2035
    coverage = aggregator.get(
        "/reports/models/coverage",
        params={"unit": "31", "on": "2023-09-30", "field": ["new_rural", "urban_improvement"]},
    ).json()
    assert coverage["communes"] == 167
    assert coverage["covered"] == 167 and coverage["ratio"] == 1.0


@pytest.mark.parametrize("scenarios", [[("halong", 1.0)]], indirect=True)
def test_halong_2021_has_its_four_medals_and_the_years_work(
    scenarios: None, aggregator: TestClient
) -> None:
    from services.scenarios import halong

    catch_up(aggregator)
    year = {"district": "193", "period": "2021"}
    medals = report(aggregator, "awards", award="medal_dan_van", group_by="unit", **year)
    assert medals["total"]["conferred"] == 4
    assert {r["unit_name"] for r in medals["rows"]} == {
        "Xã Quảng La",
        "Xã Dân Chủ",
        "Phường Hà Phong",
        "Phường Hà Tu",
    }
    assert report(aggregator, "dialogues", **year)["total"]["held"] == halong.DIALOGUES
    work = report(aggregator, "kien-nghi", **year)["total"]
    assert work["received"] == halong.KIEN_NGHI
    assert work["resolved"] + work["declined"] + work["open"] == halong.KIEN_NGHI


@pytest.mark.parametrize("scenarios", [[("halong", 1.0)]], indirect=True)
def test_loading_a_scenario_twice_adds_nothing(
    scenarios: None, settings: Settings, aggregator: TestClient
) -> None:
    assert load_scenario(settings, "halong", progress=False) is None
    catch_up(aggregator)
    assert report(aggregator, "awards", period="2021")["total"]["conferred"] == 4
