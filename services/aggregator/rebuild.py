"""rebuild: drop every read model and replay each upstream feed from position 0."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

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


def rebuild_from_exports(
    settings: Settings,
    exports: Sequence[tuple[str | None, Path]],
    public_key: Path | None = None,
    *,
    progress: bool = True,
) -> dict[str, int]:
    """Rebuilds every read model from export files alone (`danvan export`, GET /events/export).

    Each export is named by its upstream (registry, dialogue): as given, or as its store line
    says. With a public key, each export must verify whole first.
    """
    from shared.audit.export import ExportFile
    from shared.audit.keys import read_public_key
    from shared.audit.verify import verify

    clients: dict[str, FeedClient] = {}
    for name, path in exports:
        export = ExportFile(path)
        upstream = name or export.service
        if not upstream:
            raise SystemExit(f"{path}: name the upstream, e.g. registry={path}")
        if public_key is not None:
            key = read_public_key(public_key.read_bytes())
            report = verify(export.store_id, export.items, export.seals, export.checkpoints, key)
            if not report.ok:
                first = report.problems[0]
                raise SystemExit(f"{path}: {first.kind} at {first.position}: {first.detail}")
        clients[upstream] = export
    return rebuild(settings, clients, progress=progress)
