"""Open311 requests as the specification's examples make them: forms in, JSON or XML out."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import xmltodict
from fastapi.testclient import TestClient

from shared.auth import TokenStore
from shared.principal import Role
from shared.vietnam_time import today_in_vietnam

Response = Any  # TestClient's responses (httpx2) or httpx's

V2 = "/open311/v2"
# what a citizen's app sends; none of it but the description may be stored in clear
PERSONAL = {
    "email": "nguyen.thi.lan@example.vn",
    "first_name": "Lan",
    "last_name": "Nguyễn Thị",
    "phone": "+84 912 345 678",
    "device_id": "device-7f3a",
    "media_url": "https://anh.example.vn/o-ga-hoang-hoa-tham.jpg",
}
LAT, LONG = "21.0368", "105.8346"  # in Phường Ba Đình, Hà Nội (2025), not at its centre
CENTRE = (21.0386, 105.838)  # the commune's centre, as the unit catalog has it


def spec_form(**overrides: Any) -> dict[str, Any]:
    form: dict[str, Any] = {
        "api_key": "token-citizen",
        "service_code": "infrastructure",
        "attribute[damage_kind]": "pothole",
        "lat": LAT,
        "long": LONG,
        **PERSONAL,
        "description": "Ổ gà lớn trên đường Hoàng Hoa Thám, nguy hiểm cho xe máy",
    }
    form.update(overrides)
    return {k: v for k, v in form.items() if v is not None}


def post(client: TestClient, fmt: str = "json", /, **overrides: Any) -> Response:
    headers = overrides.pop("headers", None)
    return client.post(f"{V2}/requests.{fmt}", data=spec_form(**overrides), headers=headers)


def submitted(client: TestClient, **overrides: Any) -> str:
    response = post(client, **overrides)
    assert response.status_code == 200, response.text
    request_id: str = response.json()[0]["service_request_id"]
    return request_id


def read(client: TestClient, path: str, fmt: str = "json", **params: Any) -> Response:
    """A GET as the specification makes it: no api_key unless one is given."""
    return client.get(f"{V2}/{path}.{fmt}", params=params)


def one_request(client: TestClient, request_id: str, **params: Any) -> dict[str, Any]:
    response = read(client, f"requests/{request_id}", **params)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()
    assert len(items) == 1
    return items[0]


def xml_items(response: Response, root: str, item: str) -> list[dict[str, Any]]:
    assert response.headers["content-type"] == "text/xml; charset=utf-8"
    assert response.text.startswith('<?xml version="1.0" encoding="utf-8"?>')
    parsed = xmltodict.parse(response.text, force_list=(item,))[root]
    return list((parsed or {}).get(item, []))


def errors(response: Response, status: int) -> list[str]:
    """The Open311 error array of a response (JSON or XML), checked against its status."""
    assert response.status_code == status, response.text
    if response.headers["content-type"].startswith("text/xml"):
        found = xml_items(response, "errors", "error")
        assert all(int(e["code"]) == status for e in found)
    else:
        found = response.json()
        assert isinstance(found, list)
        assert all(e["code"] == status and set(e) == {"code", "description"} for e in found)
    assert found
    return [str(e["description"]) for e in found]


def assign_and_resolve(client: TestClient, request_id: str) -> str:
    """The officer API moves the kiến nghị; returns the due day."""
    due = (today_in_vietnam() + timedelta(days=10)).isoformat()
    path = f"/kien-nghi/{request_id}"
    body = {"agency": "UBND phường Ba Đình", "due_on": due}
    assert client.post(f"{path}/assignment", json=body).status_code == 200
    resolved = client.post(f"{path}/resolution", json={"resolution": "Đã vá ổ gà ngày 3/7"})
    assert resolved.status_code == 200, resolved.text
    return due


def another_citizen(settings: Any, name: str = "citizen2") -> str:
    """A second citizen's api_key (the running services read the token file anew)."""
    TokenStore(settings.token_path).issue(f"{name}-1", Role.CITIZEN, [], token=f"token-{name}")
    return f"token-{name}"
