"""The report cubes answer exactly what the facts answer: every report, grouped by each of its
dimensions and by pairs, over whole months, rolled up onto 2025 or not, filtered, within an
officer's scope; and the live follower's recounts leave the cubes as a full fill makes them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from itertools import combinations
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from services.aggregator.cubes import CUBES, fill_all
from services.aggregator.reports.engine import ReportQuery, run_report
from services.aggregator.reports.sources import SOURCES
from services.scenarios.loader import load_scenario
from shared.periods import parse_period
from shared.settings import Settings
from tests.aggregator.test_rebuild import write_every_kind_of_change
from tests.helpers import catch_up

PERIODS = (None, "2021", "2024-Q2", "2025-07", "term:2020-2025/1", "2016-01-01..2025-06-30")
FILTERS: dict[str, list[dict[str, str]]] = {
    "models": [{"field": "economy"}, {"sector": "state"}, {"province": "01"}],
    "kien_nghi": [{"status": "resolved"}, {"agency": "UBND phường"}, {"province": "79"}],
    "supervisions": [{"kind": "social_criticism"}, {"district": "001"}],
    "dialogues": [{"kind": "periodic"}, {"year": "2024"}],
    "awards": [{"conferred_by": "central"}],
}
SCOPES: tuple[tuple[str, ...] | None, ...] = (None, ("01",), ("001", "79"))


@pytest.fixture
def written(
    settings: Settings, registry: TestClient, dialogue: TestClient, aggregator: TestClient
) -> TestClient:
    load_scenario(settings, "national", scale=0.001, progress=False)
    write_every_kind_of_change(registry, dialogue)
    catch_up(aggregator, minutes=5)
    return aggregator


def queries(name: str) -> Iterator[ReportQuery]:
    dimensions = list(SOURCES[name].dimensions)
    groupings = [(), *((d,) for d in dimensions), *combinations(dimensions, 2)]
    today = date(2024, 6, 15)  # some kiến nghị open and overdue, some not yet due
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


@contextmanager
def statements(session: Session) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(*args: Any) -> None:
        seen.append(args[2])  # the statement

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_every_report_from_the_cubes_equals_it_from_the_facts(written: TestClient) -> None:
    app: Any = written.app
    from_cubes = 0
    with app.state.sessions() as session:
        for name, source in SOURCES.items():
            for query in queries(name):
                expected = run_report(session, source, query, app.state.catalog, cubes=False)
                with statements(session) as seen:
                    report = run_report(session, source, query, app.state.catalog)
                assert report == expected, (name, query)
                from_cubes += all("cube_" in sql for sql in seen)
    # dimensions a cube has not (the commune) and periods of part months read the facts
    assert from_cubes > 200


def test_the_cubes_answer_nationwide_and_province_reports_the_facts_commune_and_part_months(
    written: TestClient,
) -> None:
    app: Any = written.app
    source = SOURCES["models"]
    with app.state.sessions() as session:
        for query, cube in (
            (ReportQuery(group_by=("province",)), True),
            (ReportQuery(group_by=("field", "year"), filters={"province": "01"}), True),
            (ReportQuery(group_by=("district",), scope=("79",)), True),
            (ReportQuery(group_by=("year",), filters={"unit": "00004"}), False),
            (ReportQuery(group_by=("province",), scope=("00004",)), False),
            (ReportQuery(period=parse_period("2021-01-01..2021-01-15")), False),
        ):
            with statements(session) as seen:
                report = run_report(session, source, query, app.state.catalog)
            assert seen and all(("cube_" in sql) is cube for sql in seen), query
            assert (
                report["total"]
                == (run_report(session, source, query, app.state.catalog, cubes=False)["total"])
            )


def test_the_live_recounts_leave_the_cubes_as_a_full_fill_makes_them(
    written: TestClient,
) -> None:
    app: Any = written.app
    with app.state.sessions.begin() as session:
        live = {cube.name: Counter(session.execute(select(cube.table)).all()) for cube in CUBES}
        fill_all(session.connection())
        filled = {cube.name: Counter(session.execute(select(cube.table)).all()) for cube in CUBES}
    assert all(live.values())
    assert live == filled
