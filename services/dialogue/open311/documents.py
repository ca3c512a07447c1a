"""The shapes of the Open311 answers, field by field, as the OpenAPI document states them.

Every field is always sent (null when there is nothing to say). The same schemas describe the
XML: their `xml` objects name the elements as rendering.py writes them (a list is its root
element around one element per item; a list inside an object is an element around one
element per item; null is an empty element).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel

from services.dialogue.vocabulary import KienNghiCategory, KienNghiStatus

OpenOrClosed = Literal["open", "closed"]


def w3c(**field: Any) -> Any:
    """A W3C datetime with its offset, in Vietnam's time: 2026-11-25T08:30:00+07:00."""
    return Field(json_schema_extra={"format": "date-time"}, **field)


def element(name: str) -> ConfigDict:
    """A model written as <name>…</name> in XML."""
    return ConfigDict(json_schema_extra={"xml": {"name": name}})


def root(name: str) -> ConfigDict:
    """A list written as <name> around its items (each named by its model)."""
    return ConfigDict(json_schema_extra={"xml": {"name": name, "wrapped": True}})


def wrapped(name: str, item: dict[str, Any] | None = None, **field: Any) -> Any:
    """A list field written as <name> around its items (named by item, or by their model)."""
    extra: dict[str, Any] = {"xml": {"name": name, "wrapped": True}}
    if item is not None:
        extra["items"] = item
    return Field(json_schema_extra=extra, **field)


class Open311Service(BaseModel):
    """GET services: a category of kiến nghị / một lĩnh vực kiến nghị."""

    model_config = element("service")

    service_code: KienNghiCategory
    service_name: str
    description: str
    metadata: bool = Field(description="có thuộc tính riêng / has attributes of its own")
    type: Literal["realtime", "batch", "blackbox"] = Field(
        description="realtime: mã kiến nghị trả về ngay / the id comes back at once"
    )
    keywords: str = Field(description="phân cách bằng dấu phẩy / comma-separated")
    group: str


class Open311AttributeValue(BaseModel):
    model_config = element("value")

    key: str
    name: str


class Open311ServiceAttribute(BaseModel):
    model_config = element("attribute")

    variable: bool
    code: str
    datatype: Literal["string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"]
    required: bool
    datatype_description: str
    order: int = Field(ge=1)
    description: str
    values: list[Open311AttributeValue] = wrapped("values")


class Open311ServiceDefinition(BaseModel):
    """GET Service Definition: the attributes a POST answers as attribute[code]."""

    model_config = element("service_definition")

    service_code: KienNghiCategory
    attributes: list[Open311ServiceAttribute] = wrapped("attributes")


class Open311RequestCreated(BaseModel):
    """POST requests: the new request (or the one an Idempotency-Key retry made)."""

    model_config = element("request")

    service_request_id: str
    token: str = Field(description="bằng service_request_id / equal to service_request_id")
    service_notice: str
    account_id: None = Field(description="luôn null / always null")


class Open311ServiceRequest(BaseModel):
    """A kiến nghị in the caller's view: the reporter's location and media, or the commune's
    name, code and centre (access.py); never names, emails or phones."""

    model_config = element("request")

    service_request_id: str
    status: OpenOrClosed
    status_notes: str | None
    service_name: str
    service_code: str
    description: str
    agency_responsible: str | None
    service_notice: str
    requested_datetime: str | None = w3c()
    updated_datetime: str | None = w3c()
    expected_datetime: str | None = w3c(description="cuối ngày hạn / the end of the due day")
    address: str
    address_id: str = Field(description="mã xã, phường / the commune's code")
    zipcode: None = Field(description="luôn null / always null")
    lat: float | None
    long: float | None
    media_url: str | None = Field(
        json_schema_extra={"format": "uri"},
        description="liên kết ký số, hết hạn sau một giờ / a signed link, valid for an hour",
    )


class Open311Token(BaseModel):
    """GET tokens: the request a token names."""

    model_config = element("request")

    service_request_id: str
    token: str


class Open311RequestUpdate(BaseModel):
    """GET servicerequestupdates: one step of a kiến nghị after its receipt."""

    model_config = element("request_update")

    update_id: str = Field(description="<service_request_id>-<feed position>")
    service_request_id: str
    status: OpenOrClosed
    external_status_code: KienNghiStatus
    updated_datetime: str | None = w3c()
    description: str
    media_url: Literal[""] = Field(description="luôn rỗng / always empty")


class Open311Endpoint(BaseModel):
    model_config = element("endpoint")

    specification: str = Field(json_schema_extra={"format": "uri"})
    url: str = Field(json_schema_extra={"format": "uri"})
    changeset: str = w3c()
    type: Literal["production", "test"]
    formats: list[str] = wrapped("formats", {"type": "string", "xml": {"name": "format"}})


class Open311Discovery(BaseModel):
    model_config = element("discovery")

    changeset: str = w3c()
    contact: str
    key_service: str
    endpoints: list[Open311Endpoint] = wrapped("endpoints")


class Open311Error(BaseModel):
    """One error: its HTTP status and what is wrong, naming the argument ("field: text")."""

    model_config = element("error")

    code: int = Field(description="trạng thái HTTP / the HTTP status")
    description: str


# the lists the routes answer: a JSON array, or <root><item/>…</root>


class Open311Services(RootModel[list[Open311Service]]):
    model_config = root("services")


class Open311RequestsCreated(RootModel[list[Open311RequestCreated]]):
    model_config = root("service_requests")


class Open311ServiceRequests(RootModel[list[Open311ServiceRequest]]):
    model_config = root("service_requests")


class Open311Tokens(RootModel[list[Open311Token]]):
    model_config = root("service_requests")


class Open311RequestUpdates(RootModel[list[Open311RequestUpdate]]):
    model_config = root("service_request_updates")


class Open311Errors(RootModel[list[Open311Error]]):
    """Every error answer: a JSON array, or <errors><error>…</error></errors>."""

    model_config = root("errors")
