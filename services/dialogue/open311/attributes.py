"""Fields of their own for the services that need them (GeoReport v2 service attributes).

A service with attributes has metadata true in the service list; its definition lists them
(variable, code, datatype, required, datatype_description, order, description, values) and a
POST answers them as attribute[code]=key, or attribute[code][]=key once per key of a
multivaluelist. A required attribute missing, a key not in its list or two keys for a
singlevaluelist is a 400 naming attribute[code]; attributes the service does not have are
ignored. The answers are keys of a list, never personal data: kept in clear with the kiến nghị.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from services.dialogue.vocabulary import KienNghiCategory as C
from shared.errors import InvalidInput

Text = tuple[str, str]  # (Vietnamese, English)
SINGLE, MULTI = "singlevaluelist", "multivaluelist"
DATATYPE_DESCRIPTIONS: dict[str, Text] = {
    SINGLE: ("Chọn một giá trị trong danh sách.", "Choose one value of the list."),
    MULTI: (
        "Chọn một hoặc nhiều giá trị trong danh sách.",
        "Choose one or more values of the list.",
    ),
}
OTHER: tuple[str, Text] = ("other", ("Khác", "Other"))


@dataclass(frozen=True)
class Attribute:
    code: str
    datatype: str
    required: bool
    description: Text
    values: tuple[tuple[str, Text], ...]

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(key for key, _ in self.values)


ATTRIBUTES: dict[str, tuple[Attribute, ...]] = {
    C.INFRASTRUCTURE: (
        Attribute(
            "damage_kind",
            SINGLE,
            True,
            ("Loại hư hỏng", "Kind of damage"),
            (
                ("pothole", ("Ổ gà, sụt lún mặt đường", "Pothole or subsided road surface")),
                ("street_light", ("Đèn chiếu sáng công cộng hỏng", "Street light out")),
                ("drainage", ("Cống, rãnh thoát nước tắc hoặc hỏng", "Blocked or broken drain")),
                ("bridge", ("Cầu, cống qua đường hư hỏng", "Damaged bridge or culvert")),
                ("water_supply", ("Vỡ ống, mất nước sinh hoạt", "Burst main or no water")),
                ("power", ("Sự cố lưới điện, dây điện", "Power line fault")),
                OTHER,
            ),
        ),
        Attribute(
            "immediate_danger",
            SINGLE,
            False,
            (
                "Có nguy hiểm trước mắt cho người đi đường không?",
                "Is there an immediate danger to passers-by?",
            ),
            (("yes", ("Có", "Yes")), ("no", ("Không", "No"))),
        ),
    ),
    C.URBAN_ORDER: (
        Attribute(
            "encroachment_kind",
            SINGLE,
            True,
            ("Hình thức vi phạm trật tự đô thị", "Kind of encroachment"),
            (
                ("pavement", ("Lấn chiếm vỉa hè", "Pavement encroachment")),
                ("roadway", ("Lấn chiếm lòng đường", "Roadway encroachment")),
                ("construction", ("Xây dựng không phép, sai phép", "Unlicensed building")),
                ("advertising", ("Quảng cáo, biển hiệu sai quy định", "Illegal advertising")),
                OTHER,
            ),
        ),
    ),
    C.ENVIRONMENT: (
        Attribute(
            "pollution_kind",
            MULTI,
            True,
            ("Loại ô nhiễm", "Kind of pollution"),
            (
                ("air", ("Không khí, khói bụi", "Air, smoke or dust")),
                ("water", ("Nguồn nước, nước thải", "Water or sewage")),
                ("noise", ("Tiếng ồn", "Noise")),
                ("waste", ("Rác thải", "Waste")),
                ("odour", ("Mùi hôi", "Odour")),
                OTHER,
            ),
        ),
    ),
}


def _pick(text: Text, lang: str) -> str:
    return text[1] if lang == "en" else text[0]


def has_attributes(service_code: str) -> bool:
    return bool(ATTRIBUTES.get(service_code))


def definition(service_code: str, lang: str) -> list[dict[str, Any]]:
    """The attributes of a service as GET Service Definition lists them, in order."""
    return [
        {
            "variable": True,
            "code": attribute.code,
            "datatype": attribute.datatype,
            "required": attribute.required,
            "datatype_description": _pick(DATATYPE_DESCRIPTIONS[attribute.datatype], lang),
            "order": order,
            "description": _pick(attribute.description, lang),
            "values": [{"key": key, "name": _pick(name, lang)} for key, name in attribute.values],
        }
        for order, attribute in enumerate(ATTRIBUTES.get(service_code, ()), start=1)
    ]


def definition_xml(service_code: str, lang: str) -> dict[str, Any] | None:
    """The same in XML's nesting: <attributes><attribute>…<values><value>…"""
    attributes = [
        {**attribute, "values": {"value": attribute["values"]}}
        for attribute in definition(service_code, lang)
    ]
    return {"attribute": attributes} if attributes else None


def sent(form: Iterable[tuple[str, Any]]) -> dict[str, list[str]]:
    """attribute[code] and attribute[code][] fields of a form: code → the non-blank values."""
    found: dict[str, list[str]] = {}
    for name, value in form:
        if not (name.startswith("attribute[") and isinstance(value, str)):
            continue
        code = name.removeprefix("attribute[").removesuffix("[]").removesuffix("]")
        if value.strip():
            found.setdefault(code, []).append(value.strip())
    return found


def answers(service_code: str, given: dict[str, list[str]]) -> dict[str, str | list[str]]:
    """The answers to the service's attributes, checked; a key per singlevaluelist, the keys
    (in the list's order) of a multivaluelist."""
    checked: dict[str, str | list[str]] = {}
    for attribute in ATTRIBUTES.get(service_code, ()):
        field = f"attribute[{attribute.code}]"
        values = list(dict.fromkeys(given.get(attribute.code, [])))
        if not values:
            if attribute.required:
                raise InvalidInput("open311_attribute_required", field=field)
            continue
        unknown = [value for value in values if value not in attribute.keys]
        if unknown:
            allowed = ", ".join(key for key, _ in attribute.values)
            raise InvalidInput(
                "open311_attribute_value", field=field, value=unknown[0], allowed=allowed
            )
        if attribute.datatype == SINGLE:
            if len(values) > 1:
                raise InvalidInput("open311_attribute_one_value", field=field)
            checked[attribute.code] = values[0]
        else:
            checked[attribute.code] = [key for key, _ in attribute.values if key in values]
    return checked
