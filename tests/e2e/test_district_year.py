"""A scripted year of Quận Ba Đình (Hà Nội, 2021) through the APIs, every report figure checked
against a hand-computed expectation."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from testkit.records import model_body
from tests.e2e.conftest import System

pytestmark = pytest.mark.e2e


def ok(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code in (200, 201), response.text
    body: dict[str, Any] = response.json()
    return body


def dialogue(
    client: httpx.Client,
    unit: str,
    kind: str,
    scheduled: str,
    held: str | None = None,
    participants: int = 0,
    cancelled: str | None = None,
) -> str:
    dialogue_id: str = ok(
        client.post(
            "/dialogues",
            json={
                "unit_code": unit,
                "host_body": "party_committee",
                "host_title": "Bí thư",
                "kind": kind,
                "title": f"Đối thoại {scheduled}",
                "topics": ["đất đai"],
                "scheduled_on": scheduled,
            },
        )
    )["id"]
    if held:
        ok(
            client.post(
                f"/dialogues/{dialogue_id}/held",
                json={
                    "held_on": held,
                    "participants": participants,
                    "topics": ["đất đai"],
                    "summary": "Đã đối thoại",
                },
            )
        )
    if cancelled:
        ok(
            client.post(
                f"/dialogues/{dialogue_id}/cancellation",
                json={"reason": "Mưa bão", "cancelled_on": cancelled},
            )
        )
    return dialogue_id


def supervision(client: httpx.Client, unit: str, body: str, kind: str, started: str) -> str:
    supervision_id: str = ok(
        client.post(
            "/supervisions",
            json={
                "unit_code": unit,
                "body": body,
                "kind": kind,
                "subject": "UBND phường",
                "title": f"Giám sát {started}",
                "started_on": started,
            },
        )
    )["id"]
    return supervision_id


def finding(
    client: httpx.Client,
    supervision_id: str,
    raised: str,
    violation: bool,
    recommendation: str | None = None,
) -> dict[str, Any]:
    return ok(
        client.post(
            f"/supervisions/{supervision_id}/findings",
            json={
                "summary": "Phát hiện",
                "violation_signs": violation,
                "recommendation": recommendation,
                "category": "land",
                "raised_on": raised,
            },
        )
    )


def kien_nghi(client: httpx.Client, **body: Any) -> str:
    kien_nghi_id: str = ok(
        client.post("/kien-nghi", json={"content": "Đề nghị xem xét", "source_id": None, **body})
    )["id"]
    return kien_nghi_id


def move(client: httpx.Client, kien_nghi_id: str, step: str, **body: Any) -> None:
    ok(client.post(f"/kien-nghi/{kien_nghi_id}/{step}", json=body))


def test_a_scripted_year_of_a_district_adds_up_in_every_report(system: System) -> None:
    with (
        system.client(system.dialogue, "officer") as desk,
        system.client(system.registry, "officer") as registry,
    ):
        # Dialogues: three held in 2021 (two at communes, one at the district), one cancelled,
        # one held in 2020 for the comparison.
        d1 = dialogue(desk, "00004", "periodic", "2021-02-01", held="2021-02-15", participants=120)
        dialogue(desk, "00006", "thematic", "2021-05-01", held="2021-05-10", participants=80)
        dialogue(desk, "001", "periodic", "2021-09-01", held="2021-09-20", participants=200)
        dialogue(desk, "00007", "ad_hoc", "2021-11-01", cancelled="2021-11-02")
        dialogue(desk, "00004", "periodic", "2020-06-01", held="2020-06-15", participants=50)

        # Supervision: one by MTTQ at the district, one social-criticism conference, three
        # People's Inspection cases: one with violation signs and a recommendation, one with
        # violation signs only, one clean.
        s1 = supervision(desk, "001", "mttq", "supervision", "2021-03-01")
        finding(desk, s1, "2021-03-15", violation=False)
        ok(
            desk.post(
                f"/supervisions/{s1}/conclusion",
                json={"conclusion": "Thực hiện tốt", "concluded_on": "2021-04-01"},
            )
        )
        supervision(desk, "00004", "mttq", "social_criticism", "2021-04-01")
        s3 = supervision(desk, "00004", "people_inspection_board", "inspection_case", "2021-06-01")
        opened = finding(
            desk,
            s3,
            "2021-06-10",
            violation=True,
            recommendation="Đề nghị UBND phường thu hồi đất lấn chiếm",
        )
        s4 = supervision(desk, "00006", "people_inspection_board", "inspection_case", "2021-06-05")
        finding(desk, s4, "2021-06-20", violation=True)
        s5 = supervision(desk, "00008", "people_inspection_board", "inspection_case", "2021-07-01")
        finding(desk, s5, "2021-07-10", violation=False)

        # Kiến nghị: one raised at dialogue d1 (resolved late, rated 3), the finding's one
        # (resolved on time, rated 5), one left open past its due date, one declined then
        # reopened and resolved on time, one not yet assigned.
        kn_d = kien_nghi(
            desk,
            source="dialogue",
            source_id=d1,
            unit_code="00004",
            category="infrastructure",
            received_on="2021-02-15",
        )
        move(
            desk,
            kn_d,
            "assignment",
            agency="UBND quận Ba Đình",
            due_on="2021-03-15",
            assigned_on="2021-02-16",
        )
        move(desk, kn_d, "answer", answer="Đang khảo sát", answered_on="2021-03-01")
        move(desk, kn_d, "resolution", resolution="Đã sửa đường", resolved_on="2021-03-20")
        move(desk, kn_d, "rating", rating=3, comment="Chậm", rated_on="2021-03-25")
        kn_f = opened["kien_nghi_id"]
        move(
            desk,
            kn_f,
            "assignment",
            agency="UBND phường Trúc Bạch",
            due_on="2021-07-08",
            assigned_on="2021-06-11",
        )
        move(desk, kn_f, "answer", answer="Đã kiểm tra", answered_on="2021-06-30")
        move(desk, kn_f, "resolution", resolution="Đã thu hồi", resolved_on="2021-07-06")
        move(desk, kn_f, "rating", rating=5, comment="", rated_on="2021-07-12")
        kn_a = kien_nghi(
            desk,
            source="citizen_reception",
            unit_code="00006",
            category="environment",
            received_on="2021-08-01",
        )
        move(
            desk,
            kn_a,
            "assignment",
            agency="UBND quận Ba Đình",
            due_on="2021-08-27",
            assigned_on="2021-08-02",
        )
        kn_b = kien_nghi(
            desk,
            source="voter_meeting",
            unit_code="001",
            category="social_policy",
            received_on="2021-10-01",
        )
        move(
            desk,
            kn_b,
            "assignment",
            agency="UBND quận Ba Đình",
            due_on="2021-10-29",
            assigned_on="2021-10-02",
        )
        move(desk, kn_b, "declination", reason="Không thuộc thẩm quyền", declined_on="2021-11-01")
        move(desk, kn_b, "reopening", reason="Cử tri kiến nghị lại", reopened_on="2021-11-10")
        move(
            desk,
            kn_b,
            "assignment",
            agency="UBND quận Ba Đình",
            due_on="2021-12-08",
            assigned_on="2021-11-11",
        )
        move(desk, kn_b, "resolution", resolution="Đã giải quyết", resolved_on="2021-11-30")
        kien_nghi(
            desk,
            source="citizen_app",
            unit_code="00007",
            category="urban_order",
            received_on="2021-12-01",
        )

        ok(registry.post("/models", json=model_body(unit_code="00004")))

    with system.client(system.aggregator, "auditor") as reports:
        ok(reports.get("/followers/wait", params={"registry": "", "dialogue": "", "timeout": 30}))

        def report(path: str, **params: Any) -> dict[str, Any]:
            return ok(reports.get(f"/reports/{path}", params={"district": "001", **params}))

        dialogues_2021 = report("dialogues", period="2021", group_by="level")
        assert dialogues_2021["total"] == {
            "held": 3,
            "scheduled": 4,
            "cancelled": 1,
            "participants": 400,
        }
        assert {r["level"]: r["held"] for r in dialogues_2021["rows"]} == {
            "commune": 2,
            "district": 1,
        }
        by_unit = report("dialogues", period="2021", group_by="unit")
        assert {r["unit"]: r["held"] for r in by_unit["rows"]} == {
            "00004": 1,
            "00006": 1,
            "001": 1,
            "00007": 0,
        }
        against_2020 = report("dialogues", period="2021", compare="2020")
        assert against_2020["compare"]["total"]["held"] == 1
        assert against_2020["compare"]["ratio"]["held"] == 3.0
        terms = report("dialogues", period="term:2020-2025/1", compare="term:2015-2020")
        assert (terms["total"]["held"], terms["compare"]["total"]["held"]) == (3, 1)

        supervisions = report("supervisions", period="2021", group_by="level,kind")
        assert {(r["level"], r["kind"]): r["activities"] for r in supervisions["rows"]} == {
            ("district", "supervision"): 1,
            ("commune", "social_criticism"): 1,
            ("commune", "inspection_case"): 3,
        }
        chain = report("inspection-chain", period="2021")["total"]
        assert chain == {"cases": 3, "with_violation_signs": 2, "recommended": 1, "resolved": 1}

        kn = report("kien-nghi", period="2021")["total"]
        assert kn == {
            "received": 5,
            "assigned": 4,
            "answered": 2,
            "resolved": 3,
            "declined": 0,
            "open": 2,
            "resolved_on_time": 2,
            "resolved_late": 1,
            "overdue": 1,
            "reopened": 1,
            "rated": 2,
            "average_rating": 4.0,
        }
        by_source = report("kien-nghi", period="2021", group_by="source")
        assert {r["source"]: r["received"] for r in by_source["rows"]} == {
            "dialogue": 1,
            "supervision_finding": 1,
            "citizen_reception": 1,
            "voter_meeting": 1,
            "citizen_app": 1,
        }
        by_agency = report("kien-nghi", period="2021", group_by="agency")
        assert {
            r["agency"]: (r["received"], r["resolved"], r["overdue"]) for r in by_agency["rows"]
        } == {None: (1, 0, 0), "UBND quận Ba Đình": (3, 2, 1), "UBND phường Trúc Bạch": (1, 1, 0)}
        by_category = report("kien-nghi", period="2021", group_by="category")
        assert {r["category"]: r["received"] for r in by_category["rows"]} == {
            "infrastructure": 1,
            "land": 1,
            "environment": 1,
            "social_policy": 1,
            "urban_order": 1,
        }
        models = report("models", period="2021")["total"]
        assert models["registered"] == 1
