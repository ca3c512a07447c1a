"""`danvan verify --url` as its own process against a registry served by uvicorn."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from services.processes import Service, service_env
from shared.settings import Settings
from testkit.records import model_body
from tests.audit.tamper import Tamperer
from tests.conftest import bearer

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


def wait_signed(client: httpx.Client, timeout: float = 30) -> int:
    """Until a checkpoint covers the head; returns the head."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        head = client.get("/events/head").json()["position"]
        checkpoints = client.get("/events/checkpoints").json()
        if checkpoints and checkpoints[-1]["position"] == head:
            return int(head)
        time.sleep(0.2)
    raise AssertionError("no checkpoint covered the head in time")


def verify(url: str, public_key: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "services.cli", "verify", "--url", url]
    command += ["--token", "token-auditor", "--public-key", str(public_key)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=ROOT)


def test_verify_over_http_confirms_then_names_the_altered_event(settings: Settings) -> None:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    env = service_env(settings, DANVAN_CHECKPOINT_EVERY_SECONDS="0.2")
    registry = Service("registry", env, settings.data_dir).start()
    try:
        with httpx.Client(base_url=registry.url, headers=bearer("officer"), timeout=30) as client:
            for i in range(4):
                response = client.post("/models", json=model_body(title=f"Mô hình {i}"))
                assert response.status_code == 201, response.text
        with httpx.Client(base_url=registry.url, headers=bearer("auditor"), timeout=30) as client:
            assert wait_signed(client) == 5
        public_key = settings.data_dir / "signing-key.pub.pem"
        whole = verify(registry.url, public_key)
        assert whole.returncode == 0, whole.stdout + whole.stderr
        assert "WHOLE" in whole.stdout and "events: 5;" in whole.stdout
        Tamperer(settings).alter(3, title="Mô hình đã sửa")
        broken = verify(registry.url, public_key)
        assert broken.returncode == 1, broken.stdout + broken.stderr
        assert "ALTERED at position 3" in broken.stdout
    finally:
        registry.stop()
