"""`danvan import` end to end, against the services running under uvicorn: the template
written, a file imported with a progress bar and its outcome, the same file again writing
nothing, a file with problems answered row by row with exit code 1, a dry run writing nothing."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from services.processes import Service, running_system, service_env
from shared.messages import message
from shared.settings import Settings
from tests.conftest import POSTGRES_SLOW, bearer
from tests.importing.helpers import filled
from tests.importing.test_checks import kien_nghi

pytestmark = pytest.mark.e2e
DAY = "2023-02-14"  # the imported kiến nghị's day: none other has it


@pytest.fixture
def services(settings: Settings) -> Iterator[tuple[Service, Service, Service]]:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    with running_system(settings, settings.data_dir) as running:
        yield running


def danvan(
    settings: Settings, services: tuple[Service, ...], *args: str
) -> subprocess.CompletedProcess[str]:
    registry, dialogue, _ = services
    env = service_env(settings, DANVAN_REGISTRY_URL=registry.url, DANVAN_DIALOGUE_URL=dialogue.url)
    return subprocess.run(
        [sys.executable, "-m", "services.cli", "import", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def received_that_day(aggregator: Service) -> list[str]:
    with httpx.Client(base_url=aggregator.url, headers=bearer("auditor"), timeout=60) as client:
        waited = client.get(
            "/followers/wait", params={"registry": "", "dialogue": "", "timeout": 30}
        )
        assert waited.status_code == 200, waited.text
        params = {"received_from": DAY, "received_to": DAY}
        return sorted(k["content"] for k in client.get("/kien-nghi", params=params).json()["items"])


@POSTGRES_SLOW
def test_danvan_import_writes_a_file_once_and_answers_its_problems(
    settings: Settings, services: tuple[Service, Service, Service], tmp_path: Path
) -> None:
    template = tmp_path / "kien-nghi.xlsx"
    made = danvan(settings, services, "--template", "kien-nghi", str(template))
    assert made.returncode == 0, made.stderr
    rows = [kien_nghi(content=f"Kiến nghị {n}", received_on=DAY) for n in range(3)]
    good = tmp_path / "good.xlsx"
    good.write_bytes(filled(template.read_bytes(), {"Kiến nghị": rows}))

    first = danvan(settings, services, str(good), "--token", "token-officer", "--lang", "en")
    again = danvan(settings, services, str(good), "--token", "token-officer", "--lang", "en")

    counts = {"checked": 3, "refused": 0}
    assert first.returncode == 0, first.stdout + first.stderr
    assert message("import_done", "en", **counts, written=3, replayed=0) in first.stdout
    assert "writing" in first.stderr  # tqdm's bar, on standard error
    assert again.returncode == 0, again.stdout + again.stderr
    assert message("import_done", "en", **counts, written=0, replayed=3) in again.stdout
    assert received_that_day(services[2]) == sorted(row[4] for row in rows)

    bad = tmp_path / "bad.xlsx"
    wrong = [kien_nghi(content="Đúng", received_on=DAY), kien_nghi(category="Đất đaii")]
    bad.write_bytes(filled(template.read_bytes(), {"Kiến nghị": wrong}))
    refused = danvan(settings, services, str(bad), "--token", "token-officer")
    dry = tmp_path / "dry.xlsx"
    dry.write_bytes(filled(template.read_bytes(), {"Kiến nghị": [kien_nghi(received_on=DAY)]}))
    checked = danvan(settings, services, str(dry), "--dry-run")

    assert refused.returncode == 1
    assert "Kiến nghị!D4 (Lĩnh vực): Đất đaii không có trong danh sách" in refused.stdout
    assert message("import_refused", "vi", count=1) in refused.stdout
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert message("import_checked", "vi", checked=1) in checked.stdout
    assert received_that_day(services[2]) == sorted(row[4] for row in rows)  # nothing more
