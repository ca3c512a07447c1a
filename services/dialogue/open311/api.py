"""Open311 GeoReport v2 endpoints under /open311/v2: services, requests, tokens, updates,
media; discovery.

The api_key is one of our bearer tokens (or a JWT), sent as the api_key argument (a form field
or the query string of a POST, the query string of a GET). Reads need none: without one they
answer the public view of each request; with one, the view access.py gives that caller. An
api_key that is sent must be valid (403 otherwise). Posting takes a role that may submit
(citizen, officer, admin); an officer files only within its units. A POST answers 200 with the
specification's array; retries under the same Idempotency-Key answer the same id and make
one record.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Form, Path, Query, Request, Response
from fastapi.responses import RedirectResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from services.dialogue.api import DialoguesDep
from services.dialogue.app_api import attachment_response
from services.dialogue.application import Dialogues
from services.dialogue.citizens import Whereabouts, citizen_subject
from services.dialogue.domain import KienNghi
from services.dialogue.domain.tracking import TRACKING_CODE_PATTERN
from services.dialogue.open311 import attributes, catalogue, forms, media
from services.dialogue.open311 import openapi as documented
from services.dialogue.open311.access import View, require_may_file_at, view_of
from services.dialogue.open311.listing import MAX_PAGE, MAX_REQUESTS, Wanted, find_requests
from services.dialogue.open311.rendering import (
    MEDIA_TYPES,
    Open311Route,
    checked_format,
    render,
    render_object,
)
from services.dialogue.open311.updates import find_updates
from services.dialogue.open311.views import Recorded, has_media, service_request, shows_reporter
from shared.api_errors import allowed_methods, language_of
from shared.audit.receipts import Receipt
from shared.auth import principal_for_credential
from shared.commands import Idempotency
from shared.errors import Forbidden, NotFound
from shared.http import IdempotencyKey, event_headers
from shared.input_types import TEXT_PATTERN
from shared.messages import message
from shared.policy import PUBLIC, PUBLIC_VIEW, SIGNED_LINK, SUBMIT, allow
from shared.principal import Principal, Role
from shared.receipt_api import Since, Witnessed, receipt_of
from shared.vietnam_time import VIETNAM

PREFIX = "/open311/v2"
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = datetime(2026, 11, 25, tzinfo=VIETNAM)  # when this API last changed

router = APIRouter(route_class=Open311Route, tags=["open311"])


def _format(
    format: Annotated[
        str,
        Path(
            description="định dạng trả lời / the representation: json or xml (else 404)",
            json_schema_extra={"enum": list(MEDIA_TYPES)},
        ),
    ],
) -> str:
    return checked_format(format)


async def _key_holder(request: Request) -> Principal | None:
    """The holder of the api_key, None without one; 403 for a key that is not valid."""
    key = request.query_params.get("api_key")
    if key is None and request.method == "POST":
        value = (await request.form()).get("api_key")  # parsed once, kept by the request
        key = value if isinstance(value, str) else None
    if key is None or not key.strip():
        return None
    principal = principal_for_credential(request, key.strip())
    if principal is None:
        raise Forbidden("open311_api_key", field="api_key")
    client = request.headers.get("x-client-id") or request.headers.get("user-agent")
    principal = principal.with_client(client)
    request.state.principal = principal  # refusals are recorded with it
    return principal


async def _sent_attributes(request: Request) -> dict[str, list[str]]:
    """The attribute[code] fields of a POST's form (parsed once, kept by the request)."""
    return attributes.sent((await request.form()).multi_items())


def _media_key(request: Request) -> bytes:
    key: bytes | None = getattr(request.app.state, "open311_media_key", None)
    if key is None:
        key = request.app.state.open311_media_key = media.load_media_key(
            request.app.state.settings.data_dir
        )
    return key


Format = Annotated[str, Depends(_format)]


def _no_key() -> Forbidden:
    return Forbidden("open311_api_key", field="api_key")


ApiKey = Annotated[
    str | None,
    Query(
        description="mã truy cập (token hoặc JWT); POST nhận cả ở trường của form / a bearer "
        "token or JWT; a POST takes it as a form field too"
    ),
]


