"""No input gets a 5xx: bad input is a 4xx in the API's error format naming the field by its
JSON path, and writes nothing. Numbers stay inside what the stores hold, dates are ISO strings,
text holds no control characters, the body cap counts the bytes that arrive, a body that is
not JSON is 415 and one that is not UTF-8 400; an erasure of an unknown subject is 404; a
subject's key is made once however many first seals race; an attachment uploaded again after
its subject's erasure is readable again, for the new record only."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import orjson
from fastapi.testclient import TestClient

from services.dialogue.main import create_app as create_dialogue
from shared.auth import TokenStore
from shared.principal import Role
from shared.settings import Settings
from testkit.records import model_body
from tests.citizens.test_app_journey import CITIZEN, OFFICER, PNG, submit, upload
from tests.conftest import bearer
from tests.dialogue.helpers import created, dialogue_body, kien_nghi_body
from tests.helpers import catch_up, register

AUDITOR, ADMIN = bearer("auditor"), bearer("admin")
HUGE = 18446744073709551616  # 2**64: past every integer PostgreSQL stores
BIGINT_MAX = 2**63 - 1
JSON = {"Content-Type": "application/json"}


def error_of(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    error: dict[str, Any] = response.json()["error"]
    return error


def head(client: TestClient) -> int:
    position: int = client.get("/events/head", headers=AUDITOR).json()["position"]
    return position


def chunks(content: bytes, size: int = 64 * 1024) -> Iterator[bytes]:
    """A body sent chunked: no Content-Length for the server to trust."""
    for start in range(0, len(content), size):
        yield content[start : start + size]


def png_of(size: int) -> bytes:
    return PNG + b"\0" * (size - len(PNG))


# 1. integers bounded where they enter


def test_integers_past_their_bounds_are_422_naming_the_field_and_write_nothing(
    registry: TestClient, dialogue: TestClient
) -> None:
    model_id = register(registry)
    before = head(registry), head(dialogue)
    year = error_of(registry.post("/models", json=model_body(year=HUGE)), 422)
    assert (year["field"], year["details"][0]["code"]) == ("year", "less_than_equal")
    assert error_of(registry.post("/models", json=model_body(year=2101)), 422)["field"] == "year"
    for version in (str(HUGE), str(BIGINT_MAX + 1), "\u00b2", "1.0", "-1"):
        refused = registry.post(
            f"/models/{model_id}/progress",
            json={"summary": "Lần 1"},
            headers={b"If-Match": f'"{version}"'.encode("latin-1")},
        )
        assert error_of(refused, 422)["field"] == "If-Match", version
    stale = registry.post(
        f"/models/{model_id}/progress", json={"summary": "x"}, headers={"If-Match": '"7"'}
    )
    assert stale.status_code == 409  # a version in range is compared, as before

    assert (head(registry), head(dialogue)) == before

    dialogue_id = created(dialogue, "/dialogues", dialogue_body())
    before = head(registry), head(dialogue)
    for participants in (HUGE, 10**9, 0):
        held = dialogue.post(
            f"/dialogues/{dialogue_id}/held",
            json={"participants": participants, "held_on": "2024-03-01"},
        )
        assert error_of(held, 422)["field"] == "participants", participants
    assert (head(registry), head(dialogue)) == before
    kien_nghi = created(dialogue, "/kien-nghi", kien_nghi_body())
    before = head(registry), head(dialogue)
    rated = dialogue.post(f"/kien-nghi/{kien_nghi}/rating", json={"rating": HUGE})
    assert error_of(rated, 422)["field"] == "rating"
    assert (head(registry), head(dialogue)) == before


def test_feed_positions_are_bigints_on_both_write_services(
    registry: TestClient, dialogue: TestClient
) -> None:
    for service in (registry, dialogue):
        refused = service.get("/events", params={"after": BIGINT_MAX + 1}, headers=AUDITOR)
        assert error_of(refused, 422)["field"] == "after"
        last = service.get("/events", params={"after": BIGINT_MAX}, headers=AUDITOR)
        assert last.status_code == 200 and last.json()["items"] == []


def test_aggregator_numbers_never_reach_the_database_out_of_range(
    registry: TestClient, aggregator: TestClient
) -> None:
    register(registry)
    catch_up(aggregator)
    for raw in (str(HUGE), "\u00b2", "-1", "x"):
        waited = aggregator.get("/followers/wait", params={"registry": raw, "timeout": 0})
        assert error_of(waited, 422)["field"] == "registry", raw
    for report, name in (("models", "model_year"), ("models", "year"), ("awards", "year")):
        refused = aggregator.get(f"/reports/{report}", params={name: "99999999999999999999"})
        error = error_of(refused, 422)
        assert (error["code"], error["field"]) == ("number_out_of_range", name)
    nothing = aggregator.get("/reports/models", params={"model_year": "99999"})
    assert nothing.status_code == 200 and nothing.json()["total"]["registered"] == 0
    counted = aggregator.get("/reports/models", params={"model_year": "2021"})
    assert counted.json()["total"]["registered"] == 1


# 2. ids that are not UUIDs


def test_ids_that_are_not_uuids_are_422_naming_the_field(
    registry: TestClient, dialogue: TestClient
) -> None:
    erased = dialogue.post(
        "/personal-data/erasures", json={"kien_nghi_id": "abc", "reason": "x"}, headers=ADMIN
    )
    error = error_of(erased, 422)
    assert (error["field"], error["details"][0]["code"]) == ("kien_nghi_id", "uuid_parsing")
    assert error_of(registry.get("/models/abc"), 422)["field"] == "model_id"
    feed = dialogue.get("/events", params={"aggregate_id": "1"}, headers=AUDITOR)
    assert error_of(feed, 422)["field"] == "aggregate_id"


# 3. strict types: dates and datetimes are ISO strings


def test_a_date_is_an_iso_string_never_a_number(
    registry: TestClient, dialogue: TestClient, aggregator: TestClient
) -> None:
    award = {
        "award": "commendation",
        "recipient_kind": "collective",
        "recipient": "Chi hội phụ nữ tổ dân phố 5",
        "unit_code": "00004",
        "conferred_by": "district",
    }
    before = head(registry)
    for value in (0, 1_700_000_000, 20240101.0, "0", "20240101", "2024-1-5", True):
        refused = registry.post("/awards", json={**award, "conferred_on": value})
        error = error_of(refused, 422)
        assert error["field"] == "conferred_on", value
        assert error["message"] == "Phải là ngày dạng YYYY-MM-DD.", value
    assert head(registry) == before
    assert registry.post("/awards", json={**award, "conferred_on": "2024-01-05"}).status_code == 201
    scheduled = dialogue.post("/dialogues", json=dialogue_body(scheduled_on=0))
    assert error_of(scheduled, 422)["field"] == "scheduled_on"
    english = registry.post(
        "/models", json=model_body(registered_on=0), headers={"Accept-Language": "en"}
    )
    assert "YYYY-MM-DD" in error_of(english, 422)["message"]

    for path, name in (
        ("/reports/models", "to"),
        ("/reports/models", "from"),
        ("/reports/models/coverage", "on"),
        ("/kien-nghi", "received_from"),
        ("/kien-nghi", "received_to"),
    ):
        refused = aggregator.get(path, params={"unit": "01", name: "0"})
        assert error_of(refused, 422)["field"] == name, (path, name)
    assert aggregator.get("/reports/models", params={"to": "2024-12-31"}).status_code == 200


def test_feed_times_are_iso_strings(registry: TestClient) -> None:
    register(registry)
    for name in ("from", "to"):
        for value in ("0.5", "0", "1700000000"):
            refused = registry.get("/events", params={name: value}, headers=AUDITOR)
            error = error_of(refused, 422)
            assert (error["field"], error["details"][0]["code"]) == (name, "datetime_type")
    for value in ("2024-01-01", "2024-01-01T08:00:00", "2024-01-01T08:00:00+07:00"):
        found = registry.get("/events", params={"from": value}, headers=AUDITOR)
        assert found.status_code == 200 and found.json()["items"], value


def test_text_with_control_characters_is_refused_before_any_store_sees_it(
    registry: TestClient, dialogue: TestClient, aggregator: TestClient
) -> None:
    """PostgreSQL refuses NUL in text: stored in an event, it stopped the read models' follower."""
    before = head(registry), head(dialogue)
    title = error_of(registry.post("/models", json=model_body(title="Mô hình\u0000")), 422)
    assert (title["field"], title["details"][0]["code"]) == ("title", "string_control_character")
    fields = error_of(registry.post("/models", json=model_body(body="Hội\u0007")), 422)
    assert fields["field"] == "body"
    contact = dialogue.post(
        "/app/kien-nghi",
        json={
            "category": "land",
            "content": "Kiến nghị",
            "unit_code": "00004",
            "contact": {"name": "Hoa\u0000"},
        },
        headers=CITIZEN,
    )
    assert error_of(contact, 422)["field"] == "contact.name"
    topics = dialogue.post("/dialogues", json=dialogue_body(topics=["Đất đai", "Nhà\u0000ở"]))
    assert error_of(topics, 422)["field"] == "topics[1]"
    assert (head(registry), head(dialogue)) == before
    kept = registry.post("/models", json=model_body(description="Dòng 1\nDòng 2\tcột"))
    assert kept.status_code == 201  # line feeds and tabs are text

    catch_up(aggregator)
    for name, field in (("citizen", "citizen"), ("category", "category"), ("id", "id[0]")):
        refused = aggregator.get("/kien-nghi", params={name: "a\u0000b"})
        assert error_of(refused, 422)["field"] == field, name
    filtered = aggregator.get("/reports/models", params={"sector": "a\u0000b"})
    assert error_of(filtered, 422)["field"] == "sector"
    assert all(f["last_error"] is None for f in aggregator.get("/followers").json())


