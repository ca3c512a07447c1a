"""`danvan witness` against a running registry (its checkpoint notes and cosignature route) and
against pymerkle logs showing a split view."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient

from services.cli import main
from services.registry.main import create_app as create_registry
from shared.audit.checkpoint_note import Cosigner, open_checkpoint
from shared.audit.keys import load_or_create_key
from shared.audit.service import Audit
from shared.audit.witness import HttpLog
from shared.audit.witness_command import run_witness
from shared.settings import Settings
from tests.audit.test_witness import PymerkleLog, entries
from tests.conftest import bearer
from tests.helpers import app_of, register

NAME = "witness.mttq.test"


def arguments(tmp_path: Path, *log_keys: str, once: bool = True) -> argparse.Namespace:
    return argparse.Namespace(
        log=[f"http://log-{i}" for i in range(len(log_keys))],
        log_key=list(log_keys),
        key=tmp_path / "witness.pem",
        name=NAME,
        state=tmp_path / "state",
        every=60.0,
        once=once,
        token=None,
    )


@pytest.fixture
def registry(settings: Settings, tmp_path: Path) -> Iterator[TestClient]:
    """The registry taking cosignatures from the witness whose key is tmp_path/witness.pem."""
    key, _ = load_or_create_key(tmp_path / "witness.pem")
    settings.seal_feeds = False
    settings.witness_keys = Cosigner(NAME, key).verifier.vkey
    with TestClient(create_registry(settings), headers=bearer("officer")) as client:
        yield client


def test_the_witness_cosigns_the_services_checkpoint_and_the_service_serves_it(
    registry: TestClient, settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    audit: Audit = app_of(registry).state.audit
    log = HttpLog(TestClient(registry.app, headers=bearer("auditor")))  # the proofs: an auditor's
    first = signed(registry, audit, 3)
    args = arguments(tmp_path, audit.log_key.vkey)
    assert run_witness(args, settings, [log]) == 0
    out = capsys.readouterr().out
    assert f"{audit.origin}: COSIGNED at size {first}" in out
    witness_key = out.split("witness verifier key: ")[1].split()[0]
    note = registry.get("/checkpoint").text
    cosigner = Cosigner(NAME, load_or_create_key(args.key)[0])
    assert witness_key == cosigner.verifier.vkey
    opened = open_checkpoint(note, audit.log_key, [cosigner.verifier], required=1)
    assert opened.witnesses == (NAME,)
    assert run_witness(args, settings, [log]) == 0  # the same: published again
    assert f"UNCHANGED at size {first}" in capsys.readouterr().out
    assert registry.get("/checkpoint").text == note
    grown = signed(registry, audit, 5)  # cosigned after the service's consistency proof
    assert run_witness(args, settings, [log]) == 0
    assert f"COSIGNED at size {grown}" in capsys.readouterr().out
    cosigned = registry.get("/checkpoint").text
    assert open_checkpoint(cosigned, audit.log_key, [cosigner.verifier], 1).checkpoint.size == grown


def signed(registry: TestClient, audit: Audit, models: int) -> int:
    """Registers models, seals and signs them: the tree size of the note."""
    for _ in range(models):
        register(registry)
    checkpoint = audit.sealer.checkpoint()
    assert checkpoint is not None and checkpoint.tree_size is not None
    return checkpoint.tree_size


def test_a_split_view_makes_the_witness_exit_with_2(
    settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log_key = Ed25519PrivateKey.generate()
    honest = PymerkleLog(log_key, entries(5))
    split = PymerkleLog(log_key, [*entries(2), *entries(4, " for the other auditor")])
    args = arguments(tmp_path, honest.verifier.vkey)
    assert run_witness(args, settings, [honest]) == 0
    assert run_witness(args, settings, [split]) == 2
    assert "FORK at size 6" in capsys.readouterr().out
    assert len(list((tmp_path / "state" / "forks").iterdir())) == 1
    impostor = PymerkleLog(Ed25519PrivateKey.generate(), entries(7))
    assert run_witness(args, settings, [impostor]) == 1  # not the log's signature: refused


def test_the_command_line_refuses_a_bad_log_key(tmp_path: Path) -> None:
    base = ["witness", "--log", "http://127.0.0.1:1", "--key", str(tmp_path / "k.pem")]
    with pytest.raises(SystemExit, match="--log-key"):
        main([*base, "--log-key", "not+a+key", "--state", str(tmp_path / "s"), "--once"])
