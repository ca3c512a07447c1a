"""After the demo's scenarios (scaled down), the dashboard opens Hà Nội's latest year on the
year `danvan up` ran, every area of its overview non-zero against the year before; and the demo
clerk's inbox has kiến nghị due soon, overdue and waiting for it that day."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient

from services.aggregator.dashboard.overview import CARDS
from services.cli import DEMO_SCENARIOS, DEMO_TOKENS
from services.scenarios.loader import load_scenario
from shared.auth import TokenStore
from shared.settings import Settings
from shared.vietnam_time import today_in_vietnam
from shared.working_time import working_calendar
from tests.conftest import POSTGRES_SLOW
from tests.helpers import catch_up

SCALES = {"hanoi": 0.02, "haiphong": 0.05, "halong": 0.2, "handling": 0.2, "office": 0.02}
CARD = re.compile(
    r'id="card-(?P<key>\w+)" data-value="(?P<value>\d+)".*?previous-value">(?P<previous>[\d.]+)<',
    re.DOTALL,
)
UNIT_ROW = re.compile(r'<tr>\s*<td><a href="[^"]*" class="drill">.*?</tr>', re.DOTALL)
FIGURE = re.compile(r'data-value="(\d+)"')


def demo(settings: Settings) -> None:
    for name in DEMO_SCENARIOS:
        assert load_scenario(settings, name, scale=SCALES[name], progress=False) is not None
    tokens = TokenStore(settings.token_path)
    for token, (principal, role, units, agency) in DEMO_TOKENS.items():
        tokens.issue(principal, role, units, token=token, agency=agency)


@POSTGRES_SLOW
def test_the_demo_shows_a_working_office(settings: Settings, aggregator: TestClient) -> None:
    demo(settings)
    catch_up(aggregator, minutes=3)
    officer = {"Authorization": "Bearer demo-officer-hanoi"}

    opened = aggregator.get("/dashboard", headers=officer, follow_redirects=False)
    assert opened.status_code == 303, opened.text
    # this year, in the 2025 units its records name (a year before 1 July 2025 would open on
    # the units of then)
    year = today_in_vietnam().year
    assert opened.headers["location"] == f"/dashboard?province=01&structure=2025&period={year}"
    page = aggregator.get(opened.headers["location"], headers=officer)
    assert page.status_code == 200, page.text
    cards = {m["key"]: m for m in CARD.finditer(page.text)}
    assert set(cards) == {key for key, *_ in CARDS}
    for key, card in cards.items():
        assert int(card["value"]) > 0, key
        assert int(card["previous"].replace(".", "")) > 0, key  # vi-VN: 1.234
    below = page.text[page.text.index('id="table-children"') :]
    rows = UNIT_ROW.findall(below[: below.index("</table>")])
    assert sum(1 for row in rows if any(int(v) for v in FIGURE.findall(row))) >= 10, rows[:3]

    clerk = inbox(aggregator, "demo-clerk-hanoi")
    assert clerk["agency"] == DEMO_TOKENS["demo-clerk-hanoi"][3]
    assert all(clerk["counts"][view] > 0 for view in ("mine", "due_soon", "overdue", "waiting"))
    due_soon = inbox(aggregator, "demo-clerk-hanoi", view="due_soon")["items"]
    today = today_in_vietnam()
    within = working_calendar().add_working_days(today, 4) - timedelta(days=1)
    assert all(0 <= item["days_left"] <= 3 for item in due_soon)
    assert all(today <= date.fromisoformat(item["due_day"]) <= within for item in due_soon)
    waiting = inbox(aggregator, "demo-clerk-hanoi", view="waiting")["items"]
    assert {item["next_step"] for item in waiting} == {"acknowledge"}
    overdue = inbox(aggregator, "demo-clerk-hanoi", view="overdue")["items"]
    assert all(item["days_left"] < 0 for item in overdue)


def inbox(aggregator: TestClient, token: str, **params: Any) -> dict[str, Any]:
    response = aggregator.get(
        "/kien-nghi/inbox", params=params, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body
