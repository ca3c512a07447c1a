"""Concurrent commands share transactions; a failing one fails alone; retries stay single."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import TypedDict
from uuid import UUID

import pytest

from services.registry.application import Registry
from shared.commands import Idempotency, Outcome
from shared.errors import Conflict, DanvanError, InvalidInput
from shared.principal import Principal, Role
from shared.settings import Settings
from shared.store_setup import made_event_store
from shared.units import load_catalog

ADMIN = Principal("admin", Role.ADMIN)


class ModelBody(TypedDict):
    """Registry.register_model's arguments besides the title, the actor and the key."""

    description: str
    unit_code: str
    body: str
    sector: str
    fields: list[str]
    year: int
    registered_on: date | None


BODY: ModelBody = {
    "description": "",
    "unit_code": "00004",
    "body": "Hội LHPN",
    "sector": "state",
    "fields": ["economy"],
    "year": 2021,
    "registered_on": date(2021, 3, 1),
}


@pytest.fixture
def registry(settings: Settings) -> Iterator[Registry]:
    app = Registry(env=made_event_store(settings, "registry"), catalog=load_catalog())
    app.start_group_commit()
    yield app
    app.close()


def concurrently(count: int, command: Callable[[int], Outcome]) -> list[Outcome | DanvanError]:
    gate = threading.Barrier(count)

    def run(i: int) -> Outcome | DanvanError:
        gate.wait()
        try:
            return command(i)
        except DanvanError as error:
            return error

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def test_concurrent_commands_share_transactions_and_each_gets_its_position(
    registry: Registry,
) -> None:
    results = concurrently(
        40, lambda i: registry.register_model(title=f"Mô hình {i}", **BODY, actor=ADMIN)
    )
    assert all(isinstance(r, Outcome) and r.position is not None for r in results)
    positions = [r.position for r in results if isinstance(r, Outcome)]
    assert len(set(positions)) == 40
    assert registry.group_commit is not None
    assert registry.group_commit.committed == 40 and registry.group_commit.batches < 40
    assert registry.head() == max(p for p in positions if p is not None)


def test_a_failing_command_in_a_batch_fails_alone(registry: Registry) -> None:
    model = UUID(registry.register_model(title="Gốc", **BODY, actor=ADMIN).response["id"])

    def command(i: int) -> Outcome:
        if i % 5 == 0:  # a stale version: refused with 409
            return registry.report_progress(
                model, summary=f"{i}", reported_on=None, actor=ADMIN, expected_version=99
            )
        if i % 7 == 0:  # a unit that does not exist: refused with 422
            unknown: ModelBody = {**BODY, "unit_code": "99999"}
            return registry.register_model(title="Sai", **unknown, actor=ADMIN)
        return registry.report_progress(model, summary=f"{i}", reported_on=None, actor=ADMIN)

    results = concurrently(30, command)
    refused = [r for r in results if isinstance(r, DanvanError)]
    assert {type(r) for r in refused} == {Conflict, InvalidInput}
    stale = [i for i in range(30) if i % 5 == 0]
    unknown_unit = [i for i in range(30) if i % 5 and i % 7 == 0]
    assert len(refused) == len(stale) + len(unknown_unit)
    done = [r for r in results if isinstance(r, Outcome)]
    assert registry.get_model(model).progress_reports == len(done) == 30 - len(refused)
    versions = sorted(r.response["version"] for r in done)
    assert versions == list(range(2, 2 + len(done)))  # every change applied once, in order


def test_retries_with_one_key_in_one_batch_make_one_record(registry: Registry) -> None:
    key = Idempotency.of("admin", "retry-1", {"title": "Một lần"})
    results = concurrently(
        20, lambda i: registry.register_model(title="Một lần", **BODY, actor=ADMIN, idempotency=key)
    )
    ids = {r.response["id"] for r in results if isinstance(r, Outcome)}
    assert len(ids) == 1
    registered = [
        n
        for n in registry.recorder.select_notifications(0, 1000)
        if n.topic.endswith("Model.Registered")
    ]
    assert len(registered) == 1


def test_a_retry_of_a_stored_key_in_a_batch_replays_and_the_rest_commit(
    registry: Registry,
) -> None:
    stored = Idempotency.of("admin", "stored", {"title": "Đã lưu"})
    reused = Idempotency.of("admin", "reused", {"title": "Đã lưu"})
    first = registry.register_model(title="Đã lưu", **BODY, actor=ADMIN, idempotency=stored)
    registry.register_model(title="Khác", **BODY, actor=ADMIN, idempotency=reused)
    other_body = Idempotency.of("admin", "reused", {"title": "Thân khác"})

    def command(i: int) -> Outcome:
        if i == 0:
            return registry.register_model(title="Đã lưu", **BODY, actor=ADMIN, idempotency=stored)
        if i == 1:  # the key again with another body: 409
            return registry.register_model(
                title="Thân khác", **BODY, actor=ADMIN, idempotency=other_body
            )
        key = Idempotency.of("admin", f"fresh-{i}", {"title": f"Mới {i}"})
        return registry.register_model(title=f"Mới {i}", **BODY, actor=ADMIN, idempotency=key)

    results = concurrently(20, command)
    assert isinstance(results[0], Outcome) and results[0].replayed
    assert results[0].response == first.response
    assert isinstance(results[1], Conflict)
    assert all(isinstance(r, Outcome) and r.position is not None for r in results[2:])
    registered = [
        n
        for n in registry.recorder.select_notifications(0, 1000)
        if n.topic.endswith("Model.Registered")
    ]
    assert len(registered) == 2 + 18
