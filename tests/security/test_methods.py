"""Every path of every service, asked with a method it does not serve: 405 in the API's error
format, with `Allow` naming every method served there (RFC 9110 §15.5.6), whichever route
serves it: Starlette names only the first route matching the path."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient

from services.aggregator.main import create_app as create_aggregator
from services.dialogue.main import create_app as create_dialogue
from services.registry.main import create_app as create_registry
from shared.settings import Settings
from tests.conftest import bearer

METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE")
NO_WAITING = {"wait": "0", "timeout": "0"}  # long polls answer at once


def paths_of(app: FastAPI) -> set[str]:
    """Every path the app's routes serve, its parameters filled in."""
    return {
        re.sub(r"\{[^}]+\}", "00000000-0000-0000-0000-000000000000", route.path)
        for route in iter_route_contexts(app.routes)
        if route.methods and route.path
    }


@pytest.fixture(scope="module")
def apps(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, FastAPI]]:
    settings = Settings(
        _env_file=None,
        data_dir=tmp_path_factory.mktemp("methods") / "data",
        json_logs=False,
    )
    registry, dialogue = create_registry(settings), create_dialogue(settings)
    aggregator = create_aggregator(
        settings, {"registry": TestClient(registry), "dialogue": TestClient(dialogue)}
    )
    yield {"registry": registry, "dialogue": dialogue, "aggregator": aggregator}


@pytest.mark.parametrize("service", ["registry", "dialogue", "aggregator"])
def test_an_unserved_method_is_405_naming_what_is_allowed(
    apps: dict[str, FastAPI], service: str
) -> None:
    client = TestClient(apps[service], headers=bearer("admin"), follow_redirects=False)
    paths = paths_of(apps[service])
    assert len(paths) > 10
    refused = 0
    for path in sorted(paths):
        answers = {m: client.request(m, path, params=NO_WAITING) for m in METHODS}
        served = {m for m, answer in answers.items() if answer.status_code != 405}
        for method, answer in answers.items():
            if answer.status_code != 405:
                continue
            refused += 1
            allowed = {m.strip() for m in answer.headers["allow"].split(",")}
            assert allowed == served, (method, path, allowed, served)
            if method == "HEAD":  # no body
                continue
            if path.startswith("/open311/"):  # the specification's own error format
                assert answer.json()[0]["code"] == 405, (method, path)
            else:
                assert answer.json()["error"]["code"] == "method_not_allowed", (method, path)
    assert refused > 3 * len(paths)
