"""The dashboard's own words, Vietnamese and English. Titles of reports, metrics, dimensions and
coded values come from services.aggregator.rendering (labels, codes): none is typed here again."""

from __future__ import annotations

from services.aggregator.rendering.codes import Text
from services.aggregator.rendering.labels import pick, word
from shared.periods import parse_period

UI: dict[str, Text] = {
    "app": ("Công tác dân vận", "Mass mobilisation work"),
    "dashboard": ("Bảng điều khiển", "Dashboard"),
    "overview": ("Tổng quan", "Overview"),
    "overdue": ("Kiến nghị quá hạn", "Overdue kiến nghị"),
    "show": ("Xem", "Show"),
    "inbox": ("Hộp việc", "Inbox"),
    "table_region": ("Bảng số liệu (cuộn ngang được)", "Table of figures (scrolls sideways)"),
    "granularity": ("Chia theo", "Split by"),
    "previous": ("Kỳ so sánh", "Compared with"),
    "previous_default": ("Kỳ trước (cùng độ dài)", "Previous period (same length)"),
    "ratio": ("So với kỳ so sánh", "Against the comparison"),
    "on_time_rate": ("Tỷ lệ giải quyết đúng hạn", "Resolved on time"),
    "on_time_help": (
        "số giải quyết đúng hạn trên số đã giải quyết",
        "resolved on time out of those resolved",
    ),
    "points": ("điểm %", "points"),
    "by_level": ("Theo cấp", "By level"),
    "by_unit": ("Theo đơn vị trực thuộc", "By unit below"),
    "by_period": ("Theo thời gian", "Over time"),
    "by_agency": ("Theo cơ quan giải quyết", "By agency"),
    "terms": ("So sánh nhiệm kỳ", "Term against term"),
    "term": ("Nhiệm kỳ", "Term"),
    "half_1": ("Nửa đầu nhiệm kỳ", "First half of the term"),
    "half_2": ("Nửa sau nhiệm kỳ", "Second half of the term"),
    "half_short_1": ("nửa đầu", "first half"),
    "half_short_2": ("nửa sau", "second half"),
    "whole_term": ("Cả nhiệm kỳ", "Whole term"),
    "half_against_term": (
        "Nửa đầu nhiệm kỳ {current} so với cả nhiệm kỳ {previous}",
        "First half of the {current} term against the whole {previous} term",
    ),
    "summary": ("Số liệu chính", "Main figures"),
    "handling": (
        "Kết quả giải quyết theo quy định (tiếp nhận, đúng hạn, gia hạn, quá hạn)",
        "Handled as the rules say (acknowledged, on time, extended, overdue)",
    ),
    "agencies": ("Xếp hạng cơ quan giải quyết", "Agencies ranked"),
    "agencies_help": (
        "Xếp theo tỷ lệ đúng hạn, rồi số đã giải quyết, rồi tên; tệp JSON dẫn tới từng kiến "
        "nghị và các sự kiện làm nên mỗi con số.",
        "By on-time rate, then how many were closed, then name; the JSON file links each "
        "figure to its kiến nghị and the events that decided them.",
    ),
    "this_period": ("Kỳ này", "This period"),
    "children": ("Đơn vị trực thuộc", "Units below"),
    "own_level": ("{name} (trực tiếp)", "{name} itself"),
    "unknown": ("Không xác định", "Unknown"),
    "unassigned": ("Chưa giao", "Not assigned"),
    "csv": ("Tải CSV", "CSV"),
    "xlsx": ("Tải Excel", "Excel"),
    "json": ("JSON", "JSON"),
    "no_data": ("Không có số liệu", "No data"),
    "period_hint": (
        "2023, 2023-Q2, 2023-05, term:2020-2025/1, 2023-01-01..2023-06-30, all",
        "2023, 2023-Q2, 2023-05, term:2020-2025/1, 2023-01-01..2023-06-30, all",
    ),
    "login": ("Đăng nhập", "Sign in"),
    "logout": ("Đăng xuất", "Sign out"),
    "token": ("Mã truy cập (token hoặc JWT)", "Access token (bearer token or JWT)"),
    "login_help": (
        "Dành cho cán bộ và kiểm tra viên. Mã truy cập chỉ được kiểm tra khi đăng nhập, không "
        "được lưu lại; phiên làm việc kết thúc khi đăng xuất, sau 8 giờ, hoặc khi mã bị thu hồi.",
        "For officers and auditors. The token is checked at sign-in and kept nowhere; the "
        "session ends when you sign out, after 8 hours, or when the token is revoked.",
    ),
    "login_invalid": (
        "Mã truy cập không hợp lệ hoặc đã bị thu hồi.",
        "The token is not valid or has been revoked.",
    ),
    "login_refused": (
        "Tài khoản này không được dùng bảng điều khiển (chỉ cán bộ, kiểm tra viên, quản trị).",
        "This account may not use the dashboard (officers, auditors and administrators only).",
    ),
    "forbidden": ("Không có quyền truy cập", "Access refused"),
    "forbidden_unit": (
        "Đơn vị này nằm ngoài phạm vi của tài khoản.",
        "This unit lies outside the account's scope.",
    ),
    "not_found": ("Không tìm thấy", "Not found"),
    "unit_unknown": ("Không có đơn vị hành chính mã {code}.", "No administrative unit {code}."),
    "invalid": ("Tham số không hợp lệ", "Invalid parameter"),
    "back": ("Về trang tổng quan", "Back to the overview"),
    "scope": ("Phạm vi", "Scope"),
    "reader_agency": ("Cơ quan", "Agency"),
    "everything": ("toàn quốc", "the whole country"),
    "role_officer": ("Cán bộ", "Officer"),
    "role_auditor": ("Kiểm tra viên", "Auditor"),
    "role_admin": ("Quản trị", "Administrator"),
    "role_citizen": ("Công dân", "Citizen"),
    "overdue_items": ("Các kiến nghị quá hạn", "Overdue kiến nghị one by one"),
    "overdue_note": (
        "Kiến nghị tiếp nhận trong kỳ, chưa giải quyết xong và đã quá hạn; tối đa {limit} "
        "kiến nghị quá hạn lâu nhất.",
        "Kiến nghị received in the period, still open and past their due date; at most the "
        "{limit} longest overdue.",
    ),
    "id": ("Mã kiến nghị", "Id"),
    "received_on": ("Ngày tiếp nhận", "Received on"),
    "due_on": ("Hạn giải quyết", "Due on"),
    "days_overdue": ("Số ngày quá hạn", "Days overdue"),
    "switch_language": ("English", "Tiếng Việt"),
    "chart_click": ("Bấm vào một đơn vị để xem cấp dưới.", "Click a unit to see the level below."),
    "search": ("Tìm kiếm", "Search"),
    "search_words": ("Từ khóa", "Words"),
    "search_hint": (
        "Gõ có dấu hoặc không dấu: “dan van kheo” tìm thấy “Dân vận khéo”; mã kiến nghị "
        "(01-2026-0001234) hoặc một cụm trong ngoặc kép phải đúng như viết; thêm * sau một từ "
        "để tìm cả các từ bắt đầu bằng nó (“bằ*”).",
        "With or without diacritics: “dan van kheo” finds “Dân vận khéo”; a tracking code "
        "(01-2026-0001234) or a quoted phrase must stand as written; a * after a word also finds "
        "the words it begins (“bằ*”).",
    ),
    "search_kind": ("Loại hồ sơ", "Kind"),
    "search_province": ("Mã tỉnh, thành phố", "Province code"),
    "search_unit": ("Mã đơn vị (và các đơn vị trực thuộc)", "Unit code (and the units under it)"),
    "search_from": ("Từ ngày", "From"),
    "search_to": ("Đến ngày", "To"),
    "search_status": ("Trạng thái", "Status"),
    "search_any": ("Tất cả", "Any"),
    "search_results": ("Kết quả", "Results"),
    "search_found": ("{count} kết quả", "{count} found"),
    "search_found_more": ("Hơn {count} kết quả", "More than {count} found"),
    "search_none": ("Không tìm thấy hồ sơ nào.", "Nothing found."),
    "search_unit_page": ("Số liệu của đơn vị", "The unit's figures"),
    "search_tracking_code": ("Mã tra cứu", "Tracking code"),
    "search_next": ("Trang sau", "Next page"),
    "search_first": ("Về trang đầu", "First page"),
    "search_pages": ("Chuyển trang", "Pages"),
    "search_scope": (
        "Chỉ tìm trong phạm vi của tài khoản; không hiển thị dữ liệu cá nhân.",
        "Searches the account's scope only; no personal data is shown.",
    ),
    # import from Excel
    "import": ("Nhập từ Excel", "Import from Excel"),
    "record_new": ("Ghi nhận mới", "Record new"),
    "import_job": ("Tiến trình nhập dữ liệu", "Import progress"),
    "templates": ("Mẫu nhập liệu", "Templates"),
    "template_all": ("Tất cả các loại (mỗi loại một trang tính)", "Every kind (a sheet each)"),
    "import_intro": (
        "Tải mẫu của loại bản ghi cần nhập và điền mỗi bản ghi một dòng, từ dòng 3 (dòng 1 là "
        "tên cột, dòng 2 là tên tiếng Anh). Các ô có danh sách thì chọn trong danh sách; đơn "
        "vị ghi mã hoặc tên.",
        "Download the template of the kind of record and fill in one record a row, from row 3 "
        "(row 1 names the columns, row 2 in English). Pick coded values from their lists; give "
        "a unit by its code or its name.",
    ),
    "upload": ("Tải tệp lên", "Upload"),
    "workbook": ("Tệp Excel (.xlsx)", "Excel workbook (.xlsx)"),
    "start_import": ("Kiểm tra và nhập", "Check and import"),
    "import_rules": (
        "Mọi dòng được kiểm tra trước như API kiểm tra; chỉ khi không dòng nào có lỗi thì các "
        "dòng mới được ghi, qua API của các dịch vụ với quyền và phạm vi của bạn. Tải lên lại "
        "cùng một tệp không ghi thêm gì.",
        "Every row is checked first, as the API checks it; only when no row has a problem are "
        "the rows written, through the services' API with your own rights and scope. Uploading "
        "the same file again writes nothing new.",
    ),
    "import_again": ("Nhập tệp khác", "Import another file"),
    "phase_queued": ("Đang chờ lượt (một lần nhập khác đang chạy)", "Waiting its turn"),
    "phase_reading": ("Đang đọc tệp", "Reading the file"),
    "phase_checking": ("Đang kiểm tra", "Checking"),
    "phase_writing": ("Đang ghi", "Writing"),
    "phase_checked": ("Đã kiểm tra (chạy thử)", "Checked (a dry run)"),
    "phase_refused": ("Có lỗi, chưa ghi gì", "Problems found, nothing written"),
    "phase_done": ("Hoàn tất", "Done"),
    "phase_stopped": ("Đã dừng giữa chừng", "Stopped half-way"),
    "phase_failed": ("Gặp lỗi hệ thống", "Failed"),
    "rows_checked": ("đã kiểm tra", "checked"),
    "rows_written": ("ghi mới", "new"),
    "rows_replayed": ("đã có từ trước", "written before"),
    "rows_refused": ("bị từ chối", "refused"),
    "refreshing": ("Trang tự tải lại sau 2 giây.", "This page reloads every 2 seconds."),
    "written_rows": ("Các dòng đã ghi (vẫn giữ nguyên)", "Rows written (they stay written)"),
    "problems": ("Các lỗi", "Problems"),
    "problems_more": (
        "Còn {count} lỗi nữa, trong tệp JSON của tiến trình.",
        "{count} more problems, in the job's JSON status.",
    ),
    "sheet": ("Trang tính", "Sheet"),
    "row": ("Dòng", "Row"),
    "column": ("Cột", "Column"),
    "message": ("Lỗi", "Problem"),
    "no_credential": (
        "Phiên làm việc không mang mã truy cập để gửi tới các dịch vụ ghi; hãy đăng nhập lại.",
        "The session holds no credential to send to the write services; sign in again.",
    ),
}


