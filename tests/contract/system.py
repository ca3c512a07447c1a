"""A small live system for outside tools: the three services under uvicorn on loopback, with the
test tokens and a few records of every kind, so that generated requests meet real ids.

Run by hand to point schemathesis (or any client) at it:
    python -m tests.contract.system /tmp/danvan-contract [postgresql://…/db]
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from services.processes import Service, running_system
from shared.settings import Settings
from testkit.records import model_body
from testkit.tokens import issue_test_tokens
from tests.citizens.test_app_journey import BA_DINH
from tests.conftest import bearer
from tests.dialogue.helpers import dialogue_body, finding_body, kien_nghi_body, supervision_body
from tests.helpers import award_body
from tests.open311.helpers import V2, spec_form


@dataclass
class Seeded:
    """The ids of what was written, by kind: what generated requests are pointed at."""

    ids: dict[str, list[str]] = field(default_factory=dict)

    def add(self, kind: str, record_id: str) -> str:
        self.ids.setdefault(kind, []).append(record_id)
        return record_id


@dataclass
class LiveSystem:
    registry: Service
    dialogue: Service
    aggregator: Service
    seeded: Seeded

    @property
    def services(self) -> dict[str, Service]:
        return {"registry": self.registry, "dialogue": self.dialogue, "aggregator": self.aggregator}


def contract_settings(data_dir: Path, database_url: str | None = None) -> Settings:
    settings = Settings(
        _env_file=None,
        data_dir=data_dir,
        database_url=database_url,
        upstream_token="token-auditor",
        json_logs=False,
    )
    issue_test_tokens(settings)
    return settings


def _created(client: httpx.Client, path: str, body: dict[str, Any], **kwargs: Any) -> str:
    response = client.post(path, json=body, **kwargs)
    response.raise_for_status()
    record_id: str = response.json()["id"]
    return record_id


def seed(registry: Service, dialogue: Service) -> Seeded:
    """Records in every state a command can start from, at units the officer token covers."""
    seeded = Seeded()
    officer = bearer("officer")
    with httpx.Client(base_url=registry.url, headers=officer, timeout=30) as client:
        for year in (2021, 2022):
            model = seeded.add("model", _created(client, "/models", model_body(year=year)))
        client.post(
            f"/models/{model}/recognition",
            json={"level": "district", "recognised_on": "2022-06-01"},
        ).raise_for_status()
        award = award_body(conferred_on="2022-09-01")
        seeded.add("award", _created(client, "/awards", award))
    with httpx.Client(base_url=dialogue.url, headers=officer, timeout=30) as client:
        seeded.add("dialogue", _created(client, "/dialogues", dialogue_body()))
        supervision = seeded.add(
            "supervision", _created(client, "/supervisions", supervision_body())
        )
        client.post(f"/supervisions/{supervision}/findings", json=finding_body()).raise_for_status()
        for _ in range(2):
            seeded.add("kien_nghi", _created(client, "/kien-nghi", kien_nghi_body()))
        own = {"category": "urban_order", "content": "Vỉa hè bị lấn chiếm", **BA_DINH}
        citizen = bearer("citizen")
        seeded.add("own_kien_nghi", _created(client, "/app/kien-nghi", own, headers=citizen))
        filed = client.post(f"{V2}/requests.json", data=spec_form(), headers={})
        filed.raise_for_status()
        seeded.add("service_request", filed.json()[0]["service_request_id"])
    return seeded


def wait_for_aggregator(aggregator: Service, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    with httpx.Client(base_url=aggregator.url, headers=bearer("auditor"), timeout=40) as client:
        while time.monotonic() < deadline:
            caught = client.get(
                "/followers/wait", params={"registry": "", "dialogue": "", "timeout": 30}
            )
            if caught.status_code == 200:
                return
    raise RuntimeError("the aggregator did not catch up")


@contextmanager
def live_system(data_dir: Path, database_url: str | None = None) -> Iterator[LiveSystem]:
    settings = contract_settings(data_dir, database_url)
    data_dir.mkdir(parents=True, exist_ok=True)
    # the limit is tested elsewhere (tests/security); here it would leave the commands untested
    unlimited = {"DANVAN_WRITE_RATE_LIMIT": "100000/minute"}
    with running_system(settings, data_dir, unlimited) as (registry, dialogue, aggregator):
        seeded = seed(registry, dialogue)
        wait_for_aggregator(aggregator)
        yield LiveSystem(registry, dialogue, aggregator, seeded)


def main() -> None:
    data_dir = Path(sys.argv[1])
    with live_system(data_dir, sys.argv[2] if len(sys.argv) > 2 else None) as system:
        for name, service in system.services.items():
            sys.stdout.write(f"{name}: {service.url}\n")
        sys.stdout.write(f"seeded: {system.seeded.ids}\n")
        sys.stdout.flush()
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
