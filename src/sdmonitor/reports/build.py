"""Report model: a template and a report period -> sections with tables of formatted, suppressed cells.

Pure apart from the metric queries. Every count below the privacy threshold is hidden and shows ``< 5``;
where a section has a total row, a lone hidden part takes another with it (secondary suppression, shown as
``x``, as CBS does: the value is not small, only shielded); and every figure derived from a hidden count in
the same row (a ratio, rate, mean, change or trend) shows ``x`` too.
The figures dictionary (``clients.WMO.2018-H1`` -> value) feeds text references and edition hashes.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sdmonitor.domain.codes import codes
from sdmonitor.domain.formatting import dutch_decimal, dutch_int
from sdmonitor.domain.periods import Period, cut, history
from sdmonitor.metrics import CATALOGUE, MetricRequest, MetricResult, run_metric
from sdmonitor.reports.suppression import DEFAULT_POLICY, Policy, Relation, primary, round_to_five, suppress
from sdmonitor.reports.template import Section, Template
from sdmonitor.warehouse import Warehouse

if TYPE_CHECKING:
    from sdmonitor.reports.keyfigures import KeyFigure

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
    "with_wmo": "Met Wmo", "share": "Aandeel", "referrer": "Verwijzer", "delivery_form": "Leveringsvorm",
    "segment": "Segment", "municipality": "Gemeente", "mean_days": "Gemiddelde duur (dagen)",
    "median_days": "Mediaan (dagen)", "p90_days": "90e percentiel (dagen)", "mean_months": "Gemiddelde duur (maanden)",
    "median_months": "Mediaan (maanden)", "p90_months": "90e percentiel (maanden)", "episodes": "Trajecten",
    "open_episodes": "Lopende trajecten", "reentries": "Heraanmeldingen", "reentry_rate": "Heraanmelding %",
    "repeat_clients": "Herhaald beroep", "repeat_share": "Aandeel herhaald",
}  # fmt: skip
LAW_NAMES = {"WMO": "Wmo", "JW": "Jeugdwet"}
MONTH_LABEL = re.compile(r"\d{4}-\d{2}")
MONTH_NAMES = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
               "november", "december")  # fmt: skip
GRAIN_WORDS = {"month": "maand", "quarter": "kwartaal", "half": "halfjaar", "year": "jaar"}
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
    has_total: bool = False  # the last ``summary_rows`` rows are a total (and an average)
    key_columns: int = 1  # the leading columns that name a row (period or date, then the groups)
    row_keys: tuple[str | None, ...] = ()  # each row's figure name ('clients.WMO.2018-H1'); None: the total
    summary_rows: int = 0

    def figure_key(self, row: int, column: int) -> str | None:
        """The report-wide name of a cell ('clients.WMO.2018-H1#clients'), shared by tables showing it."""
        key = self.row_keys[row] if row < len(self.row_keys) else None
        return None if key is None else f"{key}#{self.columns[column]}"


@dataclass(frozen=True)
class SectionModel:
    """A built section: its template entry, the metric's result table and an optional comparison."""

    section: Section
    label: str
    definition: str
    table: TableModel
    compare: TableModel | None = None
    display: TableModel | None = None  # the table as shown, when the layout differs (periods as columns)
    note: str = ""  # e.g. how much renewals inflate the naive flows
    chart: dict[str, Any] | None = None  # a Vega-Lite spec (charts.py)

    @property
    def shown(self) -> TableModel:
        return self.display or self.table


@dataclass(frozen=True)
class ReportModel:
    """A whole report for one period, as known on ``as_of``."""

    template: Template
    period: Period
    as_of: date | datetime | None
    sections: tuple[SectionModel, ...]
    figures: dict[str, Any]  # 'clients.WMO.2018-H1' -> the value
    shown: dict[str, str] = field(default_factory=dict)  # the same names -> what the reader sees
    summary: tuple[KeyFigure, ...] = ()  # the key figures of the summary page
    kpis: tuple[KeyFigure, ...] = ()


def section_periods(template: Template, section: Section, period: Period) -> tuple[date, date]:
    """The date range a section covers: the report period, or the template's history up to it."""
    if section.periods == "report":
        return period.first, period.last
    first = history(period, template.grain, template.history)[0]
    return first.first, period.last


