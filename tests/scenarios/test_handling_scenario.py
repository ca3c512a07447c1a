"""The demo's handling scenario takes kiến nghị through every channel and every handling step,
and the seeds' records stay what they were: the steps draw from a generator of their own."""

from __future__ import annotations

from collections import Counter

from fastapi.testclient import TestClient

from services.scenarios.loader import load_scenario
from shared.settings import Settings
from tests.conftest import bearer
from tests.helpers import feed

STEPS = {
    "Received",
    "Acknowledged",
    "Classified",
    "Assigned",
    "Transferred",
    "ExtensionRequested",
    "ExtensionGranted",
    "ExtensionRefused",
    "Escalated",
    "MergedInto",
    "DuplicateAttached",
    "Resolved",
    "Declined",
    "Rated",
    "Reopened",
}


def test_the_handling_scenario_exercises_every_channel_and_step(
    settings: Settings, dialogue: TestClient
) -> None:
    assert load_scenario(settings, "handling", scale=0.5, progress=False) is not None
    items = [i for i in feed(dialogue, bearer("auditor")) if i["type"].startswith("KienNghi.")]
    steps = Counter(i["type"].removeprefix("KienNghi.") for i in items)
    assert set(steps) >= STEPS, STEPS - set(steps)
    channels = {i["data"].get("channel") for i in items if i["type"] == "KienNghi.Received"}
    assert channels == {"api", "app", "open311"}
    priorities = {i["data"]["priority"] for i in items if i["type"] == "KienNghi.Classified"}
    assert priorities == {"urgent", "complex"}
    assert steps["Received"] == 300 and steps["MergedInto"] == steps["DuplicateAttached"]