# 4. the body cap counts the bytes that arrive


def test_a_chunked_body_over_the_cap_is_413_before_it_is_parsed(
    registry: TestClient, dialogue: TestClient
) -> None:
    too_large = b'{"title": "' + b"x" * 2_000_000 + b'"}'  # valid JSON: parsed, it would be 422
    refused = registry.post("/models", content=chunks(too_large), headers=JSON)
    error = error_of(refused, 413)
    assert (error["code"], error["field"]) == ("payload_too_large", "body")
    assert "content-length" not in {k.lower() for k in refused.request.headers}
    english = registry.post(
        "/models", content=chunks(too_large), headers={**JSON, "Accept-Language": "en"}
    )
    assert error_of(english, 413)["message"] == "The request body is too large."
    under = registry.post(
        "/models", content=chunks(b'{"title": "' + b"x" * 900_000 + b'"}'), headers=JSON
    )
    assert under.status_code == 422  # read and parsed: under the cap
    open311 = dialogue.post(
        "/open311/v2/requests.json",
        content=chunks(b"description=" + b"x" * 2_000_000),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert open311.status_code == 413 and open311.json()[0]["code"] == 413


def test_the_upload_cap_follows_the_attachment_setting(settings: Settings) -> None:
    small = settings.model_copy(update={"max_attachment_bytes": 20_000})
    with TestClient(create_dialogue(small), headers=CITIZEN) as client:
        fits = client.post("/app/attachments", files={"file": ("p.png", png_of(20_000))})
        assert fits.status_code == 201, fits.text
        # over the attachment's cap, inside its envelope: read, then refused on its size
        over = client.post("/app/attachments", files={"file": ("p.png", png_of(30_000))})
        assert error_of(over, 422)["code"] == "attachment_too_large"
        # far over: refused as it arrives, its length declared or not
        files = {"file": ("p.png", png_of(500_000), "image/png")}
        multipart = client.build_request("POST", "/app/attachments", files=files)
        content = multipart.read()
        headers = {"Content-Type": multipart.headers["Content-Type"]}
        for body in (content, chunks(content)):
            refused = client.post("/app/attachments", content=body, headers=headers)
            assert error_of(refused, 413)["code"] == "payload_too_large"


# 5. wrong content type, invalid UTF-8


def test_json_sent_as_another_media_type_is_415(registry: TestClient, dialogue: TestClient) -> None:
    body = model_body()
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "application/xml"):
        refused = registry.post(
            "/models", content=orjson.dumps(body), headers={"Content-Type": content_type}
        )
        error = error_of(refused, 415)
        assert (error["code"], error["field"]) == ("unsupported_media_type", "body")
        assert content_type in error["message"]
    untyped = registry.post("/models", content=orjson.dumps(body), headers={"Content-Type": ""})
    assert error_of(untyped, 415)["code"] == "unsupported_media_type"
    assert registry.post("/models", content=orjson.dumps(body), headers=JSON).status_code == 201
    app = dialogue.post(
        "/app/kien-nghi",
        content=b'{"category": "land", "content": "x", "unit_code": "00004"}',
        headers={**CITIZEN, "Content-Type": "text/plain"},
    )
    assert error_of(app, 415)["field"] == "body"


