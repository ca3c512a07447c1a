"""The mark a loaded scenario leaves in a store, so that loading it again adds nothing."""

from __future__ import annotations

from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event
from eventsourcing.utils import register_topic

from shared.commands import DANVAN_NAMESPACE


class ScenarioLoaded(Aggregate):
    """Marks a store as holding a scenario (or one part of the national one)."""

    @staticmethod
    def create_id(name: str, scale: float, seed: int) -> UUID:
        return uuid5(DANVAN_NAMESPACE, f"scenario/{name}/{scale}/{seed}")

    @event("Loaded")
    def __init__(self, name: str, scale: float, seed: int) -> None:
        self.scenario = name


# stores loaded before this module was split from the loader name the class there
register_topic("services.scenarios.loader:ScenarioLoaded", ScenarioLoaded)
