"""docs/backup.md, run as written: a system backed up while it runs and
restored elsewhere answers every report, feed head and citizen's record as the original did."""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, func, inspect, select, table

from services.aggregator.main import create_app as create_aggregator
from services.cli import main
from services.dialogue.main import create_app as create_dialogue
from services.registry.main import create_app as create_registry
from services.scenarios.loader import load_scenario
from shared.settings import Settings
from testkit.databases import fresh_postgres_database
from tests.conftest import POSTGRES_SLOW, bearer
from tests.helpers import app_of, catch_up, register

BACKUP_PAGE = Path(__file__).parents[2] / "docs" / "backup.md"
AUDITOR, CITIZEN = bearer("auditor"), bearer("citizen")
REPORTS = [
    "/reports/dialogues?district=193&period=2021",
    "/reports/kien-nghi?group_by=status,source",
    "/reports/awards?district=193&period=2021&award=medal_dan_van&group_by=unit",
    "/reports/models?group_by=level",
]
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
CONTACT = {"name": "Nguyễn Thị Hoa", "phone": "0912345678", "email": "hoa@example.vn"}
BA_DINH = {"lat": 21.0405, "long": 105.8346}  # a citizen's point in Hà Nội: officer's scope


def readme_block(name: str) -> str:
    """The commands under `<!-- ops:<name> -->` in docs/backup.md, as an operator types them."""
    page = BACKUP_PAGE.read_text("utf-8")
    found = re.search(rf"<!-- ops:{name} -->\n```sh\n(.*?)\n```", page, re.S)
    assert found, f"docs/backup.md has no ops:{name} block"
    return found.group(1)


def run_readme(name: str, cwd: Path, database_url: str | None) -> str:
    """Runs a block of docs/backup.md in bash, `danvan` and the PostgreSQL tools on PATH."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("DANVAN_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    if database_url:
        env["DANVAN_DATABASE_URL"] = database_url
    cwd.mkdir(exist_ok=True)
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", readme_block(name)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, f"{name}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def stored_rows(settings: Settings) -> dict[str, int]:
    """Rows of every table of every store but the read models, as `store.table`."""
    engines: dict[str, tuple[Engine, str | None]] = {}
    if settings.database_url:
        engine = create_engine(settings.postgres_url())
        schemas = set(inspect(engine).get_schema_names()) - {"information_schema", "aggregator"}
        engines = {schema: (engine, schema) for schema in schemas}
    else:
        for path in settings.data_dir.glob("*.db"):
            if path.name != "aggregator.db":
                engines[path.stem] = (create_engine(f"sqlite:///{path}"), None)
    counts = {}
    for store, (engine, schema) in engines.items():
        with engine.connect() as connection:
            for name in inspect(connection).get_table_names(schema=schema):
                rows = select(func.count()).select_from(table(name, schema=schema))
                counts[f"{store}.{name}"] = connection.execute(rows).scalar_one()
    for engine, _ in engines.values():
        engine.dispose()
    return counts


def verified(
    settings: Settings, service: str, public_key: Path, capsys: pytest.CaptureFixture[str]
) -> dict[str, Any]:
    """`danvan verify --json` of a service's stores, in process."""
    store = ["--database-url", settings.database_url] if settings.database_url else []
    store += ["--data-dir", str(settings.data_dir)]
    capsys.readouterr()
    code = main(["verify", "--service", service, *store, "--public-key", str(public_key), "--json"])
    report: dict[str, Any] = json.loads(capsys.readouterr().out)
    assert code == 0 and report["ok"], report
    return report


def running(settings: Settings, stack: ExitStack) -> tuple[TestClient, TestClient, TestClient]:
    """Registry, dialogue and an aggregator following them, as tests/conftest.py builds them."""
    registry = stack.enter_context(TestClient(create_registry(settings), headers=bearer("officer")))
    dialogue = stack.enter_context(TestClient(create_dialogue(settings), headers=bearer("officer")))
    feeds = {
        "registry": TestClient(registry.app, headers=AUDITOR),
        "dialogue": TestClient(dialogue.app, headers=AUDITOR),
    }
    aggregator = TestClient(create_aggregator(settings, feeds), headers=AUDITOR)
    stack.enter_context(aggregator)
    app_of(dialogue).state.read_side = TestClient(aggregator.app, headers=AUDITOR)
    return registry, dialogue, aggregator


