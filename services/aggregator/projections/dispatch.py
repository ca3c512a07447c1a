"""Routes each feed item of a batch to the projection of its aggregate type, after reading the
records the batch changes (one query per table)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from services.aggregator.projections.awards import project_award_event
from services.aggregator.projections.dialogues import dialogue_records, project_dialogue_event
from services.aggregator.projections.kien_nghi import (
    finding_supervisions,
    kien_nghi_records,
    project_kien_nghi_event,
)
from services.aggregator.projections.models import model_records, project_model_event
from services.aggregator.projections.rows import Changes
from services.aggregator.projections.search import index_for_search, search_records
from services.aggregator.projections.supervisions import (
    project_supervision_event,
    supervision_records,
)
from shared.events import FeedItem
from shared.units import UnitCatalog

Item = FeedItem
Projector = Callable[[Changes, list[Item]], None]

PROJECTIONS = {
    "Model": project_model_event,
    "Dialogue": project_dialogue_event,
    "Supervision": project_supervision_event,
    "KienNghi": project_kien_nghi_event,
    "Award": project_award_event,
}
RECORDS: dict[str, Callable[[Item], list[tuple[type, str]]]] = {
    "Model": model_records,
    "Dialogue": dialogue_records,
    "Supervision": supervision_records,
    "KienNghi": kien_nghi_records,
}


def projector(catalog: UnitCatalog) -> Projector:
    def project(changes: Changes, items: list[Item]) -> None:
        prefetch(changes, items)
        for item in items:
            projection = PROJECTIONS.get(item["type"].partition(".")[0])
            if projection is not None:  # StoreIdentity, IdempotentRequest: nothing to report
                projection(changes, item, catalog)
                index_for_search(changes, item, catalog)  # from the rows just made

    return project


def prefetch(changes: Changes, items: list[Item]) -> None:
    """Reads the stored records the batch changes: those it creates itself need no query."""
    created = {str(i["aggregate_id"]) for i in items if i["aggregate_version"] == 1}
    _read(changes, (r for item in items for r in _records(item)), created)
    _read(changes, (r for item in items for r in search_records(item)), created)
    _read(changes, finding_supervisions(changes, items), created)


def _records(item: Item) -> list[tuple[type, str]]:
    records = RECORDS.get(item["type"].partition(".")[0])
    return records(item) if records is not None else []


def _read(changes: Changes, records: Any, created: set[str]) -> None:
    wanted: dict[type, list[str]] = defaultdict(list)
    for kind, key in records:
        if key not in created:
            wanted[kind].append(key)
    for kind, keys in wanted.items():
        changes.prefetch(kind, keys)
