"""The dashboard's import pages: the templates and the upload form, a page following an import
as it runs (a <progress> bar fed by a JSON status, a meta refresh without scripts), its outcome
with every problem by row and column, for the user who started it only."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from io import BytesIO
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from openpyxl import Workbook

from services.importing.jobs import ImportJobs
from services.importing.kinds import KINDS
from shared.settings import Settings
from tests.conftest import aggregator_following, bearer
from tests.helpers import app_of
from tests.importing.helpers import download_template, filled, upload
from tests.importing.test_checks import GOOD, kien_nghi

OFFICER = bearer("officer")


def test_the_import_page_offers_every_template_and_the_upload_form(
    aggregator: TestClient,
) -> None:
    page = aggregator.get("/dashboard/import", headers=OFFICER)
    english = aggregator.get("/dashboard/import", params={"lang": "en"}, headers=OFFICER)

    assert page.status_code == 200
    for key in [*KINDS, "all"]:
        assert f'href="/dashboard/import/templates/{key}.xlsx"' in page.text
    assert 'enctype="multipart/form-data"' in page.text
    assert "Nhập từ Excel" in page.text and "Import from Excel" in english.text
    unknown = aggregator.get("/dashboard/import/templates/awards.xlsx", headers=OFFICER)
    assert unknown.status_code == 404


def test_the_outcome_page_lists_each_problem_by_row_and_column(aggregator: TestClient) -> None:
    workbook = filled(
        download_template(aggregator, "kien-nghi"),
        {"Kiến nghị": [GOOD, kien_nghi(category="Đất đaii"), kien_nghi(unit_code="79")]},
    )
    status = upload(aggregator, workbook, lang="en")

    page = aggregator.get(f"/dashboard/import/jobs/{status.id}?lang=en", headers=OFFICER)
    json = aggregator.get(
        f"/dashboard/import/jobs/{status.id}/status?lang=en", headers=OFFICER
    ).json()

    assert page.status_code == 200
    for problem in status.progress.problems:
        cells = (
            f'data-row="{problem.row}" data-column="{problem.column}" data-code="{problem.code}"'
        )
        assert f"<tr {cells}>" in page.text
        assert problem.message.replace("'", "&#39;") in page.text
    assert 'http-equiv="refresh"' not in page.text  # over: no more reloading
    assert (json["phase"], json["finished"], json["written"]) == ("refused", True, 0)
    assert [(p["row"], p["column"]) for p in json["problems"]] == [(4, "D"), (5, "C")]
    assert json["summary"] == status.progress.summary("en")


def test_an_import_is_followed_by_its_owner_auditors_and_admins(aggregator: TestClient) -> None:
    workbook = filled(download_template(aggregator, "kien-nghi"), {"Kiến nghị": [GOOD]})
    status = upload(aggregator, workbook)

    for path in (
        f"/dashboard/import/jobs/{status.id}",
        f"/dashboard/import/jobs/{status.id}/status",
    ):
        assert aggregator.get(path, headers=bearer("officer_badinh")).status_code == 404
        for who in ("officer", "auditor", "admin"):
            assert aggregator.get(path, headers=bearer(who)).status_code == 200, who
    denials = aggregator.get("/security/denials").json()  # the other officer's, recorded
    assert any(d["code"] == "hidden_record" and status.id in str(d) for d in denials)


def test_an_auditor_may_not_upload(aggregator: TestClient) -> None:
    workbook = filled(download_template(aggregator, "kien-nghi", "auditor"), {"Kiến nghị": [GOOD]})
    response = aggregator.post(
        "/dashboard/import",
        files={"file": ("import.xlsx", workbook)},
        headers=bearer("auditor"),
        follow_redirects=False,
    )
    assert response.status_code == 403


def test_an_upload_from_another_site_is_refused(aggregator: TestClient) -> None:
    workbook = filled(download_template(aggregator, "kien-nghi"), {"Kiến nghị": [GOOD]})
    response = aggregator.post(
        "/dashboard/import",
        files={"file": ("import.xlsx", workbook)},
        headers={**OFFICER, "Origin": "https://elsewhere.example"},
        follow_redirects=False,
    )
    assert response.status_code == 403


class Held:
    """The write services, answering only once the test lets them go."""

    def __init__(self, writers: Mapping[str, Any]) -> None:
        self.writers, self.asked, self.go = writers, threading.Event(), threading.Event()

    def __getitem__(self, service: str) -> Any:
        held = self

        class Client:
            def post(self, url: str, **kwargs: Any) -> Any:
                held.asked.set()
                held.go.wait(60)
                return held.writers[service].post(url, **kwargs)

        return Client()


def test_the_progress_page_follows_an_import_as_it_runs(
    aggregator: TestClient, registry: TestClient, dialogue: TestClient
) -> None:
    state = app_of(aggregator).state
    held = Held({"registry": TestClient(registry.app), "dialogue": TestClient(dialogue.app)})
    state.import_jobs = ImportJobs(lambda: held, state.catalog)  # type: ignore[arg-type,return-value]
    rows = [kien_nghi(content=f"Kiến nghị {n}") for n in range(10)]
    workbook = filled(download_template(aggregator, "kien-nghi"), {"Kiến nghị": rows})
    response = aggregator.post(
        "/dashboard/import",
        files={"file": ("import.xlsx", workbook)},
        headers=OFFICER,
        follow_redirects=False,
    )
    job = response.headers["location"]
    try:
        assert held.asked.wait(60)  # writing, its first rows held
        status = aggregator.get(f"{job}/status", headers=OFFICER).json()
        page = aggregator.get(job, headers=OFFICER)
    finally:
        held.go.set()

    assert (status["phase"], status["total"], status["checked"]) == ("writing", 10, 10)
    assert (status["done"], status["finished"]) == (0, False)
    assert '<progress id="progress" max="10" value="0"' in page.text
    assert f'data-status="{job}/status"' in page.text
    assert '<script src="/dashboard/static/import.js"' in page.text
    assert '<meta http-equiv="refresh" content="2">' in page.text  # without scripts
    done = state.import_jobs.wait(job.rsplit("/", 1)[1], timeout=60)
    assert done is not None and (done.progress.phase, done.progress.written) == ("done", 10)
    state.import_jobs.close()


def test_a_workbook_larger_than_the_setting_is_refused_as_it_arrives(
    settings: Settings, registry: TestClient, dialogue: TestClient, read_models_at_head: Path
) -> None:
    small = settings.model_copy(update={"max_import_bytes": 10_000})
    with aggregator_following(small, registry, dialogue, read_models_at_head) as aggregator:
        response = aggregator.post(
            "/dashboard/import",
            files={"file": ("import.xlsx", b"x" * 200_000)},
            headers=OFFICER,
            follow_redirects=False,
        )
        assert response.status_code == 413


def workbook_of(sheets: dict[str, list[list[Any]]]) -> bytes:
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_file_that_follows_no_template_is_told_where(aggregator: TestClient) -> None:
    headers = ["Nguồn", "Đơn vị", "Ghi chú", "Nội dung", "nội dung *"]
    cases = {
        b"name,unit\nA,00004\n": {("", 0, "", "import_not_a_workbook")},
        workbook_of({"Sheet1": [["Nguồn"], ["Tiếp dân"]]}): {("", 0, "", "import_no_sheet")},
        download_template(aggregator, "kien-nghi"): {("", 0, "", "import_no_rows")},
        workbook_of({"Kiến nghị": [headers, ["Tiếp dân", "00004", "", "Nội dung", "Nội dung"]]}): {
            ("Kiến nghị", 1, "C", "import_column_unknown"),
            ("Kiến nghị", 1, "E", "import_column_twice"),
            ("Kiến nghị", 1, "", "import_column_missing"),  # the category
        },
    }
    for workbook, expected in cases.items():
        progress = upload(aggregator, workbook).progress
        assert progress.phase == "refused"
        assert {(p.sheet, p.row, p.column, p.code) for p in progress.problems} == expected


def test_a_signed_in_browser_imports_as_its_user(aggregator: TestClient) -> None:
    """The session's own credential goes with the rows: the job is the officer's."""
    browser = TestClient(aggregator.app, base_url="https://testserver", follow_redirects=False)
    signed = browser.post("/dashboard/login", data={"token": "token-officer", "next": "/dashboard"})
    assert signed.status_code == 303, signed.text
    workbook = filled(download_template(aggregator, "kien-nghi"), {"Kiến nghị": [GOOD]})

    response = browser.post("/dashboard/import", files={"file": ("import.xlsx", workbook)})

    assert response.status_code == 303, response.text
    job_id = response.headers["location"].rsplit("/", 1)[1]
    done = app_of(aggregator).state.import_jobs.wait(job_id, timeout=60)
    assert (done.owner, done.progress.phase, done.progress.written) == ("officer-hanoi", "done", 1)
    assert browser.get(response.headers["location"]).status_code == 200
