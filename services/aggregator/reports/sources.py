"""The report sources: which facts and cubes, which dimensions, which metrics, which rows
stood at a moment (facts: recorded by then; versioned rows: the versions in force then).

Metrics are written over Columns (reports.engine), so each reads the facts or a cube alike."""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import Any

from sqlalchemy import Float, and_, case, cast, func
from sqlalchemy.sql.elements import ColumnElement

from services.aggregator import cubes
from services.aggregator.reports.engine import (
    TIME_DIMENSIONS,
    UNIT_DIMENSION_COLUMNS,
    Columns,
    Dimension,
    Remainder,
    ReportQuery,
    Source,
    recorded_by,
    total,
)
from services.aggregator.tables import (
    AwardFact,
    DialogueFact,
    KienNghiRow,
    ModelFact,
    SupervisionRow,
)


def _totals(counted: cubes.Counted) -> Callable[[ReportQuery, Columns], dict[str, Any]]:
    """Each figure the total of its component."""
    return lambda _query, r: {name: total(r, name) for name in counted.components}


def _model_metrics(query: ReportQuery, r: Columns) -> dict[str, ColumnElement[Any]]:
    if not r.cube and ("field" in query.group_by or "field" in query.filters):
        # the facts joined once per field: count each event once (slower, so only then); the
        # field cube has one row per field already
        return {
            kind: func.count(func.distinct(case((ModelFact.kind == kind, ModelFact.event_id))))
            for kind in cubes.MODEL_KINDS
        }
    return {kind: total(r, kind) for kind in cubes.MODEL_KINDS}


def _dimension(name: str, **options: Any) -> Dimension:
    return Dimension(attrgetter(name), **options)


MODELS = Source(
    name="models",
    counted=cubes.MODELS,
    dimensions={
        **UNIT_DIMENSION_COLUMNS,
        "field": _dimension("field", join=cubes.MODELS.joins["field"]),
        "sector": _dimension("sector"),
        "model_year": _dimension("model_year", parse=int),
        **TIME_DIMENSIONS,
    },
    metrics=_model_metrics,
    at=recorded_by(ModelFact.recorded_at),
)

DIALOGUES = Source(
    name="dialogues",
    counted=cubes.DIALOGUES,
    dimensions={
        **UNIT_DIMENSION_COLUMNS,
        "kind": _dimension("dialogue_kind"),
        "host_body": _dimension("host_body"),
        **TIME_DIMENSIONS,
    },
    metrics=_totals(cubes.DIALOGUES),
    at=recorded_by(DialogueFact.recorded_at),
)

SUPERVISIONS = Source(
    name="supervisions",
    counted=cubes.SUPERVISIONS,
    dimensions={
        **UNIT_DIMENSION_COLUMNS,
        "kind": _dimension("kind"),
        "body": _dimension("body"),
        **TIME_DIMENSIONS,
    },
    metrics=_totals(cubes.SUPERVISIONS),
    at=SupervisionRow.at,
)

OPEN_STATUSES = cubes.KIEN_NGHI_OPEN


def _kien_nghi_metrics(query: ReportQuery, r: Columns) -> dict[str, ColumnElement[Any]]:
    figures = {name: total(r, name) for name in cubes.KIEN_NGHI.components}
    rating_sum = figures.pop("rating_sum")
    if r.cube:  # due before the month of the day asked; the rest is the remainder's
        overdue = case((r.open_due_month < cubes.month_of(query.today), r.open))
    else:
        overdue = case((r.due_on < query.today, r.open))
    return {
        **figures,
        "overdue": func.coalesce(func.sum(overdue), 0),
        "average_rating": cast(rating_sum, Float) / func.nullif(figures["rated"], 0),
    }


def _open_due_this_month_before(query: ReportQuery, r: Columns) -> Any:
    """The open ones due from the first of the day's month to the day before it."""
    return and_(r.due_on >= query.today.replace(day=1), r.due_on < query.today, r.open == 1)


KIEN_NGHI = Source(
    name="kien_nghi",
    counted=cubes.KIEN_NGHI,
    dimensions={
        **UNIT_DIMENSION_COLUMNS,
        "category": _dimension("category"),
        "agency": _dimension("agency"),
        "source": _dimension("source"),
        "status": _dimension("status"),
        **TIME_DIMENSIONS,
    },
    metrics=_kien_nghi_metrics,
    at=KienNghiRow.at,
    remainder=Remainder(
        where=_open_due_this_month_before,
        metrics=lambda _query, _r: {"overdue": func.count()},
    ),
)

AWARDS = Source(
    name="awards",
    counted=cubes.AWARDS,
    dimensions={
        **UNIT_DIMENSION_COLUMNS,
        "award": _dimension("award"),
        "recipient_kind": _dimension("recipient_kind"),
        "conferred_by": _dimension("conferred_by"),
        **TIME_DIMENSIONS,
    },
    metrics=_totals(cubes.AWARDS),
    at=recorded_by(AwardFact.recorded_at),
)

SOURCES = {s.name: s for s in (MODELS, DIALOGUES, SUPERVISIONS, KIEN_NGHI, AWARDS)}
