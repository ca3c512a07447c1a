"""Read models rebuilt from the two exports alone answer every report as the live ones do."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from services.aggregator.main import create_app as create_aggregator
from services.cli import main
from shared.audit.export import ExportFile
from shared.settings import Settings
from testkit.databases import fresh_postgres_database
from tests.conftest import bearer
from tests.dialogue.helpers import (
    created,
    finding_body,
    held_dialogue,
    kien_nghi_body,
    ok,
    supervision_body,
)
from tests.helpers import app_of, catch_up, recognise, register

AUDITOR = bearer("auditor")
REPORTS = [
    "/reports/models?group_by=level,field",
    "/reports/kien-nghi",
    "/reports/kien-nghi?group_by=status,category",
    "/reports/supervisions?group_by=level,kind",
    "/reports/dialogues?group_by=kind",
    "/reports/inspection-chain",
]


def write_history(registry: TestClient, dialogue: TestClient) -> None:
    for i, unit in enumerate(["00004", "00006", "001"]):
        recognise(registry, register(registry, unit_code=unit, title=f"Mô hình {i}"))
    register(registry, unit_code="01")
    held_dialogue(dialogue)
    supervision_id = created(dialogue, "/supervisions", supervision_body())
    finding = finding_body()
    ok(dialogue, f"/supervisions/{supervision_id}/findings", finding)
    kien_nghi_id = created(dialogue, "/kien-nghi", kien_nghi_body())
    assignment = {"agency": "UBND phường", "due_on": "2024-05-29", "assigned_on": "2024-05-03"}
    ok(dialogue, f"/kien-nghi/{kien_nghi_id}/assignment", assignment)
    resolution = {"resolution": "Đã giải quyết", "resolved_on": "2024-05-20"}
    ok(dialogue, f"/kien-nghi/{kien_nghi_id}/resolution", resolution)


@contextmanager
def fresh_store(settings: Settings) -> Iterator[str | None]:
    if settings.database_url is None:
        yield None
        return
    with fresh_postgres_database() as url:
        yield url


def test_read_models_rebuilt_from_exports_alone_equal_the_live_ones(
    settings: Settings,
    registry: TestClient,
    dialogue: TestClient,
    aggregator: TestClient,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    write_history(registry, dialogue)
    catch_up(aggregator)
    exports = {}
    for name, service in (("registry", registry), ("dialogue", dialogue)):
        app_of(service).state.audit.sealer.checkpoint()
        exports[name] = tmp_path / f"{name}.jsonl"
        exports[name].write_bytes(service.get("/events/export", headers=AUDITOR).content)
    public_key = settings.data_dir / "signing-key.pub.pem"
    for path in exports.values():
        assert main(["verify", "--export", str(path), "--public-key", str(public_key)]) == 0
    store = ["--database-url", settings.database_url] if settings.database_url else []
    store += ["--data-dir", str(settings.data_dir)]
    for name in exports:
        assert main(["verify", "--service", name, *store, "--public-key", str(public_key)]) == 0

    with fresh_store(settings) as database_url:
        fresh = Settings(
            _env_file=None,
            data_dir=tmp_path / "fresh",
            database_url=database_url,
            tokens_file=settings.token_path,
            follow_upstreams=False,
            json_logs=False,
        )
        monkeypatch.setenv("DANVAN_DATA_DIR", str(fresh.data_dir))
        if database_url:
            monkeypatch.setenv("DANVAN_DATABASE_URL", database_url)
        else:
            monkeypatch.delenv("DANVAN_DATABASE_URL", raising=False)
        command = ["rebuild", "--from-export", f"registry={exports['registry']}"]
        command += ["--from-export", str(exports["dialogue"]), "--public-key", str(public_key)]
        assert main(command) == 0
        clients = {name: ExportFile(path) for name, path in exports.items()}
        applied = {name: len(export.positions) for name, export in clients.items()}
        assert f"rebuilt from exports: {applied}" in capsys.readouterr().out
        with TestClient(create_aggregator(fresh, clients), headers=AUDITOR) as rebuilt:
            for report in REPORTS:
                live = aggregator.get(report)
                assert live.status_code == 200, live.text
                assert rebuilt.get(report).json() == live.json(), report
            assert aggregator.get("/reports/models").json()["total"]["registered"] == 4
            assert rebuilt.get("/reports/kien-nghi").json()["total"]["received"] == 2


def test_a_tampered_export_is_refused_before_rebuilding(
    settings: Settings, registry: TestClient, tmp_path: Path
) -> None:
    register(registry)
    app_of(registry).state.audit.sealer.checkpoint()
    export = tmp_path / "registry.jsonl"
    text = registry.get("/events/export", headers=AUDITOR).text
    export.write_text(text.replace("Hội LHPN", "Hội Nông dân"), encoding="utf-8")
    public_key = settings.data_dir / "signing-key.pub.pem"
    with pytest.raises(SystemExit, match="altered at 2"):
        main(["rebuild", "--from-export", str(export), "--public-key", str(public_key)])
