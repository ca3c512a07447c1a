"""The suite's parallel runs keep the tests that share a live system on one worker
(tests/conftest.py marks them; --dist loadgroup schedules by the mark). pytest 9.2 silently
broke that (pytest-dev/pytest-xdist#1386): each worker then built every shared system again."""

from __future__ import annotations

import pytest


@pytest.mark.xdist_group("probe")
def test_a_grouped_test_is_scheduled_by_its_group(request: pytest.FixtureRequest) -> None:
    if not request.config.getoption("loadgroup", default=False):
        pytest.skip("not on an xdist worker with --dist loadgroup")
    assert request.node.nodeid.endswith("@probe")