async def _caller(
    principal: Annotated[Principal | None, Depends(allow(PUBLIC_VIEW, _key_holder))],
    api_key: ApiKey = None,  # read by _key_holder; declared for the documentation
) -> Principal | None:
    return principal


async def _submitter(
    principal: Annotated[Principal, Depends(allow(SUBMIT, _key_holder, _no_key, field="api_key"))],
    api_key: ApiKey = None,  # read by _key_holder; declared for the documentation
) -> Principal:
    return principal


Caller = Annotated[Principal | None, Depends(_caller)]
Submitter = Annotated[Principal, Depends(_submitter)]
Public = [Depends(allow(PUBLIC))]
SentAttributes = Annotated[dict[str, list[str]], Depends(_sent_attributes)]
MediaKey = Annotated[bytes, Depends(_media_key)]
Jurisdiction = Annotated[str | None, Query(max_length=8)]
Page = Annotated[int, Query(ge=1, le=MAX_PAGE, description="the page wanted, from 1")]
W3CDate = Annotated[
    str | None,
    Query(
        max_length=40,
        description="ngày giờ W3C / a W3C datetime: YYYY, YYYY-MM, YYYY-MM-DD or "
        "YYYY-MM-DDThh:mm:ss±hh:mm (Vietnam's time without an offset), years 1900 to 2999; "
        "start_date to end_date at most 90 days (the last 90 by default)",
    ),
]
OpenOrClosed = Annotated[
    str | None,
    Query(
        max_length=40,
        description="open, closed, hoặc cả hai / or both: open,closed",
        # documented only: listing.py checks it, naming the values it takes
        json_schema_extra={"pattern": r"^\s*(open|closed)?\s*(,\s*(open|closed)?\s*)*$"},
    ),
]
PageSize = Annotated[
    int, Query(ge=1, le=MAX_REQUESTS, description="requests a page (at most 1000, the default)")
]


def _lang(request: Request) -> str:
    return language_of(request)


@router.get(
    PREFIX + "/services.{format}",
    summary="GET Service List: kiến nghị categories",
    dependencies=Public,
    responses=documented.SERVICES,
)
def get_services(
    fmt: Format, request: Request, service: DialoguesDep, jurisdiction_id: Jurisdiction = None
) -> Response:
    forms.jurisdiction(service.catalog, jurisdiction_id)
    return render(fmt, "services", "service", catalogue.services(_lang(request)))


@router.get(
    PREFIX + "/services/{service_code}.{format}",
    summary="GET Service Definition",
    dependencies=Public,
    responses=documented.SERVICE_DEFINITION,
)
def get_service_definition(
    fmt: Format,
    service_code: str,
    request: Request,
    service: DialoguesDep,
    jurisdiction_id: Jurisdiction = None,
) -> Response:
    forms.jurisdiction(service.catalog, jurisdiction_id)
    code = catalogue.checked_service(service_code)
    lang = _lang(request)
    definition = {"service_code": code, "attributes": attributes.definition(code, lang)}
    xml = {"service_code": code, "attributes": attributes.definition_xml(code, lang)}
    return render_object(fmt, "service_definition", definition, xml)


