"""Plotly figures (data and layout as JSON) drawn in the browser by plotly.js: numbers in the
page's locale (separators "," and "." swapped for Vietnamese), units clickable one level down."""

from __future__ import annotations

from typing import Any

COLOURS = ["#b71c1c", "#1565c0", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f", "#5d4037"]


def separators(lang: str) -> str:
    """Plotly's decimal then thousands separator: "2.514", "86,3%" in Vietnamese."""
    return ",." if lang == "vi" else ".,"


def layout(lang: str, *, height: int = 340, percent: bool = False, **extra: Any) -> dict[str, Any]:
    values = {
        "separatethousands": True,
        "rangemode": "tozero",
        "tickformat": ".0%" if percent else ",d",
        "automargin": True,
        "gridcolor": "#e6e6e6",
    }
    horizontal = extra.pop("horizontal", False)
    return {
        "separators": separators(lang),
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
        "font": {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 12},
        "legend": {"orientation": "h", "y": -0.15},
        "barmode": "group",
        "colorway": COLOURS,
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "xaxis": values if horizontal else {"automargin": True, "type": "category"},
        "yaxis": {"automargin": True, "autorange": "reversed", "type": "category"}
        if horizontal
        else values,
        **extra,
    }


def bars(
    categories: list[str],
    series: list[tuple[str, list[float | None]]],
    lang: str,
    *,
    links: list[str | None] | None = None,
    horizontal: bool = False,
    percent: bool = False,
) -> dict[str, Any]:
    """One trace per series over the categories; with links, a click on a bar opens its link."""
    number = "%{x:.1%}" if percent and horizontal else "%{y:.1%}" if percent else None
    number = number or ("%{x:,d}" if horizontal else "%{y:,d}")
    category = "%{y}" if horizontal else "%{x}"
    data = []
    for name, values in series:
        trace: dict[str, Any] = {
            "type": "bar",
            "name": name,
            "orientation": "h" if horizontal else "v",
            "x": values if horizontal else categories,
            "y": categories if horizontal else values,
            "hovertemplate": f"{category}<br>{name}: {number}<extra></extra>",
            "texttemplate": number,
            "textposition": "auto",
            "cliponaxis": False,
        }
        if links:
            trace["customdata"] = links
        data.append(trace)
    height = max(260, 60 + 24 * len(categories) * max(1, len(series))) if horizontal else 340
    return {
        "data": data,
        "layout": layout(
            lang, height=height, percent=percent, horizontal=horizontal, showlegend=len(series) > 1
        ),
    }


def lines(
    categories: list[str], series: list[tuple[str, list[float | None]]], lang: str
) -> dict[str, Any]:
    """Figures over time: one line per series."""
    data = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": name,
            "x": categories,
            "y": values,
            "hovertemplate": f"%{{x}}<br>{name}: %{{y:,d}}<extra></extra>",
        }
        for name, values in series
    ]
    return {"data": data, "layout": layout(lang, showlegend=len(series) > 1)}
