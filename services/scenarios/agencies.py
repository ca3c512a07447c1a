"""The agencies the scenarios assign kiến nghị to, and the one the demo's clerk works for."""

from __future__ import annotations

AGENCIES = (
    "UBND cấp huyện",
    "UBND cấp xã",
    "Công an",
    "Phòng Tài nguyên và Môi trường",
    "Phòng Quản lý đô thị",
    "Ban Quản lý dự án",
)
# demo-clerk-hanoi's agency (services.cli): the office scenario fills its inbox
CLERK_AGENCY = "Phòng Tài nguyên và Môi trường"
