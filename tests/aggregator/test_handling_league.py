"""The league table's order: on-time rate, then how many were closed, then name."""

from __future__ import annotations

from typing import Any

from services.aggregator.reports.handling_league import ranked


def row(agency: str | None, rate: float | None, closed: int) -> dict[str, Any]:
    return {"agency": agency, "on_time_rate": rate, "closed": closed}


def test_agencies_rank_by_rate_then_by_how_many_were_closed_then_by_name() -> None:
    rows = [
        row("Sở Xây dựng", 0.5, 2),
        row("Ban quản lý chợ", 0.5, 2),
        row("Công an quận", 0.5, 6),
        row("UBND phường", 0.9, 1),
        row("Sở Y tế", None, 0),  # none closed yet
        row(None, 0.0, 3),  # not yet assigned: no agency to rank
    ]
    assert [r["agency"] for r in ranked(rows)] == [
        "UBND phường",
        "Công an quận",
        "Ban quản lý chợ",
        "Sở Xây dựng",
        "Sở Y tế",
    ]
