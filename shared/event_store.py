"""A write service's event store as its feed reads it: dates kept as ISO text, the head, pages
of envelopes. The service's own application and the read-only store reader are both one."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import JSONTranscoder, Transcoding

from shared.events import FeedItem, feed_page


class DateAsISO(Transcoding):
    type = dt.date
    name = "date_iso"

    def encode(self, obj: dt.date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> dt.date:
        return dt.date.fromisoformat(data)


class EventStore(Application[UUID]):
    service = "service"

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    def head(self) -> int:
        return self.recorder.max_notification_id() or 0

    def feed(self, after: int, limit: int) -> tuple[list[FeedItem], int]:
        """The items after a position and the position to ask after next: GET /events."""
        return feed_page(self.recorder, self.mapper.transcoder, after, limit)
