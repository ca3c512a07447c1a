"""C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint) and tlog-cosignature
(https://c2sp.org/tlog-cosignature), on the signed notes of shared.audit.note.

A checkpoint's text is `origin\\nsize\\nbase64(root)\\n` and optional non-empty extension lines;
the log signs it as a note with an Ed25519 key named after the origin. A witness cosigns it with
key type 0x04: its signature line holds key ID ‖ timestamp (8 bytes, big-endian) ‖ Ed25519 over
`cosignature/v1\\ntime <timestamp>\\n` followed by the checkpoint's text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from shared.audit.note import (
    ED25519,
    Ed25519Signer,
    Ed25519Verifier,
    MalformedNote,
    Note,
    Signature,
    UnverifiedNote,
    Verifier,
    b64decode,
    b64encode,
    ed25519_verifier,
    open_note,
    sign_note,
    split_verifier_key,
)

COSIGNATURE = 0x04  # timestamped Ed25519 checkpoint cosignatures
COSIGNATURE_HEADER = b"cosignature/v1\n"
HASH_SIZE = 32  # SHA-256, RFC 9162
MAX_SIZE = 2**64 - 1
MAX_TIMESTAMP = 2**63 - 1
_DECIMAL = re.compile(r"0|[1-9][0-9]*")


class MalformedCheckpoint(MalformedNote):
    """A note whose text is not a checkpoint."""


@dataclass(frozen=True)
class Checkpoint:
    """A tree head: the log's origin, its size (leaves) and root hash, extension lines."""

    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()

    def text(self) -> str:
        lines = [self.origin, str(self.size), b64encode(self.root), *self.extensions]
        return "".join(f"{line}\n" for line in lines)

    @classmethod
    def parse(cls, text: str, hash_size: int | None = HASH_SIZE) -> Checkpoint:
        """A checkpoint's note text, by the spec's rules (hash_size None: any root length)."""
        if not text.endswith("\n"):
            raise MalformedCheckpoint("a checkpoint's text ends with a newline")
        lines = text[:-1].split("\n")
        if len(lines) < 3:
            raise MalformedCheckpoint("a checkpoint has an origin, a size and a root hash")
        origin, size, root64, *extensions = lines
        if not origin:
            raise MalformedCheckpoint("empty origin")
        if not _DECIMAL.fullmatch(size) or int(size) > MAX_SIZE:
            raise MalformedCheckpoint("the size is a decimal number without leading zeroes")
        try:
            root = b64decode(root64)
        except MalformedNote as error:
            raise MalformedCheckpoint("the root hash is not base64") from error
        if not root or (hash_size is not None and len(root) != hash_size):
            raise MalformedCheckpoint(f"the root hash is not {hash_size} bytes")
        if any(not line for line in extensions):
            raise MalformedCheckpoint("empty extension line")
        return cls(origin, int(size), root, tuple(extensions))


def origin_of(log_origin: str, service: str, store_id: str) -> str:
    """A feed's origin line and log key name: `<DANVAN_LOG_ORIGIN>/<service>/<store_id>`."""
    return f"{log_origin}/{service}/{store_id}"


def log_signer(origin: str, key: Ed25519PrivateKey) -> Ed25519Signer:
    """The log signs as its origin (the spec: the key name SHOULD match the origin line)."""
    return Ed25519Signer(origin, key)


def log_verifier(origin: str, key: Ed25519PublicKey) -> Ed25519Verifier:
    return Ed25519Verifier(origin, key)


def checkpoint_note(origin: str, size: int, root: bytes, key: Ed25519PrivateKey) -> str:
    """The signed checkpoint note of a tree of `size` leaves with this root."""
    text = Checkpoint(origin, size, root).text()
    Checkpoint.parse(text)  # refuses what no reader would accept
    return sign_note(text, [log_signer(origin, key)])


def cosignature_message(text: bytes, timestamp: int) -> bytes:
    return COSIGNATURE_HEADER + f"time {timestamp}\n".encode() + text


