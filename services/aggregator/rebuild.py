"""rebuild: drop every read model and replay each upstream feed from position 0."""

from __future__ import annotations

from collections.abc import Mapping

from tqdm import tqdm

from services.aggregator.database import (
    create_read_model_engine,
    drop_read_models,
    migrate,
    session_factory,
)
from services.aggregator.follower import FeedClient, Follower
from services.aggregator.projections.dispatch import projector
from shared.settings import Settings
from shared.units import load_catalog


def rebuild(
    settings: Settings, clients: Mapping[str, FeedClient], *, progress: bool = True
) -> dict[str, int]:
    """Run it with the aggregator stopped: a live follower would refuse pages rebuild took."""
    engine = create_read_model_engine(settings)
    try:
        drop_read_models(engine)
        migrate(engine)
        sessions = session_factory(engine)
        project = projector(load_catalog(settings.extra_units_file))
        applied: dict[str, int] = {}
        for name, client in clients.items():
            follower = Follower(
                name, client, sessions, project, page_size=settings.follower_page_size
            )
            with tqdm(
                total=follower.head(), desc=f"rebuild {name}", unit="pos", disable=not progress
            ) as bar:
                applied[name] = follower.catch_up(
                    on_page=lambda _n, f=follower, b=bar: b.update(f.status.position - b.n)
                )
        return applied
    finally:
        engine.dispose()
