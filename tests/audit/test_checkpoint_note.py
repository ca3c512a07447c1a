"""Checkpoints and cosignatures against the vectors of transparency-dev/formats
(log/checkpoint_test.go and note/note_cosigv1_test.go at 0b850f1a, Apache-2.0), the C2SP specs
(tlog-checkpoint, tlog-cosignature at 5ba5ee83), and a note signed and cosigned by Go:
golang.org/x/mod/sumdb/note (fe2ec04f) with transparency-dev/formats' cosigner (404c0d5), seeds
0x01..0x20 for the log and 0x65..0x84 for the witness."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from shared.audit.checkpoint_note import (
    Checkpoint,
    CosignatureVerifier,
    Cosigner,
    MalformedCheckpoint,
    TooFewCosignatures,
    checkpoint_note,
    cosignature_timestamp,
    log_verifier,
    open_checkpoint,
    verifier_from_key,
    with_signatures,
)
from shared.audit.note import (
    Ed25519Verifier,
    InvalidNoteSignature,
    MalformedNote,
    Signature,
    UnverifiedNote,
    ed25519_verifier,
    open_note,
    split_note,
)

GO_ORIGIN = "danvan.local/registry/4b1d0c2e-7f3a-4c55-9e1b-2d6f8a9c0e11"
GO_LOG_VKEY = f"{GO_ORIGIN}+d7d74238+AXm1Vi6P5lT5QHixEuipi6eQH4U65pW+1+DjkQutBJZk"
GO_ROOT = bytes(range(200, 232))
GO_LOG_LINE = (
    f"— {GO_ORIGIN} 19dCOPxCvg9t+97gDbo5iZRkf86fi/nXUgt1dDxl78E+G0Ot6TNDBMG1rSmjnH2XztRBS68JeZNBs"
    "WxnKvgcZisTuQI=\n"
)
GO_COSIGNATURE_LINE = (
    "— witness.example.vn/mttq ZVZaOQAAAABrFo5ZwRhN+yzacfQhjrzwRDWw9Po1a5SFrVyIbYeaiKE4wmzlZr3lbHe"
    "MZPUtWDmLSTSqVc3iy1B0km7AJBCOHAyXCw==\n"
)
GO_TEXT = f"{GO_ORIGIN}\n1000\n{base64.b64encode(GO_ROOT).decode()}\n"


def seeded(start: int) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(bytes(range(start, start + 32)))


def test_checkpoint_text_is_written_as_transparency_dev_writes_it() -> None:
    assert Checkpoint("Log", 123, b"bananas").text() == "Log\n123\nYmFuYW5hcw==\n"
    tops = b"the view from the tree tops is great!"
    assert (
        Checkpoint("Banana", 9944, tops).text()
        == "Banana\n9944\ndGhlIHZpZXcgZnJvbSB0aGUgdHJlZSB0b3BzIGlzIGdyZWF0IQ==\n"
    )


def test_checkpoint_text_is_read_as_transparency_dev_reads_it() -> None:
    tops = "dGhlIHZpZXcgZnJvbSB0aGUgdHJlZSB0b3BzIGlzIGdyZWF0IQ=="
    assert Checkpoint.parse("Log\n123\nYmFuYW5hcw==\n", None) == Checkpoint("Log", 123, b"bananas")
    with_data = Checkpoint.parse(f"Log\n9944\n{tops}\nlots\nof\nlines\n", None)
    assert with_data.extensions == ("lots", "of", "lines")
    moon = Checkpoint.parse(
        "Moon Log\n4027504\naXQncyBhIHJvb3QgaGFzaA==\n6086d1a9\nWaxing gibbous\n", None
    )
    assert (moon.origin, moon.size, moon.root) == ("Moon Log", 4027504, b"it's a root hash")
    for bad in (
        "Head\n9944\n",
        f"\n9944\n{tops}\n",
        "Log\n123\nYmFuYW5hcw==",
        f"Log\nbananas\n{tops}\n",
        f"Log\n-34\n{tops}\n",
        f"Log\n3438945738945739845734895735\n{tops}\n",
        "Log\n123\nThisIsn'tBase64\n",
        # the spec's rules, stricter than transparency-dev's reader: no leading zeroes, no empty
        # extension lines (transparency-dev returns "\n\n\n" as the rest)
        f"Log\n0123\n{tops}\n",
        f"Log\n+123\n{tops}\n",
        f"Log\n9944\n{tops}\n\n\n\n",
    ):
        with pytest.raises(MalformedCheckpoint):
            Checkpoint.parse(bad, None)


def test_a_checkpoint_root_is_a_sha256_hash() -> None:
    with pytest.raises(MalformedCheckpoint, match="32 bytes"):
        Checkpoint.parse("Log\n123\nYmFuYW5hcw==\n")
    assert Checkpoint.parse("Log\n0\n" + base64.b64encode(bytes(32)).decode() + "\n").size == 0


def test_the_spec_example_checkpoint_parses() -> None:
    message = (
        "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n"
        "— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zh"
        "cyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n"
        "— witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJ"
        "sX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n"
    )
    text, (log, witness) = split_note(message)
    checkpoint = Checkpoint.parse(text)
    assert (checkpoint.origin, checkpoint.size) == ("example.com/behind-the-sofa", 20852163)
    assert log.name == checkpoint.origin
    # the spec's cosigned message shows this cosignature's time
    assert cosignature_timestamp(witness) == 1679315147


def test_our_checkpoint_note_is_byte_for_byte_the_one_go_signs() -> None:
    key = seeded(1)
    note = checkpoint_note(GO_ORIGIN, 1000, GO_ROOT, key)
    assert note == GO_TEXT + "\n" + GO_LOG_LINE
    log = ed25519_verifier(GO_LOG_VKEY)
    assert log.public_key.public_bytes_raw() == key.public_key().public_bytes_raw()


def test_a_cosignature_made_by_go_verifies_and_ours_has_its_form() -> None:
    witness = Cosigner("witness.example.vn/mttq", seeded(0x65))
    assert witness.key_id == 0x65565A39
    message = GO_TEXT + "\n" + GO_LOG_LINE + GO_COSIGNATURE_LINE
    log = ed25519_verifier(GO_LOG_VKEY)
    opened = open_checkpoint(message, log, [witness.verifier], required=1)
    assert opened.witnesses == ("witness.example.vn/mttq",)
    assert opened.checkpoint == Checkpoint(GO_ORIGIN, 1000, GO_ROOT)
    go_cosignature = Signature.parse(GO_COSIGNATURE_LINE[:-1])
    timestamp = cosignature_timestamp(go_cosignature)
    assert witness.cosign(GO_TEXT, timestamp) == go_cosignature  # Ed25519 is deterministic


def test_transparency_dev_cosignature_keys_and_timestamps_are_read() -> None:
    native = verifier_from_key(
        "remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2"
    )
    assert isinstance(native, CosignatureVerifier)
    assert isinstance(
        verifier_from_key("TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6"),
        type(ed25519_verifier(GO_LOG_VKEY)),
    )
    for bad in (
        "bananas.sigstore.dev+12344556",
        "rekor.sigstore.dev+12345678+THIS_IS_NOT_BASE64!",
        "rekor.sigstore.dev+12345678+AwEB",
    ):
        with pytest.raises(MalformedNote):
            verifier_from_key(bad)
    stamped = (
        "ZGhGuQAAAABm/qTPeyKXD+R2rzyQsxPiP8mXum7qq/iF0u4vanlqJyocWODBt97w9uL+8qT7S5gxEHWWOworDc"
        "FiEBYJXORmnFBOBA=="
    )
    assert cosignature_timestamp(Signature.parse(f"— w {stamped}")) == 1727964367
    plain = (
        "eQjRQm6eSKzFoiYalgwCPXu2y3ijtg68is9M46JKxuZB+dRfTmeQeDBoXnvxZx2ugnkyV+MUMLXpWs1hPb/W/4x"
        "kNQY="
    )
    with pytest.raises(MalformedNote):
        cosignature_timestamp(Signature.parse(f"— w {plain}"))


def test_a_cosignature_covers_extension_lines_and_is_no_plain_signature() -> None:
    key = Ed25519PrivateKey.generate()
    witness = Cosigner("w.example", key)
    text = "test\n123\nf+7CoKgXKE/tNys9TTXcr/ad6U/K3xvznmzew9y6SP0=\nExtendo\n"
    line = witness.cosign(text, 1700000000).line()
    assert witness.verifier.verify(text.encode(), Signature.parse(line[:-1]).signature)
    assert not witness.verifier.verify(
        text.replace("Extendo", "Extend@").encode(), Signature.parse(line[:-1]).signature
    )
    plain = Ed25519Verifier("w.example", key.public_key())  # the same key as type 0x01
    assert plain.key_id != witness.key_id
    with pytest.raises(UnverifiedNote):
        open_note(text + "\n" + line, [plain])


def test_a_checkpoint_needs_the_log_signature_and_the_witnesses_required() -> None:
    log_key, witness = Ed25519PrivateKey.generate(), Cosigner("w.example", seeded(7))
    root = bytes(32)
    note = checkpoint_note("danvan.local/registry/s", 3, root, log_key)
    log = ed25519_verifier(_vkey_of(note, log_key))
    opened = open_checkpoint(note, log)
    assert (opened.checkpoint.size, opened.witnesses) == (3, ())
    with pytest.raises(TooFewCosignatures):
        open_checkpoint(note, log, [witness.verifier], required=1)
    cosigned = with_signatures(note, [witness.cosign(opened.note.text, 1700000000)])
    assert open_checkpoint(cosigned, log, [witness.verifier], required=1).witnesses == (
        "w.example",
    )
    assert with_signatures(cosigned, [witness.cosign(opened.note.text, 1700000000)]) == cosigned
    other_log = ed25519_verifier(_vkey_of(note, Ed25519PrivateKey.generate()))
    with pytest.raises(UnverifiedNote):
        open_checkpoint(cosigned, other_log, [witness.verifier])
    forged = cosigned.replace("\n3\n", "\n4\n", 1)
    with pytest.raises(InvalidNoteSignature):
        open_checkpoint(forged, log)


def _vkey_of(note: str, key: Ed25519PrivateKey) -> str:
    return log_verifier(Checkpoint.parse(split_note(note)[0]).origin, key.public_key()).vkey
