"""Figures written the way a locale writes them, through babel (CLDR).

Counts get the locale's grouping ("2.514" in Vietnamese, "2,514" in English), averages one or
two decimals ("4,17"), ratios a percentage with one decimal ("86,3%" / "86.3%").
"""

from __future__ import annotations

from copy import copy
from functools import cache
from typing import Any

from babel import Locale
from babel.numbers import NumberPattern, format_decimal, format_percent, parse_pattern


def kind_of(metric: str) -> str:
    """count, average or ratio: how a metric is written (a median or percentile as an
    average)."""
    if metric == "ratio" or metric.endswith("_rate"):
        return "ratio"
    if metric.startswith("average") or metric.endswith(("_median", "_p90")):
        return "average"
    return "count"


@cache
def _pattern(locale: str, kind: str) -> NumberPattern:
    """The locale's own pattern with the decimals we want."""
    formats = Locale.parse(locale)
    base = formats.percent_formats[None] if kind == "ratio" else formats.decimal_formats[None]
    pattern = copy(parse_pattern(base.pattern))
    pattern.frac_prec = {"ratio": (1, 1), "average": (1, 2)}.get(kind, (0, 0))
    return pattern


def format_figure(value: Any, kind: str, locale: str) -> str | None:
    if value is None:
        return None
    if kind == "ratio":
        return format_percent(value, format=_pattern(locale, kind), locale=locale)
    return format_decimal(value, format=_pattern(locale, kind), locale=locale)


def _formatted(figures: dict[str, Any], names: list[str], locale: str, ratio: bool = False) -> None:
    figures["formatted"] = {
        n: format_figure(figures.get(n), "ratio" if ratio else kind_of(n), locale)
        for n in names
        if n in figures
    }


def localize(body: dict[str, Any], locale: str) -> dict[str, Any]:
    """Adds `formatted` (the same figures as text) beside every object holding figures; the raw
    numbers stay where they were."""
    body["locale"] = locale
    if body.get("report") == "model_coverage":
        names = ["communes", "covered", "ratio"]
        for unit in (body, *body["children"]):
            _formatted(unit, names, locale)
        return body
    names = [n for n in body["total"] if n != "formatted"]
    for figures in (*body["rows"], body["total"]):
        _formatted(figures, names, locale)
    if "compare" in body:
        _formatted(body["compare"]["total"], names, locale)
        _formatted(body["compare"]["ratio"], list(body["compare"]["ratio"]), locale, ratio=True)
    return body
