"""A rebuild makes, table by table and row by row, what the live followers made: whatever the page
size (records changed within one page or across pages) and whether it reads the stores directly."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from fastapi.testclient import TestClient

from services.aggregator.database import create_read_model_engine
from services.aggregator.rebuild import rebuild
from services.aggregator.stores import store_feeds
from services.aggregator.tables import Base
from services.store_names import APPLICATION_NAMES
from shared.settings import Settings
from testkit.databases import fresh_postgres_database
from testkit.read_models import read_model_rows
from tests.citizens.test_app_journey import PNG
from tests.conftest import POSTGRES_SLOW
from tests.dialogue.helpers import (
    created,
    dialogue_body,
    finding_body,
    held_dialogue,
    ok,
    supervision_body,
)
from tests.dialogue.helpers import kien_nghi_body as kn_body
from tests.helpers import award_body, catch_up, recognise, register

ADMIN = {"Authorization": "Bearer token-admin"}


def write_every_kind_of_change(registry: TestClient, dialogue: TestClient) -> None:
    first, second = register(registry, unit_code="00004"), register(registry, unit_code="00006")
    recognise(registry, first)
    recognise(registry, second)
    for model_id, unit in ((first, "00007"), (first, "00008"), (second, "00007")):
        replication = {"to_unit_code": unit, "replicated_on": "2021-08-01"}
        ok(registry, f"/models/{model_id}/replications", replication)
    ok(registry, f"/models/{first}/progress", {"summary": "Tiến độ", "reported_on": "2021-09-01"})
    commendation = {"award": "Bằng khen", "level": "province", "commended_on": "2021-10-01"}
    ok(registry, f"/models/{second}/commendations", commendation)
    stop = {"reason": "Hết kinh phí", "discontinued_on": "2022-01-01"}
    ok(registry, f"/models/{first}/discontinuation", stop)
    award = award_body(conferred_by="central", conferred_on="2021-12-17", reason="Thành tích")
    registry.post("/awards", json=award, headers=ADMIN).raise_for_status()

    held_dialogue(dialogue)
    cancelled = created(dialogue, "/dialogues", dialogue_body())
    ok(dialogue, f"/dialogues/{cancelled}/cancellation", {"reason": "Mưa bão"})
    case = created(dialogue, "/supervisions", supervision_body(kind="inspection_case"))
    finding = finding_body()
    from_finding = ok(dialogue, f"/supervisions/{case}/findings", finding)["kien_nghi_id"]
    ok(dialogue, f"/supervisions/{case}/findings", {**finding, "violation_signs": False})
    citizen = created(dialogue, "/kien-nghi", kn_body())
    for kien_nghi_id in (from_finding, citizen):
        path = f"/kien-nghi/{kien_nghi_id}"
        assignment = {"agency": "UBND phường", "due_on": "2024-05-13", "assigned_on": "2024-05-03"}
        ok(dialogue, f"{path}/assignment", assignment)
        complex_ = {"priority": "complex", "category": "environment", "classified_on": "2024-05-03"}
        ok(dialogue, f"{path}/classification", complex_)
        # a complex one's answer carries evidence (the rule says so)
        evidence = evidence_of(dialogue, path)
        answer = {"answer": "Đang xử lý", "answered_on": "2024-05-04", "evidence": [evidence]}
        ok(dialogue, f"{path}/answer", answer)
        ok(dialogue, f"{path}/resolution", {"resolution": "Xong", "resolved_on": "2024-05-05"})
        ok(dialogue, f"{path}/rating", {"rating": 2, "rated_on": "2024-05-06"})
        ok(dialogue, f"{path}/reopening", {"reason": "Chưa thỏa đáng", "reopened_on": "2024-05-07"})
        ok(dialogue, f"{path}/assignment", {**assignment, "assigned_on": "2024-05-08"})
        ok(dialogue, f"{path}/declination", {"reason": "Ngoài thẩm quyền"})
    handle_every_other_way(dialogue)
    conclusion = {"conclusion": "Đã kết luận", "concluded_on": "2024-05-30"}
    ok(dialogue, f"/supervisions/{case}/conclusion", conclusion)


def evidence_of(dialogue: TestClient, path: str) -> str:
    upload = dialogue.post(f"{path}/evidence", files={"file": ("bien-ban.png", PNG, "image/png")})
    assert upload.status_code == 201, upload.text
    sha256: str = upload.json()["sha256"]
    return sha256


def handle_every_other_way(dialogue: TestClient) -> None:
    """The handling steps: acknowledged, transferred, extended, refused, escalated, merged."""
    master = created(dialogue, "/kien-nghi", kn_body())
    duplicate = created(dialogue, "/kien-nghi", kn_body())
    assignment = {"agency": "UBND phường", "assigned_on": "2024-05-03"}
    steps = [
        (master, "acknowledgement", {"acknowledged_at": "2024-05-03T09:00:00+07:00"}),
        (master, "assignment", assignment),
        (
            master,
            "transfer",
            {"agency": "Sở Xây dựng", "reason": "Thẩm quyền", "transferred_on": "2024-05-06"},
        ),
        (master, "extension-request", {"reason": "Khảo sát", "requested_on": "2024-05-07"}),
        (master, "extension-grant", {"reason": "Đồng ý", "granted_on": "2024-05-07"}),
        (master, "escalation", {"reason": "Chậm", "escalated_on": "2024-05-08"}),
        (duplicate, "assignment", assignment),
        (duplicate, "extension-request", {"reason": "Khảo sát", "requested_on": "2024-05-07"}),
        (duplicate, "extension-refusal", {"reason": "Không", "refused_on": "2024-05-07"}),
        (duplicate, "merge", {"master_id": master, "reason": "Trùng", "merged_on": "2024-05-08"}),
    ]
    for kien_nghi_id, step, body in steps:
        ok(dialogue, f"/kien-nghi/{kien_nghi_id}/{step}", body)


@contextmanager
def read_store(settings: Settings, name: str) -> Iterator[Settings]:
    """Another read-model store of the same kind, empty; the event stores stay where they are."""
    if settings.database_url is None:
        yield settings.model_copy(update={"data_dir": settings.data_dir.parent / name})
        return
    with fresh_postgres_database() as url:
        yield settings.model_copy(update={"database_url": url})


@POSTGRES_SLOW
def test_rebuilds_from_the_stores_equal_the_live_read_models_table_by_table(
    settings: Settings, registry: TestClient, dialogue: TestClient, aggregator: TestClient
) -> None:
    write_every_kind_of_change(registry, dialogue)
    catch_up(aggregator)
    live = read_model_rows(settings)
    assert len(live["kien_nghi"]) >= 16 and len(live["supervision"]) >= 5
    # two kiến nghị, six steps each; the master of handle_every_other_way seven (its
    # duplicate's merging one), its duplicate four
    assert len(live["kien_nghi_status_change"]) == 12 + 7 + 4
    for page_size, read_ahead in ((2, False), (20_000, True)):
        with read_store(settings, f"rebuilt-{page_size}") as fresh:
            stores = store_feeds(settings, APPLICATION_NAMES, read_ahead=read_ahead)
            try:
                applied = rebuild(fresh, stores, progress=False, page_size=page_size)
            finally:
                for store in stores.values():
                    store.close()
            assert applied["registry"] > 10 and applied["dialogue"] > 20
            rebuilt = read_model_rows(fresh)
        for table in sorted(live):
            assert rebuilt[table] == live[table], (page_size, table)


@pytest.mark.parametrize(
    "store", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_a_rebuild_on_postgresql_leaves_the_planner_its_statistics(
    settings: Settings, registry: TestClient, dialogue: TestClient
) -> None:
    """Without them (autovacuum off, or not yet round) PostgreSQL plans the search's words and
    keys blind; every read model is analysed as the rebuild ends."""
    register(registry, unit_code="00004")
    created(dialogue, "/kien-nghi", kn_body())
    stores = store_feeds(settings, APPLICATION_NAMES, read_ahead=True)
    try:
        rebuild(settings, stores, progress=False)
    finally:
        for store in stores.values():
            store.close()
    engine = create_read_model_engine(settings)
    try:
        with engine.connect() as connection:
            analysed = connection.exec_driver_sql(
                "SELECT relname FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL"
            ).scalars()
            columns = connection.exec_driver_sql(
                "SELECT attname FROM pg_stats WHERE tablename = 'search_entry'"
            ).scalars()
            assert {table.name for table in Base.metadata.sorted_tables} <= set(analysed)
            assert {"terms", "keys"} <= set(columns)
    finally:
        engine.dispose()
