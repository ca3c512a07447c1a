"""Idempotency records written before shared.commands existed still load: their stored topics
name shared.application, and they carry the HTTP status the application decided then."""

from __future__ import annotations

from dataclasses import replace
from typing import cast
from uuid import UUID

import orjson
from eventsourcing.application import Application
from eventsourcing.domain import CanMutateProtocol

from shared.commands import Idempotency, IdempotentRequest
from shared.store_identity import StoreIdentity


def test_a_record_stored_under_the_old_topic_loads() -> None:
    app: Application[UUID] = Application(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    key = Idempotency("officer-hanoi", "k-1", "digest")
    record = IdempotentRequest.accept(key, {"id": "m-1"})
    [stored] = [app.mapper.to_stored_event(e) for e in record.collect_events()]
    state = orjson.loads(stored.state)
    assert stored.topic == "shared.commands:IdempotentRequest.Accepted"
    assert state.get("status") is None  # the HTTP layer decides the status now
    state["originator_topic"] = "shared.application:IdempotentRequest"
    state["status"] = 201
    old = replace(
        stored,
        topic="shared.application:IdempotentRequest.Accepted",
        state=orjson.dumps(state),
    )
    created = cast(CanMutateProtocol[IdempotentRequest], app.mapper.to_domain_event(old))
    loaded = created.mutate(None)
    assert isinstance(loaded, IdempotentRequest)
    assert (loaded.request_hash, loaded.response) == ("digest", {"id": "m-1"})


def test_a_store_identity_stored_under_the_old_topic_loads() -> None:
    app: Application[UUID] = Application(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    [stored] = [
        app.mapper.to_stored_event(e)
        for e in StoreIdentity(store_id="s-1", service="registry").collect_events()
    ]
    assert stored.topic == "shared.store_identity:StoreIdentity.Created"
    state = orjson.loads(stored.state)
    state["originator_topic"] = "shared.application:StoreIdentity"
    old = replace(
        stored, topic="shared.application:StoreIdentity.Created", state=orjson.dumps(state)
    )
    created = cast(CanMutateProtocol[StoreIdentity], app.mapper.to_domain_event(old))
    loaded = created.mutate(None)
    assert isinstance(loaded, StoreIdentity) and loaded.store_id == "s-1"
