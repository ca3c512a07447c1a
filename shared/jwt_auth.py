"""People sign in at an identity provider (a ministry's, say); we verify its JWTs with its key
set (JWKS, from a URL or a file), through PyJWT. Claims: sub, a role, and the units in scope."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import jwt

from shared.principal import Principal, Role

log = logging.getLogger("danvan.auth")
ALGORITHMS = ["RS256", "ES256", "EdDSA", "PS256"]


class JwtVerifier:
    def __init__(
        self,
        jwks: str,
        *,
        issuer: str | None = None,
        audience: str | None = None,
        role_claim: str = "role",
        units_claim: str = "units",
    ) -> None:
        self.issuer, self.audience = issuer, audience
        self.role_claim, self.units_claim = role_claim, units_claim
        if jwks.startswith(("http://", "https://")):
            self.client: jwt.PyJWKClient | None = jwt.PyJWKClient(jwks, cache_keys=True)
            self.keys: jwt.PyJWKSet | None = None
        else:
            self.client = None
            self.keys = jwt.PyJWKSet.from_dict(json.loads(Path(jwks).read_text(encoding="utf-8")))

    def _key(self, token: str) -> jwt.PyJWK:
        if self.client is not None:
            return self.client.get_signing_key_from_jwt(token)
        assert self.keys is not None
        kid = jwt.get_unverified_header(token).get("kid")
        return self.keys[kid] if kid else self.keys.keys[0]

    def principal_for(self, token: str) -> Principal | None:
        """The principal the token names, or None when it does not verify."""
        try:
            claims = jwt.decode(
                token,
                self._key(token),
                algorithms=ALGORITHMS,
                issuer=self.issuer,
                audience=self.audience,
                options={"require": ["exp", "sub"], "verify_aud": self.audience is not None},
            )
            return Principal(
                str(claims["sub"]),
                Role(claims[self.role_claim]),
                tuple(str(u) for u in claims.get(self.units_claim, ())),
            )
        except (jwt.PyJWTError, KeyError, ValueError) as exc:
            log.info("JWT refused: %s", exc)
            return None
