"""The aggregator's readiness checks and follower metrics."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from sqlalchemy import Engine, text

from services.aggregator.follower import Follower


def install_aggregator_operations(
    app: FastAPI, engine: Engine, followers: dict[str, Follower]
) -> None:
    metrics = app.state.metrics

    def read_models() -> dict[str, Any]:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return {}

    def upstream(follower: Follower) -> Any:
        def check() -> dict[str, Any]:
            head = follower.head()  # raises when the upstream cannot be reached
            _, position = follower.position()
            return {
                "head": head,
                "position": position,
                "lag": max(0, head - position),
                "last_error": follower.status.last_error,
            }

        return check

    app.state.readiness.append(("read_models", read_models))
    for name, follower in followers.items():
        app.state.readiness.append((f"upstream:{name}", upstream(follower)))

    def refresh() -> None:
        for name, follower in followers.items():
            _, position = follower.position()
            metrics.follower_position.labels(name).set(position)
            try:
                metrics.follower_lag.labels(name).set(max(0, follower.head() - position))
            except Exception:  # an unreachable upstream shows in /ready; keep the last lag
                continue

    app.state.metric_refreshers = [refresh]
