"""Kiến nghị handled through the dialogue service's HTTP API, every step of
docs/kien-nghi-handling.md, come out in the aggregator's handling report and league table as
worked out here by hand.

Eight kiến nghị received on Thursday 2 May 2024 at Phường Trúc Bạch, Hà Nội (rules
hanoi-2024: acknowledged within 8 working hours of the close of that day, so by Friday 3 May
17:00). Saturday 4 May was worked, so the working days after 2 May run 3, 4, 6, 7, 8, 9, 10, 13,
14, 15, 16, 17, 20: resolved on 9 May is 6 working days, 13 May 8, 14 May 9, 15 May 10, 16 May
11, 20 May 13.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlsplit

from fastapi.testclient import TestClient

from services.aggregator.reports.handling_figures import FIGURES
from tests.aggregator.handling_feed import figures
from tests.conftest import bearer
from tests.dialogue.helpers import created, kien_nghi_body, ok
from tests.helpers import catch_up

P, Q, R = "UBND phường Trúc Bạch", "Công an quận Ba Đình", "Sở Xây dựng"
MAY = {"period": "2024-05"}
ON_TIME, LATE = "2024-05-03T09:00:00+07:00", "2024-05-06T10:00:00+07:00"


class Desk:
    """An officer handling kiến nghị through the dialogue service's API."""

    def __init__(self, dialogue: TestClient) -> None:
        self.dialogue = dialogue
        self.ids: dict[str, str] = {}

    def receive(self, name: str) -> None:
        self.ids[name] = created(self.dialogue, "/kien-nghi", kien_nghi_body())

    def do(self, name: str, step: str, **body: Any) -> dict[str, Any]:
        return ok(self.dialogue, f"/kien-nghi/{self.ids[name]}/{step}", body)

    def assign(
        self, name: str, agency: str, due_on: str | None = None, on: str = "2024-05-03"
    ) -> None:
        body = {"agency": agency, "assigned_on": on}
        self.do(name, "assignment", **body, **({"due_on": due_on} if due_on else {}))

    def positions(self, name: str) -> dict[str, int]:
        """Each step's position in the dialogue feed (the last of a step done twice)."""
        page = self.dialogue.get(
            "/events", params={"aggregate_id": self.ids[name]}, headers=bearer("auditor")
        ).json()
        return {item["type"].removeprefix("KienNghi."): item["position"] for item in page["items"]}


def handle_eight(desk: Desk) -> None:
    for name in ("E1", "E2", "E3", "E4", "E5", "E6", "E7", "E8"):
        desk.receive(name)
    for name in ("E1", "E4", "E5", "E6", "E7", "E8"):
        desk.do(name, "acknowledgement", acknowledged_at=ON_TIME)
    desk.do("E2", "acknowledgement", acknowledged_at=LATE)
    # E1 (P): on time, 6 days, rated 5
    desk.assign("E1", P, "2024-05-10")
    desk.do("E1", "answer", answer="Đã kiểm tra", answered_on="2024-05-08")
    desk.do("E1", "resolution", resolution="Xong", resolved_on="2024-05-09")
    desk.do("E1", "rating", rating=5, rated_on="2024-05-20")
    # E2 (P): due 10 May, extended to 17 May, resolved 15 May: late with an extension, 10 days
    desk.assign("E2", P, "2024-05-10", on="2024-05-06")
    desk.do("E2", "extension-request", reason="Cần khảo sát", requested_on="2024-05-08")
    desk.do("E2", "extension-grant", reason="Đồng ý", due_on="2024-05-17", granted_on="2024-05-08")
    desk.do("E2", "resolution", resolution="Xong", resolved_on="2024-05-15")
    desk.do("E2", "rating", rating=3, rated_on="2024-05-20")
    # E3 (P): never acknowledged; due 8 May, resolved 13 May: late, 8 days
    desk.assign("E3", P, "2024-05-08")
    desk.do("E3", "resolution", resolution="Xong", resolved_on="2024-05-13")
    # E4 (Q): due 7 May, still open
    desk.assign("E4", Q, "2024-05-07")
    # E5 (Q): resolved, reopened, assigned again (due by the rules, in June), resolved 20 May
    desk.assign("E5", Q, "2024-05-10")
    desk.do("E5", "resolution", resolution="Xong", resolved_on="2024-05-08")
    desk.do("E5", "reopening", reason="Chưa thỏa đáng", reopened_on="2024-05-09")
    desk.assign("E5", Q, on="2024-05-09")
    desk.do("E5", "resolution", resolution="Xong hẳn", resolved_on="2024-05-20")
    # E7 (R, transferred to Q) is E6's master: on time, 11 days; E6 counts as its duplicate
    desk.assign("E7", R, "2024-05-20")
    desk.do(
        "E6", "merge", master_id=desk.ids["E7"], reason="Trùng nội dung", merged_on="2024-05-06"
    )
    desk.do("E7", "transfer", agency=Q, reason="Thẩm quyền", transferred_on="2024-05-07")
    desk.do("E7", "resolution", resolution="Xong", resolved_on="2024-05-16")
    # E8 (R): extension refused, escalated by hand, resolved 14 May past 10 May: late, 9 days
    desk.assign("E8", R, "2024-05-10")
    desk.do("E8", "extension-request", reason="Thiếu kinh phí", requested_on="2024-05-09")
    desk.do("E8", "extension-refusal", reason="Không có căn cứ", refused_on="2024-05-09")
    desk.do("E8", "escalation", reason="Chậm", escalated_on="2024-05-13")
    desk.do("E8", "resolution", resolution="Xong", resolved_on="2024-05-14")
    desk.do("E8", "rating", rating=2, rated_on="2024-05-20")


