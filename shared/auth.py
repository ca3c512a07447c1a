"""Who is calling: bearer tokens stored hashed (issued and revoked by an admin), or signed JWTs
from an identity provider; roles and unit scopes. Every refusal is recorded."""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import Request

from shared.errors import Unauthenticated
from shared.principal import Principal, Role
from shared.private_files import write_private

log = logging.getLogger("danvan.auth")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class TokenStore:
    """A JSON file of {sha256(token): {id, role, units, agency, issued_at, revoked_at}}.

    Only hashes are kept; the file is re-read when it changes, so a revocation takes effect
    in every running service at its next request.
    """

    path: Path
    _entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    _mtime: float = -1.0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _refresh(self) -> None:
        try:
            mtime = self.path.stat().st_mtime
        except FileNotFoundError:
            self._entries, self._mtime = {}, -1.0
            return
        if mtime != self._mtime:
            with self._lock:
                self._entries = json.loads(self.path.read_text(encoding="utf-8"))
                self._mtime = mtime

    def _write(self, entries: dict[str, dict[str, Any]]) -> None:
        text = json.dumps(entries, ensure_ascii=False, indent=1)
        write_private(self.path, text.encode("utf-8"))  # 0600; readers never see half a file

    def principal_for(self, token: str) -> Principal | None:
        return self.principal_for_hash(hash_token(token))

    def principal_for_hash(self, token_hash: str) -> Principal | None:
        """The live token of that hash's principal (a dashboard session refers to it so)."""
        self._refresh()
        entry = self._entries.get(token_hash)
        if entry is None or entry.get("revoked_at"):
            return None
        return Principal(
            entry["id"],
            Role(entry["role"]),
            tuple(entry.get("units", ())),
            agency=entry.get("agency"),
        )

    def issue(
        self,
        principal_id: str,
        role: Role,
        units: list[str],
        token: str | None = None,
        *,
        agency: str | None = None,
    ) -> str:
        """Adds a token (random unless given) and returns it; only its hash is kept. agency:
        the agency a clerk works for."""
        token = token or secrets.token_urlsafe(32)
        self._refresh()
        entries = dict(self._entries)
        entries[hash_token(token)] = {
            "id": principal_id,
            "role": str(role),
            "units": units,
            "agency": agency,
            "issued_at": datetime.now(UTC).isoformat(),
            "revoked_at": None,
        }
        self._write(entries)
        return token

    def revoke(self, principal_id: str) -> int:
        """Revokes every token of the principal; returns how many were live."""
        self._refresh()
        entries = {k: dict(v) for k, v in self._entries.items()}
        now = datetime.now(UTC).isoformat()
        live = [e for e in entries.values() if e["id"] == principal_id and not e.get("revoked_at")]
        for entry in live:
            entry["revoked_at"] = now
        self._write(entries)
        return len(live)

    def listing(self) -> list[dict[str, Any]]:
        self._refresh()
        return [dict(e) for e in self._entries.values()]


def bearer_credential(header: str | None) -> str | None:
    """The credential of an `Authorization: Bearer <credential>` header: the scheme in any
    case, whitespace around either part ignored; None for another scheme or none at all."""
    parts = (header or "").split(None, 1)
    if len(parts) == 2 and parts[0].lower() == "bearer":
        return parts[1].strip() or None
    return None


def principal_for_credential(request: Request, credential: str) -> Principal | None:
    """Whose token or JWT this is, if it is live and valid; looked up once per request (the
    rate limit asks before authentication does)."""
    cached = getattr(request.state, "credential_principal", None)
    if cached is not None and cached[0] == credential:
        principal: Principal | None = cached[1]
        return principal
    store: TokenStore = request.app.state.tokens
    principal = store.principal_for(credential)
    verifier = getattr(request.app.state, "jwt", None)
    if principal is None and verifier is not None and credential.count(".") == 2:
        principal = verifier.principal_for(credential)
    request.state.credential_principal = (credential, principal)
    return principal


def authenticate(request: Request) -> Principal:
    """Authorization: Bearer <token or JWT>, and nothing else: no cookie (the dashboard keeps
    its own server-side sessions)."""
    credential = bearer_credential(request.headers.get("authorization"))
    principal = principal_for_credential(request, credential) if credential else None
    if principal is None:
        raise Unauthenticated("unauthenticated")
    client = request.headers.get("x-client-id") or request.headers.get("user-agent")
    principal = principal.with_client(client)
    request.state.principal = principal  # for the record of a refusal
    return principal
