"""Unmodified GeoReport v2 clients from PyPI against the three services under uvicorn.

civicbot (a test dependency: pure Python, none of its own) drives the whole flow in JSON: the
service list, a definition and its attributes, POST, tokens, one request, a list. georeport
reads the same in XML; it pins xmltodict below 0.15, which has a published vulnerability, so
it is installed apart (pip install --target) and run in a subprocess with that folder on its
path, never in the project's environment; skipped when it cannot be installed, except in CI
(DANVAN_REQUIRE_POSTGRES), where that fails. Neither knows servicerequestupdates: httpx reads
it in both formats, by the field names FixMyStreet reads.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import xmltodict
from civicbot.http import HttpError, HttpTransport, RateLimiter
from civicbot.open311 import Open311Client, ValidationError
from civicbot.registry import Endpoint

from services.processes import Service, running_system
from shared.settings import Settings
from shared.vietnam_time import today_in_vietnam
from tests.conftest import bearer
from tests.open311.helpers import CENTRE, LAT, LONG, PERSONAL

pytestmark = pytest.mark.e2e

GEOREPORT = "georeport==0.3.1"
UPDATE_FIELDS = {
    "update_id",
    "service_request_id",
    "status",
    "external_status_code",
    "updated_datetime",
    "description",
    "media_url",
}
# what georeport is asked in XML; prints what it got as JSON
GEOREPORT_READS = """
import json, sys
from georeport import GeoReport
client = GeoReport(sys.argv[1], output_format="xml")
print(json.dumps({
    "services": client.get_service_list(),
    "definition": client.get_service_definition("infrastructure"),
    "request": client.get_service_request(sys.argv[2]),
    "requests": client.get_service_requests(service_code="infrastructure", status="closed"),
}))
"""


@pytest.fixture(scope="session")
def georeport_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("georeport")
    command = [sys.executable, "-m", "pip", "install", "-q", "--target", str(target), GEOREPORT]
    installed = subprocess.run(command, capture_output=True, text=True, timeout=600)
    if installed.returncode != 0:
        reason = f"could not install {GEOREPORT}: {installed.stderr[-2000:]}"
        if os.environ.get("DANVAN_REQUIRE_POSTGRES"):
            pytest.fail(reason)
        pytest.skip(reason)
    return target


@pytest.fixture
def services(settings: Settings) -> Iterator[tuple[Service, Service]]:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    with running_system(settings, settings.data_dir) as (_, dialogue, aggregator):
        yield dialogue, aggregator


def caught_up(aggregator: Service) -> None:
    waited = httpx.get(
        f"{aggregator.url}/followers/wait",
        params={"dialogue": "", "timeout": 30},
        headers=bearer("auditor"),
        timeout=60,
    )
    assert waited.status_code == 200, waited.text


def officer_steps(dialogue: Service, request_id: str) -> None:
    """The officer's own API assigns and resolves the kiến nghị."""
    due = (today_in_vietnam() + timedelta(days=7)).isoformat()
    path = f"{dialogue.url}/kien-nghi/{request_id}"
    officer = bearer("officer")
    for step, body in (
        ("assignment", {"agency": "UBND phường Ba Đình", "due_on": due}),
        ("resolution", {"resolution": "Đã vá ổ gà"}),
    ):
        response = httpx.post(f"{path}/{step}", json=body, headers=officer, timeout=30)
        assert response.status_code == 200, response.text


