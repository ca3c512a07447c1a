"""danvan scenario <name>: write a scenario into the configured stores, once."""

from __future__ import annotations

import random
import time
from types import ModuleType
from uuid import UUID, uuid5

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate, event

from services.dialogue.main import build_dialogues
from services.registry.application import Registry
from services.scenarios import haiphong, halong, hanoi
from services.scenarios.writer import ScenarioWriter, batched
from shared.application import DANVAN_NAMESPACE
from shared.settings import Settings
from shared.units import load_catalog

SCENARIOS: dict[str, ModuleType] = {"hanoi": hanoi, "haiphong": haiphong, "halong": halong}


class ScenarioLoaded(Aggregate):
    """Marks a store as holding a scenario, so that loading it again adds nothing."""

    @staticmethod
    def create_id(name: str, scale: float, seed: int) -> UUID:
        return uuid5(DANVAN_NAMESPACE, f"scenario/{name}/{scale}/{seed}")

    @event("Loaded")
    def __init__(self, name: str, scale: float, seed: int) -> None:
        self.scenario = name


def load_scenario(
    settings: Settings, name: str, *, scale: float = 1.0, seed: int = 2023, progress: bool = True
) -> dict[str, float] | None:
    """Writes the scenario; None when these stores already hold it."""
    catalog = load_catalog(settings.extra_units_file)
    registry = Registry(env=settings.event_store_env("registry"), catalog=catalog)
    dialogue = build_dialogues(settings)
    try:
        marker = ScenarioLoaded.create_id(name, scale, seed)
        try:
            registry.repository.get(marker)
            return None
        except AggregateNotFoundError:
            pass
        writer = ScenarioWriter(registry, dialogue, catalog, random.Random(seed), progress)
        started = time.perf_counter()
        with batched(writer) as batch_writer:
            SCENARIOS[name].write(batch_writer, scale)
        events = (registry.recorder.max_notification_id() or 0) + (
            dialogue.recorder.max_notification_id() or 0
        )
        dialogue.save(ScenarioLoaded(name=name, scale=scale, seed=seed))
        registry.save(ScenarioLoaded(name=name, scale=scale, seed=seed))
        return {"seconds": time.perf_counter() - started, "events_in_stores": events}
    finally:
        registry.close()
        dialogue.close()
        dialogue.vault.engine.dispose()
