"""What a search asks, as GET /search and the dashboard's search page take it: one model, so
both check it alike (a bad parameter is refused naming it)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from services.aggregator.search.finder import Place, SearchFilter
from shared.errors import InvalidInput
from shared.input_types import IsoDate, PlainText

MAX_LIMIT = 100
Kind = Literal["model", "dialogue", "supervision", "kien_nghi"]
KINDS: tuple[Kind, ...] = ("model", "dialogue", "supervision", "kien_nghi")


class SearchParams(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    q: Annotated[PlainText, Field(min_length=1, max_length=200, description="the words")]
    kind: Annotated[list[Kind] | None, Field(description="only these kinds")] = None
    unit: Annotated[
        str | None,
        Field(pattern=r"^\d{2,5}$", description="a unit's records and those under it"),
    ] = None
    province: Annotated[
        str | None, Field(pattern=r"^\d{2}$", description="recorded or 2025 code")
    ] = None
    start: Annotated[
        IsoDate | None,
        Field(
            alias="from",
            description="the record's day from (registered, held or scheduled, started, received)",
        ),
    ] = None
    end: Annotated[IsoDate | None, Field(alias="to", description="… to, inclusive")] = None
    status: Annotated[
        str | None,
        Field(pattern=r"^[a-z_]{1,16}$", description="active, held, concluded, resolved, …"),
    ] = None
    limit: Annotated[int, Field(ge=1, le=MAX_LIMIT)] = 20
    cursor: Annotated[
        str | None,
        Field(max_length=200, pattern=r"^[A-Za-z0-9_-]+$", description="the answer's next"),
    ] = None

    def wanted(self, scope: tuple[str, ...] | None, rank_up_to: int) -> SearchFilter:
        """The search these parameters ask, in a reader's scope; 422 for a period that ends
        before it starts or a cursor this API did not give."""
        if self.start is not None and self.end is not None and self.start > self.end:
            raise InvalidInput("period_invalid", field="from", start=self.start, end=self.end)
        return SearchFilter(
            self.q,
            tuple(dict.fromkeys(self.kind or ())),
            self.unit,
            self.province,
            self.start,
            self.end,
            self.status,
            self.limit,
            Place.of_cursor(self.cursor) if self.cursor else None,
            scope,
            rank_up_to,
        )
