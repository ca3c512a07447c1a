"""Demo data for the dialogue service: dialogues, supervision, People's Inspection cases and
kiến nghị of Hà Nội and Hải Phòng, 2015–2024, through the service's own API.

Idempotency keys come from the seed, so loading twice adds nothing.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import httpx
from tqdm import tqdm

from shared.units import Level, Unit

SOURCES = ("citizen_app", "citizen_reception", "voter_meeting", "other")
CATEGORIES = (
    "land",
    "environment",
    "infrastructure",
    "social_policy",
    "public_order",
    "administration",
    "urban_order",
    "other",
)
AGENCIES = (
    "UBND quận",
    "UBND phường",
    "Công an quận",
    "Phòng Tài nguyên và Môi trường",
    "Phòng Quản lý đô thị",
)
BODIES = ("mttq", "womens_union", "farmers_union", "youth_union", "veterans_union")
LAST_DAY = date(2024, 12, 31)


class DialogueDemo:
    def __init__(self, client: httpx.Client, rng: random.Random, seed: int) -> None:
        self.client, self.rng, self.seed = client, rng, seed

    def post(self, key: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = self.client.post(
            path, json=body, headers={"Idempotency-Key": f"demo-{self.seed}-{key}"}
        )
        response.raise_for_status()
        result: dict[str, Any] = response.json()
        return result

    def day(self, start: date = date(2015, 1, 1), end: date = LAST_DAY) -> date:
        return start + timedelta(days=self.rng.randrange(0, max(1, (end - start).days)))

    def dialogues(self, units: list[Unit], count: int) -> list[tuple[str, Unit, date]]:
        held = []
        for i in tqdm(range(count), desc="demo dialogues", unit="dialogue"):
            unit = self.rng.choice(units)
            on = self.day()
            dialogue = self.post(
                f"d{i}",
                "/dialogues",
                {
                    "unit_code": unit.code,
                    "title": "Hội nghị đối thoại với Nhân dân",
                    "host_body": self.rng.choice(("party_committee", "government")),
                    "host_title": "Bí thư" if unit.level is Level.COMMUNE else "Chủ tịch UBND",
                    "kind": self.rng.choice(("periodic", "periodic", "thematic", "ad_hoc")),
                    "topics": ["đất đai", "môi trường"],
                    "scheduled_on": on.isoformat(),
                },
            )
            if self.rng.random() < 0.08:
                self.post(
                    f"d{i}-c",
                    f"/dialogues/{dialogue['id']}/cancellation",
                    {"reason": "Hoãn", "cancelled_on": on.isoformat()},
                )
                continue
            self.post(
                f"d{i}-h",
                f"/dialogues/{dialogue['id']}/held",
                {
                    "held_on": on.isoformat(),
                    "participants": self.rng.randint(30, 300),
                    "topics": ["đất đai"],
                    "summary": "Đối thoại trực tiếp",
                },
            )
            held.append((dialogue["id"], unit, on))
        return held

    def supervisions(self, units: list[Unit], communes: list[Unit], count: int) -> list[str]:
        opened = []
        for i in tqdm(range(count), desc="demo supervisions", unit="activity"):
            case = self.rng.random() < 0.4
            unit = self.rng.choice(communes if case else units)
            on = self.day()
            kind = (
                "inspection_case"
                if case
                else self.rng.choice(("supervision", "supervision", "social_criticism"))
            )
            activity = self.post(
                f"s{i}",
                "/supervisions",
                {
                    "unit_code": unit.code,
                    "title": "Giám sát",
                    "subject": "UBND",
                    "body": "people_inspection_board" if case else self.rng.choice(BODIES),
                    "kind": kind,
                    "started_on": on.isoformat(),
                },
            )
            violation = self.rng.random() < 0.15
            recommendation = "Đề nghị xử lý" if violation and self.rng.random() < 0.9 else None
            found = self.post(
                f"s{i}-f",
                f"/supervisions/{activity['id']}/findings",
                {
                    "summary": "Kết quả giám sát",
                    "violation_signs": violation,
                    "recommendation": recommendation,
                    "category": self.rng.choice(CATEGORIES),
                    "raised_on": min(on + timedelta(days=10), LAST_DAY).isoformat(),
                },
            )
            if found.get("kien_nghi_id"):
                opened.append(found["kien_nghi_id"])
        return opened

    def kien_nghi(
        self, units: list[Unit], held: list[tuple[str, Unit, date]], count: int, opened: list[str]
    ) -> None:
        ids = list(opened)
        for i in tqdm(range(count), desc="demo kiến nghị", unit="kiến nghị"):
            if held and self.rng.random() < 0.3:
                dialogue_id, unit, on = self.rng.choice(held)
                body = {"source": "dialogue", "source_id": dialogue_id}
            else:
                unit, on = self.rng.choice(units), self.day()
                body = {"source": self.rng.choice(SOURCES), "source_id": None}
            created = self.post(
                f"k{i}",
                "/kien-nghi",
                {
                    **body,
                    "unit_code": unit.code,
                    "category": self.rng.choice(CATEGORIES),
                    "content": "Đề nghị xem xét giải quyết",
                    "received_on": on.isoformat(),
                },
            )
            ids.append(created["id"])
        for j, kien_nghi_id in enumerate(ids):
            self.follow_up(f"k-{j}", kien_nghi_id)

    def follow_up(self, key: str, kien_nghi_id: str) -> None:
        current = self.client.get(f"/kien-nghi/{kien_nghi_id}").json()
        on = date.fromisoformat(current["received_on"])
        path = f"/kien-nghi/{kien_nghi_id}"
        if self.rng.random() < 0.1:
            return
        due = on + timedelta(days=self.rng.choice((15, 30, 45)))
        self.post(
            f"{key}-a",
            f"{path}/assignment",
            {
                "agency": self.rng.choice(AGENCIES),
                "due_on": due.isoformat(),
                "assigned_on": on.isoformat(),
            },
        )
        if self.rng.random() < 0.15:
            return
        done = min(on + timedelta(days=self.rng.randint(5, 60)), LAST_DAY)
        if self.rng.random() < 0.1:
            self.post(
                f"{key}-d",
                f"{path}/declination",
                {"reason": "Không thuộc thẩm quyền", "declined_on": done.isoformat()},
            )
            return
        self.post(
            f"{key}-r",
            f"{path}/resolution",
            {"resolution": "Đã giải quyết", "resolved_on": done.isoformat()},
        )
        if self.rng.random() < 0.6:
            self.post(
                f"{key}-s",
                f"{path}/rating",
                {
                    "rating": self.rng.choice((3, 4, 4, 5, 5)),
                    "comment": "",
                    "rated_on": done.isoformat(),
                },
            )
