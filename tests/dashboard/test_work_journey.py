"""A clerk takes a kiến nghị through its whole lifecycle on its work page in Chromium, by mouse
and by keyboard alone; two tabs race one record; a double click makes one event; axe-core finds
no serious or critical violation on the pages."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from services.aggregator.dashboard.areas import AREAS
from services.aggregator.rendering.codes import KIEN_NGHI_STATUSES
from testkit.records import model_body
from tests.dashboard.helpers import Browse, Dashboard
from tests.dialogue.helpers import dialogue_body, kien_nghi_body, supervision_body
from tests.helpers import award_body

SERIOUS = "r => r.violations.filter(v => ['serious', 'critical'].includes(v.impact))"


def received(dashboard: Dashboard) -> str:
    with httpx.Client(
        base_url=dashboard.dialogue_url, headers={"Authorization": "Bearer token-officer"}
    ) as dialogue:
        response = dialogue.post("/kien-nghi", json=kien_nghi_body())
    assert response.status_code == 201, response.text
    kien_nghi_id: str = response.json()["id"]
    return kien_nghi_id


def written(url: str, path: str, body: dict[str, Any]) -> str:
    with httpx.Client(base_url=url, headers={"Authorization": "Bearer token-officer"}) as client:
        response = client.post(path, json=body)
    assert response.status_code == 201, response.text
    record_id: str = response.json()["id"]
    return record_id


def steps(dashboard: Dashboard, kien_nghi_id: str) -> list[str]:
    with httpx.Client(
        base_url=dashboard.dialogue_url, headers={"Authorization": "Bearer token-auditor"}
    ) as dialogue:
        history = dialogue.get(f"/kien-nghi/{kien_nghi_id}/history").json()
    return [item["type"].removeprefix("KienNghi.") for item in history["items"]]


def take(browse: Browse, step: str, **fields: str) -> None:
    page = browse.page
    page.click(f"#step-{step} summary")
    for name, value in fields.items():
        page.fill(f"#{step}-{name}", value)
    browse.click(f"#step-{step} button[type=submit]")
    assert page.locator("#done").count() == 1, page.content()[:2000]


def serious_violations(page: Any, axe_source: str) -> list[dict[str, Any]]:
    page.add_script_tag(content=axe_source)
    found: list[dict[str, Any]] = page.evaluate(f"axe.run().then({SERIOUS})")
    return [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]]} for v in found]


def test_a_clerk_takes_a_kien_nghi_from_receipt_to_resolution(browse: Browse) -> None:
    kien_nghi_id = received(browse.dashboard)
    browse.login("officer")
    browse.open(f"/dashboard/kien-nghi/{kien_nghi_id}")
    assert browse.text("#record-status") == KIEN_NGHI_STATUSES["received"][0]
    take(browse, "acknowledgement")
    assert browse.text("#record-tracking-code").startswith("01-")
    take(browse, "assignment", agency="UBND phường Trúc Bạch")
    browse.page.click("#step-answer summary")
    browse.click("#templates-answer a >> nth=0")  # its category's template fills the answer
    filled = browse.page.input_value("#answer-answer")
    assert browse.text("#record-tracking-code") in filled and "UBND phường Trúc Bạch" in filled
    browse.shot("work-kien-nghi-answer-template")
    browse.page.fill("#answer-answer", filled.replace("……", "đã yêu cầu khắc phục"))
    browse.click("#step-answer button[type=submit]")
    assert browse.page.locator("#done").count() == 1
    take(browse, "resolution", resolution="Đã khắc phục xong.")
    browse.shot("work-kien-nghi-resolved")
    assert browse.text("#record-status") == KIEN_NGHI_STATUSES["resolved"][0]
    assert steps(browse.dashboard, kien_nghi_id) == [
        "Received",
        "Acknowledged",
        "Assigned",
        "Answered",
        "Resolved",
    ]
    assert browse.page.locator("#timeline li").count() == 5
    assert browse.page.locator("#step-reopening").count() == 1  # what a resolved one allows
    assert not browse.errors


def test_a_form_completed_by_keyboard_alone(browse: Browse) -> None:
    kien_nghi_id = received(browse.dashboard)
    browse.login("officer")
    browse.open(f"/dashboard/kien-nghi/{kien_nghi_id}")
    page = browse.page
    page.focus("#step-assignment summary")
    page.keyboard.press("Enter")  # opens the step
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "assignment-agency"
    page.keyboard.type("Công an quận Ba Đình")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # sends the form from its field
    browse.settle()
    assert browse.text("#record-agency") == "Công an quận Ba Đình"


def test_the_unit_picker_follows_the_records_date(browse: Browse) -> None:
    browse.login("officer")
    browse.open("/dashboard/kien-nghi/new")
    page = browse.page
    label = "#units-new option[value='00004']"
    assert page.locator(label).text_content() == "Phường Ba Đình (00004)"  # today's units
    page.fill("#new-received_on", "2024-05-02")
    page.dispatch_event("#new-received_on", "change")
    page.wait_for_selector("#units-new[data-on='2024-05-02']", state="attached")
    assert page.locator(label).text_content() == "Phường Trúc Bạch (00004)"
    assert page.locator("#units-new option[value='001']").count() == 1  # quận Ba Đình, then
    browse.shot("work-new-kien-nghi-2024")
    assert not browse.errors


def test_every_kind_of_record_is_made_from_the_menu_by_keyboard(browse: Browse) -> None:
    browse.login("officer")
    browse.open("/dashboard/inbox")
    page = browse.page
    page.focus("#new-menu summary")
    page.keyboard.press("Enter")  # opens the menu
    links = page.locator("#new-menu a")
    assert links.count() == 5
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # the second: a "Dân vận khéo" model
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/dashboard/models/new")
    page.click("#new-menu summary")
    browse.shot("work-new-menu")
    award = written(browse.dashboard.registry_url, "/awards", award_body(unit_code="001"))
    browse.open(f"/dashboard/awards/{award}")
    assert browse.page.locator("#record-recipient").count() == 1
    browse.shot("work-awards")


def test_a_refusal_is_shown_beside_its_field(browse: Browse) -> None:
    kien_nghi_id = received(browse.dashboard)
    browse.login("officer")
    browse.open(f"/dashboard/kien-nghi/{kien_nghi_id}")
    browse.page.click("#step-assignment summary")
    browse.click("#step-assignment button[type=submit]")  # no agency
    assert browse.page.locator("#assignment-agency[aria-invalid=true]").count() == 1
    assert browse.text("#assignment-agency-error")
    browse.shot("work-kien-nghi-refused-field")
    assert steps(browse.dashboard, kien_nghi_id) == ["Received"]


def test_two_tabs_race_and_a_double_click_makes_one_event(browse: Browse) -> None:
    kien_nghi_id = received(browse.dashboard)
    browse.login("officer")
    first = browse.page
    browse.open(f"/dashboard/kien-nghi/{kien_nghi_id}")
    second = first.context.new_page()
    second.goto(f"/dashboard/kien-nghi/{kien_nghi_id}")
    first.click("#step-classification summary")
    first.select_option("#classification-priority", "urgent")
    with first.expect_navigation():
        first.dblclick("#step-classification button[type=submit]")
    browse.settle()
    second.click("#step-classification summary")
    second.select_option("#classification-priority", "complex")
    with second.expect_navigation():
        second.click("#step-classification button[type=submit]")
    assert second.locator("#conflict").count() == 1
    assert second.locator("#classification-priority").input_value() == "complex"  # kept
    browse.shot("work-kien-nghi-conflict", second)
    assert steps(browse.dashboard, kien_nghi_id) == ["Received", "Classified"]
    with second.expect_navigation():
        second.click("#step-classification button[type=submit]")  # redone on the newer state
    assert second.locator("#done").count() == 1
    assert steps(browse.dashboard, kien_nghi_id) == ["Received", "Classified", "Classified"]


@pytest.fixture
def axe_browse(browser: Any, dashboard: Dashboard) -> Iterator[Any]:
    """A context that lets axe-core's script in (the pages' policy allows only our own)."""
    context = browser.new_context(base_url=dashboard.url, locale="vi-VN", bypass_csp=True)
    yield context.new_page()
    context.close()


def test_no_page_has_a_serious_accessibility_violation(
    axe_browse: Any, dashboard: Dashboard, axe_source: str
) -> None:
    page = axe_browse
    kien_nghi_id = received(dashboard)
    found = {}
    page.goto("/dashboard/login")
    found["login"] = serious_violations(page, axe_source)
    page.fill("#token", "token-officer")
    with page.expect_navigation():
        page.click("#login-form button[type=submit]")
    work = f"/dashboard/kien-nghi/{kien_nghi_id}"
    pages = ["/dashboard?province=01", *(f"/dashboard/{slug}?province=01" for slug in AREAS)]
    searches = ["/dashboard/search?q=doi+thoai", "/dashboard/search?q=dan&lang=en&to=2000-01-01"]
    searches.append("/dashboard/search?q=!!!")  # a refused parameter, named on the page
    inbox = "/dashboard/inbox?view=overdue"
    new = [
        f"/dashboard/{kind}/new"
        for kind in ("kien-nghi", "models", "dialogues", "supervisions", "awards")
    ]
    award = written(dashboard.registry_url, "/awards", award_body())
    answering = received(dashboard)
    for step, body in (("acknowledgement", {}), ("assignment", {"agency": "UBND phường"})):
        with httpx.Client(
            base_url=dashboard.dialogue_url, headers={"Authorization": "Bearer token-officer"}
        ) as dialogue:
            assert dialogue.post(f"/kien-nghi/{answering}/{step}", json=body).status_code == 200
    for path in [
        *pages,
        "/dashboard/kien-nghi/overdue?province=01",
        inbox,
        *new,
        *searches,
        work,
        f"{work}?lang=en",
        f"/dashboard/awards/{award}",
        f"/dashboard/kien-nghi/{answering}?template=land-records-check",
    ]:
        page.goto(path)
        page.wait_for_load_state("load")
        if page.locator(".chart").count():
            page.wait_for_selector("body[data-charts-drawn]")
        if path.startswith(work):
            page.click("#step-assignment summary")
        if path == inbox:
            page.click("#new-menu summary")
        found[path] = serious_violations(page, axe_source)
    assert {path: v for path, v in found.items() if v} == {}


def test_every_kind_of_work_page_opens_with_its_steps(browse: Browse) -> None:
    dashboard = browse.dashboard
    records = {
        "kien-nghi": received(dashboard),
        "models": written(dashboard.registry_url, "/models", model_body()),
        "dialogues": written(dashboard.dialogue_url, "/dialogues", dialogue_body()),
        "supervisions": written(dashboard.dialogue_url, "/supervisions", supervision_body()),
    }
    first_step = {
        "kien-nghi": "assignment",
        "models": "recognition",
        "dialogues": "held",
        "supervisions": "findings",
    }
    browse.login("officer")
    for kind, record_id in records.items():
        browse.open(f"/dashboard/{kind}/{record_id}")
        browse.page.click(f"#step-{first_step[kind]} summary")
        assert browse.page.locator("#record-status").count() == 1
        browse.shot(f"work-{kind}")
    browse.page.set_viewport_size({"width": 390, "height": 844})  # a phone
    browse.open(f"/dashboard/kien-nghi/{records['kien-nghi']}")
    browse.page.click("#step-assignment summary")
    width = browse.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width  # nothing wider than the phone's screen
    browse.shot("work-kien-nghi-phone")
    assert not browse.errors
