"""The dashboard's pages in Chromium hold the report API's figures: the overview's cards, the
drill-down province → district → commune and onto the 2025 communes, the overdue kiến nghị by
agency, and an Excel file downloaded through the page."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from babel.numbers import format_percent
from openpyxl import load_workbook

from tests.dashboard.helpers import Browse, check_cards, shown

pytestmark = pytest.mark.e2e


def test_the_overview_opens_on_hanoi_and_holds_the_apis_figures(browse: Browse) -> None:
    browse.login("auditor")
    # /dashboard opens straight onto Hà Nội, the latest year with records, against the year before
    assert browse.query() == {"province": "01", "period": "2023"}
    assert browse.text("#crumbs") == "Thành phố Hà Nội"
    answers = check_cards(browse, "auditor", province="01", period="2023", compare="2022")
    assert answers["models"]["total"]["registered"] > 0
    assert answers["supervision"]["total"]["activities"] > 0
    children = browse.table("children")
    assert children[-1][0] == "Tổng cộng" and len(children) > 10  # the districts, the total
    assert children[-1][1] == answers["models"]["total"]["formatted"]["registered"]
    separators = browse.page.evaluate("document.getElementById('chart-ratios').layout.separators")
    assert separators == ",."  # plotly writes 86,3% and 2.514 as vi-VN does
    browse.shot("overview-hanoi")
    assert browse.errors == []


def test_haiphong_term_against_term_is_the_seeds_86_3_percent(browse: Browse) -> None:
    browse.login("auditor")
    view = {"province": "31", "period": "term:2020-2025/1", "compare": "term:2015-2020"}
    browse.open("/dashboard?" + "&".join(f"{k}={v}" for k, v in view.items()))
    answers = check_cards(browse, "auditor", **view)
    assert browse.card("dialogues")["value"] == "2.299"
    assert browse.card("dialogues")["previous"] == "2.663"
    assert browse.card("dialogues")["ratio"] == "86,3%"
    received = answers["kien_nghi"]["total"]
    rate = format_percent(received["resolved_on_time"] / received["resolved"], "#,##0.0%", "vi")
    assert rate in browse.card("kien_nghi")["extra"]
    browse.shot("overview-haiphong-terms")

    browse.open("/dashboard/dialogues?province=31&period=2022")
    terms = {row[0]: row[1:] for row in browse.table("terms")}
    assert terms["Cả nhiệm kỳ"][0] == "2.663"  # 2015–2020, whole
    against = terms["Nửa đầu nhiệm kỳ 2020–2025 so với cả nhiệm kỳ 2015–2020"]
    assert against == ["2.663", "2.299", "86,3%"]
    browse.shot("dialogues-haiphong")
    assert browse.errors == []


def test_drill_down_from_province_to_commune_and_onto_a_2025_commune(browse: Browse) -> None:
    browse.login("auditor")
    browse.open("/dashboard?province=22&period=2021")  # Quảng Ninh
    browse.shot("quang-ninh")
    browse.click("#table-children a.drill:text('Thành phố Hạ Long')")
    assert browse.query() == {"district": "193", "period": "2021"}
    assert browse.text("#crumbs").split("\n") == ["Tỉnh Quảng Ninh", "Thành phố Hạ Long"]
    year = {"period": "2021", "compare": "2020"}
    answers = check_cards(browse, "auditor", district="193", **year)
    assert answers["dialogues"]["total"]["held"] == 64  # the scenario's own figures
    assert answers["kien_nghi"]["total"]["received"] == 420
    browse.shot("ha-long")

    browse.click("#table-children a.drill:text('Phường Hà Tu')")
    commune = browse.query()["unit"]
    assert browse.text("#crumbs").split("\n")[-1] == "Phường Hà Tu"
    check_cards(browse, "auditor", unit=commune, **year)
    browse.shot("ha-tu")

    browse.click("#switch-structure")  # the 2025 ward Hà Tu became part of
    ward = browse.query()
    assert ward["structure"] == "2025" and ward["unit"] != commune
    check_cards(browse, "auditor", unit=ward["unit"], structure="2025", **year)
    browse.shot("ha-tu-2025")

    browse.click("#crumbs a")  # up to the 2025 province, then down to another ward
    assert browse.query()["province"] == "22"
    browse.click("#table-children a.drill")
    other = browse.query()
    assert other["structure"] == "2025" and "unit" in other
    check_cards(browse, "auditor", unit=other["unit"], structure="2025", **year)
    browse.shot("ward-2025")
    assert browse.errors == []


def test_a_units_bar_in_a_chart_opens_the_level_below(browse: Browse) -> None:
    browse.login("auditor")
    browse.open("/dashboard/kien-nghi?district=193&period=2021")
    bar = browse.page.locator("#chart-by-unit g.point").first
    with browse.page.expect_navigation():
        bar.click(force=True)
    browse.settle()
    assert "unit" in browse.query()
    assert browse.errors == []


def test_overdue_kien_nghi_by_agency(browse: Browse) -> None:
    browse.login("auditor")
    browse.open("/dashboard/kien-nghi/overdue?district=193&period=2021")
    body = browse.dashboard.report("kien-nghi", district="193", period="2021", group_by="agency")
    overdue_column = browse.page.locator("#table-by-agency thead th").all_inner_texts()
    column = overdue_column.index("Quá hạn chưa giải quyết")
    shown_rows = {row[0]: row[column] for row in browse.table("by-agency")}
    for row in body["rows"]:
        name = row["agency"] or "Chưa giao"
        assert shown_rows[name] == row["formatted"]["overdue"], name
    assert shown_rows["Tổng cộng"] == body["total"]["formatted"]["overdue"]
    items = browse.table("items")
    assert len(items) == body["total"]["overdue"] > 0  # every overdue item, one per row
    assert all(int(item[-1].replace(".", "")) > 0 for item in items)  # days overdue
    browse.shot("overdue")
    # each item opens its work page
    browse.click("#table-items tbody a.drill")
    assert browse.page.url.split("?")[0].endswith(f"/dashboard/kien-nghi/{items[0][0]}")
    assert browse.page.locator("#record-status").count() == 1
    assert browse.errors == []


def test_an_excel_file_downloaded_through_the_page_equals_the_api(browse: Browse) -> None:
    browse.login("auditor")
    browse.open("/dashboard/kien-nghi?district=193&period=2021")
    link = browse.page.locator("#section-by-unit a.xlsx")
    query = dict(parse_qsl(urlsplit(str(link.get_attribute("href"))).query))
    assert query == {"district": "193", "group_by": "unit", "period": "2021", "format": "xlsx"}
    with browse.page.expect_download() as download:
        link.click()
    saved = browse.dashboard.artifacts / "kien-nghi-by-unit.xlsx"
    download.value.save_as(saved)
    sheet = load_workbook(io.BytesIO(saved.read_bytes()), read_only=True).worksheets[0]
    rows: list[tuple[Any, ...]] = list(sheet.iter_rows(values_only=True))
    body = browse.dashboard.report("kien-nghi", district="193", period="2021", group_by="unit")
    metrics = [m for m in body["total"] if m != "formatted"]
    assert len(rows) == 1 + len(body["rows"]) + 1  # titles, units, total
    for row, expected in zip(rows[1:], body["rows"], strict=False):
        assert expected["unit"] in row and expected["unit_name"] in row
        assert list(row[-len(metrics) :]) == [expected[m] for m in metrics]
    assert list(rows[-1][-len(metrics) :]) == [body["total"][m] for m in metrics]
    # and the page's table shows the same units and figures, the vi-VN way
    shown_rows = browse.table("by-unit")
    assert [r[-len(metrics) :] for r in shown_rows[:-1]] == [
        [shown(e["formatted"][m]) for m in metrics] for e in body["rows"]
    ]
    browse.shot("kien-nghi-ha-long")


def test_the_kien_nghi_area_shows_the_handling_figures_and_the_league(browse: Browse) -> None:
    browse.login("auditor")
    browse.open("/dashboard/kien-nghi?district=193&period=2021")
    handling = browse.dashboard.report("kien-nghi-handling", district="193", period="2021")
    shown_figures = {row[0]: row[1] for row in browse.table("handling")}
    assert shown_figures["Tỷ lệ đúng hạn"] == handling["total"]["formatted"]["on_time_rate"]
    assert shown_figures["Trễ hạn"] == handling["total"]["formatted"]["late"]
    assert (
        shown_figures["Quá hạn chưa giải quyết"] == (handling["total"]["formatted"]["open_overdue"])
    )
    league = browse.dashboard.report("kien-nghi-handling/agencies", district="193", period="2021")
    assert league["rows"], "the seeds assign kiến nghị to agencies"
    ranked = browse.table("agencies")
    assert [row[:2] for row in ranked[:-1]] == [
        [str(row["rank"]), row["agency"]] for row in league["rows"]
    ]
    assert ranked[-1][0] == "Tổng cộng"
    browse.shot("kien-nghi-handling")
    assert browse.errors == []
