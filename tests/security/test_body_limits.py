"""Oversized bodies are refused before they are read, in the API's own error format."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import bearer

TOO_LARGE = b"x" * 1_500_000  # over the 1 MB cap for anything but attachments


def test_an_oversized_body_gets_413_in_the_error_format(
    registry: TestClient, dialogue: TestClient
) -> None:
    response = registry.post(
        "/models", content=TOO_LARGE, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
    english = registry.post(
        "/models",
        content=TOO_LARGE,
        headers={"Content-Type": "application/json", "Accept-Language": "en"},
    )
    assert english.json()["error"]["message"] == "The request body is too large."
    open311 = dialogue.post(
        "/open311/v2/requests.json",
        content=TOO_LARGE,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert open311.status_code == 413
    assert open311.json()[0]["code"] == 413


def test_attachments_may_be_larger_than_other_bodies(dialogue: TestClient) -> None:
    png = bytes.fromhex("89504e470d0a1a0a") + b"\0" * 1_500_000
    response = dialogue.post(
        "/app/attachments", files={"file": ("p.png", png, "image/png")}, headers=bearer("citizen")
    )
    assert response.status_code != 413, response.text
