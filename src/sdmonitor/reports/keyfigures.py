"""Key figures and KPIs: one number per period for a metric with a filter, its change and its trends.

The summary page of the half-year report and the KPI pages of the quarterly report show, per key figure, the
value of the report period, the change against the previous period as an arrow (up or down when more than the
template's threshold, default 5 %), and the long-term trend since the first period of the template's history
(the base period), shown as the arrow's colour and in words. A KPI has a target (streefwaarde) only when
the municipality set one (``--targets``); without one it says 'geen streefwaarde', never 'niet gehaald'. A
KPI whose data comes with a later version (waiting times, costs, complaints) shows 'geen gegevens'.

The change of a percentage (an outflow rate) is shown in percentage points ('+3,6 %-punt'); the relative
change ('+10,0 %') only for counts and amounts. The arrow follows the relative change for every figure.

The dashboard's overview cards are these key figures too: it builds the same requests
(``key_figure_request``), runs them through its cache, and protects the values the same way
(``key_figure_values``, ``finish_key_figure``; its viewers' counts rounded to fives, an analyst's exact).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sdmonitor.domain.formatting import dutch_decimal
from sdmonitor.domain.periods import Grain, Period, history
from sdmonitor.domain.wording import Trend
from sdmonitor.metrics import CATALOGUE, MetricRequest, MetricResult, run_metric
from sdmonitor.metrics.compare import pct_change, primary_measure, trend
from sdmonitor.metrics.run import DataStatus
from sdmonitor.reports.benefits import is_benefit_metric
from sdmonitor.reports.model import PROTECTED_TEXT, policy_text, show
from sdmonitor.reports.protect import (
    BENEFIT_SOURCE,
    COUNTS,
    FRACTIONS,
    Ledger,
    Protection,
    figure_key,
    group_spec,
    rounded,
)
from sdmonitor.reports.suppression import Policy
from sdmonitor.reports.template import Kpi, Template, prices_year
from sdmonitor.warehouse import Warehouse

NO_TARGET = "geen streefwaarde"
NO_DATA = "geen gegevens"  # a period before the history starts
NEEDS = {
    "wachttijden": "wachttijden (aanvraag tot besluit en start van de zorg)",
    "kosten": "kosten en budget",
    "klachten": "klachten en bezwaren",
}
# A money KPI in a warehouse without declarations (issue 12): the data exist, they are just not loaded.
NO_DECLARATIONS = (
    "Geen financiële gegevens geladen: laad declaraties met sdm load declarations (en begrotingen met "
    "sdm load budgets)."
)


@dataclass(frozen=True)
class KeyFigure:
    """A key figure or KPI for one report period; ``value_text`` is None when there are no data."""

    kpi: Kpi
    measure: str
    value: float | None
    value_text: str | None
    previous_text: str | None
    change_pct: float | None
    trend: Trend | None  # against the previous period
    long_trend: Trend | None  # against the base period
    series: tuple[tuple[str, float | None], ...]  # period label -> value (None: hidden or missing)
    base_label: str
    previous_label: str
    target_text: str | None = None
    meets_target: bool | None = None
    change_points: float | None = None  # a percentage's change in percentage points (None for counts)
    status_text: str = ""  # the report period's status: 'onvolledig', 't/m 10-07-2018', 'gepland' or ''
    previous_status: str = ""  # the previous period's status ('geen gegevens' before the history starts)
    missing: str = ""  # why a KPI with a metric has no figure (no declarations loaded, no index for the year)

    @property
    def is_percentage(self) -> bool:
        return self.measure in FRACTIONS

    @property
    def change_text(self) -> str:
        """'+3,6 %-punt' for a percentage, '+10,0 %' for a count or amount, '–' without a comparison."""
        if self.is_percentage:
            return "–" if self.change_points is None else f"{signed(self.change_points)} %-punt"
        return "–" if self.change_pct is None else f"{signed(self.change_pct)} %"

    @property
    def label(self) -> str:
        """The period the figure is about ('2024-H2')."""
        return self.series[-1][0] if self.series else ""

    @property
    def previous_value(self) -> float | None:
        """The previous period's value as published (None when hidden or missing)."""
        return dict(self.series).get(self.previous_label)

    @property
    def sentence(self) -> str:
        """The figure in one sentence, for a screen reader beside a card with an arrow: 'Unieke cliënten:
        1.235 in 2024-H2; gestegen (+6,0 %) ten opzichte van 2024-H1.' (with the target when there is one)."""
        text = f"{self.kpi.title}: {self.value_text or '–'} in {self.label}"
        if self.target_text is not None:
            met = (
                "" if self.meets_target is None else (", gehaald" if self.meets_target else ", niet gehaald")
            )
            text += f", streefwaarde {self.target_text}{met}"
        if self.trend is not None:
            text += f"; {self.trend.verb} ({self.change_text}) ten opzichte van {self.previous_label}"
        return text + "."

    @property
    def target_or_none(self) -> str:
        """The target as shown, or 'geen streefwaarde' when the municipality set none."""
        return self.target_text or NO_TARGET

    @property
    def has_data(self) -> bool:
        return self.value_text is not None

    @property
    def missing_text(self) -> str:
        """Why a KPI has no figure: the data it needs."""
        if self.missing:
            return self.missing
        need = self.kpi.needs or ""
        return f"Hiervoor zijn {NEEDS.get(need, need)} nodig, die nog niet worden geladen."


