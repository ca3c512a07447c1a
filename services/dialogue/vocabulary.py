"""The dialogue service's words: hosts, kinds, bodies, sources and categories, in Vietnamese too."""

from __future__ import annotations

from enum import StrEnum


class HostBody(StrEnum):
    """Whose head hosts a dialogue conference."""

    PARTY_COMMITTEE = "party_committee"
    GOVERNMENT = "government"


HOST_BODY_NAMES_VI = {
    HostBody.PARTY_COMMITTEE: "Cấp ủy",
    HostBody.GOVERNMENT: "Chính quyền",
}


class DialogueKind(StrEnum):
    PERIODIC = "periodic"
    THEMATIC = "thematic"
    AD_HOC = "ad_hoc"


DIALOGUE_KIND_NAMES_VI = {
    DialogueKind.PERIODIC: "Đối thoại định kỳ",
    DialogueKind.THEMATIC: "Đối thoại chuyên đề",
    DialogueKind.AD_HOC: "Đối thoại đột xuất",
}


class DialogueStatus(StrEnum):
    SCHEDULED = "scheduled"
    HELD = "held"
    CANCELLED = "cancelled"


DIALOGUE_STATUS_NAMES_VI = {
    DialogueStatus.SCHEDULED: "Đã lên lịch",
    DialogueStatus.HELD: "Đã tổ chức",
    DialogueStatus.CANCELLED: "Đã hủy",
}


class SupervisionBody(StrEnum):
    """MTTQ, the socio-political organisations and the People's Inspection Board."""

    MTTQ = "mttq"
    WOMENS_UNION = "womens_union"
    FARMERS_UNION = "farmers_union"
    YOUTH_UNION = "youth_union"
    VETERANS_UNION = "veterans_union"
    TRADE_UNION = "trade_union"
    PEOPLE_INSPECTION_BOARD = "people_inspection_board"


SUPERVISION_BODY_NAMES_VI = {
    SupervisionBody.MTTQ: "Mặt trận Tổ quốc Việt Nam",
    SupervisionBody.WOMENS_UNION: "Hội Liên hiệp Phụ nữ",
    SupervisionBody.FARMERS_UNION: "Hội Nông dân",
    SupervisionBody.YOUTH_UNION: "Đoàn Thanh niên Cộng sản Hồ Chí Minh",
    SupervisionBody.VETERANS_UNION: "Hội Cựu chiến binh",
    SupervisionBody.TRADE_UNION: "Công đoàn",
    SupervisionBody.PEOPLE_INSPECTION_BOARD: "Ban Thanh tra nhân dân",
}


class SupervisionKind(StrEnum):
    SUPERVISION = "supervision"
    SOCIAL_CRITICISM = "social_criticism"
    INSPECTION_CASE = "inspection_case"


SUPERVISION_KIND_NAMES_VI = {
    SupervisionKind.SUPERVISION: "Giám sát",
    SupervisionKind.SOCIAL_CRITICISM: "Hội nghị phản biện xã hội",
    SupervisionKind.INSPECTION_CASE: "Vụ việc thanh tra nhân dân",
}


class KienNghiSource(StrEnum):
    DIALOGUE = "dialogue"
    SUPERVISION_FINDING = "supervision_finding"
    CITIZEN_APP = "citizen_app"
    CITIZEN_RECEPTION = "citizen_reception"
    VOTER_MEETING = "voter_meeting"
    OTHER = "other"


KIEN_NGHI_SOURCE_NAMES_VI = {
    KienNghiSource.DIALOGUE: "Hội nghị đối thoại",
    KienNghiSource.SUPERVISION_FINDING: "Kết quả giám sát",
    KienNghiSource.CITIZEN_APP: "Ứng dụng của người dân",
    KienNghiSource.CITIZEN_RECEPTION: "Tiếp dân",
    KienNghiSource.VOTER_MEETING: "Tiếp xúc cử tri",
    KienNghiSource.OTHER: "Khác",
}


class KienNghiCategory(StrEnum):
    LAND = "land"
    ENVIRONMENT = "environment"
    INFRASTRUCTURE = "infrastructure"
    SOCIAL_POLICY = "social_policy"
    PUBLIC_ORDER = "public_order"
    ADMINISTRATION = "administration"
    URBAN_ORDER = "urban_order"
    OTHER = "other"


KIEN_NGHI_CATEGORY_NAMES_VI = {
    KienNghiCategory.LAND: "Đất đai",
    KienNghiCategory.ENVIRONMENT: "Môi trường",
    KienNghiCategory.INFRASTRUCTURE: "Hạ tầng",
    KienNghiCategory.SOCIAL_POLICY: "Chính sách xã hội",
    KienNghiCategory.PUBLIC_ORDER: "An ninh trật tự",
    KienNghiCategory.ADMINISTRATION: "Thủ tục hành chính",
    KienNghiCategory.URBAN_ORDER: "Trật tự đô thị",
    KienNghiCategory.OTHER: "Khác",
}


class KienNghiStatus(StrEnum):
    RECEIVED = "received"
    ASSIGNED = "assigned"
    ANSWERED = "answered"
    RESOLVED = "resolved"
    DECLINED = "declined"
    REOPENED = "reopened"
    MERGED = "merged"  # a duplicate: followed through its master


KIEN_NGHI_STATUS_NAMES_VI = {
    KienNghiStatus.RECEIVED: "Đã tiếp nhận",
    KienNghiStatus.ASSIGNED: "Đã giao xử lý",
    KienNghiStatus.ANSWERED: "Đã trả lời",
    KienNghiStatus.RESOLVED: "Đã giải quyết",
    KienNghiStatus.DECLINED: "Không giải quyết",
    KienNghiStatus.REOPENED: "Mở lại",
    KienNghiStatus.MERGED: "Đã gộp vào kiến nghị trùng",
}


class KienNghiPriority(StrEnum):
    NORMAL = "normal"
    URGENT = "urgent"
    COMPLEX = "complex"
