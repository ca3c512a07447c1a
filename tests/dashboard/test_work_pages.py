"""A kiến nghị's work page, without a browser: its forms are the dialogue API's commands, sent
as the signed-in user; the API's refusals show beside the field they name, a conflict shows the
newer state and keeps what was typed, a form sent twice makes one event."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from fastapi.testclient import TestClient

from shared.units import load_catalog
from tests.dashboard.test_session import dashboard_client, signed_in
from tests.dialogue.helpers import (
    created,
    dialogue_body,
    events_of,
    kien_nghi_body,
    ok,
    supervision_body,
)
from tests.helpers import catch_up, register


def feed_of(dialogue: TestClient) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = dialogue.get(
        "/events", headers={"Authorization": "Bearer token-auditor"}
    ).json()["items"]
    return items


def page(client: TestClient, kien_nghi_id: str, **params: str) -> str:
    response = client.get(f"/dashboard/kien-nghi/{kien_nghi_id}", params=params)
    assert response.status_code == 200, response.text
    return response.text


def form_of(html: str, step: str) -> dict[str, str]:
    """The hidden fields of a step's form as shown: its Idempotency-Key and version."""
    section = html[html.index(f'id="step-{step}"') :]
    key = re.search(r'name="_key" value="([0-9a-f]+)"', section)
    version = re.search(r'name="_version" value="([0-9]+)"', section[: section.index("</form>")])
    assert key
    return {"_key": key[1], **({"_version": version[1]} if version else {})}


def steps(dialogue: TestClient, kien_nghi_id: str) -> list[str]:
    return [e["type"].removeprefix("KienNghi.") for e in events_of(dialogue, kien_nghi_id)]


def post(client: TestClient, kien_nghi_id: str, step: str, data: dict[str, Any]) -> Any:
    return client.post(f"/dashboard/kien-nghi/{kien_nghi_id}/{step}", data=data)


def test_the_page_offers_the_steps_the_state_allows_and_records_one_as_the_user(
    aggregator: TestClient, dialogue: TestClient
) -> None:
    kien_nghi_id = created(dialogue, "/kien-nghi", kien_nghi_body())
    officer = signed_in(aggregator, "token-officer")
    html = page(officer, kien_nghi_id)
    for step in ("acknowledgement", "classification", "assignment", "escalation", "merge"):
        assert f'id="step-{step}"' in html
    assert 'id="step-answer"' not in html  # not before it is assigned
    shown = form_of(html, "assignment")
    done = post(officer, kien_nghi_id, "assignment", {**shown, "agency": "UBND phường Trúc Bạch"})
    assert done.status_code == 303 and "done=assignment" in done.headers["location"]
    [assigned] = [e for e in events_of(dialogue, kien_nghi_id) if e["type"].endswith("Assigned")]
    assert assigned["data"]["agency"] == "UBND phường Trúc Bạch"
    assert assigned["data"]["actor"]["id"] == "officer-hanoi"  # the reader's own, not the app's
    after = page(officer, kien_nghi_id, done="assignment")
    assert "Đã ghi nhận: Giao xử lý." in after and 'id="step-answer"' in after


def test_a_refused_field_is_named_beside_it_in_the_apis_words_and_nothing_is_recorded(
    aggregator: TestClient, dialogue: TestClient
) -> None:
    kien_nghi_id = created(dialogue, "/kien-nghi", kien_nghi_body())
    officer = signed_in(aggregator, "token-officer")
    shown = form_of(page(officer, kien_nghi_id), "assignment")
    refused = post(officer, kien_nghi_id, "assignment", {**shown, "due_on": "not a day"})
    assert refused.status_code == 422
    api = dialogue.post(f"/kien-nghi/{kien_nghi_id}/assignment", json={"due_on": "not a day"})
    for detail in api.json()["error"]["details"]:  # each the API names, beside its field
        field = detail["field"]
        assert (
            f'id="assignment-{field}" ' in refused.text
            or f'id="assignment-{field}"' in refused.text
        )
        assert (
            f'<p class="error" id="assignment-{field}-error">{detail["message"]}</p>'
            in refused.text
        )
    assert 'value="not a day"' in refused.text  # what was typed is kept
    assert steps(dialogue, kien_nghi_id) == ["Received"]
    english = officer.post(
        f"/dashboard/kien-nghi/{kien_nghi_id}/assignment?lang=en", data={**shown, "agency": ""}
    )
    message = dialogue.post(
        f"/kien-nghi/{kien_nghi_id}/assignment", json={}, headers={"Accept-Language": "en"}
    ).json()["error"]["details"][0]["message"]
    assert english.status_code == 422 and message in english.text


