"""GET /kien-nghi/inbox on sixteen kiến nghị written by hand, read on Wednesday 12 June 2024:
which view holds which, in what order, how many days each has left, whose step is next, and
what a clerk, a unit's desk, an officer of another province and an auditor each see.

June 2024 has no holiday: its days off are the weekends (15–16, 22–23). From 12 June, the
working days after it are 13 (1), 14 (2), 17 (3), 18 (4): due soon within 3 working days is
due 12–17 June. Before it: 11 June is one working day back, 10 June two, 7 June three.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine
from fastapi.testclient import TestClient

from services.aggregator.main import create_app as create_aggregator
from shared.auth import TokenStore
from shared.principal import Role
from shared.settings import Settings
from shared.vietnam_time import VIETNAM
from tests.aggregator.handling_feed import Feed, deadlines, feed_clients, following_feed
from tests.conftest import bearer
from tests.security.test_jwt import key_pair, token

TODAY = datetime(2024, 6, 12, 10, 0, tzinfo=VIETNAM)  # a Wednesday
X, Y = "Phòng Tài nguyên và Môi trường", "Công an quận Ba Đình"
BA_DINH, HOAN_KIEM, HCM = "00004", "00037", "26734"  # Trúc Bạch, Phúc Tân; Tân Định (79)
SEALED = "sealed:do-not-show"


class Written:
    """The kiến nghị by name, written into one dialogue feed."""

    def __init__(self) -> None:
        self.feed = Feed()
        self.ids: dict[str, str] = {}

    def receive(
        self, name: str, on: str, resolve_by: str | None, unit: str = BA_DINH, **more: Any
    ) -> None:
        self.ids[name] = f"00000000-0000-4000-8000-{len(self.ids) + 1:012d}"
        rules = deadlines(on, on, resolve_by) if resolve_by else None
        self.feed.record(
            self.ids[name],
            "Received",
            source="citizen_reception",
            source_id=None,
            finding_id=None,
            unit_code=unit,
            unit_structure="legacy",
            category="environment",
            content=f"Kiến nghị {name}: " + "nước thải chảy ra đường " * 12,
            received_on=on,
            deadlines=rules,
            **more,
        )

    def step(self, name: str, step: str, **data: Any) -> None:
        self.feed.record(self.ids[name], step, **data)

    def acknowledge(self, name: str) -> None:
        code = f"01-2024-{int(self.ids[name][-6:]):07d}"
        self.step(
            name, "Acknowledged", tracking_code=code, acknowledged_at="2024-06-03T09:00:00+07:00"
        )

    def assign(self, name: str, agency: str, due_on: str, on: str = "2024-06-03") -> None:
        self.step(name, "Assigned", agency=agency, due_on=due_on, assigned_on=on)


def written() -> Written:
    w = Written()
    # I1 (X): overdue since 10 June, two working days
    w.receive("I1", "2024-06-03", "2024-07-01")
    w.acknowledge("I1")
    w.assign("I1", X, "2024-06-10")
    # I2 (X): due today; a citizen's, whose personal data is sealed
    w.receive("I2", "2024-06-05", "2024-07-03", citizen="subject-1", personal=SEALED)
    w.acknowledge("I2")
    w.assign("I2", X, "2024-06-12", "2024-06-05")
    # I3 (X): due Friday, handed to X and not yet acknowledged: waiting for X
    w.receive("I3", "2024-06-05", "2024-07-03")
    w.assign("I3", X, "2024-06-14", "2024-06-05")
    # I4 (X): due Monday 17 June, the third working day: still due soon
    w.receive("I4", "2024-06-06", "2024-07-04")
    w.acknowledge("I4")
    w.assign("I4", X, "2024-06-17", "2024-06-06")
    # I5 (X): due 18 June, the fourth working day: not due soon
    w.receive("I5", "2024-06-06", "2024-07-04")
    w.acknowledge("I5")
    w.assign("I5", X, "2024-06-18", "2024-06-06")
    # I6 (X): overdue since 11 June, an extension asked for: the unit's desk decides it
    w.receive("I6", "2024-06-03", "2024-07-01")
    w.acknowledge("I6")
    w.assign("I6", X, "2024-06-11")
    w.step("I6", "ExtensionRequested", reason="Cần khảo sát", requested_on="2024-06-10")
    # I7 (X): answered, due Friday: the unit's desk confirms it settled
    w.receive("I7", "2024-06-03", "2024-07-01")
    w.acknowledge("I7")
    w.assign("I7", X, "2024-06-14")
    w.step("I7", "Answered", answer="Đã trả lời", answered_on="2024-06-11", evidence=[])
    # I8 (Y): due tomorrow
    w.receive("I8", "2024-06-04", "2024-07-02")
    w.acknowledge("I8")
    w.assign("I8", Y, "2024-06-13", "2024-06-04")
    # I9: received Monday, neither acknowledged nor assigned; the rules' day is 8 July
    w.receive("I9", "2024-06-10", "2024-07-08")
    # I10: acknowledged, never assigned, past the rules' day (7 June): to assign
    w.receive("I10", "2024-06-03", "2024-06-07")
    w.acknowledge("I10")
    # I11: resolved, then reopened (no agency until assigned again); the rules' new day 24 June
    w.receive("I11", "2024-06-03", "2024-07-01")
    w.acknowledge("I11")
    w.assign("I11", X, "2024-06-07")
    w.step("I11", "Resolved", resolution="Đã xử lý", resolved_on="2024-06-06")
    reopened = deadlines("2024-06-10", "2024-06-10", "2024-06-24")
    w.step("I11", "Reopened", reason="Chưa xử lý", reopened_on="2024-06-10", deadlines=reopened)
    # I12 (X): resolved; I13 (X): merged into I1: neither is open
    w.receive("I12", "2024-06-03", "2024-07-01")
    w.assign("I12", X, "2024-06-10")
    w.step("I12", "Resolved", resolution="Đã xử lý", resolved_on="2024-06-07")
    w.receive("I13", "2024-06-04", "2024-07-02")
    w.assign("I13", X, "2024-06-10", "2024-06-04")
    w.step("I13", "MergedInto", master_id=w.ids["I1"], reason="Trùng", merged_on="2024-06-05")
    # I14 (X) in Hồ Chí Minh City, due tomorrow: outside a Hà Nội officer's scope
    w.receive("I14", "2024-06-04", "2024-07-02", unit=HCM)
    w.acknowledge("I14")
    w.assign("I14", X, "2024-06-13", "2024-06-04")
    # I15 (X) in Hoàn Kiếm, due 19 June
    w.receive("I15", "2024-06-07", "2024-07-05", unit=HOAN_KIEM)
    w.acknowledge("I15")
    w.assign("I15", X, "2024-06-19", "2024-06-07")
    # I16: received before there were rules, never handled: no due day, last
    w.receive("I16", "2024-06-02", None)
    return w


@pytest.fixture(scope="module")
def scenario() -> Written:
    return written()


@pytest.fixture(scope="module")
def aggregator(
    module_settings: Settings, scenario: Written, read_models_at_head: Path
) -> Iterator[TestClient]:
    """Caught up with the scenario, asking as the clerk of X unless told otherwise."""
    TokenStore(module_settings.token_path).issue(
        "clerk-1", Role.OFFICER, ["01"], token="token-clerk", agency=X
    )
    with following_feed(module_settings, scenario.feed, read_models_at_head) as client:
        client.headers.update(bearer("clerk"))
        yield client


def inbox(client: TestClient, who: str = "clerk", **params: Any) -> dict[str, Any]:
    with time_machine.travel(TODAY, tick=True):
        response = client.get("/kien-nghi/inbox", params=params, headers=bearer(who))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def names(scenario: Written, body: dict[str, Any]) -> list[str]:
    by_id = {v: k for k, v in scenario.ids.items()}
    return [by_id[item["id"]] for item in body["items"]]


def test_a_clerk_sees_its_agencys_open_ones_soonest_due_first(
    aggregator: TestClient, scenario: Written
) -> None:
    body = inbox(aggregator)
    assert body["agency"] == X and body["today"] == "2024-06-12" and body["within"] == 3
    # I7 and I3 are both due 14 June: I7 was received first
    assert names(scenario, body) == ["I1", "I6", "I2", "I7", "I3", "I4", "I5", "I15"]
    assert body["counts"] == {"mine": 8, "due_soon": 4, "overdue": 2, "waiting": 1}
    days = {
        name: item["days_left"]
        for name, item in zip(names(scenario, body), body["items"], strict=True)
    }
    assert days == {"I1": -2, "I6": -1, "I2": 0, "I7": 2, "I3": 2, "I4": 3, "I5": 4, "I15": 5}
    steps = {
        n: (i["next_step"], i["next_by"])
        for n, i in zip(names(scenario, body), body["items"], strict=True)
    }
    assert steps["I1"] == ("answer", "agency")
    assert steps["I3"] == ("acknowledge", "agency")
    assert steps["I6"] == ("decide_extension", "unit")
    assert steps["I7"] == ("resolve", "unit")
    assert body["next"] is None


def test_each_view_of_the_clerks_inbox(aggregator: TestClient, scenario: Written) -> None:
    assert names(scenario, inbox(aggregator, view="due_soon")) == ["I2", "I7", "I3", "I4"]
    assert names(scenario, inbox(aggregator, view="overdue")) == ["I1", "I6"]
    assert names(scenario, inbox(aggregator, view="waiting")) == ["I3"]
    # due soon within 4 working days takes in 18 June; within 0, today only
    assert names(scenario, inbox(aggregator, view="due_soon", within=4))[-1] == "I5"
    assert names(scenario, inbox(aggregator, view="due_soon", within=0)) == ["I2"]
    # per unit: Ba Đình's only (I15 is in Hoàn Kiếm)
    ba_dinh = inbox(aggregator, unit="001")
    assert "I15" not in names(scenario, ba_dinh) and ba_dinh["counts"]["mine"] == 7


def test_the_units_desk_has_every_open_one_and_waits_on_its_own_steps(
    aggregator: TestClient, scenario: Written
) -> None:
    body = inbox(aggregator, "officer")
    assert body["agency"] is None
    assert names(scenario, body) == [
        *("I10", "I1", "I6", "I2", "I8", "I7", "I3", "I4", "I5", "I15", "I11", "I9", "I16")
    ]
    assert body["counts"] == {"mine": 13, "due_soon": 5, "overdue": 3, "waiting": 6}
    waiting = inbox(aggregator, "officer", view="waiting")
    assert names(scenario, waiting) == ["I10", "I6", "I7", "I11", "I9", "I16"]
    steps = [(i["next_step"], i["next_by"]) for i in waiting["items"]]
    assert steps == [
        ("assign", "unit"),
        ("decide_extension", "unit"),
        ("resolve", "unit"),
        ("assign", "unit"),
        ("acknowledge", "unit"),
        ("acknowledge", "unit"),
    ]
    last = waiting["items"][-1]
    assert last["due_day"] is None and last["days_left"] is None  # I16, before the rules
    assert waiting["items"][0]["days_left"] == -3  # I10: the rules' day, 7 June
    # an officer without an agency may open an agency's inbox, within its units
    assert names(scenario, inbox(aggregator, "officer", agency=Y)) == ["I8"]


def test_scope_holds_whatever_agency_is_named(aggregator: TestClient, scenario: Written) -> None:
    assert names(scenario, inbox(aggregator, "officer_hcm", agency=X)) == ["I14"]
    everywhere = inbox(aggregator, "auditor", agency=X, view="due_soon")
    assert names(scenario, everywhere) == ["I2", "I14", "I7", "I3", "I4"]
    refused = aggregator.get("/kien-nghi/inbox", params={"unit": "79"})
    assert refused.status_code == 403 and refused.json()["error"]["field"] == "unit"
    citizen = aggregator.get("/kien-nghi/inbox", headers=bearer("citizen"))
    assert citizen.status_code == 403


def test_pages_follow_the_cursor_and_counts_stay(aggregator: TestClient, scenario: Written) -> None:
    seen: list[str] = []
    params: dict[str, Any] = {"limit": 3}
    while True:
        body = inbox(aggregator, **params)
        assert body["counts"]["mine"] == 8
        seen += names(scenario, body)
        if body["next"] is None:
            break
        params["cursor"] = body["next"]
    assert seen == ["I1", "I6", "I2", "I7", "I3", "I4", "I5", "I15"]


def test_no_personal_data_and_an_excerpt_of_the_content(aggregator: TestClient) -> None:
    response = inbox(aggregator, view="due_soon")
    text = json.dumps(response, ensure_ascii=False)
    assert SEALED not in text and "subject-1" not in text
    item = response["items"][0]
    assert "citizen" not in item and "personal" not in item
    assert item["excerpt"].startswith("Kiến nghị I2: nước thải") and item["excerpt"].endswith("…")
    assert len(item["excerpt"]) <= 160
    assert item["tracking_code"] is not None and item["unit_code"] == BA_DINH


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"view": "all"}, "view"),
        ({"within": "-1"}, "within"),
        ({"limit": "0"}, "limit"),
        ({"unit": "99999"}, "unit"),
        ({"unit": "x"}, "unit"),
        ({"cursor": "bm90LWEtY3Vyc29y"}, "cursor"),
        ({"cursor": "***"}, "cursor"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(
    aggregator: TestClient, params: dict[str, str], field: str
) -> None:
    response = aggregator.get("/kien-nghi/inbox", params=params)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["field"] == field


def test_a_clerks_jwt_names_its_agency(
    module_settings: Settings, aggregator: TestClient, tmp_path: Path, scenario: Written
) -> None:
    private, public = key_pair()
    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps({"keys": [public]}))
    configured = module_settings.model_copy(
        update={
            "jwt_jwks": str(jwks),
            "jwt_issuer": "https://idp.gov.vn",
            "jwt_audience": "danvan",
            "follow_upstreams": False,  # the module's aggregator has followed the feed
        }
    )
    app = create_aggregator(configured, feed_clients(Feed()))
    clerk = token(private, units=["01"], agency=Y)
    with TestClient(app) as client, time_machine.travel(TODAY, tick=True):
        own = client.get("/kien-nghi/inbox", headers={"Authorization": f"Bearer {clerk}"})
        assert own.status_code == 200, own.text
        assert own.json()["agency"] == Y and own.json()["counts"]["mine"] == 1
        nameless = token(private, units=["01"], agency=["a", "list"])
        refused = client.get("/kien-nghi/inbox", headers={"Authorization": f"Bearer {nameless}"})
        assert refused.status_code == 401


def test_the_dashboard_names_the_clerks_agency(aggregator: TestClient) -> None:
    page = aggregator.get("/dashboard", params={"province": "01", "period": "2024"})
    assert page.status_code == 200, page.text
    reader = page.text[page.text.index('id="reader"') :]
    assert f"Cơ quan: {X}</span>" in reader[: reader.index("</span>") + 7]


def test_the_inbox_page_shows_each_view_as_the_api_answers_it(aggregator: TestClient) -> None:
    for view in ("mine", "due_soon", "overdue", "waiting"):
        answer = inbox(aggregator, view=view)
        with time_machine.travel(TODAY, tick=True):
            shown = aggregator.get("/dashboard/inbox", params={"view": view})
        assert shown.status_code == 200, shown.text
        for name, count in answer["counts"].items():
            assert re.search(
                rf'id="tab-{name}"[^>]*>[^<]*<span class="count">{count}</span>', shown.text
            )
        links = re.findall(r'href="/dashboard/kien-nghi/([0-9a-f-]{36})"', shown.text)
        assert links == [item["id"] for item in answer["items"]], view
