"""A kiến nghị's view lists the steps its state allows (`next_steps`): in each state, every step
listed is taken and every step not listed is refused with 409, through the HTTP API."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from services.dialogue.domain.kien_nghi import STEP_ACTIONS
from tests.dialogue.helpers import created, kien_nghi_body, ok

BODIES: dict[str, dict[str, object]] = {
    "acknowledgement": {},
    "classification": {"priority": "urgent"},
    "assignment": {"agency": "UBND phường Trúc Bạch"},
    "transfer": {"agency": "Công an quận Ba Đình", "reason": "Đúng thẩm quyền"},
    "extension-request": {"reason": "Cần khảo sát"},
    "extension-grant": {"reason": "Đồng ý"},
    "extension-refusal": {"reason": "Không đủ căn cứ"},
    "escalation": {"reason": "Quá hạn"},
    "answer": {"answer": "Đã kiểm tra, xử lý"},
    "resolution": {"resolution": "Đã xử lý xong"},
    "declination": {"reason": "Không thuộc thẩm quyền"},
    "reopening": {"reason": "Chưa thỏa đáng"},
}


def received(dialogue: TestClient) -> str:
    return f"/kien-nghi/{created(dialogue, '/kien-nghi', kien_nghi_body())}"


def then(*steps: str) -> Callable[[TestClient], str]:
    def make(dialogue: TestClient) -> str:
        path = received(dialogue)
        for step in steps:
            ok(dialogue, f"{path}/{step}", BODIES[step])
        return path

    return make


STATES = {
    "received": then(),
    "acknowledged and assigned": then("acknowledgement", "assignment"),
    "more time asked": then("assignment", "extension-request"),
    "answered": then("assignment", "answer"),
    "resolved": then("assignment", "resolution"),
    "escalated twice": then("escalation", "escalation"),
}


def body_for(dialogue: TestClient, step: str) -> dict[str, object]:
    if step == "merge":
        return {"master_id": received(dialogue).split("/")[2], "reason": "Trùng nội dung"}
    return BODIES[step]


@pytest.mark.parametrize("state", STATES)
def test_each_step_listed_is_taken_and_each_other_is_refused(
    dialogue: TestClient, state: str
) -> None:
    listed = dialogue.get(STATES[state](dialogue)).json()["next_steps"]
    assert set(listed) <= set(STEP_ACTIONS)
    for step in STEP_ACTIONS:
        path = STATES[state](dialogue)  # a fresh record in that state for each try
        response = dialogue.post(f"{path}/{step}", json=body_for(dialogue, step))
        if step in listed:
            assert response.status_code in (200, 201), (state, step, response.text)
        else:
            assert response.status_code == 409, (state, step, response.text)