@router.post(
    PREFIX + "/requests.{format}",
    summary="POST Service Request (form-encoded)",
    responses=documented.POST_REQUEST,
)
def post_request(
    fmt: Format,
    principal: Submitter,
    request: Request,
    form: Annotated[forms.ServiceRequestForm, Form()],
    sent: SentAttributes,
    service: DialoguesDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    code = catalogue.checked_service(form.service_code)
    place = forms.located(form, service.catalog, service.today())
    require_may_file_at(principal, place.unit, service.catalog, place.field)
    answers = attributes.answers(code, sent)
    # a citizen's own key reports as that citizen; an app's or an office's for whom it names
    account = None if principal.role is Role.CITIZEN else form.account()
    # retries of one device are one request; its id is hashed, being personal data
    device = hashlib.sha256((form.device_id or "").encode()).hexdigest()[:16]
    scope = f"{principal.id}/open311/{device}"
    sent_body = {**form.request_body(), "attributes": answers}
    body = {"path": f"{PREFIX}/requests", "body": sent_body}  # either format
    outcome = service.submit_kien_nghi(
        category=code,
        content=form.description,
        where=Whereabouts(unit_code=place.unit.code),
        personal=form.personal(),
        attachments=[],
        channel="open311",
        subject=citizen_subject(principal, account),
        actor=principal,
        idempotency=Idempotency.of(scope, idempotency_key, body),
        attributes=answers or None,
        published=form.published(),
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
    headers.update(event_headers(outcome))
    return render(fmt, "service_requests", "request", [created], headers=headers)


def _shown(
    request: Request,
    service: Dialogues,
    caller: Principal | None,
    recorded: Recorded,
    sealed: str | None,
    key: bytes,
) -> dict[str, Any]:
    """A request in the caller's view; the reporter's sealed data opened only when shown."""
    unit = service.catalog.get(recorded.unit_structure, recorded.unit_code)
    view = view_of(caller, unit, recorded.citizen, service.catalog)
    personal = service.vault.open(sealed) if shows_reporter(recorded, view) else None
    erased = sealed is not None and personal is None
    link = None
    if shows_reporter(recorded, view) and has_media(recorded, personal, erased):
        expires = media.expiry(datetime.now(VIETNAM))
        link = str(request.base_url).rstrip("/") + media.signed_path(key, recorded.id, expires)
    return service_request(recorded, personal, view, service.catalog, _lang(request), link)


@router.get(
    PREFIX + "/requests.{format}",
    summary="GET Service Requests (from the read side)",
    responses=documented.REQUESTS,
)
def get_requests(
    fmt: Format,
    caller: Caller,
    request: Request,
    service: DialoguesDep,
    key: MediaKey,
    service_request_id: Annotated[
        str | None, Query(max_length=40_000, pattern=TEXT_PATTERN)  # ids pass to the read side
    ] = None,
    service_code: Annotated[str | None, Query(max_length=400)] = None,
    start_date: W3CDate = None,
    end_date: W3CDate = None,
    status: OpenOrClosed = None,
    jurisdiction_id: Jurisdiction = None,
    page: Page = 1,
    page_size: PageSize = MAX_REQUESTS,
) -> Response:
    wanted = Wanted(
        service_request_id,
        service_code,
        start_date,
        end_date,
        status,
        jurisdiction_id,
        page,
        page_size,
    )
    found = find_requests(request.app.state.read_side, service.catalog, wanted)
    views = [_shown(request, service, caller, k, sealed, key) for k, sealed in found]
    return render(fmt, "service_requests", "request", views)


def _recorded(service: Dialogues, service_request_id: str) -> KienNghi:
    try:
        return service.get_kien_nghi(UUID(service_request_id))
    except ValueError:
        raise NotFound("kien_nghi_not_found", id=service_request_id) from None


@router.get(
    PREFIX + "/requests/{service_request_id}.{format}",
    summary="GET Service Request",
    responses=documented.REQUEST,
)
def get_request(
    fmt: Format,
    caller: Caller,
    service_request_id: str,
    request: Request,
    service: DialoguesDep,
    key: MediaKey,
    jurisdiction_id: Jurisdiction = None,
) -> Response:
    forms.jurisdiction(service.catalog, jurisdiction_id)
    kien_nghi = _recorded(service, service_request_id)
    view = _shown(request, service, caller, Recorded.of_record(kien_nghi), kien_nghi.personal, key)
    return render(fmt, "service_requests", "request", [view])


@router.get(
    PREFIX + "/requests/{service_request_id}/receipt.json",
    summary="Biên nhận có chứng minh / a receipt proving the request was received, and when",
    responses=documented.RECEIPT,
)
async def get_receipt(
    request: Request,
    caller: Caller,
    service_request_id: Annotated[str, Path(max_length=64)],
    service: DialoguesDep,
    since: Since = None,
    witnessed: Witnessed = 0,
) -> Receipt:
    """The service_request_id, or the tracking code given on acknowledgement: its first event
    (received: what and when) proven in the feed's Merkle tree, for verify-receipt. Only to
    whoever sees the request in full (its reporter, the staff it belongs to): the entry is the
    event as recorded, with who recorded it, which the public view leaves out."""
    if re.fullmatch(TRACKING_CODE_PATTERN, service_request_id):
        kien_nghi = service.find_by_tracking_code(service_request_id)
    else:
        kien_nghi = _recorded(service, service_request_id)
    unit = service.unit_of(kien_nghi)
    if view_of(caller, unit, kien_nghi.citizen, service.catalog) is not View.FULL:
        raise NotFound("kien_nghi_not_found", id=service_request_id)
    received = service.history(kien_nghi.id)[:1]
    return await receipt_of(request, kien_nghi.id, received, since, witnessed)


@router.get(
    PREFIX + "/tokens/{token}.{format}",
    summary="GET service_request_id from a token",
    responses=documented.TOKEN,
)
def get_token(
    fmt: Format,
    caller: Caller,
    token: str,
    service: DialoguesDep,
    jurisdiction_id: Jurisdiction = None,
) -> Response:
    forms.jurisdiction(service.catalog, jurisdiction_id)
    kien_nghi = _recorded(service, token)
    found = {"service_request_id": str(kien_nghi.id), "token": token}
    return render(fmt, "service_requests", "request", [found])


@router.get(
    PREFIX + "/servicerequestupdates.{format}",
    summary="GET Service Request Updates (FixMyStreet's extension): each step since a moment",
    responses=documented.UPDATES,
)
def get_updates(
    fmt: Format,
    caller: Caller,
    request: Request,
    service: DialoguesDep,
    start_date: W3CDate = None,
    end_date: W3CDate = None,
    jurisdiction_id: Jurisdiction = None,
    page: Page = 1,
    page_size: PageSize = MAX_REQUESTS,
) -> Response:
    updates = find_updates(
        request.app.state.read_side,
        service.catalog,
        caller,
        _lang(request),
        start_date=start_date,
        end_date=end_date,
        jurisdiction_id=jurisdiction_id,
        page=page,
        page_size=page_size,
    )
    return render(fmt, "service_request_updates", "request_update", updates)


@router.get(
    PREFIX + "/media/{service_request_id}",
    summary="A request's media, by signed link",
    dependencies=[Depends(allow(SIGNED_LINK))],
    response_class=Response,  # no JSON: the 200 is the file
    responses=documented.MEDIA,
)
def get_media(
    service_request_id: str,
    request: Request,
    service: DialoguesDep,
    key: MediaKey,
    expires: Annotated[int, Query(ge=0, le=2**40)],
    signature: Annotated[str, Query(min_length=1, max_length=128)],
) -> Response:
    """The link's HMAC and expiry checked (403), then the media_url the reporter gave
    (a redirect) or the first attachment; 404 once the reporter's data is erased."""
    media.check(key, service_request_id, expires, signature, datetime.now(VIETNAM))
    record = _recorded(service, service_request_id)
    personal = service.personal_data_of(record) or {}
    private = {"Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer"}
    if personal.get("media_url"):
        return RedirectResponse(personal["media_url"], 307, headers=private)
    if record.attachments and record.citizen:
        return attachment_response(request.app.state.attachments, record, record.attachments[0])
    raise NotFound("attachment_not_found", id=service_request_id)


@router.get(
    "/open311/discovery.{format}",
    summary="Open311 service discovery",
    dependencies=Public,
    responses=documented.DISCOVERY,
)
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
    methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"],
    include_in_schema=False,
    dependencies=Public,
)
def elsewhere(request: Request, path: str) -> Response:
    """Whatever else is asked under /open311: a 405 on a known path, else a 404."""
    allowed = allowed_methods(request)
    if allowed:
        raise StarletteHTTPException(405, headers={"Allow": ", ".join(allowed)})
    raise StarletteHTTPException(404)
