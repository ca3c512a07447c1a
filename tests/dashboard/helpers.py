"""Reading the dashboard in the browser, and the report API's figures to hold it against."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypedDict

import httpx

# the overview's cards: card, report path, metric, filters beyond the unit and period
CARDS: tuple[tuple[str, str, str, dict[str, str]], ...] = (
    ("models", "models", "registered", {}),
    ("dialogues", "dialogues", "held", {}),
    ("supervision", "supervisions", "activities", {"kind": "supervision"}),
    ("social_criticism", "supervisions", "activities", {"kind": "social_criticism"}),
    ("inspection_case", "supervisions", "activities", {"kind": "inspection_case"}),
    ("kien_nghi", "kien-nghi", "received", {}),
)


class Card(TypedDict):
    """What a card of the overview shows: the figure, the comparison's and their ratio."""

    value: str
    previous: str | None
    ratio: str | None
    extra: str


@dataclass
class Dashboard:
    """The running system and where its screenshots go."""

    url: str
    store: str
    artifacts: Path
    dialogue_url: str = ""  # the write services, for what a test writes beside the pages
    registry_url: str = ""

    def api(self, who: str = "auditor") -> httpx.Client:
        headers = {"Authorization": f"Bearer token-{who}"}
        return httpx.Client(base_url=self.url, headers=headers, timeout=60)

    def report(self, path: str, who: str = "auditor", **params: Any) -> dict[str, Any]:
        """A report as JSON, its figures written the Vietnamese way beside the raw ones."""
        with self.api(who) as client:
            response = client.get(f"/reports/{path}", params={"locale": "vi", **params})
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body


@dataclass
class Browse:
    page: Any  # playwright.sync_api.Page
    dashboard: Dashboard
    test: str
    errors: list[str] = field(default_factory=list)
    shots: int = 0

    def login(self, who: str, lang: str | None = None) -> Any:
        self.page.goto("/dashboard/login" + ("?lang=en" if lang == "en" else ""))
        self.page.fill("#token", f"token-{who}")
        with self.page.expect_navigation():
            self.page.click("#login-form button[type=submit]")
        self.settle()

    def open(self, path: str) -> Any:
        response = self.page.goto(path)
        self.settle()
        return response

    def click(self, selector: str) -> None:
        with self.page.expect_navigation():
            self.page.locator(selector).first.click()
        self.settle()

    def settle(self) -> None:
        """Loaded, and every chart drawn by plotly.js."""
        self.page.wait_for_load_state("load")
        if self.page.locator(".chart").count():
            self.page.wait_for_selector("body[data-charts-drawn]")

    def shot(self, name: str, page: Any = None) -> Path:
        """A screenshot among the test's artifacts; with DANVAN_SCREENSHOTS=DIR, the SQLite
        run's also as DIR/{name}.png (docs/screenshots: `make`-free, one pytest command)."""
        self.shots += 1
        path = self.dashboard.artifacts / f"{self.test}-{self.shots:02d}-{name}.png"
        (page or self.page).screenshot(path=str(path), full_page=True)
        kept = os.environ.get("DANVAN_SCREENSHOTS")
        if kept and self.dashboard.store == "sqlite":
            Path(kept).mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, Path(kept) / f"{name}.png")
        return path

    def text(self, selector: str) -> str:
        return str(self.page.locator(selector).first.inner_text()).strip()

    def card(self, key: str) -> Card:
        card = f"#card-{key}"
        previous = self.page.locator(f"{card} .previous-value")
        return {
            "value": self.text(f"{card} .value"),
            "previous": self.text(f"{card} .previous-value") if previous.count() else None,
            "ratio": self.text(f"{card} .ratio-value") if previous.count() else None,
            "extra": " ".join(self.page.locator(f"{card} .extra").all_inner_texts()),
        }

    def table(self, key: str) -> list[list[str]]:
        """The table's body rows as the page shows them."""
        rows: list[list[str]] = self.page.eval_on_selector_all(
            f"#table-{key} tbody tr",
            "rows => rows.map(r => [...r.cells].map(c => c.innerText.trim()))",
        )
        return rows

    def query(self) -> dict[str, str]:
        from urllib.parse import parse_qsl, urlsplit

        return dict(parse_qsl(urlsplit(self.page.url).query))


def shown(formatted: str | None) -> str:
    """How the page writes a formatted figure (a missing ratio is a dash)."""
    return formatted if formatted is not None else "–"


def check_cards(browse: Browse, who: str, **params: str) -> dict[str, dict[str, Any]]:
    """Every card of the overview holds the report API's figures for the same view: this
    period, the comparison and the ratio, as vi-VN writes them."""
    answers = {}
    for key, path, metric, extra in CARDS:
        body = browse.dashboard.report(path, who, **params, **extra)
        card = browse.card(key)
        assert card["value"] == body["total"]["formatted"][metric], (key, card, body["total"])
        if "compare" in body:
            compared = body["compare"]
            assert card["previous"] == compared["total"]["formatted"][metric], (key, card)
            assert card["ratio"] == shown(compared["ratio"]["formatted"][metric]), (key, card)
        answers[key] = body
    return answers
