"""The order of GET /search's hits: best match first, then newest; of a query matching more
records than search_rank_up_to (here 4), newest first; every hit once across the pages either
way."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from shared.settings import Settings
from tests.conftest import bearer
from tests.dialogue.helpers import created
from tests.dialogue.helpers import kien_nghi_body as kn_body
from tests.helpers import catch_up, register

AUDITOR = bearer("auditor")


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"search_rank_up_to": 4})


def pages(aggregator: TestClient, limit: int, **params: Any) -> list[list[dict[str, Any]]]:
    found: list[list[dict[str, Any]]] = []
    cursor = None
    while len(found) < 20:
        asked = {**params, "limit": limit, **({"cursor": cursor} if cursor else {})}
        page = aggregator.get("/search", params=asked, headers=AUDITOR).json()
        found.append(page["items"])
        if (cursor := page["next"]) is None:
            return found
    raise AssertionError("the pages did not end")


def test_a_title_match_ranks_before_a_text_match_of_an_older_record(
    registry: TestClient, aggregator: TestClient
) -> None:
    in_title = register(registry, title="Mô hình sân chơi thiếu nhi", registered_on="2021-01-05")
    in_text = register(
        registry,
        title="Mô hình khu dân cư",
        description="Xây sân chơi cho thiếu nhi",
        registered_on="2023-06-01",
        year=2023,
    )
    catch_up(aggregator)
    [hits] = pages(aggregator, 10, q="san choi thieu nhi")
    assert [hit["id"] for hit in hits] == [in_title, in_text]


def test_a_query_matching_more_than_the_ranked_lists_the_newest_first_each_once(
    dialogue: TestClient, aggregator: TestClient, tmp_path: Path
) -> None:
    days = ["2024-05-03", "2024-05-01", "2024-05-07", "2024-05-02", "2024-05-06", "2024-05-04"]
    made = {
        created(
            dialogue, "/kien-nghi", kn_body(content=f"Ngập úng {'nặng ' * n}", received_on=day)
        ): day
        for n, day in enumerate(days)
    }
    catch_up(aggregator)
    found = pages(aggregator, 4, q="ngap ung")
    listed = [hit["id"] for page in found for hit in page]
    assert sorted(listed) == sorted(made)  # each once
    assert [made[i] for i in listed] == sorted(days, reverse=True)  # newest first
    assert [len(page) for page in found] == [4, 2]
    # filtered to four: ranked again (the shortest text, the best bm25 or ts_rank, first)
    ranked = pages(aggregator, 10, q="ngap ung", **{"from": "2024-05-03"})
    assert len(ranked[0]) == 4 and ranked[0][0]["date"] == "2024-05-03"
