"""The kiến nghị read model says what the aggregate says, step by step through a reopening."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from services.aggregator.database import create_read_model_engine
from services.aggregator.tables import KienNghiRow
from shared.settings import Settings
from tests.dialogue.helpers import created, ok
from tests.dialogue.helpers import kien_nghi_body as kn_body
from tests.helpers import catch_up

ADMIN = {"Authorization": "Bearer token-admin"}
SHARED = ("status", "agency", "due_on", "assigned_on", "priority", "category")


def read_model(settings: Settings, kien_nghi_id: str) -> dict[str, Any]:
    engine = create_read_model_engine(settings)
    try:
        with engine.connect() as connection:
            row = connection.execute(
                select(KienNghiRow).where(KienNghiRow.at(None), KienNghiRow.id == kien_nghi_id)
            ).one()
    finally:
        engine.dispose()
    return {name: getattr(row, name) for name in SHARED}


def aggregate(dialogue: TestClient, kien_nghi_id: str) -> dict[str, Any]:
    view = dialogue.get(f"/kien-nghi/{kien_nghi_id}", headers=ADMIN).raise_for_status().json()
    return {name: view[name] for name in SHARED}


def as_written(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in row.items()}


def test_after_every_step_the_read_model_agrees_with_the_aggregate(
    settings: Settings, dialogue: TestClient, aggregator: TestClient
) -> None:
    kien_nghi_id = created(dialogue, "/kien-nghi", kn_body())
    path = f"/kien-nghi/{kien_nghi_id}"
    assignment = {"agency": "UBND phường", "due_on": "2024-05-29", "assigned_on": "2024-05-03"}
    steps = [
        ("/assignment", assignment),
        # urgent: due when Hà Nội's 2 working days end (Saturday 4 May was worked), not 29 May
        (
            "/classification",
            {"priority": "urgent", "category": "environment", "classified_on": "2024-05-03"},
        ),
        ("/resolution", {"resolution": "Xong", "resolved_on": "2024-05-05"}),
        ("/reopening", {"reason": "Chưa thỏa đáng", "reopened_on": "2024-05-07"}),
        ("/assignment", {**assignment, "due_on": "2024-05-09", "assigned_on": "2024-05-08"}),
    ]
    seen = []
    for step, body in steps:
        ok(dialogue, path + step, body)
        catch_up(aggregator)
        expected = aggregate(dialogue, kien_nghi_id)
        assert as_written(read_model(settings, kien_nghi_id)) == expected, step
        seen.append(expected)
    assert seen[1]["due_on"] == "2024-05-04"
    reopened = seen[3]
    assert reopened == {
        "status": "reopened",
        "agency": None,
        "due_on": None,
        "assigned_on": None,
        "priority": "urgent",
        "category": "environment",
    }
