"""The national data set at a thousandth (about 10,000 events): every one of the 63 provinces,
2025 units from 1 July 2025 on, reports that count what the generator says it wrote, reruns that
write nothing, and an interrupted run completed by the next."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.scenarios import national
from services.scenarios.loader import load_scenario
from shared.settings import Settings
from shared.units import Level, Structure, load_catalog
from tests.conftest import POSTGRES_SLOW
from tests.helpers import catch_up

SCALE = 0.001
DECADE = {"from": "2016-01-01", "to": "2025-12-31"}
BEFORE_REFORM = {"from": "2016-01-01", "to": "2025-06-30"}
AFTER_REFORM = {"from": "2025-07-01", "to": "2025-12-31"}


def report(aggregator: TestClient, path: str, **params: Any) -> dict[str, Any]:
    response = aggregator.get(f"/reports/{path}", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def legacy_provinces() -> set[str]:
    return {
        u.code
        for u in load_catalog()
        if u.structure is Structure.LEGACY and u.level is Level.PROVINCE
    }


@POSTGRES_SLOW
def test_national_covers_the_63_provinces_and_the_reports_count_what_was_written(
    settings: Settings, aggregator: TestClient
) -> None:
    result = load_scenario(settings, "national", scale=SCALE, progress=False)
    assert result is not None
    tally: national.Tally = result["tally"]
    provinces = legacy_provinces()
    assert len(provinces) == 63
    assert {province for province, _ in tally.events} == provinces
    assert all(tally.events[(p, y)] > 0 for p in provinces for y in national.YEARS)
    assert result["events_written"] == sum(tally.events.values())
    assert result["parts_written"] == 63 * len(national.YEARS) * 2

    catch_up(aggregator, minutes=5)
    models = report(aggregator, "models", group_by="province", **DECADE)
    registered = {
        (row["unit_structure"], row["province"]): row["registered"]
        for row in models["rows"]
        if row["registered"]
    }
    assert registered == dict(tally.models)
    assert {p for s, p in registered if s == Structure.LEGACY} == provinces

    # what was recorded from 1 July 2025 names 2025 units, what was recorded before the old ones
    for path, metric in (
        ("models", "registered"),
        ("supervisions", "activities"),
        ("dialogues", "held"),
        ("kien-nghi", "received"),
        ("awards", "conferred"),  # a few dozen at this scale: maybe none after the reform
    ):
        for period, structure in ((AFTER_REFORM, "2025"), (BEFORE_REFORM, "legacy")):
            rows = report(aggregator, path, group_by="province", **period)["rows"]
            counted = [row for row in rows if row[metric]]
            assert counted or path == "awards", (path, structure)
            assert {row["unit_structure"] for row in counted} <= {structure}, (path, period)

    kinds = report(aggregator, "supervisions", group_by="kind", **DECADE)["rows"]
    activities = {row["kind"]: row["activities"] for row in kinds}
    assert activities == {
        kind: tally.records[kind] for kind in ("supervision", "social_criticism", "inspection_case")
    }
    assert report(aggregator, "dialogues", **DECADE)["total"]["held"] == tally.records["dialogues"]
    received = report(aggregator, "kien-nghi", **DECADE)["total"]["received"]
    assert received == tally.records["kien_nghi"]
    conferred = report(aggregator, "awards", **DECADE)["total"]["conferred"]
    assert conferred == tally.records["awards"]

    assert load_scenario(settings, "national", scale=SCALE, progress=False) is None


class Interrupted(Exception):
    pass


def test_an_interrupted_national_run_is_completed_by_the_next(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_part = national.dialogue_part
    parts = 0

    def failing(*args: Any) -> None:
        nonlocal parts
        parts += 1
        write_part(*args)  # the part's records are decided, not yet saved
        if parts == 100:
            raise Interrupted

    monkeypatch.setattr(national, "dialogue_part", failing)
    with pytest.raises(Interrupted):
        load_scenario(settings, "national", scale=SCALE, progress=False)
    monkeypatch.setattr(national, "dialogue_part", write_part)

    resumed = load_scenario(settings, "national", scale=SCALE, progress=False)
    assert resumed is not None
    # 99 dialogue parts and the 100 registry parts up to the failing one were saved whole
    assert resumed["parts_skipped"] == 99 + 100
    assert resumed["parts_written"] == 63 * len(national.YEARS) * 2 - 199

    fresh = Settings(
        _env_file=None,
        data_dir=settings.data_dir.parent / "fresh",
        database_url=None,
    )
    whole = load_scenario(fresh, "national", scale=SCALE, progress=False)
    assert whole is not None
    assert resumed["events_in_stores"] == whole["events_in_stores"]
    assert load_scenario(settings, "national", scale=SCALE, progress=False) is None
