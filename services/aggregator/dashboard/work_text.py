"""The work pages' words, Vietnamese and English: each step of handling a kiến nghị (by its
endpoint and by its event) and each field of their forms."""

from __future__ import annotations

from services.aggregator.rendering.codes import Text

KIEN_NGHI_STEPS: dict[str, Text] = {
    "acknowledgement": ("Tiếp nhận", "Acknowledge"),
    "classification": ("Phân loại", "Classify"),
    "assignment": ("Giao xử lý", "Assign"),
    "transfer": ("Chuyển cơ quan khác", "Transfer"),
    "extension-request": ("Xin gia hạn", "Ask for more time"),
    "extension-grant": ("Đồng ý gia hạn", "Grant more time"),
    "extension-refusal": ("Không đồng ý gia hạn", "Refuse more time"),
    "escalation": ("Chuyển lên cấp trên", "Escalate"),
    "merge": ("Gộp vào kiến nghị trùng", "Merge as a duplicate"),
    "answer": ("Trả lời", "Answer"),
    "resolution": ("Giải quyết xong", "Resolve"),
    "declination": ("Từ chối giải quyết", "Decline"),
    "reopening": ("Mở lại", "Reopen"),
}
KIEN_NGHI_EVENTS: dict[str, Text] = {
    "Received": ("Tiếp nhận vào hệ thống", "Received"),
    "Acknowledged": ("Đã tiếp nhận, cấp mã theo dõi", "Acknowledged, tracking code given"),
    "Classified": ("Đã phân loại", "Classified"),
    "Assigned": ("Đã giao xử lý", "Assigned"),
    "Transferred": ("Đã chuyển cơ quan", "Transferred"),
    "ExtensionRequested": ("Xin gia hạn", "More time asked"),
    "ExtensionGranted": ("Được gia hạn", "More time granted"),
    "ExtensionRefused": ("Không được gia hạn", "More time refused"),
    "Escalated": ("Chuyển lên cấp trên", "Escalated"),
    "MergedInto": ("Gộp vào kiến nghị khác", "Merged into another"),
    "DuplicateAttached": ("Nhận một kiến nghị trùng", "A duplicate merged into it"),
    "EvidenceAttached": ("Thêm tài liệu", "Evidence added"),
    "Answered": ("Đã trả lời", "Answered"),
    "Resolved": ("Đã giải quyết", "Resolved"),
    "Declined": ("Từ chối giải quyết", "Declined"),
    "Rated": ("Người dân đánh giá", "Rated by the citizen"),
    "Reopened": ("Mở lại", "Reopened"),
}
# the inbox's next step of a kiến nghị (services.aggregator.inbox NEXT_STEP)
KIEN_NGHI_STEPS_BY_ACTION: dict[str, Text] = {
    "acknowledge": KIEN_NGHI_STEPS["acknowledgement"],
    "assign": KIEN_NGHI_STEPS["assignment"],
    "decide_extension": ("Quyết định gia hạn", "Decide on more time"),
    "answer": KIEN_NGHI_STEPS["answer"],
    "resolve": KIEN_NGHI_STEPS["resolution"],
}
INBOX_UI: dict[str, Text] = {
    "inbox": ("Hộp việc kiến nghị", "Kiến nghị inbox"),
    "mine": ("Của tôi", "Mine"),
    "due_soon": ("Sắp đến hạn", "Due soon"),
    "overdue": ("Quá hạn", "Overdue"),
    "waiting": ("Chờ tôi xử lý", "Waiting for me"),
    "of_agency": ("Cơ quan: {agency}", "Agency: {agency}"),
    "of_units": ("Bộ phận tiếp nhận của đơn vị", "The units' desk"),
    "code": ("Mã", "Code"),
    "content": ("Nội dung", "Content"),
    "unit": ("Đơn vị", "Unit"),
    "status": ("Trạng thái", "Status"),
    "due_day": ("Hạn", "Due"),
    "days_left": ("Còn (ngày làm việc)", "Working days left"),
    "next_step": ("Bước tiếp theo", "Next step"),
    "empty": ("Không có kiến nghị nào.", "No kiến nghị."),
    "more": ("Trang sau", "Next page"),
    "new": ("Ghi nhận kiến nghị mới", "Record a new kiến nghị"),
}
MODEL_STEPS: dict[str, Text] = {
    "progress": ("Báo cáo tiến độ", "Report progress"),
    "recognition": ("Công nhận", "Recognise"),
    "commendations": ("Khen thưởng", "Commend"),
    "replications": ("Nhân rộng sang đơn vị khác", "Replicate to another unit"),
    "discontinuation": ("Dừng thực hiện", "Discontinue"),
}
MODEL_EVENTS: dict[str, Text] = {
    "Registered": ("Đăng ký mô hình", "Registered"),
    "ProgressReported": ("Báo cáo tiến độ", "Progress reported"),
    "Recognised": ("Được công nhận", "Recognised"),
    "Commended": ("Được khen thưởng", "Commended"),
    "Replicated": ("Nhân rộng", "Replicated"),
    "Discontinued": ("Dừng thực hiện", "Discontinued"),
}
DIALOGUE_STEPS: dict[str, Text] = {
    "held": ("Ghi nhận đã tổ chức", "Record as held"),
    "cancellation": ("Hủy", "Cancel"),
}
DIALOGUE_EVENTS: dict[str, Text] = {
    "Scheduled": ("Lên lịch", "Scheduled"),
    "Held": ("Đã tổ chức", "Held"),
    "Cancelled": ("Đã hủy", "Cancelled"),
}
SUPERVISION_STEPS: dict[str, Text] = {
    "findings": ("Ghi nhận kết quả, kiến nghị", "Record a finding"),
    "conclusion": ("Kết luận", "Conclude"),
}
SUPERVISION_EVENTS: dict[str, Text] = {
    "Started": ("Bắt đầu", "Started"),
    "FindingRaised": ("Ghi nhận kết quả", "Finding recorded"),
    "Concluded": ("Kết luận", "Concluded"),
}
SUPERVISION_STATUSES: dict[str, Text] = {
    "open": ("Đang thực hiện", "Open"),
    "concluded": ("Đã kết luận", "Concluded"),
}
AWARD_EVENTS: dict[str, Text] = {
    "Conferred": ("Khen thưởng", "Conferred"),
}
MODEL_STATUSES: dict[str, Text] = {
    "active": ("Đang thực hiện", "Active"),
    "discontinued": ("Đã dừng", "Discontinued"),
}
FIELDS: dict[str, Text] = {
    "status": ("Trạng thái", "Status"),
    "tracking_code": ("Mã theo dõi", "Tracking code"),
    "received_on": ("Ngày nhận", "Received on"),
    "content": ("Nội dung", "Content"),
    "title": ("Tên mô hình", "Title"),
    "unit_code": ("Đơn vị", "Unit"),
    "sector": ("Khối", "Sector"),
    "fields": ("Lĩnh vực", "Fields"),
    "year": ("Năm", "Year"),
    "registered_on": ("Ngày đăng ký", "Registered on"),
    "summary": ("Nội dung báo cáo", "Summary"),
    "reported_on": ("Ngày báo cáo", "Reported on"),
    "level": ("Cấp", "Level"),
    "recognised_on": ("Ngày công nhận", "Recognised on"),
    "decision": ("Số quyết định", "Decision"),
    "award": ("Hình thức khen thưởng", "Award"),
    "commended_on": ("Ngày khen thưởng", "Commended on"),
    "recipient_kind": ("Đối tượng", "Recipient kind"),
    "recipient": ("Người hoặc tập thể được khen", "Person or collective honoured"),
    "conferred_by": ("Cấp khen thưởng", "Conferred by"),
    "conferred_on": ("Ngày khen thưởng", "Conferred on"),
    "to_unit_code": ("Mã đơn vị nhân rộng", "Unit replicated to (code)"),
    "replicated_on": ("Ngày nhân rộng", "Replicated on"),
    "discontinued_on": ("Ngày dừng", "Discontinued on"),
    "kind": ("Hình thức", "Kind"),
    "host_body": ("Cơ quan chủ trì", "Host"),
    "host_title": ("Chức danh người chủ trì", "Host's title"),
    "scheduled_on": ("Ngày dự kiến", "Scheduled on"),
    "held_on": ("Ngày tổ chức", "Held on"),
    "participants": ("Số người tham dự", "Participants"),
    "topics": ("Chủ đề (mỗi dòng một chủ đề)", "Topics (one per line)"),
    "cancelled_on": ("Ngày hủy", "Cancelled on"),
    "body": ("Chủ thể giám sát", "Body"),
    "subject": ("Đối tượng giám sát", "Subject"),
    "started_on": ("Ngày bắt đầu", "Started on"),
    "violation_signs": ("Có dấu hiệu vi phạm", "Signs of violation"),
    "recommendation": ("Kiến nghị", "Recommendation"),
    "raised_on": ("Ngày ghi nhận", "Recorded on"),
    "conclusion": ("Kết luận", "Conclusion"),
    "concluded_on": ("Ngày kết luận", "Concluded on"),
    "acknowledged_at": (
        "Thời điểm tiếp nhận (mặc định: bây giờ)",
        "Acknowledged at (default: now)",
    ),
    "priority": ("Mức độ ưu tiên", "Priority"),
    "category": ("Lĩnh vực", "Category"),
    "classified_on": ("Ngày phân loại", "Classified on"),
    "agency": ("Cơ quan giải quyết", "Agency"),
    "due_on": ("Hạn giải quyết", "Due on"),
    "assigned_on": ("Ngày giao", "Assigned on"),
    "reason": ("Lý do", "Reason"),
    "transferred_on": ("Ngày chuyển", "Transferred on"),
    "requested_on": ("Ngày xin gia hạn", "Asked on"),
    "granted_on": ("Ngày đồng ý", "Granted on"),
    "refused_on": ("Ngày từ chối", "Refused on"),
    "escalated_on": ("Ngày chuyển lên", "Escalated on"),
    "master_id": ("Mã kiến nghị gốc (trùng với)", "The kiến nghị it duplicates (id)"),
    "merged_on": ("Ngày gộp", "Merged on"),
    "answer": ("Nội dung trả lời", "Answer"),
    "answered_on": ("Ngày trả lời", "Answered on"),
    "evidence": (
        "Tài liệu kèm theo (SHA-256, mỗi dòng một tệp)",
        "Evidence (SHA-256, one per line)",
    ),
    "resolution": ("Kết quả giải quyết", "Resolution"),
    "resolved_on": ("Ngày giải quyết", "Resolved on"),
    "declined_on": ("Ngày từ chối", "Declined on"),
    "reopened_on": ("Ngày mở lại", "Reopened on"),
}
WORK_UI: dict[str, Text] = {
    "timeline": ("Quá trình xử lý", "Timeline"),
    "actions": ("Xử lý", "Actions"),
    "no_actions": ("Không còn bước nào cho trạng thái này.", "No step is open in this state."),
    "submit": ("Ghi nhận", "Record"),
    "new": ("Ghi nhận mới", "Record a new one"),
    "unit_hint": ("Gõ tên hoặc mã đơn vị", "Type a unit's name or code"),
    "done": ("Đã ghi nhận: {step}.", "Recorded: {step}."),
    "conflict": (
        "Hồ sơ đã được người khác cập nhật trước bạn. Dưới đây là trạng thái mới nhất; "
        "nội dung bạn đã nhập vẫn được giữ, hãy xem lại rồi ghi nhận lại.",
        "Someone else changed this record first. Its newest state is below; what you typed "
        "is kept: check it and record again.",
    ),
    "refused": ("Không ghi nhận được: {message}", "Not recorded: {message}"),
    "choose": ("— chọn —", "— choose —"),
    "required": ("bắt buộc", "required"),
    "templates": (
        "Bắt đầu từ mẫu trả lời (nội dung được điền vào ô trả lời để sửa tiếp)",
        "Start from an answer template (it fills the answer box, to edit)",
    ),
}
