"""Report templates: which sections a report has, which metric each shows, and how.

A template is a YAML file a municipality can copy and adapt; the built-in ones are in ``templates/``
(``halfjaar``, ``kwartaal``). ``read_template`` checks every section against the metric catalogue and
raises InputError with a Dutch message naming the section and what is wrong.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from sdmonitor.domain.periods import Grain
from sdmonitor.errors import InputError
from sdmonitor.metrics import CATALOGUE
from sdmonitor.metrics.dimensions import ALL as DIMENSIONS

PERIODS = ("history", "report")
LAYOUTS = ("rows", "columns")
CHARTS = ("line", "bar")
BUILTIN = ("halfjaar", "kwartaal")


@dataclass(frozen=True)
class Section:
    """One chapter of a report: a metric over the report period or its history, with options."""

    name: str
    title: str
    metric: str
    by: tuple[str, ...] = ()
    grain: Grain | None = None  # None: the template's grain
    periods: str = "history"  # 'history' (this and earlier periods) or 'report' (the report period only)
    growth: bool = False
    per_1000: bool = False
    totals: bool = False  # add a total row and the average per period
    compare: str | None = None  # a second metric shown beside it (e.g. the naive flows)
    chart: str | None = None
    layout: str = "rows"  # 'rows': a row per period and group; 'columns': a row per group, periods as columns
    top: int | None = (
        None  # only the groups with the highest figure in the last period (e.g. top 10 providers)
    )


@dataclass(frozen=True)
class Kpi:
    """A key performance indicator: a metric's score against a target, or 'geen gegevens' (``needs``)."""

    name: str
    title: str
    metric: str | None = None
    filter: tuple[tuple[str, str], ...] = ()
    target: float | None = None
    higher_is_better: bool = True
    needs: str | None = None  # the data a later version brings (wachttijden, kosten, klachten)
    measure: str | None = None  # None: the metric's primary measure


@dataclass(frozen=True)
class Template:
    """A whole report template."""

    name: str
    title: str
    grain: Grain
    history: int
    threshold: float
    sections: tuple[Section, ...]
    kpis: tuple[Kpi, ...] = ()
    summary: tuple[Kpi, ...] = ()  # the key figures of the summary page
    source_hash: str = ""  # SHA-256 of the template file: editions note when the template changed


def builtin_path(name: str) -> Path:
    """The file of a built-in template ('halfjaar', 'kwartaal')."""
    return Path(str(resources.files("sdmonitor.reports").joinpath(f"templates/{name}.yaml")))


