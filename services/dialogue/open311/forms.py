"""POST requests: the Open311 form, the commune it points to, and what of it is personal data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError
from vietnamadminunits import ParseMode, parse_address

from services.dialogue.citizens import LATITUDES, LONGITUDES
from shared.errors import InvalidInput, NotFound
from shared.input_types import NON_BLANK_PATTERN, TEXT_PATTERN, is_plain_text
from shared.units import Level, Structure, Unit, UnitCatalog

# sealed under the citizen's key, never stored or returned otherwise (lat, long, address
# and media_url come back on GET requests until the data is erased; the rest never do)
PERSONAL = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "device_id",
    "account_id",
    "address_string",
    "lat",
    "long",
    "media_url",
)


Name = Annotated[str | None, Field(max_length=100)]
Code = Annotated[str | None, Field(max_length=32)]
Id = Annotated[str | None, Field(max_length=200)]


def _as_a_form(schema: dict[str, Any]) -> None:
    """The fields as a form has them: no null (a field left out, or blank, is absent) and no
    control characters (_blank_is_absent); service_code and description not blank."""
    for name, field in schema.get("properties", {}).items():
        kept = [branch for branch in field.get("anyOf", ()) if branch != {"type": "null"}]
        if len(kept) == 1:
            del field["anyOf"]
            field.update(kept[0])
        if "default" in field and field["default"] is None:
            del field["default"]
        if field.get("type") != "string":
            continue
        text = NON_BLANK_PATTERN if name in ("service_code", "description") else TEXT_PATTERN
        if "pattern" in field:
            field["allOf"] = [{"pattern": text}]
        else:
            field["pattern"] = text


class ServiceRequestForm(BaseModel):
    """The arguments of POST requests (form-encoded or multipart); attribute[…] are read apart
    (attributes.py)."""

    model_config = ConfigDict(
        str_strip_whitespace=True, extra="ignore", json_schema_extra=_as_a_form
    )

    api_key: Id = None  # read by the caller dependency; here for the documentation
    jurisdiction_id: Code = None
    service_code: Annotated[str, Field(min_length=1, max_length=32)]
    lat: Annotated[float | None, Field(ge=-90, le=90, allow_inf_nan=False)] = None
    long: Annotated[float | None, Field(ge=-180, le=180, allow_inf_nan=False)] = None
    address_string: Annotated[str | None, Field(max_length=500)] = None
    address_id: Code = None
    email: Annotated[str | None, Field(max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")] = None
    device_id: Id = None
    account_id: Id = None
    first_name: Name = None
    last_name: Name = None
    phone: Annotated[str | None, Field(max_length=20, pattern=r"^[+0-9 ().-]+$")] = None
    description: Annotated[str, Field(min_length=1, max_length=4000)]
    media_url: Annotated[str | None, Field(max_length=2048, pattern=r"^https?://\S+$")] = None
    # our extension: the reporter agrees that anyone may see the location and media they gave
    # (the point or address_string, media_url); without it, the public sees the commune only
    publish_location_and_media: bool | None = None

    @field_validator("*", mode="before")
    @classmethod
    def _blank_is_absent(cls, value: Any, info: ValidationInfo) -> Any:
        """Clients send empty fields for what they do not know (lat= with an address); no
        field may hold control characters (a NUL stops PostgreSQL's copy of the record)."""
        if isinstance(value, str) and not is_plain_text(value):
            raise PydanticCustomError(
                "string_control_character",
                "Input should not contain control characters (U+0000 to U+001F)",
            )
        if info.field_name in ("service_code", "description"):
            return value
        return None if isinstance(value, str) and not value.strip() else value

    def personal(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in PERSONAL}

    def account(self) -> str | None:
        """Whose request this is, as the client knows them: their data-subject id comes of it."""
        return self.account_id or self.email or self.device_id

    def published(self) -> bool:
        return bool(self.publish_location_and_media)

    def request_body(self) -> dict[str, Any]:
        """What an Idempotency-Key is checked against (the api_key is the scope already)."""
        return self.model_dump(mode="json", exclude={"api_key"})


def jurisdiction(catalog: UnitCatalog, code: str | None) -> Unit | None:
    """The 2025 province a jurisdiction_id names; none given means the whole country."""
    if code is None:
        return None
    province = catalog.get(Structure.V2025, code)
    if province is None or province.level is not Level.PROVINCE:
        raise NotFound("jurisdiction_unknown", field="jurisdiction_id", value=code)
    return province


@dataclass(frozen=True)
class Located:
    """The commune a request is filed at, and the argument that named it."""

    unit: Unit
    field: str


def located(form: ServiceRequestForm, catalog: UnitCatalog, on: date) -> Located:
    """address_id if given, else lat & long (the nearest commune), else address_string; each
    within jurisdiction_id if given, and a point given with address_id in its province.

    A point lies in the province of the commune whose centre is nearest to it, wherever the
    jurisdiction_id says (the catalog knows centres, not boundaries).
    """
    province = jurisdiction(catalog, form.jurisdiction_id)
    at_point = _commune_at(form, catalog, on)
    if at_point is not None and province is not None and _province(catalog, at_point) != province:
        raise InvalidInput(
            "open311_point_outside",
            field="lat",
            lat=form.lat,
            long=form.long,
            found=_province(catalog, at_point).name,
            wanted=province.name,
        )
    if form.address_id:
        unit = catalog.find(form.address_id, on)
        if unit is None:
            raise InvalidInput("unit_unknown", field="address_id", unit_code=form.address_id, on=on)
        if province is not None and _province(catalog, unit) != province:
            raise InvalidInput(
                "open311_address_id_outside",
                field="address_id",
                value=form.address_id,
                found=_province(catalog, unit).name,
                wanted=province.name,
            )
        if at_point is not None and _province(catalog, at_point) != _province(catalog, unit):
            raise InvalidInput(
                "open311_point_outside",
                field="lat",
                lat=form.lat,
                long=form.long,
                found=_province(catalog, at_point).name,
                wanted=_province(catalog, unit).name,
            )
        return Located(unit, "address_id")
    if at_point is not None:
        return Located(at_point, "lat")
    if form.address_string:
        unit = commune_of_address(form.address_string, province, catalog, on)
        return Located(unit, "address_string")
    raise InvalidInput("open311_location_required", field="lat")


def _commune_at(form: ServiceRequestForm, catalog: UnitCatalog, on: date) -> Unit | None:
    """The commune nearest the point, if one was given; 400 for half a point or one abroad."""
    if form.lat is None and form.long is None:
        return None
    if form.lat is None or form.long is None:
        missing = "lat" if form.lat is None else "long"
        raise InvalidInput("open311_location_required", field=missing)
    lat, lon = form.lat, form.long
    inside = LATITUDES[0] <= lat <= LATITUDES[1] and LONGITUDES[0] <= lon <= LONGITUDES[1]
    unit = catalog.nearest_commune(lat, lon, on) if inside else None
    if unit is None:
        raise InvalidInput("location_outside", field="lat", lat=lat, lon=lon)
    return unit


def _province(catalog: UnitCatalog, unit: Unit) -> Unit:
    """The 2025 province a unit's records count in."""
    in_2025 = catalog.in_2025(unit) or unit
    province = catalog.get(Structure.V2025, in_2025.province_code)
    return province or in_2025


def commune_of_address(address: str, province: Unit | None, catalog: UnitCatalog, on: date) -> Unit:
    """The 2025 commune an address names, read by vietnamadminunits (in the province if
    given: a street alone is read there; an address that names another province is a 400)."""
    elsewhere = None
    texts = [address] if province is None else [address, f"{address}, {province.name}"]
    for text in texts:
        parsed = parse_address(text, mode=ParseMode.FROM_2025, level=2)
        if not parsed.ward_code:
            continue
        unit = catalog.find(str(parsed.ward_code), on)
        if unit is None:
            continue
        if province is None or _province(catalog, unit) == province:
            return unit
        elsewhere = elsewhere or unit
    if elsewhere is not None and province is not None:
        raise InvalidInput(
            "open311_address_outside",
            field="address_string",
            found=_province(catalog, elsewhere).name,
            wanted=province.name,
        )
    raise InvalidInput("open311_address_unknown", field="address_string")
