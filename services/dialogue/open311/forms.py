"""POST requests: the Open311 form, where it points to, and what of it is personal data."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from vietnamadminunits import ParseMode, parse_address

from services.dialogue.citizens import Whereabouts
from shared.errors import InvalidInput, NotFound
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


class ServiceRequestForm(BaseModel):
    """The arguments of POST requests (form-encoded or multipart); attribute[…] is ignored."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="ignore")

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

    @field_validator("*", mode="before")
    @classmethod
    def _blank_is_absent(cls, value: Any, info: ValidationInfo) -> Any:
        """Clients send empty fields for what they do not know (lat= with an address)."""
        if info.field_name in ("service_code", "description"):
            return value
        return None if isinstance(value, str) and not value.strip() else value

    def personal(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in PERSONAL}

    def account(self) -> str | None:
        """Whose request this is, as the client knows them: their data-subject id comes of it."""
        return self.account_id or self.email or self.device_id

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


def whereabouts(form: ServiceRequestForm, catalog: UnitCatalog, on: date) -> Whereabouts:
    """lat & long (the nearest commune), else address_id (a unit code), else address_string."""
    province = jurisdiction(catalog, form.jurisdiction_id)
    if form.lat is not None or form.long is not None:
        if form.lat is None or form.long is None:
            missing = "lat" if form.lat is None else "long"
            raise InvalidInput("open311_location_required", field=missing)
        return Whereabouts(lat=form.lat, lon=form.long, province_code=form.jurisdiction_id)
    if form.address_id:
        unit = catalog.find(form.address_id, on)
        in_2025 = catalog.in_2025(unit) if unit is not None else None
        if unit is None or (
            province is not None and (in_2025 is None or in_2025.province_code != province.code)
        ):
            raise InvalidInput("unit_unknown", field="address_id", unit_code=form.address_id, on=on)
        return Whereabouts(unit_code=unit.code)
    if form.address_string:
        return Whereabouts(unit_code=commune_of_address(form.address_string, province))
    raise InvalidInput("open311_location_required", field="lat")


def commune_of_address(address: str, province: Unit | None) -> str:
    """The 2025 commune an address names, read by vietnamadminunits (in the province if given)."""
    texts = [address] if province is None else [address, f"{address}, {province.name}"]
    for text in texts:
        parsed = parse_address(text, mode=ParseMode.FROM_2025, level=2)
        if parsed.ward_code and (province is None or parsed.province_code == province.code):
            return str(parsed.ward_code)
    raise InvalidInput("open311_address_unknown", field="address_string")
