"""Report model: a template and a report period -> sections with tables of formatted, suppressed cells.

Pure apart from the metric queries. Every count below the privacy threshold is hidden and shows ``< 5``;
where a section has a total row, a lone hidden part takes another with it (secondary suppression, shown as
``x``, as CBS does: the value is not small, only shielded); and every figure derived from a hidden count in
the same row (a ratio, rate, mean, change or trend) shows ``x`` too.
The figures dictionary (``clients.WMO.2018-H1`` -> value) feeds text references and edition hashes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from sdmonitor.domain.benefits import ReasonGroup
from sdmonitor.domain.formatting import dutch_decimal
from sdmonitor.domain.periods import MONTHS_PER, Grain, Period, add_months, cut, history
from sdmonitor.domain.wording import GRAIN_WORDS, MONTH_NAMES, law_name, sources_text
from sdmonitor.errors import InputError
from sdmonitor.metrics import CATALOGUE, MetricRequest, MetricResult, catalogue, run_metric
from sdmonitor.metrics.catalogue import MEASURES, OPTIONS, Kind, previous_year_measure
from sdmonitor.metrics.compare import add_growth, add_previous_year, pct_change, year_before
from sdmonitor.metrics.forecast_model import ROOM_ALERT
from sdmonitor.metrics.run import LatePeriodError
from sdmonitor.reports import charts, finance
from sdmonitor.reports.benefits import (
    NO_BENEFIT_DATA,
    REASON_GROUP,
    benefit_labels,
    benefits_loaded,
    is_benefit_metric,
    missing_reasons,
    other_reasons_note,
    participation_missing,
    per_10000_note,
    reintegration_loaded,
)
from sdmonitor.reports.definitions import report_definition
from sdmonitor.reports.keyfigures import (
    NO_DECLARATIONS,
    KeyFigure,
    KeyFigureData,
    finish_key_figure,
    key_figure_data,
)
from sdmonitor.reports.model import PROTECTED_TEXT, Cell, TableModel, policy_text, show
from sdmonitor.reports.protect import (
    BENEFIT_SOURCE,
    COUNTS,
    DURATION_SUMS,
    ROW_SUMS,
    Ledger,
    Protection,
    depends_on,
    figure_key,
    first_value_column,
    group_spec,
    rounded,
    value_measure,
)
from sdmonitor.reports.suppression import DEFAULT_POLICY, Policy, Relation
from sdmonitor.reports.template import Kpi, Section, Template, prices_year
from sdmonitor.warehouse import Warehouse, inventory


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
    year_to_date: Grain | None = None  # a section by year shown over the same months of every year
    chart: dict[str, Any] | None = None  # a Vega-Lite spec (charts.py)
    charts: tuple[dict[str, Any], ...] = ()  # more charts (a finance section: one per budget line)
    items: tuple[str, ...] = ()  # sentences shown as a list (depletion warnings, the bridge in words)
    subtotals: TableModel | None = (
        None  # the figure per group of the first 'by' column (``Section.subtotals``)
    )
    source: str = ""  # where its figures come from ('Bron: ...' under a table without a chart that says it)

    @property
    def shown(self) -> TableModel:
        return self.display or self.table

    @property
    def has_table(self) -> bool:
        """Whether the section shows its table: not when it is empty and its note says why (no benefits, no
        waiting data loaded): one sentence, not a table of headers."""
        return bool(self.shown.rows) or not self.note


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


def year_to_date_grain(section: Section, period: Period) -> Grain | None:
    """The grain whose first period is the year to date, for a section by year in a report over part of a
    year (the half-year for a first-half report); None when the report period ends on 31 December."""
    if section.grain is not Grain.YEAR or (period.last.month, period.last.day) == (12, 31):
        return None
    grain = {3: Grain.QUARTER, 6: Grain.HALF}.get(period.last.month)
    if grain is None:
        raise InputError(
            f"Sectie '{section.name}' toont cijfers per jaar, maar het rapport over {period.label} eindigt "
            f"niet op 31 maart, 30 juni of 31 december: dan is er geen eerlijke vergelijking met dezelfde "
            "maanden van eerdere jaren. Kies voor deze sectie een ander grain of rapporteer over een heel jaar."
        )
    return grain


REFERENCE_DATES_NOTE = (
    "Peildata: de eerste dag van elk kwartaal (of andere deelperiode) van de periode en de dag erna (zoals Leiden: 1 januari, 1 april en "
    "1 juli voor een eerste halfjaar), en de laatste dag van de periode (de peildatum van CBS, zoals 30 juni)."
)
END_DATES_NOTE = (
    "Peildatum: de laatste dag van elke periode (bij halfjaren 30 juni en 31 december), zoals CBS en "
    "Lansingerland het bestand op de peildatum tellen."
)
# 'januari tot en met juni': the months of a first quarter or half-year
YEAR_TO_DATE_MONTHS = {
    grain: f"{MONTH_NAMES[0]} tot en met {MONTH_NAMES[MONTHS_PER[grain] - 1]}"
    for grain in (Grain.QUARTER, Grain.HALF)
}


def year_to_date(
    warehouse: Warehouse, template: Template, section: Section, period: Period, as_of: date | datetime | None,
    part: Grain,
) -> MetricResult:  # fmt: skip
    """A section by year in a report over part of a year: each year over the same months as the report's
    year so far (for 2018-H1: 2015-H1, 2016-H1, 2017-H1, 2018-H1), never half a year beside whole years.
    Growth compares each year's part with the same part of the year before."""
    start, end = section_periods(template, section, period)
    request = replace(
        request_for(template, section, period, as_of, section.metric), grain=part.value, growth=False
    )
    result = run_metric(warehouse, replace(request, start=start, end=end))
    suffix = "-Q1" if part is Grain.QUARTER else "-H1"
    columns, rows = result.columns, [row for row in result.rows if str(row[0]).endswith(suffix)]
    if section.growth:
        columns, rows = add_growth(columns, rows, len(section.by), template.threshold, result.status.unusable)
    return replace(result, columns=columns, rows=rows)


def previous_year(
    warehouse: Warehouse, template: Template, section: Section, period: Period, as_of: date | datetime | None,
    labels: list[str],
) -> MetricResult:  # fmt: skip
    """A section with ``previous: year`` (Lansingerland's figure 5): its periods (``labels``), each count
    beside the count of the same period a year earlier (``compare.add_previous_year``); the metric runs from a
    year before the section's first period."""
    request = request_for(template, section, period, as_of, section.metric)
    assert request.start is not None  # a period section: request_for gives its range
    result = run_metric(warehouse, replace(request, start=add_months(request.start, -12)))
    counts = tuple(m for m in result.metric.measures if MEASURES[m].kind is Kind.COUNT)
    columns, rows = add_previous_year(
        result.columns, result.rows, len(section.by), counts, labels, result.status.unusable
    )
    return replace(result, columns=columns, rows=rows)