def ui(key: str, lang: str, /, **params: object) -> str:
    text = pick(UI[key], lang)
    return text.format(**params) if params else text


def period_label(text: str | None, lang: str) -> str:
    """A period as people write it: "Năm 2023", "Quý II/2023", "Tháng 5/2023", "Nhiệm kỳ
    2020–2025 (nửa đầu)", "01/01/2023 – 30/06/2023"; None or "all": all time."""
    if not text or text == "all":
        return word("all_time", lang)
    period = parse_period(text)
    label, vi = period.label, lang == "vi"
    if label.isdigit():
        return f"Năm {label}" if vi else label
    if "-Q" in label:
        return f"Quý {ROMAN[int(label[-1])]}/{label[:4]}" if vi else f"{label[5:]} {label[:4]}"
    if len(label) == 7 and label[4] == "-":
        return f"Tháng {int(label[5:])}/{label[:4]}" if vi else label
    if text.lower().startswith("term:"):
        name, _, half = text[5:].partition("/")
        term = f"{ui('term', lang)} {name.replace('-', '–')}"
        return f"{term} ({ui('half_short_' + half, lang)})" if half else term
    form = "%d/%m/%Y" if vi else "%Y-%m-%d"
    return f"{period.start.strftime(form)} – {period.end.strftime(form)}"


ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
