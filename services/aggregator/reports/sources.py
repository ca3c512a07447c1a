"""The report sources: which facts and cubes, which dimensions, which metrics, which rows
stood at a moment (facts: recorded by then; versioned rows: the versions in force then).

Metrics are written over Columns (reports.engine), so each reads the facts or a cube alike."""

from __future__ import annotations

from operator import attrgetter
from typing import Any

from sqlalchemy import func
from sqlalchemy.sql.elements import ColumnElement

from services.aggregator import cubes
from services.aggregator.reports.engine import (
    TIME_DIMENSIONS,
    UNIT_DIMENSION_COLUMNS,
    Columns,
    Dimension,
    ReportQuery,
    Source,
    average,
    count,
    count_where,
    recorded_by,
)
from services.aggregator.tables import (
    AwardFact,
    DialogueFact,
    KienNghiRow,
    ModelFact,
    ModelFieldRow,
    SupervisionRow,
)

MODEL_KINDS = ("registered", "progress", "recognised", "commended", "replicated", "discontinued")


def _model_metrics(query: ReportQuery, r: Columns) -> dict[str, ColumnElement[Any]]:
    # by field, the facts are joined once per field: count each event once (slower, so only
    # then); the field cube has one row per field already
    joined = "field" in query.group_by or "field" in query.filters
    distinct_on = r.event_id if joined and not r.cube else None
    return {k: count_where(r, r.kind == k, distinct_on) for k in MODEL_KINDS}


def _dimension(name: str, **options: Any) -> Dimension:
    return Dimension(attrgetter(name), **options)


MODELS = Source(
    name="models",
    cubes=(cubes.MODELS, cubes.MODELS_BY_FIELD),
    dimensions={
        **UNIT_DIMENSION_COLUMNS,
        "field": _dimension(
            "field", join=(ModelFieldRow, ModelFieldRow.model_id == ModelFact.model_id)
        ),
        "sector": _dimension("sector"),
        "model_year": _dimension("model_year", parse=int),
        **TIME_DIMENSIONS,
    },
    metrics=_model_metrics,
    at=recorded_by(ModelFact.recorded_at),
)


def _dialogue_metrics(_query: ReportQuery, r: Columns) -> dict[str, ColumnElement[Any]]:
    return {
        "held": count_where(r, r.kind == "held"),
        "scheduled": count_where(r, r.kind == "scheduled"),
        "cancelled": count_where(r, r.kind == "cancelled"),
        "participants": func.sum(r.participants),
    }


DIALOGUES = Source(
    name="dialogues",
    cubes=(cubes.DIALOGUES,),
    dimensions={
        **UNIT_DIMENSION_COLUMNS,
        "kind": _dimension("dialogue_kind"),
        "host_body": _dimension("host_body"),
        **TIME_DIMENSIONS,
    },
    metrics=_dialogue_metrics,
    at=recorded_by(DialogueFact.recorded_at),
)


def _supervision_metrics(_query: ReportQuery, r: Columns) -> dict[str, ColumnElement[Any]]:
    return {
        "activities": count(r),
        "with_findings": count_where(r, r.has_findings),
        "with_violation_signs": count_where(r, r.violation_signs),
        "recommended": count_where(r, r.recommended),
        "resolved": count_where(r, r.kien_nghi_all_resolved),
        "concluded": count_where(r, r.concluded),
    }


SUPERVISIONS = Source(
    name="supervisions",
    cubes=(cubes.SUPERVISIONS,),
    dimensions={
        **UNIT_DIMENSION_COLUMNS,
        "kind": _dimension("kind"),
        "body": _dimension("body"),
        **TIME_DIMENSIONS,
    },
    metrics=_supervision_metrics,
    at=SupervisionRow.at,
)

OPEN_STATUSES = cubes.KIEN_NGHI_OPEN


def _kien_nghi_metrics(query: ReportQuery, r: Columns) -> dict[str, ColumnElement[Any]]:
    resolved = r.status == "resolved"
    return {
        "received": count(r),
        "assigned": count_where(r, r.agency.is_not(None)),
        "answered": count_where(r, r.answered),
        "resolved": count_where(r, resolved),
        "declined": count_where(r, r.status == "declined"),
        "open": count_where(r, r.status.in_(OPEN_STATUSES)),
        "resolved_on_time": count_where(r, resolved & (r.timeliness == "on_time")),
        "resolved_late": count_where(r, resolved & (r.timeliness == "late")),
        "overdue": count_where(r, r.open_due_on < query.today),
        "reopened": count_where(r, r.was_reopened),
        "rated": count_where(r, r.rating.is_not(None)),
        "average_rating": average(r, r.rating),
    }


KIEN_NGHI = Source(
    name="kien_nghi",
    cubes=(cubes.KIEN_NGHI,),
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
)

AWARDS = Source(
    name="awards",
    cubes=(cubes.AWARDS,),
    dimensions={
        **UNIT_DIMENSION_COLUMNS,
        "award": _dimension("award"),
        "recipient_kind": _dimension("recipient_kind"),
        "conferred_by": _dimension("conferred_by"),
        **TIME_DIMENSIONS,
    },
    metrics=lambda _query, r: {"conferred": count(r)},
    at=recorded_by(AwardFact.recorded_at),
)

SOURCES = {s.name: s for s in (MODELS, DIALOGUES, SUPERVISIONS, KIEN_NGHI, AWARDS)}
