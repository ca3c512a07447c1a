"""GET /search: any record by its words, in the reader's scope, filtered, a page at a time."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response

from services.aggregator.api import Catalog, Reader, Sessions
from services.aggregator.documents import SearchPage
from services.aggregator.openapi_responses import BAD_QUERY, list_responses
from services.aggregator.search.finder import Place, SearchFilter, search
from shared.errors import InvalidInput
from shared.events import dumps
from shared.input_types import IsoDate, PlainText
from shared.policy import scope_of

MAX_LIMIT = 100
Kind = Literal["model", "dialogue", "supervision", "kien_nghi"]
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
    "stand as written, the last word may begin a longer one. Best match first, then newest; "
    "of a query matching more than 10,000 (a common word alone), newest first. Pass the "
    "answer's next as cursor for the next page.",
    responses=list_responses(SearchPage, REFUSED),
)
def search_records(
    request: Request,
    sessions: Sessions,
    catalog: Catalog,
    reader: Reader,
    q: Annotated[PlainText, Query(min_length=1, max_length=200, description="the words")],
    kind: Annotated[list[Kind] | None, Query(description="only these kinds")] = None,
    unit: Annotated[
        str | None,
        Query(pattern=r"^\d{2,5}$", description="a unit's records and those under it"),
    ] = None,
    province: Annotated[
        str | None, Query(pattern=r"^\d{2}$", description="recorded or 2025 code")
    ] = None,
    start: Annotated[
        IsoDate | None,
        Query(
            alias="from",
            description="the record's day from (registered, held or scheduled, started, received)",
        ),
    ] = None,
    end: Annotated[IsoDate | None, Query(alias="to", description="… to, inclusive")] = None,
    status: Annotated[
        str | None,
        Query(pattern=r"^[a-z_]{1,16}$", description="active, held, concluded, resolved, …"),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 20,
    cursor: Annotated[
        str | None, Query(max_length=200, pattern=r"^[A-Za-z0-9_-]+$", description="next")
    ] = None,
) -> Response:
    if start is not None and end is not None and start > end:
        raise InvalidInput("period_invalid", field="from", start=start, end=end)
    wanted = SearchFilter(
        q,
        tuple(dict.fromkeys(kind or ())),
        unit,
        province,
        start,
        end,
        status,
        limit,
        Place.of_cursor(cursor) if cursor else None,
        scope_of(reader),
        request.app.state.settings.search_rank_up_to,
    )
    with sessions() as session:
        page = search(session, wanted, catalog)
    body = {
        "items": page.items,
        "next": page.next,
        "total": page.total,
        "total_exact": page.total_exact,
    }
    return Response(dumps(body), media_type="application/json")