def signed(value: float) -> str:
    """'+3,6', '-1,2', '0,0': a change with its sign."""
    return ("+" if value > 0 else "") + dutch_decimal(value, 1)


def _matches(row: tuple[Any, ...], positions: dict[str, int], kpi: Kpi) -> bool:
    return all(str(row[positions[column]]) == value for column, value in kpi.filter)


@dataclass(frozen=True)
class KeyFigureData:
    """A key figure's exact values per period (every measure of the metric's row), before protection."""

    kpi: Kpi
    measure: str
    periods: tuple[str, ...]  # the template's history up to the report period
    rows: dict[str, dict[str, Any]]  # period -> measure -> value
    spec: str  # the figure's groups, as protect.figure_key names them
    unusable: frozenset[str] = (
        frozenset()
    )  # periods no arrow may rest on (incomplete, partial, before the data)
    before_data: frozenset[str] = frozenset()  # periods that end before the history starts: no data, not 0
    status: dict[str, str] = field(default_factory=dict)  # period -> 'onvolledig', 't/m ...', 'gepland'
    missing: str = ""  # no figure, and why (a money KPI without declarations): shown as 'geen gegevens'


def period_status(
    periods: Sequence[Period], status: DataStatus
) -> tuple[frozenset[str], frozenset[str], dict[str, str]]:
    """Per period of a key figure: the unusable ones (no base of an arrow), those before the data, the status.

    A period that ends before the history starts has no data: it is shown as 'geen gegevens', never as 0,
    and is never the base of a trend, like an incomplete or partial period (docs/metrics.md).
    """
    start = status.history_start
    before = frozenset(p.label for p in periods if start is not None and p.last < start)
    texts = {p.label: NO_DATA if p.label in before else status.of(p.label) for p in periods}
    return status.unusable | before, before, texts


def key_figure_request(
    kpi: Kpi, grain: Grain, periods: Sequence[Period], *, as_of: date | datetime | None
) -> MetricRequest:
    """The metric request behind a key figure over ``periods`` (oldest first): its metric by its filter."""
    if kpi.metric is None:
        raise ValueError(f"KPI {kpi.name} has no metric")
    prices = prices_year(kpi.prices, periods[-1].last.year)
    return MetricRequest(
        name=kpi.metric, grain=grain.value, start=periods[0].first, end=periods[-1].last,
        by=tuple(column for column, _ in kpi.filter), as_of=as_of,
        options={} if prices is None else {"prices": prices},
    )  # fmt: skip


def key_figure_values(
    kpi: Kpi, periods: Sequence[Period], result: MetricResult, ledger: Ledger | None = None
) -> KeyFigureData:
    """A key figure's exact values per period from its metric's result (``key_figure_request``); its counts
    go into ``ledger``, which protects them with every other figure of the same page or report."""
    labels = tuple(p.label for p in periods)
    if kpi.metric is None:
        return KeyFigureData(kpi, "", labels, {}, "")
    metric = CATALOGUE[kpi.metric]
    measure = kpi.measure or primary_measure(metric.measures)
    year = prices_year(kpi.prices, periods[-1].last.year)
    # with prices, the amounts in the prices of that year are columns of their own ('cost_per_client_prices_2023')
    corrected = tuple(c for c in result.columns if year is not None and c.endswith(f"_prices_{year}"))
    if f"{measure}_prices_{year}" in corrected:
        measure = f"{measure}_prices_{year}"
    positions = {column: i for i, column in enumerate(result.columns)}
    rows = {
        str(row[0]): {m: row[positions[m]] for m in (*metric.measures, *corrected)}
        for row in result.rows
        if _matches(row, positions, kpi)
    }
    spec = group_spec([*kpi.filter, *([BENEFIT_SOURCE] if is_benefit_metric(kpi.metric) else [])])
    if ledger is not None:
        for label, values in rows.items():
            for column, value in values.items():
                if column in COUNTS:
                    ledger.add(figure_key(spec, label, column), value)
    unusable, before, status = period_status(periods, result.status)
    return KeyFigureData(kpi, measure, labels, rows, spec, unusable, before, status)


