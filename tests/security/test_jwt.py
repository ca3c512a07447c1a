"""People sign in at an identity provider; its JWTs are verified against its key set."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi.testclient import TestClient

from services.registry.main import create_app as create_registry
from shared.settings import Settings
from testkit.records import model_body


def key_pair() -> tuple[Any, dict[str, Any]]:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(private.public_key()))
    return private, {**public, "kid": "ministry-1", "use": "sig", "alg": "RS256"}


def token(private: Any, **claims: Any) -> str:
    body = {
        "sub": "nguyen.van.a",
        "role": "officer",
        "units": ["001"],
        "iss": "https://idp.gov.vn",
        "aud": "danvan",
        "exp": int(time.time()) + 600,
        **claims,
    }
    return jwt.encode(body, private, algorithm="RS256", headers={"kid": "ministry-1"})


def test_a_signed_jwt_from_the_configured_key_set_is_a_principal(
    settings: Settings, tmp_path: Path
) -> None:
    private, public = key_pair()
    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps({"keys": [public]}))
    configured = settings.model_copy(
        update={"jwt_jwks": str(jwks), "jwt_issuer": "https://idp.gov.vn", "jwt_audience": "danvan"}
    )
    with TestClient(create_registry(configured)) as registry:

        def post(credential: str, unit: str = "00004") -> int:
            return registry.post(
                "/models",
                json=model_body(unit_code=unit),
                headers={"Authorization": f"Bearer {credential}"},
            ).status_code

        assert post(token(private)) == 201
        created = registry.post(
            "/models", json=model_body(), headers={"Authorization": f"Bearer {token(private)}"}
        ).json()
        history = registry.get(
            f"/models/{created['id']}/history", headers={"Authorization": "Bearer token-auditor"}
        ).json()
        assert history["items"][0]["data"]["actor"]["id"] == "nguyen.van.a"
        assert post(token(private), unit="00040") == 403  # Hoàn Kiếm: outside Ba Đình
        assert post(token(private, exp=int(time.time()) - 10)) == 401
        assert post(token(private, aud="another-system")) == 401
        assert post(token(private, iss="https://evil.example")) == 401
        stranger, _ = key_pair()
        assert post(token(stranger)) == 401
        assert post(token(private, role="superuser")) == 401