def test_a_form_sent_twice_makes_one_event(aggregator: TestClient, dialogue: TestClient) -> None:
    kien_nghi_id = created(dialogue, "/kien-nghi", kien_nghi_body())
    officer = signed_in(aggregator, "token-officer")
    shown = form_of(page(officer, kien_nghi_id), "acknowledgement")
    first = post(officer, kien_nghi_id, "acknowledgement", shown)
    second = post(officer, kien_nghi_id, "acknowledgement", shown)
    assert (first.status_code, second.status_code) == (303, 303)
    assert steps(dialogue, kien_nghi_id) == ["Received", "Acknowledged"]


def test_a_conflict_shows_the_newer_state_keeps_what_was_typed_and_can_be_redone(
    aggregator: TestClient, dialogue: TestClient
) -> None:
    kien_nghi_id = created(dialogue, "/kien-nghi", kien_nghi_body())
    clerk = signed_in(aggregator, "token-officer")
    shown = form_of(page(clerk, kien_nghi_id), "classification")
    # meanwhile someone else assigns it
    ok(dialogue, f"/kien-nghi/{kien_nghi_id}/assignment", {"agency": "Công an quận Ba Đình"})
    typed = {**shown, "priority": "urgent"}
    conflict = post(clerk, kien_nghi_id, "classification", typed)
    assert conflict.status_code == 409
    assert 'id="conflict"' in conflict.text
    assert 'id="record-agency">Công an quận Ba Đình<' in conflict.text  # the newer state
    redo = form_of(conflict.text, "classification")
    assert int(redo["_version"]) > int(shown["_version"]) and redo["_key"] != shown["_key"]
    assert '<option value="urgent" selected>' in conflict.text  # what was typed is kept
    assert steps(dialogue, kien_nghi_id) == ["Received", "Assigned"]
    again = post(clerk, kien_nghi_id, "classification", {**redo, "priority": "urgent"})
    assert again.status_code == 303
    assert steps(dialogue, kien_nghi_id) == ["Received", "Assigned", "Classified"]


def test_a_reader_the_api_refuses_is_told_so_and_nothing_is_recorded(
    aggregator: TestClient, dialogue: TestClient
) -> None:
    kien_nghi_id = created(dialogue, "/kien-nghi", kien_nghi_body())
    auditor = signed_in(aggregator, "token-auditor")
    shown = form_of(page(auditor, kien_nghi_id), "acknowledgement")
    refused = post(auditor, kien_nghi_id, "acknowledgement", shown)
    assert refused.status_code == 403 and 'id="refused"' in refused.text
    assert steps(dialogue, kien_nghi_id) == ["Received"]


def test_without_a_session_the_page_sends_to_the_login(aggregator: TestClient) -> None:
    response = dashboard_client(aggregator).get(
        "/dashboard/kien-nghi/00000000-0000-0000-0000-000000000000"
    )
    assert response.status_code == 303 and "/dashboard/login" in response.headers["location"]


def test_a_models_page_offers_its_steps_and_records_them_as_the_user(
    aggregator: TestClient, registry: TestClient
) -> None:
    model_id = register(registry)
    officer = signed_in(aggregator, "token-officer")
    html = officer.get(f"/dashboard/models/{model_id}").text
    for step in ("progress", "recognition", "discontinuation"):
        assert f'id="step-{step}"' in html
    assert 'id="step-commendations"' not in html  # not before it is recognised
    section = html[html.index('id="step-recognition"') :]
    assert '<option value="district">' in section  # the API's levels, in our words
    shown = form_of(html, "recognition")
    done = officer.post(
        f"/dashboard/models/{model_id}/recognition", data={**shown, "level": "district"}
    )
    assert done.status_code == 303
    history = registry.get(f"/models/{model_id}/history").json()["items"]
    assert [i["type"] for i in history] == ["Model.Registered", "Model.Recognised"]
    assert history[-1]["data"]["actor"]["id"] == "officer-hanoi"
    after = officer.get(f"/dashboard/models/{model_id}").text
    assert 'id="step-commendations"' in after and 'id="step-recognition"' not in after


