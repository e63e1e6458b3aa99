"""The overview: key figures of the latest half-year with trend arrows, KPIs, clients per law."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sdmonitor.domain.periods import Grain, Period
from sdmonitor.domain.wording import GRAIN_WORDS, law_name
from sdmonitor.reports.charts import Point
from sdmonitor.reports.keyfigures import KeyFigure, finish_key_figure, key_figure_request, key_figure_values
from sdmonitor.reports.model import is_hidden_text
from sdmonitor.reports.protect import Ledger, Protection
from sdmonitor.reports.suppression import Policy
from sdmonitor.reports.template import Kpi, builtin_path, read_template
from sdmonitor.web import charts
from sdmonitor.web.auth import Role
from sdmonitor.web.dashboard import Dashboard, Viewer
from sdmonitor.web.pages.base import (
    TREND_THRESHOLD,
    Chart,
    Page,
    PageDeclaration,
    no_data,
    period_before,
    policy_of,
    shown_value,
)
from sdmonitor.web.pages.financien import finance_warnings
from sdmonitor.web.pages.toegang import over_term
from sdmonitor.web.tables import Cell, Table, TableSpec, build_table


@dataclass(frozen=True)
class KeyFigureCard:
    """A key figure of the overview: the reports' key figure (``reports.keyfigures``) and the page it links to."""

    figure: KeyFigure
    link: str = ""


def _key_figures(
    dash: Dashboard, policy: Policy | None, kpis: Sequence[Kpi], grain: Grain, periods: Sequence[Period]
) -> list[KeyFigure]:
    """Key figures over ``periods`` (the last against the one before), computed and protected as a report
    does (``reports.keyfigures``): counts below the threshold hidden, for viewers the others rounded to
    fives with rates and changes from the rounded counts, no arrow on or from an incomplete or partial
    period. The metrics run through the dashboard's cache."""
    ledger = Ledger()
    data = [
        key_figure_values(kpi, periods, dash.figures.metric(key_figure_request(kpi, grain, periods, as_of=None)),
                          ledger)
        for kpi in kpis
    ]  # fmt: skip
    protection = Protection() if policy is None else ledger.hide(policy)
    return [finish_key_figure(d, protection, policy, TREND_THRESHOLD) for d in data]


def _key_cell(value: Any, text: str, measure: str) -> Cell:
    """A cell of the key-figures table: the published number behind the text, or the hidden mark."""
    hidden = is_hidden_text(text)
    return Cell(None if hidden else value, text, hidden=hidden, numeric=True, measure=measure)


def _change_cell(figure: KeyFigure) -> Cell:
    """The change of a key figure: in percent for a count, in percentage points for a percentage."""
    if figure.is_percentage:
        return _key_cell(figure.change_points, figure.change_text, "change_points")
    return _key_cell(figure.change_pct, figure.change_text, "change_pct")


def overview(dash: Dashboard, viewer: Viewer, params: Mapping[str, str]) -> Page:
    """Key figures of the latest half-year with trend arrows, KPI targets, and clients per law over time."""
    defaults = dash.default_filters()
    latest = dash.latest(Grain.HALF)
    if defaults is None or latest is None:
        return no_data("overzicht", "Overzicht")
    policy = policy_of(dash, viewer)
    previous = period_before(latest, Grain.HALF)
    choices = dash.choices()
    base = f"/clienten?{defaults.query()}"
    overview_figures = (
        (Kpi("clienten", "Unieke cliënten", "clients"), base),
        *(
            (Kpi(f"clienten_{code.lower()}", f"Cliënten {law_name(code)}", "clients", (("law", code),)),
             f"/clienten?{replace(defaults, values=(('law', code),)).query()}")
            for code in ("WMO", "JW")
        ),
        (Kpi("instroom", "Instroom (episodes)", "flows", measure="inflow"), base),
        (Kpi("uitstroom", "Uitstroom (episodes)", "flows", measure="outflow"), base),
    )  # fmt: skip
    shown = _key_figures(dash, policy, [kpi for kpi, _ in overview_figures], Grain.HALF, (previous, latest))
    figures = [KeyFigureCard(figure, link) for figure, (_, link) in zip(shown, overview_figures, strict=True)]
    figures += _kpis(dash, viewer)
    series = dash.figures.metric(replace(defaults, breakdown="law").request("clients", choices))
    series_rows = series.records()
    laws = [code for code in ("WMO", "JW") if any(row["law"] == code for row in series_rows)]
    wide: dict[str, dict[str, Any]] = {}
    for row in series_rows:
        wide.setdefault(str(row["period"]), {})[str(row["law"])] = row["clients"]
    names = [law_name(code) for code in laws]
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
        if (value := shown_value(table, r, name)) is not None
    ]
    chart = charts.line_chart(
        "Unieke cliënten per wet per halfjaar", points, x_title=GRAIN_WORDS[Grain.HALF].capitalize(), y_title="Cliënten",
        hidden=table.hidden_count, threshold=table.threshold,
    )  # fmt: skip
    key_table = Table(
        key="kerncijfers",
        title=f"Kerncijfers {latest.label}",
        columns=("figure", "value", "before", "change_pct"),
        headers=("Cijfer", latest.label, previous.label, "Verandering"),
        rows=tuple(
            (
                Cell(card.figure.kpi.title, card.figure.kpi.title),
                _key_cell(card.figure.value, card.figure.value_text or "–", card.figure.measure),
                _key_cell(card.figure.previous_value, card.figure.previous_text or "–", card.figure.measure),
                _change_cell(card.figure),
            )
            for card in figures
        ),
        suppressed=policy is not None,
        threshold=dash.settings.threshold,
        is_rounded=bool(policy and policy.round_to_5),
    )  # texts and numbers already protected above (fmt: skip)
    page = Page(
        "overzicht", "overview.html.j2", "Overzicht", selection=f"{latest.label} ten opzichte van {previous.label}",
        tables={"kerncijfers": key_table, "clienten_per_wet": table},
        context={"figures": figures, "latest": latest, "previous": previous,
                 "finance_warnings": finance_warnings(dash, viewer), "over_term": over_term(dash, viewer)},
    )  # fmt: skip
    if chart:
        page.charts.append(Chart(table.title, chart, table.key))
    return page


def _kpis(dash: Dashboard, viewer: Viewer) -> list[KeyFigureCard]:
    """The KPIs with a target in the quarterly report template (Hollands Kroon model), over its latest
    quarter. The built-in template carries no targets (they are the municipality's, ``--targets``)."""
    template = dash.memo("kwartaal", lambda: read_template(builtin_path("kwartaal")))
    latest = dash.latest(template.grain)
    kpis = [
        replace(kpi, title=f"{kpi.title} ({latest.label})")
        for kpi in template.kpis
        if latest is not None and kpi.metric is not None and kpi.target is not None
    ]
    if latest is None or not kpis:
        return []
    previous = period_before(latest, template.grain)
    return [
        KeyFigureCard(figure)
        for figure in _key_figures(dash, policy_of(dash, viewer), kpis, template.grain, (previous, latest))
    ]


PAGE = PageDeclaration(
    name="overzicht",
    path="/",
    nav_label="Overzicht",
    role=Role.VIEWER,
    build=overview,
    cached=True,
    warm_up=True,
    order=10,
)
