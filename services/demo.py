"""Demo data: Hà Nội and Hải Phòng records written through the services' own APIs.

Every request carries an Idempotency-Key derived from the seed, so loading twice adds nothing.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import httpx
from tqdm import tqdm

from services.demo_dialogue import DialogueDemo
from services.registry.vocabulary import ModelField, RecognitionLevel, Sector
from shared.settings import Settings
from shared.units import Level, Structure, load_catalog

DEMO_TOKEN = "demo-admin"
PROVINCES = ("01", "31")  # Hà Nội, Hải Phòng
BODIES = ("Hội LHPN", "Hội Nông dân", "Đoàn Thanh niên", "Hội Cựu chiến binh", "UBND", "Công an")
TITLES = (
    "Dân vận khéo trong xây dựng nông thôn mới",
    "Tuyến phố văn minh",
    "Chuyển đổi số vì dân",
    "Vận động hiến đất làm đường",
    "Tổ tự quản an ninh trật tự",
    "Thu gom rác thải tại nguồn",
    "Hỗ trợ hộ nghèo thoát nghèo",
)


def load_demo(settings: Settings, *, models: int = 300, seed: int = 2023) -> int:
    """Models through the registry, then dialogues, supervision and kiến nghị."""
    written = load_models(settings, models=models, seed=seed)
    catalog = load_catalog(settings.extra_units_file)
    units = [u for u in catalog if u.structure is Structure.LEGACY and u.province_code in PROVINCES]
    communes = [u for u in units if u.level is Level.COMMUNE]
    headers = {"Authorization": f"Bearer {DEMO_TOKEN}"}
    with httpx.Client(base_url=settings.dialogue_url, headers=headers, timeout=30) as client:
        demo = DialogueDemo(client, random.Random(seed + 1), seed)
        held = demo.dialogues(units, models // 2)
        opened = demo.supervisions(units, communes, models // 2)
        demo.kien_nghi(units, held, models, opened)
    return written


def load_models(settings: Settings, *, models: int, seed: int) -> int:
    rng = random.Random(seed)
    catalog = load_catalog(settings.extra_units_file)
    units = [u for u in catalog if u.structure is Structure.LEGACY and u.province_code in PROVINCES]
    communes = [u for u in units if u.level is Level.COMMUNE]
    upper = [u for u in units if u.level is not Level.COMMUNE]
    headers = {"Authorization": f"Bearer {DEMO_TOKEN}"}
    written = 0
    with httpx.Client(base_url=settings.registry_url, headers=headers, timeout=30) as client:

        def post(key: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
            response = client.post(
                path, json=body, headers={"Idempotency-Key": f"demo-{seed}-{key}"}
            )
            response.raise_for_status()
            result: dict[str, Any] = response.json()
            return result

        for i in tqdm(range(models), desc="demo models", unit="model"):
            unit = rng.choice(communes) if rng.random() < 0.85 else rng.choice(upper)
            registered_on = date(2015, 1, 1) + timedelta(days=rng.randrange(0, 3650))
            fields = rng.sample(list(ModelField), k=rng.choice((1, 1, 2)))
            model = post(
                f"{i}-registered",
                "/models",
                {
                    "title": rng.choice(TITLES),
                    "unit_code": unit.code,
                    "body": rng.choice(BODIES),
                    "sector": rng.choice(list(Sector)),
                    "fields": [str(f) for f in fields],
                    "year": registered_on.year,
                    "registered_on": registered_on.isoformat(),
                },
            )
            written += 1
            path = f"/models/{model['id']}"
            when = registered_on
            if rng.random() < 0.6:
                when = min(when + timedelta(days=rng.randrange(60, 400)), date(2025, 6, 30))
                post(
                    f"{i}-recognised",
                    f"{path}/recognition",
                    {
                        "level": str(rng.choice(list(RecognitionLevel)[1:])),
                        "recognised_on": when.isoformat(),
                    },
                )
                written += 1
                if rng.random() < 0.4:
                    post(
                        f"{i}-commended",
                        f"{path}/commendations",
                        {
                            "award": "Giấy khen",
                            "level": str(RecognitionLevel.DISTRICT),
                            "commended_on": when.isoformat(),
                        },
                    )
                    written += 1
                for j in range(rng.choice((0, 0, 1, 2))):
                    target = rng.choice(communes)
                    if target.code != unit.code:
                        post(
                            f"{i}-replicated-{j}",
                            f"{path}/replications",
                            {
                                "to_unit_code": target.code,
                                "replicated_on": when.isoformat(),
                            },
                        )
                        written += 1
            if rng.random() < 0.05:
                post(
                    f"{i}-discontinued",
                    f"{path}/discontinuation",
                    {
                        "reason": "Hết nhu cầu",
                        "discontinued_on": when.isoformat(),
                    },
                )
                written += 1
    return written