def test_a_models_next_steps_are_those_its_api_takes(registry: TestClient) -> None:
    bodies = {
        "progress": {"summary": "Đã triển khai"},
        "recognition": {"level": "district", "recognised_on": "2024-06-01"},
        "commendations": {"award": "Giấy khen", "level": "district"},
        "replications": {"to_unit_code": "00007", "replicated_on": "2024-06-02"},
        "discontinuation": {"reason": "Hết kinh phí"},
    }

    def in_state(state: str) -> str:
        model_id = register(registry)
        if state != "registered":
            registry.post(f"/models/{model_id}/recognition", json=bodies["recognition"])
        if state == "discontinued":
            registry.post(f"/models/{model_id}/discontinuation", json=bodies["discontinuation"])
        return model_id

    for state in ("registered", "recognised", "discontinued"):
        listed = registry.get(f"/models/{in_state(state)}").json()["next_steps"]
        for step, body in bodies.items():
            response = registry.post(f"/models/{in_state(state)}/{step}", json=body)
            expected = (200, 201) if step in listed else (409,)
            assert response.status_code in expected, (state, step, response.text)


def test_a_dialogue_is_recorded_as_held_from_its_page(
    aggregator: TestClient, dialogue: TestClient
) -> None:
    dialogue_id = created(dialogue, "/dialogues", dialogue_body())
    officer = signed_in(aggregator, "token-officer")
    html = officer.get(f"/dashboard/dialogues/{dialogue_id}").text
    assert 'id="step-held"' in html and 'id="step-cancellation"' in html
    shown = form_of(html, "held")
    refused = officer.post(
        f"/dashboard/dialogues/{dialogue_id}/held", data={**shown, "participants": "nhiều"}
    )
    assert refused.status_code == 422 and 'id="held-participants-error"' in refused.text
    typed = {**shown, "participants": "120", "topics": "Đất đai\nMôi trường", "summary": "Tốt"}
    done = officer.post(f"/dashboard/dialogues/{dialogue_id}/held", data=typed)
    assert done.status_code == 303
    view = dialogue.get(f"/dialogues/{dialogue_id}").json()
    assert (view["status"], view["participants"], view["topics"]) == (
        "held",
        120,
        ["Đất đai", "Môi trường"],
    )
    assert view["next_steps"] == []


def test_a_finding_with_a_recommendation_recorded_from_the_page_opens_its_kien_nghi(
    aggregator: TestClient, dialogue: TestClient
) -> None:
    supervision_id = created(dialogue, "/supervisions", supervision_body())
    officer = signed_in(aggregator, "token-officer")
    html = officer.get(f"/dashboard/supervisions/{supervision_id}").text
    shown = form_of(html, "findings")
    typed = {
        **shown,
        "summary": "Chậm bồi thường giải phóng mặt bằng",
        "violation_signs": "on",
        "recommendation": "Đề nghị UBND quận giải quyết dứt điểm",
        "category": "land",
    }
    assert (
        officer.post(f"/dashboard/supervisions/{supervision_id}/findings", data=typed).status_code
        == 303
    )
    [finding] = dialogue.get(f"/supervisions/{supervision_id}").json()["findings"]
    assert finding["violation_signs"] is True and finding["kien_nghi_id"]
    opened = dialogue.get(f"/kien-nghi/{finding['kien_nghi_id']}").json()
    assert (opened["source"], opened["category"]) == ("supervision_finding", "land")


def test_dialogues_and_supervisions_list_the_steps_their_api_takes(dialogue: TestClient) -> None:
    def tried(
        kind: str, body: dict[str, Any], steps: dict[str, dict[str, Any]], after: str | None
    ) -> None:
        record = created(dialogue, f"/{kind}", body)
        if after:
            ok(dialogue, f"/{kind}/{record}/{after}", steps[after])
        listed = dialogue.get(f"/{kind}/{record}").json()["next_steps"]
        for step, step_body in steps.items():
            fresh = created(dialogue, f"/{kind}", body)
            if after:
                ok(dialogue, f"/{kind}/{fresh}/{after}", steps[after])
            response = dialogue.post(f"/{kind}/{fresh}/{step}", json=step_body)
            expected = (200, 201) if step in listed else (409,)
            assert response.status_code in expected, (kind, after, step, response.text)

    dialogue_steps: dict[str, dict[str, Any]] = {
        "held": {"participants": 50},
        "cancellation": {"reason": "Hoãn"},
    }
    for after in (None, "held", "cancellation"):
        tried("dialogues", dialogue_body(), dialogue_steps, after)
    supervision_steps: dict[str, dict[str, Any]] = {
        "findings": {"summary": "Ổn"},
        "conclusion": {"conclusion": "Xong"},
    }
    for after in (None, "conclusion"):
        tried("supervisions", supervision_body(), supervision_steps, after)


