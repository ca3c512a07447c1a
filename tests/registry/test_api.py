"""The registry through HTTP: lifecycle, reads, bad input, idempotency, concurrency."""

from __future__ import annotations

import threading
import time
from typing import Any
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient

from shared import feed as feed_module
from shared.events import FeedItem
from testkit.records import model_body
from tests.conftest import bearer
from tests.helpers import award_body, feed, recognise, register

AUDITOR = bearer("auditor")


def model_events(registry: TestClient) -> list[FeedItem]:
    return [e for e in feed(registry, AUDITOR) if str(e["type"]).startswith("Model.")]


def test_a_model_moves_through_its_whole_lifecycle(registry: TestClient) -> None:
    model_id = register(registry)
    steps = [
        ("progress", {"summary": "Làm được 2 km đường", "reported_on": "2021-05-01"}),
        ("recognition", {"level": "district", "recognised_on": "2021-06-01", "decision": "QĐ 12"}),
        (
            "commendations",
            {"award": "Giấy khen UBND quận", "level": "district", "commended_on": "2021-07-01"},
        ),
        ("replications", {"to_unit_code": "00006", "replicated_on": "2021-08-01"}),
        ("discontinuation", {"reason": "Đã hoàn thành", "discontinued_on": "2022-01-01"}),
    ]
    for version, (path, body) in enumerate(steps, start=2):
        response = registry.post(f"/models/{model_id}/{path}", json=body)
        assert response.status_code == 200, response.text
        assert response.json() == {"id": model_id, "version": version}

    model = registry.get(f"/models/{model_id}").json()
    assert model["status"] == "discontinued"
    assert model["recognition"] == {
        "level": "district",
        "recognised_on": "2021-06-01",
        "decision": "QĐ 12",
    }
    assert model["replicated_to"] == [
        {"to_unit_code": "00006", "to_unit_structure": "legacy", "replicated_on": "2021-08-01"}
    ]
    history = registry.get(f"/models/{model_id}/history").json()["items"]
    assert [e["type"] for e in history] == [
        "Model.Registered",
        "Model.ProgressReported",
        "Model.Recognised",
        "Model.Commended",
        "Model.Replicated",
        "Model.Discontinued",
    ]
    assert history[0]["data"]["actor"]["id"] == "officer-hanoi"
    assert history[0]["data"]["unit_structure"] == "legacy"


def test_a_record_dated_after_the_reform_names_a_2025_unit(registry: TestClient) -> None:
    # 00004 was Phường Trúc Bạch until 30 June 2025 and is Phường Ba Đình since 1 July 2025
    before = register(registry, registered_on="2025-06-30", year=2025)
    after = register(registry, registered_on="2025-07-01", year=2025)
    assert registry.get(f"/models/{before}").json()["unit_structure"] == "legacy"
    assert registry.get(f"/models/{after}").json()["unit_structure"] == "2025"
    district_after_reform = registry.post(
        "/models", json=model_body(unit_code="001", registered_on="2025-08-01", year=2025)
    )
    assert district_after_reform.status_code == 422
    assert district_after_reform.json()["error"]["field"] == "unit_code"


def test_the_event_feed_is_plain_json_in_order(registry: TestClient) -> None:
    first = register(registry)
    recognise(registry, first)
    page = registry.get("/events", params={"after": 0, "limit": 2}, headers=AUDITOR).json()
    assert [i["position"] for i in page["items"]] == [1, 2]
    assert page["next_after"] == 2
    rest = registry.get("/events", params={"after": 2}, headers=AUDITOR).json()
    assert [i["type"] for i in rest["items"]] == ["Model.Recognised"]
    item = rest["items"][0]
    assert set(item) - {"hash", "prev_hash"} == {  # the chain's, once the sealer has been
        "position",
        "id",
        "aggregate_id",
        "aggregate_version",
        "type",
        "recorded_at",
        "data",
    }
    assert item["data"]["recognised_on"] == "2021-06-01"
    assert "_type_" not in str(page) + str(rest)
    assert page["store_id"] == rest["store_id"]


