"""When a feed item stood in the store: the moment reports as of a moment count it from."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Final

from shared.events import FeedItem, recorded_moment
from shared.stored_time import stored_utc

IN_STORE_AT: Final = "in_store_at"  # the key the follower puts the moment under in each item


def in_store_at(item: FeedItem, latest: datetime | None) -> datetime:
    """When a feed item stood in the store, in UTC: its recorded_at, or the latest recorded_at
    before it in the feed if that is later.

    recorded_at is taken when an event is made, before its transaction commits, and the events
    one transaction stores together need not be in the order of their timestamps; the feed is
    in commit order. Never going back makes what stood at any moment a prefix of the feed: as
    of a moment, a record is never seen without what was recorded before it (a finding's
    kiến nghị without its finding).
    """
    moment = recorded_moment(item)
    moment = moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    if latest is not None:
        moment = max(moment, stored_utc(latest))
    return moment
