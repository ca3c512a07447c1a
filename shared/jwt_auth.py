"""People sign in at an identity provider (a ministry's, say); we verify its JWTs with its key
set (JWKS, from a URL or a file), through PyJWT. Claims: sub, a role, the units in scope, and
for an agency's clerk the agency it works for (`agency`, a string as kiến nghị are assigned).
The issuer and audience are required settings and always checked: a key set may sign for
other systems too, and their tokens are not ours."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import jwt

from shared.messages import MESSAGES
from shared.principal import Principal, Role

log = logging.getLogger("danvan.auth")
ALGORITHMS = ["RS256", "ES256", "EdDSA", "PS256"]
# at start-up, for whoever runs the service: both languages at once
JWT_SETTINGS_MISSING = " / ".join(MESSAGES["jwt_settings_missing"])


class JwtVerifier:
    def __init__(
        self,
        jwks: str,
        *,
        issuer: str | None,
        audience: str | None,
        role_claim: str = "role",
        units_claim: str = "units",
        agency_claim: str = "agency",
    ) -> None:
        if not issuer or not audience:
            raise ValueError(JWT_SETTINGS_MISSING)
        self.issuer, self.audience = issuer, audience
        self.role_claim, self.units_claim = role_claim, units_claim
        self.agency_claim = agency_claim
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

    def claims_of(self, token: str) -> dict[str, Any] | None:
        """The token's claims once it verifies (signature, expiry, issuer, audience)."""
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                self._key(token),
                algorithms=ALGORITHMS,
                issuer=self.issuer,
                audience=self.audience,
                options={"require": ["exp", "sub", "iss", "aud"]},
            )
        except (jwt.PyJWTError, KeyError, ValueError) as exc:
            log.info("JWT refused: %s", exc)
            return None
        return claims

    def principal_for(self, token: str) -> Principal | None:
        """The principal the token names, or None when it does not verify."""
        claims = self.claims_of(token)
        if claims is None:
            return None
        agency = claims.get(self.agency_claim)
        if agency is not None and not (isinstance(agency, str) and agency.strip()):
            log.info("JWT refused: the %s claim is not a name", self.agency_claim)
            return None
        try:
            return Principal(
                str(claims["sub"]),
                Role(claims[self.role_claim]),
                tuple(str(u) for u in claims.get(self.units_claim, ())),
                agency=agency,
            )
        except (KeyError, ValueError, TypeError) as exc:
            log.info("JWT refused: %s", exc)
            return None
