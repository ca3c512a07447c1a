"""The first event of every store: names it, so followers notice a different or reset store,
and auditors which store a chain belongs to."""

from __future__ import annotations

from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event
from eventsourcing.utils import register_topic

from shared.commands import DANVAN_NAMESPACE


class StoreIdentity(Aggregate):
    @staticmethod
    def create_id() -> UUID:
        return uuid5(DANVAN_NAMESPACE, "store-identity")

    @event("Created")
    def __init__(self, store_id: str, service: str) -> None:
        self.store_id = store_id
        self.service = service


# recorded before this module was split from shared.application: their topics name it there
register_topic("shared.application:StoreIdentity", StoreIdentity)