def read_template(path: Path) -> Template:
    """Read and check a template file; InputError names the first problem."""
    try:
        raw = path.read_bytes()
        data = yaml.safe_load(raw.decode("utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise InputError(f"Kan rapportsjabloon {path} niet lezen: {exc}") from exc
    if not isinstance(data, dict):
        raise InputError(
            f"Rapportsjabloon {path} moet een YAML-woordenboek zijn met name, title en sections."
        )
    where = f"Rapportsjabloon {path.name}"
    grain = _grain(data.get("grain", "half"), where)
    sections = tuple(
        _section(entry, f"{where}, sectie {i + 1}") for i, entry in enumerate(_list(data, "sections", where))
    )
    names = [s.name for s in sections]
    if len(set(names)) != len(names):
        raise InputError(f"{where}: elke sectie heeft een eigen naam nodig.")
    kpis = tuple(_kpi(entry, f"{where}, KPI {i + 1}") for i, entry in enumerate(data.get("kpis") or []))
    summary = tuple(
        _kpi(entry, f"{where}, kerncijfer {i + 1}") for i, entry in enumerate(data.get("summary") or [])
    )
    return Template(
        name=str(data.get("name", path.stem)),
        title=str(data.get("title", path.stem)),
        grain=grain,
        history=_positive(data.get("history", 7), "history", where),
        threshold=float(data.get("threshold", 5)),
        sections=sections,
        kpis=kpis,
        summary=summary,
        source_hash=hashlib.sha256(raw).hexdigest(),
    )


def _list(data: dict[str, Any], key: str, where: str) -> list[Any]:
    value = data.get(key)
    if not isinstance(value, list) or not value:
        raise InputError(f"{where}: '{key}' moet een lijst zijn met minstens één onderdeel.")
    return value


def _grain(value: Any, where: str) -> Grain:
    try:
        return Grain(str(value))
    except ValueError as exc:
        raise InputError(f"{where}: grain '{value}' is onbekend; kies month, quarter, half of year.") from exc


def _positive(value: Any, key: str, where: str) -> int:
    if not isinstance(value, int) or value < 1:
        raise InputError(f"{where}: '{key}' moet een positief geheel getal zijn, niet '{value}'.")
    return value


def _metric(value: Any, where: str) -> str:
    if value not in CATALOGUE:
        raise InputError(f"{where}: cijfer '{value}' bestaat niet. Kies uit: {', '.join(CATALOGUE)}.")
    return str(value)


def _section(entry: Any, where: str) -> Section:
    if not isinstance(entry, dict) or "name" not in entry:
        raise InputError(f"{where}: een sectie heeft minstens name, title en metric.")
    where = f"{where} ('{entry['name']}')"
    by = tuple(str(b) for b in entry.get("by") or [])
    unknown = [b for b in by if b not in DIMENSIONS]
    if unknown:
        raise InputError(f"{where}: onbekende kolom {', '.join(unknown)} in 'by'.")
    periods = str(entry.get("periods", "history"))
    if periods not in PERIODS:
        raise InputError(f"{where}: periods '{periods}' is onbekend; kies history of report.")
    chart = entry.get("chart")
    if chart is not None and chart not in CHARTS:
        raise InputError(f"{where}: chart '{chart}' is onbekend; kies line of bar.")
    compare = entry.get("compare")
    layout = str(entry.get("layout", "rows"))
    if layout not in LAYOUTS:
        raise InputError(f"{where}: layout '{layout}' is onbekend; kies rows of columns.")
    if layout == "columns" and entry.get("totals"):
        raise InputError(f"{where}: layout columns zet perioden naast elkaar; gebruik het zonder totals.")
    return Section(
        name=str(entry["name"]),
        title=str(entry.get("title", entry["name"])),
        metric=_metric(entry.get("metric"), where),
        by=by,
        grain=_grain(entry["grain"], where) if "grain" in entry else None,
        periods=periods,
        growth=bool(entry.get("growth", False)),
        per_1000=bool(entry.get("per_1000", False)),
        totals=bool(entry.get("totals", False)),
        compare=_metric(compare, where) if compare is not None else None,
        chart=chart,
        layout=layout,
        top=None if entry.get("top") is None else _positive(entry.get("top"), "top", where),
    )


def _kpi(entry: Any, where: str) -> Kpi:
    if not isinstance(entry, dict) or "name" not in entry:
        raise InputError(f"{where}: een KPI heeft minstens name en title, en metric of needs.")
    where = f"{where} ('{entry['name']}')"
    if ("metric" in entry) == ("needs" in entry):
        raise InputError(f"{where}: geef óf 'metric' (een cijfer), óf 'needs' (gegevens die nog ontbreken).")
    target = entry.get("target")
    measure = entry.get("measure")
    if (
        measure is not None
        and entry.get("metric") in CATALOGUE
        and measure not in CATALOGUE[str(entry["metric"])].measures
    ):
        raise InputError(
            f"{where}: maat '{measure}' hoort niet bij '{entry['metric']}'; "
            f"kies uit {', '.join(CATALOGUE[str(entry['metric'])].measures)}."
        )
    by = [str(k) for k in (entry.get("filter") or {})]
    unknown = [b for b in by if b not in DIMENSIONS]
    if unknown:
        raise InputError(f"{where}: onbekende kolom {', '.join(unknown)} in 'filter'.")
    return Kpi(
        name=str(entry["name"]),
        title=str(entry.get("title", entry["name"])),
        metric=_metric(entry["metric"], where) if "metric" in entry else None,
        filter=tuple((str(k), str(v)) for k, v in (entry.get("filter") or {}).items()),
        target=None if target is None else float(target),
        higher_is_better=bool(entry.get("higher_is_better", True)),
        needs=str(entry["needs"]) if "needs" in entry else None,
        measure=None if measure is None else str(measure),
    )