def test_a_json_body_that_is_not_utf8_is_400_naming_the_body(registry: TestClient) -> None:
    before = head(registry)
    for content in (b'{"title": "\xff\xfe"}', b'{"title": "\xc3"}', "{}".encode("utf-16")):
        refused = registry.post("/models", content=content, headers=JSON)
        error = error_of(refused, 400)
        assert (error["code"], error["field"]) == ("body_not_utf8", "body"), content
    split = "Mô hình".encode()  # a character cut across two chunks is still UTF-8
    pieces = [b'{"title": "' + split[:2], split[2:] + b'"}']
    assert registry.post("/models", content=iter(pieces), headers=JSON).status_code == 422
    assert head(registry) == before


# 6. errors name the JSON path of the field


def test_errors_name_the_json_path_of_each_field(
    registry: TestClient, dialogue: TestClient, aggregator: TestClient
) -> None:
    without_body = {k: v for k, v in model_body().items() if k != "body"}
    missing = error_of(registry.post("/models", json=without_body), 422)
    assert (missing["field"], missing["details"][0]["code"]) == ("body", "missing")
    listed = error_of(registry.post("/models", json=model_body(fields=["economy", 3])), 422)
    assert listed["field"] == "fields[1]"
    several = error_of(
        registry.post("/models", json=model_body(title="", fields=["economy", "x"], year=1)), 422
    )
    assert {d["field"] for d in several["details"]} == {"title", "fields[1]", "year"}
    phone = dialogue.post(
        "/app/kien-nghi",
        json={
            "category": "land",
            "content": "x",
            "unit_code": "00004",
            "contact": {"phone": "ab"},
        },
        headers=CITIZEN,
    )
    assert error_of(phone, 422)["field"] == "contact.phone"
    nothing = error_of(registry.post("/models", content=b"", headers=JSON), 422)
    assert nothing["field"] == "body"
    query = error_of(aggregator.get("/reports/models", params={"format": "pdf"}), 422)
    assert query["field"] == "format"
    header = error_of(
        registry.post("/models", json=model_body(), headers={"Idempotency-Key": "k" * 201}), 422
    )
    assert header["field"] == "Idempotency-Key"


