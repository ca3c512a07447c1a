"""GET services, a service definition and discovery: the kiến nghị categories as services."""

from __future__ import annotations

import xmltodict
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
    assert all(s["type"] == "realtime" for s in services)
    with_fields = {s["service_code"] for s in services if s["metadata"] is True}
    assert with_fields == {"infrastructure", "urban_order", "environment"}
    assert all(s["metadata"] is False for s in services if s["service_code"] not in with_fields)
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


ATTRIBUTE_FIELDS = [
    "variable",
    "code",
    "datatype",
    "required",
    "datatype_description",
    "order",
    "description",
    "values",
]


def test_service_definition(dialogue: TestClient) -> None:
    response = dialogue.get(f"{V2}/services/infrastructure.json")
    assert response.status_code == 200, response.text
    definition = response.json()
    assert definition["service_code"] == "infrastructure"
    damage, danger = definition["attributes"]
    assert list(damage) == ATTRIBUTE_FIELDS
    assert (damage["code"], damage["datatype"], damage["required"]) == (
        "damage_kind",
        "singlevaluelist",
        True,
    )
    assert (damage["variable"], damage["order"], danger["order"]) == (True, 1, 2)
    assert damage["description"] == "Loại hư hỏng"
    assert {"key": "pothole", "name": "Ổ gà, sụt lún mặt đường"} in damage["values"]
    assert (danger["code"], danger["required"]) == ("immediate_danger", False)
    environment = dialogue.get(f"{V2}/services/environment.json").json()["attributes"]
    assert [(a["code"], a["datatype"]) for a in environment] == [
        ("pollution_kind", "multivaluelist")
    ]
    english = dialogue.get(
        f"{V2}/services/urban_order.json", headers={"Accept-Language": "en"}
    ).json()
    assert english["attributes"][0]["description"] == "Kind of encroachment"
    assert english["attributes"][0]["values"][0] == {
        "key": "pavement",
        "name": "Pavement encroachment",
    }

    xml = xmltodict.parse(
        dialogue.get(f"{V2}/services/infrastructure.xml").text,
        force_list=("attribute", "value"),
    )["service_definition"]
    [first, second] = xml["attributes"]["attribute"]
    assert (first["code"], first["required"], first["order"]) == ("damage_kind", "true", "1")
    assert first["values"]["value"][0] == {"key": "pothole", "name": "Ổ gà, sụt lún mặt đường"}
    assert second["variable"] == "true" and second["required"] == "false"

    none = dialogue.get(f"{V2}/services/land.json")
    assert none.json() == {"service_code": "land", "attributes": []}
    xml_none = dialogue.get(f"{V2}/services/land.xml")
    assert "<attributes/>" in xml_none.text
    assert "<service_code>land</service_code>" in xml_none.text

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
