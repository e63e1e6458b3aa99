"""Charts of the dashboard: the report's Vega-Lite specifications (``reports.charts``), as inline SVG.

Rendered on the server (vl-convert, offline), so the browser runs no script and the page loads nothing from
elsewhere. Hidden cells are left out of a chart; every chart has the table beside it. SVGs are cached by
their specification. vl-convert holds Python's interpreter lock while it renders (a third of a second for a
long series), which would stall every other request of the server: it runs in a separate worker process.
"""

from __future__ import annotations

import json
import multiprocessing
import threading
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from sdmonitor.reports.charts import Point, bar_spec, line_spec, to_svg

SOURCE = "registratie sociaal domein (sdmonitor)"  # a chart's source line unless its page names its own
_CACHE_SIZE = 256
_cache: OrderedDict[str, str] = OrderedDict()
_lock = threading.Lock()
_workers: list[ProcessPoolExecutor] = []


def _renderer() -> ProcessPoolExecutor:
    with _lock:
        if not _workers:
            # spawn, not fork: the server process has threads (and DuckDB's) that a fork would copy mid-flight
            context = multiprocessing.get_context("spawn")
            _workers.append(ProcessPoolExecutor(max_workers=1, mp_context=context))
        return _workers[0]


def shutdown() -> None:
    """Stop the rendering process (when the server stops)."""
    with _lock:
        while _workers:
            _workers.pop().shutdown(wait=True, cancel_futures=True)


def _svg(spec: dict[str, Any]) -> str:
    key = json.dumps(spec, sort_keys=True, default=str)
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    svg = _renderer().submit(to_svg, spec).result(timeout=120)
    with _lock:
        _cache[key] = svg
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return svg


def _readable(spec: dict[str, Any], points: Sequence[Point]) -> dict[str, Any]:
    """Slant the period labels when there are many, so that they do not run into each other."""
    if len({p.x for p in points}) > 8:
        spec["encoding"]["x"]["axis"] = {"labelAngle": -45, "labelOverlap": True}
    return spec


def _note(hidden: int, threshold: int) -> str:
    return f"Kleine aantallen (< {threshold}) zijn weggelaten." if hidden else ""


def line_chart(
    title: str,
    points: Sequence[Point],
    *,
    x_title: str,
    y_title: str,
    hidden: int = 0,
    threshold: int = 5,
    source: str = SOURCE,
) -> str | None:
    """A line per series over the periods, as SVG; None when there is too little to draw a line."""
    if len({p.x for p in points}) < 2:
        return None
    spec = line_spec(
        title,
        points,
        x_title=x_title,
        y_title=y_title,
        source=source,
        note=_note(hidden, threshold),
        width=640,
        height=240,
    )
    return _svg(_readable(spec, points))


def bar_chart(
    title: str,
    points: Sequence[Point],
    *,
    x_title: str,
    y_title: str,
    hidden: int = 0,
    threshold: int = 5,
    source: str = SOURCE,
) -> str | None:
    """Bars per group (grouped per series), as SVG; None when there is nothing to draw."""
    if not points:
        return None
    width = max(320, min(900, 28 * len({p.x for p in points}) * max(1, len({p.series for p in points}))))
    spec = bar_spec(
        title,
        points,
        x_title=x_title,
        y_title=y_title,
        source=source,
        note=_note(hidden, threshold),
        width=width,
        height=240,
    )
    return _svg(_readable(spec, points))


def render(spec: dict[str, Any]) -> str:
    """Any chart specification (``reports.charts``: the depletion chart of a budget line) as SVG, cached and
    rendered in the worker process like the others."""
    return _svg(spec)
