"""GET /handling-rules: the rules deadlines are counted by, for anyone to read."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from services.dialogue.api import DialoguesDep
from services.dialogue.handling_rules import HandlingRules
from shared.input_types import IsoDate
from shared.policy import PUBLIC, allow

router = APIRouter(prefix="/handling-rules", tags=["handling-rules"])
Province = Annotated[
    str | None, Query(pattern=r"^[0-9]{2}$", description="a province's code, as in unit codes")
]


@router.get(
    "",
    response_model=HandlingRules,
    dependencies=[Depends(allow(PUBLIC))],
    summary="Quy định thời hạn xử lý / handling rules",
)
def handling_rules(
    service: DialoguesDep, province: Province = None, on: IsoDate | None = None
) -> HandlingRules:
    """Every rule set with its validity; with province and on, the one a kiến nghị received
    there that day follows (its province's, else the national one)."""
    rules = service.handling.rules
    chosen = [
        rule_set
        for rule_set in rules.rule_sets
        if (on is None or rule_set.in_force_on(on))
        and (province is None or rule_set.province in (province, None))
    ]
    if province is not None and on is not None:  # the province's own, if it has one then
        own = [rule_set for rule_set in chosen if rule_set.province == province]
        chosen = own or chosen
    return HandlingRules.model_construct(rule_sets=tuple(chosen))
