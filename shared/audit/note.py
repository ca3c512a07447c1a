"""C2SP signed notes (https://c2sp.org/signed-note): text signed by one or more keys.

A note is its text (ending in a newline), a blank line, and signature lines
`— <key name> <base64(key ID[4] ‖ signature)>`. An Ed25519 key's ID is
SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)[:4]; its verifier key, the string handed to whoever
checks, is `<name>+<hex key ID>+<base64(0x01 ‖ public key)>`. Opening a note verifies every
signature of a known key (name and ID both match), ignores the others, and accepts the note only
when at least one known key signed it. Written to the spec and checked against the vectors of
golang.org/x/mod/sumdb/note (tests/audit/test_note.py): no maintained Python package did this.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ED25519 = 0x01  # the signature type byte of plain Ed25519 note signatures
SIGNATURE_PREFIX = "— "  # em dash, space
MAX_SIGNATURES = 100  # as golang.org/x/mod/sumdb/note; the spec asks for at least 16


class MalformedNote(ValueError):
    """Not a signed note (or a key string that is not one)."""


class UnverifiedNote(ValueError):
    """Well formed, but no signature of a known key is on it."""

    def __init__(self, note: Note) -> None:
        super().__init__("note has no verifiable signatures")
        self.note = note


class InvalidNoteSignature(ValueError):
    """A known key's signature on the note does not verify."""

    def __init__(self, name: str, key_id: int) -> None:
        super().__init__(f"invalid signature for key {name}+{key_id:08x}")
        self.name, self.key_id = name, key_id


def valid_name(name: str) -> bool:
    """Key names are non-empty and hold no Unicode space and no plus sign."""
    return bool(name) and "+" not in name and not any(c.isspace() for c in name)


def key_id(name: str, typed_key: bytes) -> int:
    """SHA-256(name ‖ 0x0A ‖ type byte ‖ public key)[:4], big-endian."""
    digest = hashlib.sha256(name.encode() + b"\n" + typed_key).digest()
    return int.from_bytes(digest[:4], "big")


def b64decode(text: str) -> bytes:
    """Standard base64 with padding, strictly."""
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as error:
        raise MalformedNote("not base64") from error


