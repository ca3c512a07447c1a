"""Thirteen kiến nghị handled every way docs/kien-nghi-handling.md names, across four agencies,
received in June 2024 (one in May); the right figures are worked out by hand in the tests.

June 2024 has no holiday: its days off are the weekends (1–2, 8–9, 15–16, 22–23, 29–30). Every
June kiến nghị is received on Monday 3 June; under the rules it is to be acknowledged by
5 June 17:00 and resolved by 17 June. Working days to resolve count the days after 3 June up to
the day resolved: to 6 June 3, 11 June 6, 12 June 7, 13 June 8, 14 June 9, 17 June 10, 19 June
12, 20 June 13.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tests.aggregator.handling_feed import Feed, deadlines

A, B, C, D = "UBND phường Trúc Bạch", "Công an quận Ba Đình", "Sở Xây dựng", "Ban quản lý chợ"
JUNE = deadlines("2024-06-03", "2024-06-05", "2024-06-17")
ON_TIME_ACK, LATE_ACK = "2024-06-04T10:00:00+07:00", "2024-06-06T09:00:00+07:00"


@dataclass
class Scenario:
    feed: Feed = field(default_factory=Feed)
    ids: dict[str, str] = field(default_factory=dict)
    positions: dict[str, dict[str, int]] = field(default_factory=dict)

    def receive(self, name: str, on: str = "2024-06-03", rules: object = JUNE) -> str:
        kien_nghi_id = self.feed.receive(on, rules=rules if isinstance(rules, dict) else None)
        self.ids[name] = kien_nghi_id
        self.positions[name] = {"Received": len(self.feed.items)}
        return kien_nghi_id

    def step(self, name: str, step: str, **data: object) -> None:
        self.positions[name][step] = self.feed.record(self.ids[name], step, **data)

    def acknowledge(self, name: str, at: str) -> None:
        code = f"01-2024-{len(self.ids):06d}"
        self.step(name, "Acknowledged", tracking_code=code, acknowledged_at=at)

    def assign(self, name: str, agency: str, due_on: str) -> None:
        self.step(name, "Assigned", agency=agency, due_on=due_on, assigned_on="2024-06-03")

    def resolve(self, name: str, on: str) -> None:
        self.step(name, "Resolved", resolution="Đã xử lý", resolved_on=on)

    def rate(self, name: str, rating: int) -> None:
        self.step(name, "Rated", rating=rating, comment="", rated_on="2024-06-21")


def handled_every_way() -> Scenario:
    s = Scenario()
    # K1 (A): acknowledged on time, resolved before its due day: on time, 7 days, rated 5
    s.receive("K1")
    s.acknowledge("K1", ON_TIME_ACK)
    s.assign("K1", A, "2024-06-14")
    s.step("K1", "Answered", answer="Đã trả lời", answered_on="2024-06-11", evidence=["ab" * 32])
    s.resolve("K1", "2024-06-12")
    s.rate("K1", 5)
    # K2 (A): acknowledged late; due 10 June, extended to 20 June, resolved 17 June: late with
    # an approved extension, 10 days, rated 3
    s.receive("K2")
    s.acknowledge("K2", LATE_ACK)
    s.assign("K2", A, "2024-06-10")
    s.step("K2", "ExtensionRequested", reason="Cần khảo sát", requested_on="2024-06-07")
    s.step(
        "K2",
        "ExtensionGranted",
        reason="Đồng ý",
        granted_on="2024-06-07",
        due_on="2024-06-20",
        previous_due_on="2024-06-10",
    )
    s.resolve("K2", "2024-06-17")
    s.rate("K2", 3)
    # K3 (A): never acknowledged; due 10 June, resolved 11 June: late, 6 days
    s.receive("K3")
    s.assign("K3", A, "2024-06-10")
    s.resolve("K3", "2024-06-11")
    # K4 (B): due 7 June and still open: overdue
    s.receive("K4")
    s.acknowledge("K4", ON_TIME_ACK)
    s.assign("K4", B, "2024-06-07")
    # K5 (B): resolved, reopened, assigned again and resolved by the new due day: on time, 12 days
    s.receive("K5")
    s.acknowledge("K5", ON_TIME_ACK)
    s.assign("K5", B, "2024-06-14")
    s.resolve("K5", "2024-06-05")
    reopened = deadlines("2024-06-07", "2024-06-11", "2024-06-21")
    s.step("K5", "Reopened", reason="Chưa thỏa đáng", reopened_on="2024-06-07", deadlines=reopened)
    s.assign("K5", B, "2024-06-21")
    s.resolve("K5", "2024-06-19")
    # K7 (C, then B), the master of K6: transferred without restarting the clock, resolved on
    # time by B, 8 days; K6, merged into it, counts only as its duplicate
    s.receive("K7")
    s.acknowledge("K7", ON_TIME_ACK)
    s.assign("K7", C, "2024-06-14")
    s.receive("K6")
    s.acknowledge("K6", ON_TIME_ACK)
    s.step("K6", "MergedInto", master_id=s.ids["K7"], reason="Trùng", merged_on="2024-06-04")
    s.step("K7", "DuplicateAttached", duplicate_id=s.ids["K6"], merged_on="2024-06-04")
    s.step(
        "K7",
        "Transferred",
        from_agency=C,
        agency=B,
        reason="Thuộc thẩm quyền công an",
        transferred_on="2024-06-05",
        deadlines=None,
        due_on="2024-06-14",
    )
    s.resolve("K7", "2024-06-13")
    s.rate("K6", 4)  # its citizen rates the master's outcome: not counted twice
    # K8 (C): extension refused, escalated when overdue, resolved 20 June: late, 13 days, rated 2
    s.receive("K8")
    s.acknowledge("K8", ON_TIME_ACK)
    s.assign("K8", C, "2024-06-12")
    s.step("K8", "ExtensionRequested", reason="Thiếu kinh phí", requested_on="2024-06-11")
    s.step("K8", "ExtensionRefused", reason="Không có căn cứ", refused_on="2024-06-12")
    s.step(
        "K8",
        "Escalated",
        to_level="province",
        reason="Quá hạn",
        escalated_on="2024-06-13",
        automatic=True,
        due_on="2024-06-12",
    )
    s.resolve("K8", "2024-06-20")
    s.rate("K8", 2)
    # K9 (C): declined before its due day: closed on time, but never resolved
    s.receive("K9")
    s.acknowledge("K9", ON_TIME_ACK)
    s.assign("K9", C, "2024-06-14")
    s.step("K9", "Declined", reason="Không thuộc thẩm quyền", declined_on="2024-06-10")
    # K10: never acknowledged nor assigned: overdue by the rules' day (17 June)
    s.receive("K10")
    # K12, K13 (D): received before any rules (no acknowledgement due); on its due day (on
    # time, 9 days) and a day after (late, 3 days)
    s.receive("K12", rules=None)
    s.assign("K12", D, "2024-06-14")
    s.resolve("K12", "2024-06-14")
    s.receive("K13", rules=None)
    s.assign("K13", D, "2024-06-05")
    s.resolve("K13", "2024-06-06")
    # K11 (C), in May: late
    s.receive("K11", on="2024-05-06", rules=deadlines("2024-05-06", "2024-05-08", "2024-05-20"))
    s.step("K11", "Assigned", agency=C, due_on="2024-05-10", assigned_on="2024-05-06")
    s.resolve("K11", "2024-05-15")
    return s
