"""The profile: age, sex, stacking of support and the transition at 18."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from sdmonitor.domain.periods import Grain
from sdmonitor.domain.wording import GRAIN_WORDS
from sdmonitor.metrics import MetricRequest, MetricResult
from sdmonitor.metrics.catalogue import header
from sdmonitor.metrics.dimensions import AgeBands
from sdmonitor.reports.charts import Point
from sdmonitor.web import charts
from sdmonitor.web.auth import Role
from sdmonitor.web.dashboard import PROFILE_AGE_BANDS, Dashboard, Viewer
from sdmonitor.web.pages.base import (
    Chart,
    Page,
    PageDeclaration,
    displayed,
    law_selection,
    no_data,
    period_and_law,
    policy_of,
    query_string,
    shown_value,
    without,
)
from sdmonitor.web.tables import Table, TableSpec, build_table


def profile(dash: Dashboard, viewer: Viewer, params: Mapping[str, str]) -> Page:
    """Age bands, sex and mean age, stacking of support, and transitions from the Jeugdwet at 18."""
    choices = dash.client_choices()  # the law filter offers the Participatiewet once benefits are loaded
    chosen = period_and_law(dash, params, [Grain.YEAR, Grain.HALF], choices)
    if chosen is None:
        return no_data("profiel", "Profiel")
    period, filters = chosen
    grain = "year" if period.label.isdigit() else "half"
    policy = policy_of(dash, viewer)
    law = filters.value("law")
    by = tuple(c for c, _ in filters.values)

    def request(name: str, extra: tuple[str, ...] = (), bands: AgeBands | None = None) -> MetricRequest:
        return MetricRequest(name, grain=grain, start=period.first, end=period.last, by=(*by, *extra),
                             age_bands=bands or AgeBands())  # fmt: skip

    def selected(result: MetricResult) -> tuple[list[str], list[tuple[Any, ...]]]:
        """The rows of the chosen law, without the law and the period (one value each)."""
        return without(*displayed(result, replace(filters, breakdown=None)), "period")

    tables: dict[str, Table] = {}
    page_charts: list[Chart] = []
    # clients, mean age and sex (a client's sex is one value: men + women + unknown = clients)
    profiled = dash.figures.metric(request("profile"))
    columns, rows = displayed(profiled, replace(filters, breakdown=None))
    sex = build_table(
        TableSpec("geslacht", "Cliënten, gemiddelde leeftijd en geslacht", columns, rows, status=profiled.status,
                  parts_of={"clients": ("men", "women", "sex_unknown")},
                  derived_from={"mean_age": ("clients",)}),
        policy,
    )  # fmt: skip
    tables["geslacht"] = sex
    total_clients = dict(zip(columns, rows[0], strict=True))["clients"] if rows else 0
    # age bands: each client has one age, so the bands add up to the clients
    aged = dash.figures.metric(request("clients", ("age_band",), PROFILE_AGE_BANDS))
    columns, rows = selected(aged)
    ages = build_table(
        TableSpec("leeftijd", "Cliënten naar leeftijd", columns, rows, total=("Totaal", total_clients),
                  status=aged.status, period=period.label,
                  note="Leeftijd op de laatste dag van de periode."),
        policy,
    )  # fmt: skip
    tables["leeftijd"] = ages
    points = [Point(row[0].text, "Cliënten", v) for r, row in enumerate(ages.rows[:-1])
              if (v := shown_value(ages, r, "clients")) is not None]  # fmt: skip
    if svg := charts.bar_chart("Cliënten naar leeftijd", points, x_title="Leeftijd", y_title="Cliënten",
                               hidden=ages.hidden_count, threshold=ages.threshold):  # fmt: skip
        page_charts.append(Chart("Cliënten naar leeftijd", svg, "leeftijd"))
    # stacking: clients by the number of forms of support (adds up to the clients)
    stacked = dash.figures.metric(request("stacking"))
    columns, rows = selected(stacked)
    stacking = build_table(
        TableSpec("stapeling", "Stapeling: cliënten naar aantal vormen van ondersteuning", columns, rows,
                  status=stacked.status, period=period.label,
                  total=("Totaal", sum(row[columns.index("clients")] for row in rows)),
                  note="Vormen: de CBS-indeling van productgroepen, over de wetten heen."),
        policy,
    )  # fmt: skip
    tables["stapeling"] = stacking
    combined = dash.figures.metric(request("stacking_combinations"))
    columns, rows = selected(combined)
    rows = rows[:15]
    tables["combinaties"] = build_table(
        TableSpec("combinaties", "Meest voorkomende combinaties", columns, rows, labels=0,
                  status=combined.status, period=period.label,
                  note="De vijftien meest voorkomende combinaties van vormen van ondersteuning."),
        policy,
    )  # fmt: skip
    # transitions at 18, per year over the whole range (about clients as a whole: no law filter)
    years = dash.periods(Grain.YEAR) or [period]
    transitions = dash.figures.metric(
        MetricRequest("transitions_18", grain="year", start=years[0].first, end=years[-1].last)
    )
    tables["overgang18"] = build_table(
        TableSpec("overgang18", "Overgang van Jeugdwet naar Wmo rond 18 jaar", transitions.columns,
                  transitions.rows, derived_from={"share": ("turned_18", "with_wmo")}, status=transitions.status,
                  note="Jongeren van wie de Jeugdwet-ondersteuning binnen zes maanden rond hun 18e verjaardag "
                       "eindigde, en hoeveel van hen binnen zes maanden daarna Wmo-ondersteuning hadden; per "
                       "jaar van de 18e verjaardag, voor alle wetten samen."),
        policy,
    )  # fmt: skip
    tr = tables["overgang18"]
    points = [Point(str(row[0].value), "Aandeel met Wmo", v * 100) for r, row in enumerate(tr.rows)
              if (v := shown_value(tr, r, "share")) is not None]  # fmt: skip
    if svg := charts.line_chart("Aandeel met Wmo na de overgang op 18 (%)", points, x_title=GRAIN_WORDS[Grain.YEAR].capitalize(),
                                y_title="Procent", hidden=tr.hidden_count, threshold=tr.threshold):  # fmt: skip
        page_charts.append(Chart("Overgang op 18", svg, "overgang18"))
    periods = [*reversed(dash.periods(Grain.YEAR)), *reversed(dash.periods(Grain.HALF))]
    return Page(
        "profiel", "profile.html.j2", "Profiel", selection=law_selection(period, law),
        tables=tables, charts=page_charts, query=query_string(periode=period.label, wet=law),
        context={"period": period, "period_options": [(p.label, p.label) for p in periods], "law": law,
                 "choices": choices, "law_header": header("law")},
    )  # fmt: skip


PAGE = PageDeclaration(
    name="profiel",
    path="/profiel",
    nav_label="Profiel",
    role=Role.VIEWER,
    build=profile,
    cached=True,
    warm_up=True,
    order=40,
)
