"""The report sources: which table, which date, which dimensions, which metrics, which rows
stood at a moment (facts: recorded by then; versioned rows: the versions in force then)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, func
from sqlalchemy.sql.elements import ColumnElement

from services.aggregator.reports.engine import (
    Dimension,
    ReportQuery,
    Source,
    count_where,
    recorded_by,
    time_dimensions,
    unit_dimensions,
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


def _model_metrics(query: ReportQuery) -> dict[str, ColumnElement[Any]]:
    # by field, a model is joined once per field: count its events once (slower, so only then)
    joined = "field" in query.group_by or "field" in query.filters
    distinct_on = ModelFact.event_id if joined else None
    return {k: count_where(ModelFact.kind == k, distinct_on) for k in MODEL_KINDS}


MODELS = Source(
    name="models",
    table=ModelFact,
    date_column=ModelFact.occurred_on,
    dimensions={
        **unit_dimensions(ModelFact),
        "field": Dimension(
            ModelFieldRow.field, join=(ModelFieldRow, ModelFieldRow.model_id == ModelFact.model_id)
        ),
        "sector": Dimension(ModelFact.sector),
        "model_year": Dimension(ModelFact.model_year, parse=int),
        **time_dimensions(ModelFact.occurred_on),
    },
    metrics=_model_metrics,
    rolled_guard=ModelFact.unit_2025_code,
    unit_structure=ModelFact.unit_structure,
    at=recorded_by(ModelFact.recorded_at),
)


def _dialogue_metrics(_query: ReportQuery) -> dict[str, ColumnElement[Any]]:
    return {
        "held": count_where(DialogueFact.kind == "held"),
        "scheduled": count_where(DialogueFact.kind == "scheduled"),
        "cancelled": count_where(DialogueFact.kind == "cancelled"),
        "participants": func.sum(DialogueFact.participants),
    }


DIALOGUES = Source(
    name="dialogues",
    table=DialogueFact,
    date_column=DialogueFact.occurred_on,
    dimensions={
        **unit_dimensions(DialogueFact),
        "kind": Dimension(DialogueFact.dialogue_kind),
        "host_body": Dimension(DialogueFact.host_body),
        **time_dimensions(DialogueFact.occurred_on),
    },
    metrics=_dialogue_metrics,
    rolled_guard=DialogueFact.unit_2025_code,
    unit_structure=DialogueFact.unit_structure,
    at=recorded_by(DialogueFact.recorded_at),
)


def _supervision_metrics(_query: ReportQuery) -> dict[str, ColumnElement[Any]]:
    resolved = and_(
        SupervisionRow.recommended,
        SupervisionRow.kien_nghi_opened > 0,
        SupervisionRow.kien_nghi_resolved == SupervisionRow.kien_nghi_opened,
    )
    return {
        "activities": func.count(),
        "with_findings": count_where(SupervisionRow.findings > 0),
        "with_violation_signs": count_where(SupervisionRow.violation_signs),
        "recommended": count_where(SupervisionRow.recommended),
        "resolved": count_where(resolved),
        "concluded": count_where(SupervisionRow.concluded_on.is_not(None)),
    }


SUPERVISIONS = Source(
    name="supervisions",
    table=SupervisionRow,
    date_column=SupervisionRow.started_on,
    dimensions={
        **unit_dimensions(SupervisionRow),
        "kind": Dimension(SupervisionRow.kind),
        "body": Dimension(SupervisionRow.body),
        **time_dimensions(SupervisionRow.started_on),
    },
    metrics=_supervision_metrics,
    rolled_guard=SupervisionRow.unit_2025_code,
    unit_structure=SupervisionRow.unit_structure,
    at=SupervisionRow.at,
)

OPEN_STATUSES = ("received", "assigned", "answered", "reopened")


def _kien_nghi_metrics(query: ReportQuery) -> dict[str, ColumnElement[Any]]:
    k = KienNghiRow
    is_open = k.status.in_(OPEN_STATUSES)
    return {
        "received": func.count(),
        "assigned": count_where(k.agency.is_not(None)),
        "answered": count_where(k.answered_on.is_not(None)),
        "resolved": count_where(k.status == "resolved"),
        "declined": count_where(k.status == "declined"),
        "open": count_where(is_open),
        "resolved_on_time": count_where(and_(k.status == "resolved", k.resolved_on <= k.due_on)),
        "resolved_late": count_where(and_(k.status == "resolved", k.resolved_on > k.due_on)),
        "overdue": count_where(and_(is_open, k.due_on < query.today)),
        "reopened": count_where(k.reopened > 0),
        "rated": count_where(k.rating.is_not(None)),
        "average_rating": func.avg(k.rating),
    }


KIEN_NGHI = Source(
    name="kien_nghi",
    table=KienNghiRow,
    date_column=KienNghiRow.received_on,
    dimensions={
        **unit_dimensions(KienNghiRow),
        "category": Dimension(KienNghiRow.category),
        "agency": Dimension(KienNghiRow.agency),
        "source": Dimension(KienNghiRow.source),
        "status": Dimension(KienNghiRow.status),
        **time_dimensions(KienNghiRow.received_on),
    },
    metrics=_kien_nghi_metrics,
    rolled_guard=KienNghiRow.unit_2025_code,
    unit_structure=KienNghiRow.unit_structure,
    at=KienNghiRow.at,
)

AWARDS = Source(
    name="awards",
    table=AwardFact,
    date_column=AwardFact.occurred_on,
    dimensions={
        **unit_dimensions(AwardFact),
        "award": Dimension(AwardFact.award),
        "recipient_kind": Dimension(AwardFact.recipient_kind),
        "conferred_by": Dimension(AwardFact.conferred_by),
        **time_dimensions(AwardFact.occurred_on),
    },
    metrics=lambda _query: {"conferred": func.count()},
    rolled_guard=AwardFact.unit_2025_code,
    unit_structure=AwardFact.unit_structure,
    at=recorded_by(AwardFact.recorded_at),
)

SOURCES = {s.name: s for s in (MODELS, DIALOGUES, SUPERVISIONS, KIEN_NGHI, AWARDS)}
