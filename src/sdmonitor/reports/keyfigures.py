"""Key figures and KPIs: one number per period for a metric with a filter, its change and its trends.

The summary page of the half-year report and the KPI pages of the quarterly report show, per key figure, the
value of the report period, the change against the previous period as an arrow (up or down when more than the
template's threshold, default 5 %), and the long-term trend since the first period of the template's history
(the base period), shown as the arrow's colour and in words. A KPI also has a target (streefwaarde). A KPI
whose data comes with a later version (waiting times, costs, complaints) shows 'geen gegevens'.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sdmonitor.domain.periods import Period, history
from sdmonitor.metrics import CATALOGUE, MetricRequest, run_metric
from sdmonitor.metrics.compare import pct_change, primary_measure, trend
from sdmonitor.reports.build import COUNTS, PROTECTED_TEXT, policy_text, show
from sdmonitor.reports.suppression import Policy, round_to_five
from sdmonitor.reports.template import Kpi, Template
from sdmonitor.warehouse import Warehouse

TREND_WORDS = {"up": "stijgend", "down": "dalend", "flat": "stabiel"}
NEEDS = {
    "wachttijden": "wachttijden (aanvraag tot besluit en start van de zorg)",
    "kosten": "kosten en budget",
    "klachten": "klachten en bezwaren",
}


@dataclass(frozen=True)
class KeyFigure:
    """A key figure or KPI for one report period; ``value_text`` is None when there are no data."""

    kpi: Kpi
    measure: str
    value: float | None
    value_text: str | None
    previous_text: str | None
    change_pct: float | None
    trend: str | None  # against the previous period: 'up', 'down', 'flat'
    long_trend: str | None  # against the base period
    series: tuple[tuple[str, float | None], ...]  # period label -> value (None: hidden or missing)
    base_label: str
    previous_label: str
    target_text: str | None = None
    meets_target: bool | None = None

    @property
    def has_data(self) -> bool:
        return self.value_text is not None

    @property
    def missing_text(self) -> str:
        """Why a KPI has no figure: the data it needs."""
        need = self.kpi.needs or ""
        return f"Hiervoor zijn {NEEDS.get(need, need)} nodig, die nog niet worden geladen."


def _matches(row: tuple[Any, ...], positions: dict[str, int], kpi: Kpi) -> bool:
    return all(str(row[positions[column]]) == value for column, value in kpi.filter)


def key_figure(
    warehouse: Warehouse,
    template: Template,
    kpi: Kpi,
    period: Period,
    *,
    as_of: date | datetime | None,
    policy: Policy,
) -> KeyFigure:
    """Compute a key figure over the template's history up to ``period``."""
    periods = history(period, template.grain, template.history)
    labels = (periods[0].label, periods[-2].label if len(periods) > 1 else "")
    if kpi.metric is None:
        return KeyFigure(kpi, "", None, None, None, None, None, None, (), *labels)
    metric = CATALOGUE[kpi.metric]
    measure = kpi.measure or primary_measure(metric.measures)
    result = run_metric(
        warehouse,
        MetricRequest(
            name=kpi.metric, grain=template.grain.value, start=periods[0].first, end=period.last,
            by=tuple(column for column, _ in kpi.filter), as_of=as_of,
        ),
    )  # fmt: skip
    positions = {column: i for i, column in enumerate(result.columns)}
    base_count = metric.measures[0] if metric.measures[0] in COUNTS and measure not in COUNTS else None
    values: dict[str, float | None] = {}
    hidden: set[str] = set()
    for row in result.rows:
        if not _matches(row, positions, kpi):
            continue
        value = row[positions[measure]]
        if measure in COUNTS and policy.round_to_5 and isinstance(value, int):
            value = round_to_five(value)
        values[str(row[0])] = value
        small = row[positions[base_count]] if base_count else value
        if isinstance(small, int) and 0 < small < policy.threshold:
            hidden.add(str(row[0]))
    series = tuple((p.label, None if p.label in hidden else values.get(p.label)) for p in periods)
    now, before, base = (values.get(p.label) for p in (periods[-1], periods[-2], periods[0]))
    change = pct_change(now, before) if now is not None and before is not None else None
    long_change = pct_change(now, base) if now is not None and base is not None and len(periods) > 2 else None

    def text(label: str, value: float | None) -> str | None:
        if value is None:
            return None
        if label in hidden:
            return policy_text(policy) if measure in COUNTS else PROTECTED_TEXT
        return show(measure, value)

    shown_now = text(periods[-1].label, now) or ("0" if measure in COUNTS else "–")
    any_hidden = bool(hidden & {periods[-1].label, periods[-2].label, periods[0].label})
    meets = None
    if kpi.target is not None and now is not None and periods[-1].label not in hidden:
        meets = now >= kpi.target if kpi.higher_is_better else now <= kpi.target
    return KeyFigure(
        kpi=kpi,
        measure=measure,
        value=None if periods[-1].label in hidden else now,
        value_text=shown_now,
        previous_text=text(periods[-2].label, before),
        change_pct=None if any_hidden else change,
        trend=None if any_hidden else trend(change, template.threshold),
        long_trend=None if any_hidden else trend(long_change, template.threshold),
        series=series,
        base_label=labels[0],
        previous_label=labels[1],
        target_text=None if kpi.target is None else show(measure, kpi.target),
        meets_target=meets,
    )


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