PREVIOUS_YEAR_NOTE = (
    "Naast elk aantal staat het aantal van dezelfde periode een jaar eerder ({earlier}). Een lege cel betekent "
    "dat in die periode niets is geregistreerd (geen 0){incomplete}."
)


def previous_year_note(result: MetricResult) -> str:
    """What the columns of ``previous: year`` show, naming the earlier period(s)."""
    earlier = [year_before(p) for p in dict.fromkeys(str(row[0]) for row in result.rows)]
    late = [p for p in earlier if p in result.status.unusable]
    incomplete = f", of dat {', '.join(late)} onvolledig is en niet wordt vergeleken" if late else ""
    return PREVIOUS_YEAR_NOTE.format(earlier=", ".join(earlier) or "-", incomplete=incomplete)


def reference_dates(template: Template, section: Section, period: Period) -> tuple[date, ...]:
    """The reference dates (peildata) of a stock section over the report period, as the seeds use them: the
    first day of each of the section's periods and the day after the report period (Leiden: 1 January,
    1 April and 1 July for a first half-year), and the period's last day (the CBS peildatum, 30 June).

    A section with ``dates: end`` counts on the last day of each of its periods instead, over its history
    too (Lansingerland's benefits on the reference date per half-year: 30 June and 31 December)."""
    if section.dates == "end":
        return tuple(
            p.last for p in cut(*section_periods(template, section, period), section.grain or template.grain)
        )
    if section.periods != "report":
        return ()
    grain = section.grain or template.grain
    firsts = [p.first for p in cut(period.first, period.last, grain)]
    return tuple(sorted({*firsts, period.last, period.last + timedelta(days=1)}))


def request_for(
    template: Template, section: Section, period: Period, as_of: date | datetime | None, metric: str
) -> MetricRequest:
    """The metric request behind a section (or its comparison metric)."""
    start, end = section_periods(template, section, period)
    dates = (
        reference_dates(template, section, period) if CATALOGUE[metric].only_dates or section.dates else ()
    )
    prices = prices_year(section.prices, period.last.year) if metric == section.metric else None
    options: dict[str, Any] = {} if prices is None else {"prices": prices}
    if section.stack_by is not None and "stack_by" in CATALOGUE[metric].options:
        options["stack_by"] = section.stack_by
    return MetricRequest(
        on=dates, options=options,
        name=metric, grain=(section.grain or template.grain).value, start=start, end=end, by=section.by,
        as_of=as_of, growth=section.growth and metric == section.metric, threshold=template.threshold,
        per_1000=section.per_1000 and metric == section.metric,
        per_10000=section.per_10000 and metric == section.metric,
    )  # fmt: skip


@dataclass
class Draft:
    """A table before protection: exact values, and the report-wide name of every count cell."""

    result: MetricResult
    table_id: str
    rows: list[list[Any]]  # the metric's rows, then the total row (exact)
    row_keys: list[str | None]  # text-reference names; None for the total
    keys: dict[tuple[int, int], str]  # (row, column) -> protected figure name
    base_keys: dict[int, str]  # row -> the name of its base-period figure (for the long-term trend)
    start: int  # the first value column
    with_total: bool
    average_label: str
    period_count: int


def draft_table(
    result: MetricResult,
    ledger: Ledger,
    table_id: str,
    *,
    with_total: bool = False,
    average_label: str = "Gemiddeld per periode",
    period_count: int | None = None,
    groups: tuple[tuple[str, str], ...] = (),
) -> Draft:
    """Name every count of a metric result and enter it, with its sums, in the report's ledger; ``groups``
    join every name (stacking over laws: ('stapeling', 'law'), so it is never the stacking over CBS groups)."""

    columns = result.columns
    start = first_value_column(columns, result.metric.measures)
    measure = value_measure(result.metric.measures)
    rows = [list(row) for row in result.rows]
    source = [*([BENEFIT_SOURCE] if is_benefit_metric(result.metric.name) else []), *groups]
    specs = [group_spec([*zip(columns[1:start], row[1:start], strict=True), *source]) for row in rows]
    periods = list(dict.fromkeys(str(row[0]) for row in rows))
    usable = [p for p in periods if p not in result.status.unusable]  # the long-term trend's base period
    keys: dict[tuple[int, int], str] = {}
    base_keys: dict[int, str] = {}
    for r, row in enumerate(rows):
        for i, column in enumerate(columns):
            if column in COUNTS and column != "previous" and i >= start:
                if (earlier := previous_year_measure(column)) is not None:  # the same count a year earlier
                    keys[(r, i)] = figure_key(specs[r], year_before(str(row[0])), earlier)
                else:
                    keys[(r, i)] = figure_key(specs[r], str(row[0]), column)
        position = periods.index(str(row[0]))
        if "previous" in columns and position > 0:  # the previous period's figure, under its own name
            keys[(r, columns.index("previous"))] = figure_key(specs[r], periods[position - 1], measure)
        if "long_trend" in columns:
            base_keys[r] = figure_key(specs[r], (usable or periods)[0], measure)
        for whole, parts in (*ROW_SUMS.items(), *DURATION_SUMS.items()):
            if whole in columns and all(part in columns for part in parts):
                ledger.relations.append(
                    Relation(
                        keys[(r, columns.index(whole))], tuple(keys[(r, columns.index(p))] for p in parts)
                    )
                )
    for (r, i), key in keys.items():
        ledger.add(key, rows[r][i])
    row_keys: list[str | None] = list(row_names(result))
    if with_total and rows:
        total: list[Any] = ["Totaal", *([""] * (len(columns) - 1))]
        body = len(rows)
        for i, column in enumerate(columns):
            if column in COUNTS and column != "previous" and i >= start:
                total[i] = sum(row[i] or 0 for row in rows)
                keys[(body, i)] = f"{table_id}#totaal#{column}"
                ledger.add(keys[(body, i)], total[i])
                ledger.relations.append(Relation(keys[(body, i)], tuple(keys[(r, i)] for r in range(body))))
        if "net" in columns and "inflow" in columns:
            total[columns.index("net")] = total[columns.index("inflow")] - total[columns.index("outflow")]
        rows.append(total)
        row_keys.append(None)
    return Draft(
        result, table_id, rows, row_keys, keys, base_keys, start, with_total and bool(result.rows),
        average_label, period_count or len(periods),
    )  # fmt: skip


