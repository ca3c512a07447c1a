"""The three OpenAPI documents tested by schemathesis, unmodified, from the outside.

A live system (uvicorn processes, a few records of every kind) is attacked through each
service's own /openapi.json with every check schemathesis has, in all four phases (the
documents' examples, coverage of every parameter's edges, fuzzing, and stateful sequences
that follow the links between operations), once per role that uses the service. Any finding
fails: a 5xx, an answer or status or header the document does not state, a schema-valid
request refused as malformed (our check, `tests.contract.hooks`, in place of
`positive_data_acceptance`: see there why), an invalid one accepted.

Generated requests meet real records: the seeded ids, unit codes and dates come from
schemathesis's dictionaries, bound to the parameters that name them.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from openapi_spec_validator import validate

from services.processes import ROOT
from testkit.databases import fresh_postgres_database
from tests.conftest import bearer
from tests.contract.system import LiveSystem, Seeded, live_system
from tests.databases import skip_or_fail_without_postgres

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
MAX_EXAMPLES = int(os.environ.get("DANVAN_SCHEMATHESIS_EXAMPLES", "8"))
# who uses each service: every role whose answers differ
ROLES = {
    "registry": ("officer", "auditor", None),
    "dialogue": ("officer", "citizen", "admin", None),
    "aggregator": ("officer_badinh", "auditor", None),
}
UNITS = ["00004", "001", "01"]  # Trúc Bạch ward, Ba Đình district, Hà Nội (before July 2025)
DATES = ["2021-03-01", "2022-06-01", "2024-05-02", "2024-05-20"]
DATE_FIELDS = (
    "registered_on",
    "reported_on",
    "recognised_on",
    "commended_on",
    "replicated_on",
    "discontinued_on",
    "conferred_on",
    "scheduled_on",
    "held_on",
    "cancelled_on",
    "started_on",
    "raised_on",
    "concluded_on",
    "received_on",
)
RECORD_PATHS = {  # the path parameters of each kind's records, and the paths that take them
    "model": ("^/models/", ("record_id", "model_id")),
    "award": ("^/awards/", ("award_id",)),
    "dialogue": ("^/dialogues/", ("record_id", "dialogue_id")),
    "supervision": ("^/supervisions/", ("record_id", "supervision_id")),
    "kien_nghi": ("^/kien-nghi/", ("record_id", "kien_nghi_id")),
    "own_kien_nghi": ("^/app/kien-nghi/", ("kien_nghi_id",)),
    "service_request": ("^/open311/", ("service_request_id",)),
}


def toml_list(values: list[str]) -> str:
    return "[" + ", ".join(f'"{v}"' for v in values) + "]"


def schemathesis_config(seeded: Seeded, paths: set[str]) -> str:
    """Dictionaries of real values, bound to the parameters that carry them."""
    lines = [
        "request-timeout = 30",
        "[parameters]",
        '"query.wait" = 0',  # the feed's long poll: no generated request waits a minute
        '"query.timeout" = 0',
        '"body.unit_code" = { dictionary = "units", probability = 0.8 }',
        *(f'"body.{name}" = {{ dictionary = "dates", probability = 0.8 }}' for name in DATE_FIELDS),
        "[dictionaries.units]",
        f"values = {toml_list(UNITS)}",
        "[dictionaries.dates]",
        f"values = {toml_list(DATES)}",
    ]
    for kind, ids in seeded.ids.items():
        lines += [f"[dictionaries.{kind}]", f"values = {toml_list(ids)}"]
    for kind, (path, names) in RECORD_PATHS.items():
        if kind not in seeded.ids or not any(re.match(path, p) for p in paths):
            continue
        lines += ["[[operations]]", f'include-path-regex = "{path}"', "[operations.parameters]"]
        lines += [
            f'"path.{name}" = {{ dictionary = "{kind}", probability = 0.8 }}' for name in names
        ]
    return "\n".join(lines) + "\n"


@pytest.fixture(
    scope="module",
    # on PostgreSQL among the slow tests: the same documents, a second store (CI runs both)
    params=["sqlite", pytest.param("postgres", marks=[pytest.mark.postgres, pytest.mark.slow])],
)
def system(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveSystem]:
    data_dir = tmp_path_factory.mktemp("contract") / "data"
    if request.param == "sqlite":
        with live_system(data_dir) as running:
            yield running
        return
    skip_or_fail_without_postgres()
    with fresh_postgres_database() as url, live_system(data_dir, url) as running:
        yield running


def run_schemathesis(
    system: LiveSystem, service: str, role: str | None, config: Path
) -> subprocess.CompletedProcess[str]:
    url = system.services[service].url
    headers = ["-H", f"Authorization: {bearer(role)['Authorization']}"] if role else []
    command = [
        str(SCHEMATHESIS),
        f"--config-file={config}",
        "run",
        f"{url}/openapi.json",
        "--checks=all",
        "--exclude-checks=positive_data_acceptance",
        "--phases=examples,coverage,fuzzing,stateful",
        f"--max-examples={MAX_EXAMPLES}",
        "--seed=20261203",
        "--workers=1",  # two threads hit CPython 3.11.7's ast race (python/cpython#106905)
        "--no-color",
        "--suppress-health-check=filter_too_much",  # a generator limit, not a finding
        *headers,
    ]
    env = {**os.environ, "SCHEMATHESIS_HOOKS": "tests.contract.hooks"}
    return subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False
    )


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("service", "role"),
    [
        # the everyday suite runs each service's first role; CI runs every role (-m slow)
        pytest.param(service, role, marks=[pytest.mark.slow] if n else [])
        for service, roles in ROLES.items()
        for n, role in enumerate(roles)
    ],
    ids=lambda value: value or "anonymous",
)
def test_schemathesis_finds_nothing(
    system: LiveSystem, service: str, role: str | None, tmp_path: Path
) -> None:
    config = tmp_path / "schemathesis.toml"
    document = httpx.get(f"{system.services[service].url}/openapi.json").json()
    config.write_text(schemathesis_config(system.seeded, set(document["paths"])))
    result = run_schemathesis(system, service, role, config)
    (tmp_path / "schemathesis.out").write_text(result.stdout + result.stderr)
    failures = result.stdout.find("FAILURES")
    report = result.stdout[max(failures, 0) :][:6000] + "\n…\n" + result.stdout[-3000:]
    assert result.returncode == 0, report + result.stderr[-3000:]


@pytest.mark.e2e
def test_the_documents_are_valid_openapi(system: LiveSystem) -> None:
    for name, service in system.services.items():
        document = httpx.get(f"{service.url}/openapi.json").json()
        validate(document)  # raises, naming the first place the document breaks the standard
        for path, operations in document["paths"].items():
            for method, operation in operations.items():
                for status, answer in operation["responses"].items():
                    for media, content in answer.get("content", {}).items():
                        assert content.get("schema"), (name, method, path, status, media)
