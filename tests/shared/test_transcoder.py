"""The stores' orjson transcoder reads exactly what the library's own JSON transcoder reads."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from uuid import UUID, uuid4

from eventsourcing.persistence import DatetimeAsISO, DecimalAsStr, JSONTranscoder, UUIDAsHex
from fastapi.testclient import TestClient

from services.store_names import APPLICATION_NAMES
from shared.audit.sources import open_store
from shared.event_store import DateAsISO
from shared.settings import Settings
from shared.transcoder import OrjsonTranscoder
from tests.dialogue.helpers import finding_body, supervision_body
from tests.helpers import recognise, register

ADMIN = {"Authorization": "Bearer token-admin"}


def transcoders() -> tuple[JSONTranscoder, OrjsonTranscoder]:
    library, ours = JSONTranscoder(), OrjsonTranscoder()
    for transcoder in (library, ours):  # as the applications register them
        for transcoding in (UUIDAsHex(), DecimalAsStr(), DatetimeAsISO(), DateAsISO()):
            transcoder.register(transcoding)
    return library, ours


def test_decodes_what_it_encodes_as_the_library_does() -> None:
    library, ours = transcoders()
    values = [
        {
            "timestamp": dt.datetime(2021, 3, 1, 7, 30, 0, 123456, tzinfo=dt.UTC),
            "on": dt.date(2021, 3, 1),
            "id": uuid4(),
            "amount": Decimal("12.50"),
            "title": 'Mô hình "Dân vận khéo" — {"_type_": "uuid_hex"}',
            "fields": ["new_rural", dt.date(2020, 1, 1)],
            "nested": {"deeper": [[dt.date(2019, 5, 6)], {}], "empty": []},
            # an object with the wrapper's keys and one more is no wrapper
            "lookalike": {"_type_": "date_iso", "_data_": "2020-01-01", "more": 1},
            "count": 2**62,
            "ratio": 0.863,
            "none": None,
            "flag": True,
        },
        [dt.date(2025, 7, 1), UUID(int=0)],
        "plain",
    ]
    for value in values:
        stored = library.encode(value)
        assert ours.encode(value) == stored  # encoding is the library's, byte for byte
        assert ours.decode(stored) == library.decode(stored) == value
    event = ours.decode(library.encode(values[0]))
    assert event["nested"]["deeper"][0][0] == dt.date(2019, 5, 6)
    assert event["fields"][1] == dt.date(2020, 1, 1) and isinstance(event["id"], UUID)
    assert event["lookalike"] == {"_type_": "date_iso", "_data_": "2020-01-01", "more": 1}


def test_reads_what_orjson_refuses_through_the_library() -> None:
    library, ours = transcoders()
    stored = library.encode({"x": math.nan, "big": 2**70})
    decoded = ours.decode(stored)
    assert math.isnan(decoded["x"]) and decoded["big"] == 2**70


def test_every_stored_event_decodes_the_same_and_the_stores_use_it(
    settings: Settings, registry: TestClient, dialogue: TestClient
) -> None:
    recognise(registry, register(registry))
    case = dialogue.post(
        "/supervisions", json=supervision_body(kind="inspection_case"), headers=ADMIN
    )
    case.raise_for_status()
    finding = dialogue.post(
        f"/supervisions/{case.json()['id']}/findings", json=finding_body(), headers=ADMIN
    )
    finding.raise_for_status()
    library, _ = transcoders()
    compared = 0
    for service, name in APPLICATION_NAMES.items():
        reader = open_store(settings, service, name)
        try:
            assert isinstance(reader.mapper.transcoder, OrjsonTranscoder)
            for stored in reader.recorder.select_notifications(start=0, limit=1000):
                assert reader.mapper.transcoder.decode(stored.state) == library.decode(stored.state)
                compared += 1
        finally:
            reader.close()
    # two store identities, a model registered and recognised, a case, its finding, its kiến nghị
    assert compared >= 7
