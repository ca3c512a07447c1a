"""`danvan verify` against a store tampered with by SQL: each kind named at its position."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from eventsourcing.persistence import IntegrityError
from fastapi.testclient import TestClient

from services.cli import main
from services.registry.main import create_app as create_registry
from shared.audit.chain import genesis
from shared.audit.keys import public_pem
from shared.audit.sources import from_store
from shared.events import FeedItem
from shared.settings import Settings
from shared.store_identity import StoreIdentity
from tests.audit.conftest import Sealed, first_problem
from tests.audit.tamper import Tamperer
from tests.conftest import bearer
from tests.helpers import app_of, recognise, register

Capture = pytest.CaptureFixture[str]


def test_an_untouched_store_verifies_whole(sealed: Sealed, capsys: Capture) -> None:
    code, report = sealed.verify(capsys)
    assert code == 0 and report["problems"] == []
    assert (report["events"], report["verified_through"], report["sealed_through"]) == (9, 9, 9)
    assert report["checkpoints_checked"] == report["checkpoints"] >= 3
    assert (report["signed_through"], report["unsealed"], report["unsigned"]) == (9, 0, 0)
    assert report["tree_size"] == 9 and report["tree_rows_checked"] == 9 + 7  # leaves, nodes
    assert report["roots_checked"] == report["checkpoints"]


def test_an_altered_event_is_named_at_its_position(sealed: Sealed, capsys: Capture) -> None:
    sealed.tamper.alter(5, title="Mô hình đã sửa")
    code, report = sealed.verify(capsys)
    assert code == 1 and first_problem(report) == ("altered", 5)
    assert report["verified_through"] == 4


def test_a_removed_event_is_named(sealed: Sealed, capsys: Capture) -> None:
    sealed.tamper.remove(4)
    code, report = sealed.verify(capsys)
    assert code == 1 and first_problem(report) == ("removed", 4)
    assert report["events"] == 8


def test_swapped_events_are_named_reordered(sealed: Sealed, capsys: Capture) -> None:
    sealed.tamper.swap_states(3, 6)
    code, report = sealed.verify(capsys)
    assert code == 1 and first_problem(report) == ("reordered", 3)
    assert "sealed at 6" in report["problems"][0]["detail"]


def test_a_forged_event_is_named_inserted(sealed: Sealed, capsys: Capture) -> None:
    sealed.tamper.insert_forged(5, like=4)  # the events from 5 on moved up one
    code, report = sealed.verify(capsys)
    assert code == 1 and first_problem(report) == ("inserted", 5)
    assert report["events"] == 10


def test_a_forged_event_in_a_hole_left_by_a_rejected_write(
    settings: Settings, capsys: Capture
) -> None:
    if not settings.uses_postgres:
        pytest.skip("SQLite leaves no holes")
    with TestClient(create_registry(settings), headers=bearer("officer")) as registry:
        model_id = register(registry)
        with pytest.raises(IntegrityError):  # a rejected write burns its position for good
            app = app_of(registry).state.registry
            app.save(StoreIdentity(store_id="x", service="registry"))
        recognise(registry, model_id)
    sealed = Sealed(settings, [model_id], Tamperer(settings))
    positions = sealed.tamper.positions()
    hole = next(p for p in range(1, positions[-1]) if p not in positions)
    sealed.tamper.insert_forged(hole, like=2)
    code, report = sealed.verify(capsys)
    assert code == 1 and first_problem(report) == ("inserted", hole)


def test_a_lost_chain_row_is_told_from_a_forged_event(sealed: Sealed, capsys: Capture) -> None:
    sealed.tamper.drop_chain_row(5)
    code, report = sealed.verify(capsys)
    assert code == 1 and first_problem(report) == ("seal_removed", 5)


def test_a_rewritten_chain_table_is_caught_by_the_signed_checkpoints(
    sealed: Sealed, capsys: Capture
) -> None:
    sealed.tamper.alter(6, title="Mô hình đã sửa")
    evidence = from_store(sealed.settings, "registry", "Registry")
    try:
        items = list(evidence.events())
    finally:
        evidence.close()
    sealed.tamper.rewrite_chain(genesis(evidence.store_id), items)
    code, report = sealed.verify(capsys)
    assert code == 1
    problem = report["problems"][0]
    assert problem["kind"] == "chain_rewritten"
    assert problem["position"] <= 6 <= problem["through"]  # between two checkpoints
    assert report["verified_through"] == 9  # the rows alone no longer show it


def items_of(sealed: Sealed) -> list[FeedItem]:
    evidence = from_store(sealed.settings, "registry", "Registry")
    try:
        return list(evidence.events())
    finally:
        evidence.close()


@pytest.mark.parametrize(("level", "index", "position"), [(0, 6, 7), (1, 1, 3), (3, 0, 1)])
def test_a_tree_node_edited_alone_is_named(
    sealed: Sealed, capsys: Capture, level: int, index: int, position: int
) -> None:
    """Leaf 6 is the event at 7; node (1, 1) covers leaves 2-3 (positions 3-4); (3, 0) all."""
    sealed.tamper.edit_tree_node(level, index)
    code, report = sealed.verify(capsys)
    assert code == 1 and first_problem(report) == ("tree_rewritten", position)
    assert report["verified_through"] == 9  # the chain itself holds


@pytest.mark.parametrize("chain_too", [False, True])
def test_a_tree_rewritten_to_match_tampered_events_is_caught_by_the_recorded_roots(
    sealed: Sealed, capsys: Capture, chain_too: bool
) -> None:
    """Event 6 altered and every stored tree row recomputed from the events as they now are
    (and, in the second case, the chain rows too): the roots recorded at the checkpoints after
    it no longer match, named between the last root that holds (at 4) and the next (at 8)."""
    sealed.tamper.alter(6, title="Mô hình đã sửa")
    items = items_of(sealed)
    sealed.tamper.rewrite_tree(items)
    if chain_too:
        sealed.tamper.rewrite_chain(genesis(items[0]["data"]["store_id"]), items)
    code, report = sealed.verify(capsys)
    kinds = {p["kind"]: p for p in report["problems"]}
    assert code == 1 and "tree_rewritten" in kinds
    assert (kinds["tree_rewritten"]["position"], kinds["tree_rewritten"]["through"]) == (5, 8)
    assert ("chain_rewritten" if chain_too else "altered") in kinds


def test_an_edited_tree_root_is_named(sealed: Sealed, capsys: Capture) -> None:
    tamper = sealed.tamper
    table = tamper.audit_table("tree_heads")
    tamper.sql(f"UPDATE {table} SET root = ? WHERE position = 8", bytes(32), store="audit")
    code, report = sealed.verify(capsys)
    assert code == 1 and first_problem(report) == ("root_mismatch", 8)


def test_checkpoints_checked_with_another_key_fail(
    sealed: Sealed, capsys: Capture, tmp_path: Path
) -> None:
    other = tmp_path / "other.pub.pem"
    other.write_bytes(public_pem(Ed25519PrivateKey.generate().public_key()))
    code, report = sealed.verify(capsys, key=other)
    assert code == 1 and report["problems"][0]["kind"] == "bad_signature"
    assert report["checkpoints_checked"] == 0


def test_a_truncated_tail_shows_against_checkpoints_kept_from_before(
    sealed: Sealed, capsys: Capture, tmp_path: Path
) -> None:
    earlier = tmp_path / "earlier.jsonl"
    assert main(["export", *sealed.source(), "--output", str(earlier)]) == 0
    sealed.tamper.truncate(after=6)  # events, chain rows and checkpoints alike
    code, report = sealed.verify(capsys)
    assert code == 0 and report["events"] == 6  # what an attacker can hide from the store alone
    code, report = sealed.verify(capsys, "--known-checkpoints", str(earlier))
    assert code == 1 and first_problem(report) == ("removed", 7)


def test_an_unsealed_tail_is_reported_and_may_be_refused(sealed: Sealed, capsys: Capture) -> None:
    sealed.tamper.insert_forged(10, like=9)  # after the last seal: indistinguishable from new
    code, report = sealed.verify(capsys)
    assert code == 0 and (report["unsealed"], report["unsigned"]) == (1, 1)
    code, report = sealed.verify(capsys, "--max-unsigned", "0")
    assert code == 1 and first_problem(report) == ("unsigned_tail", 10)


def test_a_lost_audit_store_is_not_whole(sealed: Sealed, capsys: Capture) -> None:
    sealed.tamper.lose_audit_store()
    code, report = sealed.verify(capsys)
    assert code == 1 and first_problem(report) == ("unsigned_tail", 1)
    assert (report["checkpoints"], report["unsigned"]) == (0, 9)


def test_an_export_verifies_offline_and_an_edited_one_does_not(
    sealed: Sealed, capsys: Capture, tmp_path: Path
) -> None:
    export = tmp_path / "registry.jsonl"
    assert main(["export", *sealed.source(), "--output", str(export)]) == 0
    capsys.readouterr()
    key = str(sealed.public_key)
    assert main(["verify", "--export", str(export), "--public-key", key]) == 0
    out = capsys.readouterr().out
    assert "WHOLE" in out and "9 leaves rebuilt" in out  # the export's roots checked offline
    assert f"and {len(sealed.checkpoint_positions())} checkpoint roots confirmed" in out
    lines = export.read_text(encoding="utf-8").splitlines()
    lines[7] = lines[7].replace('"recognised_on":"2021-06-01"', '"recognised_on":"2021-06-02"')
    export.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["verify", "--export", str(export), "--public-key", key]) == 1
    assert "ALTERED at position 7" in capsys.readouterr().out


def test_an_export_of_a_store_missing_an_event_still_names_it(
    sealed: Sealed, capsys: Capture, tmp_path: Path
) -> None:
    sealed.tamper.remove(4)
    export = tmp_path / "registry.jsonl"
    assert main(["export", *sealed.source(), "--output", str(export)]) == 0
    lines = export.read_text(encoding="utf-8").splitlines()
    assert '"kind":"seal","position":4' in lines[4]  # its chain row, in its place
    capsys.readouterr()
    assert main(["verify", "--export", str(export), "--public-key", str(sealed.public_key)]) == 1
    assert "REMOVED at position 4" in capsys.readouterr().out


def stores_as_they_are(settings: Settings) -> object:
    """What a reader must leave as it found: the data folder's files (mode, size, content's
    time), or the PostgreSQL database's schemas and tables."""
    if settings.database_url is None:
        return {
            path.name: (path.stat().st_mode, path.stat().st_size, path.stat().st_mtime_ns)
            for path in sorted(settings.data_dir.iterdir())
        }
    with psycopg.connect(settings.database_url) as connection:
        return connection.execute(
            "SELECT table_schema, table_name FROM information_schema.tables"
            " WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"
            " UNION SELECT schema_name, '' FROM information_schema.schemata ORDER BY 1, 2"
        ).fetchall()


def test_verifying_and_exporting_make_and_change_nothing(
    sealed: Sealed, capsys: Capture, tmp_path: Path
) -> None:
    before = stores_as_they_are(sealed.settings)
    assert sealed.verify(capsys)[0] == 0
    assert main(["export", *sealed.source(), "--output", str(tmp_path / "export.jsonl")]) == 0
    with pytest.raises(SystemExit, match="cannot read the store"):  # no dialogue store there
        main(["verify", *sealed.source("dialogue"), "--public-key", str(sealed.public_key)])
    with pytest.raises(SystemExit, match="cannot read the store"):
        main(["export", *sealed.source("dialogue"), "--output", str(tmp_path / "none.jsonl")])
    assert stores_as_they_are(sealed.settings) == before