def b64encode(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


@dataclass(frozen=True)
class Signature:
    """One signature line: the key's name and ID and the signature bytes after the ID."""

    name: str
    key_id: int
    signature: bytes

    def line(self) -> str:
        blob = b64encode(self.key_id.to_bytes(4, "big") + self.signature)
        return f"{SIGNATURE_PREFIX}{self.name} {blob}\n"

    @classmethod
    def parse(cls, line: str) -> Signature:
        """One line without its newline."""
        if not line.startswith(SIGNATURE_PREFIX):
            raise MalformedNote("a signature line starts with an em dash and a space")
        name, _, blob = line[len(SIGNATURE_PREFIX) :].partition(" ")
        raw = b64decode(blob) if blob else b""
        if not valid_name(name) or len(raw) < 5:
            raise MalformedNote("bad signature line")
        return cls(name, int.from_bytes(raw[:4], "big"), raw[4:])


class Verifier(Protocol):
    """A known key: its name and ID, and a check of its signature over a note's text."""

    @property
    def name(self) -> str: ...

    @property
    def key_id(self) -> int: ...

    @property
    def vkey(self) -> str: ...

    def verify(self, text: bytes, signature: bytes) -> bool: ...


class Signer(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def key_id(self) -> int: ...

    def sign(self, text: bytes) -> bytes: ...


@dataclass(frozen=True)
class Ed25519Verifier:
    name: str
    public_key: Ed25519PublicKey
    type_byte: int = ED25519

    @property
    def raw(self) -> bytes:
        return self.public_key.public_bytes_raw()

    @property
    def key_id(self) -> int:
        return key_id(self.name, bytes([self.type_byte]) + self.raw)

    @property
    def vkey(self) -> str:
        """The verifier key string: name+hex8+base64(type ‖ public key)."""
        return f"{self.name}+{self.key_id:08x}+{b64encode(bytes([self.type_byte]) + self.raw)}"

    def verify(self, text: bytes, signature: bytes) -> bool:
        try:
            self.public_key.verify(signature, text)
        except InvalidSignature:
            return False
        return True


@dataclass(frozen=True)
class Ed25519Signer:
    name: str
    private_key: Ed25519PrivateKey

    def __post_init__(self) -> None:
        if not valid_name(self.name):
            raise MalformedNote(f"invalid key name {self.name!r}")

    @property
    def verifier(self) -> Ed25519Verifier:
        return Ed25519Verifier(self.name, self.private_key.public_key())

    @property
    def key_id(self) -> int:
        return self.verifier.key_id

    def sign(self, text: bytes) -> bytes:
        return self.private_key.sign(text)


def split_verifier_key(vkey: str) -> tuple[str, int, int, bytes]:
    """name, key ID, type byte and key material of `name+hex8+base64(type ‖ key)`, the ID
    checked against the key."""
    parts = vkey.split("+", 2)
    if len(parts) != 3:
        raise MalformedNote("a verifier key is name+keyid+key")
    name, hex_id, key64 = parts
    typed = b64decode(key64)
    if not valid_name(name) or len(hex_id) != 8 or not typed:
        raise MalformedNote("malformed verifier key")
    try:
        stated = int(hex_id, 16)
    except ValueError as error:
        raise MalformedNote("the key ID is 8 hex digits") from error
    if hex_id != hex_id.strip() or stated != key_id(name, typed):
        raise MalformedNote("the key ID does not match the key")
    return name, stated, typed[0], typed[1:]


def ed25519_verifier(vkey: str, type_byte: int = ED25519) -> Ed25519Verifier:
    """An Ed25519 verifier of this type (0x01 notes, 0x04 cosignatures) from its key string."""
    name, _, kind, raw = split_verifier_key(vkey)
    if kind != type_byte or len(raw) != 32:
        raise MalformedNote(f"not an Ed25519 key of type 0x{type_byte:02x}")
    return Ed25519Verifier(name, Ed25519PublicKey.from_public_bytes(raw), type_byte)


def go_signer(skey: str) -> Ed25519Signer:
    """A signer from golang.org/x/mod/sumdb/note's private key string
    `PRIVATE+KEY+name+hex8+base64(0x01 ‖ seed)` (what `note.GenerateKey` prints)."""
    parts = skey.split("+", 4)
    if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
        raise MalformedNote("a private key is PRIVATE+KEY+name+keyid+key")
    typed = b64decode(parts[4])
    if len(typed) != 33 or typed[0] != ED25519:
        raise MalformedNote("not an Ed25519 private key")
    signer = Ed25519Signer(parts[2], Ed25519PrivateKey.from_private_bytes(typed[1:]))
    if parts[3] != f"{signer.key_id:08x}":
        raise MalformedNote("the key ID does not match the key")
    return signer


@dataclass
class Note:
    text: str
    signatures: list[Signature] = field(default_factory=list)  # verified, by known keys
    unverified: list[Signature] = field(default_factory=list)  # by keys not known


def split_note(message: str | bytes) -> tuple[str, list[Signature]]:
    """The text and signature lines of a note, nothing verified; MalformedNote if it is none."""
    if isinstance(message, bytes):
        try:
            message = message.decode()
        except UnicodeDecodeError as error:
            raise MalformedNote("not UTF-8") from error
    if any(c < " " and c != "\n" for c in message):
        raise MalformedNote("control characters")
    split = message.rfind("\n\n")
    if split < 0:
        raise MalformedNote("no blank line before the signatures")
    text, block = message[: split + 1], message[split + 2 :]
    if not block.endswith("\n"):
        raise MalformedNote("no signature, or the last one lacks its newline")
    lines = block[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise MalformedNote("too many signatures")
    return text, [Signature.parse(line) for line in lines]


def open_note(message: str | bytes, known: Iterable[Verifier]) -> Note:
    """Parses a note and verifies the signatures of known keys (as golang.org/x/mod/sumdb/note's
    Open: duplicates dropped, unknown keys ignored, one bad known signature rejects it all)."""
    text, signatures = split_note(message)
    keys: dict[tuple[str, int], dict[str, Verifier]] = {}
    for verifier in known:  # the same key given twice is one key
        keys.setdefault((verifier.name, verifier.key_id), {})[verifier.vkey] = verifier
    note = Note(text)
    seen: set[tuple[str, int]] = set()
    for signature in signatures:
        ident = (signature.name, signature.key_id)
        matching = list(keys.get(ident, {}).values())
        if not matching:
            if signature not in note.unverified:
                note.unverified.append(signature)
            continue
        if len(matching) > 1:
            raise MalformedNote(f"ambiguous key {signature.name}+{signature.key_id:08x}")
        if ident in seen:
            continue
        seen.add(ident)
        if not matching[0].verify(text.encode(), signature.signature):
            raise InvalidNoteSignature(*ident)
        note.signatures.append(signature)
    if not note.signatures:
        raise UnverifiedNote(note)
    return note


def sign_note(text: str, signers: Sequence[Signer], keep: Iterable[Signature] = ()) -> str:
    """The note: text, blank line, the kept signatures (those of the signers replaced), then
    each signer's."""
    if not text.endswith("\n"):
        raise MalformedNote("a note's text ends with a newline")
    if any(c < " " and c != "\n" for c in text):
        raise MalformedNote("control characters")
    fresh = [Signature(s.name, s.key_id, s.sign(text.encode())) for s in signers]
    replaced = {(s.name, s.key_id) for s in fresh}
    kept = [s for s in keep if (s.name, s.key_id) not in replaced]
    return text + "\n" + "".join(s.line() for s in [*kept, *fresh])
