"""The registry's words: sectors, fields and recognition levels, with their Vietnamese names."""

from __future__ import annotations

from enum import StrEnum


class Sector(StrEnum):
    """Khối of the registering body."""

    STATE = "state"
    ARMED_FORCES = "armed_forces"
    FRONT_AND_UNIONS = "front_and_unions"
    ENTERPRISE = "enterprise"
    ETHNIC_MINORITY = "ethnic_minority"
    RELIGION = "religion"


SECTOR_NAMES_VI = {
    Sector.STATE: "Cơ quan nhà nước, chính quyền",
    Sector.ARMED_FORCES: "Lực lượng vũ trang",
    Sector.FRONT_AND_UNIONS: "MTTQ và các đoàn thể",
    Sector.ENTERPRISE: "Doanh nghiệp",
    Sector.ETHNIC_MINORITY: "Vùng đồng bào dân tộc thiểu số",
    Sector.RELIGION: "Tôn giáo",
}


class ModelField(StrEnum):
    """Lĩnh vực of a model: the four broad ones and the finer ones used in practice."""

    ECONOMY = "economy"
    CULTURE_SOCIETY = "culture_society"
    DEFENCE_SECURITY = "defence_security"
    POLITICAL_SYSTEM = "political_system"
    NEW_RURAL = "new_rural"
    URBAN_IMPROVEMENT = "urban_improvement"
    DIGITAL_TRANSFORMATION = "digital_transformation"
    ADMINISTRATIVE_REFORM = "administrative_reform"
    ENVIRONMENT = "environment"
    PUBLIC_ORDER = "public_order"


FIELD_NAMES_VI = {
    ModelField.ECONOMY: "Kinh tế",
    ModelField.CULTURE_SOCIETY: "Văn hóa - xã hội",
    ModelField.DEFENCE_SECURITY: "Quốc phòng - an ninh",
    ModelField.POLITICAL_SYSTEM: "Xây dựng hệ thống chính trị",
    ModelField.NEW_RURAL: "Xây dựng nông thôn mới",
    ModelField.URBAN_IMPROVEMENT: "Chỉnh trang đô thị",
    ModelField.DIGITAL_TRANSFORMATION: "Chuyển đổi số",
    ModelField.ADMINISTRATIVE_REFORM: "Cải cách hành chính",
    ModelField.ENVIRONMENT: "Bảo vệ môi trường",
    ModelField.PUBLIC_ORDER: "An ninh trật tự",
}


class RecognitionLevel(StrEnum):
    """Which level evaluated and recognised a model."""

    CENTRAL = "central"
    PROVINCE = "province"
    DISTRICT = "district"
    COMMUNE = "commune"


RECOGNITION_LEVEL_NAMES_VI = {
    RecognitionLevel.CENTRAL: "Trung ương",
    RecognitionLevel.PROVINCE: "Cấp tỉnh, thành phố",
    RecognitionLevel.DISTRICT: "Cấp huyện",
    RecognitionLevel.COMMUNE: "Cấp xã",
}


class AwardKind(StrEnum):
    """Honours the commission records."""

    MEDAL_DAN_VAN = "medal_dan_van"
    CERTIFICATE_OF_MERIT = "certificate_of_merit"
    COMMENDATION = "commendation"


AWARD_NAMES_VI = {
    AwardKind.MEDAL_DAN_VAN: 'Kỷ niệm chương "Vì sự nghiệp Dân vận"',
    AwardKind.CERTIFICATE_OF_MERIT: "Bằng khen",
    AwardKind.COMMENDATION: "Giấy khen",
}


class RecipientKind(StrEnum):
    INDIVIDUAL = "individual"
    COLLECTIVE = "collective"
