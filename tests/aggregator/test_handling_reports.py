"""The handling report and the agencies' league table say what handled_every_way's kiến nghị,
judged by hand, come to; every figure leads to the kiến nghị and events that make it."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from services.aggregator.database import create_read_model_engine
from services.aggregator.reports.handling_figures import FIGURES
from services.aggregator.tables import KienNghiRow
from shared.settings import Settings
from tests.aggregator.handling_feed import figures, following_feed
from tests.aggregator.handling_scenario import A, B, C, D, Scenario, handled_every_way

JUNE = {"from": "2024-06-01", "to": "2024-06-30"}


# K1–K13 but K6 (merged into K7) and K11 (May); resolved in 7, 10, 6, 12, 8, 13, 9 and 3 working
# days: sorted 3 6 7 8 9 10 12 13, median (8 + 9) / 2, 90th percentile 12 + 0.3 × (13 − 12)
JUNE_TOTAL = figures(11, 9, 6, 0.6667, 9, 5, 1, 3, 0.5556, 2, 1, 8.5, 12.3, 3, 3.3333, 1)
BY_AGENCY = {
    # K1 K2 K3: one of each; days 6 7 10: median 7, p90 7 + 0.8 × 3; ratings 5 and 3
    A: figures(3, 3, 1, 0.3333, 3, 1, 1, 1, 0.3333, 0, 0, 7.0, 9.4, 2, 4.0, 0),
    # K4 (overdue) K5 (reopened) K7 (transferred in, master of K6): days 12 8
    B: figures(3, 3, 3, 1.0, 2, 2, 0, 0, 1.0, 1, 1, 10.0, 11.6, 0, None, 1),
    # K8 (late, rated 2) K9 (declined on time)
    C: figures(2, 2, 2, 1.0, 2, 1, 0, 1, 0.5, 0, 0, 13.0, 13.0, 1, 2.0, 0),
    # K12 K13, before any rules: no acknowledgement due; days 9 3
    D: figures(2, 0, 0, None, 2, 1, 0, 1, 0.5, 0, 0, 6.0, 8.4, 0, None, 0),
    # K10, never assigned: overdue by the rules' resolve day
    None: figures(1, 1, 0, 0.0, 0, 0, 0, 0, None, 1, 0, None, None, 0, None, 0),
}


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return handled_every_way()


@pytest.fixture(scope="module")
def reports(
    module_settings: Settings, scenario: Scenario, read_models_at_head: Path
) -> Iterator[TestClient]:
    with following_feed(module_settings, scenario.feed, read_models_at_head) as client:
        yield client


def get(client: TestClient, path: str, **params: Any) -> dict[str, Any]:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def handling(client: TestClient, **params: Any) -> dict[str, Any]:
    return get(client, "/reports/kien-nghi-handling", **params)


def test_the_figures_of_june_are_those_worked_out_by_hand(reports: TestClient) -> None:
    assert handling(reports, **JUNE)["total"] == JUNE_TOTAL


def test_each_agency_has_its_own_figures(reports: TestClient) -> None:
    rows = handling(reports, group_by="agency", **JUNE)["rows"]
    assert {row["agency"]: {k: row[k] for k in FIGURES} for row in rows} == BY_AGENCY


def test_a_filter_narrows_the_figures_to_one_agency(reports: TestClient) -> None:
    assert handling(reports, agency=C, **JUNE)["total"] == BY_AGENCY[C]


def test_open_and_overdue_is_counted_on_the_periods_last_day(reports: TestClient) -> None:
    # on 10 June only K4 (due 7 June) was open past its due day: K3 (due that day) was not yet
    # late, K13 was closed, K2 extended, K10 due on 17 June
    total = handling(reports, **{"from": "2024-06-01", "to": "2024-06-10"})["total"]
    assert (total["open_overdue"], total["received"]) == (1, 11)


def test_june_compares_with_may(reports: TestClient) -> None:
    # May: K11 alone, late, never acknowledged
    compared = handling(reports, compare="2024-05", **JUNE)["compare"]
    may = compared["total"]
    assert (may["received"], may["closed"], may["late"], may["on_time"]) == (1, 1, 1, 0)
    assert (may["acknowledgement_due"], may["acknowledged_on_time"]) == (1, 0)
    ratio = compared["ratio"]
    assert (ratio["received"], ratio["late"], ratio["on_time"]) == (11.0, 3.0, None)
    assert "on_time_rate" not in ratio  # a rate's ratio to a rate says nothing


def test_the_league_ranks_agencies_by_on_time_rate_then_count_then_name(
    reports: TestClient,
) -> None:
    league = get(reports, "/reports/kien-nghi-handling/agencies", **JUNE)
    # D and C both 1 of 2 on time: D's name first
    assert [(row["rank"], row["agency"]) for row in league["rows"]] == [
        (1, B),
        (2, D),
        (3, C),
        (4, A),
    ]
    for row in league["rows"]:
        assert {k: row[k] for k in FIGURES} == BY_AGENCY[row["agency"]]
    assert league["total"] == JUNE_TOTAL  # K10, of no agency, counts in the total only


def records_of(reports: TestClient, agency: str, figure: str) -> dict[str, Any]:
    """The records behind one figure of an agency's row, by the link the league gives."""
    league = get(reports, "/reports/kien-nghi-handling/agencies", **JUNE)
    row = next(row for row in league["rows"] if row["agency"] == agency)
    link = urlsplit(row["records"][figure])
    params = {k: v[0] for k, v in parse_qs(link.query).items()}
    assert link.path == "/reports/kien-nghi-handling/records"
    return get(reports, link.path, **params)


