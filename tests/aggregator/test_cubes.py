"""The report cubes answer exactly what the facts answer: every report, grouped by each of its
dimensions and by pairs, over whole months, rolled up onto 2025 or not, filtered, within an
officer's scope; and the live follower's compactions leave the cubes as a full fill makes them."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from itertools import combinations
from typing import Any, cast

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Table, bindparam, event, select, update
from sqlalchemy.orm import Session

from services.aggregator import cubes as cubes_module
from services.aggregator import follower as follower_module
from services.aggregator.cubes import CUBES, KIEN_NGHI_OPEN, fill_all
from services.aggregator.reports.engine import ReportQuery, run_report
from services.aggregator.reports.sources import SOURCES
from services.aggregator.tables import AwardFact, DialogueFact, KienNghiRow, ModelFact
from services.scenarios.loader import load_scenario
from shared.periods import parse_period
from shared.settings import Settings
from shared.vietnam_time import VIETNAM
from tests.aggregator.test_rebuild import write_every_kind_of_change
from tests.conftest import POSTGRES_SLOW
from tests.helpers import catch_up, cubes_compacted

PERIODS = (None, "2021", "2024-Q2", "2025-07", "term:2020-2025/1", "2016-01-01..2025-06-30")
FILTERS: dict[str, list[dict[str, str]]] = {
    "models": [{"field": "economy"}, {"sector": "state"}, {"province": "01"}],
    "kien_nghi": [{"status": "resolved"}, {"agency": "UBND phường"}, {"province": "79"}],
    "supervisions": [{"kind": "social_criticism"}, {"district": "001"}],
    "dialogues": [{"kind": "periodic"}, {"year": "2024"}],
    "awards": [{"conferred_by": "central"}],
}
SCOPES: tuple[tuple[str, ...] | None, ...] = (None, ("01",), ("001", "79"))
AS_OF = (
    datetime(2021, 7, 1, tzinfo=UTC),  # a month's first moment
    datetime(2024, 3, 15, 12, 30, tzinfo=VIETNAM),  # within a month, another zone
    datetime(2030, 1, 1, tzinfo=UTC),  # after everything
)


@pytest.fixture(scope="module")
def written(
    module_settings: Settings,
    module_registry: TestClient,
    module_dialogue: TestClient,
    module_aggregator: TestClient,
) -> TestClient:
    """Written once per store for the tests that only read it."""
    load_scenario(module_settings, "national", scale=0.001, progress=False)
    write_every_kind_of_change(module_registry, module_dialogue)
    catch_up(module_aggregator, minutes=5)
    cubes_compacted(module_aggregator)
    recorded_over_the_decade(module_aggregator)
    return module_aggregator


def recorded_over_the_decade(aggregator: TestClient) -> None:
    """As if each fact had been recorded some days after it happened (a scenario records all
    of them today), so that reports as of a past moment split between cubes and facts; the
    cubes counted again, as a rebuild would. The followers are idle: nothing else writes."""
    app: Any = aggregator.app
    with app.state.sessions.begin() as session:
        for table in (ModelFact, DialogueFact, AwardFact):
            facts = session.execute(select(table.event_id, table.occurred_on)).all()
            moments = [
                {
                    "key": event_id,
                    "at": datetime.combine(day, time(10, 15), UTC)
                    + timedelta(days=n % 40, hours=n % 24),
                }
                for n, (event_id, day) in enumerate(facts)
            ]
            statement = (
                update(cast(Table, table.__table__))
                .where(table.__table__.c.event_id == bindparam("key"))
                .values(recorded_at=bindparam("at"))
            )
            session.connection().execute(statement, moments)
        fill_all(session.connection())


def days_asked(session: Session) -> list[date]:
    """A fixed day, and the day after one an open kiến nghị is due on, in the same month: its
    overdue count is the facts' part of a report from the cubes (they keep due months)."""
    due = session.scalars(
        select(KienNghiRow.due_on)
        .where(KienNghiRow.valid_to.is_(None), KienNghiRow.status.in_(KIEN_NGHI_OPEN))
        .order_by(KienNghiRow.due_on)
    )
    in_month = [day + timedelta(days=1) for day in due if day is not None and day.day < 28]
    return [date(2024, 6, 15), in_month[len(in_month) // 2]]


def queries(name: str, today: date) -> Iterator[ReportQuery]:
    dimensions = list(SOURCES[name].dimensions)
    groupings = [(), *((d,) for d in dimensions), *combinations(dimensions, 2)]
    for n, group_by in enumerate(groupings):
        structures = ["recorded"] if "district" in group_by else ["recorded", "2025"]
        period = PERIODS[n % len(PERIODS)]
        for structure in structures:
            yield ReportQuery(
                group_by=group_by,
                period=parse_period(period) if period else None,
                structure=structure,
                today=today,
            )
    for filters in FILTERS[name]:
        for period in PERIODS:
            yield ReportQuery(
                group_by=("year",),
                period=parse_period(period) if period else None,
                filters=filters,
                today=today,
            )
    for scope in SCOPES:
        yield ReportQuery(group_by=("province",), scope=scope, today=today)
    for as_of in AS_OF:
        for group_by in (("province",), ("year", "level"), ("district",)):
            yield ReportQuery(group_by=group_by, as_of=as_of, today=today)
        yield ReportQuery(group_by=("quarter",), period=parse_period("2021"), as_of=as_of)


@contextmanager
def statements(session: Session) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(*args: Any) -> None:
        seen.append(args[2])  # the statement

    connection = session.connection()  # its own: the followers read and write meanwhile
    event.listen(connection, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(connection, "before_cursor_execute", record)


def test_every_report_from_the_cubes_equals_it_from_the_facts(written: TestClient) -> None:
    app: Any = written.app
    from_cubes = 0
    with app.state.sessions() as session:
        todays = days_asked(session)
        for name, source in SOURCES.items():
            for today in todays if name == "kien_nghi" else todays[:1]:
                for query in queries(name, today):
                    expected = run_report(session, source, query, app.state.catalog, cubes=False)
                    with statements(session) as seen:
                        report = run_report(session, source, query, app.state.catalog)
                    assert report == expected, (name, query)
                    # (kiến nghị: and the facts due in the month of the day asked)
                    from_cubes += all("cube_" in sql for sql in seen[:2])
    # dimensions a cube has not (the commune) and periods of part months read the facts
    assert from_cubes > 200


def test_the_narrowest_cube_that_can_answer_does_and_the_facts_answer_communes_and_part_months(
    written: TestClient,
) -> None:
    app: Any = written.app
    source = SOURCES["models"]
    with app.state.sessions() as session:
        for query, read in (
            (ReportQuery(group_by=("sector",)), "cube_models_nation_by_sector"),
            (ReportQuery(group_by=("year",), structure="2025"), "cube_models_nation"),
            (ReportQuery(group_by=("province",)), "cube_models"),
            (
                ReportQuery(group_by=("field", "year"), filters={"province": "01"}),
                "cube_models_by_field",
            ),
            (ReportQuery(group_by=("district",), scope=("79",)), "cube_models_by_district_code"),
            (ReportQuery(group_by=("year",), filters={"unit": "00004"}), None),
            (ReportQuery(group_by=("province",), scope=("00004",)), None),
            (ReportQuery(period=parse_period("2021-01-01..2021-01-15")), None),
        ):
            with statements(session) as seen:
                report = run_report(session, source, query, app.state.catalog)
            assert seen and all(("cube_" in sql) is (read is not None) for sql in seen), query
            if read is not None:  # the rows' statement (the total's reads the nationwide cube)
                assert re.search(rf"FROM {read}\b", seen[0]), (query, seen[0])
            assert (
                report["total"]
                == (run_report(session, source, query, app.state.catalog, cubes=False)["total"])
            )


def cube_contents(session: Session) -> dict[str, Counter[Any]]:
    return {cube.name: Counter(session.execute(cube.summed()).all()) for cube in CUBES}


def cube_rows(session: Session) -> dict[str, Counter[Any]]:
    return {cube.name: Counter(session.execute(select(cube.table)).all()) for cube in CUBES}


def write_while_following(
    settings: Settings, registry: TestClient, dialogue: TestClient, aggregator: TestClient
) -> None:
    load_scenario(settings, "national", scale=0.0005, progress=False)
    write_every_kind_of_change(registry, dialogue)
    catch_up(aggregator, minutes=5)


def rows_of_a_full_fill(session: Session) -> dict[str, Counter[Any]]:
    fill_all(session.connection())
    return cube_rows(session)


@POSTGRES_SLOW
def test_the_follower_s_deltas_sum_to_what_a_full_fill_counts_and_idle_it_compacts_them(
    settings: Settings,
    registry: TestClient,
    dialogue: TestClient,
    aggregator: TestClient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app: Any = aggregator.app
    followers = list(app.state.followers.values())
    for follower in followers:  # deltas only while this test writes
        monkeypatch.setattr(follower, "compact", lambda: None)
    write_while_following(settings, registry, dialogue, aggregator)
    with app.state.sessions() as session:
        with_deltas = cube_rows(session)
        live = cube_contents(session)
    monkeypatch.undo()  # the followers, idle, compact what they touched
    cubes_compacted(aggregator)
    with app.state.sessions.begin() as session:
        compacted = cube_rows(session)
        assert rows_of_a_full_fill(session) == compacted
        assert cube_contents(session) == live
    assert all(live.values())
    # closed versions left deltas that net to zero, and batches deltas of the same keys
    assert sum(map(len, with_deltas.values())) > sum(map(len, compacted.values()))


@POSTGRES_SLOW
def test_under_sustained_load_the_followers_still_compact_every_so_often(
    settings: Settings,
    registry: TestClient,
    dialogue: TestClient,
    aggregator: TestClient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app: Any = aggregator.app
    monkeypatch.setattr(follower_module, "COMPACT_WHEN_QUIET_FOR", float("inf"))  # never quiet
    monkeypatch.setattr(follower_module, "COMPACT_AT_LEAST_EVERY", 0.0)  # and due every batch
    monkeypatch.setattr(cubes_module, "COMPACT_CHUNK", 2)  # a batch's partitions in chunks
    write_while_following(settings, registry, dialogue, aggregator)
    cubes_compacted(aggregator, seconds=10)  # (the batch after it was applied)
    with app.state.sessions.begin() as session:
        compacted = cube_rows(session)
        assert rows_of_a_full_fill(session) == compacted
