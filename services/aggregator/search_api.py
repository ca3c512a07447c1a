"""GET /search: any record by its words, in the reader's scope, filtered, a page at a time."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from services.aggregator.api import Catalog, Reader, Sessions
from services.aggregator.documents import SearchPage
from services.aggregator.openapi_responses import BAD_QUERY, list_responses
from services.aggregator.search.finder import search
from services.aggregator.search.params import SearchParams
from shared.events import dumps
from shared.policy import scope_of

REFUSED = (
    BAD_QUERY + "; q without a letter or digit (search_words_missing), a cursor this API did "
    "not give (search_cursor_invalid), from= after to= (period_invalid)"
)
router = APIRouter(tags=["search"])


@router.get(
    "/search",
    summary="Tìm kiếm / find any record by its words",
    description="Models, dialogues, supervisions (and social criticism, inspection cases) and "
    "kiến nghị whose title, text, unit (or the units above it, as recorded or in 2025), kind, "
    "agency or tracking code hold every word of q, whatever its diacritics and case "
    '("dan van kheo" finds "Dân vận khéo"); a quoted part or a code (01-2026-0001234) must '
    "stand as written; a word with * after it (bằ*) may begin a longer one. Best match first, "
    "then newest; of a query matching more than 10,000 (a common word alone), newest first. "
    "Pass the answer's next as cursor for the next page.",
    responses=list_responses(SearchPage, REFUSED),
)
def search_records(
    request: Request,
    sessions: Sessions,
    catalog: Catalog,
    reader: Reader,
    params: Annotated[SearchParams, Query()],
) -> Response:
    wanted = params.wanted(scope_of(reader), request.app.state.settings.search_rank_up_to)
    with sessions() as session:
        page = search(session, wanted, catalog)
    body = {
        "items": page.items,
        "next": page.next,
        "total": page.total,
        "total_exact": page.total_exact,
    }
    return Response(dumps(body), media_type="application/json")
