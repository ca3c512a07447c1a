"""The rules of handling a kiến nghị as dated data: which rule set is in force where and when,
and the deadlines a kiến nghị gets from it (data/handling_rules.toml says what each field is)."""

from __future__ import annotations

import tomllib
from datetime import date, datetime
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
    model_validator,
)

from services.dialogue.vocabulary import KienNghiPriority, KienNghiSource
from shared.vietnam_time import VIETNAM
from shared.working_time import Duration, WorkingCalendar, working_calendar

DurationField = Annotated[
    Duration,
    BeforeValidator(lambda v: Duration.parse(v) if isinstance(v, str) else v),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^[1-9][0-9]* (working_hours|working_days)$",
            "examples": ["8 working_hours", "10 working_days"],
        }
    ),
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


class HandlingRule(Strict):
    priority: KienNghiPriority
    sources: Literal["*"] | frozenset[KienNghiSource]
    acknowledge: DurationField
    answer: DurationField
    resolve: DurationField
    extensions: int = Field(ge=0)
    extension: DurationField | None = None
    evidence_required: bool = False
    restart_on_transfer: bool = True

    @model_validator(mode="after")
    def _extension_length(self) -> HandlingRule:
        if self.extensions and self.extension is None:
            raise ValueError("extensions granted need an extension length")
        return self

    def covers(self, source: str, priority: str) -> bool:
        return self.priority == priority and (self.sources == "*" or source in self.sources)


class RuleSet(Strict):
    id: str = Field(pattern=r"^[a-z0-9-]+$")
    province: str | None = None  # a province code; none: the whole country
    valid_from: date
    valid_to: date | None = None
    title: str
    title_en: str
    basis: tuple[str, ...] = ()
    rules: tuple[HandlingRule, ...]

    @model_validator(mode="after")
    def _complete(self) -> RuleSet:
        for priority in KienNghiPriority:
            for source in KienNghiSource:
                if not any(rule.covers(source, priority) for rule in self.rules):
                    raise ValueError(f"{self.id}: no rule for {priority} {source}")
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError(f"{self.id}: valid_to before valid_from")
        return self

    def in_force_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def rule_for(self, source: str, priority: str) -> HandlingRule:
        return next(rule for rule in self.rules if rule.covers(source, priority))


class HandlingRules(Strict):
    rule_sets: tuple[RuleSet, ...]

    @model_validator(mode="after")
    def _one_in_force_at_a_time(self) -> HandlingRules:
        ids = [s.id for s in self.rule_sets]
        if len(set(ids)) != len(ids):
            raise ValueError("rule set ids repeat")
        for n, a in enumerate(self.rule_sets):
            for b in self.rule_sets[n + 1 :]:
                if a.province == b.province and _overlap(a, b):
                    raise ValueError(f"{a.id} and {b.id} are in force on the same days")
        return self

    @classmethod
    def load(cls, path: Path | None = None) -> HandlingRules:
        shipped = resources.files("services.dialogue").joinpath("data/handling_rules.toml")
        return cls.model_validate(tomllib.loads((path or shipped).read_text("utf-8")))

    def in_force(self, province: str, day: date) -> RuleSet | None:
        """The province's rule set in force that day, else the national one; none before
        there were rules."""
        for wanted in (province, None):
            for rule_set in self.rule_sets:
                if rule_set.province == wanted and rule_set.in_force_on(day):
                    return rule_set
        return None


def _overlap(a: RuleSet, b: RuleSet) -> bool:
    return (a.valid_to is None or b.valid_from <= a.valid_to) and (
        b.valid_to is None or a.valid_from <= b.valid_to
    )


class Handling:
    """Deadlines from the rules in force, counted on Vietnam's working calendar."""

    def __init__(self, rules: HandlingRules, calendar: WorkingCalendar) -> None:
        self.rules, self.calendar = rules, calendar

    def clock_start(self, received_on: date, now: datetime) -> datetime:
        """When the clock of a kiến nghị received on a day starts: now if that day is today,
        else at the close of that day (a past day's hour is not known)."""
        local = now.astimezone(VIETNAM)
        if local.date() == received_on:
            return local
        return datetime.combine(received_on, self.calendar.hours.ends, VIETNAM)

    def deadlines(
        self, *, province: str, source: str, priority: str, clock_from: datetime
    ) -> dict[str, Any] | None:
        """What a kiến nghị's events store: the rule set in force on the day its clock started,
        the priority and each deadline, as ISO 8601 moments in Vietnam's time; none for a day
        no rules were in force."""
        rule_set = self.rules.in_force(province, clock_from.astimezone(VIETNAM).date())
        if rule_set is None:
            return None
        rule = rule_set.rule_for(source, priority)
        return {
            "rule_set": rule_set.id,
            "priority": priority,
            "clock_from": clock_from.isoformat(),
            **_deadlines(self.calendar, rule, clock_from),
        }

    def rule_of(self, deadlines: dict[str, Any] | None, source: str) -> HandlingRule | None:
        """The rule a kiến nghị's deadlines were counted by (none before there were rules)."""
        if deadlines is None:
            return None
        wanted = deadlines["rule_set"]
        rule_set = next((s for s in self.rules.rule_sets if s.id == wanted), None)
        return None if rule_set is None else rule_set.rule_for(source, deadlines["priority"])

    def extended(self, due_on: date, rule: HandlingRule) -> date:
        """The due day an extension by that rule gives: its length counted from the close of
        the present due day."""
        assert rule.extension is not None  # a rule that grants extensions has a length
        close = datetime.combine(due_on, self.calendar.hours.ends, VIETNAM)
        return self.calendar.deadline(close, rule.extension).date()


@lru_cache(maxsize=4096)  # a data set's kiến nghị of one day share their clocks
def _deadlines(
    calendar: WorkingCalendar, rule: HandlingRule, clock_from: datetime
) -> dict[str, str]:
    return {
        f"{step}_by": calendar.deadline(clock_from, getattr(rule, step)).isoformat()
        for step in ("acknowledge", "answer", "resolve")
    }


@cache
def default_handling(rules_file: Path | None = None, working_hours: str | None = None) -> Handling:
    return Handling(HandlingRules.load(rules_file), working_calendar(working_hours))
