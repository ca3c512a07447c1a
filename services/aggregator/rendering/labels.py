"""Titles of every report, dimension and metric, in Vietnamese and English, in one place.

Metric titles that are also a record's status reuse the status names of the services'
vocabularies; no title is typed twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from services.aggregator.rendering import codes
from services.aggregator.rendering.codes import Text

S = codes.SUPERVISION_KINDS
D = codes.DIALOGUE_STATUSES
K = codes.KIEN_NGHI_STATUSES

WORDS: dict[str, Text] = {
    "total": ("Tổng cộng", "Total"),
    "compare": ("Kỳ so sánh", "Comparison period"),
    "ratio": ("Tỷ lệ so với kỳ so sánh", "Ratio to the comparison period"),
    "info": ("Thông tin", "Information"),
    "report": ("Báo cáo", "Report"),
    "period": ("Kỳ báo cáo", "Period"),
    "all_time": ("Toàn bộ thời gian", "All time"),
    "group_by": ("Nhóm theo", "Grouped by"),
    "filters": ("Bộ lọc", "Filters"),
    "none": ("Không", "None"),
    "all": ("Tất cả", "All"),
    "structure": ("Cơ cấu đơn vị", "Units"),
    "on": ("Ngày", "On"),
    "as_of": ("Số liệu tính đến", "As recorded at"),
    "generated": ("Thời điểm lập", "Generated at"),
    "label": ("Nội dung", "Item"),
}

# dimensions every report has, and the unit names the engine adds beside unit codes
COMMON_DIMENSIONS: dict[str, Text] = {
    "unit_structure": ("Cơ cấu đơn vị hành chính", "Administrative structure"),
    "level": ("Cấp", "Level"),
    "unit": ("Mã đơn vị", "Unit code"),
    "unit_name": ("Đơn vị", "Unit"),
    "province": ("Mã tỉnh/thành phố", "Province code"),
    "province_name": ("Tỉnh/thành phố", "Province"),
    "district": ("Mã quận/huyện", "District code"),
    "district_name": ("Quận/huyện", "District"),
    "year": ("Năm", "Year"),
    "quarter": ("Quý", "Quarter"),
    "month": ("Tháng", "Month"),
}

COMMON_VALUES: dict[str, dict[str, Text]] = {
    "unit_structure": codes.UNIT_STRUCTURES,
    "level": codes.LEVELS,
}

SUPERVISION_DIMENSIONS: dict[str, Text] = {
    "kind": ("Loại hoạt động", "Kind of activity"),
    "body": ("Chủ thể giám sát", "Supervising body"),
}
SUPERVISION_VALUES = {"kind": codes.SUPERVISION_KINDS, "body": codes.SUPERVISION_BODIES}
WITH_VIOLATION_SIGNS: Text = ("Có dấu hiệu vi phạm", "With signs of violation")
RECOMMENDED: Text = ("Có kiến nghị xử lý", "With recommendations")
ALL_RESOLVED: Text = ("Kiến nghị đã giải quyết xong", "Recommendations all resolved")
FIELD: Text = ("Lĩnh vực", "Field")


@dataclass(frozen=True)
class ReportLabels:
    title: Text
    dimensions: dict[str, Text] = field(default_factory=dict)
    values: dict[str, dict[str, Text]] = field(default_factory=dict)  # dimension → code → name
    metrics: dict[str, Text] = field(default_factory=dict)

    def dimension(self, name: str, lang: str) -> str:
        return pick(self.dimensions.get(name) or COMMON_DIMENSIONS.get(name) or (name, name), lang)

    def value(self, dimension: str, value: object, lang: str) -> object:
        names = self.values.get(dimension) or COMMON_VALUES.get(dimension) or {}
        text = names.get(str(value)) if value is not None else None
        return pick(text, lang) if text else value

    def metric(self, name: str, lang: str) -> str:
        return pick(self.metrics.get(name, (name, name)), lang)


KIEN_NGHI_DIMENSIONS: dict[str, Text] = {
    "category": ("Lĩnh vực", "Category"),
    "agency": ("Cơ quan giải quyết", "Agency"),
    "source": ("Nguồn", "Source"),
}
KIEN_NGHI_VALUES = {"category": codes.KIEN_NGHI_CATEGORIES, "source": codes.KIEN_NGHI_SOURCES}
HANDLING = ReportLabels(
    title=("Kết quả giải quyết kiến nghị", "How kiến nghị were handled"),
    dimensions={**KIEN_NGHI_DIMENSIONS, "priority": ("Mức độ ưu tiên", "Priority")},
    values={**KIEN_NGHI_VALUES, "priority": codes.KIEN_NGHI_PRIORITIES},
    metrics={
        "received": (
            "Kiến nghị (bản trùng tính vào bản chính)",
            "Kiến nghị (duplicates in their master)",
        ),
        "acknowledgement_due": ("Đến hạn tiếp nhận", "Due to be acknowledged"),
        "acknowledged_on_time": ("Tiếp nhận đúng hạn", "Acknowledged on time"),
        "acknowledged_on_time_rate": ("Tỷ lệ tiếp nhận đúng hạn", "Acknowledged on time, rate"),
        "closed": ("Đã giải quyết xong (có hạn)", "Closed (with a due day)"),
        "on_time": ("Đúng hạn", "On time"),
        "late_with_extension": ("Trễ hạn có gia hạn", "Late with an approved extension"),
        "late": ("Trễ hạn", "Late"),
        "on_time_rate": ("Tỷ lệ đúng hạn", "On-time rate"),
        "open_overdue": ("Quá hạn chưa giải quyết", "Open and overdue"),
        "reopened": ("Mở lại sau khi giải quyết", "Reopened after resolution"),
        "resolve_days_median": (
            "Số ngày làm việc giải quyết (trung vị)",
            "Working days to resolve (median)",
        ),
        "resolve_days_p90": (
            "Số ngày làm việc giải quyết (phân vị 90)",
            "Working days to resolve (90th percentile)",
        ),
        "rated": ("Đã được đánh giá", "Rated"),
        "average_rating": ("Mức hài lòng trung bình (1–5)", "Average rating (1–5)"),
        "duplicates_merged": ("Kiến nghị trùng đã gộp", "Duplicates merged"),
    },
)

REPORTS: dict[str, ReportLabels] = {
    "models": ReportLabels(
        title=("Mô hình Dân vận khéo", "Dân vận khéo models"),
        dimensions={
            "field": FIELD,
            "sector": ("Khối", "Sector"),
            "model_year": ("Năm đăng ký mô hình", "Model year"),
        },
        values={"field": codes.FIELDS, "sector": codes.SECTORS},
        metrics={
            "registered": ("Đăng ký mới", "Registered"),
            "progress": ("Báo cáo tiến độ", "Progress reports"),
            "recognised": ("Được công nhận", "Recognised"),
            "commended": ("Được khen thưởng", "Commended"),
            "replicated": ("Được nhân rộng", "Replicated"),
            "discontinued": ("Dừng thực hiện", "Discontinued"),
        },
    ),
    "dialogues": ReportLabels(
        title=("Hội nghị đối thoại", "Dialogue conferences"),
        dimensions={"kind": ("Hình thức đối thoại", "Kind"), "host_body": ("Chủ trì", "Host")},
        values={"kind": codes.DIALOGUE_KINDS, "host_body": codes.HOST_BODIES},
        metrics={
            "held": D["held"],
            "scheduled": D["scheduled"],
            "cancelled": D["cancelled"],
            "participants": ("Số người tham dự", "Participants"),
        },
    ),
    "supervisions": ReportLabels(
        title=("Giám sát, phản biện xã hội", "Supervision, social criticism"),
        dimensions=SUPERVISION_DIMENSIONS,
        values=SUPERVISION_VALUES,
        metrics={
            "activities": ("Số hoạt động", "Activities"),
            "with_findings": ("Có phát hiện", "With findings"),
            "with_violation_signs": WITH_VIOLATION_SIGNS,
            "recommended": RECOMMENDED,
            "resolved": ALL_RESOLVED,
            "concluded": ("Đã kết luận", "Concluded"),
        },
    ),
    "inspection_chain": ReportLabels(
        title=S["inspection_case"],
        dimensions=SUPERVISION_DIMENSIONS,
        values=SUPERVISION_VALUES,
        metrics={
            "cases": ("Số vụ việc", "Cases"),
            "with_violation_signs": WITH_VIOLATION_SIGNS,
            "recommended": RECOMMENDED,
            "resolved": ALL_RESOLVED,
        },
    ),
    "kien_nghi": ReportLabels(
        title=("Kiến nghị", "Kiến nghị"),
        dimensions={**KIEN_NGHI_DIMENSIONS, "status": ("Trạng thái", "Status")},
        values={**KIEN_NGHI_VALUES, "status": codes.KIEN_NGHI_STATUSES},
        metrics={
            "received": K["received"],
            "assigned": K["assigned"],
            "answered": K["answered"],
            "resolved": K["resolved"],
            "declined": K["declined"],
            "open": ("Đang xử lý", "Open"),
            "resolved_on_time": ("Giải quyết đúng hạn", "Resolved on time"),
            "resolved_late": ("Giải quyết trễ hạn", "Resolved late"),
            "overdue": ("Quá hạn chưa giải quyết", "Overdue"),
            "reopened": K["reopened"],
            "rated": ("Đã được đánh giá", "Rated"),
            "average_rating": ("Mức hài lòng trung bình (1–5)", "Average rating (1–5)"),
        },
    ),
    "kien_nghi_handling": HANDLING,
    "kien_nghi_handling_agencies": ReportLabels(
        title=("Xếp hạng cơ quan giải quyết kiến nghị", "Agencies ranked by kiến nghị on time"),
        dimensions={"rank": ("Hạng", "Rank"), **HANDLING.dimensions},
        values=HANDLING.values,
        metrics=HANDLING.metrics,
    ),
    "awards": ReportLabels(
        title=("Khen thưởng", "Awards"),
        dimensions={
            "award": ("Hình thức khen thưởng", "Award"),
            "recipient_kind": ("Đối tượng", "Recipient"),
            "conferred_by": ("Cấp khen thưởng", "Conferred by"),
        },
        values={
            "award": codes.AWARDS,
            "recipient_kind": codes.RECIPIENT_KINDS,
            "conferred_by": codes.LEVELS,
        },
        metrics={"conferred": ("Số lượt khen thưởng", "Conferred")},
    ),
    "model_coverage": ReportLabels(
        title=("Độ phủ mô hình", "Model coverage"),
        dimensions={"field": FIELD},
        values={"field": codes.FIELDS},
        metrics={
            "communes": ("Số xã, phường, thị trấn", "Communes"),
            "covered": ("Số xã có mô hình", "Communes with a model"),
            "ratio": ("Tỷ lệ bao phủ", "Coverage"),
        },
    ),
}


def pick(text: Text, lang: str) -> str:
    return text[1] if lang == "en" else text[0]


def word(name: str, lang: str) -> str:
    return pick(WORDS[name], lang)
