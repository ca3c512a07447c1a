"""A registry store written through the API, then sealed and signed at shutdown."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.cli import main
from services.registry.main import create_app as create_registry
from shared.settings import Settings
from tests.audit.tamper import Tamperer
from tests.conftest import bearer
from tests.helpers import recognise, register


@dataclass
class Sealed:
    settings: Settings
    models: list[str]
    tamper: Tamperer

    @property
    def public_key(self) -> Path:
        return self.settings.data_dir / "signing-key.pub.pem"

    def source(self, service: str = "registry") -> list[str]:
        if self.settings.database_url:
            return ["--service", service, "--database-url", self.settings.database_url]
        return ["--service", service, "--data-dir", str(self.settings.data_dir)]

    def checkpoint_positions(self) -> list[int]:
        table = self.tamper.audit_table("checkpoints")
        return [row[0] for row in self.tamper.sql(f"SELECT position FROM {table}", store="audit")]

    def verify(
        self, capsys: pytest.CaptureFixture[str], *extra: str, key: Path | None = None
    ) -> tuple[int, dict[str, Any]]:
        """`danvan verify --json` in process: its exit code and its report."""
        capsys.readouterr()
        code = main(
            [
                "verify",
                *self.source(),
                "--public-key",
                str(key or self.public_key),
                "--json",
                *extra,
            ]
        )
        report: dict[str, Any] = json.loads(capsys.readouterr().out)
        assert code == (0 if report["ok"] else 1)
        return code, report


def first_problem(report: dict[str, Any]) -> tuple[str, int]:
    problem = report["problems"][0]
    return problem["kind"], problem["position"]


@pytest.fixture
def sealed(settings: Settings) -> Iterator[Sealed]:
    """Positions: 1 the store's identity, 2-6 five models registered, 7-9 three recognised;
    checkpoints signed at 4 and 8 (every four events) and at 9 (shutdown)."""
    settings.checkpoint_every_events = 4
    with TestClient(create_registry(settings), headers=bearer("officer")) as registry:
        models = [register(registry, title=f"Mô hình {i}") for i in range(5)]
        for model_id in models[:3]:
            recognise(registry, model_id)
    yield Sealed(settings, models, Tamperer(settings))