def test_a_json_syntax_error_gives_its_line_and_column(registry: TestClient) -> None:
    one_line = error_of(registry.post("/models", content=b'{"title": "x",,}', headers=JSON), 400)
    assert (one_line["code"], one_line["field"]) == ("json_invalid", "body")
    assert one_line["params"] == {"line": 1, "column": 15}
    assert one_line["message"] == "JSON không hợp lệ ở dòng 1, cột 15."
    document = b'{\n  "title": "x",\n  "year": 2021,\n    ]\n}'
    lines = registry.post("/models", content=document, headers={**JSON, "Accept-Language": "en"})
    error = error_of(lines, 400)
    assert error["params"] == {"line": 4, "column": 5}
    assert error["message"].startswith("Invalid JSON at line 4, column 5: ")
    assert error["details"] == [
        {
            "field": "body",
            "code": "json_invalid",
            "message": error["message"],
            "params": {
                "line": 4,
                "column": 5,
            },
        }
    ]


# 7. erasing a subject that never existed


def test_erasing_an_unknown_subject_is_404_and_records_nothing(dialogue: TestClient) -> None:
    before = head(dialogue)
    unknown = dialogue.post(
        "/personal-data/erasures",
        json={"subject": "00000000-0000-0000-0000-000000000000", "reason": "Yêu cầu"},
        headers=ADMIN,
    )
    error = error_of(unknown, 404)
    assert (error["code"], error["field"]) == ("subject_not_found", "subject")
    missing = dialogue.post(
        "/personal-data/erasures",
        json={"kien_nghi_id": "00000000-0000-0000-0000-000000000000", "reason": "Yêu cầu"},
        headers=ADMIN,
    )
    assert error_of(missing, 404)["code"] == "kien_nghi_not_found"
    assert head(dialogue) == before

    submitted = submit(dialogue)  # sealed its contact: the vault holds a key for its subject
    subject = dialogue.get(f"/kien-nghi/{submitted['id']}", headers=OFFICER).json()["citizen"]
    known = dialogue.post(
        "/personal-data/erasures", json={"subject": subject, "reason": "Yêu cầu"}, headers=ADMIN
    )
    assert known.status_code == 200 and known.json() == {"subject": subject, "erased": True}
    again = dialogue.post(
        "/personal-data/erasures", json={"subject": subject, "reason": "Lần nữa"}, headers=ADMIN
    )
    assert again.status_code == 200  # erased before: it existed; nothing more is recorded
    erasures = [
        e
        for e in dialogue.get("/events", headers=AUDITOR).json()["items"]
        if e["type"] == "DataSubject.Erased"
    ]
    assert [e["data"]["subject"] for e in erasures] == [subject]


