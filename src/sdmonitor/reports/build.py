"""Report model: a template and a report period -> sections with tables of formatted, suppressed cells.

Pure apart from the metric queries. Every count below the privacy threshold is hidden and shows ``< 5``;
where a section has a total row, a lone hidden part takes another with it (secondary suppression, shown as
``x``, as CBS does: the value is not small, only shielded); and every figure derived from a hidden count in
the same row (a ratio, rate, mean, change or trend) shows ``x`` too.
The figures dictionary (``clients.WMO.2018-H1`` -> value) feeds text references and edition hashes.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sdmonitor.domain.formatting import dutch_decimal, dutch_int
from sdmonitor.domain.periods import Period, history
from sdmonitor.metrics import MetricRequest, MetricResult, run_metric
from sdmonitor.reports.suppression import DEFAULT_POLICY, Policy, Relation, primary, round_to_five, suppress
from sdmonitor.reports.template import Section, Template
from sdmonitor.warehouse import Warehouse

# Measures that count people or allocations: subject to suppression.
COUNTS = frozenset({
    "clients", "allocations", "inflow", "outflow", "outflow_clients", "repeat_clients", "episodes",
    "open_episodes", "reentries", "men", "women", "sex_unknown", "turned_18", "with_wmo", "previous",
})  # fmt: skip
HEADERS = {
    "period": "Periode", "date": "Peildatum", "law": "Wet", "target_group": "Doelgroep", "age_band": "Leeftijd",
    "cbs_group": "Vorm van ondersteuning", "product_category": "Productcategorie", "product_code": "Product",
    "provider": "Aanbieder", "provider_type": "Type aanbieder", "wijk": "Wijk", "sex": "Geslacht",
    "clients": "Cliënten", "allocations": "Toewijzingen", "allocations_per_client": "Toewijzingen per cliënt",
    "inflow": "Instroom", "outflow": "Uitstroom", "net": "Saldo", "outflow_clients": "Uitgestroomd",
    "outflow_rate": "Uitstroom %", "per_1000": "Per 1.000 inwoners", "previous": "Vorige periode",
    "change": "Verschil", "change_pct": "Verschil %", "trend": "Trend", "long_trend": "Langjarige trend",
    "mean_age": "Gemiddelde leeftijd", "men": "Mannen", "women": "Vrouwen", "sex_unknown": "Onbekend",
    "groups": "Aantal vormen", "combination": "Combinatie", "turned_18": "18 geworden",
    "with_wmo": "Met Wmo", "share": "Aandeel",
}  # fmt: skip
LAW_NAMES = {"WMO": "Wmo", "JW": "Jeugdwet"}
# A cell hidden to protect another small count, or derived from a hidden one (CBS: 'x' = geheim).
PROTECTED_TEXT = "x"


@dataclass(frozen=True)
class Cell:
    """A table cell: the value (None when empty), what the reader sees, and whether it is hidden."""

    value: Any
    text: str
    hidden: bool = False


@dataclass(frozen=True)
class TableModel:
    """Column names (keys) and headers (Dutch), and rows of cells; the last row may be a total."""

    columns: tuple[str, ...]
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    has_total: bool = False


@dataclass(frozen=True)
class SectionModel:
    """A built section: its template entry, the metric's result table and an optional comparison."""

    section: Section
    label: str
    definition: str
    table: TableModel
    compare: TableModel | None = None


@dataclass(frozen=True)
class ReportModel:
    """A whole report for one period, as known on ``as_of``."""

    template: Template
    period: Period
    as_of: date | None
    sections: tuple[SectionModel, ...]
    figures: dict[str, Any]


def section_periods(template: Template, section: Section, period: Period) -> tuple[date, date]:
    """The date range a section covers: the report period, or the template's history up to it."""
    if section.periods == "report":
        return period.first, period.last
    first = history(period, template.grain, template.history)[0]
    return first.first, period.last


def request_for(
    template: Template, section: Section, period: Period, as_of: date | None, metric: str
) -> MetricRequest:
    """The metric request behind a section (or its comparison metric)."""
    start, end = section_periods(template, section, period)
    return MetricRequest(
        name=metric, grain=(section.grain or template.grain).value, start=start, end=end, by=section.by,
        as_of=as_of, growth=section.growth and metric == section.metric, threshold=template.threshold,
        per_1000=section.per_1000 and metric == section.metric,
    )  # fmt: skip


