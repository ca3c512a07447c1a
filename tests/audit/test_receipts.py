"""Receipts: each write names its entries, each record's receipt proves them in the feed's Merkle
tree against a signed checkpoint, `danvan verify-receipt` checks one offline and against the log
today, and what a changed, truncated or rewritten history, a forged receipt, a wrong key or a
missing witness does to it."""

from __future__ import annotations

import argparse
import base64
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient

from services.dialogue.main import create_app as create_dialogue
from shared.audit.checkpoint_note import Cosigner
from shared.audit.merkle import leaf_hash
from shared.audit.note import split_note
from shared.audit.receipt_command import add_verify_receipt_command, run_verify_receipt
from shared.settings import Settings
from tests.audit.tamper import Tamperer
from tests.citizens.test_app_journey import CITIZEN, OFFICER, submit
from tests.conftest import bearer
from tests.helpers import app_of

WITNESS = Cosigner("witness.mttq.test", Ed25519PrivateKey.from_private_bytes(bytes(range(32))))


@pytest.fixture
def dialogue(settings: Settings) -> Iterator[TestClient]:
    settings.witness_keys = WITNESS.verifier.vkey
    with TestClient(create_dialogue(settings), headers=bearer("officer")) as client:
        yield client


def sealed(dialogue: TestClient) -> None:
    app_of(dialogue).state.audit.sealer.checkpoint()


