"""Names of coded values in reports: the services' Vietnamese names, with English beside them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from services.dialogue.vocabulary import (
    DIALOGUE_KIND_NAMES_VI,
    DIALOGUE_STATUS_NAMES_VI,
    HOST_BODY_NAMES_VI,
    KIEN_NGHI_CATEGORY_NAMES_VI,
    KIEN_NGHI_SOURCE_NAMES_VI,
    KIEN_NGHI_STATUS_NAMES_VI,
    SUPERVISION_BODY_NAMES_VI,
    SUPERVISION_KIND_NAMES_VI,
    DialogueKind,
    DialogueStatus,
    HostBody,
    KienNghiCategory,
    KienNghiPriority,
    KienNghiSource,
    KienNghiStatus,
    SupervisionBody,
    SupervisionKind,
)
from services.registry.vocabulary import (
    AWARD_NAMES_VI,
    FIELD_NAMES_VI,
    RECOGNITION_LEVEL_NAMES_VI,
    SECTOR_NAMES_VI,
    AwardKind,
    ModelField,
    RecipientKind,
    RecognitionLevel,
    Sector,
)

Text = tuple[str, str]  # (Vietnamese, English)
Code = TypeVar("Code", bound=str)


def pair(vi: Mapping[Code, str], en: Mapping[Code, str]) -> dict[str, Text]:
    """Code → (Vietnamese, English); every Vietnamese name must have its English one."""
    return {str(code): (name, en[code]) for code, name in vi.items()}


SECTORS = pair(
    SECTOR_NAMES_VI,
    {
        Sector.STATE: "State bodies and government",
        Sector.ARMED_FORCES: "Armed forces",
        Sector.FRONT_AND_UNIONS: "Fatherland Front and mass organisations",
        Sector.ENTERPRISE: "Enterprises",
        Sector.ETHNIC_MINORITY: "Ethnic minority areas",
        Sector.RELIGION: "Religions",
    },
)

FIELDS = pair(
    FIELD_NAMES_VI,
    {
        ModelField.ECONOMY: "Economy",
        ModelField.CULTURE_SOCIETY: "Culture and society",
        ModelField.DEFENCE_SECURITY: "Defence and security",
        ModelField.POLITICAL_SYSTEM: "Building the political system",
        ModelField.NEW_RURAL: "New rural development",
        ModelField.URBAN_IMPROVEMENT: "Urban improvement",
        ModelField.DIGITAL_TRANSFORMATION: "Digital transformation",
        ModelField.ADMINISTRATIVE_REFORM: "Administrative reform",
        ModelField.ENVIRONMENT: "Environmental protection",
        ModelField.PUBLIC_ORDER: "Public order and security",
    },
)

# the levels of units and of the bodies that recognise models or confer awards
LEVELS = pair(
    RECOGNITION_LEVEL_NAMES_VI,
    {
        RecognitionLevel.CENTRAL: "Central",
        RecognitionLevel.PROVINCE: "Province",
        RecognitionLevel.DISTRICT: "District",
        RecognitionLevel.COMMUNE: "Commune",
    },
)

AWARDS = pair(
    AWARD_NAMES_VI,
    {
        AwardKind.MEDAL_DAN_VAN: 'Medal "For the cause of Dân vận"',
        AwardKind.CERTIFICATE_OF_MERIT: "Certificate of merit",
        AwardKind.COMMENDATION: "Commendation",
    },
)

RECIPIENT_KINDS: dict[str, Text] = {
    RecipientKind.INDIVIDUAL: ("Cá nhân", "Individual"),
    RecipientKind.COLLECTIVE: ("Tập thể", "Collective"),
}

HOST_BODIES = pair(
    HOST_BODY_NAMES_VI,
    {HostBody.PARTY_COMMITTEE: "Party committee", HostBody.GOVERNMENT: "Government"},
)

DIALOGUE_KINDS = pair(
    DIALOGUE_KIND_NAMES_VI,
    {
        DialogueKind.PERIODIC: "Periodic dialogue",
        DialogueKind.THEMATIC: "Thematic dialogue",
        DialogueKind.AD_HOC: "Ad hoc dialogue",
    },
)

DIALOGUE_STATUSES = pair(
    DIALOGUE_STATUS_NAMES_VI,
    {
        DialogueStatus.SCHEDULED: "Scheduled",
        DialogueStatus.HELD: "Held",
        DialogueStatus.CANCELLED: "Cancelled",
    },
)

SUPERVISION_BODIES = pair(
    SUPERVISION_BODY_NAMES_VI,
    {
        SupervisionBody.MTTQ: "Vietnam Fatherland Front",
        SupervisionBody.WOMENS_UNION: "Women's Union",
        SupervisionBody.FARMERS_UNION: "Farmers' Union",
        SupervisionBody.YOUTH_UNION: "Ho Chi Minh Communist Youth Union",
        SupervisionBody.VETERANS_UNION: "Veterans' Association",
        SupervisionBody.TRADE_UNION: "Trade union",
        SupervisionBody.PEOPLE_INSPECTION_BOARD: "People's Inspection Board",
    },
)

SUPERVISION_KINDS = pair(
    SUPERVISION_KIND_NAMES_VI,
    {
        SupervisionKind.SUPERVISION: "Supervision",
        SupervisionKind.SOCIAL_CRITICISM: "Social criticism conference",
        SupervisionKind.INSPECTION_CASE: "People's Inspection case",
    },
)

KIEN_NGHI_SOURCES = pair(
    KIEN_NGHI_SOURCE_NAMES_VI,
    {
        KienNghiSource.DIALOGUE: "Dialogue conference",
        KienNghiSource.SUPERVISION_FINDING: "Supervision finding",
        KienNghiSource.CITIZEN_APP: "Citizens' app",
        KienNghiSource.CITIZEN_RECEPTION: "Citizen reception",
        KienNghiSource.VOTER_MEETING: "Meeting with voters",
        KienNghiSource.OTHER: "Other",
    },
)

KIEN_NGHI_CATEGORIES = pair(
    KIEN_NGHI_CATEGORY_NAMES_VI,
    {
        KienNghiCategory.LAND: "Land",
        KienNghiCategory.ENVIRONMENT: "Environment",
        KienNghiCategory.INFRASTRUCTURE: "Infrastructure",
        KienNghiCategory.SOCIAL_POLICY: "Social policy",
        KienNghiCategory.PUBLIC_ORDER: "Public order and security",
        KienNghiCategory.ADMINISTRATION: "Administrative procedures",
        KienNghiCategory.URBAN_ORDER: "Urban order",
        KienNghiCategory.OTHER: "Other",
    },
)

KIEN_NGHI_STATUSES = pair(
    KIEN_NGHI_STATUS_NAMES_VI,
    {
        KienNghiStatus.RECEIVED: "Received",
        KienNghiStatus.ASSIGNED: "Assigned",
        KienNghiStatus.ANSWERED: "Answered",
        KienNghiStatus.RESOLVED: "Resolved",
        KienNghiStatus.DECLINED: "Declined",
        KienNghiStatus.REOPENED: "Reopened",
        KienNghiStatus.MERGED: "Merged as a duplicate",
    },
)

KIEN_NGHI_PRIORITIES: dict[str, Text] = {
    KienNghiPriority.NORMAL: ("Thông thường", "Normal"),
    KienNghiPriority.URGENT: ("Khẩn", "Urgent"),
    KienNghiPriority.COMPLEX: ("Phức tạp", "Complex"),
}

UNIT_STRUCTURES: dict[str, Text] = {
    "legacy": ("Trước 01/7/2025 (ba cấp)", "Before 1 July 2025 (three levels)"),
    "2025": ("Từ 01/7/2025 (hai cấp)", "From 1 July 2025 (two levels)"),
}

REPORT_STRUCTURES: dict[str, Text] = {
    "recorded": ("Theo đơn vị khi ghi nhận", "Units as recorded"),
    "2025": ("Quy về đơn vị hành chính từ 01/7/2025", "Rolled up onto the 2025 units"),
}
