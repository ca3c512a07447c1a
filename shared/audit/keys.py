"""The Ed25519 key that signs checkpoints.

Production names a PEM file (PKCS#8, unencrypted) with DANVAN_SIGNING_KEY_FILE, kept away from
the data folder and the database: whoever holds it can sign a rewritten chain. Without it, a key
is generated on first start as <data_dir>/signing-key.pem (its public half beside it as
signing-key.pub.pem) and a warning says so: demos and tests need no setup. Auditors verify with
the public key they obtained out of band, never only with the one the server hands out.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import logging
import os
import tempfile
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from shared.private_files import private_dir

log = logging.getLogger("danvan.audit")

GENERATED_NAME = "signing-key.pem"
PUBLIC_NAME = "signing-key.pub.pem"


def load_signing_key(configured: Path | None, data_dir: Path) -> Ed25519PrivateKey:
    """The configured key, or the one generated into the data folder (created if absent)."""
    if configured is not None:
        return _read_private(configured)
    path = data_dir / GENERATED_NAME
    if not path.exists() and _create(path, path.parent / PUBLIC_NAME):
        log.warning(
            "generated a checkpoint signing key at %s (public key: %s); "
            "set DANVAN_SIGNING_KEY_FILE to a key kept elsewhere in production",
            path,
            path.parent / PUBLIC_NAME,
        )
    return _read_private(path)


def load_or_create_key(path: Path) -> tuple[Ed25519PrivateKey, bool]:
    """The key in this PEM file, made first if there is none (True: made now)."""
    made = not path.exists() and _create(path, path.with_name(path.name + ".pub"))
    return _read_private(path), made


def _create(path: Path, public: Path) -> bool:
    """Writes a fresh key atomically; when two services start at once, the first one wins."""
    private_dir(path.parent)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".signing-key-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(pem)
        os.chmod(tmp, 0o600)  # mkstemp made it so already; kept explicit
        try:
            os.link(tmp, path)  # fails if another process created it meanwhile
        except FileExistsError:
            return False
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    public.write_bytes(public_pem(key.public_key()))
    return True


def _read_private(path: Path) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} is not an Ed25519 private key")
    return key


def public_pem(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def read_public_key(pem: bytes) -> Ed25519PublicKey:
    """A PEM public key, or the public half of a PEM private key."""
    if b"PRIVATE KEY" in pem:
        return _private_from(pem).public_key()
    key = serialization.load_pem_public_key(pem)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


def _private_from(pem: bytes) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("not an Ed25519 private key")
    return key


def key_id(key: Ed25519PublicKey) -> str:
    """A short fingerprint: the first 16 hex digits of sha256 of the raw public key."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def sign(key: Ed25519PrivateKey, message: bytes) -> str:
    return base64.b64encode(key.sign(message)).decode()


def signature_valid(key: Ed25519PublicKey, message: bytes, signature: str) -> bool:
    try:
        key.verify(base64.b64decode(signature, validate=True), message)
    except (InvalidSignature, ValueError):
        return False
    return True
