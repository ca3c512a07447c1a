"""`danvan verify --url` as its own process against a registry served by uvicorn."""

from __future__ import annotations

import json
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


def verify_receipt(receipt: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "services.cli", "verify-receipt", str(receipt), *extra]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=ROOT)


def kept_receipt(client: httpx.Client, path: str, into: Path, timeout: float = 30) -> Path:
    """The receipt, once sealed and signed (the service answers 409 until then), kept in a file."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = client.get(path)
        if response.status_code == 200:
            into.write_bytes(response.content)
            return into
        assert response.status_code == 409, response.text
        time.sleep(0.2)
    raise AssertionError("no receipt in time")


def test_a_citizens_receipt_holds_until_the_history_is_tampered_with(
    settings: Settings, tmp_path: Path
) -> None:
    """A citizen files through the app and keeps the receipt; `danvan verify-receipt`, its own
    process, checks it with the log's key and against the service: it passes; once the event
    is changed in the store it fails, while another citizen's untouched receipt still passes."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    env = service_env(settings, DANVAN_CHECKPOINT_EVERY_SECONDS="0.2")
    dialogue = Service("dialogue", env, settings.data_dir).start()
    try:
        with httpx.Client(base_url=dialogue.url, headers=bearer("citizen"), timeout=30) as app:
            filed = [
                app.post(
                    "/app/kien-nghi",
                    json={
                        "category": "environment",
                        "content": content,
                        "lat": 21.0405,
                        "long": 105.8346,
                        "contact": {"name": "Trần Văn Bình"},
                    },
                )
                for content in ("Khói bụi từ xưởng gỗ", "Cống thoát nước tắc")
            ]
            assert all(f.status_code == 201 for f in filed), [f.text for f in filed]
            receipts = [
                kept_receipt(
                    app, f"/app/kien-nghi/{f.json()['id']}/receipt", tmp_path / f"{n}.json"
                )
                for n, f in enumerate(filed)
            ]
            key = app.get("/checkpoint/verifier-key").text.strip()
        log = ["--public-key", key, "--log", dialogue.url, "--token", "token-citizen"]
        passed = verify_receipt(receipts[0], *log)
        assert passed.returncode == 0, passed.stdout + passed.stderr
        assert "KienNghi.Received recorded at" in passed.stdout
        with_pem = verify_receipt(
            receipts[0], "--public-key", str(settings.data_dir / "signing-key.pub.pem")
        )
        assert with_pem.returncode == 0, with_pem.stdout + with_pem.stderr

        position = json.loads(receipts[0].read_text())["entries"][0]["position"]
        Tamperer(settings, "dialogue").alter(position, content="Không có gì")
        failed = verify_receipt(receipts[0], *log)
        assert failed.returncode == 1, failed.stdout + failed.stderr
        assert failed.stdout.startswith("FAILED:")
        untouched = verify_receipt(receipts[1], *log)
        assert untouched.returncode == 0, untouched.stdout + untouched.stderr
    finally:
        dialogue.stop()
