"""The OpenAPI document tells the truth of every Open311 route: each answer's schema in JSON and
XML, each error status in the Open311 format, the formats a path takes; and what the routes
really answer validates against it."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator

from services.dialogue.attachments import ACCEPTED
from tests.helpers import catch_up
from tests.open311.helpers import V2, post, read, submitted

JSON, XML = "application/json", "text/xml"
ERRORS = {"$ref": "#/components/schemas/Open311Errors"}


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, item in document["paths"].items()
        if path.startswith("/open311")
        for method, operation in item.items()
    ]


def answer_schema(document: dict[str, Any], path: str, status: int, method: str = "get") -> Any:
    content = document["paths"][path][method]["responses"][str(status)]["content"]
    schema = content[JSON]["schema"]
    assert content.get(XML, {"schema": schema})["schema"] == schema  # one schema, two formats
    return schema


def assert_valid(document: dict[str, Any], path: str, response: Any, method: str = "get") -> None:
    schema = answer_schema(document, path, response.status_code, method)
    validator = Draft202012Validator({**schema, "components": document["components"]})
    errors = [e.message for e in validator.iter_errors(response.json())]
    assert not errors, (path, response.status_code, errors[:3])


def test_every_open311_answer_and_error_is_documented(dialogue: TestClient) -> None:
    document = dialogue.get("/openapi.json").json()
    found = operations(document)
    assert len(found) == 10
    for _, path, operation in found:
        responses = operation["responses"]
        assert not {"401", "422"} & set(responses), path  # Open311 answers 403 and 400
        ok = responses["200"]["content"]
        if path.endswith("/receipt.json"):  # ours, beside the standard: JSON only
            assert set(ok) == {JSON} and ok[JSON]["schema"] != {}
            assert responses["409"]["headers"]["Retry-After"]["required"]
        elif "/media/" in path:
            assert set(ok) == ACCEPTED
            assert all(c["schema"] == {"type": "string", "format": "binary"} for c in ok.values())
            assert responses["307"]["headers"]["Location"]["required"]
        else:
            assert set(ok) == {JSON, XML}, path
            assert ok[JSON]["schema"] == ok[XML]["schema"] != {}
            [format_parameter] = [p for p in operation["parameters"] if p["name"] == "format"]
            assert format_parameter["schema"]["enum"] == ["json", "xml"]
        for status, answer in responses.items():
            content = answer.get("content", {})
            if int(status) >= 400 and JSON in content:  # else uvicorn's own 400, in plain text
                assert content[JSON]["schema"] == ERRORS, (path, status)
                if "/media/" not in path and not path.endswith("/receipt.json"):
                    assert content[XML]["schema"] == ERRORS, (path, status)
        assert "404" in responses
    post_statuses = set(document["paths"][f"{V2}/requests.{{format}}"]["post"]["responses"])
    assert post_statuses == {"200", "400", "403", "404", "409", "413", "429"}
    schemas = document["components"]["schemas"]
    assert schemas["Open311Errors"]["xml"] == {"name": "errors", "wrapped": True}
    assert schemas["Open311ServiceRequest"]["xml"] == {"name": "request"}


def test_every_reference_resolves(dialogue: TestClient) -> None:
    document = dialogue.get("/openapi.json").json()
    schemas = document["components"]["schemas"]

    def refs(value: Any) -> list[str]:
        if isinstance(value, dict):
            own = [value["$ref"]] if "$ref" in value else []
            return own + [r for v in value.values() for r in refs(v)]
        if isinstance(value, list):
            return [r for v in value for r in refs(v)]
        return []

    for _, _, operation in operations(document):
        for ref in refs(operation):
            assert ref.removeprefix("#/components/schemas/") in schemas, ref
    for ref in refs(schemas):
        assert ref.removeprefix("#/components/schemas/") in schemas, ref


def test_what_the_routes_answer_is_what_the_document_says(
    dialogue: TestClient, aggregator: TestClient
) -> None:
    document = dialogue.get("/openapi.json").json()
    created = post(dialogue)
    assert_valid(document, f"{V2}/requests.{{format}}", created, "post")
    request_id = created.json()[0]["service_request_id"]
    submitted(dialogue, publish_location_and_media="true")
    catch_up(aggregator)
    answers = {
        "services.{format}": read(dialogue, "services"),
        "services/{service_code}.{format}": read(dialogue, "services/infrastructure"),
        "requests.{format}": read(dialogue, "requests", api_key="token-officer"),
        "requests/{service_request_id}.{format}": read(dialogue, f"requests/{request_id}"),
        "tokens/{token}.{format}": read(dialogue, f"tokens/{request_id}"),
        "servicerequestupdates.{format}": read(dialogue, "servicerequestupdates"),
    }
    for path, response in answers.items():
        assert response.status_code == 200, (path, response.text)
        assert_valid(document, f"{V2}/{path}", response)
    assert len(answers["requests.{format}"].json()) == 2
    discovery = dialogue.get("/open311/discovery.json")
    assert_valid(document, "/open311/discovery.{format}", discovery)
    refused = read(dialogue, "services/potholes")
    assert_valid(document, f"{V2}/services/{{service_code}}.{{format}}", refused)


def test_media_errors_are_json_whatever_the_id_ends_with(dialogue: TestClient) -> None:
    refused = dialogue.get(f"{V2}/media/abc.xml", params={"expires": 1, "signature": "x"})

    assert refused.status_code == 403
    assert refused.headers["content-type"] == "application/json; charset=utf-8"
    assert refused.json()[0]["description"].startswith("signature: ")
