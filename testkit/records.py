"""Request bodies of records, for tests and the fault harness."""

from __future__ import annotations

from typing import Any


def model_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": "Dân vận khéo trong xây dựng nông thôn mới",
        "description": "Vận động nhân dân hiến đất làm đường",
        "unit_code": "00004",  # Phường Trúc Bạch, Ba Đình, Hà Nội (before 1 July 2025)
        "body": "Hội LHPN phường Trúc Bạch",
        "sector": "front_and_unions",
        "fields": ["new_rural", "economy"],
        "year": 2021,
        "registered_on": "2021-03-01",
    }
    body.update(overrides)
    return body
