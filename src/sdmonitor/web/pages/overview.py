"""The overview: key figures of the latest half-year with trend arrows, KPIs, clients per law."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from sdmonitor.domain.formatting import dutch_decimal
from sdmonitor.domain.periods import Grain, Period, period_of
from sdmonitor.metrics import CATALOGUE, MetricRequest, MetricResult
from sdmonitor.metrics.compare import trend
from sdmonitor.reports.build import PROTECTED_TEXT as PROTECTED
from sdmonitor.reports.charts import Point
from sdmonitor.reports.protect import rounded
from sdmonitor.reports.suppression import Policy
from sdmonitor.web import charts
from sdmonitor.web.auth import Role
from sdmonitor.web.dashboard import Dashboard, Viewer
from sdmonitor.web.filters import LAW_LABELS, Filters
from sdmonitor.web.pages.base import (
    TREND_THRESHOLD,
    Chart,
    Page,
    PageDeclaration,
    _no_data,
    _one_day,
    _policy,
    _rounded_count,
    _shown_value,
    records,
)
from sdmonitor.web.tables import Cell, Table, TableSpec, build_table

ARROWS = {"up": "↑", "down": "↓", "flat": "→"}
TREND_TEXT = {"up": "gestegen", "down": "gedaald", "flat": "ongeveer gelijk gebleven"}


@dataclass(frozen=True)
class KeyFigure:
    """A key figure of the overview: the value of the latest half-year against the one before."""

    title: str
    value_text: str
    previous_text: str
    change_text: str
    trend: str | None
    spoken: str
    target_text: str = ""
    meets_target: bool | None = None
    link: str = ""
    # the published numbers behind the texts (None when hidden or missing), for downloads
    value: Any = None
    previous: Any = None
    change: float | None = None  # percent
    measure: str = "clients"


def _pct(now: float, before: float) -> float | None:
    return None if before == 0 else round((now - before) / before * 100, 1)


def _key_figure(
    title: str, now: Any, before: Any, policy: Policy | None, *, labels: tuple[str, str], link: str = "",
    measure: str = "clients",
) -> KeyFigure:  # fmt: skip
    from sdmonitor.reports.build import policy_text, show

    def text(value: Any) -> str:
        if value is None:
            return "–"
        if policy is not None and isinstance(value, int) and 0 < value < policy.threshold:
            return policy_text(policy)
        return show(measure, value)

    hidden = policy is not None and any(
        isinstance(v, int) and 0 < v < policy.threshold for v in (now, before)
    )
    if policy is not None and policy.round_to_5:  # published rounded; the change from the rounded counts
        now, before = (_rounded_count(v, policy) for v in (now, before))
    change = None if hidden or now is None or before is None else _pct(float(now), float(before))
    direction = trend(change, TREND_THRESHOLD)
    change_text = "" if change is None else ("+" if change > 0 else "") + dutch_decimal(change, 1) + " %"
    spoken = f"{title}: {text(now)} in {labels[0]}; " + (
        f"{TREND_TEXT[direction]} ({change_text}) ten opzichte van {labels[1]}." if direction else ""
    )

    def number(value: Any) -> Any:
        return None if text(value) in ("–", PROTECTED) or text(value).startswith("<") else value

    return KeyFigure(title, text(now), text(before), change_text, direction, spoken, link=link,
                     value=number(now), previous=number(before), change=change, measure=measure)  # fmt: skip


def _key_cell(value: Any, text: str, measure: str) -> Cell:
    """A cell of the key-figures table: the published number behind the text, or the hidden mark."""
    hidden = text == PROTECTED or text.startswith("<")
    return Cell(None if hidden else value, text, hidden=hidden, numeric=True, measure=measure)


def overview(dash: Dashboard, viewer: Viewer, params: Mapping[str, str]) -> Page:
    """Key figures of the latest half-year with trend arrows, KPI targets, and clients per law over time."""
    defaults = dash.default_filters()
    latest = dash.latest(Grain.HALF)
    if defaults is None or latest is None:
        return _no_data("overzicht", "Overzicht")
    policy = _policy(dash, viewer)
    previous = period_of(latest.first.replace(day=1) - _one_day(), Grain.HALF)
    pair = Filters(previous.first, latest.last, Grain.HALF)
    choices = dash.choices()
    total = _by_period(dash.figures.metric(pair.request("clients", choices)), "clients")
    by_law = dash.figures.metric(replace(pair, breakdown="law").request("clients", choices))
    flows = dash.figures.metric(pair.request("flows", choices))
    flow_rows = {row[0]: row for row in flows.rows}
    comparable = (
        not {latest.label, previous.label} & flows.status.unusable
    )  # no arrow on an incomplete period
    labels = (latest.label, previous.label)

    def law(value: str, period: Period) -> Any:
        return next((row[2] for row in by_law.rows if row[0] == period.label and row[1] == value), 0)

    def flow(at: int, period: Period) -> Any:
        row = flow_rows.get(period.label)
        return row[at] if row else 0

    base = f"/clienten?{defaults.query()}"
    figures = [
        _key_figure("Unieke cliënten", total.get(latest.label, 0), total.get(previous.label, 0), policy,
                    labels=labels, link=base),
        *(
            _key_figure(f"Cliënten {LAW_LABELS[code]}", law(code, latest), law(code, previous), policy,
                        labels=labels, link=f"/clienten?{replace(defaults, values=(('law', code),)).query()}")
            for code in ("WMO", "JW")
        ),
        _key_figure("Instroom (episodes)", flow(1, latest), flow(1, previous) if comparable else None, policy,
                    labels=labels, link=base, measure="inflow"),
        _key_figure("Uitstroom (episodes)", flow(2, latest), flow(2, previous) if comparable else None, policy,
                    labels=labels, link=base, measure="outflow"),
    ]  # fmt: skip
    figures += _kpis(dash, viewer)
    series = dash.figures.metric(replace(defaults, breakdown="law").request("clients", choices))
    series_rows = records(series)
    laws = [code for code in ("WMO", "JW") if any(row["law"] == code for row in series_rows)]
    wide: dict[str, dict[str, Any]] = {}
    for row in series_rows:
        wide.setdefault(str(row["period"]), {})[str(row["law"])] = row["clients"]
    names = [LAW_LABELS[code] for code in laws]
    table = build_table(
        TableSpec("clienten_per_wet", "Unieke cliënten per wet per halfjaar", ("period", *names),
                  [(period, *(values.get(code, 0) for code in laws)) for period, values in wide.items()],
                  counts=names, status=series.status),
        policy,
    )  # fmt: skip
    points = [
        Point(str(row[0].value), name, value)
        for r, row in enumerate(table.rows)
        for name in names
        if (value := _shown_value(table, r, name)) is not None
    ]
    chart = charts.line_chart(
        "Unieke cliënten per wet per halfjaar", points, x_title="Halfjaar", y_title="Cliënten",
        hidden=table.hidden_count, threshold=table.threshold,
    )  # fmt: skip
    key_table = Table(
        "kerncijfers",
        f"Kerncijfers {latest.label}",
        ("figure", "value", "before", "change_pct"),
        ("Cijfer", latest.label, previous.label, "Verandering"),
        tuple(
            (
                Cell(f.title, f.title),
                _key_cell(f.value, f.value_text, f.measure),
                _key_cell(f.previous, f.previous_text, f.measure),
                _key_cell(f.change, f.change_text, "change_pct"),
            )
            for f in figures
        ),
        suppressed=policy is not None,
        threshold=policy.threshold if policy else 5,
        is_rounded=bool(policy and policy.round_to_5),
    )  # texts and numbers already protected above (fmt: skip)
    page = Page(
        "overzicht", "overview.html.j2", "Overzicht", selection=f"{latest.label} ten opzichte van {previous.label}",
        tables={"kerncijfers": key_table, "clienten_per_wet": table},
        context={"figures": figures, "latest": latest, "previous": previous},
    )  # fmt: skip
    if chart:
        page.charts.append(Chart(table.title, chart, table.key))
    return page


def _by_period(result: MetricResult, measure: str) -> dict[str, Any]:
    at = result.columns.index(measure)
    return {str(row[0]): row[at] for row in result.rows}


def _kpis(dash: Dashboard, viewer: Viewer) -> list[KeyFigure]:
    """The KPIs with a target from the quarterly report template (Hollands Kroon model)."""
    from sdmonitor.reports.build import show
    from sdmonitor.reports.template import builtin_path, read_template

    template = dash.memo("kwartaal", lambda: read_template(builtin_path("kwartaal")))
    latest = dash.latest(template.grain)
    if latest is None:
        return []
    previous = period_of(latest.first - _one_day(), template.grain)
    out = []
    for kpi in template.kpis:
        if kpi.metric is None or kpi.target is None:
            continue
        metric = CATALOGUE[kpi.metric]
        measure = getattr(kpi, "measure", None) or (
            "clients" if "clients" in metric.measures else metric.measures[-1]
        )
        if kpi.metric == "outflow_rate":
            measure = "outflow_rate"
        result = dash.figures.metric(
            MetricRequest(kpi.metric, grain=template.grain.value, start=previous.first, end=latest.last,
                          by=tuple(c for c, _ in kpi.filter))
        )  # fmt: skip
        wanted = dict(kpi.filter)
        positions = {c: i for i, c in enumerate(result.columns)}
        values: dict[str, Any] = {}
        bases: dict[str, Any] = {}
        policy = _policy(dash, viewer)
        for row in result.rows:
            if all(str(row[positions[c]]) == v for c, v in wanted.items()):
                published = dict(zip(result.columns, row, strict=True))
                if policy is not None:  # rounded counts, rates from the rounded counts
                    published = rounded(published, policy)
                values[str(row[0])] = published[measure]
                bases[str(row[0])] = row[positions[metric.measures[0]]]
        small = policy is not None and any(
            isinstance(v, int) and 0 < v < policy.threshold for v in bases.values()
        )
        now, before = values.get(latest.label), values.get(previous.label)
        if {latest.label, previous.label} & result.status.unusable:  # no arrow on an incomplete period
            before = None
        change = None if small or now is None or before is None else _pct(float(now), float(before))
        direction = trend(change, TREND_THRESHOLD)
        now_text = "x" if small else ("–" if now is None else show(measure, now))
        meets = (
            None
            if small or now is None
            else (now >= kpi.target if kpi.higher_is_better else now <= kpi.target)
        )
        target_text = show(measure, kpi.target)
        change_text = "" if change is None else ("+" if change > 0 else "") + dutch_decimal(change, 1) + " %"
        spoken = f"{kpi.title}: {now_text} in {latest.label}, streefwaarde {target_text}" + (
            "" if meets is None else (", gehaald." if meets else ", niet gehaald.")
        )
        out.append(
            KeyFigure(
                f"{kpi.title} ({latest.label})", now_text, "x" if small else ("–" if before is None else show(measure, before)),
                change_text, direction, spoken, target_text=target_text, meets_target=meets,
                value=None if small else now, previous=None if small else before, change=change, measure=measure,
            )
        )  # fmt: skip
    return out


PAGE = PageDeclaration(
    name="overzicht",
    path="/",
    nav_label="Overzicht",
    role=Role.VIEWER,
    build=overview,
    cached=True,
    warm_up=True,
)