def receipt(dialogue: TestClient, path: str, headers: dict[str, str], **params: Any) -> Any:
    sealed(dialogue)
    response = dialogue.get(path, headers=headers, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def verify_receipt(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    kept: dict[str, Any],
    key: str,
    *extra: str,
    log: TestClient | None = None,
) -> tuple[int, dict[str, Any]]:
    """`danvan verify-receipt FILE --public-key KEY --json`, in process; with a log, the
    service itself answers its --log requests."""
    parser = argparse.ArgumentParser()
    add_verify_receipt_command(parser.add_subparsers(dest="command"))
    path = tmp_path / "receipt.json"
    path.write_text(json.dumps(kept), "utf-8")
    args = parser.parse_args(["verify-receipt", str(path), "--public-key", key, "--json", *extra])
    capsys.readouterr()
    code = run_verify_receipt(args, log)
    report: dict[str, Any] = json.loads(capsys.readouterr().out)
    assert code == (0 if report["valid"] else 1)
    return code, report


def verifier_key(dialogue: TestClient) -> str:
    return dialogue.get("/checkpoint/verifier-key").text.strip()


def test_a_citizens_receipt_proves_when_it_was_received_offline_and_against_the_log(
    dialogue: TestClient, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    posted = dialogue.post("/app/kien-nghi", json=_body(), headers=CITIZEN)
    kien_nghi_id = posted.json()["id"]
    entries = dict(e.split(":") for e in posted.headers["X-Event-Entries"].split(", "))
    early = dialogue.get(f"/app/kien-nghi/{kien_nghi_id}/receipt", headers=CITIZEN)
    assert early.status_code == 409 and early.json()["error"]["code"] == "receipt_not_ready"
    assert int(early.headers["Retry-After"]) >= 1
    kept = receipt(dialogue, f"/app/kien-nghi/{kien_nghi_id}/receipt", CITIZEN)
    [entry] = kept["entries"]  # the citizen's: its receiving only
    assert entry["type"] == "KienNghi.Received"
    raw = base64.b64decode(entry["entry"])
    assert base64.b64encode(leaf_hash(raw)).decode() == entries[str(entry["position"])]
    assert orjson.loads(raw)["aggregate_id"] == kien_nghi_id

    code, report = verify_receipt(tmp_path, capsys, kept, verifier_key(dialogue))
    assert code == 0 and report["entries"][0]["recorded_at"] == entry["recorded_at"]
    for _ in range(3):  # the log grows: its tree still extends the receipt's
        submit(dialogue)
    sealed(dialogue)
    code, report = verify_receipt(
        tmp_path, capsys, kept, verifier_key(dialogue), "--token", "token-citizen", log=dialogue
    )
    assert code == 0 and report["checked_against_log"]

    # a citizen sees their own receipts only; staff see every event of the record
    other = dialogue.get(f"/app/kien-nghi/{kien_nghi_id}/receipt", headers=bearer("officer"))
    assert other.status_code in (403, 404)
    dialogue.post(f"/kien-nghi/{kien_nghi_id}/acknowledgement", json={}, headers=OFFICER)
    staff = receipt(dialogue, f"/kien-nghi/{kien_nghi_id}/receipt", OFFICER)
    assert [e["type"] for e in staff["entries"]] == ["KienNghi.Received", "KienNghi.Acknowledged"]
    code, _ = verify_receipt(tmp_path, capsys, staff, verifier_key(dialogue))
    assert code == 0
    # and through Open311, by its tracking code
    tracking_code = dialogue.get(f"/kien-nghi/{kien_nghi_id}").json()["tracking_code"]
    by_code = receipt(
        dialogue,
        f"/open311/v2/requests/{tracking_code}/receipt.json",
        {},
        api_key="token-citizen",  # Open311's credential: its reporter
    )
    assert [e["entry"] for e in by_code["entries"]] == [entry["entry"]]


def _body() -> dict[str, Any]:
    return {
        "category": "urban_order",
        "content": "Vỉa hè bị lấn chiếm",
        "lat": 21.0405,
        "long": 105.8346,
        "contact": {"name": "Nguyễn Thị Hoa", "phone": "0912345678"},
    }


@pytest.mark.parametrize(
    ("forge", "why"),
    [
        (lambda r: r["entries"][0].update(recorded_at="2020-01-01T00:00:00+00:00"), "listed"),
        (lambda r: r["entries"][0].update(entry=_edited(r["entries"][0]["entry"])), "not in"),
        (lambda r: r["entries"][0].update(hashes=r["entries"][0]["hashes"][:-1]), "not in"),
        (lambda r: r.update(checkpoint=r["checkpoint"].replace("\n", "\n\n", 1)), "checkpoint"),
    ],
)
def test_a_forged_receipt_fails(
    dialogue: TestClient,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    forge: Any,
    why: str,
) -> None:
    for _ in range(3):
        submit(dialogue)
    created = submit(dialogue)
    kept = receipt(dialogue, f"/app/kien-nghi/{created['id']}/receipt", CITIZEN)
    assert verify_receipt(tmp_path, capsys, kept, verifier_key(dialogue))[0] == 0
    forge(kept)
    code, report = verify_receipt(tmp_path, capsys, kept, verifier_key(dialogue))
    assert code == 1 and why in report["problem"], report


def test_a_receipt_relabelled_or_pointing_elsewhere_fails(
    dialogue: TestClient, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mine, theirs = submit(dialogue), submit(dialogue)
    kept = receipt(dialogue, f"/app/kien-nghi/{mine['id']}/receipt", CITIZEN)
    key = verifier_key(dialogue)
    relabelled = {
        **kept,
        "record_id": theirs["id"],
        "path": f"/app/kien-nghi/{theirs['id']}/receipt",
    }
    code, report = verify_receipt(tmp_path, capsys, relabelled, key)
    assert code == 1 and "listed" in report["problem"], report  # it is mine, not theirs
    for path in ("https://elsewhere.example/steal", "//elsewhere.example/x", "/a/../../x"):
        code, report = verify_receipt(tmp_path, capsys, {**kept, "path": path}, key)
        assert code == 1 and "not a receipt" in report["problem"], (path, report)
    negative = json.loads(json.dumps(kept))
    negative["entries"][0]["leaf_index"] -= 1 << 40
    assert verify_receipt(tmp_path, capsys, negative, key)[0] == 1
    spaced = json.loads(json.dumps(kept))  # the same JSON, not in the canonical form hashed
    raw = base64.b64decode(spaced["entries"][0]["entry"])
    spaced["entries"][0]["entry"] = base64.b64encode(raw.replace(b",", b", ", 1)).decode()
    code, report = verify_receipt(tmp_path, capsys, spaced, key)
    assert code == 1, report


def test_open311_gives_a_receipt_only_to_who_sees_the_request_in_full(
    dialogue: TestClient,
) -> None:
    created = submit(dialogue)
    path = f"/open311/v2/requests/{created['id']}/receipt.json"
    sealed(dialogue)
    anonymous = TestClient(dialogue.app).get(path)
    assert anonymous.status_code == 404  # its entry names who recorded it: not for the public
    assert "citizen" not in anonymous.text and "actor" not in anonymous.text

    def as_(key: str, **params: Any) -> Any:
        return dialogue.get(path, params={"api_key": key, **params})

    assert as_("token-citizen").status_code == 200  # its reporter
    assert as_("token-officer").status_code == 200  # the staff of its unit
    assert as_("token-officer_hcm").status_code == 404
    too_many = as_("token-officer", witnessed=2)
    assert too_many.status_code == 400 and "witnessed" in too_many.text  # Open311's 4xx
    native = dialogue.get(f"/kien-nghi/{created['id']}/receipt", params={"witnessed": 2})
    assert native.status_code == 422 and native.json()["error"]["field"] == "witnessed"


def _edited(entry: str) -> str:
    item = orjson.loads(base64.b64decode(entry))
    item["data"]["content"] = "Đã sửa"
    return base64.b64encode(orjson.dumps(item, option=orjson.OPT_SORT_KEYS)).decode()


def test_another_key_or_a_missing_witness_fails_and_a_cosigned_receipt_passes(
    dialogue: TestClient, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    created = submit(dialogue)
    kept = receipt(dialogue, f"/app/kien-nghi/{created['id']}/receipt", CITIZEN)
    stranger = Cosigner("danvan.local/dialogue/x", Ed25519PrivateKey.generate()).verifier.vkey
    assert verify_receipt(tmp_path, capsys, kept, stranger.replace("+04", "+01"))[0] == 1
    key = verifier_key(dialogue)
    witness = ["--witness-key", WITNESS.verifier.vkey, "--witnesses-required", "1"]
    code, report = verify_receipt(tmp_path, capsys, kept, key, *witness)
    assert code == 1 and "witness" in report["problem"]
    none_yet = dialogue.get(
        f"/app/kien-nghi/{created['id']}/receipt", headers=CITIZEN, params={"witnessed": 1}
    )
    assert none_yet.status_code == 409
    size, note = app_of(dialogue).state.audit.store.note()
    line = WITNESS.cosign(split_note(note)[0], 1765000000).line()
    posted = dialogue.post(
        "/checkpoint/cosignatures", json={"tree_size": size, "cosignature": line}, headers={}
    )
    assert posted.status_code == 201, posted.text
    cosigned = receipt(dialogue, f"/app/kien-nghi/{created['id']}/receipt", CITIZEN, witnessed=1)
    code, report = verify_receipt(tmp_path, capsys, cosigned, key, *witness)
    assert code == 0 and report["witnesses"] == ["witness.mttq.test"]


def test_an_erasure_keeps_every_receipt_valid(
    dialogue: TestClient, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    created = submit(dialogue)
    kept = receipt(dialogue, f"/app/kien-nghi/{created['id']}/receipt", CITIZEN)
    erased = dialogue.post(
        "/personal-data/erasures",
        headers=bearer("admin"),
        json={"kien_nghi_id": created["id"], "reason": "Yêu cầu xóa"},
    )
    assert erased.status_code == 200, erased.text
    sealed(dialogue)
    key = verifier_key(dialogue)
    code, _ = verify_receipt(tmp_path, capsys, kept, key, "--token", "token-citizen", log=dialogue)
    assert code == 0  # the entry held ciphertext: the key is gone, the bytes are the same
    staff = receipt(dialogue, f"/kien-nghi/{created['id']}/receipt", OFFICER)
    assert verify_receipt(tmp_path, capsys, staff, key)[0] == 0


def test_a_changed_event_fails_against_the_log_and_an_untouched_one_passes(
    dialogue: TestClient, settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    created, untouched = submit(dialogue), submit(dialogue)
    kept = receipt(dialogue, f"/app/kien-nghi/{created['id']}/receipt", CITIZEN)
    other = receipt(dialogue, f"/app/kien-nghi/{untouched['id']}/receipt", CITIZEN)
    key, citizen = verifier_key(dialogue), ["--token", "token-citizen"]
    Tamperer(settings, "dialogue").alter(kept["entries"][0]["position"], content="Đã sửa")
    code, report = verify_receipt(tmp_path, capsys, kept, key, *citizen, log=dialogue)
    assert code == 1 and ("changed" in report["problem"] or "not in" in report["problem"]), report
    assert verify_receipt(tmp_path, capsys, kept, key)[0] == 0  # alone, the receipt still holds
    assert verify_receipt(tmp_path, capsys, other, key, *citizen, log=dialogue)[0] == 0


def test_a_truncated_or_rewritten_history_fails_against_the_log(
    settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The operator, who holds the signing key, drops the tail (with its tree and notes) and
    writes another history in its place, sealed and signed anew: the kept receipt of a record
    from before the tail fails against each, by its tree size and by the consistency proof."""
    settings.witness_keys = WITNESS.verifier.vkey
    staff = ["--token", "token-officer"]
    with TestClient(create_dialogue(settings), headers=bearer("officer")) as dialogue:
        first = submit(dialogue)
        sealed(dialogue)
        kept_size = app_of(dialogue).state.audit.store.tree_size()
        submit(dialogue)  # the tail to be dropped
        kept = receipt(dialogue, f"/kien-nghi/{first['id']}/receipt", OFFICER)
        key = verifier_key(dialogue)
        assert verify_receipt(tmp_path, capsys, kept, key, *staff, log=dialogue)[0] == 0
    Tamperer(settings, "dialogue").truncate_tree(kept_size)
    with TestClient(create_dialogue(settings), headers=bearer("officer")) as dialogue:
        sealed(dialogue)
        code, report = verify_receipt(tmp_path, capsys, kept, key, *staff, log=dialogue)
        assert code == 1 and "shrank" in report["problem"], report
        for _ in range(3):  # another history where the tail was
            submit(dialogue, content="Lịch sử khác")
        sealed(dialogue)
        assert app_of(dialogue).state.audit.store.tree_size() > kept_size + 2
        code, report = verify_receipt(tmp_path, capsys, kept, key, *staff, log=dialogue)
        assert code == 1 and "does not extend" in report["problem"], report
        assert verify_receipt(tmp_path, capsys, kept, key)[0] == 0  # offline it still holds