def test_a_long_poll_of_the_feed_returns_when_an_event_is_appended_not_at_its_next_poll(
    registry: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(feed_module, "POLL_INTERVAL", 60.0)  # only the append can wake it
    head = registry.get("/events/head", headers=AUDITOR).json()["position"]
    pages: list[dict[str, Any]] = []

    def poll() -> None:
        params = {"after": head, "wait": 40}
        pages.append(registry.get("/events", params=params, headers=AUDITOR).json())

    waiting = threading.Thread(target=poll)
    waiting.start()
    time.sleep(0.5)  # the poll is waiting (had the write come first, it would answer at once)
    model_id = register(registry)
    waiting.join(timeout=20)  # a poll not woken would answer after its 40 s
    assert not waiting.is_alive()
    assert model_id in {item["aggregate_id"] for item in pages[0]["items"]}


def test_the_feed_is_for_auditors_not_officers(registry: TestClient) -> None:
    assert registry.get("/events").status_code == 403
    assert registry.get("/events", headers={"Authorization": "Bearer nope"}).status_code == 401


def test_bad_inputs_get_4xx_naming_the_field_and_record_nothing(registry: TestClient) -> None:
    cases = [
        (model_body(unit_code="99999"), 422, "unit_unknown", "unit_code"),
        (model_body(unit_code="98"), 422, "unit_unknown", "unit_code"),
        (model_body(year=2099), 422, "year_in_future", "year"),
        (model_body(year=2101), 422, "invalid_input", "year"),
        (model_body(registered_on="2999-01-01"), 422, "date_in_future", "registered_on"),
        (model_body(sector="space"), 422, "invalid_input", "sector"),
        (model_body(fields=[]), 422, "invalid_input", "fields"),
        (model_body(title=""), 422, "invalid_input", "title"),
        (model_body(unit_code="79"), 403, "forbidden_unit", "unit_code"),  # TP HCM: not Hà Nội
        ({**model_body(), "colour": "red"}, 422, "invalid_input", "colour"),
    ]
    for body, status, code, field in cases:
        response = registry.post("/models", json=body)
        assert response.status_code == status, (body, response.text)
        error = response.json()["error"]
        assert (error["code"], error["field"]) == (code, field), error
        assert error["message"]
    assert (
        registry.post(
            "/models", content=b"{not json", headers={"Content-Type": "application/json"}
        ).status_code
        == 400
    )
    assert model_events(registry) == []


def test_errors_are_vietnamese_by_default_and_english_on_request(registry: TestClient) -> None:
    vi = registry.post("/models", json=model_body(unit_code="99999")).json()["error"]["message"]
    en = registry.post(
        "/models", json=model_body(unit_code="99999"), headers={"Accept-Language": "en"}
    ).json()["error"]["message"]
    assert "Mã đơn vị hành chính 99999 không tồn tại" in vi
    assert "Administrative unit code 99999 does not exist" in en


def test_invalid_transitions_get_409_and_record_nothing(registry: TestClient) -> None:
    model_id = register(registry)
    not_recognised = registry.post(
        f"/models/{model_id}/replications",
        json={"to_unit_code": "00006", "replicated_on": "2021-08-01"},
    )
    assert not_recognised.status_code == 409
    assert not_recognised.json()["error"]["code"] == "model_not_recognised"
    recognise(registry, model_id)
    same_unit = registry.post(
        f"/models/{model_id}/replications",
        json={"to_unit_code": "00004", "replicated_on": "2021-08-01"},
    )
    assert same_unit.status_code == 409
    assert same_unit.json()["error"]["code"] == "replicate_to_same_unit"
    registry.post(
        f"/models/{model_id}/discontinuation", json={"reason": "x", "discontinued_on": "2022-01-01"}
    ).raise_for_status()
    commend = registry.post(
        f"/models/{model_id}/commendations", json={"award": "Bằng khen", "level": "province"}
    )
    assert commend.status_code == 409
    assert commend.json()["error"]["code"] == "model_discontinued"
    unknown = registry.post(
        "/models/00000000-0000-0000-0000-000000000000/recognition", json={"level": "district"}
    )
    assert unknown.status_code == 404
    assert [e["type"] for e in model_events(registry)] == [
        "Model.Registered",
        "Model.Recognised",
        "Model.Discontinued",
    ]


def test_the_same_idempotency_key_and_body_make_one_record(registry: TestClient) -> None:
    key = {"Idempotency-Key": "app-retry-1"}
    first = registry.post("/models", json=model_body(), headers=key)
    again = registry.post("/models", json=model_body(), headers=key)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    other_body = registry.post("/models", json=model_body(title="Khác"), headers=key)
    assert other_body.status_code == 409
    assert other_body.json()["error"]["code"] == "idempotency_key_reused"
    registered = [e for e in model_events(registry) if e["type"] == "Model.Registered"]
    assert len(registered) == 1


def test_idempotency_keys_belong_to_their_caller(registry: TestClient) -> None:
    key = {"Idempotency-Key": "shared-key"}
    mine = registry.post("/models", json=model_body(), headers=key)
    theirs = registry.post("/models", json=model_body(), headers={**key, **bearer("admin")})
    assert mine.json()["id"] != theirs.json()["id"]


def test_a_stale_expected_version_gets_409_and_nothing_is_lost(registry: TestClient) -> None:
    model_id = register(registry)
    etag = registry.get(f"/models/{model_id}").headers["ETag"]
    assert etag == '"1"'
    ok = registry.post(
        f"/models/{model_id}/progress", json={"summary": "Lần 1"}, headers={"If-Match": etag}
    )
    assert ok.status_code == 200
    stale = registry.post(
        f"/models/{model_id}/progress", json={"summary": "Lần 2"}, headers={"If-Match": etag}
    )
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "stale_version"
    assert stale.json()["error"]["params"] == {"current": 2, "expected": 1}
    assert registry.get(f"/models/{model_id}").json()["progress_reports"] == 1


def test_concurrent_writes_to_one_model_all_land_or_conflict(registry: TestClient) -> None:
    from concurrent.futures import ThreadPoolExecutor

    model_id = register(registry)

    def report(i: int) -> int:
        return registry.post(
            f"/models/{model_id}/progress", json={"summary": f"Báo cáo {i}"}
        ).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(report, range(24)))
    assert set(statuses) <= {200, 409}
    progress = registry.get(f"/models/{model_id}").json()["progress_reports"]
    assert progress == statuses.count(200)
    assert (
        len([e for e in model_events(registry) if e["type"] == "Model.ProgressReported"])
        == progress
    )