def answers(
    registry: TestClient, dialogue: TestClient, aggregator: TestClient, kien_nghi: str, photo: str
) -> dict[str, Any]:
    """What the system says: feed heads, reports, a citizen's record and photo."""
    catch_up(aggregator)
    record = f"/kien-nghi/{kien_nghi}"
    return {
        "heads": [s.get("/events/head", headers=AUDITOR).json() for s in (registry, dialogue)],
        **{report: aggregator.get(report).json() for report in REPORTS},
        "record": dialogue.get(record).json(),
        "photo": dialogue.get(f"/app{record}/attachments/{photo}", headers=CITIZEN).content,
    }


@pytest.fixture
def halong(settings: Settings) -> None:
    """The Hạ Long scenario, written before the services start."""
    assert load_scenario(settings, "halong", progress=False) is not None


@POSTGRES_SLOW
def test_a_system_backed_up_while_running_is_restored_whole_by_the_readme_commands(
    halong: None,
    settings: Settings,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    kind = "postgres" if settings.database_url else "sqlite"
    assert settings.data_dir == tmp_path / "data"  # the page's commands run beside data/
    public_key = settings.data_dir / "signing-key.pub.pem"
    with ExitStack() as stack:
        registry, dialogue, aggregator = running(settings, stack)
        register(registry)
        photo = dialogue.post(
            "/app/attachments", files={"file": ("photo.png", PNG, "image/png")}, headers=CITIZEN
        )
        assert photo.status_code == 201, photo.text
        body = {"category": "urban_order", "content": "Vỉa hè bị lấn chiếm", **BA_DINH}
        body |= {"contact": CONTACT, "attachments": [photo.json()["sha256"]]}
        created = dialogue.post("/app/kien-nghi", json=body, headers=CITIZEN)
        assert created.status_code == 201, created.text
        kien_nghi = created.json()["id"]
        for service in (registry, dialogue):
            app_of(service).state.audit.sealer.checkpoint()
        original = answers(registry, dialogue, aggregator, kien_nghi, photo.json()["sha256"])
        assert original["record"]["contact"]["phone"] == CONTACT["phone"]
        assert original["photo"] == PNG
        assert original[REPORTS[1]]["total"]["received"] == 421
        assert original[REPORTS[2]]["total"]["conferred"] == 4
        rows = stored_rows(settings)
        chains = {s: verified(settings, s, public_key, capsys) for s in ("registry", "dialogue")}
        assert chains["dialogue"]["checkpoints_checked"] >= 1
        keys = "personal_data" if kind == "postgres" else "personal-data-keys"
        assert rows[f"{keys}.subject_keys"] >= 1

        run_readme(f"backup-{kind}", tmp_path, settings.database_url)  # while the services run

    elsewhere = tmp_path / "elsewhere"  # the backup carried to another machine
    elsewhere.mkdir()
    for name in ("danvan-stores.dump", "danvan-files", "danvan-backup"):
        if (tmp_path / name).exists():
            shutil.move(tmp_path / name, elsewhere / name)
    with ExitStack() as stack:
        url = stack.enter_context(fresh_postgres_database()) if settings.database_url else None
        restored = settings.model_copy(update={"data_dir": elsewhere / "data", "database_url": url})
        printed = run_readme(f"restore-{kind}", elsewhere, url)
        assert printed.count(": WHOLE") == 2, printed
        assert "rebuilt from exports: {'registry': " in printed, printed

        assert stored_rows(restored) == rows
        for name, report in chains.items():
            assert verified(restored, name, public_key, capsys) == report
        registry, dialogue, aggregator = running(restored, stack)
        assert answers(registry, dialogue, aggregator, kien_nghi, photo.json()["sha256"]) == (
            original
        )
        # the restored registry signs with the original key: the old public key verifies it
        register(registry, title="Mô hình sau khi khôi phục")
        app_of(registry).state.audit.sealer.checkpoint()
        after = verified(restored, "registry", public_key, capsys)
        assert after["events"] == chains["registry"]["events"] + 1


def test_backup_refuses_a_folder_in_use_and_names_what_it_cannot_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("DANVAN_DATABASE_URL", raising=False)
    monkeypatch.setenv("DANVAN_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("DANVAN_SIGNING_KEY_FILE", "/etc/danvan/signing-key.pem")
    used = tmp_path / "used"
    used.mkdir()
    (used / "registry-events.db").touch()
    with pytest.raises(SystemExit, match="used is not empty"):
        main(["backup", str(used)])
    assert main(["backup", str(tmp_path / "new")]) == 0
    printed = capsys.readouterr().out
    assert "the signing key: /etc/danvan/signing-key.pem" in printed
