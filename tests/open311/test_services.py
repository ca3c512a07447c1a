"""GET services, a service definition and discovery: the kiến nghị categories as services."""

from __future__ import annotations

from fastapi.testclient import TestClient

from services.dialogue.vocabulary import KIEN_NGHI_CATEGORY_NAMES_VI, KienNghiCategory
from tests.open311.helpers import V2, errors, xml_items

FIELDS = {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}


def test_services_are_the_categories(dialogue: TestClient) -> None:
    response = dialogue.get(f"{V2}/services.json")  # public: no api_key needed

    assert response.status_code == 200, response.text
    services = response.json()
    assert [s["service_code"] for s in services] == [str(c) for c in KienNghiCategory]
    assert all(set(s) == FIELDS for s in services)
    assert all(s["metadata"] is False and s["type"] == "realtime" for s in services)
    land = services[0]
    assert land["service_name"] == KIEN_NGHI_CATEGORY_NAMES_VI[KienNghiCategory.LAND]
    assert "đất" in land["keywords"] and land["group"] == "Tài nguyên và môi trường"

    english = dialogue.get(f"{V2}/services.json", headers={"Accept-Language": "en"}).json()
    assert english[0]["service_name"] == "Land"


def test_services_in_xml(dialogue: TestClient) -> None:
    services = xml_items(dialogue.get(f"{V2}/services.xml"), "services", "service")

    assert len(services) == len(KienNghiCategory)
    assert services[0]["service_code"] == "land"
    assert services[0]["metadata"] == "false"
    assert dialogue.get(f"{V2}/services.xml", params={"jurisdiction_id": "01"}).status_code == 200


def test_service_definition(dialogue: TestClient) -> None:
    response = dialogue.get(f"{V2}/services/environment.json")
    assert response.status_code == 200, response.text
    assert response.json() == {"service_code": "environment", "attributes": []}

    xml = dialogue.get(f"{V2}/services/environment.xml")
    assert "<attributes/>" in xml.text
    assert "<service_code>environment</service_code>" in xml.text

    assert "potholes" in errors(dialogue.get(f"{V2}/services/potholes.json"), 404)[0]
    assert errors(dialogue.get(f"{V2}/services/potholes.xml"), 404)


def test_discovery(dialogue: TestClient) -> None:
    found = dialogue.get("/open311/discovery.json").json()

    [endpoint] = found["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2")
    assert endpoint["formats"] == ["text/xml", "application/json"]
    xml = dialogue.get("/open311/discovery.xml").text
    assert "<format>text/xml</format><format>application/json</format>" in xml
