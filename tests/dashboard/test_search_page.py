"""The dashboard's search page: the words found marked, each hit with its kind, status, day and
unit, the reader's scope, pages by the cursor, a refused parameter named on the page, a search
box in every page's header; and in Chromium at a phone's width, nothing wider than the screen."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import bearer
from tests.dashboard.helpers import Browse
from tests.dialogue.helpers import created
from tests.dialogue.helpers import kien_nghi_body as kn_body
from tests.helpers import catch_up, register


def page(aggregator: TestClient, who: str = "auditor", **params: Any) -> Any:
    client = TestClient(aggregator.app, base_url="https://testserver", headers=bearer(who))
    return client.get("/dashboard/search", params=params)


def hit_ids(html: str) -> list[str]:
    return re.findall(r'<li class="hit" id="hit-([0-9a-f-]+)"', html)


def hit_text(html: str, record_id: str) -> str:
    """What a hit says, as read (its tags dropped, its spaces folded)."""
    found = re.search(f'<li class="hit" id="hit-{record_id}".*?</li>', html, re.DOTALL)
    assert found is not None, record_id
    return " ".join(re.sub(r"<[^>]+>", "", found.group()).split())


def test_the_page_lists_the_hits_with_the_words_found_marked(
    registry: TestClient, dialogue: TestClient, aggregator: TestClient
) -> None:
    model_id = register(registry, title="Dân vận khéo ở khu phố", registered_on="2021-03-01")
    kien_nghi_id = created(dialogue, "/kien-nghi", kn_body(content="Dân phản ánh vận chuyển rác"))
    catch_up(aggregator)
    empty = page(aggregator)
    assert empty.status_code == 200 and hit_ids(empty.text) == []
    assert 'role="search"' in empty.text and '<label for="search-q">' in empty.text

    shown = page(aggregator, q="dan van kheo")
    assert shown.status_code == 200
    assert hit_ids(shown.text) == [model_id]
    assert "<mark>Dân</mark> <mark>vận</mark> <mark>khéo</mark> ở khu phố" in shown.text
    said = hit_text(shown.text, model_id)
    assert "Mô hình Dân vận khéo · Đang thực hiện · 01/03/2021 · Phường Trúc Bạch" in said
    assert '<time datetime="2021-03-01">' in shown.text
    assert "/dashboard/models?unit=00004&amp;period=2021" in shown.text
    assert '<small id="search-total">1 kết quả</small>' in shown.text
    english = page(aggregator, q="dan", kind="kien_nghi", lang="en")
    assert hit_ids(english.text) == [kien_nghi_id] and "1 found" in english.text
    assert "Kiến nghị · Received ·" in hit_text(english.text, kien_nghi_id)
    assert (
        f'<a href="/dashboard/kien-nghi/{kien_nghi_id}?lang=en">' in english.text
    )  # its work page


def test_an_officer_finds_only_its_units_on_the_page(
    registry: TestClient, aggregator: TestClient
) -> None:
    hanoi = register(registry, title="Tổ tự quản ven sông", unit_code="00004")
    haiphong = created(
        registry,
        "/models",
        {**_model(), "title": "Tổ tự quản ven sông", "unit_code": "11296"},
        headers=bearer("admin"),
    )
    catch_up(aggregator)
    assert set(hit_ids(page(aggregator, "auditor", q="tu quan ven song").text)) == {hanoi, haiphong}
    assert hit_ids(page(aggregator, "officer", q="tu quan ven song").text) == [hanoi]


def test_pages_go_on_by_the_cursor_and_back_to_the_first(
    dialogue: TestClient, aggregator: TestClient
) -> None:
    made = {
        created(dialogue, "/kien-nghi", kn_body(content=f"Cống thoát nước số {n}"))
        for n in range(3)
    }
    catch_up(aggregator)
    first = page(aggregator, q="cong thoat nuoc", limit=2)
    following = re.search(r'<a href="([^"]+)" id="search-next" rel="next">', first.text)
    assert following is not None and len(hit_ids(first.text)) == 2
    client = TestClient(aggregator.app, base_url="https://testserver", headers=bearer("auditor"))
    second = client.get(following.group(1).replace("&amp;", "&"))
    assert set(hit_ids(first.text) + hit_ids(second.text)) == made
    assert 'id="search-first"' in second.text and 'id="search-next"' not in second.text


def test_a_refused_parameter_is_named_on_the_page(aggregator: TestClient) -> None:
    backwards = page(aggregator, q="dan", **{"from": "2024-05-02", "to": "2024-05-01"})
    assert backwards.status_code == 422
    assert re.search(
        r'<p class="error" role="alert" id="search-error">[^<]+\(from\)', backwards.text
    )
    nothing = page(aggregator, q="!!!")
    assert nothing.status_code == 422 and "Cần ít nhất một chữ hoặc số để tìm. (q)" in nothing.text
    wrong = page(aggregator, q="dan", province="Hà Nội")
    assert wrong.status_code == 422 and "(province)" in wrong.text
    assert 'id="search-province" name="province" value="Hà Nội"' in wrong.text


def test_every_page_has_a_search_box_in_its_header(aggregator: TestClient) -> None:
    client = TestClient(aggregator.app, base_url="https://testserver", headers=bearer("auditor"))
    overview = client.get("/dashboard", params={"province": "01", "period": "2023"})
    assert overview.status_code == 200
    assert '<form class="search-box" method="get" action="/dashboard/search" role="search">' in (
        overview.text
    )
    assert '<label for="header-q" class="visually-hidden">Tìm kiếm</label>' in overview.text


def _model() -> dict[str, Any]:
    from testkit.records import model_body

    return model_body()


@pytest.mark.e2e
def test_the_search_page_fits_a_phone_and_is_labelled(browse: Browse) -> None:
    browse.login("auditor")
    browse.page.set_viewport_size({"width": 375, "height": 812})
    browse.open("/dashboard/search?q=doi+thoai&province=31")
    hits = browse.page.locator("li.hit")
    assert hits.count() == 20
    assert browse.text("#search-total").endswith("kết quả")
    width = browse.page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], width  # nothing wider than the screen
    for label in ("Từ khóa", "Loại hồ sơ", "Trạng thái", "Từ ngày", "Đến ngày"):
        assert browse.page.get_by_label(label, exact=True).count() == 1, label
    assert browse.page.get_by_role("search").count() == 2  # the page's form, the header's box
    assert browse.page.get_by_role("main").count() == 1
    browse.shot("search-phone")
    browse.click("#search-next")
    assert browse.page.locator("li.hit").count() > 0
    header = browse.page.get_by_role("searchbox", name="Tìm kiếm", exact=True)
    header.fill("dan van kheo")
    with browse.page.expect_navigation():
        header.press("Enter")
    assert browse.query()["q"] == "dan van kheo"
    browse.shot("search-phone-header")
    assert browse.errors == []
