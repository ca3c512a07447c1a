"""Who is calling: bearer tokens stored hashed, roles, and unit scopes."""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import Request

from shared.errors import Forbidden, Unauthenticated
from shared.principal import Principal, Role

log = logging.getLogger("danvan.auth")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class TokenStore:
    """A JSON file of {sha256(token): {id, role, units}}, re-read when it changes."""

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

    def principal_for(self, token: str) -> Principal | None:
        self._refresh()
        entry = self._entries.get(hash_token(token))
        if entry is None:
            return None
        return Principal(entry["id"], Role(entry["role"]), tuple(entry.get("units", ())))

    def issue(
        self, principal_id: str, role: Role, units: list[str], token: str | None = None
    ) -> str:
        """Adds a token (random unless given) and returns it; only its hash is kept."""
        token = token or secrets.token_urlsafe(32)
        self._refresh()
        entries = dict(self._entries)
        entries[hash_token(token)] = {"id": principal_id, "role": str(role), "units": units}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(entries, ensure_ascii=False, indent=1), encoding="utf-8")
        return token


def authenticate(request: Request) -> Principal:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    store: TokenStore = request.app.state.tokens
    principal = store.principal_for(token.strip()) if scheme.lower() == "bearer" else None
    if principal is None:
        raise Unauthenticated("unauthenticated")
    client = request.headers.get("x-client-id") or request.headers.get("user-agent")
    return Principal(principal.id, principal.role, principal.units, client)


def require_role(*roles: Role) -> Callable[[Request], Principal]:
    def dependency(request: Request) -> Principal:
        principal = authenticate(request)
        if principal.role not in roles:
            log.warning(
                "forbidden: %s (%s) on %s %s",
                principal.id,
                principal.role,
                request.method,
                request.url.path,
            )
            raise Forbidden("forbidden_role", role=str(principal.role))
        return principal

    return dependency