def finish_table(
    draft: Draft,
    protection: Protection,
    policy: Policy,
    labels: Mapping[str, Mapping[str, str]] | None = None,
) -> TableModel:
    """The table as published: rounded when asked, averages, hidden cells as '< 5' or 'x'."""
    labels = labels or {}
    columns = draft.result.columns
    body = len(draft.result.rows)
    rows = [[rounded(dict(zip(columns, row, strict=True)), policy)[c] for c in columns] for row in draft.rows]
    if policy.round_to_5 and "previous" in columns:  # growth from the published counts
        now, before = columns.index(value_measure(draft.result.metric.measures)), columns.index("previous")
        for row in rows[:body]:
            if isinstance(row[before], int) and isinstance(row[now], int):
                row[columns.index("change")] = row[now] - row[before]
                row[columns.index("change_pct")] = pct_change(row[now], row[before])
    count_columns = [i for i, c in enumerate(columns) if c in COUNTS and i >= draft.start]
    measure = value_measure(draft.result.metric.measures)
    if draft.with_total and draft.period_count > 1:
        total = rows[body]
        average: list[Any] = [draft.average_label, *([""] * (len(columns) - 1))]
        for i in count_columns:  # from the published total: the exact one stays unknown
            if columns[i] != "previous":
                average[i] = total[i] / draft.period_count
        if "net" in columns and "inflow" in columns:
            average[columns.index("net")] = (
                average[columns.index("inflow")] - average[columns.index("outflow")]
            )
        rows.append(average)
    hidden = {cell for cell, key in draft.keys.items() if key in protection.hidden}
    small = {cell for cell, key in draft.keys.items() if key in protection.small}
    cells = []
    for r, row in enumerate(rows):
        if r == body + 1:  # the average derives from the total
            hidden |= {(r, i) for i in count_columns if (body, i) in hidden}
        row_hidden = any((r, i) in hidden for i in count_columns)
        line = []
        for i, value in enumerate(row):
            derived = i >= draft.start and (i not in count_columns or r == body + 1)
            if derived and r < body and (bases := depends_on(columns[i], measure)) is not None:
                # hidden with the counts it is computed from only (a mean duration over 16 episodes stays)
                derived = any((r, columns.index(b)) in hidden for b in bases if b in columns)
            elif derived:
                derived = row_hidden
            base_hidden = columns[i] == "long_trend" and draft.base_keys.get(r) in protection.hidden
            if (r, i) in hidden or derived or base_hidden:
                line.append(
                    Cell(value, policy_text(policy) if (r, i) in small else PROTECTED_TEXT, hidden=True)
                )
            else:
                named = labels.get(columns[i], {}).get(str(value)) if value is not None else None
                text = named or show(columns[i], value)
                if i == 0 and r < body and (status := draft.result.status.of(str(value))):
                    text = f"{text} ({status})"  # onvolledig, t/m <data moment>, gepland
                line.append(Cell(value, text))
        cells.append(tuple(line))
    headers = tuple(catalogue.header(c) for c in columns)
    return TableModel(
        columns, headers, tuple(cells), has_total=draft.with_total, key_columns=draft.start,
        row_keys=tuple([*draft.row_keys, *([None] * (len(rows) - len(draft.row_keys)))]),
        summary_rows=len(rows) - body,
    )  # fmt: skip


def table_model(
    result: MetricResult,
    policy: Policy,
    *,
    with_total: bool,
    average_label: str = "Gemiddeld per periode",
    period_count: int | None = None,
    labels: Mapping[str, Mapping[str, str]] | None = None,
) -> TableModel:
    """One table protected on its own (tests and single tables; a report protects all its tables at once)."""
    ledger = Ledger()
    draft = draft_table(
        result, ledger, "tabel", with_total=with_total, average_label=average_label, period_count=period_count
    )
    return finish_table(draft, ledger.hide(policy), policy, labels)


def row_names(result: MetricResult) -> list[str]:
    """Each row's figure name: ``metric.group values.period`` ('clients.WMO.2018-H1')."""
    groups = first_value_column(result.columns, result.metric.measures) - 1
    return [
        ".".join([result.metric.name, *(str(v) for v in row[1 : 1 + groups]), str(row[0])])
        for row in result.rows
    ]


def figure_names(result: MetricResult) -> dict[str, Any]:
    """``metric.group values.period`` -> the primary measure, for text references."""

    at = result.columns.index(value_measure(result.metric.measures))
    start = first_value_column(result.columns, result.metric.measures)
    names: dict[str, Any] = {}
    for name, row in zip(row_names(result), result.rows, strict=True):
        names[name] = row[at]
        for i in range(start, len(result.columns)):  # every measure: 'flows.2018-03#outflow'
            names[f"{name}#{result.columns[i]}"] = row[i]
    return names


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
    body = table.rows[: len(table.rows) - table.summary_rows]
    final = body[-1][0].text if body else ""
    for row in body:
        period, group = row[0].text, tuple(cell.text for cell in row[1 : table.key_columns])
        if period not in periods:
            periods.append(period)
        values.setdefault(group, {})[period] = row[at]
        if period == final:  # the change and trends of the last period only
            last[group] = tuple(row[i] for i in extra)
    empty = Cell(0, "0") if measure in COUNTS else Cell(None, "")  # no row: nobody in that period
    keys = table.columns[1 : table.key_columns]
    rows = tuple(
        (
            *(Cell(text, text) for text in group),
            *(cells.get(period, empty) for period in periods),
            *(last.get(group) or tuple(Cell(None, "") for _ in extra)),
        )
        for group, cells in sorted(values.items(), key=lambda item: life_course(keys, item[0]))
    )
    return TableModel(
        columns=(*keys, *periods, *(table.columns[i] for i in extra)),
        headers=(*table.headers[1 : table.key_columns], *periods, *(table.headers[i] for i in extra)),
        rows=rows,
        key_columns=len(keys),
    )


# Target groups in the order of Lansingerland's figure 3 (young to old), whatever their alphabetical order.
TARGET_GROUP_ORDER = {"jeugd": 0, "volwassenen": 1, "ouderen": 2}


def life_course(columns: tuple[str, ...], group: tuple[str, ...]) -> tuple[int, ...]:
    """A pivot row's place: by target group young to old (Jeugd, Volwassenen, Ouderen), otherwise as the
    rows came (a stable sort keeps the metric's order, or the top-N ranking, within a target group)."""
    return tuple(
        TARGET_GROUP_ORDER.get(text.lower(), len(TARGET_GROUP_ORDER))
        for column, text in zip(columns, group, strict=True)
        if column == "target_group"
    )


