"""Every route of every service, for every role, in and out of its scope.

The routes are read from the apps themselves: a route without a rule (a `shared.policy.allow`
dependency), or one this table does not know, fails the suite. Each route is then asked by
each role about a record (or unit) within the officer's scope and by an officer of another
province, and the answer must be what the route's rule says: 401 without credentials, 403 for
a role the rule leaves out or a unit named outside the caller's scope, 404 (exactly as for a
missing record, and recorded for auditors) for a record outside it, else the route's success.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import plotly
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient

from services.aggregator.main import create_app as create_aggregator
from services.dialogue.main import create_app as create_dialogue
from services.registry.main import create_app as create_registry
from shared import policy
from shared.audit.checkpoint_note import Cosigner
from shared.audit.note import split_note
from shared.policy import (
    AUDIT,
    DASHBOARD,
    ERASE,
    OWN,
    PUBLIC,
    PUBLIC_VIEW,
    READ,
    SIGNED_LINK,
    SUBMIT,
    WRITE,
)
from shared.principal import Role
from shared.settings import Settings
from testkit.records import model_body
from testkit.tokens import TOKENS, issue_test_tokens
from tests.conftest import bearer
from tests.dialogue.helpers import dialogue_body, finding_body, kien_nghi_body, supervision_body
from tests.helpers import app_of, award_body

# officer: Hà Nội (01), where every record below is; officer_hcm: TP Hồ Chí Minh (79)
ROLES = ("anonymous", "citizen", "citizen_2", "officer", "officer_hcm", "auditor", "admin")
IN_SCOPE = "officer"
OUT_OF_SCOPE = "officer_hcm"
OWNER, OTHER_CITIZEN, ERASED = "citizen", "citizen_2", "citizen_erased"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
# FastAPI's own pages of the API documents: public by design, not APIRoutes
DOCUMENT_PATHS = {"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"}
WITNESS = Cosigner("witness.matrix.test", Ed25519PrivateKey.from_private_bytes(bytes(32)))


def headers(role: str) -> dict[str, str]:
    return {} if role == "anonymous" else bearer(role)


@dataclass(frozen=True)
class World:
    registry: TestClient
    dialogue: TestClient
    aggregator: TestClient

    def caught_up(self) -> None:
        response = self.aggregator.get(
            "/followers/wait",
            params={"registry": "", "dialogue": "", "timeout": 30},
            headers=bearer("auditor"),
        )
        assert response.status_code == 200, response.text

    def client(self, service: str) -> TestClient:
        client: TestClient = getattr(self, service)
        return client

    def post(self, service: str, path: str, body: Any, role: str = "admin") -> dict[str, Any]:
        response = self.client(service).post(path, json=body, headers=bearer(role))
        assert response.status_code in (200, 201), (path, response.text)
        result: dict[str, Any] = response.json()
        return result

    def noted(self, service: str) -> int:
        """A new record, sealed and signed: the tree size of the service's latest note."""
        self.model() if service == REGISTRY else self.dialogue_id()
        self.sealed(service)
        size, _ = app_of(self.client(service)).state.audit.store.note()
        return int(size)

    def cosignature(self, service: str) -> tuple[str, Any]:
        size = self.noted(service)
        note = self.client(service).get(f"/checkpoints/{size}").text
        line = WITNESS.cosign(split_note(note)[0], 1765000000).line()
        return "/checkpoint/cosignatures", {"tree_size": size, "cosignature": line}

    # records at Phường Trúc Bạch (00004, Hà Nội), each in the state a command needs

    def model(self, recognised: bool = False) -> str:
        model_id = str(self.post("registry", "/models", model_body())["id"])
        if recognised:
            body = {"level": "district", "recognised_on": "2021-06-01"}
            self.post("registry", f"/models/{model_id}/recognition", body)
        return model_id

    def award(self) -> str:
        return str(self.post("registry", "/awards", award_body())["id"])

    def dialogue_id(self) -> str:
        return str(self.post("dialogue", "/dialogues", dialogue_body(unit_code="00004"))["id"])

    def supervision(self) -> str:
        return str(self.post("dialogue", "/supervisions", supervision_body())["id"])

    def kien_nghi(self, *steps: str) -> str:
        kien_nghi_id = str(self.post("dialogue", "/kien-nghi", kien_nghi_body())["id"])
        self.advance(kien_nghi_id, *steps)
        return kien_nghi_id

    def advance(self, kien_nghi_id: str, *steps: str) -> None:
        bodies = {
            "assignment": {"agency": "UBND phường"},
            "resolution": {"resolution": "Đã giải quyết"},
            "extension-request": {"reason": "Cần thêm thời gian"},
        }
        for step in steps:
            self.post("dialogue", f"/kien-nghi/{kien_nghi_id}/{step}", bodies[step])

    def sealed(self, service: str) -> None:
        """Everything written so far sealed: the proofs below need a tree."""
        app_of(self.client(service)).state.audit.sealer.checkpoint()

    def tracking_code(self) -> str:
        kien_nghi_id = self.kien_nghi()
        body = self.post("dialogue", f"/kien-nghi/{kien_nghi_id}/acknowledgement", {})
        return str(body["tracking_code"])

    def attachment(self, citizen: str = OWNER) -> str:
        response = self.dialogue.post(
            "/app/attachments",
            files={"file": ("photo.png", io.BytesIO(PNG), "image/png")},
            headers=bearer(citizen),
        )
        assert response.status_code == 201, response.text
        return str(response.json()["sha256"])

    def import_job(self) -> str:
        """An import the officer started (of a file that is no workbook: it ends at once)."""
        response = self.aggregator.post(
            "/dashboard/import",
            files={"file": ("import.xlsx", io.BytesIO(PNG))},
            headers=bearer(IN_SCOPE),
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text
        return str(response.headers["location"].rsplit("/", 1)[1])

    def submitted(self, *steps: str, citizen: str = OWNER) -> tuple[str, str]:
        """A citizen's own kiến nghị with a photo, at a Hà Nội commune of today's structure."""
        sha256 = self.attachment(citizen)
        body = {**app_body(), "attachments": [sha256]}
        kien_nghi_id = str(self.post("dialogue", "/app/kien-nghi", body, role=citizen)["id"])
        self.advance(kien_nghi_id, *steps)
        return kien_nghi_id, sha256


def app_body() -> dict[str, Any]:
    return {"category": "land", "content": "Lấn chiếm vỉa hè", "unit_code": "00004"}


@dataclass(frozen=True)
class Case:
    """A route: its rule, how a request is made, and what kind of scope check applies.

    scope: "record" (a record's unit: outside it, 404), "unit" (a unit the caller names:
    outside it, 403), "own" (a citizen's own record: another's, 404), "record_page" (a work
    page about a record: outside its unit, the 404 page, as for a record that does not
    exist), or "none".
    """

    rule: policy.Rule
    service: str
    request: Callable[[World, str], tuple[str, Any]]  # (world, role) -> (path, json body)
    success: int = 200
    scope: str = "none"
    multipart: bool = False
    api_key: bool = False  # Open311: the token goes as api_key (query, or form of a POST)
    unauthenticated: int = 401  # Open311 answers a missing key with 403, a page the login
    form: bool = False  # the body is form-encoded
    writes: bool = False  # a work page's step: the write service's WRITE rule answers too


def path(template: str) -> Callable[[World, str], tuple[str, Any]]:
    return lambda world, role: (template, None)


def noted(service: str, template: str) -> Callable[[World, str], tuple[str, Any]]:
    """A request after the service signed a fresh checkpoint note (of the size it names)."""
    return lambda world, role: (template.format(world.noted(service)), None)


def cosignature_of(service: str) -> Callable[[World, str], tuple[str, Any]]:
    return lambda world, role: world.cosignature(service)


def sealed(service: str, target: str) -> Callable[[World, str], tuple[str, Any]]:
    def request(world: World, role: str) -> tuple[str, Any]:
        world.sealed(service)
        return target, None

    return request


def sending(target: str, body: Any) -> Callable[[World, str], tuple[str, Any]]:
    return lambda world, role: (target, body)


def on(make: Callable[[World], str], template: str, body: Any = None) -> Any:
    """A request about a fresh record made by make()."""
    return lambda world, role: (template.format(make(world)), body)


def once_sealed(request: Any, service: str) -> Any:
    """The same request once the service has sealed and signed what it holds (a receipt)."""

    def after_sealing(world: World, role: str) -> tuple[str, Any]:
        answer: tuple[str, Any] = request(world, role)
        world.sealed(service)
        return answer

    return after_sealing


def own(template: str, *steps: str, body: Any = None) -> Any:
    """A request about citizen 1's own kiến nghị (and photo)."""

    def request(world: World, role: str) -> tuple[str, Any]:
        kien_nghi_id, sha256 = world.submitted(*steps)
        return template.format(id=kien_nghi_id, sha256=sha256), body

    return request


def erasure(world: World, role: str) -> tuple[str, Any]:
    kien_nghi_id, _ = world.submitted(citizen=ERASED)  # others' records stay readable
    return "/personal-data/erasures", {"kien_nghi_id": kien_nghi_id, "reason": "yêu cầu"}


def app_submission(world: World, role: str) -> tuple[str, Any]:
    uploader = role if role in (OWNER, OTHER_CITIZEN) else OWNER
    return "/app/kien-nghi", {**app_body(), "attachments": [world.attachment(uploader)]}


V2 = "/open311/v2"


def open311_post(world: World, role: str) -> tuple[str, Any]:
    form = {
        "service_code": "land",
        "address_id": "00004",  # Phường Ba Đình, Hà Nội, today
        "description": "Lấn chiếm đất công",
    }
    return f"{V2}/requests.json", form


def media_link(world: World, role: str) -> tuple[str, Any]:
    """The signed link the reporter's full view carries."""
    kien_nghi_id, _ = world.submitted()
    shown = world.dialogue.get(
        f"{V2}/requests/{kien_nghi_id}.json", params={"api_key": "token-admin"}
    )
    url = shown.json()[0]["media_url"]
    return url[url.index(V2) :], None


HELD = {"held_on": "2024-03-01", "participants": 120, "summary": "Tiếp thu ý kiến"}
REGISTRY, DIALOGUE, AGGREGATOR = "registry", "dialogue", "aggregator"
REPORT = "?province=01"
PAGE = "?province=01&period=2021"

# the work pages: a record of each kind and a step it allows (sent as a form)
WORK_PAGES: tuple[tuple[str, Callable[[World], str], str, dict[str, Any]], ...] = (
    ("kien-nghi", World.kien_nghi, "acknowledgement", {}),
    ("models", World.model, "progress", {"summary": "Đã triển khai"}),
    ("dialogues", World.dialogue_id, "cancellation", {"reason": "Hoãn"}),
    ("supervisions", World.supervision, "conclusion", {"conclusion": "Đã xong"}),
)

# every record with a work page, those with no step too (an award is conferred once)
RECORD_PAGES: tuple[tuple[str, Callable[[World], str]], ...] = (
    *((kind, make) for kind, make, _, _ in WORK_PAGES),
    ("awards", World.award),
)

# a new record of each kind, as its creation form sends it (a list as the values ticked)
NEW_RECORDS: tuple[tuple[str, dict[str, Any]], ...] = (
    ("kien-nghi", kien_nghi_body()),
    ("models", model_body()),
    ("dialogues", dialogue_body()),
    ("supervisions", supervision_body()),
    ("awards", award_body()),
)

CASES: dict[tuple[str, str, str], Case] = {
    # every service
    **{
        (service, "GET", "/health"): Case(PUBLIC, service, path("/health"))
        for service in (REGISTRY, DIALOGUE, AGGREGATOR)
    },
    **{
        (service, "GET", "/ready"): Case(PUBLIC, service, path("/ready"))
        for service in (REGISTRY, DIALOGUE, AGGREGATOR)
    },
    **{
        (service, "GET", "/metrics"): Case(PUBLIC, service, path("/metrics"))
        for service in (REGISTRY, DIALOGUE, AGGREGATOR)
    },
    **{
        (service, "GET", "/security/denials"): Case(AUDIT, service, path("/security/denials"))
        for service in (REGISTRY, DIALOGUE, AGGREGATOR)
    },
    # the feeds of both write services
    **{
        (service, "GET", feed_path): Case(AUDIT, service, path(feed_path))
        for service in (REGISTRY, DIALOGUE)
        for feed_path in (
            "/events",
            "/events/head",
            "/events/checkpoints",
            "/events/public-key",
            "/events/export",
        )
    },
    # checkpoint notes and cosignatures of both write services
    **{
        (service, "GET", "/checkpoint"): Case(PUBLIC, service, noted(service, "/checkpoint"))
        for service in (REGISTRY, DIALOGUE)
    },
    **{
        (service, "GET", "/checkpoints/{tree_size}"): Case(
            PUBLIC, service, noted(service, "/checkpoints/{}")
        )
        for service in (REGISTRY, DIALOGUE)
    },
    **{
        (service, "GET", "/checkpoint/verifier-key"): Case(
            PUBLIC, service, path("/checkpoint/verifier-key")
        )
        for service in (REGISTRY, DIALOGUE)
    },
    **{
        (service, "POST", "/checkpoint/cosignatures"): Case(
            PUBLIC, service, cosignature_of(service), 201
        )
        for service in (REGISTRY, DIALOGUE)
    },
    **{
        (service, "GET", proof_path): Case(AUDIT, service, sealed(service, proof_path + query))
        for service in (REGISTRY, DIALOGUE)
        for proof_path, query in (
            ("/proofs/inclusion", "?leaf_index=0"),
            ("/proofs/consistency", "?first=1"),
            ("/proofs/root", ""),
        )
    },
    # registry
    (REGISTRY, "POST", "/models"): Case(
        WRITE, REGISTRY, lambda w, r: ("/models", model_body()), 201, "unit"
    ),
    (REGISTRY, "GET", "/models/{model_id}"): Case(
        READ, REGISTRY, on(World.model, "/models/{}"), scope="record"
    ),
    (REGISTRY, "GET", "/models/{model_id}/receipt"): Case(
        READ, REGISTRY, once_sealed(on(World.model, "/models/{}/receipt"), REGISTRY), scope="record"
    ),
    (REGISTRY, "GET", "/models/{model_id}/history"): Case(
        READ, REGISTRY, on(World.model, "/models/{}/history"), scope="record"
    ),
    (REGISTRY, "POST", "/models/{model_id}/progress"): Case(
        WRITE,
        REGISTRY,
        on(World.model, "/models/{}/progress", {"summary": "Tiến độ", "reported_on": "2021-05-01"}),
        scope="record",
    ),
    (REGISTRY, "POST", "/models/{model_id}/recognition"): Case(
        WRITE,
        REGISTRY,
        on(World.model, "/models/{}/recognition", {"level": "district"}),
        scope="record",
    ),
    (REGISTRY, "POST", "/models/{model_id}/commendations"): Case(
        WRITE,
        REGISTRY,
        on(
            lambda w: w.model(recognised=True),
            "/models/{}/commendations",
            {"award": "Bằng khen", "level": "district"},
        ),
        scope="record",
    ),
    (REGISTRY, "POST", "/models/{model_id}/replications"): Case(
        WRITE,
        REGISTRY,
        on(
            lambda w: w.model(recognised=True),
            "/models/{}/replications",
            {"to_unit_code": "00001", "replicated_on": "2021-07-01"},
        ),
        scope="record",
    ),
    (REGISTRY, "POST", "/models/{model_id}/discontinuation"): Case(
        WRITE,
        REGISTRY,
        on(World.model, "/models/{}/discontinuation", {"reason": "Hết kinh phí"}),
        scope="record",
    ),
    (REGISTRY, "POST", "/awards"): Case(
        WRITE,
        REGISTRY,
        lambda w, r: (
            "/awards",
            {
                "award": "commendation",
                "recipient_kind": "collective",
                "recipient": "Chi hội phụ nữ",
                "unit_code": "00004",
                "conferred_by": "district",
                "conferred_on": "2021-05-01",
            },
        ),
        201,
        "unit",
    ),
    (REGISTRY, "GET", "/awards/{award_id}"): Case(
        READ, REGISTRY, on(World.award, "/awards/{}"), scope="record"
    ),
    (REGISTRY, "GET", "/awards/{award_id}/receipt"): Case(
        READ, REGISTRY, once_sealed(on(World.award, "/awards/{}/receipt"), REGISTRY), scope="record"
    ),
    (REGISTRY, "GET", "/awards/{award_id}/history"): Case(
        READ, REGISTRY, on(World.award, "/awards/{}/history"), scope="record"
    ),
    # dialogue: conferences
    (DIALOGUE, "POST", "/dialogues"): Case(
        WRITE, DIALOGUE, lambda w, r: ("/dialogues", dialogue_body(unit_code="00004")), 201, "unit"
    ),
    (DIALOGUE, "POST", "/dialogues/{dialogue_id}/held"): Case(
        WRITE, DIALOGUE, on(World.dialogue_id, "/dialogues/{}/held", HELD), scope="record"
    ),
    (DIALOGUE, "POST", "/dialogues/{dialogue_id}/cancellation"): Case(
        WRITE,
        DIALOGUE,
        on(World.dialogue_id, "/dialogues/{}/cancellation", {"reason": "Mưa bão"}),
        scope="record",
    ),
    (DIALOGUE, "GET", "/dialogues/{dialogue_id}"): Case(
        READ, DIALOGUE, on(World.dialogue_id, "/dialogues/{}"), scope="record"
    ),
    (DIALOGUE, "GET", "/dialogues/{dialogue_id}/receipt"): Case(
        READ,
        DIALOGUE,
        once_sealed(on(World.dialogue_id, "/dialogues/{}/receipt"), DIALOGUE),
        scope="record",
    ),
    (DIALOGUE, "GET", "/dialogues/{dialogue_id}/history"): Case(
        READ, DIALOGUE, on(World.dialogue_id, "/dialogues/{}/history"), scope="record"
    ),
    # dialogue: supervision
    (DIALOGUE, "POST", "/supervisions"): Case(
        WRITE, DIALOGUE, lambda w, r: ("/supervisions", supervision_body()), 201, "unit"
    ),
    (DIALOGUE, "POST", "/supervisions/{supervision_id}/findings"): Case(
        WRITE,
        DIALOGUE,
        on(World.supervision, "/supervisions/{}/findings", finding_body()),
        scope="record",
    ),
    (DIALOGUE, "POST", "/supervisions/{supervision_id}/conclusion"): Case(
        WRITE,
        DIALOGUE,
        on(World.supervision, "/supervisions/{}/conclusion", {"conclusion": "Đã khắc phục"}),
        scope="record",
    ),
    (DIALOGUE, "GET", "/supervisions/{supervision_id}"): Case(
        READ, DIALOGUE, on(World.supervision, "/supervisions/{}"), scope="record"
    ),
    (DIALOGUE, "GET", "/supervisions/{supervision_id}/receipt"): Case(
        READ,
        DIALOGUE,
        once_sealed(on(World.supervision, "/supervisions/{}/receipt"), DIALOGUE),
        scope="record",
    ),
    (DIALOGUE, "GET", "/supervisions/{supervision_id}/history"): Case(
        READ, DIALOGUE, on(World.supervision, "/supervisions/{}/history"), scope="record"
    ),
    # dialogue: kiến nghị
    (DIALOGUE, "POST", "/kien-nghi"): Case(
        WRITE, DIALOGUE, lambda w, r: ("/kien-nghi", kien_nghi_body()), 201, "unit"
    ),
    (DIALOGUE, "POST", "/kien-nghi/{kien_nghi_id}/assignment"): Case(
        WRITE,
        DIALOGUE,
        on(World.kien_nghi, "/kien-nghi/{}/assignment", {"agency": "UBND"}),
        scope="record",
    ),
    (DIALOGUE, "POST", "/kien-nghi/{kien_nghi_id}/classification"): Case(
        WRITE,
        DIALOGUE,
        on(World.kien_nghi, "/kien-nghi/{}/classification", {"priority": "urgent"}),
        scope="record",
    ),
    (DIALOGUE, "POST", "/kien-nghi/{kien_nghi_id}/answer"): Case(
        WRITE,
        DIALOGUE,
        on(lambda w: w.kien_nghi("assignment"), "/kien-nghi/{}/answer", {"answer": "Đã trả lời"}),
        scope="record",
    ),
    (DIALOGUE, "POST", "/kien-nghi/{kien_nghi_id}/resolution"): Case(
        WRITE,
        DIALOGUE,
        on(lambda w: w.kien_nghi("assignment"), "/kien-nghi/{}/resolution", {"resolution": "Xong"}),
        scope="record",
    ),
    (DIALOGUE, "POST", "/kien-nghi/{kien_nghi_id}/declination"): Case(
        WRITE,
        DIALOGUE,
        on(lambda w: w.kien_nghi("assignment"), "/kien-nghi/{}/declination", {"reason": "Sai"}),
        scope="record",
    ),
    (DIALOGUE, "POST", "/kien-nghi/{kien_nghi_id}/rating"): Case(
        WRITE,
        DIALOGUE,
        on(
            lambda w: w.kien_nghi("assignment", "resolution"), "/kien-nghi/{}/rating", {"rating": 4}
        ),
        scope="record",
    ),
    (DIALOGUE, "POST", "/kien-nghi/{kien_nghi_id}/reopening"): Case(
        WRITE,
        DIALOGUE,
        on(
            lambda w: w.kien_nghi("assignment", "resolution"),
            "/kien-nghi/{}/reopening",
            {"reason": "Chưa xong"},
        ),
        scope="record",
    ),
    (DIALOGUE, "POST", "/kien-nghi/{kien_nghi_id}/acknowledgement"): Case(
        WRITE, DIALOGUE, on(World.kien_nghi, "/kien-nghi/{}/acknowledgement", {}), scope="record"
    ),
    (DIALOGUE, "GET", "/kien-nghi/tracking/{tracking_code}"): Case(
        READ, DIALOGUE, on(World.tracking_code, "/kien-nghi/tracking/{}"), scope="record"
    ),
    (DIALOGUE, "POST", "/kien-nghi/{kien_nghi_id}/transfer"): Case(
        WRITE,
        DIALOGUE,
        on(
            lambda w: w.kien_nghi("assignment"),
            "/kien-nghi/{}/transfer",
            {"agency": "Sở Xây dựng", "reason": "Thẩm quyền"},
        ),
        scope="record",
    ),
    (DIALOGUE, "POST", "/kien-nghi/{kien_nghi_id}/extension-request"): Case(
        WRITE,
        DIALOGUE,
        on(
            lambda w: w.kien_nghi("assignment"),
            "/kien-nghi/{}/extension-request",
            {"reason": "Cần đo đạc"},
        ),
        scope="record",
    ),
    **{
        (DIALOGUE, "POST", f"/kien-nghi/{{kien_nghi_id}}/{decision}"): Case(
            WRITE,
            DIALOGUE,
            on(
                lambda w: w.kien_nghi("assignment", "extension-request"),
                f"/kien-nghi/{{}}/{decision}",
                {"reason": "Quyết định"},
            ),
            scope="record",
        )
        for decision in ("extension-grant", "extension-refusal")
    },
    (DIALOGUE, "POST", "/kien-nghi/{kien_nghi_id}/escalation"): Case(
        WRITE,
        DIALOGUE,
        on(World.kien_nghi, "/kien-nghi/{}/escalation", {"reason": "Vượt thẩm quyền"}),
        scope="record",
    ),
    (DIALOGUE, "POST", "/kien-nghi/{kien_nghi_id}/merge"): Case(
        WRITE,
        DIALOGUE,
        lambda w, r: (
            f"/kien-nghi/{w.kien_nghi()}/merge",
            {"master_id": w.kien_nghi(), "reason": "Trùng"},
        ),
        scope="record",
    ),
    (DIALOGUE, "POST", "/kien-nghi/{kien_nghi_id}/evidence"): Case(
        WRITE,
        DIALOGUE,
        on(World.kien_nghi, "/kien-nghi/{}/evidence"),
        201,
        scope="record",
        multipart=True,
    ),
    (DIALOGUE, "GET", "/kien-nghi/{kien_nghi_id}"): Case(
        READ, DIALOGUE, on(World.kien_nghi, "/kien-nghi/{}"), scope="record"
    ),
    (DIALOGUE, "GET", "/kien-nghi/{kien_nghi_id}/answer-templates"): Case(
        READ, DIALOGUE, on(World.kien_nghi, "/kien-nghi/{}/answer-templates"), scope="record"
    ),
    (DIALOGUE, "GET", "/kien-nghi/{kien_nghi_id}/receipt"): Case(
        READ,
        DIALOGUE,
        once_sealed(on(World.kien_nghi, "/kien-nghi/{}/receipt"), DIALOGUE),
        scope="record",
    ),
    (DIALOGUE, "GET", "/kien-nghi/{kien_nghi_id}/history"): Case(
        READ, DIALOGUE, on(World.kien_nghi, "/kien-nghi/{}/history"), scope="record"
    ),
    (DIALOGUE, "GET", "/kien-nghi/{kien_nghi_id}/attachments/{sha256}"): Case(
        READ, DIALOGUE, own("/kien-nghi/{id}/attachments/{sha256}"), scope="record"
    ),
    # the citizens' app
    (DIALOGUE, "POST", "/app/attachments"): Case(
        OWN, DIALOGUE, lambda w, r: ("/app/attachments", None), 201, multipart=True
    ),
    (DIALOGUE, "POST", "/app/kien-nghi"): Case(OWN, DIALOGUE, app_submission, 201),
    (DIALOGUE, "GET", "/app/kien-nghi"): Case(OWN, DIALOGUE, path("/app/kien-nghi")),
    (DIALOGUE, "GET", "/app/kien-nghi/{kien_nghi_id}"): Case(
        OWN, DIALOGUE, own("/app/kien-nghi/{id}"), scope="own"
    ),
    (DIALOGUE, "GET", "/app/kien-nghi/{kien_nghi_id}/receipt"): Case(
        OWN, DIALOGUE, once_sealed(own("/app/kien-nghi/{id}/receipt"), DIALOGUE), scope="own"
    ),
    (DIALOGUE, "POST", "/app/kien-nghi/{kien_nghi_id}/rating"): Case(
        OWN,
        DIALOGUE,
        own("/app/kien-nghi/{id}/rating", "assignment", "resolution", body={"rating": 5}),
        scope="own",
    ),
    (DIALOGUE, "POST", "/app/kien-nghi/{kien_nghi_id}/reopening"): Case(
        OWN,
        DIALOGUE,
        own("/app/kien-nghi/{id}/reopening", "assignment", "resolution", body={"reason": "Chưa"}),
        scope="own",
    ),
    (DIALOGUE, "GET", "/app/kien-nghi/{kien_nghi_id}/attachments/{sha256}"): Case(
        OWN, DIALOGUE, own("/app/kien-nghi/{id}/attachments/{sha256}"), scope="own"
    ),
    (DIALOGUE, "POST", "/personal-data/erasures"): Case(ERASE, DIALOGUE, erasure),
    # aggregator
    **{
        (AGGREGATOR, "GET", f"/reports/{report}"): Case(
            READ, AGGREGATOR, path(f"/reports/{report}{REPORT}")
        )
        for report in (
            "models",
            "dialogues",
            "supervisions",
            "inspection-chain",
            "kien-nghi",
            "awards",
            "kien-nghi-handling",
            "kien-nghi-handling/agencies",
        )
    },
    (AGGREGATOR, "GET", "/reports/kien-nghi-handling/records"): Case(
        READ, AGGREGATOR, path(f"/reports/kien-nghi-handling/records{REPORT}&figure=late")
    ),
    (AGGREGATOR, "GET", "/reports/models/coverage"): Case(
        READ, AGGREGATOR, path("/reports/models/coverage?unit=01&on=2021-12-31"), scope="unit"
    ),
    (AGGREGATOR, "GET", "/kien-nghi"): Case(READ, AGGREGATOR, path("/kien-nghi")),
    (AGGREGATOR, "GET", "/kien-nghi/service-requests"): Case(
        READ, AGGREGATOR, path("/kien-nghi/service-requests")
    ),
    (AGGREGATOR, "GET", "/kien-nghi/status-changes"): Case(
        READ,
        AGGREGATOR,
        path("/kien-nghi/status-changes?since=2020-01-01T00:00:00Z&until=2030-01-01T00:00:00Z"),
    ),
    (AGGREGATOR, "GET", "/kien-nghi/inbox"): Case(
        READ, AGGREGATOR, path("/kien-nghi/inbox?unit=01&view=waiting"), scope="unit"
    ),
    (AGGREGATOR, "GET", "/kien-nghi/changes"): Case(
        READ, AGGREGATOR, path("/kien-nghi/changes?agency=UBND%20ph%C6%B0%E1%BB%9Dng")
    ),
    # the dashboard: signed in by a session (here an Authorization header, which it also takes)
    (AGGREGATOR, "GET", "/"): Case(PUBLIC, AGGREGATOR, path("/"), 307),
    **{
        (AGGREGATOR, "GET", template): Case(
            DASHBOARD, AGGREGATOR, path(page + PAGE), scope="unit", unauthenticated=303
        )
        for template, page in (
            ("/dashboard", "/dashboard"),
            ("/dashboard/kien-nghi/overdue", "/dashboard/kien-nghi/overdue"),
            ("/dashboard/{slug}", "/dashboard/models"),
        )
    },
    **{
        (AGGREGATOR, "GET", f"/dashboard/reports/{report}"): Case(
            DASHBOARD, AGGREGATOR, path(f"/dashboard/reports/{report}{PAGE}"), unauthenticated=303
        )
        for report in (
            "models",
            "dialogues",
            "supervisions",
            "kien-nghi",
            "kien-nghi-handling",
            "kien-nghi-handling/agencies",
        )
    },
    **{
        (AGGREGATOR, "GET", f"/dashboard/{kind}/{{record_id}}"): Case(
            DASHBOARD,
            AGGREGATOR,
            on(make, f"/dashboard/{kind}/{{}}"),
            scope="record_page",
            unauthenticated=303,
        )
        for kind, make in RECORD_PAGES
    },
    **{
        (AGGREGATOR, "POST", f"/dashboard/{kind}/{{record_id}}/{{step}}"): Case(
            DASHBOARD,
            AGGREGATOR,
            on(make, f"/dashboard/{kind}/{{}}/{step}", body),
            303,
            scope="record_page",
            unauthenticated=303,
            form=True,
            writes=True,
        )
        for kind, make, step, body in WORK_PAGES
    },
    # import from Excel: the upload is a write (refused to an auditor as its rows would be);
    # a job is followed by who started it, auditors and admins (another officer: as missing)
    (AGGREGATOR, "GET", "/dashboard/import"): Case(
        DASHBOARD, AGGREGATOR, path("/dashboard/import"), unauthenticated=303
    ),
    (AGGREGATOR, "GET", "/dashboard/import/templates/{kind}.xlsx"): Case(
        DASHBOARD, AGGREGATOR, path("/dashboard/import/templates/models.xlsx"), unauthenticated=303
    ),
    (AGGREGATOR, "POST", "/dashboard/import"): Case(
        DASHBOARD,
        AGGREGATOR,
        path("/dashboard/import"),
        303,
        multipart=True,
        unauthenticated=303,
        writes=True,
    ),
    **{
        (AGGREGATOR, "GET", f"/dashboard/import/jobs/{{job_id}}{tail}"): Case(
            DASHBOARD,
            AGGREGATOR,
            on(World.import_job, f"/dashboard/import/jobs/{{}}{tail}"),
            scope="record_page",
            unauthenticated=303,
        )
        for tail in ("", "/status")
    },
    **{
        (AGGREGATOR, "GET", f"/dashboard/{kind}/new"): Case(
            DASHBOARD, AGGREGATOR, path(f"/dashboard/{kind}/new"), unauthenticated=303
        )
        for kind, _ in RECORD_PAGES
    },
    (AGGREGATOR, "GET", "/dashboard/units"): Case(
        DASHBOARD, AGGREGATOR, path("/dashboard/units?on=2024-05-02"), unauthenticated=303
    ),
    **{
        (AGGREGATOR, "POST", f"/dashboard/{kind}/new"): Case(
            DASHBOARD,
            AGGREGATOR,
            sending(f"/dashboard/{kind}/new", body),
            303,
            scope="unit",
            unauthenticated=303,
            form=True,
            writes=True,
        )
        for kind, body in NEW_RECORDS
    },
    (AGGREGATOR, "GET", "/search"): Case(READ, AGGREGATOR, path("/search?q=dan+van+kheo")),
    (AGGREGATOR, "GET", "/dashboard/search"): Case(
        DASHBOARD, AGGREGATOR, path("/dashboard/search?q=dan+van+kheo"), unauthenticated=303
    ),
    (AGGREGATOR, "GET", "/dashboard/inbox"): Case(
        DASHBOARD, AGGREGATOR, path("/dashboard/inbox?view=overdue"), unauthenticated=303
    ),
    (AGGREGATOR, "GET", "/dashboard/login"): Case(PUBLIC, AGGREGATOR, path("/dashboard/login")),
    (AGGREGATOR, "POST", "/dashboard/login"): Case(
        PUBLIC,
        AGGREGATOR,
        lambda w, r: ("/dashboard/login", {"token": "token-officer"}),
        303,
        form=True,
    ),
    (AGGREGATOR, "POST", "/dashboard/logout"): Case(
        PUBLIC, AGGREGATOR, path("/dashboard/logout"), 303
    ),
    (AGGREGATOR, "GET", "/dashboard/static/{name}"): Case(
        PUBLIC, AGGREGATOR, path("/dashboard/static/dashboard.css")
    ),
    (AGGREGATOR, "GET", f"/dashboard/static/plotly-{plotly.__version__}.min.js"): Case(
        PUBLIC, AGGREGATOR, path(f"/dashboard/static/plotly-{plotly.__version__}.min.js")
    ),
    (DIALOGUE, "GET", "/handling-rules"): Case(
        PUBLIC, DIALOGUE, path("/handling-rules?province=01&on=2024-05-02")
    ),
    # Open311 GeoReport v2
    (DIALOGUE, "GET", "/open311/discovery.{format}"): Case(
        PUBLIC, DIALOGUE, path("/open311/discovery.json")
    ),
    (DIALOGUE, "GET", V2 + "/services.{format}"): Case(
        PUBLIC, DIALOGUE, path(f"{V2}/services.xml")
    ),
    (DIALOGUE, "GET", V2 + "/services/{service_code}.{format}"): Case(
        PUBLIC, DIALOGUE, path(f"{V2}/services/infrastructure.json")
    ),
    (DIALOGUE, "POST", V2 + "/requests.{format}"): Case(
        SUBMIT, DIALOGUE, open311_post, scope="unit", api_key=True, unauthenticated=403
    ),
    (DIALOGUE, "GET", V2 + "/requests.{format}"): Case(
        PUBLIC_VIEW, DIALOGUE, path(f"{V2}/requests.json"), api_key=True
    ),
    (DIALOGUE, "GET", V2 + "/requests/{service_request_id}.{format}"): Case(
        PUBLIC_VIEW, DIALOGUE, on(World.kien_nghi, V2 + "/requests/{}.xml"), api_key=True
    ),
    (DIALOGUE, "GET", V2 + "/requests/{service_request_id}/receipt.json"): Case(
        PUBLIC_VIEW,
        DIALOGUE,
        once_sealed(own(V2 + "/requests/{id}/receipt.json"), DIALOGUE),
        scope="full_view",
        api_key=True,
    ),
    (DIALOGUE, "GET", V2 + "/tokens/{token}.{format}"): Case(
        PUBLIC_VIEW, DIALOGUE, on(World.kien_nghi, V2 + "/tokens/{}.json"), api_key=True
    ),
    (DIALOGUE, "GET", V2 + "/servicerequestupdates.{format}"): Case(
        PUBLIC_VIEW, DIALOGUE, path(f"{V2}/servicerequestupdates.json"), api_key=True
    ),
    (DIALOGUE, "GET", V2 + "/media/{service_request_id}"): Case(SIGNED_LINK, DIALOGUE, media_link),
    **{
        (DIALOGUE, method, "/open311/{path:path}"): Case(
            PUBLIC, DIALOGUE, path("/open311/v2/elsewhere.json"), 404
        )
        for method in ("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE")
    },
    (AGGREGATOR, "GET", "/followers"): Case(READ, AGGREGATOR, path("/followers")),
    (AGGREGATOR, "GET", "/followers/wait"): Case(
        READ, AGGREGATOR, path("/followers/wait?registry=0&timeout=1")
    ),
}


def expected(case: Case, role: str) -> int:
    """What the rule answers this role (in scope for the officer, out of it for officer_hcm)."""
    rule = case.rule
    if case.scope == "full_view" and role in ("anonymous", OTHER_CITIZEN, OUT_OF_SCOPE, "auditor"):
        return 404  # Open311's full view: the reporter, staff covering the unit, admins
    if role == "anonymous":
        return case.success if rule.anonymous else case.unauthenticated
    principal_role = Role(TOKENS[role][1]) if role in TOKENS else Role.CITIZEN
    if principal_role not in rule.roles:
        return 403
    if case.writes and principal_role not in WRITE.roles:
        return 403  # the write service refuses the command; the page says so
    if not rule.identifies:
        return case.success
    if role == OUT_OF_SCOPE and case.scope in ("record", "record_page"):
        return 404
    if role == OUT_OF_SCOPE and case.scope == "unit":
        return 403
    if role == OTHER_CITIZEN and case.scope == "own":
        return 404
    return case.success


def rules_of(app: FastAPI) -> Iterator[tuple[str, str, policy.Rule | None]]:
    """(method, path, rule) of every route the app serves, the rule as its dependencies say."""
    for route in iter_route_contexts(app.routes):
        if route.path in DOCUMENT_PATHS:
            continue
        found = {
            rule
            for dependency in walk(route.dependant)
            if (rule := policy.rule_of(dependency.call)) is not None
        }
        assert len(found) <= 1, (route.path, found)
        assert route.path is not None, route  # every route the apps serve has one
        for method in sorted(route.methods or ()):
            yield method, route.path, next(iter(found), None)


def walk(dependant: Any) -> Iterator[Any]:
    for dependency in dependant.dependencies:
        yield dependency
        yield from walk(dependency)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    settings = Settings(
        _env_file=None,
        data_dir=tmp_path_factory.mktemp("matrix") / "data",
        follower_wait_seconds=0.5,
        upstream_token="token-auditor",
        json_logs=False,
        write_rate_limit="100000/minute",
        witness_keys=WITNESS.verifier.vkey,
    )
    tokens = issue_test_tokens(settings)
    for citizen in (OTHER_CITIZEN, ERASED):
        tokens.issue(citizen, Role.CITIZEN, [], token=f"token-{citizen}")
    with (
        TestClient(create_registry(settings)) as registry,
        TestClient(create_dialogue(settings)) as dialogue,
    ):
        feeds = {
            "registry": TestClient(registry.app, headers=bearer("auditor")),
            "dialogue": TestClient(dialogue.app, headers=bearer("auditor")),
        }
        with TestClient(create_aggregator(settings, feeds)) as aggregator:
            app_of(dialogue).state.read_side = TestClient(aggregator.app, headers=bearer("auditor"))
            app_of(aggregator).state.writers = {
                "registry": TestClient(registry.app),
                "dialogue": TestClient(dialogue.app),
            }
            yield World(registry, dialogue, aggregator)


def test_every_route_of_every_app_has_a_rule_and_a_case(world: World) -> None:
    served = {
        (service, method, route_path): rule
        for service in (REGISTRY, DIALOGUE, AGGREGATOR)
        for method, route_path, rule in rules_of(app_of(world.client(service)))
        if method != "HEAD"
    }
    without_rule = sorted(key for key, rule in served.items() if rule is None)
    assert not without_rule, f"routes that no policy rule guards: {without_rule}"
    unknown = sorted(set(served) - set(CASES))
    assert not unknown, f"routes this matrix does not test: {unknown}"
    gone = sorted(set(CASES) - set(served))
    assert not gone, f"cases of routes that no longer exist: {gone}"
    wrong = sorted(k for k, rule in served.items() if CASES[k].rule is not rule)
    assert not wrong, [(k, r.name if (r := served[k]) else None, CASES[k].rule.name) for k in wrong]


def case_ids() -> list[str]:
    return [f"{service} {method} {route_path}" for service, method, route_path in CASES]


@pytest.mark.parametrize("key", list(CASES), ids=case_ids())
def test_each_role_gets_what_the_rule_says(world: World, key: tuple[str, str, str]) -> None:
    case = CASES[key]
    method = key[1]
    client = world.client(case.service)
    if case.service == AGGREGATOR:
        world.caught_up()
    for role in ROLES:
        target, body = case.request(world, role)
        files = {"file": ("photo.png", io.BytesIO(PNG), "image/png")} if case.multipart else None
        given: dict[str, Any] = {"json": body, "headers": {"Accept-Language": "en"}}
        if case.form:
            given = {**given, "json": None, "data": body}
        if not case.api_key:
            given["headers"].update(headers(role))
        elif role != "anonymous" and method == "POST":
            given = {**given, "json": None, "data": {**body, "api_key": f"token-{role}"}}
        elif role != "anonymous":
            given["params"] = {"api_key": f"token-{role}"}
        response = client.request(method, target, files=files, follow_redirects=False, **given)
        assert response.status_code == expected(case, role), (key, role, response.text[:300])
        if response.status_code == 404 and case.scope == "record_page":
            record_id = next(p for p in target.split("/") if len(p) == 36)
            absent = client.request(
                method, target.replace(record_id, ABSENT[36]), follow_redirects=False, **given
            )
            assert (absent.status_code, absent.text) == (404, response.text)
        if response.status_code == 404 and case.scope in ("record", "own"):
            again = (
                {"file": ("photo.png", io.BytesIO(PNG), "image/png")} if case.multipart else None
            )
            assert_answered_as_missing(client, method, target, body, role, response.json(), again)


def assert_answered_as_missing(
    client: TestClient,
    method: str,
    target: str,
    body: Any,
    role: str,
    hidden: Any,
    files: Any = None,
) -> None:
    """The refusal reads exactly as the answer for a record that does not exist (named by
    its id or its tracking code), and the auditors see it recorded."""
    record_id, absent = next((p, ABSENT[len(p)]) for p in target.split("/") if len(p) in ABSENT)
    missing = client.request(
        method,
        target.replace(record_id, absent),
        json=body,
        files=files,
        headers={"Accept-Language": "en", **headers(role)},
    )
    assert missing.status_code == 404
    assert hidden == _replaced(missing.json(), absent, record_id)
    denials = client.get("/security/denials", headers=bearer("auditor")).json()
    assert denials[0]["code"] == "hidden_record" and denials[0]["path"] == target.split("?")[0]


ABSENT = {36: "00000000-0000-4000-8000-000000000000", 15: "01-2024-0000000"}


def _replaced(value: Any, old: str, new: str) -> Any:
    if isinstance(value, dict):
        return {k: _replaced(v, old, new) for k, v in value.items()}
    if isinstance(value, list):
        return [_replaced(v, old, new) for v in value]
    return value.replace(old, new) if isinstance(value, str) else value


def test_a_replication_counts_only_where_the_officer_may_act(world: World) -> None:
    """Replicated to a commune of Hải Phòng by Hà Nội's officer: refused, nothing counted."""
    model_id = world.model(recognised=True)
    outside = world.registry.post(
        f"/models/{model_id}/replications",
        json={"to_unit_code": "11296", "replicated_on": "2021-07-01"},
        headers=bearer(IN_SCOPE),
    )
    assert outside.status_code == 403, outside.text
    assert outside.json()["error"]["field"] == "to_unit_code"
    inside = world.registry.post(
        f"/models/{model_id}/replications",
        json={"to_unit_code": "00001", "replicated_on": "2021-07-01"},
        headers=bearer(IN_SCOPE),
    )
    assert inside.status_code == 200, inside.text
    model = world.registry.get(f"/models/{model_id}", headers=bearer("auditor")).json()
    assert [r["to_unit_code"] for r in model["replicated_to"]] == ["00001"]


def test_lists_and_reports_hold_only_the_callers_units(world: World) -> None:
    kien_nghi_id = world.kien_nghi()
    world.caught_up()
    listed = {
        role: {
            item["id"]
            for item in world.aggregator.get("/kien-nghi", headers=bearer(role)).json()["items"]
        }
        for role in (IN_SCOPE, OUT_OF_SCOPE, "auditor")
    }
    assert kien_nghi_id in listed[IN_SCOPE] and kien_nghi_id in listed["auditor"]
    assert kien_nghi_id not in listed[OUT_OF_SCOPE]
    assigned = world.kien_nghi("assignment")
    world.caught_up()
    changed = {
        role: {
            item["kien_nghi_id"]
            for item in world.aggregator.get(
                "/kien-nghi/changes", params={"limit": 1000}, headers=bearer(role)
            ).json()["items"]
        }
        for role in (IN_SCOPE, OUT_OF_SCOPE, "auditor")
    }
    assert assigned in changed[IN_SCOPE] and assigned in changed["auditor"]
    assert changed[OUT_OF_SCOPE] == set()
    received = {
        role: world.aggregator.get("/reports/kien-nghi", headers=bearer(role)).json()["total"][
            "received"
        ]
        for role in (IN_SCOPE, OUT_OF_SCOPE)
    }
    assert received[IN_SCOPE] >= 1 and received[OUT_OF_SCOPE] == 0


def test_a_citizen_lists_only_their_own(world: World) -> None:
    mine, _ = world.submitted()
    theirs, _ = world.submitted(citizen=OTHER_CITIZEN)
    world.caught_up()

    def listed(citizen: str) -> set[str]:
        items = world.dialogue.get("/app/kien-nghi", headers=bearer(citizen)).json()["items"]
        return {item["id"] for item in items}

    assert mine in listed(OWNER) and theirs not in listed(OWNER)
    assert theirs in listed(OTHER_CITIZEN) and mine not in listed(OTHER_CITIZEN)


def test_a_citizens_contact_shows_only_to_those_handling_it(world: World) -> None:
    body = {**app_body(), "contact": {"phone": "0912345678"}}
    kien_nghi_id = str(world.post("dialogue", "/app/kien-nghi", body, role=OWNER)["id"])
    contact = {
        role: world.dialogue.get(f"/kien-nghi/{kien_nghi_id}", headers=bearer(role)).json()[
            "contact"
        ]
        for role in (IN_SCOPE, "auditor", "admin")
    }
    assert contact[IN_SCOPE]["phone"] == contact["admin"]["phone"] == "0912345678"
    assert contact["auditor"] is None
