"""What helps a form be filled right: the unit picker offers the units in force on the record's
own date, a kiến nghị's answer starts from its category's templates, every page links to every
kind of record to make, and an award is conferred from its own page."""

from __future__ import annotations

import re
from datetime import date

from fastapi.testclient import TestClient

from shared.units import load_catalog
from tests.dashboard.test_session import dashboard_client, signed_in
from tests.dashboard.test_work_pages import form_of, page, post
from tests.dialogue.helpers import created, kien_nghi_body, ok


def offered(html: str, step: str) -> dict[str, str]:
    """The units the datalist of a step's form offers: code → label."""
    listed = re.search(rf'<datalist id="units-{step}">(.*?)</datalist>', html, re.S)
    assert listed, f"no unit list in the {step} form"
    return dict(re.findall(r'<option value="(\d+)">([^<]*)</option>', listed[1]))


def test_the_unit_picker_offers_the_units_of_the_records_date(aggregator: TestClient) -> None:
    officer = signed_in(aggregator, "token-officer")
    before = dict(officer.get("/dashboard/units", params={"on": "2024-05-02"}).json())
    after = dict(officer.get("/dashboard/units", params={"on": "2026-01-05"}).json())
    # 00004 was Phường Trúc Bạch of quận Ba Đình (001) until 1 July 2025, then Phường Ba Đình
    assert before["00004"] == "Phường Trúc Bạch (00004)" and "001" in before
    assert after["00004"] == "Phường Ba Đình (00004)" and "001" not in after
    catalog = load_catalog()
    for day, units in ((date(2024, 5, 2), before), (date(2026, 1, 5), after)):
        found = [catalog.find(code, day) for code in units]
        assert {u.province_code if u else None for u in found} == {"01"}  # Hà Nội's only
    today = officer.get("/dashboard/units").json()
    assert officer.get("/dashboard/units", params={"on": "not a day"}).json() == today
    assert dict(today)["00004"] == "Phường Ba Đình (00004)"
    shown = offered(officer.get("/dashboard/kien-nghi/new").text, "new")
    assert shown["00004"] == "Phường Ba Đình (00004)"  # until a date is typed: today's
    typed = {**form_of(officer.get("/dashboard/kien-nghi/new").text, "new")}
    typed |= {"received_on": "2024-05-02", "unit_code": "00004", "content": ""}
    refused = officer.post("/dashboard/kien-nghi/new", data=typed)
    assert refused.status_code == 422
    again = offered(refused.text, "new")
    assert again["00004"] == "Phường Trúc Bạch (00004)" and "001" in again
    assert 'data-record-date="units-new"' in refused.text and 'list="units-new"' in refused.text


def test_units_of_a_day_are_for_the_signed_in_only(aggregator: TestClient) -> None:
    anonymous = dashboard_client(aggregator).get("/dashboard/units")
    assert anonymous.status_code in (302, 303, 401), anonymous.text
    assert "00004" not in anonymous.text


def test_an_answer_starts_from_its_categorys_template_filled_from_the_record(
    aggregator: TestClient, dialogue: TestClient
) -> None:
    kien_nghi_id = created(
        dialogue, "/kien-nghi", kien_nghi_body(category="environment", received_on="2024-05-02")
    )
    ok(dialogue, f"/kien-nghi/{kien_nghi_id}/acknowledgement", {})
    ok(dialogue, f"/kien-nghi/{kien_nghi_id}/assignment", {"agency": "Phòng TN&MT quận Ba Đình"})
    code = dialogue.get(f"/kien-nghi/{kien_nghi_id}").json()["tracking_code"]
    officer = signed_in(aggregator, "token-officer")
    html = page(officer, kien_nghi_id)
    links = re.findall(r'<a href="([^"]*template=([a-z-]+)[^"]*)"', html)
    assert next(key for _, key in links) == "environment-inspection"  # its category's first
    assert "land-records-check" not in html  # another category's is not offered
    chosen = page(officer, kien_nghi_id, template="environment-inspection")
    answer = re.search(
        r'<textarea id="answer-answer" name="answer"[^>]*>(.*?)</textarea>', chosen, re.S
    )
    assert answer and f"kiến nghị mã {code}" in answer[1]
    assert "Phòng TN&amp;MT quận Ba Đình" in answer[1] and "{" not in answer[1]
    assert 'id="step-answer" open' in chosen
    english = page(officer, kien_nghi_id, template="environment-inspection", lang="en")
    assert f"On kiến nghị {code}" in english
    sent = post(
        officer, kien_nghi_id, "answer", {**form_of(chosen, "answer"), "answer": "Đã xử lý."}
    )
    assert sent.status_code == 303
    assert dialogue.get(f"/kien-nghi/{kien_nghi_id}").json()["status"] == "answered"


def test_every_page_links_to_every_kind_of_record_to_make(aggregator: TestClient) -> None:
    officer = signed_in(aggregator, "token-officer")
    for path in ("/dashboard", "/dashboard/inbox", "/dashboard/models/new"):
        shown = officer.get(path, follow_redirects=True)
        assert shown.status_code == 200
        html = shown.text
        menu = html[html.index('id="new-menu"') :]
        for kind in ("models", "dialogues", "supervisions", "kien-nghi", "awards"):
            assert f'href="/dashboard/{kind}/new"' in menu
        menu_en = officer.get(path, params={"lang": "en"}, follow_redirects=True).text
        assert 'href="/dashboard/awards/new?lang=en"' in menu_en


def test_an_award_is_conferred_from_its_page_and_shown_with_its_timeline(
    aggregator: TestClient, registry: TestClient
) -> None:
    officer = signed_in(aggregator, "token-officer")
    html = officer.get("/dashboard/awards/new").text
    for name in ("award", "recipient_kind", "recipient", "unit_code", "conferred_by"):
        assert f'name="{name}"' in html
    typed = {
        **form_of(html, "new"),
        "award": "certificate_of_merit",
        "recipient_kind": "collective",
        "unit_code": "00004",
        "conferred_by": "province",
        "conferred_on": "2026-03-01",
    }
    refused = officer.post("/dashboard/awards/new", data=typed)  # no recipient named
    assert refused.status_code == 422 and 'id="new-recipient-error"' in refused.text
    done = officer.post(
        "/dashboard/awards/new",
        data={**typed, **form_of(refused.text, "new"), "recipient": "Hội LHPN phường Ba Đình"},
    )
    assert done.status_code == 303, done.text
    award_id = done.headers["location"].split("/")[3].split("?")[0]
    assert registry.get(f"/awards/{award_id}").json()["recipient"] == "Hội LHPN phường Ba Đình"
    shown = officer.get(done.headers["location"]).text
    assert "Bằng khen" in shown and "Hội LHPN phường Ba Đình" in shown
    timeline = shown[shown.index('id="timeline"') :]
    assert "<b>Khen thưởng</b>" in timeline
    assert "Không còn bước nào" in shown  # conferred once: a correction is a new record