# What a metric reads (``Metric.reads``) -> the loads its figures come from (``SOURCE_NAMES``)
READS_SOURCES = {
    "allocation_volumes": ("allocations", "declarations"),
    "care": ("allocations", "deliveries"),
}


def chart_source(metric: str, benefits: bool) -> str:
    """The source line of a section's chart: where its metric's figures come from (``Metric.reads``), the
    income system for benefits, and both registrations for a figure about clients of the three laws
    (``with_benefits``) once benefits are loaded."""
    declared = CATALOGUE[metric]
    kinds = READS_SOURCES.get(declared.reads, (declared.reads,))
    if declared.with_benefits and benefits:
        kinds = (*kinds, "benefits")
    return sources_text(kinds)


CHART_NOTE = "Aantallen onder de privacygrens en afgeschermde cijfers zijn niet getekend."


MANY_COUNTS_TITLE = "Aantal"  # the y-axis of a chart of several counts (benefits and persons)
# counts that are parts of another (men and women of clients, duration classes of an outflow): not drawn
PART_COUNTS = frozenset(p for parts in (*ROW_SUMS.values(), *DURATION_SUMS.values()) for p in parts)


def chart_counts(table: TableModel) -> list[str]:
    """The counts a line chart of a table without groups draws, one line each: every count it shows that is
    no part of another (benefits and persons; inflow and outflow), not the same count a year earlier."""
    return [
        column
        for column in table.columns[table.key_columns :]
        if column in COUNTS and column != "previous" and column not in PART_COUNTS
        and previous_year_measure(column) is None
    ]  # fmt: skip


def chart_spec(
    section: Section, table: TableModel, measure: str, label: str, source: str
) -> dict[str, Any] | None:
    """The section's chart from its (suppressed) table: hidden cells are left out, never drawn; ``source``:
    its source line (``chart_source``)."""
    if section.chart is None or measure not in table.columns:
        return None
    at = table.columns.index(measure)
    body = table.rows[: len(table.rows) - table.summary_rows]
    left_out = any(row[at].hidden for row in body)
    points = []
    y_title = catalogue.header(measure)
    if section.chart == "line":
        drawn = chart_counts(table) if table.key_columns == 1 else [measure]
        if len(drawn) > 1:  # benefits and persons, inflow and outflow: one line each, a neutral axis title
            y_title = MANY_COUNTS_TITLE
        for row in body:
            group = " · ".join(cell.text for cell in row[1 : table.key_columns]) or label
            for column in drawn:
                cell = row[table.columns.index(column)]
                left_out = left_out or cell.hidden
                if not cell.hidden and isinstance(cell.value, int | float):
                    series = catalogue.header(column) if len(drawn) > 1 else group
                    points.append(charts.Point(row[0].text, series, float(cell.value)))
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
        section.title, points, x_title=x_title, y_title=y_title, source=source,
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
    return {code: f"{name} ({code})" for code, name in inventory.provider_names(warehouse).items()}


def top_groups(result: MetricResult, n: int) -> MetricResult:
    """Only the ``n`` groups with the highest primary measure in the last period, highest first."""

    at = result.columns.index(value_measure(result.metric.measures))
    width = first_value_column(result.columns, result.metric.measures)
    last = max((row[0] for row in result.rows), default=None)
    ranked = sorted((row for row in result.rows if row[0] == last), key=lambda row: -(row[at] or 0))
    rank = {tuple(row[1:width]): i for i, row in enumerate(ranked[:n])}
    rows = sorted(
        (row for row in result.rows if tuple(row[1:width]) in rank),
        key=lambda row: (row[0], rank[tuple(row[1:width])]),
    )
    return replace(result, rows=rows)