@dataclass(frozen=True)
class CosignatureVerifier(Ed25519Verifier):
    """A witness's key (type 0x04): checks a timestamped cosignature over a checkpoint."""

    type_byte: int = COSIGNATURE

    def verify(self, text: bytes, signature: bytes) -> bool:
        if len(signature) != 8 + 64:
            return False
        timestamp = int.from_bytes(signature[:8], "big")
        if timestamp > MAX_TIMESTAMP:
            return False
        try:
            self.public_key.verify(signature[8:], cosignature_message(text, timestamp))
        except InvalidSignature:
            return False
        return True


@dataclass(frozen=True)
class Cosigner:
    """A witness's signing key and name."""

    name: str
    private_key: Ed25519PrivateKey

    @property
    def verifier(self) -> CosignatureVerifier:
        return CosignatureVerifier(self.name, self.private_key.public_key())

    @property
    def key_id(self) -> int:
        return self.verifier.key_id

    def cosign(self, text: str, timestamp: int) -> Signature:
        """The cosignature line's content over a checkpoint's text, made at `timestamp`."""
        if not 0 <= timestamp <= MAX_TIMESTAMP:
            raise ValueError("timestamp out of range")
        signature = self.private_key.sign(cosignature_message(text.encode(), timestamp))
        return Signature(self.name, self.key_id, timestamp.to_bytes(8, "big") + signature)


def cosignature_timestamp(signature: Signature) -> int:
    if len(signature.signature) != 8 + 64:
        raise MalformedNote("not a cosignature: 8 bytes of time and 64 of signature")
    return int.from_bytes(signature.signature[:8], "big")


def verifier_from_key(vkey: str) -> Ed25519Verifier:
    """A note verifier (type 0x01) or a witness's cosignature verifier (type 0x04)."""
    _, _, kind, _ = split_verifier_key(vkey)
    if kind == COSIGNATURE:
        plain = ed25519_verifier(vkey, COSIGNATURE)
        return CosignatureVerifier(plain.name, plain.public_key)
    return ed25519_verifier(vkey, ED25519)


def cosignature_verifiers(vkeys: Iterable[str]) -> tuple[CosignatureVerifier, ...]:
    """Witnesses' verifier keys (type 0x04); blank ones skipped, others refused."""
    verifiers = []
    for vkey in filter(None, (v.strip() for v in vkeys)):
        verifier = verifier_from_key(vkey)
        if not isinstance(verifier, CosignatureVerifier):
            raise MalformedNote(f"{vkey} is not a witness's cosignature key (type 0x04)")
        verifiers.append(verifier)
    return tuple(verifiers)


@dataclass(frozen=True)
class OpenedCheckpoint:
    checkpoint: Checkpoint
    note: Note
    witnesses: tuple[str, ...]  # names of the known witnesses whose cosignature verified


class TooFewCosignatures(ValueError):
    pass


def open_checkpoint(
    message: str | bytes,
    log: Verifier,
    witnesses: Iterable[Verifier] = (),
    required: int = 0,
) -> OpenedCheckpoint:
    """Verifies the log's signature (it must be there) and the known witnesses' cosignatures
    (at least `required` of them), and parses the checkpoint."""
    witnesses = list(witnesses)
    note = open_note(message, [log, *witnesses])
    if not any((s.name, s.key_id) == (log.name, log.key_id) for s in note.signatures):
        raise UnverifiedNote(note)  # cosigned, perhaps, but not by the log
    checkpoint = Checkpoint.parse(note.text)
    if checkpoint.origin != log.name:
        raise MalformedCheckpoint(f"origin {checkpoint.origin!r} is not the log's {log.name!r}")
    known = {(w.name, w.key_id) for w in witnesses}
    cosigned = tuple(s.name for s in note.signatures if (s.name, s.key_id) in known)
    if len(cosigned) < required:
        raise TooFewCosignatures(f"{len(cosigned)} of the {required} witness cosignatures required")
    return OpenedCheckpoint(checkpoint, note, cosigned)


def with_signatures(message: str, extra: Sequence[Signature]) -> str:
    """The note with more signature lines (cosignatures) appended, duplicates dropped."""
    if not extra:
        return message
    lines = {s.line() for s in extra}
    present = set(message.splitlines(keepends=True))
    return message + "".join(sorted(lines - present))
