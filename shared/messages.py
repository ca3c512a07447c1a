"""User-facing texts by stable code, in Vietnamese and English."""

from __future__ import annotations

from typing import Any

MESSAGES: dict[str, tuple[str, str]] = {
    # (Vietnamese, English)
    "internal_error": (
        "Lỗi hệ thống, vui lòng thử lại sau.",
        "Internal error, please retry later.",
    ),
    "not_found": ("Không tìm thấy.", "Not found."),
    "method_not_allowed": ("Phương thức không được hỗ trợ.", "Method not allowed."),
    "http_error": ("Yêu cầu không hợp lệ.", "Bad request."),
    "invalid_input": ("Dữ liệu không hợp lệ.", "Invalid input."),
    "unauthenticated": (
        "Thiếu hoặc sai mã xác thực (Authorization: Bearer …).",
        "Missing or invalid credentials (Authorization: Bearer …).",
    ),
    "forbidden_role": (
        "Vai trò {role} không được phép thực hiện thao tác này.",
        "Role {role} may not do this.",
    ),
    "forbidden_unit": (
        "Ngoài phạm vi được phân công: đơn vị {unit_code}.",
        "Outside your scope: unit {unit_code}.",
    ),
    "unit_unknown": (
        "Mã đơn vị hành chính {unit_code} không tồn tại vào ngày {on}.",
        "Administrative unit code {unit_code} does not exist on {on}.",
    ),
    "date_in_future": ("Ngày {value} ở tương lai.", "Date {value} is in the future."),
    "year_in_future": ("Năm {value} ở tương lai.", "Year {value} is in the future."),
    "date_before_registration": (
        "Ngày {value} trước ngày đăng ký mô hình ({registered_on}).",
        "Date {value} is before the model was registered ({registered_on}).",
    ),
    "year_after_registration": (
        "Năm {value} sau năm đăng ký ({registered_on}).",
        "Year {value} is after the registration date ({registered_on}).",
    ),
    "model_not_found": ("Không tìm thấy mô hình {id}.", "Model {id} not found."),
    "model_discontinued": (
        "Mô hình đã dừng thực hiện, không thể {action}.",
        "The model has been discontinued; it cannot be {action}.",
    ),
    "model_not_recognised": (
        "Mô hình chưa được công nhận, không thể {action}.",
        "The model has not been recognised; it cannot be {action}.",
    ),
    "model_already_recognised": (
        "Mô hình đã được công nhận ngày {recognised_on}.",
        "The model was already recognised on {recognised_on}.",
    ),
    "replicate_to_same_unit": (
        "Không thể nhân rộng mô hình về chính đơn vị đăng ký ({unit_code}).",
        "A model cannot be replicated to the unit that registered it ({unit_code}).",
    ),
    "already_replicated": (
        "Mô hình đã được nhân rộng tới đơn vị {unit_code}.",
        "The model was already replicated to unit {unit_code}.",
    ),
    "stale_version": (
        "Bản ghi đã thay đổi (phiên bản hiện tại {current}, yêu cầu dựa trên {expected}).",
        "The record has changed (current version {current}, request based on {expected}).",
    ),
    "concurrent_write": (
        "Bản ghi vừa bị thay đổi bởi một yêu cầu khác; hãy tải lại và thử lại.",
        "The record was changed by another request; reload and retry.",
    ),
    "idempotency_key_reused": (
        "Khóa Idempotency-Key đã được dùng cho một yêu cầu khác.",
        "This Idempotency-Key was already used for a different request.",
    ),
    "invalid_if_match": (
        "Tiêu đề If-Match phải là số phiên bản.",
        "The If-Match header must be a version number.",
    ),
    "feed_store_mismatch": (
        "Kho sự kiện {upstream} đã đổi (mã {found}, đã theo dõi {expected}).",
        "Event store {upstream} changed (id {found}, followed {expected}).",
    ),
    "period_invalid": (
        "Khoảng thời gian không hợp lệ: từ {start} đến {end}.",
        "Invalid period: from {start} to {end}.",
    ),
    "group_by_unknown": (
        "Không thể nhóm theo {value}; chọn trong: {allowed}.",
        "Cannot group by {value}; choose from: {allowed}.",
    ),
    "unit_not_parent": (
        "Đơn vị {unit_code} không phải cấp tỉnh hoặc huyện.",
        "Unit {unit_code} is not a province or district.",
    ),
    "wait_timeout": (
        "Chưa cập nhật kịp đến vị trí {position} của {upstream}.",
        "Not yet caught up to position {position} of {upstream}.",
    ),
}

# words that stand inside messages as parameters, e.g. the action a rule forbade
PARAMETER_WORDS: dict[str, tuple[str, str]] = {
    "report_progress": ("báo cáo tiến độ", "reported on"),
    "recognise": ("công nhận", "recognised"),
    "commend": ("khen thưởng", "commended"),
    "replicate": ("nhân rộng", "replicated"),
    "discontinue": ("dừng thực hiện", "discontinued"),
}

VALIDATION_MESSAGES: dict[str, str] = {
    "missing": "Thiếu trường bắt buộc.",
    "extra_forbidden": "Trường không được chấp nhận.",
    "string_pattern_mismatch": "Sai định dạng (mẫu {pattern}).",
    "string_too_short": "Quá ngắn (tối thiểu {min_length} ký tự).",
    "string_too_long": "Quá dài (tối đa {max_length} ký tự).",
    "too_short": "Quá ít phần tử (tối thiểu {min_length}).",
    "too_long": "Quá nhiều phần tử (tối đa {max_length}).",
    "int_parsing": "Phải là số nguyên.",
    "int_type": "Phải là số nguyên.",
    "string_type": "Phải là chuỗi ký tự.",
    "date_from_datetime_parsing": "Phải là ngày dạng YYYY-MM-DD.",
    "date_parsing": "Phải là ngày dạng YYYY-MM-DD.",
    "date_type": "Phải là ngày dạng YYYY-MM-DD.",
    "greater_than_equal": "Phải lớn hơn hoặc bằng {ge}.",
    "less_than_equal": "Phải nhỏ hơn hoặc bằng {le}.",
    "greater_than": "Phải lớn hơn {gt}.",
    "less_than": "Phải nhỏ hơn {lt}.",
    "enum": "Giá trị phải là một trong: {expected}.",
    "literal_error": "Giá trị phải là một trong: {expected}.",
    "uuid_parsing": "Phải là UUID.",
    "json_invalid": "JSON không hợp lệ.",
    "model_attributes_type": "Phải là một đối tượng JSON.",
    "dict_type": "Phải là một đối tượng JSON.",
    "list_type": "Phải là một danh sách.",
    "value_error": "Giá trị không hợp lệ: {error}.",
}


def message(code: str, lang: str, **params: Any) -> str:
    vi, en = MESSAGES.get(code, MESSAGES["http_error"])
    template = en if lang == "en" else vi
    index = 1 if lang == "en" else 0
    words = {
        k: PARAMETER_WORDS[v][index] if isinstance(v, str) and v in PARAMETER_WORDS else v
        for k, v in params.items()
    }
    try:
        return template.format(**words)
    except (KeyError, IndexError):
        return template


def validation_message(error: Any, lang: str) -> str:
    """Pydantic writes English; Vietnamese comes from our table by error type."""
    if lang == "en":
        return str(error["msg"])
    template = VALIDATION_MESSAGES.get(error["type"], "Giá trị không hợp lệ.")
    try:
        return template.format(**error.get("ctx", {}))
    except (KeyError, IndexError):
        return template
