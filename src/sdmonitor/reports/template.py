"""Report templates: which sections a report has, which metric each shows, and how.

A template is a YAML file a municipality can copy and adapt; the built-in ones are in ``templates/``
(``halfjaar``, ``kwartaal``). ``read_template`` checks every section against the metric catalogue and
raises InputError with a Dutch message naming the section and what is wrong.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from sdmonitor.domain.periods import Grain
from sdmonitor.domain.wording import GRAIN_WORDS
from sdmonitor.errors import InputError
from sdmonitor.metrics import CATALOGUE
from sdmonitor.metrics.compare import per_1000_refusal
from sdmonitor.metrics.dimensions import AGE, STANDARD_BY, STATIC, AgeBands

PERIODS = ("history", "report")
LAYOUTS = ("rows", "columns")
CHARTS = ("line", "bar")
# 'dates: end': a stock counted on the last day of each period of the section (30 June and 31 December for
# half-years: the Lansingerland benefits on the reference date per half-year, figure 10)
DATES = ("end",)
STACK_BY = ("cbs_group", "law")  # 'stack_by': what stacking counts over (metrics option --stack-by)
# What a section shows: a metric's table (the default), or a part of the forecast of the report's year
# (reports/finance.py): the budget table of seed 003, the variance bridge per line, the depletion warnings,
# the spending rooms per provider (shown only when spending rooms are loaded).
KINDS = ("metric", "budget", "bridge", "depletion", "rooms")
PREVIOUS_YEAR = "year"  # 'previous: year': each count beside the same period a year earlier
PRICES_REPORT = "report"  # 'prices: report': amounts in the prices of the report period's year
BUILTIN = ("halfjaar", "kwartaal")
# The template's name becomes the stem of the output files, so it may not hold a path: 'halfjaar', 'wmo_2'.
SAFE_NAME = re.compile(r"[A-Za-z0-9_-]+")
# Filter values that are fixed (docs/metrics.md); a KPI filtering on another value would silently show 0.
FILTER_VALUES = {
    "law": ("WMO", "JW", "PW"),
    "sex": ("man", "vrouw", "onbekend"),
    "target_group": ("jeugd", "volwassenen", "ouderen"),
    "age_band": tuple(AgeBands().labels()),
}


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
    per_10000: bool = False  # the metric's rate per 10,000 inhabitants (BBV: benefits, reintegration)
    totals: bool = False  # add a total row and the average per period
    compare: str | None = None  # a second metric shown beside it (e.g. the naive flows)
    chart: str | None = None
    layout: str = "rows"  # 'rows': a row per period and group; 'columns': a row per group, periods as columns
    top: int | None = None  # only the groups with the highest figure in the last period (top 10 providers)
    measures: tuple[str, ...] = ()  # the measures to show (default: all of the metric's)
    kind: str = "metric"  # KINDS: a metric's table, or a finance part ('budget', 'bridge', 'depletion')
    prices: int | str | None = None  # a year, or 'report': amounts also in that year's prices (--prices)
    weeks: bool = False  # mean and median days shown as weeks with one decimal (the Lansingerland table)
    previous: str | None = None  # 'year': each count beside the same period a year earlier (figure 5)
    # a row per group of the first 'by' column with the figure over the others (figure 3 of Lansingerland:
    # unique clients per target group over all laws, not the sum of the laws)
    subtotals: bool = False
    # DATES: 'end' counts on the last day of each period (a stock on reference dates)
    dates: str | None = None
    # the template's own footnote under the table (Dutch), e.g. why benefits differ from clients
    note: str = ""
    stack_by: str | None = None  # stacking over 'law' (Jeugdwet, Participatiewet, Wmo) instead of CBS groups

    @property
    def is_metric(self) -> bool:
        return self.kind == "metric"


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
    prices: int | str | None = None  # a year, or 'report': the figure in that year's prices (--prices)


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
    """Read and check a template file; InputError names the first problem.

    Besides the keys and values themselves, it checks what would otherwise fail halfway through a report:
    'by' and 'filter' columns the metric does not take, and filter values that can never match.
    """
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
    name = _file_stem(data.get("name"), path, where)
    grain = _grain(data.get("grain", "half"), where)
    threshold = _number(data.get("threshold", 5), "threshold", where, example="5 (procent)")
    if threshold < 0:
        raise InputError(
            f"{where}: 'threshold' is een percentage en mag niet negatief zijn, niet '{threshold}'."
        )
    sections = tuple(
        _section(entry, f"{where}, sectie {i + 1}") for i, entry in enumerate(_list(data, "sections", where))
    )
    names = [s.name for s in sections]
    if len(set(names)) != len(names):
        raise InputError(f"{where}: elke sectie heeft een eigen naam nodig.")
    kpis = tuple(
        _kpi(entry, f"{where}, KPI {i + 1}") for i, entry in enumerate(_entries(data, "kpis", where))
    )
    summary = tuple(
        _kpi(entry, f"{where}, kerncijfer {i + 1}")
        for i, entry in enumerate(_entries(data, "summary", where))
    )
    return Template(
        name=name,
        title=str(data.get("title", path.stem)),
        grain=grain,
        history=_positive(data.get("history", 7), "history", where),
        threshold=threshold,
        sections=sections,
        kpis=kpis,
        summary=summary,
        source_hash=hashlib.sha256(raw).hexdigest(),
    )


def _file_stem(value: Any, path: Path, where: str) -> str:
    """The template's name, which becomes the stem of the output files: 'halfjaar' -> halfjaar-2024-H2.pdf."""
    name = path.stem if value is None else str(value)
    if not SAFE_NAME.fullmatch(name):
        origin = f"name '{name}'" if value is not None else f"de bestandsnaam '{name}' (geef 'name' op)"
        raise InputError(
            f"{where}: {origin} wordt de naam van de rapportbestanden en mag alleen letters (a-z), cijfers, "
            "'-' en '_' bevatten: geen spaties, punten of schuine strepen."
        )
    return name