# days 6 8 9 10 11 13: median (9 + 10) / 2, 90th percentile 11 + 0.5 × (13 − 11)
TOTAL = figures(7, 7, 5, 0.7143, 6, 3, 1, 2, 0.5, 1, 1, 9.5, 12.0, 3, 3.3333, 1)
LEAGUE = [
    # E4 (overdue) E5 (reopened) E7 (transferred in, E6's master): days 13 11
    (Q, figures(3, 3, 3, 1.0, 2, 2, 0, 0, 1.0, 1, 1, 12.0, 12.8, 0, None, 1)),
    # E1 E2 E3: days 6 10 8: p90 8 + 0.8 × 2; ratings 5 and 3
    (P, figures(3, 3, 1, 0.3333, 3, 1, 1, 1, 0.3333, 0, 0, 8.0, 9.6, 2, 4.0, 0)),
    (R, figures(1, 1, 1, 1.0, 1, 0, 0, 1, 0.0, 0, 0, 9.0, 9.0, 1, 2.0, 0)),
]


def test_kien_nghi_handled_through_the_api_are_reported_as_worked_out_by_hand(
    dialogue: TestClient, aggregator: TestClient
) -> None:
    desk = Desk(dialogue)
    handle_eight(desk)
    catch_up(aggregator)
    report = aggregator.get("/reports/kien-nghi-handling", params=MAY)
    assert report.status_code == 200, report.text
    assert report.json()["total"] == TOTAL
    league = aggregator.get("/reports/kien-nghi-handling/agencies", params=MAY).json()
    assert [(row["agency"], {k: row[k] for k in FIGURES}) for row in league["rows"]] == LEAGUE
    assert [row["rank"] for row in league["rows"]] == [1, 2, 3]

    def records(agency: str, figure: str) -> list[dict[str, Any]]:
        row = next(row for row in league["rows"] if row["agency"] == agency)
        link = urlsplit(row["records"][figure])
        found = aggregator.get(link.path, params=dict(parse_qsl(link.query)))
        assert found.status_code == 200, found.text
        items: list[dict[str, Any]] = found.json()["items"]
        return items

    e2 = desk.positions("E2")
    [extended] = records(P, "late_with_extension")
    assert extended["id"] == desk.ids["E2"]
    assert extended["events"] == [
        e2[step] for step in ("Received", "Assigned", "ExtensionGranted", "Resolved")
    ]
    view = dialogue.get(f"/kien-nghi/{desk.ids['E2']}").json()
    assert extended["tracking_code"] == view["tracking_code"] is not None
    [late] = records(R, "late")
    assert late["id"] == desk.ids["E8"]
    [master] = records(Q, "duplicates_merged")
    e7 = desk.positions("E7")
    assert master["events"] == [e7["Received"], e7["DuplicateAttached"]]
