"""Writing through the API: the same file twice writes once; a row the API refuses after all is
told like a checked one while the others stay written, and once mended, uploading the file again
writes that row alone."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from fastapi.testclient import TestClient

from services.dialogue.main import create_app as create_dialogue
from services.registry.main import create_app as create_registry
from shared.settings import Settings
from shared.vietnam_time import today_in_vietnam
from tests.conftest import aggregator_following, bearer
from tests.importing.helpers import download_template, filled, heads, refusal, upload
from tests.importing.test_checks import GOOD, KIEN_NGHI_JSON, kien_nghi


def test_the_same_file_uploaded_twice_writes_once(
    aggregator: TestClient, registry: TestClient, dialogue: TestClient
) -> None:
    rows = [kien_nghi(content=f"Kiến nghị số {n}") for n in range(12)]
    workbook = filled(download_template(aggregator, "kien-nghi"), {"Kiến nghị": rows})

    first = upload(aggregator, workbook).progress
    after_first = heads(registry, dialogue)
    second = upload(aggregator, workbook).progress

    assert (first.phase, first.written, first.replayed) == ("done", 12, 0)
    assert (second.phase, second.written, second.replayed) == ("done", 0, 12)
    assert heads(registry, dialogue) == after_first  # not one event more
    assert [r.id for r in second.records] == [r.id for r in first.records]
    contents = {dialogue.get(f"/kien-nghi/{r.id}").json()["content"] for r in first.records}
    assert contents == {row[4] for row in rows}


def test_a_row_the_api_refuses_is_told_and_the_others_stay_written(
    aggregator: TestClient, dialogue: TestClient
) -> None:
    """A date ahead of today passes the request model (a date), not the service's rule."""
    ahead = (today_in_vietnam() + timedelta(days=30)).isoformat()
    template = download_template(aggregator, "kien-nghi")
    rows = [GOOD, kien_nghi(received_on=ahead), kien_nghi(content="Một kiến nghị khác")]

    status = upload(aggregator, filled(template, {"Kiến nghị": rows}), lang="en")
    progress = status.progress

    assert (progress.phase, progress.written, progress.refused) == ("done", 2, 1)
    (problem,) = progress.problems
    assert (problem.row, problem.column, problem.code) == (4, "F", "date_in_future")
    api = refusal(dialogue, "/kien-nghi", {**KIEN_NGHI_JSON, "received_on": ahead}, "en")
    assert problem.message == api["received_on"]
    assert [r.row for r in progress.records] == [3, 5]
    written = {r.row: r.id for r in progress.records}

    page = aggregator.get(f"/dashboard/import/jobs/{status.id}", headers=bearer("officer"))
    assert "Kiến nghị: 3, 5" in page.text  # the page says which rows stay written

    rows[1] = kien_nghi(received_on="2024-05-03")  # mended
    mended = upload(aggregator, filled(template, {"Kiến nghị": rows})).progress

    assert (mended.phase, mended.written, mended.replayed, mended.refused) == ("done", 1, 2, 0)
    assert {r.row: r.id for r in mended.records if r.replayed} == written
    new = next(r for r in mended.records if not r.replayed)
    assert dialogue.get(f"/kien-nghi/{new.id}").json()["received_on"] == "2024-05-03"


def test_the_users_rate_limit_slows_an_import_down_without_losing_a_row(
    settings: Settings, read_models_at_head: Path
) -> None:
    """4 writes a second per user: the importer waits as each 429's Retry-After says."""
    limited = settings.model_copy(update={"write_rate_limit": "4/second"})
    with (
        TestClient(create_registry(limited), headers=bearer("officer")) as registry,
        TestClient(create_dialogue(limited), headers=bearer("officer")) as dialogue,
        aggregator_following(limited, registry, dialogue, read_models_at_head) as aggregator,
    ):
        rows = [kien_nghi(content=f"Kiến nghị số {n}") for n in range(10)]
        workbook = filled(download_template(aggregator, "kien-nghi"), {"Kiến nghị": rows})

        progress = upload(aggregator, workbook).progress

        assert (progress.phase, progress.written, progress.problems) == ("done", 10, [])
        metrics = dialogue.get("/metrics").text  # the service did refuse some, for a while
        assert re.search(r'route="/kien-nghi",service="dialogue",status="429"\} [1-9]', metrics), (
            metrics
        )
