"""Open311 GeoReport v2 endpoints under /open311/v2: services, requests, tokens; discovery.

The api_key is one of our bearer tokens, sent as the api_key argument (a form field or the
query string of a POST, the query string of a GET). Posting takes a role that may submit
(citizen, officer, admin); reading requests takes any valid key, as every request to this
service is authenticated; the services themselves (the categories) are public. A POST answers
200 with the specification's array; retries under the same Idempotency-Key answer the same id
and make one record.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Form, Query, Request, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from services.dialogue.api import DialoguesDep
from services.dialogue.application import Dialogues
from services.dialogue.citizens import citizen_subject
from services.dialogue.domain import KienNghi
from services.dialogue.open311 import catalogue, forms
from services.dialogue.open311.listing import Wanted, find_requests
from services.dialogue.open311.rendering import (
    MEDIA_TYPES,
    Open311Route,
    checked_format,
    render,
    render_object,
)
from services.dialogue.open311.views import Recorded, service_request
from shared.api_errors import language_of
from shared.application import VIETNAM, Idempotency
from shared.auth import TokenStore
from shared.errors import Forbidden, NotFound
from shared.http import IdempotencyKey
from shared.messages import message
from shared.principal import Principal, Role

PREFIX = "/open311/v2"
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = datetime(2026, 11, 23, tzinfo=VIETNAM)  # when this API last changed
SUBMITTERS = (Role.CITIZEN, Role.OFFICER, Role.ADMIN)

router = APIRouter(route_class=Open311Route, tags=["open311"])


def _format(format: str) -> str:
    return checked_format(format)


async def _caller(request: Request) -> Principal:
    """The holder of the api_key; 403 without a valid one."""
    key = request.query_params.get("api_key")
    if key is None and request.method == "POST":
        value = (await request.form()).get("api_key")  # parsed once, kept by the request
        key = value if isinstance(value, str) else None
    tokens: TokenStore = request.app.state.tokens
    principal = tokens.principal_for(key.strip()) if key else None
    if principal is None:
        raise Forbidden("open311_api_key", field="api_key")
    client = request.headers.get("x-client-id") or request.headers.get("user-agent")
    return Principal(principal.id, principal.role, principal.units, client)


def _submitter(principal: Annotated[Principal, Depends(_caller)]) -> Principal:
    if principal.role not in SUBMITTERS:
        raise Forbidden("forbidden_role", field="api_key", role=str(principal.role))
    return principal


Format = Annotated[str, Depends(_format)]
Caller = Annotated[Principal, Depends(_caller)]
Submitter = Annotated[Principal, Depends(_submitter)]
Jurisdiction = Annotated[str | None, Query(max_length=8)]


def _lang(request: Request) -> str:
    return language_of(request)


@router.get(PREFIX + "/services.{format}", summary="GET Service List: kiến nghị categories")
def get_services(
    fmt: Format, request: Request, service: DialoguesDep, jurisdiction_id: Jurisdiction = None
) -> Response:
    forms.jurisdiction(service.catalog, jurisdiction_id)
    return render(fmt, "services", "service", catalogue.services(_lang(request)))


@router.get(PREFIX + "/services/{service_code}.{format}", summary="GET Service Definition")
def get_service_definition(
    fmt: Format, service_code: str, service: DialoguesDep, jurisdiction_id: Jurisdiction = None
) -> Response:
    forms.jurisdiction(service.catalog, jurisdiction_id)
    code = catalogue.checked_service(service_code)
    definition: dict[str, Any] = {"service_code": code, "attributes": []}
    xml = {"service_code": code, "attributes": None}
    return render_object(fmt, "service_definition", definition, xml)


@router.post(PREFIX + "/requests.{format}", summary="POST Service Request (form-encoded)")
def post_request(
    fmt: Format,
    principal: Submitter,
    request: Request,
    form: Annotated[forms.ServiceRequestForm, Form()],
    service: DialoguesDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    code = catalogue.checked_service(form.service_code)
    where = forms.whereabouts(form, service.catalog, service.today())
    # retries of one device are one request; its id is hashed, being personal data
    device = hashlib.sha256((form.device_id or "").encode()).hexdigest()[:16]
    scope = f"{principal.id}/open311/{device}"
    body = {"path": f"{PREFIX}/requests", "body": form.request_body()}  # either format
    outcome = service.submit_kien_nghi(
        category=code,
        content=form.description,
        where=where,
        personal=form.personal(),
        attachments=[],
        channel="open311",
        subject=citizen_subject(principal, form.account()),
        actor=principal,
        idempotency=Idempotency.of(scope, idempotency_key, body),
    )
    kien_nghi_id = outcome.response["id"]
    notice = message(
        "open311_received", _lang(request), unit_name=outcome.response["unit_name"], id=kien_nghi_id
    )
    created = {
        "service_request_id": kien_nghi_id,
        "token": kien_nghi_id,
        "service_notice": notice,
        "account_id": None,
    }
    headers = {"Idempotent-Replayed": "true"} if outcome.replayed else {}
    if outcome.position is not None:
        headers["X-Event-Position"] = str(outcome.position)
    return render(fmt, "service_requests", "request", [created], headers=headers)


@router.get(PREFIX + "/requests.{format}", summary="GET Service Requests (from the read side)")
def get_requests(
    fmt: Format,
    principal: Caller,
    request: Request,
    service: DialoguesDep,
    service_request_id: Annotated[str | None, Query(max_length=40_000)] = None,
    service_code: Annotated[str | None, Query(max_length=400)] = None,
    start_date: Annotated[str | None, Query(max_length=40)] = None,
    end_date: Annotated[str | None, Query(max_length=40)] = None,
    status: Annotated[str | None, Query(max_length=40)] = None,
    jurisdiction_id: Jurisdiction = None,
) -> Response:
    wanted = Wanted(service_request_id, service_code, start_date, end_date, status, jurisdiction_id)
    found = find_requests(request.app.state.read_side, service.catalog, wanted)
    lang = _lang(request)
    views = [
        service_request(recorded, service.vault.open(sealed), service.catalog, lang)
        for recorded, sealed in found
    ]
    return render(fmt, "service_requests", "request", views)


def _recorded(service: Dialogues, service_request_id: str) -> KienNghi:
    try:
        return service.get_kien_nghi(UUID(service_request_id))
    except ValueError:
        raise NotFound("kien_nghi_not_found", id=service_request_id) from None


@router.get(PREFIX + "/requests/{service_request_id}.{format}", summary="GET Service Request")
def get_request(
    fmt: Format,
    principal: Caller,
    service_request_id: str,
    request: Request,
    service: DialoguesDep,
    jurisdiction_id: Jurisdiction = None,
) -> Response:
    forms.jurisdiction(service.catalog, jurisdiction_id)
    kien_nghi = _recorded(service, service_request_id)
    view = service_request(
        Recorded.of_record(kien_nghi),
        service.personal_data_of(kien_nghi),
        service.catalog,
        _lang(request),
    )
    return render(fmt, "service_requests", "request", [view])


@router.get(PREFIX + "/tokens/{token}.{format}", summary="GET service_request_id from a token")
def get_token(
    fmt: Format,
    principal: Caller,
    token: str,
    service: DialoguesDep,
    jurisdiction_id: Jurisdiction = None,
) -> Response:
    forms.jurisdiction(service.catalog, jurisdiction_id)
    kien_nghi = _recorded(service, token)
    found = {"service_request_id": str(kien_nghi.id), "token": token}
    return render(fmt, "service_requests", "request", [found])


@router.get("/open311/discovery.{format}", summary="Open311 service discovery")
def discovery(fmt: Format, request: Request) -> Response:
    lang = _lang(request)
    endpoint: dict[str, Any] = {
        "specification": SPECIFICATION,
        "url": str(request.base_url).rstrip("/") + PREFIX,
        "changeset": CHANGESET.isoformat(),
        "type": "production",
        "formats": [MEDIA_TYPES["xml"].split(";")[0], MEDIA_TYPES["json"].split(";")[0]],
    }
    found = {
        "changeset": CHANGESET.isoformat(),
        "contact": message("open311_contact", lang),
        "key_service": message("open311_key_service", lang),
        "endpoints": [endpoint],
    }
    xml_endpoint = {**endpoint, "formats": {"format": endpoint["formats"]}}
    xml = {**found, "endpoints": {"endpoint": [xml_endpoint]}}
    return render_object(fmt, "discovery", found, xml)


@router.api_route(
    "/open311/{path:path}",
    methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
    include_in_schema=False,
)
def elsewhere(request: Request, path: str) -> Response:
    """Whatever else is asked under /open311: a 405 on a known path, else a 404."""
    allowed = {
        method
        for route in router.routes
        if isinstance(route, Open311Route)
        and route.endpoint is not elsewhere
        and route.path_regex.match(request.url.path)
        for method in route.methods or ()
    }
    if allowed:
        raise StarletteHTTPException(405, headers={"Allow": ", ".join(sorted(allowed))})
    raise StarletteHTTPException(404)
