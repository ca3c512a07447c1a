"""follower_source=stores: the live followers read the write services' event stores directly."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

from fastapi.testclient import TestClient

from services.aggregator.main import create_app as create_aggregator
from services.aggregator.stores import SQLITE_POLL, LiveStoreFeed, StoreFeed
from services.dialogue.main import create_app as create_dialogue
from services.registry.main import create_app as create_registry
from services.store_names import APPLICATION_NAMES
from shared.audit.sources import open_store
from shared.settings import Settings
from tests.conftest import bearer
from tests.dialogue.helpers import created, kien_nghi_body
from tests.helpers import catch_up, register


def following_stores(settings: Settings) -> Settings:
    # nothing listens on these: a follower that used HTTP would never catch up
    return settings.model_copy(
        update={
            "follower_source": "stores",
            "registry_url": "http://127.0.0.1:9",
            "dialogue_url": "http://127.0.0.1:9",
        }
    )


def test_the_aggregator_follows_the_stores_even_when_it_starts_before_them(
    settings: Settings,
) -> None:
    with TestClient(
        create_aggregator(following_stores(settings)), headers=bearer("auditor")
    ) as aggregator:
        deadline = time.monotonic() + 30  # the followers try, find no store yet, back off
        statuses = aggregator.get("/followers").json()
        while not all(s["last_error"] for s in statuses):
            assert time.monotonic() < deadline, statuses
            time.sleep(0.05)
            statuses = aggregator.get("/followers").json()
        assert {s["upstream"]: s["position"] for s in statuses} == {"registry": 0, "dialogue": 0}

        with (
            TestClient(create_registry(settings), headers=bearer("officer")) as registry,
            TestClient(create_dialogue(settings), headers=bearer("officer")) as dialogue,
        ):
            for _ in range(3):
                register(registry, year=2022, registered_on="2022-03-01")
            record_id = created(dialogue, "/kien-nghi", kien_nghi_body())
            catch_up(aggregator)

            models = aggregator.get("/reports/models", params={"model_year": 2022}).json()
            assert models["total"]["registered"] == 3
            listed = aggregator.get("/kien-nghi", params={"id": record_id}).json()
            assert [item["id"] for item in listed["items"]] == [record_id]
            statuses = aggregator.get("/followers").json()
            assert not any(s["last_error"] for s in statuses), statuses
            ready = aggregator.get("/ready")
            assert ready.status_code == 200, ready.text


def test_a_store_feed_long_polls_until_an_event_is_recorded(
    settings: Settings, registry: TestClient
) -> None:
    register(registry)
    feed = LiveStoreFeed(settings, "registry", APPLICATION_NAMES["registry"])
    try:
        head = feed.get("/events/head").json()["position"]
        started = time.monotonic()
        quiet = feed.get("/events", params={"after": head, "wait": 0.3}).json()
        assert quiet["items"] == [] and time.monotonic() - started >= 0.3

        writer = threading.Timer(0.3, register, args=(registry,))
        writer.start()
        started = time.monotonic()
        page = feed.get("/events", params={"after": head, "wait": 20, "limit": 10}).json()
        waited = time.monotonic() - started
        writer.join()
        assert [item["type"] for item in page["items"]] == ["Model.Registered"]
        assert page["items"][0]["position"] > head
        assert 0.2 <= waited < 10  # answered once the write was recorded, not at the deadline
    finally:
        feed.close()


def test_a_store_feed_s_long_poll_ends_as_the_write_commits(
    settings: Settings, registry: TestClient
) -> None:
    """PostgreSQL: the wait listens on the store's channel, so even with its head read only
    once a minute the poll answers as soon as the write is recorded. SQLite: its head is read
    every few milliseconds."""
    register(registry)
    poll = 60.0 if settings.uses_postgres else SQLITE_POLL
    feed = LiveStoreFeed(settings, "registry", APPLICATION_NAMES["registry"], poll=poll)
    try:
        head = feed.get("/events/head").json()["position"]
        lags = []
        for _ in range(5):
            recorded: list[float] = []
            writer = threading.Timer(
                0.2, lambda done=recorded: (register(registry), done.append(time.monotonic()))
            )
            writer.start()
            page = feed.get("/events", params={"after": head, "wait": 30, "limit": 10}).json()
            answered = time.monotonic()
            writer.join()
            assert page["items"], page
            head = page["next_after"]
            lags.append(answered - recorded[0])
        assert sorted(lags)[2] < 0.05, lags  # the median wake, well under the old 50 ms poll
    finally:
        feed.close()


def test_far_behind_a_store_feed_reads_ahead_in_a_child_and_then_long_polls_again(
    settings: Settings, registry: TestClient
) -> None:
    for _ in range(30):
        register(registry)
    feed = LiveStoreFeed(settings, "registry", APPLICATION_NAMES["registry"])
    plain = StoreFeed(open_store(settings, "registry", APPLICATION_NAMES["registry"]))
    try:
        after, ahead = 0, []
        while True:
            page = feed.get("/events", params={"after": after, "limit": 2}).json()
            assert page == plain.get("/events", params={"after": after, "limit": 2}).json()
            ahead.append(feed.reading_ahead)
            if len(page["items"]) < 2:
                break
            after = page["next_after"]
        # a child read every page after the first, until the short one that caught up
        assert len(ahead) > 11 and ahead == [True] * (len(ahead) - 1) + [False], ahead
        writer = threading.Timer(0.3, register, args=(registry,))
        writer.start()
        page = feed.get("/events", params={"after": page["next_after"], "wait": 20}).json()
        writer.join()
        assert [item["type"] for item in page["items"]] == ["Model.Registered"]
    finally:
        feed.close()
        plain.close()


READER = """
import sys, time
from services.aggregator.stores import ReadAhead
from shared.settings import Settings
settings = Settings.model_validate_json(sys.stdin.read())
ahead = ReadAhead(settings, "registry", sys.argv[1])
ahead.start(0, 1)  # pages of one event: the child soon waits on a full queue
print(ahead.child.pid, flush=True)
time.sleep(600)
"""


def test_a_reader_child_ends_when_its_parent_is_killed(
    settings: Settings, registry: TestClient
) -> None:
    for _ in range(5):
        register(registry)
    parent = subprocess.Popen(
        [sys.executable, "-c", READER, APPLICATION_NAMES["registry"]],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert parent.stdin is not None and parent.stdout is not None
    try:
        parent.stdin.write(settings.model_dump_json())
        parent.stdin.close()
        child = int(parent.stdout.readline())
        time.sleep(1)
        assert running(child)
    finally:
        parent.kill()  # SIGKILL: no clean-up of its own
        parent.wait()
        parent.stdout.close()
    deadline = time.monotonic() + 10
    while running(child) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not running(child)


def running(pid: int) -> bool:
    """Whether a process runs (not gone, not a zombie waiting to be reaped)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"