def test_an_officer_writes_only_within_their_units(registry: TestClient) -> None:
    ba_dinh = bearer("officer_badinh")
    inside = registry.post("/models", json=model_body(unit_code="00004"), headers=ba_dinh)
    assert inside.status_code == 201
    outside = registry.post("/models", json=model_body(unit_code="00040"), headers=ba_dinh)
    assert outside.status_code == 403  # 00040 is in Quận Hoàn Kiếm
    citizen = registry.post("/models", json=model_body(), headers=bearer("citizen"))
    assert citizen.status_code == 403
    auditor = registry.post("/models", json=model_body(), headers=AUDITOR)
    assert auditor.status_code == 403


def test_an_awards_history_is_its_one_conferral_and_it_offers_no_step(
    registry: TestClient,
) -> None:
    created = registry.post("/awards", json=award_body())
    assert created.status_code == 201, created.text
    award_id = created.json()["id"]
    shown = registry.get(f"/awards/{award_id}")
    assert shown.json()["next_steps"] == [] and shown.headers["ETag"] == '"1"'
    history = registry.get(f"/awards/{award_id}/history").json()
    assert [item["type"] for item in history["items"]] == ["Award.Conferred"]
    assert history["items"][0]["data"]["recipient"] == award_body()["recipient"]
    assert registry.get(f"/awards/{uuid4()}/history").status_code == 404
