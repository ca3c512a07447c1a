"""The aggregator's OpenAPI document tells the truth: every answer of its reports, lists and
follower endpoints is documented, and what the routes really answer conforms to it."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from fastapi.testclient import TestClient

from services.aggregator.rendering.files import XLSX_MEDIA_TYPE
from services.aggregator.reports.sources import SOURCES
from tests.dialogue.helpers import (
    created,
    dialogue_body,
    finding_body,
    kien_nghi_body,
    ok,
    supervision_body,
)
from tests.helpers import award_body, catch_up, recognise, register

REPORTS = {
    "/reports/models": "models",
    "/reports/dialogues": "dialogues",
    "/reports/supervisions": "supervisions",
    "/reports/inspection-chain": "supervisions",
    "/reports/kien-nghi": "kien_nghi",
    "/reports/awards": "awards",
}
FILES = ["/reports/models/coverage", *REPORTS]
LISTS = [
    "/kien-nghi",
    "/kien-nghi/service-requests",
    "/kien-nghi/status-changes",
    "/kien-nghi/changes",
]
FOLLOWERS = ["/followers", "/followers/wait"]


@pytest.fixture(scope="module")
def document(module_aggregator: TestClient) -> dict[str, Any]:
    answer: dict[str, Any] = module_aggregator.get("/openapi.json").json()
    return answer


@pytest.fixture(scope="module")
def records(
    module_registry: TestClient, module_dialogue: TestClient, module_aggregator: TestClient
) -> TestClient:
    """Something of every report, in two years (a comparison with figures on both sides), and a
    kiến nghị resolved and rated (an average); written once per store, the tests only read."""
    registry, dialogue, aggregator = module_registry, module_dialogue, module_aggregator
    for year in (2023, 2024):
        model = register(registry, year=year, registered_on=f"{year}-03-01")
        recognise(registry, model, on=f"{year}-06-01")
        created(dialogue, "/dialogues", dialogue_body(scheduled_on=f"{year}-05-01"))
    award = award_body(conferred_on="2024-09-01")
    assert registry.post("/awards", json=award).status_code == 201
    case = created(dialogue, "/supervisions", supervision_body())
    raised = ok(dialogue, f"/supervisions/{case}/findings", finding_body())["kien_nghi_id"]
    path = f"/kien-nghi/{raised}"
    assignment = {"agency": "UBND phường", "due_on": "2024-05-13", "assigned_on": "2024-05-03"}
    ok(dialogue, f"{path}/assignment", assignment)
    ok(dialogue, f"{path}/resolution", {"resolution": "Xong", "resolved_on": "2024-05-05"})
    ok(dialogue, f"{path}/rating", {"rating": 4, "rated_on": "2024-05-06"})
    created(dialogue, "/kien-nghi", kien_nghi_body(received_on="2023-05-02"))
    catch_up(aggregator)
    return aggregator


def operation(document: dict[str, Any], path: str) -> dict[str, Any]:
    found: dict[str, Any] = document["paths"][path]["get"]
    return found


def conform(document: dict[str, Any], path: str, body: Any) -> None:
    """The body validates against the documented 200 JSON answer, formats checked."""
    schema = operation(document, path)["responses"]["200"]["content"]["application/json"]
    validator = jsonschema.Draft202012Validator(
        {**schema["schema"], "components": document["components"]},
        format_checker=jsonschema.FormatChecker(),
    )
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(body)]
    assert not errors, (path, errors[:5])


@pytest.mark.parametrize("path", [*FILES, *LISTS, *FOLLOWERS])
def test_every_answer_has_a_schema(document: dict[str, Any], path: str) -> None:
    answered = operation(document, path)["responses"]["200"]
    for media_type in answered["content"].values():
        assert media_type["schema"] not in ({}, {"type": "object"}), path
    if path in FILES:
        assert set(answered["content"]) == {"application/json", "text/csv", XLSX_MEDIA_TYPE}
        assert "Content-Disposition" in answered["headers"]
    else:
        assert set(answered["content"]) == {"application/json"}


def test_errors_each_route_answers_are_declared(document: dict[str, Any]) -> None:
    def statuses(path: str) -> set[str]:
        return set(operation(document, path)["responses"])

    for path in [*REPORTS, *LISTS]:
        assert {"200", "422"} <= statuses(path), path
    assert {"200", "403", "422"} <= statuses("/reports/models/coverage")
    assert {"200", "404", "422", "504"} <= statuses("/followers/wait")
    for path in [*FILES, *LISTS, *FOLLOWERS]:
        for status, answer in operation(document, path)["responses"].items():
            assert answer["description"], (path, status)


def report_queries(source: str) -> list[dict[str, Any]]:
    """Each dimension alone and all of them, in both structures; with a comparison and figures
    for a locale, and as of a moment."""
    queries: list[dict[str, Any]] = []
    for structure in ("recorded", "2025"):
        dimensions = [
            name
            for name, dimension in SOURCES[source].dimensions.items()
            if not (structure == "2025" and dimension.recorded_only)
        ]
        for group_by in [None, ",".join(dimensions), *dimensions]:
            for extra in (
                {},
                {"period": "2024", "compare": "2023", "locale": "vi"},
                {"as_of": "2025-01-01", "locale": "en"},
            ):
                queries.append({"structure": structure, "group_by": group_by, **extra})
    return queries


@pytest.mark.parametrize("path", list(REPORTS))
def test_reports_answer_as_documented(
    records: TestClient, document: dict[str, Any], path: str
) -> None:
    for query in report_queries(REPORTS[path]):
        response = records.get(path, params={k: v for k, v in query.items() if v is not None})
        assert response.status_code == 200, (query, response.text)
        conform(document, path, response.json())


def test_coverage_lists_and_followers_answer_as_documented(
    records: TestClient, document: dict[str, Any]
) -> None:
    queries: list[tuple[str, dict[str, Any]]] = [
        ("/reports/models/coverage", {"unit": "01"}),
        ("/reports/models/coverage", {"unit": "001", "on": "2024-07-01", "locale": "vi"}),
        ("/reports/models/coverage", {"unit": "01", "structure": "2025", "as_of": "2025-08-01"}),
        ("/kien-nghi", {}),
        ("/kien-nghi", {"as_of": "2025-01-01", "state": "closed"}),
        ("/kien-nghi/service-requests", {}),
        (
            "/kien-nghi/status-changes",
            {"since": "2000-01-01T00:00:00Z", "until": "2999-01-01T00:00:00Z"},
        ),
        ("/followers", {}),
        ("/followers/wait", {"registry": "", "dialogue": "1"}),
        ("/kien-nghi/changes", {}),
        ("/kien-nghi/changes", {"agency": "UBND phường", "province": "01", "wait": "0.1"}),
    ]
    for path, query in queries:
        response = records.get(path, params=query)
        assert response.status_code == 200, (path, response.text)
        conform(document, path, response.json())
    changes = records.get("/kien-nghi/status-changes", params=queries[6][1]).json()["items"]
    assert changes, "a resolved kiến nghị has its steps"
    assert records.get("/kien-nghi/changes").json()["items"], "and they are in the change feed"


@pytest.mark.parametrize("path", FILES)
def test_files_come_with_their_documented_media_types(records: TestClient, path: str) -> None:
    query = {"unit": "01"} if "coverage" in path else {"group_by": "province"}
    for form, media_type in (("csv", "text/csv"), ("xlsx", XLSX_MEDIA_TYPE)):
        response = records.get(path, params={**query, "format": form})
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].split(";")[0] == media_type
        assert response.headers["content-disposition"].startswith("attachment; filename=")