def period_has_data(
    warehouse: Warehouse, period: Period, grain: Grain, as_of: date | datetime | None
) -> bool:
    """Whether any client had support in ``period`` (as known at ``as_of``): a report over a period without
    data would publish nothing but zeros."""
    result = run_metric(
        warehouse, MetricRequest(name="clients", grain=grain.value, start=period.first, end=period.last,
                                 as_of=as_of),
    )  # fmt: skip
    position = result.columns.index("clients")
    return any(row[position] for row in result.rows)


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
    money = money_loaded(warehouse)
    access = access_loaded(warehouse)
    access_late: dict[str, str] = {}  # access sections on reference dates after their data moment
    late: dict[str, str] = {}  # money sections over periods after the declarations' data moment
    benefits = benefits_loaded(warehouse)
    reintegration = reintegration_loaded(warehouse)
    missing: dict[
        str, str
    ] = {}  # sections without their data: benefits, provisions or reasons (one sentence)
    for section in template.sections:
        if not section.is_metric:
            continue
        grain = section.grain or template.grain
        labels_of_periods = [p.label for p in cut(*section_periods(template, section, period), grain)]
        part = year_to_date_grain(section, period)
        try:
            if (reason := participation_missing(section.metric, benefits, reintegration)) is not None:
                missing[section.name] = reason  # says so instead of a table of zeros
                result = empty_result(section)
            elif section.previous is not None:
                result = previous_year(warehouse, template, section, period, as_of, labels_of_periods)
            elif part is None:
                result = run_metric(warehouse, request_for(template, section, period, as_of, section.metric))
            else:
                result = year_to_date(warehouse, template, section, period, as_of, part)
                labels_of_periods = (
                    list(dict.fromkeys(str(row[0]) for row in result.rows)) or labels_of_periods
                )
        except LatePeriodError as exc:  # declarations exported before the period: the money part says so
            if is_money(section.metric):
                late[section.name] = f"Geen kosten: {exc}"
                result = empty_result(section)
            elif (
                section.metric in (*REQUEST_METRICS, *WAITING_METRICS, *PARTNER_METRICS)
                or section.dates
                or CATALOGUE[section.metric].only_dates
            ):  # a stock on reference dates after the data moment: counted up to the data moment
                result, access_late[section.name] = access_on_moment(
                    warehouse, request_for(template, section, period, as_of, section.metric), exc, section
                )
            else:
                raise
        if (reason := missing_reasons(result)) is not None:  # only 'onbekend': the source gives no reasons
            missing[section.name] = reason
            result = empty_result(section)
        if section.top is not None:
            result = top_groups(result, section.top)
        other = None
        if section.compare is not None:
            other = run_metric(warehouse, request_for(template, section, period, as_of, section.compare))
        if section.totals or other is not None:  # a month or quarter without flows is a row of zeros
            result = fill_periods(result, labels_of_periods)
            other = None if other is None else fill_periods(other, labels_of_periods)
        subtotal = None
        if section.subtotals:  # e.g. unique clients per target group over all laws (not a sum of the laws)
            request = request_for(template, section, period, as_of, section.metric)
            subtotal = run_metric(warehouse, replace(request, by=section.by[:-1]))
            figures.update(figure_names(subtotal))
        results.append((section, result, other, len(labels_of_periods), subtotal))
        figures.update(figure_names(result))

    ledger = Ledger()
    drafts = []
    for section, result, other, count, subtotal in results:
        grain = section.grain or template.grain
        options: dict[str, Any] = {
            "with_total": section.totals,
            "average_label": f"Gemiddeld per {GRAIN_WORDS[grain]}",
            "period_count": count,
            "groups": (("stapeling", section.stack_by),) if section.stack_by == "law" else (),
        }
        main = draft_table(result, ledger, section.name, **options)
        compare = (
            None if other is None else draft_table(other, ledger, f"{section.name}~vergelijking", **options)
        )
        sub = None if subtotal is None else draft_table(subtotal, ledger, f"{section.name}~totaal", **options)
        drafts.append((section, result, main, compare, sub))
    key_data = [
        [
            money_key_figure_data(
                warehouse, template, priced(kpi, period), period, as_of, ledger, money, access, benefits
            )
            for kpi in kpis
        ]
        for kpis in (template.summary, template.kpis)
    ]
    protection = ledger.hide(policy)
    labels = {"provider": provider_names(warehouse)}
    built = [
        _finish(
            SectionModel(
                section,
                result.metric.label
                + (
                    ""
                    if (ytd := year_to_date_grain(section, period)) is None
                    else f", {YEAR_TO_DATE_MONTHS[ytd]}"
                ),
                report_definition(
                    section.metric, request_for(template, section, period, as_of, section.metric).options
                ),
                finish_table(main, protection, policy, {**labels, **section_labels(section, result)}),
                None if compare is None else finish_table(compare, protection, policy, labels),
                year_to_date=ytd,
                subtotals=None if sub is None else finish_table(sub, protection, policy, labels),
            ),
            benefits,
            result.notes,
        )
        for section, result, main, compare, sub in drafts
    ]
    earlier = {
        section.name: previous_year_note(result) for section, result, _, _, _ in drafts if section.previous
    }
    built = [
        replace(model, note=" ".join(p for p in (model.note, earlier[model.section.name]) if p))
        if model.section.name in earlier and model.table.rows else model
        for model in built
    ]  # fmt: skip
    built = [benefit_note(model, missing.get(model.section.name)) for model in built]
    built = [money_note(model, money, late.get(model.section.name, "")) for model in built]
    silent = silent_note(warehouse, as_of) if access.deliveries and any(
        model.section.metric in WAITING_METRICS for model in built) else ""  # fmt: skip
    built = [access_note(model, access, silent, access_late.get(model.section.name, "")) for model in built]
    parts = [s for s in template.sections if not s.is_metric]
    view, reason = forecast_or_reason(warehouse, period.last.year, as_of, money) if parts else (None, "")
    by_name = {model.section.name: model for model in built}
    by_name.update({
        s.name: replace(finance_section(s, view, reason, period.last.year, policy), source=finance.FINANCE_SOURCE)
        for s in parts
    })  # fmt: skip
    no_rooms = view is None or not view.rooms  # the rooms part only when spending rooms are loaded
    sections = [by_name[s.name] for s in template.sections if not (s.kind == "rooms" and no_rooms)]
    summary, kpis = (
        tuple(finish_key_figure(data, protection, policy, template.threshold) for data in group)
        for group in key_data
    )
    return ReportModel(template, period, as_of, tuple(sections), figures, _shown(sections), summary, kpis)


def fill_periods(result: MetricResult, periods: list[str]) -> MetricResult:
    """Add a row of zeros for every group in every period without a row (counts 0, the rest empty). Without
    any row a split figure has no groups to fill (the table says so); a total gets its zero rows."""
    start = first_value_column(result.columns, result.metric.measures)
    if not result.rows and start > 1:
        return result
    groups = list(dict.fromkeys(tuple(row[1:start]) for row in result.rows)) or [()]
    present = {(str(row[0]), tuple(row[1:start])) for row in result.rows}
    extra = [
        (label, *group, *(0 if c in COUNTS or c == "net" else None for c in result.columns[start:]))
        for label in periods
        for group in groups
        if (label, group) not in present
    ]
    if not extra:
        return result
    order = {label: i for i, label in enumerate(periods)}
    rank = {group: i for i, group in enumerate(groups)}
    rows = sorted(
        [*result.rows, *extra], key=lambda row: (order.get(str(row[0]), -1), rank.get(tuple(row[1:start]), 0))
    )
    return replace(result, rows=rows)


def per_1000_note(by: tuple[str, ...]) -> str:
    """The denominators of a section's figures per 1,000 inhabitants, written out for the reader."""
    where = "van de gemeente" + (", per wijk" if "wijk" in by else "")
    if "target_group" in by:
        whom = "het aantal inwoners in dezelfde doelgroep (jeugd: 0 tot en met 17 jaar)"
    elif "age_band" in by:
        whom = "het aantal inwoners in dezelfde leeftijdsklasse"
    elif "law" in by:
        whom = (
            "voor de Wmo alle inwoners, voor de Jeugdwet de inwoners van 0 tot en met 17 jaar (zoals CBS), voor "
            "de Participatiewet de inwoners van 18 jaar en ouder (zoals de BBV-indicator, die per 10.000 telt)"
        )
    else:
        whom = "alle inwoners"
    return (
        f"Per 1.000 inwoners: het aantal gedeeld door {whom} {where}, volgens het geladen bevolkingsbestand "
        "voor het jaar waarin de periode eindigt, maal 1.000. Zonder bevolkingsgegevens blijft de kolom leeg."
    )


