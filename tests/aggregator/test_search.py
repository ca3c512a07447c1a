"""GET /search finds any record by its words, whatever their diacritics and case, within the
reader's scope, filtered and a page at a time; on SQLite (FTS5) and PostgreSQL (tsvector)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.aggregator.main import create_app
from services.aggregator.rebuild import rebuild
from services.aggregator.stores import store_feeds
from services.store_names import APPLICATION_NAMES
from shared.settings import Settings
from testkit.read_models import fresh_read_store, read_model_rows
from testkit.tokens import issue_test_tokens
from tests.conftest import bearer
from tests.dialogue.helpers import created, dialogue_body, ok, supervision_body
from tests.dialogue.helpers import kien_nghi_body as kn_body
from tests.helpers import catch_up, register

ADMIN = bearer("admin")
AUDITOR = bearer("auditor")
OFFICER_HANOI = bearer("officer")
OFFICER_BADINH = bearer("officer_badinh")
HAIPHONG_WARD = "11296"  # Phường Quán Toan, Hồng Bàng, Hải Phòng (before July 2025)


def search(aggregator: TestClient, headers: dict[str, str] = AUDITOR, /, **params: Any) -> Any:
    response = aggregator.get("/search", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def ids(aggregator: TestClient, headers: dict[str, str] = AUDITOR, /, **params: Any) -> set[str]:
    return {hit["id"] for hit in search(aggregator, headers, limit=100, **params)["items"]}


@pytest.fixture(scope="module")
def seeded(
    module_registry: TestClient, module_dialogue: TestClient, module_aggregator: TestClient
) -> dict[str, str]:
    """Records of every kind in Hà Nội, a few in Hải Phòng; the aggregator caught up."""
    registry, dialogue = module_registry, module_dialogue
    records = {
        "kheo": register(
            registry,
            title="Dân vận khéo trong giải phóng mặt bằng",
            description="Vận động các hộ bàn giao mặt bằng đúng hạn",
            unit_code="00004",
            registered_on="2021-03-01",
            year=2021,
        ),
        # written without diacritics: found by the words written with them too
        "plain": register(
            registry,
            title="Dan van kheo o khu tap the",
            description="Sua nha van hoa",
            unit_code="00006",
            registered_on="2023-01-10",
            year=2023,
        ),
        "haiphong": created(
            registry,
            "/models",
            model_body_of(HAIPHONG_WARD, "Dân vận khéo: tuyến phố văn minh"),
            headers=ADMIN,
        ),
        "dialogue": created(
            dialogue,
            "/dialogues",
            dialogue_body(title="Đối thoại về chợ dân sinh", topics=["di dời chợ tạm"]),
        ),
        "criticism": created(
            dialogue,
            "/supervisions",
            supervision_body(
                unit_code="001",
                body="mttq",
                kind="social_criticism",
                subject="Dự thảo quy hoạch phân khu",
                title="Hội nghị phản biện xã hội",
            ),
        ),
        "dan": created(
            dialogue,
            "/kien-nghi",
            kn_body(content="Sửa đường lên Đàn Xã Tắc trước lễ Phật Đản"),
        ),
        "coded": created(dialogue, "/kien-nghi", kn_body(content="Đèn đường hỏng ở ngõ 5")),
    }
    acknowledged = ok(
        dialogue,
        f"/kien-nghi/{records['coded']}/acknowledgement",
        {"acknowledged_at": "2024-05-03T09:30:00+07:00"},
    )
    records["tracking_code"] = acknowledged["tracking_code"]
    for n in range(7):  # a page's worth and more of one word
        records[f"light-{n}"] = created(
            dialogue,
            "/kien-nghi",
            kn_body(content=f"Chiếu sáng công cộng hỏng ở tổ {n}", received_on=f"2024-05-0{n + 1}"),
        )
    catch_up(module_aggregator)
    return records


def model_body_of(unit_code: str, title: str) -> dict[str, Any]:
    from testkit.records import model_body

    return model_body(unit_code=unit_code, title=title, description="Mô hình của phường")


# folding: diacritics, case, đ


def test_dan_van_kheo_finds_dan_van_kheo_and_back(
    module_aggregator: TestClient, seeded: dict[str, str]
) -> None:
    written = {seeded["kheo"], seeded["plain"], seeded["haiphong"]}
    for query in ("dan van kheo", "Dân vận khéo", "DÂN VẬN KHÉO", "dÂn VậN kHéO"):
        assert ids(module_aggregator, q=query, kind="model") == written, query


def test_d_with_a_stroke_is_found_as_d_and_the_other_way(
    module_aggregator: TestClient, seeded: dict[str, str]
) -> None:
    for query in ("dan xa tac", "Đàn Xã Tắc", "ĐÀN XÃ TẮC", "đàn xã tắc", "phat dan", "Phật đản"):
        assert ids(module_aggregator, q=query) == {seeded["dan"]}, query


def test_a_word_with_a_star_may_start_one_and_a_quoted_phrase_must_stand_whole(
    module_aggregator: TestClient, seeded: dict[str, str]
) -> None:
    assert seeded["kheo"] in ids(module_aggregator, q="giải phóng mặt bằ*")
    assert seeded["kheo"] in ids(module_aggregator, q='"mặt bằ"*')
    assert seeded["kheo"] in ids(module_aggregator, q="dân vận khé*")
    assert seeded["kheo"] not in ids(module_aggregator, q="dân vận khé")  # a word of its own
    assert ids(module_aggregator, q='"mặt bằng giải phóng"') == set()
    assert seeded["kheo"] in ids(module_aggregator, q='"giải phóng mặt bằng"')


def test_a_tracking_code_finds_its_kien_nghi(
    module_aggregator: TestClient, seeded: dict[str, str]
) -> None:
    code = seeded["tracking_code"]
    found = search(module_aggregator, q=code)
    assert [hit["id"] for hit in found["items"]] == [seeded["coded"]]
    hit = found["items"][0]
    assert (hit["tracking_code"], hit["kind"], hit["path"], hit["page"]) == (
        code,
        "kien_nghi",
        f"/kien-nghi/{seeded['coded']}",
        f"/dashboard/kien-nghi/{seeded['coded']}",
    )


def test_a_hit_says_what_and_where_and_links_its_record(
    module_aggregator: TestClient, seeded: dict[str, str]
) -> None:
    hits = search(module_aggregator, q="phản biện xã hội")["items"]
    assert [hit["id"] for hit in hits] == [seeded["criticism"]]
    assert hits[0] == {
        "kind": "supervision",
        "id": seeded["criticism"],
        "title": "Hội nghị phản biện xã hội",
        "snippet": "Dự thảo quy hoạch phân khu",
        "status": "open",
        "date": "2024-04-01",
        "tracking_code": None,
        "unit": {"code": "001", "name": "Quận Ba Đình", "structure": "legacy"},
        "service": "dialogue",
        "path": f"/supervisions/{seeded['criticism']}",
        "page": None,
    }


def test_records_are_found_by_their_units_names(
    module_aggregator: TestClient, seeded: dict[str, str]
) -> None:
    assert ids(module_aggregator, q="Quán Toan") == {seeded["haiphong"]}
    assert seeded["kheo"] in ids(module_aggregator, q="truc bach")
    # a commune is found by the 2025 commune it rolled onto: Trúc Bạch → Phường Ba Đình
    assert seeded["kheo"] in ids(module_aggregator, q="phường ba đình", kind="model")


# scope and filters


def test_an_officer_of_ha_noi_never_finds_hai_phongs_records(
    module_aggregator: TestClient, seeded: dict[str, str]
) -> None:
    everyone = search(module_aggregator, AUDITOR, q="dan van kheo")
    hanoi = search(module_aggregator, OFFICER_HANOI, q="dan van kheo")
    assert everyone["total"] == 3 and hanoi["total"] == 2
    assert seeded["haiphong"] not in {hit["id"] for hit in hanoi["items"]}
    assert search(module_aggregator, OFFICER_HANOI, q="Quán Toan")["total"] == 0
    assert search(module_aggregator, OFFICER_HANOI, q="dan van", province="31")["total"] == 0


def test_an_officer_of_a_district_finds_that_districts_records_only(
    module_aggregator: TestClient, seeded: dict[str, str]
) -> None:
    found = ids(module_aggregator, OFFICER_BADINH, q="dan van kheo")
    assert found == {seeded["kheo"], seeded["plain"]}  # both in Ba Đình's wards


def test_filters_by_kind_unit_province_day_and_status(
    module_aggregator: TestClient, seeded: dict[str, str]
) -> None:
    kheo, plain, haiphong = seeded["kheo"], seeded["plain"], seeded["haiphong"]
    assert ids(module_aggregator, q="dan van kheo", province="31") == {haiphong}
    assert ids(module_aggregator, q="dan van kheo", unit="00004") == {kheo}
    assert ids(module_aggregator, q="dan van kheo", unit="001") == {kheo, plain}
    assert ids(module_aggregator, q="cho dan sinh", kind="dialogue") == {seeded["dialogue"]}
    assert ids(module_aggregator, q="cho dan sinh", kind="model") == set()
    assert ids(
        module_aggregator, q="dan van kheo", **{"from": "2023-01-01", "to": "2023-12-31"}
    ) == {plain}
    every_day = {"from": "0001-01-01", "to": "9999-12-31"}
    assert ids(module_aggregator, q="dan van kheo", **every_day) == {kheo, plain, haiphong}
    assert ids(module_aggregator, q="den duong", status="received") == {seeded["coded"]}
    assert ids(module_aggregator, q="den duong", status="assigned") == set()
    kinds = {"kind": ["dialogue", "supervision"]}
    assert ids(module_aggregator, q="quy hoach", **kinds) == {seeded["criticism"]}
    assert ids(module_aggregator, q="quy hoach", kind="kien_nghi") == set()


def test_pages_hold_every_hit_once(module_aggregator: TestClient, seeded: dict[str, str]) -> None:
    lights = {seeded[f"light-{n}"] for n in range(7)}
    seen: list[str] = []
    cursor = None
    for _ in range(5):
        params = {"q": "chieu sang", "limit": 3, **({"cursor": cursor} if cursor else {})}
        page = search(module_aggregator, **params)
        assert page["total"] == 7
        seen += [hit["id"] for hit in page["items"]]
        cursor = page["next"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(lights)  # each once
    # equally good matches: newest first
    dates = [search(module_aggregator, q="chieu sang", limit=7)["items"][i]["date"] for i in (0, 6)]
    assert dates == ["2024-05-07", "2024-05-01"]


# who may search, and bad input


def test_citizens_may_not_search(module_aggregator: TestClient, seeded: dict[str, str]) -> None:
    answer = module_aggregator.get("/search", params={"q": "dan"}, headers=bearer("citizen"))
    assert answer.status_code == 403


@pytest.mark.parametrize(
    ("params", "field", "code"),
    [
        ({}, "q", "missing"),
        ({"q": ""}, "q", "string_too_short"),
        ({"q": "!!! ..."}, "q", "search_words_missing"),
        ({"q": "dan", "limit": 0}, "limit", "greater_than_equal"),
        ({"q": "dan", "limit": 101}, "limit", "less_than_equal"),
        ({"q": "dan", "kind": "award"}, "kind", "literal_error"),
        ({"q": "dan", "unit": "abc"}, "unit", "string_pattern_mismatch"),
        ({"q": "dan", "from": "2024-02-30"}, "from", None),
        ({"q": "dan", "from": "2024-05-02", "to": "2024-05-01"}, "from", "period_invalid"),
        ({"q": "dan", "cursor": "bm9uc2Vuc2U"}, "cursor", "search_cursor_invalid"),
    ],
)
def test_bad_parameters_are_refused_naming_them(
    module_aggregator: TestClient, params: dict[str, Any], field: str, code: str | None
) -> None:
    answer = module_aggregator.get("/search", params=params, headers=AUDITOR)
    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert error["field"].partition("[")[0] == field, error  # kind[0]: the list's first
    if code is not None:
        assert code in {error["code"], *(d["code"] for d in error.get("details") or [])}, error


# a record changed later, personal data, a rebuild


def test_a_changed_record_is_found_by_its_new_words_not_its_old(
    dialogue: TestClient, aggregator: TestClient
) -> None:
    dialogue_id = created(
        dialogue, "/dialogues", dialogue_body(topics=["cầu phao Long Tửu"], title="Đối thoại")
    )
    kien_nghi_id = created(dialogue, "/kien-nghi", kn_body(content="Rác thải ở bãi sông"))
    assignment = {"agency": "UBND phường Phúc Xá", "assigned_on": "2024-05-03"}
    ok(dialogue, f"/kien-nghi/{kien_nghi_id}/assignment", assignment)
    catch_up(aggregator)
    assert ids(aggregator, q="cau phao") == {dialogue_id}
    assert ids(aggregator, q="phuc xa") == {kien_nghi_id}

    held = {"held_on": "2024-03-05", "participants": 80, "topics": ["bến xe"], "summary": "Xong"}
    ok(dialogue, f"/dialogues/{dialogue_id}/held", held)
    transfer = {"agency": "Sở Tài nguyên", "reason": "Thẩm quyền", "transferred_on": "2024-05-06"}
    ok(dialogue, f"/kien-nghi/{kien_nghi_id}/transfer", transfer)
    catch_up(aggregator)
    assert ids(aggregator, q="cau phao") == set()
    assert ids(aggregator, q="ben xe") == {dialogue_id}
    [hit] = search(aggregator, q="ben xe")["items"]
    assert (hit["status"], hit["date"]) == ("held", "2024-03-05")  # scheduled for 1 March
    day = {"from": "2024-03-05", "to": "2024-03-05"}
    assert ids(aggregator, q="ben xe", **day) == {dialogue_id}
    assert ids(aggregator, q="ben xe", to="2024-03-04") == set()
    assert ids(aggregator, q="phuc xa") == set()
    assert ids(aggregator, q="so tai nguyen") == {kien_nghi_id}


def test_nothing_a_citizen_gave_of_themselves_is_searched_or_shown(
    dialogue: TestClient, aggregator: TestClient
) -> None:
    from tests.citizens.test_app_journey import CONTACT, submit

    submitted = submit(dialogue, content="Cây đổ chắn lối đi")
    path = f"/kien-nghi/{submitted['id']}"
    ok(dialogue, f"{path}/assignment", {"agency": "UBND phường Ba Đình"})
    ok(dialogue, f"{path}/resolution", {"resolution": "Đã dọn"})
    reason = {"reason": "Vẫn còn cành cây gãy"}
    ok(dialogue, f"/app{path}/reopening", reason, headers=bearer("citizen"))
    catch_up(aggregator)
    hits = search(aggregator, q="cay do")["items"]
    assert [hit["id"] for hit in hits] == [submitted["id"]]
    assert not {"citizen", "personal", "contact"} & set(hits[0])
    for words in (CONTACT["name"], CONTACT["phone"], "hoa@example.vn", "canh cay gay"):
        assert search(aggregator, q=words)["total"] == 0, words


def test_a_rebuild_keeps_search_finding_the_same(
    settings: Settings, registry: TestClient, dialogue: TestClient, aggregator: TestClient
) -> None:
    model_id = register(registry, title="Dân vận khéo với đồng bào")
    kien_nghi_id = created(dialogue, "/kien-nghi", kn_body(content="Đồng bào cần nước sạch"))
    ok(dialogue, f"/kien-nghi/{kien_nghi_id}/acknowledgement", {})
    dialogue_id = created(dialogue, "/dialogues", dialogue_body(title="Đối thoại với đồng bào"))
    held = {"held_on": "2024-03-08", "participants": 50, "summary": "Đồng bào góp ý"}
    ok(dialogue, f"/dialogues/{dialogue_id}/held", held)
    catch_up(aggregator)
    live = search(aggregator, q="dong bao")
    assert {hit["id"] for hit in live["items"]} == {model_id, kien_nghi_id, dialogue_id}
    code = next(hit["tracking_code"] for hit in live["items"] if hit["tracking_code"])

    with fresh_read_store(settings) as fresh:
        issue_test_tokens(fresh)
        stores = store_feeds(settings, APPLICATION_NAMES)
        try:
            rebuild(fresh, stores, progress=False)
        finally:
            for store in stores.values():
                store.close()
        feeds = {
            "registry": TestClient(registry.app, headers=AUDITOR),
            "dialogue": TestClient(dialogue.app, headers=AUDITOR),
        }
        with TestClient(create_app(fresh, feeds), headers=AUDITOR) as rebuilt:
            assert search(rebuilt, q="dong bao") == live
            assert ids(rebuilt, q=code) == {kien_nghi_id}
            held_day = {"from": "2024-03-08", "to": "2024-03-08"}
            assert ids(rebuilt, q="dong bao", **held_day) == {dialogue_id}
            assert (
                read_model_rows(fresh)["search_entry"] == read_model_rows(settings)["search_entry"]
            )
            # and the rebuilt index goes on following: what comes next is found
            later = created(dialogue, "/kien-nghi", kn_body(content="Đồng bào xin làm cầu"))
            catch_up(rebuilt)
            assert ids(rebuilt, q="dong bao lam cau") == {later}