def test_a_subject_named_by_a_kien_nghi_exists_without_a_key(dialogue: TestClient) -> None:
    """Nothing sealed (no contact, no place, no device): no key, and yet a record names it."""
    submitted = dialogue.post(
        "/app/kien-nghi",
        json={"category": "land", "content": "Kiến nghị", "unit_code": "00004"},
        headers=CITIZEN,
    ).json()
    by_record = dialogue.post(
        "/personal-data/erasures",
        json={"kien_nghi_id": submitted["id"], "reason": "Yêu cầu"},
        headers=ADMIN,
    )
    assert by_record.status_code == 200, by_record.text


# 8. a subject's key is made once, however many first seals race


def test_first_seals_of_one_new_subject_at_once_all_succeed(
    dialogue: TestClient, settings: Settings
) -> None:
    """Eight new citizens each upload six files at once: each upload a first seal racing."""
    tokens = TokenStore(settings.token_path)
    citizens = [f"token-race-{n}" for n in range(8)]
    for n, token in enumerate(citizens):
        tokens.issue(f"race-{n}", Role.CITIZEN, [], token=token)

    def first_uploads(token: str) -> list[int]:
        headers = {"Authorization": f"Bearer {token}"}
        with ThreadPoolExecutor(6) as pool:
            sent = [
                pool.submit(
                    dialogue.post,
                    "/app/attachments",
                    files={"file": ("p.png", png_of(1000 + i), "image/png")},
                    headers=headers,
                )
                for i in range(6)
            ]
            return [f.result().status_code for f in sent]

    with ThreadPoolExecutor(len(citizens)) as pool:
        statuses = list(pool.map(first_uploads, citizens))
    assert statuses == [[201] * 6] * len(citizens)


# 9. an attachment uploaded again after its subject's erasure


def test_an_attachment_uploaded_again_after_erasure_is_readable_for_the_new_record_only(
    dialogue: TestClient,
) -> None:
    photo = upload(dialogue).json()["sha256"]
    first = submit(dialogue, attachments=[photo])
    erased = dialogue.post(
        "/personal-data/erasures",
        json={"kien_nghi_id": first["id"], "reason": "Yêu cầu xóa"},
        headers=ADMIN,
    )
    assert erased.status_code == 200, erased.text
    old = f"/kien-nghi/{first['id']}/attachments/{photo}"
    assert dialogue.get(old, headers=OFFICER).status_code == 404

    again = upload(dialogue)
    assert again.status_code == 201 and again.json()["sha256"] == photo
    second = submit(dialogue, attachments=[photo])
    own = dialogue.get(f"/app/kien-nghi/{second['id']}/attachments/{photo}", headers=CITIZEN)
    assert own.status_code == 200 and own.content == PNG
    officer = dialogue.get(f"/kien-nghi/{second['id']}/attachments/{photo}", headers=OFFICER)
    assert officer.status_code == 200 and officer.content == PNG
    # the erased record's attachment stays unreadable, to its officer and its citizen
    assert dialogue.get(old, headers=OFFICER).status_code == 404
    assert dialogue.get(f"/app{old}", headers=CITIZEN).status_code == 404


def test_a_refusal_of_a_path_holding_control_characters_is_recorded(
    registry: TestClient, dialogue: TestClient
) -> None:
    """The refusal log is a table: on PostgreSQL a NUL in the recorded path was a 500."""
    refused = dialogue.get("/app/kien-nghi/%00", headers=OFFICER)
    assert error_of(refused, 403)["code"] == "forbidden_role"
    assert (
        error_of(registry.get("/models/%00%1f", headers=CITIZEN), 403)["code"] == "forbidden_role"
    )
    recorded = dialogue.get("/security/denials", headers=AUDITOR).json()
    assert "/app/kien-nghi/%00" in [d["path"] for d in recorded]