def _finish(model: SectionModel, benefits: bool, notes: tuple[str, ...] = ()) -> SectionModel:
    """Add what a section shows besides its table: periods as columns, the chart (its source line naming
    the benefits too when ``benefits`` are loaded and the metric counts them), the renewal note, and the
    metric's own ``notes`` (``MetricResult.notes``: a rate divided by the population of an earlier year, or
    left empty without one) under the figure, before the template's footnote."""

    section = model.section
    measure = value_measure(CATALOGUE[section.metric].measures)
    note = renewal_note(model.table, model.compare) if model.compare is not None else ""
    if section.per_1000:
        note = " ".join(part for part in (note, per_1000_note(section.by)) if part)
    if section.per_10000:
        note = " ".join(part for part in (note, per_10000_note(section.metric)) if part)
    if section.measures:  # after protection: what is left out still protected what is shown
        model = replace(
            model, table=only_measures(model.table, CATALOGUE[section.metric].measures, section.measures)
        )
    if section.weeks:
        model = replace(model, table=in_weeks(model.table))
    if CATALOGUE[section.metric].only_dates and section.periods == "report":
        note = " ".join(part for part in (note, REFERENCE_DATES_NOTE) if part)
    if model.year_to_date is not None:
        ytd = (
            f"Per jaar over dezelfde maanden: {YEAR_TO_DATE_MONTHS[model.year_to_date]} van elk jaar, want de "
            "rapportageperiode beslaat nog geen heel jaar; een kolom als 2018-H1 is dus januari tot en met juni 2018."
        )
        note = " ".join(part for part in (note, ytd) if part)
    display = pivot(model.table, measure) if section.layout == "columns" else None
    if display is not None and model.subtotals is not None:
        display = with_subtotals(display, pivot(model.subtotals, measure))
        note = " ".join(part for part in (note, SUBTOTAL_NOTE) if part)
    if section.dates == "end":
        note = " ".join(part for part in (note, END_DATES_NOTE) if part)
    if has_other_reasons(model.table):  # what 'Overig' holds, from the code list
        note = " ".join(part for part in (note, other_reasons_note(section.metric)) if part)
    note = " ".join(part for part in (note, *notes, section.note) if part)
    source = chart_source(section.metric, benefits)
    return replace(
        model, display=display, note=note, source=source,
        chart=chart_spec(section, model.table, measure, model.label, source),
    )  # fmt: skip


SUBTOTAL_TEXT = "Totaal"
SUBTOTAL_NOTE = (
    "Totaal: de unieke cliënten van de groep over alle wetten; wie ondersteuning uit twee wetten heeft, telt "
    "één keer, dus het totaal is niet de som van de rijen erboven."
)


def with_subtotals(table: TableModel, totals: TableModel) -> TableModel:
    """Figure 3 of Lansingerland: after the rows of each group of the first column (target group 'Jeugd':
    Jeugdwet, Wmo) a row with the group's own figure (unique clients over all its laws: a client with both is
    counted once, so it is not the sum of the rows above). Both tables have periods as columns (``pivot``)."""
    width = totals.key_columns
    own = {tuple(cell.text for cell in row[:width]): row[width:] for row in totals.rows}
    blank = tuple(Cell(None, "") for _ in totals.columns[width:])
    rows: list[tuple[Cell, ...]] = []
    marked: list[int] = []
    groups = list(dict.fromkeys(tuple(cell.text for cell in row[:width]) for row in table.rows))
    for group in groups:
        rows.extend(row for row in table.rows if tuple(cell.text for cell in row[:width]) == group)
        values = dict(zip(totals.columns[width:], own.get(group, blank), strict=True))
        marked.append(len(rows))
        rows.append((
            *(Cell(text, text) for text in group),
            *(Cell(SUBTOTAL_TEXT, SUBTOTAL_TEXT) for _ in range(table.key_columns - width)),
            *(values.get(column, Cell(None, "")) for column in table.columns[table.key_columns :]),
        ))  # fmt: skip
    return replace(table, rows=tuple(rows), subtotal_rows=tuple(marked))


DAY_COLUMNS = ("wait_mean_days", "wait_median_days", "waited_mean_days", "waited_median_days", "p80_days")


def in_weeks(table: TableModel) -> TableModel:
    """The waiting days of a table as weeks with one decimal ('2,0' for 14 days), as Lansingerland shows them;
    a hidden cell stays hidden, and the header says 'weken' instead of 'dagen'."""
    at = {i for i, column in enumerate(table.columns) if column in DAY_COLUMNS}

    def week(cell: Cell) -> Cell:
        if cell.hidden or not isinstance(cell.value, int | float) or isinstance(cell.value, bool):
            return cell
        weeks = round(cell.value / 7, 1)
        return replace(cell, value=weeks, text=dutch_decimal(weeks, 1))

    return replace(
        table,
        headers=tuple(h.replace("(dagen)", "(weken)") if i in at else h for i, h in enumerate(table.headers)),
        rows=tuple(tuple(week(c) if i in at else c for i, c in enumerate(row)) for row in table.rows),
    )


def only_measures(table: TableModel, measures: tuple[str, ...], keep: tuple[str, ...]) -> TableModel:
    """The table without the measures a section does not show (growth columns stay)."""
    drop = {i for i, column in enumerate(table.columns) if column in measures and column not in keep}
    drop -= set(range(table.key_columns))
    columns = [i for i in range(len(table.columns)) if i not in drop]
    return replace(
        table,
        columns=tuple(table.columns[i] for i in columns),
        headers=tuple(table.headers[i] for i in columns),
        rows=tuple(tuple(row[i] for i in columns) for row in table.rows),
    )


def _shown(sections: list[SectionModel]) -> dict[str, str]:
    """What text references show: the primary measure as the tables show it; hidden where any table hides it."""

    shown: dict[str, Cell] = {}
    for section in sections:
        if not section.section.is_metric:
            for key, cell in finance_cells(section.table).items():
                shown.setdefault(key, cell)
            continue
        measure = value_measure(CATALOGUE[section.section.metric].measures)
        for table in (t for t in (section.table, section.subtotals) if t is not None):
            cells = shown_cells(table, measure)
            for column in table.columns[table.key_columns :]:
                cells.update({f"{key}#{column}": cell for key, cell in shown_cells(table, column).items()})
            for key, cell in cells.items():
                if key not in shown or (cell.hidden and not shown[key].hidden):
                    shown[key] = cell
    return {key: cell.text for key, cell in shown.items()}


# --- money (issue 12): finance sections, and what a report says without declarations or budgets ----------


@dataclass(frozen=True)
class MoneyLoaded:
    """Whether the warehouse holds declarations and budgets: without them the finance parts say so."""

    declarations: bool
    budgets: bool


def money_loaded(warehouse: Warehouse) -> MoneyLoaded:
    """Which money data have ever been loaded (``loads.kind``)."""
    kinds = {load.kind for load in inventory.list_loads(warehouse)}
    return MoneyLoaded("declarations" in kinds, "budgets" in kinds)


def is_money(metric: str | None) -> bool:
    """Whether a metric counts money (one of its measures is an amount): it needs declarations."""
    return (
        metric is not None
        and metric in CATALOGUE
        and any(MEASURES[m].kind is Kind.AMOUNT for m in CATALOGUE[metric].measures)
    )


