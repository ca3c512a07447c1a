"""Answer templates: dated data checked when loaded, offered per kiến nghị with its own facts
filled in (GET /kien-nghi/{id}/answer-templates)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from services.dialogue.answer_templates import AnswerTemplates, shipped_templates
from services.dialogue.vocabulary import KienNghiCategory
from tests.conftest import bearer
from tests.dialogue.helpers import created, kien_nghi_body, ok


def test_every_category_has_a_template_of_its_own() -> None:
    templates = shipped_templates().templates
    for category in KienNghiCategory:
        assert [t for t in templates if category in t.categories], category


EXTRA = """
[[templates]]
key = "extra"
categories = ["land"]
title = { vi = "Thêm", en = "Extra" }
text = { vi = "Kính gửi Ông/Bà, {agency}", en = "Dear citizen, {agency}" }
"""


@pytest.mark.parametrize(
    ("line", "mended", "refusal"),
    [
        ("text = ", 'text = { vi = "Kính gửi {citizen_name}", en = "x" }', "unknown placeholders"),
        ("categories = ", 'categories = ["no_such_category"]', "categories"),
        ("key = ", 'key = "land-records-check"', "keys repeat"),
        ("title = ", 'title = { vi = "", en = "Extra" }', "title.vi"),
    ],
)
def test_a_templates_file_that_contradicts_itself_is_refused(
    tmp_path: Path, line: str, mended: str, refusal: str
) -> None:
    shipped = Path("services/dialogue/data/answer_templates.toml").read_text("utf-8")
    extra = "\n".join(mended if x.startswith(line) else x for x in EXTRA.splitlines())
    path = tmp_path / "templates.toml"
    path.write_text(shipped + extra, "utf-8")
    with pytest.raises(ValidationError, match=refusal):
        AnswerTemplates.load(path)
    path.write_text(shipped + EXTRA, "utf-8")
    assert len(AnswerTemplates.load(path).templates) == len(shipped_templates().templates) + 1


def test_a_category_left_without_its_own_template_is_refused(tmp_path: Path) -> None:
    shipped = Path("services/dialogue/data/answer_templates.toml").read_text("utf-8")
    path = tmp_path / "templates.toml"
    path.write_text(shipped.replace('categories = ["other"]', ""), "utf-8")
    with pytest.raises(ValidationError, match="other"):
        AnswerTemplates.load(path)


def test_a_kien_nghi_is_offered_its_categorys_templates_filled_with_its_facts(
    dialogue: TestClient,
) -> None:
    kien_nghi_id = created(
        dialogue, "/kien-nghi", kien_nghi_body(category="urban_order", received_on="2024-05-02")
    )
    before = dialogue.get(f"/kien-nghi/{kien_nghi_id}/answer-templates").json()
    assert before[0]["key"] == "urban-order-enforced"
    assert "mã — nhận ngày 02/05/2024" in before[0]["text"]["vi"]  # no tracking code yet
    assert {t["key"] for t in before} == {
        "urban-order-enforced",
        "received-in-progress",
        "outside-competence",
    }
    ok(dialogue, f"/kien-nghi/{kien_nghi_id}/acknowledgement", {})
    ok(dialogue, f"/kien-nghi/{kien_nghi_id}/assignment", {"agency": "UBND phường Ba Đình"})
    code = dialogue.get(f"/kien-nghi/{kien_nghi_id}").json()["tracking_code"]
    after = dialogue.get(f"/kien-nghi/{kien_nghi_id}/answer-templates").json()
    own = after[0]
    assert f"kiến nghị mã {code} nhận ngày 02/05/2024, UBND phường Ba Đình" in own["text"]["vi"]
    assert f"On kiến nghị {code} received on 02/05/2024, UBND phường Ba Đình" in own["text"]["en"]
    outside = next(t for t in after if t["key"] == "outside-competence")
    assert "(lĩnh vực Trật tự đô thị)" in outside["text"]["vi"]
    assert "(urban order)" in outside["text"]["en"]
    assert all("{" not in t["text"]["vi"] + t["text"]["en"] for t in after)


def test_templates_are_read_as_the_record_is(dialogue: TestClient) -> None:
    kien_nghi_id = created(dialogue, "/kien-nghi", kien_nghi_body())
    elsewhere = dialogue.get(
        f"/kien-nghi/{kien_nghi_id}/answer-templates", headers=bearer("officer_hcm")
    )
    record = dialogue.get(f"/kien-nghi/{kien_nghi_id}", headers=bearer("officer_hcm"))
    assert elsewhere.status_code == record.status_code and elsewhere.status_code in (403, 404)
    missing = dialogue.get("/kien-nghi/00000000-0000-4000-8000-000000000000/answer-templates")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "kien_nghi_not_found"
