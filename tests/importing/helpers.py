"""Workbooks filled in as a user fills the templates, and imports run through the dashboard as
the user would start them."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from services.importing.jobs import ImportJobs, JobStatus
from tests.conftest import bearer
from tests.helpers import app_of


def filled(template: bytes, sheets: dict[str, list[list[Any]]]) -> bytes:
    """The template with these rows below its two header rows, sheet by sheet."""
    book = load_workbook(BytesIO(template))
    for title, rows in sheets.items():
        sheet = book[title]
        for number, values in enumerate(rows, start=3):
            for column, value in enumerate(values, start=1):
                sheet.cell(number, column, value)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def download_template(aggregator: TestClient, kind: str, who: str = "officer") -> bytes:
    response = aggregator.get(f"/dashboard/import/templates/{kind}.xlsx", headers=bearer(who))
    assert response.status_code == 200, response.text
    return response.content


def upload(
    aggregator: TestClient, workbook: bytes, who: str = "officer", lang: str = "vi"
) -> JobStatus:
    """The workbook posted to the dashboard's upload form; the import it starts, once over."""
    response = aggregator.post(
        "/dashboard/import",
        files={"file": ("import.xlsx", workbook)},
        data={"lang": lang},
        headers=bearer(who),
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    job_id = response.headers["location"].split("/")[-1].split("?")[0]
    jobs: ImportJobs = app_of(aggregator).state.import_jobs
    status = jobs.wait(job_id, timeout=120)
    assert status is not None and status.progress.finished, status
    return status


def heads(registry: TestClient, dialogue: TestClient) -> tuple[int, int]:
    """The last position of each write service's feed: what a write would move."""
    auditor = bearer("auditor")
    registry_head = registry.get("/events/head", headers=auditor).json()["position"]
    return registry_head, dialogue.get("/events/head", headers=auditor).json()["position"]


def refusal(
    client: TestClient, path: str, body: dict[str, Any], lang: str, who: str = "officer"
) -> dict[str | None, str]:
    """What the API itself answers the same record sent directly: field → message."""
    headers = {**bearer(who), "Accept-Language": lang}
    response = client.post(path, json=body, headers=headers)
    assert response.status_code in (403, 409, 422), response.text
    error = response.json()["error"]
    return {d.get("field"): d["message"] for d in error.get("details") or [error]}