def show(column: str, value: Any) -> str:
    """A value as a Dutch reader sees it."""
    if value is None:
        return ""
    if column == "law":
        return LAW_NAMES.get(str(value), str(value))
    if column == "trend" or column == "long_trend":
        return {"up": "↑", "down": "↓", "flat": "→"}.get(str(value), str(value))
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, int):
        return dutch_int(value)
    if isinstance(value, float):
        if column in ("outflow_rate", "share", "repeat_share", "reentry_rate"):
            return dutch_decimal(value * 100, 1) + " %"
        if column == "change_pct":
            return dutch_decimal(value, 1) + " %"
        return dutch_decimal(value, 1 if column in ("mean_age", "per_1000") else 2)
    return str(value)


def table_model(result: MetricResult, policy: Policy, *, with_total: bool) -> TableModel:
    """Format and suppress a metric result; ``with_total`` adds a total row (sums of the count columns)."""
    columns = result.columns
    rows = [list(row) for row in result.rows]
    count_columns = [i for i, c in enumerate(columns) if c in COUNTS]
    if with_total and rows:
        total: list[Any] = ["Totaal", *([""] * (len(columns) - 1))]
        for i in count_columns:
            total[i] = sum(row[i] or 0 for row in rows)
        if "net" in columns and "inflow" in columns:
            total[columns.index("net")] = total[columns.index("inflow")] - total[columns.index("outflow")]
        rows.append(total)
    if policy.round_to_5:
        rows = [
            [round_to_five(v) if i in count_columns and isinstance(v, int) else v for i, v in enumerate(r)]
            for r in rows
        ]
    values: dict[Hashable, int] = {
        (r, i): row[i] for r, row in enumerate(rows) for i in count_columns if isinstance(row[i], int)
    }
    relations = []
    if with_total and rows:
        last = len(rows) - 1
        relations = [Relation((last, i), tuple((r, i) for r in range(last))) for i in count_columns]
    hidden = suppress(values, relations, policy)
    small = primary(values, policy)
    first_measure = columns.index(result.metric.measures[0])
    cells = []
    for r, row in enumerate(rows):
        row_hidden = any((r, i) in hidden for i in count_columns)
        line = []
        for i, value in enumerate(row):
            derived = i >= first_measure and i not in count_columns
            if (r, i) in hidden or (row_hidden and derived):
                text = policy_text(policy) if (r, i) in small else PROTECTED_TEXT
                line.append(Cell(value, text, hidden=True))
            else:
                line.append(Cell(value, show(columns[i], value)))
        cells.append(tuple(line))
    headers = tuple(HEADERS.get(c, c) for c in columns)
    return TableModel(columns, headers, tuple(cells), has_total=with_total and bool(rows))


def policy_text(policy: Policy) -> str:
    """What a hidden cell shows: '< 5' for the default threshold."""
    return f"< {policy.threshold}"


def figure_names(result: MetricResult) -> dict[str, Any]:
    """``metric.group values.period`` -> the primary measure, for text references and edition hashes."""
    from sdmonitor.metrics.compare import primary_measure

    columns = result.columns
    measure = primary_measure(result.metric.measures)
    at = columns.index(measure)
    groups = columns.index(result.metric.measures[0]) - 1
    names = {}
    for row in result.rows:
        key = ".".join([result.metric.name, *(str(v) for v in row[1 : 1 + groups]), str(row[0])])
        names[key] = row[at]
    return names


def build_report(
    warehouse: Warehouse,
    template: Template,
    period: Period,
    *,
    as_of: date | None,
    policy: Policy = DEFAULT_POLICY,
) -> ReportModel:
    """Run every section's metric for ``period`` and build the report model."""
    sections = []
    figures: dict[str, Any] = {}
    for section in template.sections:
        result = run_metric(warehouse, request_for(template, section, period, as_of, section.metric))
        figures.update(figure_names(result))
        compare = None
        if section.compare is not None:
            other = run_metric(warehouse, request_for(template, section, period, as_of, section.compare))
            compare = table_model(other, policy, with_total=section.totals)
        sections.append(SectionModel(
            section, result.metric.label, result.metric.definition,
            table_model(result, policy, with_total=section.totals), compare,
        ))  # fmt: skip
    return ReportModel(template, period, as_of, tuple(sections), figures)