def test_civicbot_and_georeport_go_through_the_whole_flow(
    services: tuple[Service, Service], georeport_dir: Path
) -> None:
    dialogue, aggregator = services
    base = f"{dialogue.url}/open311/v2"
    endpoint = Endpoint(id="danvan", name="danvan", base_url=base, write=True)
    client = Open311Client(endpoint, HttpTransport(rate_limiter=RateLimiter(0)), "01")

    # the service list and a definition, as any client reads them: no api_key
    services_list = client.list_services()
    assert [s["service_code"] for s in services_list][:2] == ["land", "environment"]
    assert {s["service_code"] for s in services_list if s["metadata"]} == {
        "infrastructure",
        "urban_order",
        "environment",
    }
    definition = client.get_service_definition("infrastructure")
    assert [a["code"] for a in definition["attributes"]] == ["damage_kind", "immediate_danger"]

    # civicbot checks the form against the definition before sending: ours is usable
    form = {
        "lat": float(LAT),
        "lng": float(LONG),
        "description": "Ổ gà lớn trên đường Hoàng Hoa Thám",
        "email": PERSONAL["email"],
        "media_url": PERSONAL["media_url"],
    }
    send = {"dry_run": False, "confirm": "SEND", "api_key": "token-citizen"}
    with pytest.raises(ValidationError, match="damage_kind"):
        client.create_request("infrastructure", validate_remote=True, **send, **form)
    with pytest.raises(ValidationError, match="meteor"):
        client.create_request(
            "infrastructure", validate_remote=True, attributes={"damage_kind": "meteor"}, **form
        )
    posted = client.create_request(
        "infrastructure",
        validate_remote=True,
        attributes={"damage_kind": "pothole", "immediate_danger": "yes"},
        **send,
        **form,
    )
    [created] = posted.response
    request_id = created["service_request_id"]
    environment = client.create_request(
        "environment",
        validate_remote=True,
        attributes={"pollution_kind": ["air", "noise"]},  # attribute[pollution_kind][]
        **send,
        **{**form, "description": "Khói và tiếng ồn từ xưởng"},
    )
    assert environment.response[0]["service_request_id"] != request_id
    with pytest.raises(HttpError) as refused:  # the server checks too: 400
        client.create_request("urban_order", **send, **form)
    assert refused.value.status == 400 and "encroachment_kind" in refused.value.body

    # tokens and one request: the public view, the commune only
    assert client.get_token(created["token"]) == [
        {"service_request_id": request_id, "token": created["token"]}
    ]
    request = client.get_request(request_id)
    assert request is not None and request["status"] == "open"
    assert (request["lat"], request["long"], request["address_id"]) == (*CENTRE, "00004")
    assert request["media_url"] is None

    officer_steps(dialogue, request_id)
    caught_up(aggregator)
    listed = client.list_requests(service_code="infrastructure", page_size=10)
    assert [r["service_request_id"] for r in listed] == [request_id]
    assert listed[0]["status"] == "closed" and listed[0]["lat"] == CENTRE[0]

    # servicerequestupdates, which neither client knows, in both formats
    updates = httpx.get(f"{base}/servicerequestupdates.json", params={"jurisdiction_id": "01"})
    assert updates.status_code == 200, updates.text
    found = [u for u in updates.json() if u["service_request_id"] == request_id]
    assert [set(u) for u in found] == [UPDATE_FIELDS, UPDATE_FIELDS]
    assert [(u["status"], u["description"]) for u in found][1] == ("closed", "Đã vá ổ gà")
    xml = httpx.get(f"{base}/servicerequestupdates.xml")
    assert xml.headers["content-type"] == "text/xml; charset=utf-8"
    parsed = xmltodict.parse(xml.text, force_list=("request_update",))
    items = parsed["service_request_updates"]["request_update"]
    assert [u["update_id"] for u in items if u["service_request_id"] == request_id] == [
        u["update_id"] for u in found
    ]

    # georeport reads the same in XML, from its own folder
    environ = {**os.environ, "PYTHONPATH": str(georeport_dir)}
    ran = subprocess.run(
        [sys.executable, "-c", GEOREPORT_READS, base, request_id],
        capture_output=True,
        text=True,
        timeout=120,
        env=environ,
    )
    assert ran.returncode == 0, ran.stderr
    read: dict[str, Any] = json.loads(ran.stdout)
    assert [s["service_code"] for s in read["services"]][:2] == ["land", "environment"]
    assert read["services"][2]["metadata"] == "true"
    attributes = read["definition"]["attributes"]["attribute"]
    assert [a["code"] for a in attributes] == ["damage_kind", "immediate_danger"]
    assert attributes[0]["values"]["value"][0] == {
        "key": "pothole",
        "name": "Ổ gà, sụt lún mặt đường",
    }
    assert read["request"]["service_request_id"] == request_id
    assert (read["request"]["status"], read["request"]["lat"]) == ("closed", str(CENTRE[0]))
    assert read["requests"]["service_request_id"] == request_id  # one: a dict
