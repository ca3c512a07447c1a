"""Personal data under a key per data subject (crypto-shredding).

A citizen's name, phone, email, address, device id and the like are sealed with AES-GCM under
that citizen's own key before they go into any event. The keys live in their own table, apart
from the event store; erasing a key leaves every copy of the history (store, feed, exports,
read models) holding ciphertext nobody can open, while every count stays as it was.
"""

from __future__ import annotations

import base64
import os
from datetime import UTC, datetime
from typing import Any

import orjson
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    Insert,
    LargeBinary,
    MetaData,
    String,
    Table,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite

PREFIX = "pd1"
metadata = MetaData()
subject_keys = Table(
    "subject_keys",
    metadata,
    Column("subject", String(64), primary_key=True),
    Column("key", LargeBinary, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)


class PersonalDataVault:
    """Seals and opens one data subject's personal data; erases a subject's key for good."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        metadata.create_all(engine)  # one table of keys, no read model: needs no migrations

    def _key(self, subject: str, create: bool) -> bytes | None:
        """The subject's key; with create, made if there is none. Two first seals at once both
        insert: one key wins, the other insert is ignored, and both read the winner."""
        wanted = select(subject_keys.c.key).where(subject_keys.c.subject == subject)
        with self.engine.begin() as connection:
            key = connection.scalar(wanted)
            if key is None and create:
                connection.execute(self._new_key(subject))
                key = connection.scalar(wanted)
            return bytes(key) if key is not None else None

    def _new_key(self, subject: str) -> Insert:
        insert = postgresql.insert if self.engine.dialect.name == "postgresql" else sqlite.insert
        values = {
            "subject": subject,
            "key": AESGCM.generate_key(bit_length=256),
            "created_at": datetime.now(UTC),
        }
        return (
            insert(subject_keys)
            .values(**values)
            .on_conflict_do_nothing(index_elements=[subject_keys.c.subject])
        )

    def key_made_at(self, subject: str) -> datetime | None:
        """When the subject's present key was made; None if it has none (never, or erased)."""
        with self.engine.connect() as connection:
            made: datetime | None = connection.scalar(
                select(subject_keys.c.created_at).where(subject_keys.c.subject == subject)
            )
        if made is not None and made.tzinfo is None:  # SQLite keeps no offset: it was UTC
            made = made.replace(tzinfo=UTC)
        return made

    def seal(self, subject: str, data: dict[str, Any]) -> str:
        """A token that names its subject and holds the data encrypted and authenticated."""
        return ".".join((PREFIX, subject, _b64(self.seal_bytes(subject, orjson.dumps(data)))))

    def open(self, token: str | None) -> dict[str, Any] | None:
        """The data, or None when there is none or its subject has been erased."""
        if not token:
            return None
        prefix, subject, sealed = token.split(".")
        plain = self.open_bytes(subject, _unb64(sealed)) if prefix == PREFIX else None
        if plain is None:
            return None
        data: dict[str, Any] = orjson.loads(plain)
        return data

    def seal_bytes(self, subject: str, content: bytes) -> bytes:
        """Nonce and ciphertext; the subject is bound in as associated data."""
        key = self._key(subject, create=True)
        assert key is not None
        nonce = os.urandom(12)
        return nonce + AESGCM(key).encrypt(nonce, content, subject.encode())

    def open_bytes(self, subject: str, sealed: bytes) -> bytes | None:
        key = self._key(subject, create=False)
        if key is None:
            return None
        try:
            return AESGCM(key).decrypt(sealed[:12], sealed[12:], subject.encode())
        except InvalidTag:
            return None

    def erase(self, subject: str) -> bool:
        """Deletes the subject's key; True if there was one."""
        with self.engine.begin() as connection:
            result = connection.execute(
                subject_keys.delete().where(subject_keys.c.subject == subject)
            )
            return bool(result.rowcount)

    def is_erased(self, subject: str) -> bool:
        return self._key(subject, create=False) is None

    def holds(self, subject: str) -> bool:
        """Whether the vault has a key for the subject: something is sealed under it."""
        return not self.is_erased(subject)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
