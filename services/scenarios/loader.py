"""danvan scenario <name>: write a scenario into the configured stores, once."""

from __future__ import annotations

import random
import time
from types import ModuleType
from typing import Any

from eventsourcing.application import AggregateNotFoundError
from sqlalchemy import create_engine

from services.dialogue.application import Dialogues
from services.dialogue.handling_rules import default_handling
from services.registry.application import Registry
from services.scenarios import haiphong, halong, handling, hanoi, national, office
from services.scenarios.bulk import RECORDER_TOPIC
from services.scenarios.marker import ScenarioLoaded
from services.scenarios.writer import ScenarioWriter, batched
from shared.personal_data import PersonalDataVault
from shared.settings import Settings
from shared.store_setup import made, made_event_store
from shared.units import load_catalog

SCENARIOS: dict[str, ModuleType] = {
    "hanoi": hanoi,
    "haiphong": haiphong,
    "halong": halong,
    "handling": handling,
    "office": office,
    "national": national,
}


def bulk_store_env(settings: Settings, service: str) -> dict[str, str]:
    """The service's event store, written on PostgreSQL through the bulk recorder."""
    env = made_event_store(settings, service)
    if settings.uses_postgres:
        env["APPLICATION_RECORDER_TOPIC"] = RECORDER_TOPIC
        env["POSTGRES_PRE_PING"] = "n"  # a round trip before every statement otherwise
    return env


def load_scenario(
    settings: Settings, name: str, *, scale: float = 1.0, seed: int = 2023, progress: bool = True
) -> dict[str, Any] | None:
    """Writes the scenario; None when these stores already hold it."""
    catalog = load_catalog(settings.extra_units_file)
    registry = Registry(env=bulk_store_env(settings, "registry"), catalog=catalog)
    keys = made(settings, settings.personal_data_keys())
    vault = PersonalDataVault(
        create_engine(keys.url, connect_args=keys.connect_args, pool_pre_ping=True)
    )
    dialogue = Dialogues(
        env=bulk_store_env(settings, "dialogue"),
        catalog=catalog,
        vault=vault,
        reopen_days=settings.reopen_days,
        handling=default_handling(settings.handling_rules_file, settings.working_hours),
    )
    try:
        marker = ScenarioLoaded.create_id(name, scale, seed)
        try:
            registry.repository.get(marker)
            return None
        except AggregateNotFoundError:
            pass
        writer = ScenarioWriter(registry, dialogue, catalog, random.Random(seed), progress, seed)
        scenario = SCENARIOS[name]
        started = time.perf_counter()
        with batched(writer, getattr(scenario, "BATCH_SIZE", 500)) as batch_writer:
            written = scenario.write(batch_writer, scale)
        events = (registry.recorder.max_notification_id() or 0) + (
            dialogue.recorder.max_notification_id() or 0
        )
        dialogue.save(ScenarioLoaded(name=name, scale=scale, seed=seed))
        registry.save(ScenarioLoaded(name=name, scale=scale, seed=seed))
        result: dict[str, Any] = {
            "seconds": time.perf_counter() - started,
            "events_in_stores": events,
        }
        result.update(written or {})
        return result
    finally:
        registry.close()
        dialogue.close()
        dialogue.vault.engine.dispose()
