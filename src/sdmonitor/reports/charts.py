"""Charts as Vega-Lite specifications, rendered offline to SVG (vl-convert) for reports; the dashboard can
use the same specifications.

Calm and accessible: the Okabe-Ito palette (safe for colour-blind readers), and every series also differs in
line dash and point shape, so a chart reads in grey scale too. Every chart has a title, axis titles and a
source line. Numbers use Dutch formatting (``nl-NL``: 1.234 and 18,2). Hidden cells (``< 5``, ``x``) are
never drawn: the caller leaves them out and the chart's note says so.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import vl_convert

# Okabe & Ito (2008): distinguishable with every common colour-vision deficiency.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
DASHES = ([1, 0], [6, 3], [2, 2], [8, 3, 2, 3], [4, 4], [1, 3])
SHAPES = ("circle", "square", "triangle-up", "diamond", "cross", "triangle-down")
FONT = "DejaVu Sans"


@dataclass(frozen=True)
class Point:
    """One value of a chart: on the x axis (a period or a group), of a series."""

    x: str
    series: str
    value: float


def _config() -> dict[str, Any]:
    return {
        "font": FONT,
        "view": {"stroke": None},
        "axis": {"labelFontSize": 10, "titleFontSize": 10, "gridColor": "#e3e3e3", "domainColor": "#888"},
        "legend": {
            "labelFontSize": 10,
            "titleFontSize": 10,
            "orient": "bottom",
            "columns": 3,
            "labelLimit": 420,
        },
        "title": {"fontSize": 12, "anchor": "start", "subtitleFontSize": 9, "subtitleColor": "#555"},
        "range": {"category": list(PALETTE)},
    }


def _title(title: str, source: str, note: str = "") -> dict[str, Any]:
    subtitle = [f"Bron: {source}"] + ([note] if note else [])
    return {"text": title, "subtitle": subtitle}


def _frame(
    title: str, points: Sequence[Point], source: str, note: str, width: int, height: int
) -> dict[str, Any]:
    """What every chart has: schema, title with source line, size, style and the data."""
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": _title(title, source, note),
        "width": width,
        "height": height,
        "config": _config(),
        "data": {"values": [{"x": p.x, "series": p.series, "value": p.value} for p in points]},
    }


def _series_scale(points: Sequence[Point]) -> list[str]:
    return list(dict.fromkeys(p.series for p in points))


def line_spec(
    title: str, points: Sequence[Point], *, x_title: str, y_title: str, source: str, note: str = "",
    width: int = 460, height: int = 220,
) -> dict[str, Any]:  # fmt: skip
    """Values over periods, one line per series."""
    series = _series_scale(points)
    return {
        **_frame(title, points, source, note, width, height),
        "mark": {"type": "line", "point": {"filled": True, "size": 40}, "strokeWidth": 2},
        "encoding": {
            "x": {"field": "x", "type": "ordinal", "title": x_title, "axis": {"labelAngle": 0}},
            "y": {"field": "value", "type": "quantitative", "title": y_title, "axis": {"format": ",.0f"}},
            "color": {"field": "series", "type": "nominal", "title": None, "scale": {"domain": series}},
            "strokeDash": {
                "field": "series",
                "type": "nominal",
                "title": None,
                "scale": {"domain": series, "range": [DASHES[i % len(DASHES)] for i in range(len(series))]},
            },
            "shape": {
                "field": "series",
                "type": "nominal",
                "title": None,
                "scale": {"domain": series, "range": [SHAPES[i % len(SHAPES)] for i in range(len(series))]},
            },
        },
    }


def bar_spec(
    title: str, points: Sequence[Point], *, x_title: str, y_title: str, source: str, note: str = "",
    width: int = 460, height: int = 220,
) -> dict[str, Any]:  # fmt: skip
    """Values per group, grouped bars per series (a single series: plain bars)."""
    series = _series_scale(points)
    encoding: dict[str, Any] = {
        "x": {"field": "x", "type": "nominal", "title": x_title, "sort": None, "axis": {"labelAngle": 0}},
        "y": {"field": "value", "type": "quantitative", "title": y_title, "axis": {"format": ",.0f"}},
        "color": {
            "field": "series",
            "type": "nominal",
            "title": None,
            "scale": {"domain": series},
            "legend": None if len(series) < 2 else {},
        },
    }
    if len(series) > 1:
        encoding["xOffset"] = {"field": "series", "type": "nominal", "scale": {"domain": series}}
        # grey scale: series also differ in outline, so neighbouring bars stay apart
        encoding["strokeDash"] = {
            "field": "series", "type": "nominal", "legend": None,
            "scale": {"domain": series, "range": [DASHES[i % len(DASHES)] for i in range(len(series))]},
        }  # fmt: skip
    return {
        **_frame(title, points, source, note, width, height),
        "mark": {"type": "bar", "stroke": "#1b1b1b", "strokeWidth": 0.6},
        "encoding": encoding,
    }


def spark_spec(points: Sequence[Point], *, title: str, width: int = 150, height: int = 40) -> dict[str, Any]:
    """A small trend line without axes (KPI pages); the title is read by screen readers."""
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "description": title,
        "width": width,
        "height": height,
        "config": {**_config(), "axis": {"disable": True}},
        "data": {"values": [{"x": p.x, "value": p.value} for p in points]},
        "mark": {"type": "line", "point": {"filled": True, "size": 18}, "color": PALETTE[0]},
        "encoding": {
            "x": {"field": "x", "type": "ordinal", "axis": None},
            "y": {"field": "value", "type": "quantitative", "axis": None, "scale": {"zero": False}},
        },
    }


def to_svg(spec: dict[str, Any]) -> str:
    """Render a spec to SVG text (offline, no network), with Dutch number formatting.

    The SVG gets ``role="img"`` and an ``aria-label`` from the chart's title (or description).
    """
    svg = str(
        vl_convert.vegalite_to_svg(
            spec, format_locale="nl-NL", time_format_locale="nl-NL", allowed_base_urls=[]
        )
    )
    title = spec.get("title", {})
    label = title.get("text", "") if isinstance(title, dict) else str(spec.get("description", ""))
    label = label or str(spec.get("description", ""))
    label = label.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return re.sub(r"^<svg ", f'<svg role="img" aria-label="{label}" ', svg, count=1)


@dataclass(frozen=True)
class PathPoint:
    """One month end of a budget line's cumulative cost path: the day, the cumulative euros, and whether
    the month is realised (costs as declared, with the late declarations expected for it) or expected."""

    day: str  # ISO date, the last day of the month (or the first day of the year: the path starts at 0)
    cumulative: float
    realised: bool


REALISED = "gerealiseerd"
EXPECTED = "verwacht"


def depletion_spec(
    title: str, path: Sequence[PathPoint], *, budget: float | None, depletion: str | None, source: str,
    note: str = "", width: int = 460, height: int = 220,
) -> dict[str, Any]:  # fmt: skip
    """A budget line's cumulative cost over the year: the realised part solid, the expected part dashed
    (starting where the realised part ends, so the line is unbroken), a horizontal rule at the budget and,
    when the path reaches it within the year, a vertical rule at the depletion date with its date written.

    Amounts in euros with Dutch formatting; the dates on the axis as month names (``time_format_locale``).
    """
    values: list[dict[str, Any]] = []
    last_realised: PathPoint | None = None
    for point in path:
        if point.realised:
            values.append({"day": point.day, "value": point.cumulative, "series": REALISED})
            last_realised = point
        else:
            if last_realised is not None and not any(v["series"] == EXPECTED for v in values):
                values.append(
                    {"day": last_realised.day, "value": last_realised.cumulative, "series": EXPECTED}
                )
            values.append({"day": point.day, "value": point.cumulative, "series": EXPECTED})
    series = [s for s in (REALISED, EXPECTED) if any(v["series"] == s for v in values)]
    layers: list[dict[str, Any]] = [
        {
            "data": {"values": values},
            "mark": {"type": "line", "point": {"filled": True, "size": 30}, "strokeWidth": 2},
            "encoding": {
                "x": {"field": "day", "type": "temporal", "title": None,
                      "axis": {"format": "%b", "tickCount": 12, "labelAngle": 0}},
                "y": {"field": "value", "type": "quantitative", "title": "Cumulatieve kosten (euro)",
                      "axis": {"format": ",.0f"}},
                "color": {"field": "series", "type": "nominal", "title": None,
                          "scale": {"domain": series, "range": [PALETTE[0], PALETTE[1]][: len(series)]}},
                "strokeDash": {"field": "series", "type": "nominal", "title": None,
                               "scale": {"domain": series, "range": [DASHES[0], DASHES[1]][: len(series)]}},
            },
        }
    ]  # fmt: skip
    if budget is not None:
        layers.append({
            "data": {"values": [{"budget": budget, "label": "begroting"}]},
            "layer": [
                {"mark": {"type": "rule", "color": "#000000", "strokeWidth": 1.5, "strokeDash": [2, 2]},
                 "encoding": {"y": {"field": "budget", "type": "quantitative"}}},
                {"mark": {"type": "text", "align": "left", "dx": 4, "dy": -6, "fontSize": 10},
                 "encoding": {"y": {"field": "budget", "type": "quantitative"}, "x": {"value": 0},
                              "text": {"field": "label"}}},
            ],
        })  # fmt: skip
    if depletion is not None:
        early = int(depletion[5:7]) <= 6  # the date written right of the line in the first half, else left
        layers.append({
            "data": {"values": [{"day": depletion, "label": f"uitgeput {depletion_text(depletion)}"}]},
            "layer": [
                {"mark": {"type": "rule", "color": PALETTE[1], "strokeWidth": 2},
                 "encoding": {"x": {"field": "day", "type": "temporal"}}},
                {"mark": {"type": "text", "align": "left" if early else "right", "dx": 4 if early else -4,
                          "baseline": "top", "fontSize": 10, "color": PALETTE[1]},
                 "encoding": {"x": {"field": "day", "type": "temporal"}, "y": {"value": 2},
                              "text": {"field": "label"}}},
            ],
        })  # fmt: skip
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": _title(title, source, note),
        "width": width,
        "height": height,
        "config": _config(),
        "layer": layers,
    }


def depletion_text(day: str) -> str:
    """'2024-11-10' -> '10-11-2024'."""
    year, month, date_ = day.split("-")
    return f"{date_}-{month}-{year}"