def request_for(
    template: Template, section: Section, period: Period, as_of: date | datetime | None, metric: str
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
    if column == "period" and isinstance(value, str) and MONTH_LABEL.fullmatch(value):
        return f"{MONTH_NAMES[int(value[5:]) - 1]} {value[:4]}"  # '2018-03' -> 'maart 2018'
    if column == "provider_type":
        return str(value).replace("_", " ")
    if column == "referrer":
        return codes("iJw 3.2", "LDT_TypeVerwijzer").get(str(value), str(value))
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
        return dutch_decimal(value, 1 if column in ("mean_age", "per_1000", "net") or column in COUNTS else 2)
    return str(value)


def table_model(
    result: MetricResult,
    policy: Policy,
    *,
    with_total: bool,
    forced: frozenset[str] = frozenset(),
    average_label: str = "Gemiddeld per periode",
    period_count: int | None = None,
    labels: Mapping[str, Mapping[str, str]] | None = None,
) -> TableModel:
    """Format and suppress a metric result; ``with_total`` adds a total row (sums of the count columns) and,
    with more than one period, the average per period.

    ``forced`` names figures hidden elsewhere in the report ('clients.WMO.2018-H1#clients'): they are hidden
    here too, and secondary suppression takes them into account.
    """
    labels = labels or {}
    columns = result.columns
    rows = [list(row) for row in result.rows]
    row_keys: list[str | None] = list(row_names(result))
    count_columns = [i for i, c in enumerate(columns) if c in COUNTS]
    if with_total and rows:
        total: list[Any] = ["Totaal", *([""] * (len(columns) - 1))]
        for i in count_columns:
            total[i] = sum(row[i] or 0 for row in rows)
        if "net" in columns and "inflow" in columns:
            total[columns.index("net")] = total[columns.index("inflow")] - total[columns.index("outflow")]
        rows.append(total)
        row_keys.append(None)
        periods = period_count or len({row[0] for row in result.rows})  # months without rows count too
        if periods > 1:
            average: list[Any] = [average_label, *([""] * (len(columns) - 1))]
            for i in count_columns:  # from the published (rounded) total: the exact one stays unknown
                average[i] = (round_to_five(total[i]) if policy.round_to_5 else total[i]) / periods
            if "net" in columns and "inflow" in columns:
                average[columns.index("net")] = (
                    average[columns.index("inflow")] - average[columns.index("outflow")]
                )
            rows.append(average)
            row_keys.append(None)
    summary_rows = len(rows) - len(result.rows)
    if policy.round_to_5:
        rows = [
            [round_to_five(v) if i in count_columns and isinstance(v, int) else v for i, v in enumerate(r)]
            for r in rows
        ]
        if "net" in columns and "inflow" in columns:  # the saldo of the published figures, not the exact one
            net, inflow, outflow = (columns.index(c) for c in ("net", "inflow", "outflow"))
            for row in rows:
                if isinstance(row[inflow], int | float) and isinstance(row[outflow], int | float):
                    row[net] = row[inflow] - row[outflow]
    values: dict[Hashable, int] = {
        (r, i): row[i]
        for r, row in enumerate(rows[: len(result.rows) + (1 if summary_rows else 0)])
        for i in count_columns
        if isinstance(row[i], int)
    }
    relations = []
    if with_total and rows:
        last = len(result.rows)
        relations = [Relation((last, i), tuple((r, i) for r in range(last))) for i in count_columns]
    elsewhere = {
        (r, i) for r, key in enumerate(row_keys) for i in count_columns if f"{key}#{columns[i]}" in forced
    }
    hidden = suppress(values, relations, policy, also=elsewhere)
    small = primary(values, policy)
    first_measure = columns.index(result.metric.measures[0])
    cells = []
    for r, row in enumerate(rows):
        if summary_rows == 2 and r == len(rows) - 1:  # the average derives from the total
            hidden |= {(r, i) for i in count_columns if (r - 1, i) in hidden}
        row_hidden = any((r, i) in hidden for i in count_columns)
        line = []
        for i, value in enumerate(row):
            derived = i >= first_measure and (i not in count_columns or r >= len(result.rows) + 1)
            if (r, i) in hidden or (row_hidden and derived):
                text = policy_text(policy) if (r, i) in small else PROTECTED_TEXT
                line.append(Cell(value, text, hidden=True))
            else:
                named = labels.get(columns[i], {}).get(str(value)) if value is not None else None
                line.append(Cell(value, named or show(columns[i], value)))
        cells.append(tuple(line))
    headers = tuple(HEADERS.get(c, c) for c in columns)
    return TableModel(
        columns, headers, tuple(cells), has_total=with_total and bool(rows), key_columns=first_measure,
        row_keys=tuple(row_keys), summary_rows=summary_rows,
    )  # fmt: skip


def hidden_figures(table: TableModel) -> set[str]:
    """The figure names of the hidden count cells of a table."""
    return {
        key
        for r, row in enumerate(table.rows)
        for i, cell in enumerate(row)
        if cell.hidden and table.columns[i] in COUNTS and (key := table.figure_key(r, i)) is not None
    }


def policy_text(policy: Policy) -> str:
    """What a hidden cell shows: '< 5' for the default threshold."""
    return f"< {policy.threshold}"


def row_names(result: MetricResult) -> list[str]:
    """Each row's figure name: ``metric.group values.period`` ('clients.WMO.2018-H1')."""
    groups = result.columns.index(result.metric.measures[0]) - 1
    return [
        ".".join([result.metric.name, *(str(v) for v in row[1 : 1 + groups]), str(row[0])])
        for row in result.rows
    ]


def figure_names(result: MetricResult) -> dict[str, Any]:
    """``metric.group values.period`` -> the primary measure, for text references."""
    from sdmonitor.metrics.compare import primary_measure

    at = result.columns.index(primary_measure(result.metric.measures))
    return {name: row[at] for name, row in zip(row_names(result), result.rows, strict=True)}


def shown_cells(table: TableModel, measure: str) -> dict[str, Cell]:
    """Figure name -> the cell a reader sees for it in this table ('1.234', '< 5', 'x')."""
    if measure not in table.columns:
        return {}
    at = table.columns.index(measure)
    return {key: row[at] for key, row in zip(table.row_keys, table.rows, strict=True) if key is not None}


def pivot(table: TableModel, measure: str) -> TableModel:
    """Periods as columns (the Lansingerland layout): a row per group, a column per period with ``measure``,
    then the last period's change and trends where the table has them."""
    at = table.columns.index(measure)
    extra = [table.columns.index(c) for c in ("change_pct", "trend", "long_trend") if c in table.columns]
    periods: list[str] = []
    values: dict[tuple[str, ...], dict[str, Cell]] = {}
    last: dict[tuple[str, ...], tuple[Cell, ...]] = {}
    for row in table.rows[: len(table.rows) - table.summary_rows]:
        period, group = row[0].text, tuple(cell.text for cell in row[1 : table.key_columns])
        if period not in periods:
            periods.append(period)
        values.setdefault(group, {})[period] = row[at]
        last[group] = tuple(row[i] for i in extra) if period == periods[-1] else ()
    empty = Cell(None, "")
    rows = tuple(
        (
            *(Cell(text, text) for text in group),
            *(cells.get(period, empty) for period in periods),
            *(last[group] or tuple(empty for _ in extra)),
        )
        for group, cells in values.items()
    )
    keys = table.columns[1 : table.key_columns]
    return TableModel(
        columns=(*keys, *periods, *(table.columns[i] for i in extra)),
        headers=(*table.headers[1 : table.key_columns], *periods, *(table.headers[i] for i in extra)),
        rows=rows,
        key_columns=len(keys),
    )


CHART_SOURCE = "gemeentelijke registratie van toewijzingen (Wmo 2015, Jeugdwet)"
CHART_NOTE = "Aantallen onder de privacygrens en afgeschermde cijfers zijn niet getekend."


def chart_spec(section: Section, table: TableModel, measure: str, label: str) -> dict[str, Any] | None:
    """The section's chart from its (suppressed) table: hidden cells are left out, never drawn."""
    from sdmonitor.reports import charts

    if section.chart is None or measure not in table.columns:
        return None
    at = table.columns.index(measure)
    body = table.rows[: len(table.rows) - table.summary_rows]
    left_out = any(row[at].hidden for row in body)
    points = []
    if section.chart == "line":
        for row in body:
            group = " · ".join(cell.text for cell in row[1 : table.key_columns]) or label
            if not row[at].hidden and isinstance(row[at].value, int | float):
                points.append(charts.Point(row[0].text, group, float(row[at].value)))
        x_title = table.headers[0]
    else:  # bars: the report period's rows, grouped by the first column after the period
        latest = body[-1][0].text if body else ""
        for row in body:
            if row[0].text != latest or row[at].hidden or not isinstance(row[at].value, int | float):
                continue
            x = row[1].text if table.key_columns > 1 else latest
            series = " · ".join(cell.text for cell in row[2 : table.key_columns]) or label
            points.append(charts.Point(x, series, float(row[at].value)))
        x_title = table.headers[1] if table.key_columns > 1 else table.headers[0]
    if not points:
        return None
    make = charts.line_spec if section.chart == "line" else charts.bar_spec
    return make(
        section.title, points, x_title=x_title, y_title=HEADERS.get(measure, measure), source=CHART_SOURCE,
        note=CHART_NOTE if left_out else "",
    )  # fmt: skip


def renewal_note(table: TableModel, naive: TableModel) -> str:
    """How much the naive count (every allocation apart) inflates inflow and outflow (the Leiden comparison)."""
    if not (table.has_total and naive.has_total) or "inflow" not in table.columns:
        return ""
    total = table.rows[len(table.rows) - table.summary_rows]
    naive_total = naive.rows[len(naive.rows) - naive.summary_rows]
    parts = []
    for column, word in (("inflow", "instroom"), ("outflow", "uitstroom")):
        i = table.columns.index(column)
        real, counted = total[i], naive_total[naive.columns.index(column)]
        if real.hidden or counted.hidden or not real.value:
            return ""
        extra = (counted.value - real.value) / real.value * 100
        parts.append(
            f"de {word} {counted.text} in plaats van {real.text} ({dutch_decimal(extra, 1)} % hoger)"
        )
    return (
        "Wie elke toewijzing apart telt, ziet verlengingen en productwisselingen als nieuwe in- en uitstroom: "
        f"dan is {parts[0]} en {parts[1]}."
    )


def provider_names(warehouse: Warehouse) -> dict[str, str]:
    """AGB code -> 'name (code)' from the providers reference table, for readable provider columns."""
    return {
        code: f"{name} ({code})"
        for code, name in warehouse.rows("SELECT provider_code, provider_name FROM providers")
    }


def top_groups(result: MetricResult, n: int) -> MetricResult:
    """Only the ``n`` groups with the highest primary measure in the last period, highest first."""
    from sdmonitor.metrics.compare import primary_measure

    at = result.columns.index(primary_measure(result.metric.measures))
    width = result.columns.index(result.metric.measures[0])
    last = max((row[0] for row in result.rows), default=None)
    ranked = sorted((row for row in result.rows if row[0] == last), key=lambda row: -(row[at] or 0))
    rank = {tuple(row[1:width]): i for i, row in enumerate(ranked[:n])}
    rows = sorted(
        (row for row in result.rows if tuple(row[1:width]) in rank),
        key=lambda row: (row[0], rank[tuple(row[1:width])]),
    )
    return replace(result, rows=rows)


def build_report(
    warehouse: Warehouse,
    template: Template,
    period: Period,
    *,
    as_of: date | None,
    policy: Policy = DEFAULT_POLICY,
) -> ReportModel:
    """Run every section's metric for ``period`` and build the report model.

    Suppression holds across the report: a figure hidden in one table is hidden in every table that shows
    it, and each table's secondary suppression takes that into account (repeated until nothing changes).
    """
    results = []
    figures: dict[str, Any] = {}
    for section in template.sections:
        result = run_metric(warehouse, request_for(template, section, period, as_of, section.metric))
        if section.top is not None:
            result = top_groups(result, section.top)
        other = None
        if section.compare is not None:
            other = run_metric(warehouse, request_for(template, section, period, as_of, section.compare))
        results.append((section, result, other))
        figures.update(figure_names(result))
    labels = {"provider": provider_names(warehouse)}
    forced: frozenset[str] = frozenset()
    while True:
        sections = []
        for section, result, other in results:
            grain = section.grain or template.grain
            options: dict[str, Any] = {
                "with_total": section.totals,
                "forced": forced,
                "average_label": f"Gemiddeld per {GRAIN_WORDS[grain.value]}",
                "period_count": len(cut(*section_periods(template, section, period), grain)),
                "labels": labels,
            }
            table = table_model(result, policy, **options)
            compare = None if other is None else table_model(other, policy, **options)
            sections.append(
                SectionModel(section, result.metric.label, result.metric.definition, table, compare)
            )
        hidden = frozenset().union(*(hidden_figures(t) for s in sections for t in (s.table, s.compare) if t))
        if hidden <= forced:
            break
        forced = forced | hidden
    sections = [_finish(s) for s in sections]
    from sdmonitor.reports.keyfigures import key_figures

    summary = key_figures(warehouse, template, template.summary, period, as_of=as_of, policy=policy)
    kpis = key_figures(warehouse, template, template.kpis, period, as_of=as_of, policy=policy)
    return ReportModel(template, period, as_of, tuple(sections), figures, _shown(sections), summary, kpis)


def _finish(model: SectionModel) -> SectionModel:
    """Add what a section shows besides its table: periods as columns, the chart, the renewal note."""
    from sdmonitor.metrics.compare import primary_measure

    section = model.section
    measure = primary_measure(CATALOGUE[section.metric].measures)
    note = renewal_note(model.table, model.compare) if model.compare is not None else ""
    return replace(
        model,
        display=pivot(model.table, measure) if section.layout == "columns" else None,
        note=note,
        chart=chart_spec(section, model.table, measure, model.label),
    )


def _shown(sections: list[SectionModel]) -> dict[str, str]:
    """What text references show: the primary measure as the tables show it; hidden where any table hides it."""
    from sdmonitor.metrics.compare import primary_measure

    shown: dict[str, Cell] = {}
    for section in sections:
        measure = primary_measure(CATALOGUE[section.section.metric].measures)
        for key, cell in shown_cells(section.table, measure).items():
            if key not in shown or (cell.hidden and not shown[key].hidden):
                shown[key] = cell
    return {key: cell.text for key, cell in shown.items()}