def _list(data: dict[str, Any], key: str, where: str) -> list[Any]:
    value = data.get(key)
    if not isinstance(value, list) or not value:
        raise InputError(f"{where}: '{key}' moet een lijst zijn met minstens één onderdeel.")
    return value


def _entries(data: dict[str, Any], key: str, where: str) -> list[Any]:
    """An optional list ('kpis', 'summary'): empty when absent."""
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError(f"{where}: '{key}' moet een lijst zijn.")
    return value


def _grain(value: Any, where: str) -> Grain:
    try:
        return Grain(str(value))
    except ValueError as exc:
        *first, last = (f"{g.value} ({GRAIN_WORDS[g]})" for g in Grain)
        raise InputError(f"{where}: grain '{value}' is onbekend; kies {', '.join(first)} of {last}.") from exc


def _positive(value: Any, key: str, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InputError(f"{where}: '{key}' moet een positief geheel getal zijn, niet '{value}'.")
    return value


def _number(value: Any, key: str, where: str, *, example: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InputError(f"{where}: '{key}' moet een getal zijn, zoals {example}, niet '{value}'.")
    return float(value)


def _metric(value: Any, where: str) -> str:
    if not isinstance(value, str) or value not in CATALOGUE:
        raise InputError(f"{where}: cijfer '{value}' bestaat niet. Kies uit: {', '.join(CATALOGUE)}.")
    return str(value)


def _columns(value: Any, where: str) -> tuple[str, ...]:
    """The 'by' columns: a list, or a single column as a plain string ('by: law' is 'by: [law]')."""
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(f"{where}: 'by' moet een lijst van kolommen zijn, zoals [law, target_group].")
    return tuple(value)


def _check_columns(columns: tuple[str, ...], metric: str | None, where: str, key: str) -> None:
    """The rules ``metrics.run.build`` applies to ``--by``, checked here so a report does not fail halfway.

    ``sdm report`` passes no segments file, so ``segment`` is refused; ``overlap`` belongs to ``allocations``
    only, and ``transitions_18`` takes no columns at all.
    """
    allowed = (*STATIC, *AGE, *(("overlap",) if metric == "allocations" else ()))
    if metric in CATALOGUE and CATALOGUE[metric].by not in (STANDARD_BY, ()):  # its own --by (issue 13)
        allowed = CATALOGUE[metric].by
    for column in columns:
        if column == "segment":
            raise InputError(
                f"{where}: kolom segment in '{key}' vraagt om een segmentenbestand, en dat kent een rapport "
                "niet; gebruik daarvoor sdm metric --by segment --segments."
            )
        if column == "overlap" and metric != "allocations":
            other = f", niet bij '{metric}'" if metric is not None else ""
            raise InputError(f"{where}: kolom overlap in '{key}' hoort alleen bij cijfer allocations{other}.")
        if column not in allowed:
            raise InputError(
                f"{where}: onbekende kolom '{column}' in '{key}'. Kies uit: {', '.join(allowed)}."
            )
    if len(set(columns)) != len(columns):
        raise InputError(f"{where}: een kolom staat meer dan eens in '{key}'.")
    if metric == "transitions_18" and columns:
        raise InputError(
            f"{where}: cijfer transitions_18 telt cliënten over alle groepen heen en kent geen '{key}'."
        )


def _section(entry: Any, where: str) -> Section:
    if not isinstance(entry, dict) or "name" not in entry:
        raise InputError(f"{where}: een sectie heeft minstens name, title en metric.")
    where = f"{where} ('{entry['name']}')"
    kind = str(entry.get("kind", "metric"))
    if kind not in KINDS:
        raise InputError(f"{where}: kind '{kind}' is onbekend; kies {', '.join(KINDS[:-1])} of {KINDS[-1]}.")
    if kind != "metric":
        extra = sorted(set(entry) - {"name", "title", "kind"})
        if extra:
            raise InputError(
                f"{where}: een sectie van soort {kind} toont de verwachting van het rapportjaar en kent "
                f"geen {', '.join(extra)}."
            )
        return Section(name=str(entry["name"]), title=str(entry.get("title", entry["name"])), metric="",
                       kind=kind)  # fmt: skip
    metric = _metric(entry.get("metric"), where)
    compare = entry.get("compare")
    compare = _metric(compare, where) if compare is not None else None
    by = _columns(entry.get("by"), where)
    for shown in (metric, compare):  # the comparison metric runs with the same columns
        if shown is not None:
            _check_columns(by, shown, where, "by")
    periods = str(entry.get("periods", "history"))
    if periods not in PERIODS:
        raise InputError(f"{where}: periods '{periods}' is onbekend; kies history of report.")
    chart = entry.get("chart")
    if chart is not None and chart not in CHARTS:
        raise InputError(f"{where}: chart '{chart}' is onbekend; kies line of bar.")
    layout = str(entry.get("layout", "rows"))
    if layout not in LAYOUTS:
        raise InputError(f"{where}: layout '{layout}' is onbekend; kies rows of columns.")
    if layout == "columns" and entry.get("totals"):
        raise InputError(f"{where}: layout columns zet perioden naast elkaar; gebruik het zonder totals.")
    previous = _previous(entry, where)
    subtotals = bool(entry.get("subtotals", False))
    if subtotals and (len(by) < 2 or layout != "columns"):
        raise InputError(
            f"{where}: subtotals geeft per groep van de eerste kolom een totaalrij, zoals per doelgroep over de "
            "wetten; gebruik het met minstens twee kolommen in 'by' en layout columns."
        )
    dates = entry.get("dates")
    if dates is not None and (dates not in DATES or not CATALOGUE[metric].on_dates):
        raise InputError(
            f"{where}: dates '{dates}' kan niet; 'dates: end' telt op de laatste dag van elke periode en hoort "
            "bij een cijfer op peildata, zoals benefits of stock."
        )
    stack_by = entry.get("stack_by")
    if stack_by is not None and (stack_by not in STACK_BY or "stack_by" not in CATALOGUE[metric].options):
        raise InputError(
            f"{where}: stack_by '{stack_by}' kan niet; het hoort bij stacking en stacking_combinations en is "
            f"{' of '.join(STACK_BY)}."
        )
    per_10000 = bool(entry.get("per_10000", False))
    if per_10000 and CATALOGUE[metric].per_10000 is None:
        rated = ", ".join(name for name, m in CATALOGUE.items() if m.per_10000 is not None)
        raise InputError(
            f"{where}: per_10000 (per 10.000 inwoners, de BBV-indicatoren) hoort bij {rated}, niet bij '{metric}'."
        )
    refusal = per_1000_refusal(CATALOGUE[metric], "per_1000") if entry.get("per_1000") else None
    if refusal is not None:  # the rule metrics.run.check_request applies, checked before the report runs
        raise InputError(f"{where}: {refusal}")
    note = entry.get("note", "")
    if not isinstance(note, str):
        raise InputError(f"{where}: 'note' is een zin (tekst) onder de tabel.")
    return Section(
        name=str(entry["name"]),
        title=str(entry.get("title", entry["name"])),
        previous=previous,
        metric=metric,
        by=by,
        grain=_grain(entry["grain"], where) if "grain" in entry else None,
        periods=periods,
        growth=bool(entry.get("growth", False)),
        per_1000=bool(entry.get("per_1000", False)),
        per_10000=per_10000,
        totals=bool(entry.get("totals", False)),
        compare=compare,
        chart=chart,
        layout=layout,
        top=None if entry.get("top") is None else _positive(entry.get("top"), "top", where),
        measures=_measures(entry.get("measures"), metric, where),
        prices=_prices(entry.get("prices"), metric, where),
        weeks=bool(entry.get("weeks", False)),
        subtotals=subtotals,
        dates=None if dates is None else str(dates),
        note=" ".join(note.split()),
        stack_by=None if stack_by is None else str(stack_by),
    )


def _previous(entry: dict[str, Any], where: str) -> str | None:
    """'previous: year': every count beside its figure of the same period a year earlier; not with growth,
    totals, a comparison or periods as columns, which each arrange the periods otherwise."""
    value = entry.get("previous")
    if value is None:
        return None
    if value != PREVIOUS_YEAR:
        raise InputError(
            f"{where}: previous '{value}' is onbekend; kies year (dezelfde periode een jaar eerder)."
        )
    clash = [key for key in ("growth", "totals", "compare") if entry.get(key)]
    if entry.get("layout") == "columns":
        clash.append("layout: columns")
    if clash:
        raise InputError(f"{where}: previous: year gaat niet samen met {', '.join(clash)}.")
    return PREVIOUS_YEAR


def _prices(value: Any, metric: str | None, where: str) -> int | str | None:
    """'prices': a year (2023) or 'report' (the report period's year), for a metric that takes --prices."""
    if value is None:
        return None
    if metric is None or "prices" not in CATALOGUE[metric].options:
        raise InputError(f"{where}: 'prices' hoort alleen bij een cijfer met bedragen, zoals costs.")
    if value == PRICES_REPORT:
        return PRICES_REPORT
    if isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= 2100:
        raise InputError(f"{where}: 'prices' is een jaar, zoals 2023, of 'report' (het rapportjaar).")
    return value


def prices_year(prices: int | str | None, year: int) -> int | None:
    """The year whose prices a section or KPI uses, for a report over a period in ``year``."""
    if prices is None:
        return None
    return year if prices == PRICES_REPORT else int(prices)


def _measures(value: Any, metric: str, where: str) -> tuple[str, ...]:
    """The measures a section shows: a subset of its metric's."""
    if value is None:
        return ()
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not names:
        raise InputError(f"{where}: 'measures' moet een lijst met maten zijn.")
    known = CATALOGUE[metric].measures
    unknown = [str(n) for n in names if n not in known]
    if unknown:
        raise InputError(
            f"{where}: maat {', '.join(unknown)} hoort niet bij '{metric}'; kies uit {', '.join(known)}."
        )
    return tuple(str(n) for n in names)


def _filter(value: Any, metric: str | None, where: str) -> tuple[tuple[str, str], ...]:
    """A KPI's filter as (column, value) pairs; a value that can never match is refused (law: any case)."""
    if value is None:
        return ()
    if not isinstance(value, dict):
        raise InputError(f"{where}: 'filter' moet kolommen met een waarde geven, zoals {{law: WMO}}.")
    _check_columns(tuple(str(k) for k in value), metric, where, "filter")
    pairs = []
    for column, wanted in value.items():
        if isinstance(wanted, bool) or not isinstance(wanted, str | int):
            raise InputError(
                f"{where}: filter {column} heeft een waarde nodig, zoals {{law: WMO}}, niet '{wanted}'."
            )
        text = str(wanted).upper() if column == "law" else str(wanted)
        choices = FILTER_VALUES.get(str(column))
        if choices is not None and text not in choices:
            raise InputError(
                f"{where}: filter {column} '{wanted}' komt in de gegevens niet voor; kies uit {', '.join(choices)}."
            )
        pairs.append((str(column), text))
    return tuple(pairs)


def _kpi(entry: Any, where: str) -> Kpi:
    if not isinstance(entry, dict) or "name" not in entry:
        raise InputError(f"{where}: een KPI heeft minstens name en title, en metric of needs.")
    where = f"{where} ('{entry['name']}')"
    if ("metric" in entry) == ("needs" in entry):
        raise InputError(f"{where}: geef óf 'metric' (een cijfer), óf 'needs' (gegevens die nog ontbreken).")
    metric = _metric(entry["metric"], where) if "metric" in entry else None
    target = entry.get("target")
    measure = entry.get("measure")
    if measure is not None and metric is not None and measure not in CATALOGUE[metric].measures:
        raise InputError(
            f"{where}: maat '{measure}' hoort niet bij '{metric}'; "
            f"kies uit {', '.join(CATALOGUE[metric].measures)}."
        )
    return Kpi(
        name=str(entry["name"]),
        title=str(entry.get("title", entry["name"])),
        metric=metric,
        filter=_filter(entry.get("filter"), metric, where),
        target=None if target is None else _number(target, "target", where, example="0.25 (25 %) of 120"),
        higher_is_better=bool(entry.get("higher_is_better", True)),
        needs=str(entry["needs"]) if "needs" in entry else None,
        measure=None if measure is None else str(measure),
        prices=_prices(entry.get("prices"), metric, where) if metric is not None else None,
    )


def apply_targets(template: Template, path: Path) -> Template:
    """The template with the municipality's KPI targets (streefwaarden) from the YAML file ``path``.

    Targets are policy, not layout: the built-in templates carry none, and a KPI without one says 'geen
    streefwaarde'. The file maps a KPI or key figure name to its target in the unit of its measure, or to
    ``{target: ..., higher_is_better: ...}``::

        doorstroom_jeugd: 0.25          # 25 %
        doorstroom_wmo: {target: 0.20, higher_is_better: true}

    A name the template does not have, or a KPI whose data are not loaded yet, is refused. The file is part
    of the template's hash, so an edition notes when a target changed.
    """
    where = f"Streefwaardenbestand {path.name}"
    try:
        raw = path.read_bytes()
        data = yaml.safe_load(raw.decode("utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise InputError(f"Kan streefwaardenbestand {path} niet lezen: {exc}") from exc
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InputError(f"{where}: geef per KPI een streefwaarde, zoals 'doorstroom_jeugd: 0.25'.")
    kpis = {k.name: k for k in (*template.summary, *template.kpis) if k.metric is not None}
    for name in data:
        if str(name) not in kpis:
            known = ", ".join(kpis) or "geen"
            raise InputError(
                f"{where}: sjabloon '{template.name}' heeft geen KPI of kerncijfer '{name}' met cijfers; "
                f"kies uit: {known}."
            )

    def with_target(kpi: Kpi) -> Kpi:
        entry = data.get(kpi.name)
        if entry is None or kpi.metric is None:
            return kpi
        here = f"{where}, '{kpi.name}'"
        if isinstance(entry, dict):
            unknown = set(entry) - {"target", "higher_is_better"}
            if unknown or "target" not in entry:
                raise InputError(
                    f"{here}: geef 'target' en eventueel 'higher_is_better', zoals {{target: 0.25}}."
                )
            better = entry.get("higher_is_better", kpi.higher_is_better)
            if not isinstance(better, bool):
                raise InputError(f"{here}: 'higher_is_better' is true of false, niet '{better}'.")
            target = _number(entry["target"], "target", here, example="0.25 (25 %) of 120")
            return replace(kpi, target=target, higher_is_better=better)
        return replace(kpi, target=_number(entry, "target", here, example="0.25 (25 %) of 120"))

    return replace(
        template,
        summary=tuple(with_target(k) for k in template.summary),
        kpis=tuple(with_target(k) for k in template.kpis),
        source_hash=hashlib.sha256(template.source_hash.encode("ascii") + b"\0" + raw).hexdigest(),
    )
