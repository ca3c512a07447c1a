"""A reopened kiến nghị is the reopening of the agency that closed it: it counts under that
agency while it waits to be assigned again, then under the agency that has it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from services.aggregator.reports.handling_figures import FIGURES
from shared.settings import Settings
from tests.aggregator.handling_feed import deadlines, figures, following_feed
from tests.aggregator.handling_scenario import ON_TIME_ACK, B, C, Scenario

JUNE = {"from": "2024-06-01", "to": "2024-06-30"}
REOPENED = deadlines("2024-06-07", "2024-06-11", "2024-06-21")


def reopened_by_c() -> Scenario:
    s = Scenario()
    for name in ("R1", "R2"):
        s.receive(name)
        s.acknowledge(name, ON_TIME_ACK)
        s.assign(name, C, "2024-06-14")
        s.resolve(name, "2024-06-05")
        s.step(
            name, "Reopened", reason="Chưa thỏa đáng", reopened_on="2024-06-07", deadlines=REOPENED
        )
    # R1 waits to be assigned again; R2 goes to B, which resolves it on 19 June (12 days)
    s.assign("R2", B, "2024-06-21")
    s.resolve("R2", "2024-06-19")
    return s


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return reopened_by_c()


@pytest.fixture(scope="module")
def reports(
    module_settings: Settings, scenario: Scenario, read_models_at_head: Path
) -> Iterator[TestClient]:
    with following_feed(module_settings, scenario.feed, read_models_at_head) as client:
        yield client


def test_a_reopened_kien_nghi_waiting_for_an_agency_counts_under_the_one_that_closed_it(
    reports: TestClient,
) -> None:
    league = reports.get("/reports/kien-nghi-handling/agencies", params=JUNE).json()
    assert {row["agency"]: {k: row[k] for k in FIGURES} for row in league["rows"]} == {
        # R1: reopened, open, past the reopening's resolve day (21 June) on 30 June
        C: figures(1, 1, 1, 1.0, 0, 0, 0, 0, None, 1, 1, None, None, 0, None, 0),
        # R2: reopened, then resolved on time by B
        B: figures(1, 1, 1, 1.0, 1, 1, 0, 0, 1.0, 0, 1, 12.0, 12.0, 0, None, 0),
    }


def test_the_records_of_an_agencys_reopened_figure_name_the_one_waiting(
    reports: TestClient, scenario: Scenario
) -> None:
    params = {**JUNE, "agency": C, "figure": "reopened"}
    found = reports.get("/reports/kien-nghi-handling/records", params=params).json()
    assert [(item["id"], item["agency"]) for item in found["items"]] == [(scenario.ids["R1"], C)]
    # the kiến nghị itself has no agency until it is assigned again
    listed = reports.get("/kien-nghi", params={"state": "reopened"}).json()["items"]
    assert [(item["id"], item["agency"]) for item in listed] == [(scenario.ids["R1"], None)]
