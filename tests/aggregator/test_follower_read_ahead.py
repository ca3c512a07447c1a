"""The live follower asks for its next page while it applies the current one, and still applies
every event once, in order, whatever else moves its position."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import update

from services.aggregator.database import create_read_model_engine, migrate, session_factory
from services.aggregator.follower import Follower
from services.aggregator.projections.rows import Changes
from services.aggregator.tables import Tracking
from shared.events import FeedItem, dumps, position_of
from shared.settings import Settings

STORE = "store-1"


class Feed:
    """GET /events over a list of positions, recording each request's `after` when it arrives."""

    def __init__(self, positions: list[int]) -> None:
        self.positions = positions
        self.asked: list[int] = []
        self.lock = threading.Lock()

    def get(self, url: str, *, params: dict[str, Any] | None = None) -> httpx.Response:
        assert url == "/events" and params is not None
        after, limit = int(params["after"]), int(params["limit"])
        with self.lock:
            self.asked.append(after)
        page = [p for p in self.positions if p > after][:limit]
        items = [
            {"position": p, "type": "Model.Noted", "recorded_at": "2024-05-01T00:00:00+00:00"}
            for p in page
        ]
        body = {"store_id": STORE, "items": items, "next_after": page[-1] if page else after}
        return httpx.Response(200, content=dumps(body), request=httpx.Request("GET", url))


class Applied:
    """A projector that records each batch and what the feed had been asked by then."""

    def __init__(self, feed: Feed) -> None:
        self.feed = feed
        self.batches: list[list[int]] = []
        self.asked_before: list[list[int]] = []

    def __call__(self, changes: Changes, items: list[FeedItem]) -> None:
        self.feed_settles()
        with self.feed.lock:
            self.asked_before.append(list(self.feed.asked))
        self.batches.append([position_of(item) for item in items])

    def feed_settles(self) -> None:
        """Gives a request on its way time to arrive (it is on another thread)."""
        for _ in range(200):
            with self.feed.lock:
                if len(self.feed.asked) > len(self.batches) + 1:
                    return
            threading.Event().wait(0.005)


@pytest.fixture
def sessions(settings: Settings) -> Iterator[Any]:
    engine = create_read_model_engine(settings)
    migrate(engine)
    yield session_factory(engine)
    engine.dispose()


@pytest.mark.parametrize("read_ahead", [True, False])
def test_the_next_page_is_asked_for_while_the_current_one_is_applied(
    sessions: Any, read_ahead: bool
) -> None:
    feed = Feed([1, 2, 3, 5, 8, 9, 10])
    applied = Applied(feed)
    follower = Follower("registry", feed, sessions, applied, page_size=3, read_ahead=read_ahead)
    while follower.step():
        pass
    assert applied.batches == [[1, 2, 3], [5, 8, 9], [10]]
    assert follower.position() == (STORE, 10)
    # while the page after 0 was applied, the page after 3 had been asked for already, or not
    assert (3 in applied.asked_before[0]) is read_ahead
    assert feed.asked.count(3) == 1  # the page read ahead is the one applied, not asked again


def test_a_page_read_ahead_for_a_position_moved_elsewhere_is_dropped(sessions: Any) -> None:
    feed = Feed(list(range(1, 11)))
    applied = Applied(feed)
    follower = Follower("registry", feed, sessions, applied, page_size=3, read_ahead=True)
    follower.step()  # applies 1-3 and asks for the page after 3
    with sessions.begin() as session:  # another follower applied up to 6 meanwhile
        session.execute(update(Tracking).values(position=6))
    while follower.step():
        pass
    assert applied.batches == [[1, 2, 3], [7, 8, 9], [10]]
    assert follower.position() == (STORE, 10)


@pytest.mark.parametrize("read_ahead", [True, False])
def test_behind_the_follower_takes_larger_pages_and_back_live_small_ones(
    sessions: Any, read_ahead: bool
) -> None:
    feed = Feed(list(range(1, 31)))
    applied = Applied(feed)
    follower = Follower(
        "registry",
        feed,
        sessions,
        applied,
        page_size=3,
        catch_up_page_size=10,
        read_ahead=read_ahead,
    )
    while follower.step():
        pass
    # a full page of 3: behind, so pages of 10 until a short one; live again, pages of 3
    assert [len(batch) for batch in applied.batches] == [3, 10, 10, 7]
    assert follower.limit == 3
    feed.positions += [31, 32, 33, 34]
    while follower.step():
        pass
    assert [len(batch) for batch in applied.batches[4:]] == [3, 1]
