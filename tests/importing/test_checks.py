"""A file with problems in several rows and columns: every problem is answered at its sheet, row
and column, with the message the API itself gives for the same value (in Vietnamese or
English), and nothing is written, not even the rows that passed."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.dialogue.vocabulary import (
    DIALOGUE_KIND_NAMES_VI,
    HOST_BODY_NAMES_VI,
    KIEN_NGHI_CATEGORY_NAMES_VI,
    KIEN_NGHI_SOURCE_NAMES_VI,
    DialogueKind,
    HostBody,
)
from testkit.records import model_body
from tests.importing.helpers import download_template, filled, heads, refusal, upload

KIEN_NGHI_JSON = {  # the first row as the API takes it
    "source": "citizen_reception",
    "unit_code": "00004",
    "category": "land",
    "content": "Tranh chấp ranh giới đất",
    "received_on": "2024-05-02",
}
GOOD = ["Tiếp dân", None, "00004", "Đất đai", "Tranh chấp ranh giới đất", "2024-05-02"]


def kien_nghi(**changes: Any) -> list[Any]:
    """A row of the kiến nghị sheet, some cells changed (by the JSON field they fill)."""
    order = ["source", "source_id", "unit_code", "category", "content", "received_on"]
    row = list(GOOD)
    for field, value in changes.items():
        row[order.index(field)] = value
    return row


def without(field: str) -> dict[str, Any]:
    return {k: v for k, v in KIEN_NGHI_JSON.items() if k != field}


def unit(code: str) -> dict[str, Any]:
    return {**KIEN_NGHI_JSON, "unit_code": code}


# each bad row: its cells, the same record as JSON (None: no API twin), and the problems
# expected as (column, code, the field whose API message it must carry)
KIEN_NGHI_ROWS: list[tuple[list[Any], dict[str, Any] | None, set[tuple[str, str, str | None]]]] = [
    (GOOD, None, set()),
    (
        kien_nghi(content=None, received_on="2024-13-01"),
        {**without("content"), "received_on": "2024-13-01"},  # an empty cell: no field
        {("E", "missing", "content"), ("F", "date_from_datetime_parsing", "received_on")},
    ),
    (
        kien_nghi(category="Đất đaii"),  # a name not in the list
        None,
        {("D", "value_not_in_list", None)},
    ),
    (kien_nghi(unit_code="79"), unit("79"), {("C", "forbidden_unit", "unit_code")}),
    (kien_nghi(unit_code="99999"), unit("99999"), {("C", "unit_unknown", "unit_code")}),
    (kien_nghi(unit_code="0004"), unit("0004"), {("C", "string_pattern_mismatch", "unit_code")}),
    (kien_nghi(unit_code="Phường 1"), None, {("C", "unit_name_ambiguous", None)}),
    (kien_nghi(unit_code="Phường Không Có"), None, {("C", "unit_name_unknown", None)}),
]  # fmt: skip
MODEL_ROWS: list[tuple[list[Any], dict[str, Any] | None, set[tuple[str, str, str | None]]]] = [
    (
        ["T" * 301, None, "00004", "Hội LHPN", "MTTQ và các đoàn thể", "Kinh tế", None, None,
         "hai nghìn", "2021-03-01"],
        model_body(title="T" * 301, year="hai nghìn", description="", fields=["economy"]),
        {("A", "string_too_long", "title"), ("I", "int_parsing", "year")},
    ),
    (
        ["Mô hình", None, "00004", "Hội LHPN", "MTTQ và các đoàn thể", "Kinh tế", "Sản xuất",
         None, 2021, "2021-03-01"],
        None,
        {("G", "value_not_in_list", None)},  # the second field's cell, Lĩnh vực 2
    ),
    (
        ["Mô hình", None, "00004", "Hội LHPN", "MTTQ và các đoàn thể", None, None, None, 2008,
         "2021-03-01"],
        {k: v for k, v in model_body(title="Mô hình", year=2008).items() if k != "fields"},
        {("F", "missing", "fields"), ("I", "greater_than_equal", "year")},
    ),
]  # fmt: skip


DIALOGUE_JSON = {
    "unit_code": "001",
    "host_body": "party_committee",
    "host_title": "Bí thư Quận ủy",
    "kind": "thematic",
    "title": "Đối thoại về giải phóng mặt bằng",
    "scheduled_on": "2024-03-01",
}
DIALOGUE = ["001", HOST_BODY_NAMES_VI[HostBody.PARTY_COMMITTEE], "Bí thư Quận ủy",
            DIALOGUE_KIND_NAMES_VI[DialogueKind.THEMATIC], "Đối thoại về giải phóng mặt bằng",
            None, "2024-03-01"]  # fmt: skip
DIALOGUE_ROWS: list[tuple[list[Any], dict[str, Any] | None, set[tuple[str, str, str | None]]]] = [
    (  # held, but nobody counted
        [*DIALOGUE, "02/03/2024", None, "Tiếp thu 5 ý kiến"],
        {**DIALOGUE_JSON, "held": {"held_on": "2024-03-02", "summary": "Tiếp thu 5 ý kiến"}},
        {("I", "missing", "held.participants")},
    ),
    (
        [*DIALOGUE, None, "trăm người"],
        {**DIALOGUE_JSON, "held": {"participants": "trăm người"}},
        {("I", "int_parsing", "held.participants")},
    ),
]  # fmt: skip


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_problem_is_told_by_row_and_column_and_nothing_is_written(
    aggregator: TestClient, registry: TestClient, dialogue: TestClient, lang: str
) -> None:
    template = download_template(aggregator, "all")
    workbook = filled(
        template,
        {
            "Kiến nghị": [cells for cells, _, _ in KIEN_NGHI_ROWS],
            "Mô hình": [cells for cells, _, _ in MODEL_ROWS],
            "Đối thoại": [cells for cells, _, _ in DIALOGUE_ROWS],
        },
    )
    before = heads(registry, dialogue)

    status = upload(aggregator, workbook, lang=lang)

    assert status.progress.phase == "refused"
    assert (status.progress.written, status.progress.records) == (0, [])
    found = {(p.sheet, p.row, p.column, p.code): p for p in status.progress.problems}
    expected = set()
    for sheet, rows, client, path in (
        ("Kiến nghị", KIEN_NGHI_ROWS, dialogue, "/kien-nghi"),
        ("Mô hình", MODEL_ROWS, registry, "/models"),
        ("Đối thoại", DIALOGUE_ROWS, dialogue, "/dialogues"),
    ):
        for number, (_, body, problems) in enumerate(rows, start=3):
            answered = refusal(client, path, body, lang) if body is not None else {}
            for column, code, field in problems:
                expected.add((sheet, number, column, code))
                problem = found.get((sheet, number, column, code))
                assert problem is not None, (sheet, number, column, code, found.keys())
                if field is not None:  # the API's own words for the same value
                    assert problem.message == answered[field]
                assert problem.title  # the column's header, in the user's language
    assert set(found) == expected
    assert heads(registry, dialogue) == before  # the good rows were not written either


def test_a_value_outside_a_list_names_the_list(aggregator: TestClient) -> None:
    workbook = filled(
        download_template(aggregator, "kien-nghi"),
        {"Kiến nghị": [kien_nghi(category="Đất đaii", source="Hòm thư góp ý")]},
    )

    problems = upload(aggregator, workbook, lang="en").progress.problems

    assert {(p.column, p.code) for p in problems} == {
        ("A", "value_not_in_list"),
        ("D", "value_not_in_list"),
    }
    by_column = {p.column: p for p in problems}
    assert by_column["A"].message.startswith("Hòm thư góp ý ")
    assert by_column["D"].message.startswith("Đất đaii ")
    assert all(name in by_column["D"].message for name in KIEN_NGHI_CATEGORY_NAMES_VI.values())
    offered = [n for c, n in KIEN_NGHI_SOURCE_NAMES_VI.items() if c != "supervision_finding"]
    assert all(name in by_column["A"].message for name in offered)


def test_a_unit_outside_the_users_scope_is_refused_before_anything_is_written(
    aggregator: TestClient, registry: TestClient, dialogue: TestClient
) -> None:
    """Ba Đình's officer: Trúc Bạch (in Ba Đình) passes, Hoàn Kiếm's Hàng Bạc does not."""
    workbook = filled(
        download_template(aggregator, "kien-nghi"),
        {"Kiến nghị": [GOOD, kien_nghi(unit_code="00037")]},
    )
    before = heads(registry, dialogue)

    status = upload(aggregator, workbook, who="officer_badinh")

    (problem,) = status.progress.problems
    assert (problem.row, problem.column, problem.code) == (4, "C", "forbidden_unit")
    answered = refusal(
        dialogue, "/kien-nghi", {**KIEN_NGHI_JSON, "unit_code": "00037"}, "vi", "officer_badinh"
    )
    assert problem.message == answered["unit_code"]
    assert heads(registry, dialogue) == before
