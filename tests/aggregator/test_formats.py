"""Reports as CSV and Excel files, and with figures written for a locale, through the API."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any, cast

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from services.aggregator.rendering.numbers import format_figure
from tests.dialogue.helpers import created, dialogue_body, ok, supervision_body
from tests.helpers import catch_up, register

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DIALOGUES = {"period": "2024", "compare": "2023", "group_by": "level,kind"}
DIALOGUE_METRICS = ["held", "scheduled", "cancelled", "participants"]


def hold(dialogue: TestClient, on: str, participants: int, **overrides: Any) -> None:
    dialogue_id = created(dialogue, "/dialogues", dialogue_body(scheduled_on=on, **overrides))
    ok(dialogue, f"/dialogues/{dialogue_id}/held", {"held_on": on, "participants": participants})


@pytest.fixture
def records(registry: TestClient, dialogue: TestClient, aggregator: TestClient) -> TestClient:
    """Models in two levels and fields; dialogues in 2024 against 2023 (2514 / 2913 = 86,3 %)."""
    register(registry, unit_code="00004", fields=["new_rural", "economy"])
    register(registry, unit_code="00006", fields=["new_rural"])
    register(registry, unit_code="001", fields=["digital_transformation"])
    hold(dialogue, "2024-03-01", 2514)  # Quận Ba Đình, thematic
    created(dialogue, "/dialogues", dialogue_body(kind="periodic", scheduled_on="2024-06-01"))
    hold(dialogue, "2023-05-02", 2913, unit_code="00004", kind="periodic")
    created(
        dialogue,
        "/supervisions",
        supervision_body(body="mttq", kind="social_criticism", unit_code="001"),
    )
    catch_up(aggregator)
    return aggregator


def get(client: TestClient, path: str, **params: Any) -> Any:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response


def read_csv(response: Any) -> list[list[str]]:
    assert response.content.startswith(b"\xef\xbb\xbf")  # the BOM Excel wants
    assert response.headers["content-type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def norm(value: Any) -> Any:
    """A cell of either file, numbers rounded (Excel keeps 15 digits)."""
    text = "" if value is None else str(value)
    try:
        return round(float(text), 12)
    except ValueError:
        return text


def test_csv_has_vietnamese_titles_and_names_and_the_json_figures(records: TestClient) -> None:
    body = get(records, "/reports/models", group_by="level,field").json()
    response = get(records, "/reports/models", group_by="level,field", format="csv")
    assert response.headers["content-disposition"] == 'attachment; filename="models.csv"'
    header, *rows, total = read_csv(response)
    metrics = ["registered", "progress", "recognised", "commended", "replicated", "discontinued"]
    assert header == [
        *("Cấp", "Lĩnh vực", "Đăng ký mới", "Báo cáo tiến độ", "Được công nhận"),
        *("Được khen thưởng", "Được nhân rộng", "Dừng thực hiện"),
    ]
    level = {"commune": "Cấp xã", "district": "Cấp huyện"}
    field = {
        "new_rural": "Xây dựng nông thôn mới",
        "economy": "Kinh tế",
        "digital_transformation": "Chuyển đổi số",
    }
    assert rows == [
        [level[r["level"]], field[r["field"]], *(str(r[m]) for m in metrics)] for r in body["rows"]
    ]
    assert ["Cấp xã", "Xây dựng nông thôn mới", "2"] in [r[:3] for r in rows]
    assert total == ["Tổng cộng", "", *(str(body["total"][m]) for m in metrics)]
    assert total[2] == "3"


def test_csv_names_units_and_supervision_kinds(records: TestClient) -> None:
    header, *rows, total = read_csv(get(records, "/reports/models", group_by="unit", format="csv"))
    assert header[:3] == ["Cơ cấu đơn vị hành chính", "Mã đơn vị", "Đơn vị"]
    assert [r[:4] for r in rows] == [
        ["Trước 01/7/2025 (ba cấp)", "00004", "Phường Trúc Bạch", "1"],
        ["Trước 01/7/2025 (ba cấp)", "00006", "Phường Vĩnh Phúc", "1"],
        ["Trước 01/7/2025 (ba cấp)", "001", "Quận Ba Đình", "1"],
    ]
    assert total[:4] == ["Tổng cộng", "", "", "3"]
    header, *rows, _ = read_csv(
        get(records, "/reports/supervisions", group_by="kind", format="csv")
    )
    assert header[:2] == ["Loại hoạt động", "Số hoạt động"]
    assert rows == [["Hội nghị phản biện xã hội", "1", "0", "0", "0", "0", "0"]]


def test_csv_carries_the_comparison_and_writes_figures_for_a_locale(records: TestClient) -> None:
    body = get(records, "/reports/dialogues", **DIALOGUES).json()
    raw = read_csv(get(records, "/reports/dialogues", format="csv", **DIALOGUES))
    assert raw[0] == [
        *("Cấp", "Hình thức đối thoại", "Đã tổ chức", "Đã lên lịch", "Đã hủy", "Số người tham dự")
    ]
    assert raw[-3] == ["Tổng cộng", "", *(str(body["total"][m]) for m in DIALOGUE_METRICS)]
    assert raw[-2] == ["Kỳ so sánh 2023", "", "1", "1", "0", "2913"]
    ratio = body["compare"]["ratio"]
    assert raw[-1] == ["Tỷ lệ so với kỳ so sánh", "", "1.0", "2.0", "", repr(2514 / 2913)]
    assert ratio["participants"] == 2514 / 2913
    vi = read_csv(get(records, "/reports/dialogues", format="csv", locale="vi", **DIALOGUES))
    assert vi[-3][-1] == "2.514"
    assert vi[-1][2:] == ["100,0%", "200,0%", "", "86,3%"]
    en = read_csv(get(records, "/reports/dialogues", format="csv", locale="en", **DIALOGUES))
    assert (en[-3][-1], en[-1][-1]) == ("2,514", "86.3%")


def test_json_with_a_locale_adds_formatted_figures_beside_the_raw_ones(
    records: TestClient,
) -> None:
    plain = get(records, "/reports/dialogues", **DIALOGUES).json()
    assert "formatted" not in plain["total"] and "locale" not in plain
    vi = get(records, "/reports/dialogues", locale="vi", **DIALOGUES).json()
    assert vi["locale"] == "vi"
    assert vi["total"]["participants"] == 2514  # raw numbers stay
    assert vi["total"]["formatted"] == {
        "held": "1",
        "scheduled": "2",
        "cancelled": "0",
        "participants": "2.514",
    }
    assert vi["compare"]["total"]["formatted"]["participants"] == "2.913"
    assert vi["compare"]["ratio"]["formatted"]["participants"] == "86,3%"
    row = next(r for r in vi["rows"] if r["participants"])
    assert row["formatted"]["participants"] == "2.514" and row["level"] == "district"
    en = get(records, "/reports/dialogues", locale="en", **DIALOGUES).json()
    assert en["total"]["formatted"]["participants"] == "2,514"
    assert en["compare"]["ratio"]["formatted"]["participants"] == "86.3%"
    coverage = get(
        records, "/reports/models/coverage", unit="001", on="2024-01-01", locale="vi"
    ).json()
    assert coverage["formatted"]["ratio"] == format_figure(coverage["ratio"], "ratio", "vi")
    assert coverage["children"] == []  # a district's children are communes


def test_xlsx_has_the_json_figures_as_numeric_cells_and_an_information_sheet(
    records: TestClient,
) -> None:
    body = get(records, "/reports/dialogues", **DIALOGUES).json()
    response = get(records, "/reports/dialogues", format="xlsx", **DIALOGUES)
    assert response.headers["content-type"] == XLSX
    assert response.headers["content-disposition"] == 'attachment; filename="dialogues.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Hội nghị đối thoại", "Thông tin"]
    sheet = book["Hội nghị đối thoại"]
    header, *rows = [list(r) for r in sheet.iter_rows()]
    assert [c.value for c in header][:3] == ["Cấp", "Hình thức đối thoại", "Đã tổ chức"]
    assert all(c.font.bold for c in header)
    names = {"district": "Cấp huyện", "thematic": "Đối thoại chuyên đề"}
    names |= {"periodic": "Đối thoại định kỳ"}
    expected = [
        [names[r["level"]], names[r["kind"]], *(r[m] for m in DIALOGUE_METRICS)]
        for r in body["rows"]
    ]
    assert [[c.value for c in r] for r in rows[:-3]] == expected
    total, compared, ratio = rows[-3:]
    assert [c.value for c in total[2:]] == [body["total"][m] for m in DIALOGUE_METRICS]
    assert total[-1].value == 2514 and isinstance(total[-1].value, int)
    assert total[-1].number_format == "#,##0" and total[-1].font.bold
    assert [c.value for c in compared[2:]] == [
        body["compare"]["total"][m] for m in DIALOGUE_METRICS
    ]
    assert ratio[-1].value == pytest.approx(2514 / 2913) and ratio[-1].number_format == "0.0%"
    # (label, value) rows: openpyxl types a row as a tuple of any length
    info = dict(cast("Iterator[tuple[Any, Any]]", book["Thông tin"].iter_rows(values_only=True)))
    assert info["Kỳ báo cáo"] == "2024 (2024-01-01 – 2024-12-31)"
    assert info["Kỳ so sánh"] == "2023 (2023-01-01 – 2023-12-31)"
    assert info["Nhóm theo"] == "Cấp, Hình thức đối thoại"
    assert info["Cơ cấu đơn vị"] == "Theo đơn vị khi ghi nhận" and info["Thời điểm lập"]


def test_english_titles_with_lang_en(records: TestClient) -> None:
    header, *rows, total = read_csv(
        get(records, "/reports/models", group_by="level", format="csv", lang="en")
    )
    assert header[:3] == ["Level", "Registered", "Progress reports"]
    assert [r[:2] for r in rows] == [["Commune", "2"], ["District", "1"]]
    assert total[:2] == ["Total", "3"]
    book = load_workbook(
        io.BytesIO(get(records, "/reports/models", format="xlsx", lang="en").content)
    )
    assert book.sheetnames == ["Dân vận khéo models", "Information"]
    active = book.active
    assert isinstance(active, Worksheet)
    assert [c.value for c in active[2]][:2] == ["Total", 3]  # ungrouped: the total only


@pytest.mark.parametrize(
    ("path", "params", "name"),
    [
        ("/reports/inspection-chain", {}, "inspection_chain"),
        ("/reports/kien-nghi", {"group_by": "status"}, "kien_nghi"),
        ("/reports/awards", {"group_by": "award"}, "awards"),
        ("/reports/supervisions", {"kind": "social_criticism"}, "supervisions"),
        ("/reports/models/coverage", {"unit": "01", "on": "2024-01-01"}, "model_coverage"),
    ],
)
def test_every_report_comes_as_csv_and_xlsx(
    records: TestClient, path: str, params: dict[str, str], name: str
) -> None:
    body = get(records, path, **params).json()
    table = read_csv(get(records, path, format="csv", **params))
    total = table[-1]
    assert total[0] == "Tổng cộng"
    xlsx = get(records, path, format="xlsx", **params)
    assert xlsx.headers["content-disposition"] == f'attachment; filename="{name}.xlsx"'
    sheet = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    in_sheet = [[norm(c) for c in r] for r in sheet.iter_rows(values_only=True)]
    assert in_sheet == [[norm(c) for c in r] for r in table]
    if "group_by" in params:  # a row per group, then the total
        assert len(table) == len(body["rows"]) + 2
    if name == "model_coverage":
        assert total[1:4] == ["Thành phố Hà Nội", str(body["communes"]), str(body["covered"])]
        assert sheet.cell(sheet.max_row, 4).value == body["covered"] == 2


def test_bad_format_or_locale_gets_422_naming_it(records: TestClient) -> None:
    for name, value in (("format", "pdf"), ("locale", "fr")):
        response = records.get("/reports/models", params={name: value})
        assert response.status_code == 422, response.text
        error = response.json()["error"]
        assert error["code"] == "invalid_input" and error["field"] == name
    coverage = records.get("/reports/models/coverage", params={"unit": "01", "format": "doc"})
    assert coverage.status_code == 422 and coverage.json()["error"]["field"] == "format"


def test_averages_have_one_or_two_decimals() -> None:
    assert [format_figure(v, "average", "vi") for v in (4.1667, 4.0, 4.25)] == [
        "4,17",
        "4,0",
        "4,25",
    ]
    assert format_figure(None, "count", "vi") is None
