"""Signed notes against the vectors of golang.org/x/mod/sumdb/note (note_test.go, BSD-style
licence, at commit fe2ec04f) and of the C2SP signed-note spec (c2sp.org/signed-note, C2SP/C2SP
at 5ba5ee83)."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from shared.audit.note import (
    Ed25519Signer,
    InvalidNoteSignature,
    MalformedNote,
    Signature,
    UnverifiedNote,
    ed25519_verifier,
    go_signer,
    key_id,
    open_note,
    sign_note,
    split_note,
    valid_name,
)

PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
PETER_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
ENOCH_VKEY = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
TEXT = (
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
)
PETER_SIG = (
    "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb"
    "6KE6RyyBwJnAM=\n"
)
ENOCH_SIG = (
    "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WW"
    "d1RvMc+QQ=\n"
)


def test_the_go_verifier_key_is_read_and_every_mangling_of_it_refused() -> None:
    peter = ed25519_verifier(PETER_VKEY)
    assert (peter.name, peter.key_id, peter.vkey) == ("PeterNeumann", 0xC74F20A3, PETER_VKEY)
    raw = PETER_VKEY.encode()
    for i in range(len(raw) + 1):
        for j in range(i + 1, len(raw) + 1):
            if (i, j) != (0, len(raw)):
                with pytest.raises(MalformedNote):
                    ed25519_verifier(raw[i:j].decode())
    for i in range(len(raw)):
        mangled = raw[:i] + bytes([raw[i] + 1]) + raw[i + 1 :]
        with pytest.raises((MalformedNote, UnicodeDecodeError)):
            ed25519_verifier(mangled.decode())
    for bad in (  # a wrong key length and an unknown algorithm, each with its key hash adjusted
        "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==",
        "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
    ):
        with pytest.raises(MalformedNote):
            ed25519_verifier(bad)


def test_signing_the_go_note_gives_its_bytes_and_replaces_an_old_signature() -> None:
    peter = go_signer(PETER_SKEY)
    assert peter.key_id == 0xC74F20A3
    want = TEXT + "\n" + PETER_SIG
    assert sign_note(TEXT, [peter]) == want
    stale = Signature("PeterNeumann", 0xC74F20A3, b"old signature")
    assert sign_note(TEXT, [peter], keep=[stale]) == want
    with pytest.raises(MalformedNote):
        sign_note("abc", [peter])
    with pytest.raises(MalformedNote):
        Ed25519Signer("bad name", Ed25519PrivateKey.generate())


def test_opening_verifies_known_keys_and_ignores_unknown_ones() -> None:
    peter, enoch = ed25519_verifier(PETER_VKEY), ed25519_verifier(ENOCH_VKEY)
    note = open_note(TEXT + "\n" + PETER_SIG + ENOCH_SIG, [peter])
    assert note.text == TEXT
    assert [s.name for s in note.signatures] == ["PeterNeumann"]
    assert [(s.name, s.key_id) for s in note.unverified] == [("EnochRoot", 0xAF0CFE78)]
    both = open_note(TEXT + "\n" + PETER_SIG + ENOCH_SIG, [peter, enoch])
    assert [s.name for s in both.signatures] == ["PeterNeumann", "EnochRoot"]
    assert both.unverified == []
    with pytest.raises(UnverifiedNote, match="no verifiable signatures") as unverified:
        open_note(TEXT + "\n" + PETER_SIG + ENOCH_SIG, [])
    assert len(unverified.value.note.unverified) == 2


def test_a_bad_signature_of_a_known_key_rejects_the_note() -> None:
    peter = ed25519_verifier(PETER_VKEY)
    broken = PETER_SIG[:60] + "ABCD" + PETER_SIG[60:]
    with pytest.raises(InvalidNoteSignature, match="PeterNeumann\\+c74f20a3"):
        open_note(TEXT + "\n" + broken, [peter])
    # the same bad signature by an unknown key is only ignored, and duplicates are dropped
    enoch_broken = ENOCH_SIG[:60] + "ABCD" + ENOCH_SIG[60:]
    message = TEXT + "\n" + PETER_SIG + PETER_SIG + ENOCH_SIG + ENOCH_SIG + enoch_broken
    note = open_note(message, [peter])
    assert len(note.signatures) == 1
    assert len(note.unverified) == 2


def test_what_is_not_a_note_is_refused() -> None:
    peter = ed25519_verifier(PETER_VKEY)
    with pytest.raises(MalformedNote):
        open_note(TEXT + "\n" + PETER_SIG * 101, [peter])
    for bad in (
        TEXT,
        TEXT + "\n",
        TEXT + "\n" + PETER_SIG[:-1],
        "\x01" + TEXT + "\n" + PETER_SIG,
        TEXT + "\n" + "— Bad Name " + PETER_SIG.split(" ")[-1],
        TEXT + "\n" + PETER_SIG + "Unexpected line.\n",
    ):
        with pytest.raises(MalformedNote):
            open_note(bad, [peter])
    with pytest.raises(MalformedNote):
        open_note(b"\xff" + (TEXT + "\n" + PETER_SIG).encode(), [peter])


def test_two_different_keys_with_one_name_and_id_are_ambiguous() -> None:
    peter = ed25519_verifier(PETER_VKEY)
    assert open_note(TEXT + "\n" + PETER_SIG, [peter, peter]).signatures  # one key given twice

    class Impostor:  # a key ID is short: another key may share it, and the name too
        name, key_id, vkey = peter.name, peter.key_id, "PeterNeumann+c74f20a3+another"

        def verify(self, text: bytes, signature: bytes) -> bool:
            return False

    with pytest.raises(MalformedNote, match="ambiguous"):
        open_note(TEXT + "\n" + PETER_SIG, [peter, Impostor()])


def test_the_spec_example_verifies_with_its_verifier_key() -> None:
    vkey = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"
    message = (
        "This is an example message.\n\n"
        "— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFX"
        "mRKuwHjG1Yu72IneyaQM=\n"
    )
    note = open_note(message, [ed25519_verifier(vkey)])
    assert note.text == "This is an example message.\n"
    with pytest.raises(InvalidNoteSignature):
        open_note(message.replace("example message", "example massage"), [ed25519_verifier(vkey)])


def test_the_spec_poem_keeps_its_inner_blank_line_in_the_text() -> None:
    poem = (
        "Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\n"
        "ed è subito sera.\n"
    )
    message = (
        poem
        + "\n— quasimodo.example/salvatore NnugSzTjtVAewIS+Z/iJhUPeFDkO/5QQ2i5ddnGITLlC+EhfLW9oJ"
        "KONrMouFSQU0xMcXxj99ihAQwaqP3ZekRwNtIc=\n"
    )
    text, signatures = split_note(message)
    assert text == poem
    assert [(s.name, s.key_id, len(s.signature)) for s in signatures] == [
        ("quasimodo.example/salvatore", 0x367BA04B, 64)
    ]


def test_key_names_and_ids_follow_the_spec() -> None:
    assert valid_name("example.com/log42")
    for bad in ("", "a+b", "a b", "a\tb", "a\u00a0b", "a\u3000b"):
        assert not valid_name(bad)
    raw = Ed25519PrivateKey.generate().public_key().public_bytes_raw()
    assert key_id("n", b"\x01" + raw) != key_id("n", b"\x04" + raw)
