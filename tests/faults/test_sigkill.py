"""SIGKILL each part of the running system in turn under a write load; nothing lost, nothing
doubled, read models equal to a clean rebuild. bench/faults.py is the long version."""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from shared.settings import Settings
from testkit.faults.harness import run_faults, running_services
from testkit.faults.load import Outcome, Retry, Write, Writer
from testkit.faults.postgres import Cluster, private_cluster
from testkit.faults.proofs import prove
from tests.conftest import POSTGRES_SLOW

pytestmark = pytest.mark.e2e
log = logging.getLogger("danvan.faults")


@contextmanager
def faults_settings(settings: Settings) -> Iterator[tuple[Settings, Cluster | None]]:
    """On PostgreSQL, a cluster of the test's own to kill: the others keep theirs running."""
    if not settings.uses_postgres:
        yield settings, None
        return
    with contextlib.ExitStack() as stack:
        try:
            cluster = stack.enter_context(private_cluster())
        except RuntimeError as exc:
            reason = f"no PostgreSQL cluster of its own to kill: {exc}"
            if os.environ.get("DANVAN_REQUIRE_POSTGRES"):
                pytest.fail(reason)
            pytest.skip(reason)
        database_url = f"{cluster.admin_url}/danvan"
        yield settings.model_copy(update={"database_url": database_url}), cluster


@pytest.mark.parametrize(
    # the everyday suite follows the stores (as `danvan up` does); CI both (-m slow)
    "follower_source",
    [pytest.param("feeds", marks=pytest.mark.slow), "stores"],
)
@POSTGRES_SLOW
def test_sigkill_registry_dialogue_aggregator_and_postgres_under_load(
    settings: Settings, follower_source: str
) -> None:
    with (
        faults_settings(settings) as (settings, cluster),
        running_services(settings, follower_source=follower_source) as services,
    ):
        run = run_faults(services, writes=300, clients=8, cluster=cluster, prefix="ci")
        report = "\n".join(r.describe() for r in run.recoveries)
        assert [r.target for r in run.recoveries] == [
            "registry",
            "dialogue",
            "aggregator",
            *(["postgres"] if cluster else []),
        ]
        assert all(r.self_healed for r in run.recoveries), report
        proof = prove(services, run.outcomes)
    log.info("%s\n%s", proof.summary(), report)  # pytest --log-cli-level=INFO shows it
    assert proof.problems() == [], proof.summary()
    assert proof.tables_equal is True
    assert proof.gave_up == 0, proof.summary()
    assert proof.acknowledged == proof.writes  # the load's 300 and the probes after each kill
    assert sum(proof.expected.values()) == proof.acknowledged
    assert proof.retried > 0  # the kills were felt: some writes needed another attempt
    assert all(r.in_flight > 0 for r in run.recoveries)


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_the_proofs_see_a_doubled_and_a_lost_write(settings: Settings) -> None:
    """The harness is not vacuous: a write made twice (no key) and an acknowledgement the store
    never saw are both reported, and the honest write beside them is not."""
    doubled, lost, honest = Write.model("meta-1"), Write.model("meta-2"), Write.kien_nghi("meta-3")
    with running_services(settings) as services:
        with services.client("registry", "token-officer") as registry:
            ids = [registry.post("/models", json=doubled.body).json()["id"] for _ in range(2)]
        writer = Writer(services.urls(), "token-officer", Retry())
        try:
            outcomes = [writer.send(honest)]
        finally:
            writer.close()
        outcomes += [
            Outcome(doubled, "acked", 1, 0, 0, id=ids[0]),
            Outcome(lost, "acked", 1, 0, 0, id="00000000-0000-0000-0000-000000000000"),
        ]
        proof = prove(services, outcomes, rebuild=False)
    problems = "\n".join(proof.problems())
    assert "written twice: meta-1" in problems
    assert "not in the store exactly once: meta-2" in problems
    assert "meta-3" not in problems
    assert proof.totals == {"registered": 2, "received": 1}
    assert proof.expected == {"registered": 1, "received": 1}