def test_late_with_an_extension_leads_to_the_events_that_decided_it(
    reports: TestClient, scenario: Scenario
) -> None:
    found = records_of(reports, A, "late_with_extension")
    steps = scenario.positions["K2"]
    # not its acknowledgement, the request for more time nor its rating
    deciding = [steps[s] for s in ("Received", "Assigned", "ExtensionGranted", "Resolved")]
    assert found["count"] == 1
    assert found["items"] == [
        {
            "id": scenario.ids["K2"],
            "tracking_code": "01-2024-000002",
            "agency": A,
            "events": deciding,
        }
    ]


def test_every_figure_of_a_row_lists_as_many_as_it_counts(
    reports: TestClient, scenario: Scenario
) -> None:
    late = records_of(reports, C, "late")
    assert [item["id"] for item in late["items"]] == [scenario.ids["K8"]]
    merged = records_of(reports, B, "duplicates_merged")
    steps = scenario.positions["K7"]
    assert merged["items"][0]["events"] == [steps["Received"], steps["DuplicateAttached"]]
    # a rate lists those it is a share of
    on_time_of = records_of(reports, B, "on_time_rate")
    assert sorted(i["id"] for i in on_time_of["items"]) == sorted(
        scenario.ids[k] for k in ("K5", "K7")
    )
    reopened = records_of(reports, B, "reopened")["items"][0]
    assert reopened["events"] == [
        scenario.positions["K5"]["Received"],
        scenario.positions["K5"]["Reopened"],
    ]


def test_the_read_model_keeps_how_each_was_handled(
    module_settings: Settings, reports: TestClient, scenario: Scenario
) -> None:
    engine = create_read_model_engine(module_settings)
    try:
        with engine.connect() as connection:
            k = KienNghiRow
            rows = {
                row.id: row
                for row in connection.execute(
                    select(k).where(k.at(None), k.id.in_(scenario.ids.values()))
                )
            }
    finally:
        engine.dispose()

    def row(name: str) -> Any:
        return rows[scenario.ids[name]]

    assert (row("K2").extensions_requested, row("K2").extensions_granted) == (1, 1)
    assert (str(row("K2").due_before_extension), str(row("K2").due_on)) == (
        "2024-06-10",
        "2024-06-20",
    )
    assert (row("K8").extensions_refused, row("K8").escalated, row("K8").escalation_level) == (
        1,
        1,
        "province",
    )
    assert (row("K7").transfers, row("K7").agency, row("K7").duplicates) == (1, B, 1)
    assert (row("K6").status, row("K6").master_id) == ("merged", scenario.ids["K7"])
    assert (row("K1").tracking_code, row("K1").evidence_count) == ("01-2024-000001", 1)
    assert row("K5").due_before_extension is None


