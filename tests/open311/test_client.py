"""A real Open311 client from PyPI (georeport) against the dialogue service under uvicorn.

georeport pins xmltodict below 1.0, which the project uses, so it is not a test dependency:
install it apart (pip install --no-deps --target DIR georeport requests urllib3
charset_normalizer; PYTHONPATH=DIR) to run this; skipped otherwise. It has no POST, so the
request is posted as any form client would; it sends no api_key on reads, which this service
requires, so its reads get one added.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from shared.settings import Settings
from tests.conftest import bearer
from tests.e2e.processes import Service, service_env
from tests.open311.helpers import LAT, spec_form

georeport = pytest.importorskip("georeport")
requests = pytest.importorskip("requests")

pytestmark = pytest.mark.e2e


@pytest.fixture
def services(settings: Settings) -> Iterator[tuple[Service, Service]]:
    log_dir = settings.data_dir
    log_dir.mkdir(parents=True, exist_ok=True)
    registry = Service("registry", service_env(settings), log_dir).start()
    dialogue = Service("dialogue", service_env(settings), log_dir)
    aggregator = Service(
        "aggregator",
        service_env(settings, DANVAN_REGISTRY_URL=registry.url, DANVAN_DIALOGUE_URL=dialogue.url),
        log_dir,
    )
    dialogue.env["DANVAN_AGGREGATOR_URL"] = aggregator.url
    try:
        dialogue.start()
        aggregator.start()
        yield dialogue, aggregator
    finally:
        aggregator.stop()
        dialogue.stop()
        registry.stop()


def test_georeport_client_reads_what_a_form_posted(
    services: tuple[Service, Service], monkeypatch: pytest.MonkeyPatch
) -> None:
    dialogue, aggregator = services
    posted = httpx.post(f"{dialogue.url}/open311/v2/requests.json", data=spec_form(), timeout=30)
    assert posted.status_code == 200, posted.text
    request_id = posted.json()[0]["service_request_id"]
    waited = httpx.get(
        f"{aggregator.url}/followers/wait",
        params={"dialogue": "", "timeout": 30},
        headers=bearer("auditor"),
        timeout=60,
    )
    assert waited.status_code == 200, waited.text

    plain_get = requests.get

    def get_with_key(url: str, params: dict[str, Any] | None = None, **kw: Any) -> Any:
        return plain_get(url, params={**(params or {}), "api_key": "token-citizen"}, **kw)

    monkeypatch.setattr(requests, "get", get_with_key)
    for fmt in ("json", "xml"):
        client = georeport.GeoReport(f"{dialogue.url}/open311/v2", output_format=fmt)
        services_list = client.get_service_list()
        assert [s["service_code"] for s in services_list][:2] == ["land", "environment"]
        assert client.get_service_definition("land")["service_code"] == "land"
        request = client.get_service_request(request_id)
        assert request["service_request_id"] == request_id
        assert request["status"] == "open"
        assert str(request["lat"]) == LAT
        found = client.get_service_requests(service_code="infrastructure", status="open")
        found = found if isinstance(found, list) else [found]
        assert [r["service_request_id"] for r in found] == [request_id]