def key_figure_data(
    warehouse: Warehouse,
    template: Template,
    kpi: Kpi,
    period: Period,
    *,
    as_of: date | datetime | None,
    ledger: Ledger | None = None,
) -> KeyFigureData:
    """Run a key figure's metric over the template's history; enter its counts in the report's ledger."""
    periods = history(period, template.grain, template.history)
    if kpi.metric is None:
        return KeyFigureData(kpi, "", tuple(p.label for p in periods), {}, "")
    result = run_metric(warehouse, key_figure_request(kpi, template.grain, periods, as_of=as_of))
    return key_figure_values(kpi, periods, result, ledger)


def finish_key_figure(
    data: KeyFigureData, protection: Protection, policy: Policy | None, threshold: float
) -> KeyFigure:
    """The key figure as published: a period is hidden when any count behind its value is hidden. Without
    a policy (an analyst on the dashboard) every figure is exact; ``threshold`` is the trend's, in percent."""
    kpi, measure, periods = data.kpi, data.measure, data.periods
    # no arrow rests on an incomplete or partial period, nor on one before the data: the long-term base is
    # the first usable period at or after the history start; without one there is no long-term trend
    usable = [label for label in periods[:-1] if label not in data.unusable]
    labels = (usable[0] if usable else "", periods[-2] if len(periods) > 1 else "")
    if kpi.metric is None or data.missing:
        return KeyFigure(kpi, "", None, None, None, None, None, None, (), *labels, missing=data.missing)
    hidden: set[str] = set()
    small: set[str] = set()
    values: dict[str, float | None] = {}
    for label in periods:
        row = data.rows.get(label)
        if label in data.before_data:  # before the history starts: no data, not nobody
            values[label] = None
            continue
        if row is None:  # no row: nobody (a count of 0), or no rate
            values[label] = 0 if measure in COUNTS else None
            continue
        keys = [figure_key(data.spec, label, c) for c in row if c in COUNTS]
        if measure in COUNTS:
            keys = [figure_key(data.spec, label, measure)]
        if any(key in protection.hidden for key in keys):
            hidden.add(label)
        if any(key in protection.small for key in keys):
            small.add(label)
        values[label] = (row if policy is None else rounded(row, policy))[measure]
    series = tuple((label, None if label in hidden else values.get(label)) for label in periods)
    now, before, base = (
        values.get(label) if label else None for label in (periods[-1], labels[1], labels[0])
    )
    if periods[-1] in data.unusable or labels[1] in data.unusable:
        before = None
    if periods[-1] in data.unusable or not usable:
        base = None
    change = pct_change(now, before) if now is not None and before is not None else None
    points = (
        round((now - before) * 100, 1)
        if measure in FRACTIONS and now is not None and before is not None
        else None
    )
    long_change = pct_change(now, base) if now is not None and base is not None and len(periods) > 2 else None

    def text(label: str, value: float | None) -> str | None:
        if label in hidden:
            small_count = policy is not None and label in small and measure in COUNTS
            return policy_text(policy) if policy is not None and small_count else PROTECTED_TEXT
        if label in data.before_data:
            return NO_DATA
        return None if value is None else show(measure, value)

    any_hidden = bool(hidden & {periods[-1], labels[1], labels[0]})
    meets = None
    if kpi.target is not None and now is not None and periods[-1] not in hidden:
        meets = now >= kpi.target if kpi.higher_is_better else now <= kpi.target
    return KeyFigure(
        kpi=kpi,
        measure=measure,
        value=None if periods[-1] in hidden else now,
        value_text=text(periods[-1], now) or "–",
        previous_text=text(labels[1], values.get(labels[1])) if labels[1] else None,
        change_pct=None if any_hidden else change,
        trend=None if any_hidden else trend(change, threshold),
        long_trend=None if any_hidden else trend(long_change, threshold),
        series=series,
        base_label=labels[0],
        previous_label=labels[1],
        target_text=None if kpi.target is None else show(measure, kpi.target),
        meets_target=meets,
        change_points=None if any_hidden else points,
        # a hidden value keeps its period's status: '< 5 (t/m 30-06-2024)' like the key figures beside it
        status_text=data.status.get(periods[-1], ""),
        previous_status="" if labels[1] in data.before_data else data.status.get(labels[1], ""),
    )


def key_figure(
    warehouse: Warehouse,
    template: Template,
    kpi: Kpi,
    period: Period,
    *,
    as_of: date | datetime | None,
    policy: Policy,
) -> KeyFigure:
    """One key figure protected on its own (a report protects its key figures with its tables)."""
    ledger = Ledger()
    data = key_figure_data(warehouse, template, kpi, period, as_of=as_of, ledger=ledger)
    return finish_key_figure(data, ledger.hide(policy), policy, template.threshold)


def key_figures(
    warehouse: Warehouse,
    template: Template,
    kpis: tuple[Kpi, ...],
    period: Period,
    *,
    as_of: date | datetime | None,
    policy: Policy,
) -> tuple[KeyFigure, ...]:
    """Every key figure of a list."""
    return tuple(key_figure(warehouse, template, k, period, as_of=as_of, policy=policy) for k in kpis)