def money_note(model: SectionModel, money: MoneyLoaded, late: str = "") -> SectionModel:
    """A money section without declarations says 'geen financiële gegevens geladen', one over periods after
    the declarations' data moment says that (``late``): never an empty table without a word."""
    if not is_money(model.section.metric) or (money.declarations and not late):
        return model
    reason = late or finance.NO_FINANCE_DATA
    return replace(model, note=" ".join(part for part in (reason, model.note) if part))


def empty_result(section: Section) -> MetricResult:
    """A section's metric result without rows (its columns as the metric gives them without growth)."""
    metric = CATALOGUE[section.metric]
    return MetricResult(metric, ("period", *section.by, *metric.measures), [], None)


def money_key_figure_data(
    warehouse: Warehouse, template: Template, kpi: Kpi, period: Period, as_of: date | datetime | None,
    ledger: Ledger, money: MoneyLoaded, access: AccessLoaded | None = None, benefits: bool = True,
) -> KeyFigureData:  # fmt: skip
    """A key figure's data; a money KPI without declarations, or in the prices of a year its index series
    does not cover, has none and says why ('geen gegevens'), so the rest of the report is still made; so has
    a figure of benefits or of Participatiewet clients without loaded benefits."""
    labels = tuple(p.label for p in history(period, template.grain, template.history))
    if is_money(kpi.metric) and not money.declarations:
        return KeyFigureData(kpi, "", labels, {}, "", missing=NO_DECLARATIONS)
    if not benefits and (is_benefit_metric(kpi.metric) or ("law", "PW") in kpi.filter):
        return KeyFigureData(kpi, "", labels, {}, "", missing=NO_BENEFIT_DATA)
    if (reason := access_missing(kpi.metric, access)) is not None:
        return KeyFigureData(kpi, "", labels, {}, "", missing=reason)
    try:
        return key_figure_data(warehouse, template, kpi, period, as_of=as_of, ledger=ledger)
    except InputError as exc:  # --prices: no index figure for a year the figure needs
        if kpi.prices is None:
            raise
        return KeyFigureData(kpi, "", labels, {}, "", missing=f"Niet te corrigeren voor indexatie: {exc}")


def forecast_or_reason(
    warehouse: Warehouse, year: int, as_of: date | datetime | None, money: MoneyLoaded
) -> tuple[finance.FinanceView | None, str]:
    """The forecast of ``year`` as a report or page shows it, or why there is none (in Dutch): no
    declarations or budgets loaded, or the forecast refused the data (its message). A report is made either
    way; its finance parts then say why they are empty."""
    if not (money.declarations and money.budgets):
        return None, finance.NO_FINANCE_DATA
    try:
        view = finance.finance_view(warehouse, year, as_of=as_of)
    except InputError as exc:
        return None, f"Geen verwachting voor {year}: {exc}"
    return view, "" if view.has_budgets else finance.NO_BUDGETS.format(year=year)


def finance_section(
    section: Section, view: finance.FinanceView | None, reason: str, year: int, policy: Policy
) -> SectionModel:
    """A finance part of a report (``kind`` budget, bridge or depletion) from the forecast of ``year``;
    ``reason``: why there is no forecast, or no budget for the year (said above the rest of the note)."""
    label = {"budget": "Financieel overzicht", "bridge": "Verklaring van het verschil per begrotingspost",
             "depletion": "Uitputting van de budgetten", "rooms": "Bestedingsruimte per aanbieder"}[section.kind]  # fmt: skip
    empty = TableModel(("budget_line",), ("Begrotingspost",), ())
    if view is None:
        return SectionModel(section, label, FINANCE_DEFINITION, empty, note=reason)
    moment = f"Verwachting {year} zoals bekend op {view.moment:%d-%m-%Y}."
    notes = " ".join(part for part in (reason, moment, *view.notes) if part)
    if section.kind == "budget":
        table = finance.budget_table(view, policy)
        note = (
            f"{notes} Verschil = begroting min verwachting: een negatief bedrag is een overschrijding. "
            "Kosten die onder geen begrotingspost vallen, staan apart als 'niet begroot'."
        )
        return SectionModel(section, label, FINANCE_DEFINITION, table, note=note)
    if section.kind == "rooms":
        note = (
            f"{notes} Deel gebruikt = gerealiseerd plus nog te declareren, gedeeld door de bestedingsruimte; "
            f"het signaal '{ROOM_ALERT}' staat bij 70 % (Contractstandaard Wmo art. 1.5)."
        )
        return SectionModel(section, label, FINANCE_DEFINITION, finance.rooms_table(view, policy), note=note)
    if section.kind == "bridge":
        table = finance.bridge_table(view, policy)
        note = (
            f"{notes} Het bedrag is verwachting min begroting (positief: hoger dan begroot); 'overig' is wat "
            "de genoemde oorzaken niet verklaren en staat er altijd."
        )
        return SectionModel(
            section, label, BRIDGE_DEFINITION, table, note=note, items=finance.bridge_sentences(view, policy)
        )
    warnings = finance.warning_sentences(view, policy)
    hidden = finance.hidden_lines(view.lines, policy)
    charts_ = tuple(
        chart
        for line in view.lines
        if line.budget is not None and line.line not in hidden
        and (chart := finance.depletion_chart(line, year)) is not None
    )  # fmt: skip
    table = finance.only_columns(finance.forecast_table(view, policy), finance.REPORT_FORECAST_COLUMNS)
    note = notes + ("" if warnings else " Geen signalen: geen post dreigt de begroting te overschrijden.")
    return SectionModel(section, label, FINANCE_DEFINITION, table, note=note, items=warnings, charts=charts_)


FINANCE_DEFINITION = (
    "Verwachting per begrotingspost voor het hele jaar: de gerealiseerde kosten (toegekende declaraties naar "
    "de maand van levering), de nog te verwachten declaraties over verstreken maanden, de verplichtingen van "
    "lopende toewijzingen tot het eind van het jaar en de verwachte kosten van nieuwe cliënten."
)  # docs/metrics.md, "Verwachting en uitputting"
BRIDGE_DEFINITION = (
    "Het verschil tussen verwachting en begroting per post, gesplitst in indexatie (hogere prijsindex dan "
    "begroot), volume (meer of minder cliënten dan begroot), intensiteit (kosten per cliënt) en een rest "
    "('overig'), die nooit wordt weggelaten."
)  # docs/metrics.md


def finance_cells(table: TableModel) -> dict[str, Cell]:
    """The figures of a finance table by row name and column, for text references
    ('begroting.Jeugdzorg.2023#forecast')."""
    cells: dict[str, Cell] = {}
    for key, row in zip(table.row_keys, table.rows, strict=False):
        if key is None:
            continue
        for column, cell in zip(table.columns[table.key_columns :], row[table.key_columns :], strict=True):
            cells[f"{key}#{column}"] = cell
    return cells


