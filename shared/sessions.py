"""The dashboard's sessions, kept server-side in the security store.

A session is a random id (the cookie holds it, nothing else); the store keeps only its hash,
with the principal, an expiry and a reference to the credential it was opened with: a bearer
token by its hash (as the token file names it), a JWT by its expiry. A token revoked since, or
a JWT expired, ends the session at its next request. Sessions are not events: signing out
deletes the row, and expired rows are swept at each sign-in.

The credential itself is kept too, sealed (AES-GCM) under a key derived from the session id,
which the store never holds: the web app's work pages send each command to the write services
as the signed-in user, with the user's own credential (`credential_for`). Whoever reads the
store learns no credential; whoever holds the cookie already acts as the user.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Engine,
    ForeignKey,
    LargeBinary,
    MetaData,
    String,
    Table,
    select,
)

from shared.auth import TokenStore
from shared.principal import Principal, Role

SESSION_BYTES = 32
metadata = MetaData()
dashboard_sessions = Table(
    "dashboard_sessions",
    metadata,
    Column("id_hash", String(64), primary_key=True),
    Column("principal", String(128), nullable=False),
    Column("role", String(16), nullable=False),
    Column("units", JSON, nullable=False),
    Column("token_hash", String(64)),  # a bearer token's; None for a JWT
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)

# a table of its own: stores made before it get it from create_all, as a new column would not
sealed_credentials = Table(
    "dashboard_session_credentials",
    metadata,
    Column(
        "id_hash",
        String(64),
        ForeignKey("dashboard_sessions.id_hash", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("sealed", LargeBinary, nullable=False),  # nonce ‖ AES-GCM ciphertext
)
NONCE_BYTES = 12


@dataclass(frozen=True)
class Credential:
    """What a session was opened with, by reference: a token's hash, or a JWT's expiry."""

    token_hash: str | None = None
    expires_at: datetime | None = None


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def _sealing_key(session_id: str) -> AESGCM:
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"danvan session credential"
    ).derive(session_id.encode())
    return AESGCM(key)


def _seal(session_id: str, credential: str) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return nonce + _sealing_key(session_id).encrypt(nonce, credential.encode(), None)


def _open(session_id: str, sealed: bytes) -> str | None:
    try:
        opened = _sealing_key(session_id).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], None)
    except InvalidTag:
        return None
    return opened.decode()


class SessionStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        metadata.create_all(engine)

    def open(
        self,
        principal: Principal,
        credential: Credential,
        lifetime: timedelta,
        secret: str | None = None,
    ) -> tuple[str, datetime]:
        """A new session's id (for the cookie only, never stored) and when it ends; secret:
        the credential itself, kept sealed under the session id."""
        session_id = secrets.token_urlsafe(SESSION_BYTES)
        now = datetime.now(UTC)
        expires = now + lifetime
        if credential.expires_at is not None:
            expires = min(expires, credential.expires_at)
        with self.engine.begin() as connection:
            expired = select(dashboard_sessions.c.id_hash).where(
                dashboard_sessions.c.expires_at <= now
            )
            connection.execute(
                sealed_credentials.delete().where(sealed_credentials.c.id_hash.in_(expired))
            )
            connection.execute(
                dashboard_sessions.delete().where(dashboard_sessions.c.expires_at <= now)
            )
            connection.execute(
                dashboard_sessions.insert().values(
                    id_hash=_digest(session_id),
                    principal=principal.id,
                    role=str(principal.role),
                    units=list(principal.units),
                    token_hash=credential.token_hash,
                    created_at=now,
                    expires_at=expires,
                )
            )
            if secret is not None:
                connection.execute(
                    sealed_credentials.insert().values(
                        id_hash=_digest(session_id), sealed=_seal(session_id, secret)
                    )
                )
        return session_id, expires

    def credential_for(self, session_id: str) -> str | None:
        """The credential the session was opened with (None if it kept none): ask
        principal_for first, which ends a session whose credential no longer holds."""
        with self.engine.connect() as connection:
            sealed = connection.execute(
                select(sealed_credentials.c.sealed).where(
                    sealed_credentials.c.id_hash == _digest(session_id)
                )
            ).scalar()
        return None if sealed is None else _open(session_id, sealed)

    def principal_for(self, session_id: str, tokens: TokenStore) -> Principal | None:
        """The session's principal while it lasts and its credential holds; else None, and an
        ended session is deleted."""
        digest = _digest(session_id)
        with self.engine.connect() as connection:
            row = connection.execute(
                select(dashboard_sessions).where(dashboard_sessions.c.id_hash == digest)
            ).first()
        if row is None:
            return None
        expires_at = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=UTC)
        if expires_at <= datetime.now(UTC):
            self.close(session_id)
            return None
        if row.token_hash is not None:
            holder = tokens.principal_for_hash(row.token_hash)
            if holder is None or holder.id != row.principal:  # revoked since
                self.close(session_id)
                return None
            return holder
        return Principal(row.principal, Role(row.role), tuple(row.units))

    def close(self, session_id: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                sealed_credentials.delete().where(
                    sealed_credentials.c.id_hash == _digest(session_id)
                )
            )
            connection.execute(
                dashboard_sessions.delete().where(
                    dashboard_sessions.c.id_hash == _digest(session_id)
                )
            )
