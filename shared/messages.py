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
    "cursor_invalid": (
        "Con trỏ trang không hợp lệ: hãy dùng giá trị next của trang trước.",
        "Invalid cursor: pass back the previous page's next.",
    ),
    "unit_unknown": (
        "Mã đơn vị hành chính {unit_code} không tồn tại vào ngày {on}.",
        "Administrative unit code {unit_code} does not exist on {on}.",
    ),
    "date_in_future": ("Ngày {value} ở tương lai.", "Date {value} is in the future."),
    "moment_nonexistent": (
        "{value} không phải một ngày giờ có thật.",
        "{value} names no real day or time.",
    ),
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
    "award_not_found": ("Không tìm thấy khen thưởng {id}.", "Award {id} not found."),
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
    "dialogue_not_found": ("Không tìm thấy hội nghị đối thoại {id}.", "Dialogue {id} not found."),
    "dialogue_already_held": (
        "Hội nghị đối thoại đã được tổ chức ngày {held_on}, không thể {action}.",
        "The dialogue was already held on {held_on}; it cannot be {action}.",
    ),
    "dialogue_cancelled": (
        "Hội nghị đối thoại đã bị hủy ngày {cancelled_on}, không thể {action}.",
        "The dialogue was cancelled on {cancelled_on}; it cannot be {action}.",
    ),
    "supervision_not_found": (
        "Không tìm thấy hoạt động giám sát {id}.",
        "Supervision activity {id} not found.",
    ),
    "supervision_concluded": (
        "Hoạt động giám sát đã kết luận ngày {concluded_on}, không thể {action}.",
        "The supervision was concluded on {concluded_on}; it cannot be {action}.",
    ),
    "inspection_case_needs_board": (
        "Vụ việc thanh tra nhân dân chỉ do Ban Thanh tra nhân dân thực hiện.",
        "Only a People's Inspection Board records inspection cases.",
    ),
    "board_records_inspection_cases": (
        "Ban Thanh tra nhân dân chỉ ghi nhận vụ việc thanh tra nhân dân.",
        "A People's Inspection Board records inspection cases only.",
    ),
    "board_unit_not_commune": (
        "Ban Thanh tra nhân dân thuộc cấp xã; đơn vị phải là xã, phường, thị trấn.",
        "A People's Inspection Board belongs to a commune; the unit must be a commune.",
    ),
    "date_before_start": (
        "Ngày {value} trước ngày bắt đầu giám sát ({started_on}).",
        "Date {value} is before the supervision started ({started_on}).",
    ),
    "date_before_last_finding": (
        "Ngày {value} trước phát hiện gần nhất ({raised_on}).",
        "Date {value} is before the latest finding ({raised_on}).",
    ),
    "category_required": (
        "Kiến nghị xử lý cần có lĩnh vực (category).",
        "A recommendation needs a category.",
    ),
    "kien_nghi_not_found": ("Không tìm thấy kiến nghị {id}.", "Kiến nghị {id} not found."),
    "source_opened_by_findings": (
        "Kiến nghị từ kết quả giám sát chỉ được mở khi ghi nhận phát hiện.",
        "Kiến nghị from supervision findings are opened by raising the finding.",
    ),
    "source_id_not_allowed": (
        "Nguồn {source} không kèm mã nguồn (source_id).",
        "Source {source} takes no source_id.",
    ),
    "source_id_required": (
        "Nguồn {source} cần mã hội nghị đối thoại (source_id).",
        "Source {source} needs the dialogue's id (source_id).",
    ),
    "dialogue_unknown": (
        "Không có hội nghị đối thoại {id}.",
        "There is no dialogue {id}.",
    ),
    "dialogue_not_held": (
        "Hội nghị đối thoại {id} chưa được tổ chức.",
        "Dialogue {id} has not been held.",
    ),
    "date_before_dialogue": (
        "Ngày {value} trước ngày tổ chức đối thoại ({held_on}).",
        "Date {value} is before the dialogue was held ({held_on}).",
    ),
    "date_before_receipt": (
        "Ngày {value} trước ngày tiếp nhận kiến nghị ({received_on}).",
        "Date {value} is before the kiến nghị was received ({received_on}).",
    ),
    "date_before_previous_step": (
        "Ngày {value} trước bước xử lý trước đó ({previous_on}).",
        "Date {value} is before the previous step ({previous_on}).",
    ),
    "due_before_assignment": (
        "Hạn xử lý {value} trước ngày giao ({assigned_on}).",
        "Due date {value} is before the assignment ({assigned_on}).",
    ),
    "kien_nghi_not_assigned": (
        "Kiến nghị đang ở trạng thái {status}, chưa giao xử lý nên không thể {action}.",
        "The kiến nghị is {status}, not assigned; it cannot be {action}.",
    ),
    "kien_nghi_already_answered": (
        "Kiến nghị đã được trả lời; giao lại trước khi trả lời lần nữa.",
        "The kiến nghị was already answered; reassign it before answering again.",
    ),
    "kien_nghi_closed": (
        "Kiến nghị đang ở trạng thái {status}, không thể {action}; hãy mở lại trước.",
        "The kiến nghị is {status}; it cannot be {action} unless reopened.",
    ),
    "kien_nghi_not_closed": (
        "Kiến nghị đang ở trạng thái {status}, chưa giải quyết xong nên không thể {action}.",
        "The kiến nghị is {status}, not settled; it cannot be {action}.",
    ),
    "kien_nghi_already_rated": (
        "Kết quả giải quyết đã được đánh giá ({rating}/5).",
        "The outcome was already rated ({rating}/5).",
    ),
    "rating_out_of_range": (
        "Đánh giá {value} phải từ 1 đến 5.",
        "Rating {value} must be from 1 to 5.",
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
    "search_words_missing": (
        "Cần ít nhất một chữ hoặc số để tìm.",
        "Give at least one letter or digit to search for.",
    ),
    "search_cursor_invalid": (
        "Con trỏ trang không hợp lệ: dùng giá trị next của trang trước.",
        "Invalid cursor: pass the previous page's next.",
    ),
    "attachment_empty": ("Tệp đính kèm rỗng.", "The attachment is empty."),
    "attachment_too_large": (
        "Tệp đính kèm vượt quá {limit} byte.",
        "The attachment is larger than {limit} bytes.",
    ),
    "attachment_type": (
        "Loại tệp {value} không được nhận; chỉ nhận: {accepted}.",
        "File type {value} is not accepted; accepted: {accepted}.",
    ),
    "attachment_not_found": ("Không tìm thấy tệp đính kèm {id}.", "Attachment {id} not found."),
    "rate_limited": (
        "Quá nhiều yêu cầu; thử lại sau {retry_after} giây.",
        "Too many requests; retry in {retry_after} seconds.",
    ),
    "payload_too_large": ("Dữ liệu gửi lên quá lớn.", "The request body is too large."),
    "upstream_unavailable": (
        "Nguồn {upstream} tạm thời không trả lời, vui lòng thử lại.",
        "Upstream {upstream} is not answering right now; please retry.",
    ),
    "read_side_unavailable": (
        "Danh sách tạm thời chưa sẵn sàng, vui lòng thử lại.",
        "The list is not available right now; please retry.",
    ),
    "jurisdiction_unknown": (
        "Không có tỉnh, thành phố mã {value}.",
        "No province with code {value}.",
    ),
    "location_required": (
        "Cần mã đơn vị hoặc tọa độ (lat, long).",
        "A unit code or coordinates (lat, long) are required.",
    ),
    "location_outside": (
        "Tọa độ {lat}, {lon} không thuộc Việt Nam.",
        "Coordinates {lat}, {lon} are not in Vietnam.",
    ),
    "reopen_too_late": (
        "Chỉ được mở lại trong {days} ngày sau khi có kết quả ({closed_on}).",
        "It may be reopened only within {days} days of its outcome ({closed_on}).",
    ),
    "subject_unknown": (
        "Không xác định được người cần xóa dữ liệu.",
        "The data subject is unknown.",
    ),
    "period_unknown": (
        "Không hiểu khoảng thời gian {value}; dùng một trong các dạng: {forms}.",
        "Unknown period {value}; use one of: {forms}.",
    ),
    "period_twice": (
        "Chỉ dùng period hoặc from/to, không dùng cả hai.",
        "Give either period or from/to, not both.",
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
    # Open311 GeoReport v2
    "open311_api_key": (
        "Thiếu hoặc sai api_key.",
        "The api_key is missing or invalid.",
    ),
    "open311_format_unknown": (
        "Không có định dạng {value}; dùng json hoặc xml.",
        "There is no format {value}; use json or xml.",
    ),
    "open311_service_unknown": (
        "Không có dịch vụ (lĩnh vực kiến nghị) mã {value}.",
        "There is no service (kiến nghị category) with code {value}.",
    ),
    "open311_location_required": (
        "Cần tọa độ (lat và long), địa chỉ (address_string) hoặc mã địa bàn (address_id).",
        "Coordinates (lat and long), an address (address_string) or an address_id are required.",
    ),
    "open311_address_unknown": (
        "Không xác định được xã, phường từ địa chỉ; hãy ghi rõ xã, phường và tỉnh, thành phố.",
        "No commune could be found in the address; name the commune and the province.",
    ),
    "open311_date_invalid": (
        "{value} không phải ngày giờ W3C (ví dụ 2025-07-01T08:00:00+07:00).",
        "{value} is not a W3C datetime (e.g. 2025-07-01T08:00:00+07:00).",
    ),
    "open311_date_span": (
        "Khoảng thời gian tìm kiếm không được quá {days} ngày.",
        "The search may not span more than {days} days.",
    ),
    "open311_status_unknown": (
        "Trạng thái {value} không hợp lệ; dùng open, closed hoặc cả hai.",
        "Status {value} is invalid; use open, closed or both.",
    ),
    "open311_too_many_ids": (
        "Tối đa {max} mã yêu cầu mỗi lần.",
        "At most {max} request ids at a time.",
    ),
    "open311_received": (
        "Kiến nghị đã được tiếp nhận và chuyển tới {unit_name}. Mã theo dõi: {id}.",
        "Your kiến nghị was received and sent to {unit_name}. Tracking id: {id}.",
    ),
    "open311_status": ("Trạng thái: {status}.", "Status: {status}."),
    "open311_tracking_code": ("Mã tra cứu: {tracking_code}.", "Tracking code: {tracking_code}."),
    "open311_contact": (
        "Liên hệ Ban Dân vận hoặc Ủy ban nhân dân xã, phường nơi có kiến nghị.",
        "Contact the Mass Mobilisation Commission or the people's committee of the commune.",
    ),
    "open311_key_service": (
        "api_key là mã truy cập do quản trị hệ thống cấp cho ứng dụng hoặc người dân.",
        "The api_key is an access token issued by the administrators to an app or a citizen.",
    ),
    # Open311 (issue 17): jurisdiction, scope, attributes, updates, media links
    "open311_point_outside": (
        "Điểm ({lat}, {long}) thuộc {found}, không thuộc {wanted}.",
        "The point ({lat}, {long}) lies in {found}, not in {wanted}.",
    ),
    "open311_address_id_outside": (
        "Địa bàn {value} thuộc {found}, không thuộc {wanted} (jurisdiction_id).",
        "Unit {value} lies in {found}, not in {wanted} (jurisdiction_id).",
    ),
    "open311_address_outside": (
        "Địa chỉ thuộc {found}, không thuộc {wanted} (jurisdiction_id).",
        "The address lies in {found}, not in {wanted} (jurisdiction_id).",
    ),
    "open311_attribute_required": (
        "Bắt buộc với dịch vụ này.",
        "Required for this service.",
    ),
    "open311_attribute_value": (
        "{value} không có trong danh sách; chọn trong: {allowed}.",
        "{value} is not in the list; choose from: {allowed}.",
    ),
    "open311_attribute_one_value": (
        "Chỉ chọn một giá trị.",
        "Choose one value only.",
    ),
    "open311_update_assigned": (
        "Đã giao {agency} xử lý, hạn {due_on}.",
        "Assigned to {agency}, due {due_on}.",
    ),
    "open311_update_acknowledged": (
        "Đã tiếp nhận kiến nghị, mã tra cứu {notes}.",
        "The kiến nghị was acknowledged, tracking code {notes}.",
    ),
    "open311_update_transferred": (
        "Đã chuyển {agency} xử lý, hạn {due_on}: {notes}",
        "Transferred to {agency}, due {due_on}: {notes}",
    ),
    "open311_update_extension_requested": (
        "{agency} đề nghị gia hạn xử lý.",
        "{agency} asked for more time.",
    ),
    "open311_update_extension_granted": (
        "Đã gia hạn xử lý đến {due_on}.",
        "More time was granted, until {due_on}.",
    ),
    "open311_update_extension_refused": (
        "Đề nghị gia hạn không được chấp thuận; hạn vẫn là {due_on}.",
        "More time was refused; still due {due_on}.",
    ),
    "open311_update_escalated": (
        "Kiến nghị đã được chuyển lên cấp trên xem xét.",
        "The kiến nghị was escalated to the level above.",
    ),
    "open311_update_merged": (
        "Kiến nghị trùng nội dung, được giải quyết cùng một kiến nghị khác: {notes}",
        "A duplicate, handled together with another kiến nghị: {notes}",
    ),
    "open311_update_duplicate": (
        "Một kiến nghị trùng nội dung được gộp vào kiến nghị này.",
        "A duplicate kiến nghị was merged into this one.",
    ),
    "open311_update_reopened": (
        "Kiến nghị được mở lại để xử lý tiếp.",
        "The kiến nghị was reopened for further handling.",
    ),
    "open311_media_link_invalid": (
        "Liên kết không hợp lệ (sai chữ ký).",
        "The link is not valid (wrong signature).",
    ),
    "open311_media_link_expired": (
        "Liên kết đã hết hạn; đọc lại yêu cầu để có liên kết mới.",
        "The link has expired; read the request again for a new one.",
    ),
    # input checks (issue 17: no input gets a 5xx)
    "unsupported_media_type": (
        "Không nhận kiểu dữ liệu {value}; hãy gửi JSON (Content-Type: application/json).",
        "Media type {value} is not accepted; send JSON (Content-Type: application/json).",
    ),
    "json_invalid": (
        "JSON không hợp lệ ở dòng {line}, cột {column}.",
        "Invalid JSON at line {line}, column {column}: {reason}.",
    ),
    "body_not_utf8": (
        "Dữ liệu gửi lên không phải văn bản UTF-8 hợp lệ.",
        "The request body is not valid UTF-8.",
    ),
    "number_out_of_range": (
        "Số {value} vượt quá giới hạn (tối đa {max}).",
        "Number {value} is out of range (at most {max}).",
    ),
    "subject_not_found": (
        "Không có dữ liệu cá nhân nào của người {subject}.",
        "No personal data is held for data subject {subject}.",
    ),
    # tamper evidence
    "feed_not_sealed": (
        "Dòng sự kiện của dịch vụ này không được niêm phong (không có chuỗi băm).",
        "This service's feed is not sealed (no hash chain).",
    ),
    "checkpoint_none": (
        "Chưa có điểm kiểm tra nào được ký dưới dạng ghi chú C2SP cho kích thước cây này.",
        "No checkpoint note has been signed for this tree size yet.",
    ),
    "checkpoint_unknown": (
        "Dòng này chưa ký điểm kiểm tra nào với kích thước cây {tree_size}.",
        "This log signed no checkpoint of tree size {tree_size}.",
    ),
    "cosignature_malformed": (
        "Đồng chữ ký phải là một dòng chữ ký ghi chú: «— <tên khóa> <base64>».",
        "A cosignature is one note signature line: '— <key name> <base64>'.",
    ),
    "cosignature_witness_unknown": (
        "Khóa {key} không thuộc các nhân chứng được cấu hình (DANVAN_WITNESS_KEYS).",
        "Key {key} is not one of the configured witnesses (DANVAN_WITNESS_KEYS).",
    ),
    "cosignature_invalid": (
        "Đồng chữ ký không khớp với điểm kiểm tra có kích thước cây {tree_size}.",
        "The cosignature does not verify over the checkpoint of tree size {tree_size}.",
    ),
    "held_before_scheduled": (
        "Ngày tổ chức {value} trước ngày đã lên lịch {scheduled_on}.",
        "Held on {value}, before the day it was scheduled ({scheduled_on}).",
    ),
    "witnessed_beyond_witnesses": (
        "Dịch vụ này chỉ nhận đồng chữ ký của {known} nhân chứng.",
        "This service takes the cosignatures of {known} witnesses only.",
    ),
    "receipt_not_ready": (
        "Sự kiện chưa được niêm phong và ký vào điểm kiểm tra; thử lại sau {retry_after} giây.",
        "Not yet sealed and signed into a checkpoint; try again in {retry_after} seconds.",
    ),
    "tree_empty": (
        "Cây Merkle của dòng này chưa có lá nào (chưa niêm phong sự kiện nào).",
        "This feed's Merkle tree has no leaves yet (nothing is sealed).",
    ),
    "tree_size_beyond_sealed": (
        "Kích thước cây {value} vượt quá số sự kiện đã niêm phong ({sealed}).",
        "Tree size {value} is beyond what is sealed ({sealed} events).",
    ),
    "leaf_beyond_tree": (
        "Lá {leaf_index} không nằm trong cây {tree_size} lá.",
        "Leaf {leaf_index} is not in the tree of {tree_size} leaves.",
    ),
    "leaf_not_found": (
        "Không có lá nào cho {value}: sự kiện không có hoặc chưa được niêm phong.",
        "No leaf for {value}: no such event, or it is not sealed yet.",
    ),
    "proof_leaf_one_of": (
        "Cần đúng một trong leaf_index, position, event_id.",
        "Give exactly one of leaf_index, position, event_id.",
    ),
    "consistency_sizes": (
        "Kích thước đầu ({first}) phải không lớn hơn kích thước sau ({second}).",
        "The first size ({first}) must not be larger than the second ({second}).",
    ),
    # hardening (issue 17, point 5): start-up settings, the dashboard's session
    "jwt_settings_missing": (
        "Đã đặt DANVAN_JWT_JWKS thì phải đặt cả DANVAN_JWT_ISSUER và DANVAN_JWT_AUDIENCE "
        "(bên phát hành của nhà cung cấp định danh và đối tượng là hệ thống này, cả hai đều "
        "được kiểm tra trên mọi JWT).",
        "DANVAN_JWT_JWKS is set: DANVAN_JWT_ISSUER and DANVAN_JWT_AUDIENCE must be set too "
        "(the identity provider's issuer and this system's audience, both checked on every "
        "JWT).",
    ),
    # handling a kiến nghị by its rules (issue 20)
    "due_after_rule": (
        "Hạn {value} muộn hơn hạn theo quy định ({latest}).",
        "Due date {value} is later than the rules allow ({latest}).",
    ),
    "due_on_required": (
        "Kiến nghị tiếp nhận trước khi có quy định thời hạn: cần nêu hạn xử lý (due_on).",
        "This kiến nghị predates the handling rules: a due date (due_on) is required.",
    ),
    "tracking_code_not_found": (
        "Không có kiến nghị mang mã tra cứu {tracking_code}.",
        "No kiến nghị has tracking code {tracking_code}.",
    ),
    "tracking_codes_exhausted": (
        "Không cấp được mã tra cứu mới cho tỉnh {province} năm {year}.",
        "No tracking code is left for province {province} in {year}.",
    ),
    "kien_nghi_already_acknowledged": (
        "Kiến nghị đã được tiếp nhận, mã tra cứu {tracking_code}.",
        "The kiến nghị was already acknowledged, tracking code {tracking_code}.",
    ),
    "moment_without_offset": (
        "Thời điểm {value} phải kèm múi giờ (ví dụ +07:00).",
        "Moment {value} needs its UTC offset (e.g. +07:00).",
    ),
    "transfer_to_same_agency": (
        "Kiến nghị đang do {value} xử lý; hãy chuyển sang cơ quan khác.",
        "{value} already handles the kiến nghị; transfer it to another agency.",
    ),
    "extension_pending": (
        "Đã có đề nghị gia hạn ngày {requested_on} đang chờ quyết định.",
        "An extension asked for on {requested_on} awaits a decision.",
    ),
    "extensions_exhausted": (
        "Đã gia hạn {granted} lần; quy định không cho gia hạn thêm.",
        "Extended {granted} times already; the rules allow no more.",
    ),
    "no_extension_requested": (
        "Không có đề nghị gia hạn nào đang chờ quyết định.",
        "No extension request awaits a decision.",
    ),
    "extension_not_later": (
        "Hạn mới {value} phải sau hạn hiện tại ({due_on}).",
        "The new due date {value} must be after the present one ({due_on}).",
    ),
    "kien_nghi_at_highest_level": (
        "Kiến nghị đã được chuyển lên cấp trung ương.",
        "The kiến nghị is already at the central level.",
    ),
    "kien_nghi_not_overdue": (
        "Kiến nghị chưa quá hạn ({due_on}).",
        "The kiến nghị is not overdue ({due_on}).",
    ),
    "merge_into_itself": (
        "Không thể gộp kiến nghị vào chính nó.",
        "A kiến nghị cannot be merged into itself.",
    ),
    "master_is_merged": (
        "Kiến nghị {master_id} đã được gộp vào {into}; hãy gộp vào kiến nghị đó.",
        "Kiến nghị {master_id} was merged into {into}; merge into that one.",
    ),
    "master_unknown": (
        "Không có kiến nghị {id} để gộp vào.",
        "There is no kiến nghị {id} to merge into.",
    ),
    "kien_nghi_merged": (
        "Kiến nghị đã được gộp vào một kiến nghị trùng; theo dõi và xử lý tại kiến nghị đó.",
        "The kiến nghị was merged as a duplicate; it is handled through its master.",
    ),
    "evidence_unknown": (
        "Tệp {value} chưa được tải lên làm tài liệu của kiến nghị này.",
        "File {value} was not uploaded as evidence for this kiến nghị.",
    ),
    "evidence_required": (
        "Quy định yêu cầu trả lời kiến nghị mức {priority} phải kèm tài liệu chứng minh.",
        "The rules require evidence with the answer to a {priority} kiến nghị.",
    ),
    # import from Excel (issue 21): a workbook's rows checked as the write APIs check them
    "import_not_a_workbook": (
        "Tệp không phải bảng tính Excel (.xlsx) đọc được.",
        "The file is not a readable Excel workbook (.xlsx).",
    ),
    "import_no_sheet": (
        "Không có trang tính nào theo mẫu; tên trang tính phải là một trong: {allowed}.",
        "No sheet follows a template; a sheet must be named one of: {allowed}.",
    ),
    "import_column_missing": (
        "Thiếu cột bắt buộc {column}.",
        "The required column {column} is missing.",
    ),
    "import_column_unknown": (
        "Cột {value} không có trong mẫu.",
        "Column {value} is not in the template.",
    ),
    "import_column_twice": ("Cột {column} có hai lần.", "Column {column} is there twice."),
    "import_no_rows": ("Tệp không có dòng dữ liệu nào.", "The file has no rows of data."),
    "import_too_many_rows": (
        "Tệp có hơn {max} dòng dữ liệu; hãy chia thành nhiều tệp.",
        "The file has more than {max} rows of data; split it into several files.",
    ),
    "value_not_in_list": (
        "{value} không có trong danh sách; chọn trong: {allowed}.",
        "{value} is not in the list; choose from: {allowed}.",
    ),
    "unit_name_unknown": (
        "Không có đơn vị hành chính tên {value} vào ngày {on}; hãy ghi mã đơn vị.",
        "No administrative unit is named {value} on {on}; give the unit's code.",
    ),
    "unit_name_ambiguous": (
        "Có nhiều đơn vị tên {value} vào ngày {on} ({candidates}); hãy ghi mã đơn vị.",
        "Several units are named {value} on {on} ({candidates}); give the unit's code.",
    ),
    "import_not_sent": (
        "Không gửi được dòng này tới {service} ({reason}); gửi lại tệp để ghi tiếp.",
        "This row could not be sent to {service} ({reason}); upload the file again to go on.",
    ),
    "import_refused": (
        "{count} lỗi; chưa ghi dòng nào. Sửa các ô được nêu rồi tải tệp lên lại.",
        "{count} problems; nothing was written. Mend the cells named and upload the file again.",
    ),
    "import_checked": (
        "{checked} dòng hợp lệ; chưa ghi gì (chạy thử).",
        "{checked} rows are valid; nothing was written (a dry run).",
    ),
    "import_done": (
        "{checked} dòng: {written} bản ghi mới, {replayed} đã ghi từ lần tải trước, "
        "{refused} bị từ chối.",
        "{checked} rows: {written} new records, {replayed} written by an earlier upload, "
        "{refused} refused.",
    ),
    "import_stopped": (
        "Dừng giữa chừng ({sent} trên {checked} dòng đã gửi); tải tệp lên lại để ghi tiếp.",
        "Stopped half-way ({sent} of {checked} rows sent); upload the file again to go on.",
    ),
    "import_failed": (
        "Nhập dữ liệu gặp lỗi hệ thống; tải tệp lên lại để ghi tiếp.",
        "The import failed with an internal error; upload the file again to go on.",
    ),
}

# words that stand inside messages as parameters, e.g. the action a rule forbade
PARAMETER_WORDS: dict[str, tuple[str, str]] = {
    "report_progress": ("báo cáo tiến độ", "reported on"),
    "recognise": ("công nhận", "recognised"),
    "commend": ("khen thưởng", "commended"),
    "replicate": ("nhân rộng", "replicated"),
    "discontinue": ("dừng thực hiện", "discontinued"),
    "hold": ("tổ chức", "held"),
    "cancel": ("hủy", "cancelled"),
    "raise_finding": ("ghi nhận thêm phát hiện", "given new findings"),
    "conclude": ("kết luận", "concluded"),
    "assign": ("giao xử lý", "assigned"),
    "answer": ("trả lời", "answered"),
    "resolve": ("giải quyết", "resolved"),
    "decline": ("từ chối giải quyết", "declined"),
    "rate": ("đánh giá", "rated"),
    "reopen": ("mở lại", "reopened"),
    # statuses of a kiến nghị
    "received": ("đã tiếp nhận", "received"),
    "assigned": ("đã giao xử lý", "assigned"),
    "answered": ("đã trả lời", "answered"),
    "resolved": ("đã giải quyết", "resolved"),
    "declined": ("không giải quyết", "declined"),
    "reopened": ("mở lại", "reopened"),
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
    "float_parsing": "Phải là số.",
    "float_type": "Phải là số.",
    "finite_number": "Phải là số hữu hạn.",
    # input checks (issue 17)
    "datetime_type": "Phải là ngày giờ ISO 8601 (YYYY-MM-DDTHH:MM:SS).",
    "datetime_parsing": "Phải là ngày giờ ISO 8601 (YYYY-MM-DDTHH:MM:SS).",
    "datetime_from_date_parsing": "Phải là ngày giờ ISO 8601 (YYYY-MM-DDTHH:MM:SS).",
    "string_control_character": "Không được chứa ký tự điều khiển (U+0000 đến U+001F).",
    "uuid_type": "Phải là UUID.",
    "string_unicode": "Phải là văn bản Unicode hợp lệ.",
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
