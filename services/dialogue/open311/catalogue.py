"""The Open311 services: the categories of kiến nghị, named in Vietnamese (English on request)."""

from __future__ import annotations

from typing import Any

from services.dialogue.open311.attributes import has_attributes
from services.dialogue.vocabulary import KIEN_NGHI_CATEGORY_NAMES_VI
from services.dialogue.vocabulary import KienNghiCategory as C
from shared.errors import NotFound

NAMES_EN = {
    C.LAND: "Land",
    C.ENVIRONMENT: "Environment",
    C.INFRASTRUCTURE: "Infrastructure",
    C.SOCIAL_POLICY: "Social policy",
    C.PUBLIC_ORDER: "Public order and security",
    C.ADMINISTRATION: "Administrative procedures",
    C.URBAN_ORDER: "Urban order",
    C.OTHER: "Other",
}
# (Vietnamese, English)
DESCRIPTIONS = {
    C.LAND: (
        "Tranh chấp, ranh giới đất, giải phóng mặt bằng, cấp giấy chứng nhận quyền sử dụng đất.",
        "Land disputes and boundaries, site clearance, land-use certificates.",
    ),
    C.ENVIRONMENT: (
        "Ô nhiễm không khí, nguồn nước, tiếng ồn; rác thải; vệ sinh môi trường.",
        "Air, water and noise pollution; waste; sanitation.",
    ),
    C.INFRASTRUCTURE: (
        "Đường sá, cầu cống, chiếu sáng công cộng, cấp thoát nước, điện.",
        "Roads and bridges, street lighting, water supply and drainage, power.",
    ),
    C.SOCIAL_POLICY: (
        "Trợ cấp, chính sách người có công, hộ nghèo, bảo hiểm, y tế, giáo dục.",
        "Allowances, veterans' policies, poor households, insurance, health, education.",
    ),
    C.PUBLIC_ORDER: (
        "Trật tự công cộng, an toàn giao thông, tệ nạn xã hội.",
        "Public order, road safety, social evils.",
    ),
    C.ADMINISTRATION: (
        "Giải quyết thủ tục hành chính, thái độ phục vụ của cán bộ, công chức.",
        "Administrative procedures and the conduct of officials.",
    ),
    C.URBAN_ORDER: (
        "Lấn chiếm vỉa hè, lòng đường; xây dựng trái phép; quảng cáo sai quy định.",
        "Pavement encroachment, unlicensed building, illegal advertising.",
    ),
    C.OTHER: ("Các kiến nghị, phản ánh khác.", "Other petitions and reports."),
}
KEYWORDS = {
    C.LAND: ("đất đai, ranh giới, giải phóng mặt bằng, sổ đỏ", "land, boundary, site clearance"),
    C.ENVIRONMENT: ("ô nhiễm, rác thải, tiếng ồn, nước thải", "pollution, waste, noise, sewage"),
    C.INFRASTRUCTURE: (
        "đường, ổ gà, đèn đường, thoát nước, cầu",
        "road, pothole, street light, drainage, bridge",
    ),
    C.SOCIAL_POLICY: ("trợ cấp, người có công, hộ nghèo", "allowance, veterans, poverty"),
    C.PUBLIC_ORDER: ("an ninh, trật tự, giao thông", "security, order, traffic"),
    C.ADMINISTRATION: ("thủ tục, hồ sơ, cán bộ", "procedure, application, official"),
    C.URBAN_ORDER: ("vỉa hè, lấn chiếm, xây dựng", "pavement, encroachment, construction"),
    C.OTHER: ("khác", "other"),
}
GROUPS = {
    C.LAND: ("Tài nguyên và môi trường", "Natural resources and environment"),
    C.ENVIRONMENT: ("Tài nguyên và môi trường", "Natural resources and environment"),
    C.INFRASTRUCTURE: ("Đô thị và hạ tầng", "Urban affairs and infrastructure"),
    C.URBAN_ORDER: ("Đô thị và hạ tầng", "Urban affairs and infrastructure"),
    C.SOCIAL_POLICY: ("Xã hội", "Social affairs"),
    C.PUBLIC_ORDER: ("An ninh trật tự", "Public order and security"),
    C.ADMINISTRATION: ("Hành chính", "Administration"),
    C.OTHER: ("Khác", "Other"),
}


CODES = frozenset(str(category) for category in C)


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def service_name(code: str, lang: str) -> str:
    category = C(code) if code in CODES else C.OTHER
    return _pick((KIEN_NGHI_CATEGORY_NAMES_VI[category], NAMES_EN[category]), lang)


def checked_service(code: str) -> str:
    if code not in CODES:
        raise NotFound("open311_service_unknown", field="service_code", value=code)
    return code


def services(lang: str) -> list[dict[str, Any]]:
    """GET services: every category, realtime (a request id comes back at once); metadata
    true for those with attributes of their own."""
    return [
        {
            "service_code": str(category),
            "service_name": service_name(category, lang),
            "description": _pick(DESCRIPTIONS[category], lang),
            "metadata": has_attributes(category),
            "type": "realtime",
            "keywords": _pick(KEYWORDS[category], lang),
            "group": _pick(GROUPS[category], lang),
        }
        for category in C
    ]
