"""A subscriber follows one agency's changes (GET /kien-nghi/changes) while kiến nghị are
handled and the dialogue service, then the aggregator, are SIGKILLed mid-stream and restarted:
afterwards it holds every change of that agency exactly once, in the order of the dialogue
feed, none lost; its requests that failed meanwhile were asked again from its cursor."""

from __future__ import annotations

import threading
import time
from typing import Any

import httpx
import pytest

from services.aggregator.projections.kien_nghi import STEPS
from shared.auth import TokenStore
from shared.principal import Role
from shared.settings import Settings
from testkit.faults.harness import Services, running_services, start, wait_caught_up
from testkit.faults.load import Retry, Write, Writer
from testkit.faults.proofs import read_feed
from testkit.faults.subscriber import Subscriber
from tests.conftest import POSTGRES_SLOW
from tests.dialogue.helpers import kien_nghi_body

pytestmark = pytest.mark.e2e
AGENCY, OTHER = "UBND phường Trúc Bạch", "Công ty Công trình đô thị"
KIEN_NGHI = 8
# each kiến nghị's steps, in turn: every other one goes to the agency followed
STAGES: tuple[tuple[str, dict[str, Any]], ...] = (
    ("assignment", {}),
    ("answer", {"answer": "Đã cử cán bộ kiểm tra"}),
    ("resolution", {"resolution": "Đã xử lý xong"}),
    ("reopening", {"reason": "Chưa xử lý dứt điểm"}),
    ("assignment", {}),
    ("declination", {"reason": "Ngoài thẩm quyền"}),
)


def handle(services: Services, done: list[int]) -> None:
    """Writes every stage of every kiến nghị, the kiến nghị interleaved, each command under
    its own idempotency key and retried through the kills as an app retries."""
    writer = Writer(services.urls(), "token-admin", Retry(give_up_after=90))
    try:
        ids = [send(writer, f"kn-{n}", "/kien-nghi", kien_nghi_body()) for n in range(KIEN_NGHI)]
        for stage, (path, body) in enumerate(STAGES):
            for n, kien_nghi_id in enumerate(ids):
                agency = AGENCY if n % 2 == 0 else OTHER
                given = {"agency": agency} if path == "assignment" else body
                send(writer, f"kn-{n}-{stage}", f"/kien-nghi/{kien_nghi_id}/{path}", given)
                done.append(1)
                time.sleep(0.05)  # a pace the kills land amid
    finally:
        writer.close()


def send(writer: Writer, key: str, path: str, body: dict[str, Any]) -> str:
    outcome = writer.send(Write(key, "dialogue", path, body, ""))
    assert outcome.result == "acked", (key, outcome.errors[-3:])
    assert outcome.id is not None
    return outcome.id


def agency_steps(services: Services) -> list[tuple[int, str, str]]:
    """(position, kiến nghị, step) of the agency's changes, worked out from the dialogue
    service's own feed: a step is the agency's if the kiến nghị is with it after the step, or
    was before a reopening (which leaves it with none)."""
    held: dict[str, str | None] = {}
    found = []
    for item in read_feed(services, "dialogue"):
        if item["type"] not in STEPS:
            continue
        kind = item["type"].removeprefix("KienNghi.")
        kien_nghi_id = str(item["aggregate_id"])
        before = held.get(kien_nghi_id)
        held[kien_nghi_id] = item["data"]["agency"] if kind == "Assigned" else before
        if kind == "Reopened":
            held[kien_nghi_id] = None
        if (held[kien_nghi_id] or before) == AGENCY:
            found.append((item["position"], kien_nghi_id, kind))
    return found


def wait_until(condition: Any, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@pytest.mark.parametrize(
    # as test_sigkill: the everyday suite follows the stores, CI the feeds too (-m slow)
    "follower_source",
    [pytest.param("feeds", marks=pytest.mark.slow), "stores"],
)
@POSTGRES_SLOW
def test_an_agencys_subscriber_loses_nothing_when_dialogue_and_aggregator_are_killed(
    settings: Settings, follower_source: str
) -> None:
    # the ward's own system: a principal scoped to its unit
    TokenStore(settings.token_path).issue("ward-system", Role.OFFICER, ["00004"], "token-ward")
    with running_services(settings, follower_source=follower_source) as services:
        with httpx.Client(
            base_url=services.aggregator.url,
            headers={"Authorization": "Bearer token-ward"},
            timeout=httpx.Timeout(10, connect=1),
        ) as client:
            subscriber = Subscriber(
                lambda params: client.get("/kien-nghi/changes", params=params),
                {"agency": AGENCY},
            ).start()
            done: list[int] = []
            writes = threading.Thread(target=handle, args=(services, done))
            writes.start()
            try:
                wait_until(lambda: len(subscriber.received) >= 3)
                services.dialogue.kill()  # mid-stream: steps in flight, the feed being read
                time.sleep(0.5)
                start(services.dialogue)
                seen = len(subscriber.received)
                wait_until(lambda: len(subscriber.received) > seen)
                services.aggregator.kill()  # the one the subscriber asks
                time.sleep(0.5)
                start(services.aggregator)
            finally:
                writes.join(timeout=300)
            assert len(done) == KIEN_NGHI * len(STAGES), "every step was acknowledged"
            assert wait_caught_up(services, timeout=60)
            subscriber.close()
            subscriber.drain()

        expected = agency_steps(services)
    received = [(c["position"], c["kien_nghi_id"], c["step"]) for c in subscriber.received]
    assert len(expected) == KIEN_NGHI // 2 * len(STAGES)
    assert received == expected  # each once, in the feed's order (so per kiến nghị), none lost
    assert all(c["agency"] == AGENCY for c in subscriber.received)
    assert subscriber.failures, "the aggregator's kill was felt: some requests were asked again"
