"""Attachments: images and PDFs, content-addressed, sealed under their citizen's key.

A file is named by the SHA-256 of its content and kept (encrypted) in an fsspec filesystem:
the data folder by default, object storage when DANVAN_ATTACHMENTS_URL says so (s3://… with
s3fs installed). Events refer to attachments by that hash only.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID, uuid5

import filetype
import fsspec
import orjson

from shared.commands import DANVAN_NAMESPACE
from shared.errors import InvalidInput, NotFound
from shared.personal_data import PersonalDataVault

ACCEPTED = {"image/jpeg", "image/png", "image/webp", "image/heic", "application/pdf"}
SHA256_HEX = 64


def evidence_subject(citizen: str | None, kien_nghi_id: UUID) -> str:
    """Whose key seals the evidence of a kiến nghị's answers: its citizen's (erased with the
    rest of their data), or one of its own."""
    return citizen or str(uuid5(DANVAN_NAMESPACE, f"kien-nghi-evidence/{kien_nghi_id}"))


@dataclass(frozen=True)
class Attachment:
    sha256: str
    media_type: str
    size: int


class AttachmentStore:
    def __init__(self, url: str, vault: PersonalDataVault, max_bytes: int) -> None:
        self.fs, self.root = fsspec.core.url_to_fs(url)
        self.fs.makedirs(self.root, exist_ok=True)
        self.vault, self.max_bytes = vault, max_bytes

    def _path(self, sha256: str, subject: str) -> str:
        return f"{self.root}/{sha256[:2]}/{sha256}.{subject}"

    def put(self, content: bytes, subject: str, declared_type: str | None) -> Attachment:
        """Checks size and the type the bytes really are (not the one declared), then stores."""
        if not content:
            raise InvalidInput("attachment_empty", field="file")
        if len(content) > self.max_bytes:
            raise InvalidInput("attachment_too_large", field="file", limit=self.max_bytes)
        kind = filetype.guess(content)
        media_type = kind.mime if kind else None
        if media_type not in ACCEPTED:
            raise InvalidInput(
                "attachment_type",
                field="file",
                value=media_type or declared_type,
                accepted=", ".join(sorted(ACCEPTED)),
            )
        sha256 = hashlib.sha256(content).hexdigest()
        path = self._path(sha256, subject)
        if not self.fs.exists(path) or not self._opens(path, subject):
            # new, or sealed under a key erased since: sealed again under the present key
            self.fs.makedirs(path.rpartition("/")[0], exist_ok=True)
            meta = {"media_type": media_type, "size": len(content)}
            sealed = self.vault.seal_bytes(subject, content)
            with self.fs.open(path, "wb") as blob:
                blob.write(sealed)
            with self.fs.open(f"{path}.json", "wb") as sidecar:
                sidecar.write(orjson.dumps(meta))
        return Attachment(sha256, media_type, len(content))

    def _opens(self, path: str, subject: str) -> bool:
        with self.fs.open(path, "rb") as blob:
            return self.vault.open_bytes(subject, blob.read()) is not None

    def holds(self, sha256: str, subject: str) -> bool:
        return len(sha256) == SHA256_HEX and bool(self.fs.exists(self._path(sha256, subject)))

    def describe(self, sha256: str, subject: str) -> Attachment:
        if not self.holds(sha256, subject):
            raise NotFound("attachment_not_found", id=sha256)
        with self.fs.open(f"{self._path(sha256, subject)}.json", "rb") as sidecar:
            meta = orjson.loads(sidecar.read())
        return Attachment(sha256, meta["media_type"], meta["size"])

    def get(
        self, sha256: str, subject: str, recorded_at: datetime | None = None
    ) -> tuple[Attachment, bytes]:
        """The attachment's bytes; NotFound once its citizen has been erased. For a record made
        at recorded_at, also NotFound when the subject's key is younger than the record: the
        record's own key was erased, and the same file uploaded since belongs to later records.
        """
        made = self.vault.key_made_at(subject)
        if made is None or (recorded_at is not None and made > recorded_at):
            raise NotFound("attachment_not_found", id=sha256)
        described = self.describe(sha256, subject)
        with self.fs.open(self._path(sha256, subject), "rb") as blob:
            content = self.vault.open_bytes(subject, blob.read())
        if content is None:
            raise NotFound("attachment_not_found", id=sha256)
        return described, content
