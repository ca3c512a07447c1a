"""A kiến nghị received before attributes and published existed still loads, and shows as it did."""

from __future__ import annotations

from dataclasses import replace
from uuid import UUID

from fastapi.testclient import TestClient

from services.dialogue.domain import KienNghi
from tests.helpers import app_of
from tests.open311.helpers import CENTRE, one_request, submitted


def test_a_received_event_without_the_new_fields_still_loads(dialogue: TestClient) -> None:
    request_id = submitted(dialogue, publish_location_and_media="true")
    dialogues = app_of(dialogue).state.dialogues
    [stored] = dialogues.recorder.select_events(UUID(request_id))
    transcoder = dialogues.mapper.transcoder
    state = transcoder.decode(stored.state)
    assert state["published"] is True and state["attributes"] == {"damage_kind": "pothole"}
    older = {k: v for k, v in state.items() if k not in ("attributes", "published")}

    event = dialogues.mapper.to_domain_event(replace(stored, state=transcoder.encode(older)))
    kien_nghi = event.mutate(None)

    assert isinstance(kien_nghi, KienNghi)
    assert (kien_nghi.attributes, kien_nghi.published) == ({}, False)
    assert kien_nghi.unit_code == "00004"
    # as stored now, with the fields: the reporter's consent shows its point
    assert one_request(dialogue, request_id)["lat"] != CENTRE[0]