def test_every_handling_step_is_a_status_change(reports: TestClient, scenario: Scenario) -> None:
    changes = get(
        reports,
        "/kien-nghi/status-changes",
        since="2024-07-01T00:00:00+00:00",
        until="2024-07-02T00:00:00+00:00",
    )["items"]
    k2 = [c for c in changes if c["kien_nghi_id"] == scenario.ids["K2"]]
    # all but its receipt and its rating
    assert len(k2) == len(scenario.positions["K2"]) - 2
    k8_steps = scenario.positions["K8"]
    k8 = {c["notes"] for c in changes if c["kien_nghi_id"] == scenario.ids["K8"]}
    assert {"Thiếu kinh phí", "Không có căn cứ", "Quá hạn"} <= k8
    assert len(k8_steps) == 8


def test_the_reports_download_as_csv_and_xlsx(reports: TestClient) -> None:
    response = reports.get(
        "/reports/kien-nghi-handling/agencies", params={**JUNE, "format": "csv", "locale": "vi"}
    )
    assert response.status_code == 200, response.text
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert table[0][:3] == [
        "Hạng",
        "Cơ quan giải quyết",
        "Kiến nghị (bản trùng tính vào bản chính)",
    ]
    assert table[1][:2] == ["1", B]
    assert "100,0%" in table[1]
    assert table[-1][0] == "Tổng cộng"
    response = reports.get(
        "/reports/kien-nghi-handling", params={**JUNE, "format": "xlsx", "group_by": "priority"}
    )
    assert response.status_code == 200, response.text
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[1][0] == "Thông thường"
    assert values[1][1] == 11


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/reports/kien-nghi-handling", {"group_by": "status"}, "group_by"),
        ("/reports/kien-nghi-handling", {"priority_level": "x"}, "priority_level"),
        (
            "/reports/kien-nghi-handling/agencies",
            {"from": "2024-07-01", "to": "2024-06-01"},
            "from",
        ),
        ("/reports/kien-nghi-handling/records", {"figure": "fastest"}, "figure"),
        ("/reports/kien-nghi-handling/records", {"figure": "late", "limit": "0"}, "limit"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(
    reports: TestClient, path: str, params: dict[str, str], field: str
) -> None:
    response = reports.get(path, params=params)
    assert response.status_code == 422, response.text
    assert field in response.text


def test_the_dashboards_kien_nghi_area_ranks_the_agencies(reports: TestClient) -> None:
    page = reports.get("/dashboard/kien-nghi", params={"province": "01", "period": "2024-06"})
    assert page.status_code == 200, page.text
    league = page.text[page.text.index('id="table-agencies"') :]
    assert league.index(B) < league.index(D) < league.index(C) < league.index(A)
    assert "Tiếp nhận đúng hạn" in page.text[page.text.index('id="table-handling"') :]


def test_the_open_ones_due_before_a_day_are_listed_for_escalation(
    reports: TestClient, scenario: Scenario
) -> None:
    def due_before(day: str) -> list[str]:
        params = {"state": "open", "due_before": day}
        return [item["id"] for item in get(reports, "/kien-nghi", **params)["items"]]

    assert due_before("2024-06-08") == [scenario.ids["K4"]]  # K10 is due by the rules on 17 June
    assert sorted(due_before("2024-06-18")) == sorted(scenario.ids[k] for k in ("K4", "K10"))
    assert due_before("0001-01-01") == []  # before UTC's first moment: nothing, not a 500


def test_as_of_the_first_day_there_is_counts_nothing(reports: TestClient) -> None:
    # the report's day is then 1 January of year 1, whose midnight in Vietnam is no UTC moment
    total = handling(reports, as_of="0001-01-01T00:00:00Z", **JUNE)["total"]
    assert (total["received"], total["acknowledgement_due"]) == (0, 0)
