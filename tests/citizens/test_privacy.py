"""Personal data never stands in clear in any event, feed or read model; erasing a citizen's key
makes them unreadable everywhere while every count stays the same; abuse is limited."""

from __future__ import annotations

import sqlite3
from typing import Any
from uuid import UUID

import psycopg
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, inspect, text

from services.dialogue.main import create_app as create_dialogue
from shared.auth import TokenStore
from shared.principal import Role
from shared.settings import Settings
from tests.citizens.test_app_journey import CITIZEN, CONTACT, OFFICER, submit, upload
from tests.conftest import bearer
from tests.helpers import app_of, catch_up

SECRETS = [*CONTACT.values(), "device-abc-123", "21.0405", "105.8346"]


def raw_events(settings: Settings) -> list[str]:
    """The dialogue store's event rows as stored, read past the application."""
    if settings.database_url is None:
        with sqlite3.connect(settings.data_dir / "dialogue-events.db") as connection:
            rows = connection.execute("SELECT state FROM stored_events").fetchall()
    else:
        with psycopg.connect(settings.database_url) as connection:
            rows = connection.execute("SELECT state FROM dialogue.dialogue_events").fetchall()
    return [bytes(row[0]).decode("utf-8") for row in rows]


def read_model_text(settings: Settings) -> str:
    store = settings.read_models()
    engine = create_engine(store.url, connect_args=store.connect_args)
    try:
        with engine.connect() as connection:
            tables = inspect(connection).get_table_names()
            return " ".join(
                str(row)
                for table in tables
                for row in connection.execute(text(f'SELECT * FROM "{table}"'))
            )
    finally:
        engine.dispose()


def received(aggregator: TestClient) -> dict[str, Any]:
    catch_up(aggregator)
    total: dict[str, Any] = aggregator.get("/reports/kien-nghi").json()["total"]
    return total


def test_no_personal_data_stands_in_clear_in_the_store_or_the_read_models(
    dialogue: TestClient, aggregator: TestClient, settings: Settings
) -> None:
    submit(dialogue)
    catch_up(aggregator)
    events = raw_events(settings)
    assert any("KienNghi" in e or "citizen_app" in e for e in events)
    for secret in SECRETS:
        assert not any(secret in event for event in events), secret
    feed = dialogue.get("/events", headers=bearer("auditor")).text
    models = read_model_text(settings)
    for secret in SECRETS:
        assert secret not in feed and secret not in models, secret


def test_an_erasure_makes_the_citizen_unreadable_and_leaves_every_count(
    dialogue: TestClient, aggregator: TestClient
) -> None:
    photo = upload(dialogue).json()["sha256"]
    created = submit(dialogue, attachments=[photo])
    other = submit(dialogue, contact={"name": "Người khác"}, device_id=None)
    service = app_of(dialogue).state.dialogues
    token = service.get_kien_nghi(UUID(created["id"])).personal
    assert service.vault.open(token)["name"] == CONTACT["name"]
    before = received(aggregator)
    officer_view = dialogue.get(f"/kien-nghi/{created['id']}", headers=OFFICER).json()
    assert officer_view["contact"]["email"] == CONTACT["email"]

    not_admin = dialogue.post(
        "/personal-data/erasures",
        headers=OFFICER,
        json={"kien_nghi_id": created["id"], "reason": "Yêu cầu xóa"},
    )
    assert not_admin.status_code == 403
    erased = dialogue.post(
        "/personal-data/erasures",
        headers=bearer("admin"),
        json={"kien_nghi_id": created["id"], "reason": "Yêu cầu xóa"},
    )
    assert erased.status_code == 200, erased.text
    again = dialogue.post(
        "/personal-data/erasures",
        headers=bearer("admin"),
        json={"subject": erased.json()["subject"], "reason": "Lần nữa"},
    )
    assert again.status_code == 200

    assert service.vault.open(token) is None  # the same ciphertext, still in every copy
    assert dialogue.get(f"/kien-nghi/{created['id']}", headers=OFFICER).json()["contact"] is None
    assert (
        dialogue.get(f"/app/kien-nghi/{created['id']}", headers=CITIZEN).json()["contact"] is None
    )
    assert (
        dialogue.get(f"/kien-nghi/{created['id']}/attachments/{photo}", headers=OFFICER).status_code
        == 404
    )
    # the same citizen's other kiến nghị shares the key: erased too; counts do not move
    assert dialogue.get(f"/kien-nghi/{other['id']}", headers=OFFICER).json()["contact"] is None
    assert received(aggregator) == before
    history = dialogue.get(f"/kien-nghi/{created['id']}/history", headers=bearer("auditor"))
    assert history.json()["items"][0]["data"]["personal"] == token
    erasures = [
        e
        for e in dialogue.get("/events", headers=bearer("auditor")).json()["items"]
        if e["type"] == "DataSubject.Erased"
    ]
    assert len(erasures) == 1 and erasures[0]["data"]["reason"] == "Yêu cầu xóa"


def test_a_client_over_its_write_limit_gets_429_with_retry_after(settings: Settings) -> None:
    limited = settings.model_copy(update={"write_rate_limit": "3/minute"})
    body = {"category": "land", "content": "Kiến nghị", "unit_code": "00004"}
    with TestClient(create_dialogue(limited), headers=CITIZEN) as client:
        statuses = [client.post("/app/kien-nghi", json=body).status_code for _ in range(4)]
        assert statuses == [201, 201, 201, 429]
        refused = client.post("/app/kien-nghi", json=body)
        assert int(refused.headers["Retry-After"]) > 0
        assert refused.json()["error"]["code"] == "rate_limited"
        assert (
            client.get("/app/kien-nghi/00000000-0000-0000-0000-000000000000").status_code == 404
        )  # reads are not limited
        TokenStore(settings.token_path).issue("citizen-2", Role.CITIZEN, [], token="token-c2")
        other = client.post(
            "/app/kien-nghi", json=body, headers={"Authorization": "Bearer token-c2"}
        )
        assert other.status_code == 201  # another client has its own budget