def test_the_kien_nghi_raised_at_a_dialogue_are_received_with_it_in_one_step(
    aggregator: TestClient, dialogue: TestClient
) -> None:
    dialogue_id = created(dialogue, "/dialogues", dialogue_body())
    officer = signed_in(aggregator, "token-officer")
    shown = form_of(officer.get(f"/dashboard/dialogues/{dialogue_id}").text, "held")
    typed = {
        **shown,
        "participants": "80",
        "held_on": "2024-03-01",
        "kien_nghi[0].category": "land",
        "kien_nghi[0].content": "Đề nghị sớm cấp giấy chứng nhận",
        "kien_nghi[1].category": "",  # a row begun and left without its category
        "kien_nghi[1].content": "Đường ngõ 5 xuống cấp",
    }
    refused = officer.post(f"/dashboard/dialogues/{dialogue_id}/held", data=typed)
    assert refused.status_code == 422
    assert 'id="held-kien_nghi-1-category-error"' in refused.text  # beside that row's field
    assert dialogue.get(f"/dialogues/{dialogue_id}").json()["status"] == "scheduled"
    assert [e["type"] for e in feed_of(dialogue)].count("KienNghi.Received") == 0
    redo = form_of(refused.text, "held")
    mended = {**typed, **redo, "kien_nghi[1].category": "infrastructure"}
    assert officer.post(f"/dashboard/dialogues/{dialogue_id}/held", data=mended).status_code == 303
    raised = [e for e in feed_of(dialogue) if e["type"] == "KienNghi.Received"]
    assert [
        (e["data"]["source"], e["data"]["source_id"], e["data"]["received_on"]) for e in raised
    ] == [
        ("dialogue", dialogue_id, "2024-03-01"),
        ("dialogue", dialogue_id, "2024-03-01"),
    ]
    assert [e["data"]["category"] for e in raised] == ["land", "infrastructure"]


def test_an_officer_registers_a_model_from_the_page_and_the_report_counts_it(
    aggregator: TestClient, registry: TestClient
) -> None:
    officer = signed_in(aggregator, "token-officer")
    html = officer.get("/dashboard/models/new").text
    offered = dict(re.findall(r'<option value="(\d+)">([^<]*)</option>', html))
    # today's units (2025): 00004 is now Phường Ba Đình; Trúc Bạch, merged away, is gone
    assert offered["00004"] == "Phường Ba Đình (00004)" and "Trúc Bạch" not in html
    catalog = load_catalog()
    units = [catalog.find(code, date.today()) for code in offered]
    provinces = {unit.province_code if unit else None for unit in units}
    assert provinces == {"01"} and len(offered) > 100  # Hà Nội and its communes, nothing else
    shown = form_of(html, "new")
    typed = {
        **shown,
        "title": "Dân vận khéo trong chỉnh trang đô thị",
        "unit_code": "00004",
        "body": "Hội LHPN phường Ba Đình",
        "sector": "front_and_unions",
        "year": "2026",
    }
    refused = officer.post("/dashboard/models/new", data=typed)  # no field ticked
    assert refused.status_code == 422 and 'id="new-fields-error"' in refused.text
    redo = form_of(refused.text, "new")
    done = officer.post(
        "/dashboard/models/new",
        data={**typed, **redo, "fields": ["urban_improvement", "economy"]},
    )
    assert done.status_code == 303, done.text
    model_id = done.headers["location"].split("/")[3].split("?")[0]
    model = registry.get(f"/models/{model_id}").json()
    assert (model["unit_code"], model["fields"]) == ("00004", ["urban_improvement", "economy"])
    catch_up(aggregator)
    report = aggregator.get(
        "/reports/models", params={"unit": "00004", "structure": "2025", "period": "2026"}
    )
    assert report.json()["total"]["registered"] == 1
