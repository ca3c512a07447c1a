"""GET /followers/wait when an upstream is down: 503 naming it, never a 500."""

from __future__ import annotations

import httpx
from fastapi.testclient import TestClient

from services.aggregator.main import create_app
from services.processes import free_port
from shared.settings import Settings
from tests.conftest import bearer


def test_waiting_for_the_head_of_an_upstream_that_is_down_is_503(settings: Settings) -> None:
    down = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    feeds = {name: httpx.Client(base_url=down, timeout=1) for name in ("registry", "dialogue")}
    with TestClient(create_app(settings, feeds), headers=bearer("auditor")) as aggregator:
        response = aggregator.get("/followers/wait", params={"registry": "", "timeout": 1})
        assert response.status_code == 503, response.text
        error = response.json()["error"]
        assert error["code"] == "upstream_unavailable" and error["params"] == {
            "upstream": "registry"
        }
