"""Every report answers as the records stood at a moment: as_of is when things were recorded.

The moments are taken from the feeds (the recorded_at of the last event so far), so a step
recorded afterwards is after them, without sleeping.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any, cast
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from services.aggregator.cubes import fill_all
from services.aggregator.schemas import parse_as_of
from services.aggregator.tables import KienNghiRow
from shared.errors import InvalidInput
from shared.events import recorded_moment
from shared.vietnam_time import VIETNAM
from tests.conftest import bearer
from tests.dialogue.helpers import created, dialogue_body, kien_nghi_body, ok, supervision_body
from tests.helpers import app_of, catch_up, cubes_compacted, feed, recognise, register

AUDITOR = bearer("auditor")
ADMIN = {"Authorization": "Bearer token-admin"}


def recorded_so_far(upstream: TestClient) -> str:
    """A moment by which everything in the upstream's feed so far had been recorded."""
    moment = str(max(feed(upstream, AUDITOR), key=recorded_moment)["recorded_at"])
    return moment


def get(aggregator: TestClient, path: str, **params: Any) -> dict[str, Any]:
    catch_up(aggregator)
    response = aggregator.get(path, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def total(aggregator: TestClient, report: str, **params: Any) -> dict[str, Any]:
    figures: dict[str, Any] = get(aggregator, f"/reports/{report}", **params)["total"]
    return figures


def test_a_kien_nghi_resolved_later_is_still_open_as_of_before(
    dialogue: TestClient, aggregator: TestClient
) -> None:
    before = datetime.now(UTC).isoformat()
    kien_nghi_id = created(dialogue, "/kien-nghi", kien_nghi_body(received_on="2024-05-02"))
    received = recorded_so_far(dialogue)
    assignment = {"agency": "UBND phường", "due_on": "2024-05-29", "assigned_on": "2024-05-03"}
    ok(dialogue, f"/kien-nghi/{kien_nghi_id}/assignment", assignment)
    assigned = recorded_so_far(dialogue)
    resolution = {"resolution": "Đã giải quyết", "resolved_on": "2024-06-20"}
    ok(dialogue, f"/kien-nghi/{kien_nghi_id}/resolution", resolution)
    resolved = recorded_so_far(dialogue)

    def figures(as_of: str | None) -> tuple[int, ...]:
        t = total(aggregator, "kien-nghi", **({"as_of": as_of} if as_of else {}))
        return (
            t["received"],
            t["assigned"],
            t["open"],
            t["overdue"],
            t["resolved"],
            t["resolved_late"],
        )

    assert figures(before) == (0, 0, 0, 0, 0, 0)
    assert figures(received) == (1, 0, 1, 0, 0, 0)
    assert figures(assigned) == (1, 1, 1, 1, 0, 0)  # due 2024-05-29 had passed as of then
    assert figures(resolved) == (1, 1, 0, 0, 1, 1) == figures(None)
    by_status = get(aggregator, "/reports/kien-nghi", group_by="status", as_of=assigned)
    assert {r["status"]: r["received"] for r in by_status["rows"]} == {"assigned": 1}
    assert datetime.fromisoformat(by_status["as_of"]) == datetime.fromisoformat(assigned)

    def listed(**params: Any) -> dict[str, Any]:
        items = get(aggregator, "/kien-nghi", id=kien_nghi_id, **params)["items"]
        assert len(items) <= 1
        item: dict[str, Any] = items[0] if items else {}
        return item

    then = listed(as_of=assigned)
    assert (then["status"], then["open"], then["agency"]) == ("assigned", True, "UBND phường")
    assert then["status_notes"] is None
    now = listed()
    assert (now["status"], now["open"], now["status_notes"]) == ("resolved", False, "Đã giải quyết")
    assert listed(as_of=before) == {}
    assert get(aggregator, "/kien-nghi", state="open", as_of=received)["items"][0]["id"] == (
        kien_nghi_id
    )
    assert get(aggregator, "/kien-nghi", state="open")["items"] == []


def test_the_inspection_chain_as_of_before_its_kien_nghi_was_resolved(
    dialogue: TestClient, aggregator: TestClient
) -> None:
    body = supervision_body(kind="inspection_case", started_on="2024-04-01")
    case_id = created(dialogue, "/supervisions", body)
    started = recorded_so_far(dialogue)
    finding = ok(
        dialogue,
        f"/supervisions/{case_id}/findings",
        {
            "summary": "Chi sai quy định",
            "violation_signs": True,
            "recommendation": "Đề nghị thu hồi khoản chi",
            "category": "land",
            "raised_on": "2024-04-10",
        },
    )
    found = recorded_so_far(dialogue)
    kien_nghi_id = finding["kien_nghi_id"]
    assignment = {"agency": "UBND phường", "due_on": "2024-05-10", "assigned_on": "2024-04-11"}
    ok(dialogue, f"/kien-nghi/{kien_nghi_id}/assignment", assignment)
    conclusion = {"conclusion": "Đã kết luận", "concluded_on": "2024-04-30"}
    ok(dialogue, f"/supervisions/{case_id}/conclusion", conclusion)
    concluded = recorded_so_far(dialogue)
    resolution = {"resolution": "Đã thu hồi", "resolved_on": "2024-05-05"}
    ok(dialogue, f"/kien-nghi/{kien_nghi_id}/resolution", resolution)
    resolved = recorded_so_far(dialogue)

    def chain(as_of: str | None) -> tuple[int, ...]:
        t = total(aggregator, "inspection-chain", **({"as_of": as_of} if as_of else {}))
        return t["cases"], t["with_violation_signs"], t["recommended"], t["resolved"]

    assert chain(started) == (1, 0, 0, 0)
    assert chain(found) == (1, 1, 1, 0)
    assert chain(concluded) == (1, 1, 1, 0)
    assert chain(resolved) == (1, 1, 1, 1) == chain(None)
    report = get(aggregator, "/reports/inspection-chain", as_of=found)
    assert report["report"] == "inspection_chain" and "as_of" in report

    def supervisions(as_of: str) -> tuple[int, ...]:
        t = total(aggregator, "supervisions", as_of=as_of)
        return t["activities"], t["with_findings"], t["concluded"], t["resolved"]

    assert supervisions(found) == (1, 1, 0, 0)
    assert supervisions(concluded) == (1, 1, 1, 0)
    assert supervisions(resolved) == (1, 1, 1, 1)
    # reopened after: as of then resolved, now no longer
    reopening = {"reason": "Chưa thu hồi đủ", "reopened_on": "2024-05-20"}
    ok(dialogue, f"/kien-nghi/{kien_nghi_id}/reopening", reopening)
    assert chain(None) == (1, 1, 1, 0)
    assert chain(resolved) == (1, 1, 1, 1)
    assert chain(found) == (1, 1, 1, 0)


def test_a_model_discontinued_later_still_counts_as_of_before(
    registry: TestClient, aggregator: TestClient
) -> None:
    model_id = register(registry, unit_code="00004", registered_on="2021-03-01")
    recognise(registry, model_id)  # a model is replicated once recognised
    registry.post(
        f"/models/{model_id}/replications",
        json={"to_unit_code": "00007", "replicated_on": "2021-08-01"},
    ).raise_for_status()
    replicated = recorded_so_far(registry)
    registry.post(
        f"/models/{model_id}/discontinuation",
        json={"reason": "Hết kinh phí", "discontinued_on": "2023-01-01"},
    ).raise_for_status()
    discontinued = recorded_so_far(registry)

    def covered(**params: Any) -> int:
        body = get(aggregator, "/reports/models/coverage", unit="001", on="2023-06-01", **params)
        return int(body["covered"])

    assert covered(as_of=replicated) == 2  # not yet discontinued as recorded then
    assert covered(as_of=discontinued) == 0 == covered()
    assert covered(as_of=replicated, field="new_rural") == 2
    coverage = get(aggregator, "/reports/models/coverage", unit="01", as_of=replicated)
    assert (
        coverage["on"] == datetime.fromisoformat(replicated).astimezone(VIETNAM).date().isoformat()
    )
    assert "as_of" in coverage and "as_of" not in get(
        aggregator, "/reports/models/coverage", unit="01"
    )

    def counts(as_of: str | None) -> tuple[int, ...]:
        t = total(aggregator, "models", **({"as_of": as_of} if as_of else {}))
        return t["registered"], t["recognised"], t["replicated"], t["discontinued"]

    assert counts(replicated) == (1, 1, 1, 0)
    assert counts(discontinued) == (1, 1, 1, 1) == counts(None)
    by_field = total(aggregator, "models", group_by="field", as_of=replicated)
    assert by_field["discontinued"] == 0 and by_field["registered"] == 1


def test_a_dialogue_held_later_is_scheduled_only_as_of_before(
    dialogue: TestClient, aggregator: TestClient
) -> None:
    dialogue_id = created(dialogue, "/dialogues", dialogue_body(scheduled_on="2024-03-01"))
    scheduled = recorded_so_far(dialogue)
    held = {"held_on": "2024-03-01", "participants": 120, "summary": "Tiếp thu 15 ý kiến"}
    ok(dialogue, f"/dialogues/{dialogue_id}/held", held)

    def figures(as_of: str | None) -> tuple[int, ...]:
        t = total(aggregator, "dialogues", **({"as_of": as_of} if as_of else {}))
        return t["scheduled"], t["held"], t["participants"]

    assert figures(scheduled) == (1, 0, 0)
    assert figures(None) == (1, 1, 120)
    compared = get(aggregator, "/reports/dialogues", period="2024", compare="2023", as_of=scheduled)
    assert (compared["total"]["held"], compared["compare"]["total"]["held"]) == (0, 0)


def test_an_award_conferred_later_is_not_counted_as_of_before(
    registry: TestClient, aggregator: TestClient
) -> None:
    before = datetime.now(UTC).isoformat()
    award = {
        "award": "medal_dan_van",
        "recipient_kind": "individual",
        "recipient": "Nguyễn Thị Bích Ngọc",
        "unit_code": "06652",
        "conferred_by": "central",
        "conferred_on": "2021-12-17",
        "reason": "Thành tích công tác dân vận",
    }
    assert registry.post("/awards", json=award, headers=ADMIN).status_code == 201
    conferred = recorded_so_far(registry)
    assert total(aggregator, "awards", as_of=before)["conferred"] == 0
    assert total(aggregator, "awards", as_of=conferred)["conferred"] == 1
    assert total(aggregator, "awards")["conferred"] == 1


def test_overdue_as_of_a_moment_counts_from_that_moments_date(aggregator: TestClient) -> None:
    """Records made long ago (versions written straight into the read model, as the projection
    would have): as of a day, overdue compares the due date with that day."""
    kien_nghi_id = str(uuid4())
    unit = {
        "unit_code": "00004",
        "unit_structure": "legacy",
        "level": "commune",
        "province_code": "01",
        "district_code": "001",
        "unit_2025_code": "00004",
        "level_2025": "commune",
        "province_2025_code": "01",
    }

    def at(day: str) -> datetime:  # stored in UTC, as the projections store them
        return datetime.fromisoformat(f"{day}T10:00:00+07:00").astimezone(UTC)

    received = dict(
        id=kien_nghi_id,
        source="citizen_reception",
        category="land",
        received_on=date(2024, 5, 2),
        status="received",
        reopened=0,
        content="Đề nghị",
        channel="api",
        **unit,
    )
    assigned = {
        **received,
        "status": "assigned",
        "agency": "UBND phường",
        "assigned_on": date(2024, 5, 3),
        "due_on": date(2024, 6, 1),
    }
    resolved = {**assigned, "status": "resolved", "resolved_on": date(2024, 7, 1)}
    versions = [
        (received, 1, at("2024-05-02"), at("2024-05-03")),
        (assigned, 2, at("2024-05-03"), at("2024-07-01")),
        (resolved, 3, at("2024-07-01"), None),
    ]
    sessions = app_of(aggregator).state.sessions
    cubes_compacted(aggregator)
    with sessions.begin() as session:
        for values, position, valid_from, valid_to in versions:
            session.add(
                KienNghiRow(
                    **values,
                    position=10**12 + position,
                    valid_from=valid_from,
                    valid_to=valid_to,
                )
            )
        session.flush()
        fill_all(session.connection())  # as the follower recounts what it changed

    def figures(as_of: str) -> tuple[int, ...]:
        t = total(aggregator, "kien-nghi", as_of=as_of)
        return t["received"], t["open"], t["overdue"], t["resolved"]

    assert figures("2024-05-01") == (0, 0, 0, 0)
    assert figures("2024-05-02") == (1, 1, 0, 0)  # the end of that day in Vietnam
    assert figures("2024-05-31") == (1, 1, 0, 0)  # due tomorrow
    assert figures("2024-06-01") == (1, 1, 0, 0)  # due today
    assert figures("2024-06-02") == (1, 1, 1, 0)
    assert figures("2024-07-01T09:59:59+07:00") == (1, 1, 1, 0)
    assert figures("2024-07-01T03:00:00Z") == (1, 0, 0, 1)  # 10:00 in Vietnam
    assert figures("2024-07-01T10:00:00") == (1, 0, 0, 1)  # no zone: Vietnam's
    assert total(aggregator, "kien-nghi")["resolved"] == 1


def test_as_of_in_the_future_or_malformed_gets_422_naming_it(aggregator: TestClient) -> None:
    ahead = (datetime.now(UTC) + timedelta(minutes=5)).isoformat()
    tomorrow = (datetime.now(VIETNAM).date() + timedelta(days=1)).isoformat()
    paths = [
        ("/reports/models", {}),
        ("/reports/dialogues", {}),
        ("/reports/supervisions", {}),
        ("/reports/inspection-chain", {}),
        ("/reports/kien-nghi", {}),
        ("/reports/awards", {}),
        ("/reports/models/coverage", {"unit": "01"}),
        ("/kien-nghi", {}),
    ]
    for path, params in paths:
        for value in (ahead, tomorrow, "yesterday", "2024-13-01"):
            response = aggregator.get(path, params={**params, "as_of": value})
            assert response.status_code == 422, (path, value, response.text)
            assert response.json()["error"]["field"] == "as_of", (path, value)
    today = datetime.now(VIETNAM).date().isoformat()
    body = get(aggregator, "/reports/models", as_of=today)  # today: now
    assert datetime.fromisoformat(body["as_of"]) <= datetime.now(UTC)
    assert "as_of" not in get(aggregator, "/reports/models", group_by="unit")


def test_as_of_is_no_filter_and_shows_in_files(
    registry: TestClient, aggregator: TestClient
) -> None:
    register(registry, unit_code="00004")
    moment = recorded_so_far(registry)
    body = get(aggregator, "/reports/models", group_by="unit", as_of=moment)
    assert body["filters"] == {} and body["rows"][0]["registered"] == 1
    vietnam_time = datetime.fromisoformat(moment).astimezone(VIETNAM).isoformat(timespec="seconds")
    for path, params in (("/reports/models", {}), ("/reports/models/coverage", {"unit": "01"})):
        xlsx = aggregator.get(path, params={**params, "as_of": moment, "format": "xlsx"})
        assert xlsx.status_code == 200, xlsx.text
        sheet = load_workbook(io.BytesIO(xlsx.content))["Thông tin"]
        # (label, value) rows: openpyxl types a row as a tuple of any length
        info = dict(cast("Iterator[tuple[Any, Any]]", sheet.iter_rows(values_only=True)))
        assert info["Số liệu tính đến"] == vietnam_time
    csv = aggregator.get("/reports/models", params={"as_of": moment, "format": "csv"})
    assert csv.status_code == 200


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-07-01", datetime(2024, 7, 1, 23, 59, 59, 999999, VIETNAM)),
        ("20240701", datetime(2024, 7, 1, 23, 59, 59, 999999, VIETNAM)),
        ("2024-07-01T10:00:00", datetime(2024, 7, 1, 10, tzinfo=VIETNAM)),
        ("2024-07-01T03:00:00Z", datetime(2024, 7, 1, 10, tzinfo=VIETNAM)),
        ("2024-07-01T10:00:00 07:00", datetime(2024, 7, 1, 10, tzinfo=VIETNAM)),  # unencoded +
        ("2024-07-01 10:00", datetime(2024, 7, 1, 10, tzinfo=VIETNAM)),
        (None, None),
    ],
)
def test_as_of_parses_dates_and_timestamps(text: str | None, expected: datetime | None) -> None:
    assert parse_as_of(text) == expected


def test_as_of_of_today_is_now() -> None:
    now = datetime(2024, 7, 1, 3, 0, tzinfo=UTC)
    assert parse_as_of("2024-07-01", now) == now
    with pytest.raises(InvalidInput):
        parse_as_of("2024-07-02", now)
