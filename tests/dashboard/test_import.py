"""Import from Excel in Chromium: the template downloaded from the page, filled, chosen in the
upload form; the progress page follows the import (its script polling the JSON status, inside
the page's Content-Security-Policy) until it shows the outcome, or each problem by row and
column. Cà Mau's units, of a year no other test reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.importing.importer import Progress
from tests.dashboard.helpers import Browse
from tests.importing.helpers import filled

pytestmark = pytest.mark.e2e
ROW = ["Tiếp dân", None, "31999", "Đất đai", "Tranh chấp ranh giới đất", "2019-05-02"]


def test_an_upload_is_followed_to_its_outcome(browse: Browse, tmp_path: Path) -> None:
    browse.login("admin")
    browse.open("/dashboard/import")
    with browse.page.expect_download() as downloading:
        browse.page.click("#template-kien-nghi")
    template = Path(downloading.value.path()).read_bytes()
    rows = [[*ROW[:4], f"Kiến nghị số {n}", ROW[5]] for n in range(300)]
    good, bad = tmp_path / "good.xlsx", tmp_path / "bad.xlsx"
    good.write_bytes(filled(template, {"Kiến nghị": rows}))
    bad.write_bytes(filled(template, {"Kiến nghị": [ROW, [*ROW[:3], "Đất đaii", *ROW[4:]]]}))

    browse.page.set_input_files("#workbook", str(good))
    browse.click("#import-form button[type=submit]")
    browse.page.wait_for_selector("#summary", timeout=120_000)  # reloaded once it was over
    written = Progress(phase="done", checked=300, written=300)
    assert browse.text("#summary") == written.summary("vi")
    assert browse.page.eval_on_selector("#progress", "bar => [bar.value, bar.max]") == [300, 300]
    browse.shot("done")

    browse.open("/dashboard/import")
    browse.page.set_input_files("#workbook", str(bad))
    browse.click("#import-form button[type=submit]")
    browse.page.wait_for_selector("#summary", timeout=60_000)
    problems = browse.page.eval_on_selector_all(
        "#problems tbody tr", "rows => rows.map(r => [r.dataset.row, r.dataset.column])"
    )
    assert problems == [["4", "D"]]
    assert "Đất đaii" in browse.text("#problems .message")
    browse.shot("problems")
    assert browse.errors == []