def priced(kpi: Kpi, period: Period) -> Kpi:
    """A KPI in the prices of a year says so in its title, naming the year and the index series:
    'Kosten per klant, gecorrigeerd voor indexatie (prijzen 2023, reeks vng-ova-ppc)'."""
    year = prices_year(kpi.prices, period.last.year)
    if year is None:
        return kpi
    return replace(kpi, title=f"{kpi.title} (prijzen {year}, reeks {OPTIONS['index'].default})")


# --- access (issue 13): what a waiting or decision section says without requests or deliveries ------------

NO_ACCESS_DATA = (
    "Geen gegevens over wachttijden geladen: laad aanvragen met sdm load requests en leveringen met "
    "sdm load deliveries."
)
REQUEST_METRICS = ("decision_time", "open_requests")  # read requests (``catalogue.REQUESTS``)
PARTNER_METRICS = ("access", "support_plans")  # read requests too: figures 4 and 5 of Lansingerland
NO_REQUESTS = (
    "Geen meldingen en aanvragen geladen, dus geen ondersteuningsplannen of cijfers van toegangspartners: laad "
    "ze met sdm load requests."
)
WAITING_METRICS = ("waiting", "waiting_list")  # read deliveries besides allocations (``catalogue.CARE``)


@dataclass(frozen=True)
class AccessLoaded:
    """Whether the warehouse holds requests and deliveries: without them the access parts say so."""

    requests: bool
    deliveries: bool


def access_loaded(warehouse: Warehouse) -> AccessLoaded:
    """Which access data have ever been loaded (``loads.kind``)."""
    kinds = {load.kind for load in inventory.list_loads(warehouse)}
    return AccessLoaded("requests" in kinds, "deliveries" in kinds)


def access_missing(metric: str | None, access: AccessLoaded | None) -> str | None:
    """Why a figure of ``metric`` cannot be given ('geen gegevens over wachttijden geladen'), or None."""
    if access is None:
        return None
    if metric in PARTNER_METRICS and not access.requests:
        return NO_REQUESTS
    if (metric in REQUEST_METRICS and not access.requests) or (
        metric in WAITING_METRICS and not access.deliveries
    ):
        return NO_ACCESS_DATA
    return None


def silent_note(warehouse: Warehouse, as_of: date | datetime | None) -> str:
    """The providers with allocations in kind but no delivery at all, named under a waiting table: their
    allocations are left out of the waiting figures (``access.silent_providers``)."""
    from sdmonitor.metrics.access import silent_providers

    silent = silent_providers(warehouse, as_of)
    if not silent:
        return ""
    names = inventory.provider_names(warehouse)
    listed = ", ".join(
        f"{f'{names[code]} ({code})' if code in names else code or 'zonder aanbieder'} ({law})"
        for code, law in silent
    )
    return f"Geen leveringen ontvangen van {listed}: hun toewijzingen tellen niet mee in de wachttijden."


def access_on_moment(
    warehouse: Warehouse, request: MetricRequest, exc: LatePeriodError, section: Section
) -> tuple[MetricResult, str]:
    """A section on reference dates some of which lie after its data moment (a stock: ``waiting_list``,
    ``open_requests``, ``stock``, benefits on ``dates: end``): those dates are left out and the stock is
    counted on the data moment instead, when that lies in the section's range (an export dated 30 June gives
    the stock of 30 June, not a refusal over 1 July); otherwise the section is empty and says why."""
    if request.on and request.start is not None and request.start <= exc.moment:
        dates = tuple(sorted({*(d for d in request.on if d < exc.moment), exc.moment}))
        result = run_metric(warehouse, replace(request, on=dates))
        return result, moved_dates_note(request.on, exc.moment)
    return empty_result(section), f"Geen cijfers: {exc}"


def moved_dates_note(dates: tuple[date, ...], moment: date) -> str:
    """Which reference dates after the data moment a section leaves out, and that it counts on the data
    moment instead (when that was no reference date of its own), in Dutch."""
    late = [d for d in dates if d > moment]
    one = len(late) == 1
    named = ", ".join(f"{d:%d-%m-%Y}" for d in late)
    said = f"{'Peildatum' if one else 'Peildata'} {named} {'ligt' if one else 'liggen'} na het datamoment {moment:%d-%m-%Y} (de datum van de export)"
    if moment in dates:
        return f"{said} en {'is' if one else 'zijn'} weggelaten: daarover is nog niets bekend."
    return f"{said}: daarover is nog niets bekend; in plaats daarvan staat de stand op het datamoment."


def access_note(model: SectionModel, access: AccessLoaded, silent: str = "", late: str = "") -> SectionModel:
    """A waiting or decision section without its data says 'geen gegevens over wachttijden geladen'; a waiting
    section names the providers without deliveries (``silent``); ``late``: why its dates were moved."""
    metric = model.section.metric
    reason = access_missing(metric, access) or " ".join(
        part for part in (late, silent if metric in WAITING_METRICS else "") if part
    )
    if not reason:
        return model
    return replace(model, note=" ".join(part for part in (reason, model.note) if part))


def section_labels(section: Section, result: MetricResult) -> dict[str, dict[str, str]]:
    """The names a section shows for codes besides the providers': those of benefits ('Werk', 'Alleenstaande
    ouder'), and for stacking over laws the laws by name ('PW + WMO' is 'Participatiewet + Wmo')."""
    labels = benefit_labels(section.metric)
    if section.stack_by == "law" and "combination" in result.columns:
        at = result.columns.index("combination")
        labels["combination"] = {
            str(row[at]): " + ".join(law_name(code) for code in str(row[at]).split(" + "))
            for row in result.rows
        }
    return labels


# --- Participatiewet (issue 14): a benefits section without loaded benefits ---------------------------------


def has_other_reasons(table: TableModel) -> bool:
    """Whether a table of reasons has a row 'Overig' (the group of the other reasons)."""
    if REASON_GROUP not in table.columns:
        return False
    at = table.columns.index(REASON_GROUP)
    return any(row[at].value == ReasonGroup.OTHER for row in table.rows)


def benefit_note(model: SectionModel, missing: str | None) -> SectionModel:
    """A section without its data (``participation_missing``: no benefits or provisions loaded;
    ``missing_reasons``: no reason known): the sentence ``missing`` instead of a table (no empty table, no
    chart); a section with its data unchanged."""
    if missing is None:
        return model
    empty = TableModel(model.table.columns, model.table.headers, ())
    return replace(model, table=empty, display=None, compare=None, chart=None, note=missing)
