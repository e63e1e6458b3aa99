"""Providers: per provider clients and growth, outflow rate and duration."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from sdmonitor.domain.periods import Grain, period_of
from sdmonitor.domain.wording import GRAIN_WORDS, law_name
from sdmonitor.metrics import MetricRequest, MetricResult
from sdmonitor.metrics.catalogue import header
from sdmonitor.metrics.dimensions import UNKNOWN
from sdmonitor.reports.model import show
from sdmonitor.warehouse import inventory
from sdmonitor.web.auth import Role
from sdmonitor.web.dashboard import Dashboard, Viewer
from sdmonitor.web.pages.base import (
    TREND_THRESHOLD,
    Page,
    PageDeclaration,
    law_selection,
    no_data,
    period_and_law,
    period_before,
    policy_of,
    query_string,
    rounded_count,
)
from sdmonitor.web.tables import TableSpec, build_table


def providers(dash: Dashboard, viewer: Viewer, params: Mapping[str, str]) -> Page:
    """Per provider: clients and growth, outflow rate, and the duration of episodes that started that year."""
    chosen = period_and_law(dash, params, [Grain.HALF])
    if chosen is None:
        return no_data("aanbieders", "Aanbieders")
    period, filters = chosen
    choices = dash.choices()
    policy = policy_of(dash, viewer)
    previous = period_before(period, Grain.HALF)
    by = (*(c for c, _ in filters.values), "provider")
    law = filters.value("law")

    def pick(result: MetricResult, label: str) -> dict[str, dict[str, Any]]:
        """The selected rows of the period ``label``, by provider code."""
        selected = [row for row in result.records() if all(row[c] == v for c, v in filters.values)]
        return {str(row["provider"]): row for row in selected if str(row["period"]) == label}

    counted = dash.figures.metric(
        MetricRequest("clients", grain="half", start=previous.first, end=period.last, by=by, growth=True,
                      threshold=TREND_THRESHOLD)
    )  # fmt: skip
    rates = dash.figures.metric(
        MetricRequest("outflow_rate", grain="half", start=period.first, end=period.last, by=by)
    )
    year = period_of(period.first, Grain.YEAR)
    durations = dash.figures.metric(
        MetricRequest("duration", grain="year", start=year.first, end=year.last, by=by)
    )
    now, rate, duration = pick(counted, period.label), pick(rates, period.label), pick(durations, year.label)
    names = dash.provider_names()
    types = dash.memo("provider_types", lambda: dash.figures.read(inventory.provider_types))

    def order(code: str) -> tuple[float, str]:
        """Most clients first; for viewers by the published value (hidden ones alike), then by name."""
        clients = (now[code]["clients"] or 0) if code in now else 0
        if policy is not None:
            clients = 0.5 if 0 < clients < policy.threshold else rounded_count(clients, policy)
            return (-clients, names.get(code, code).lower())
        return (-clients, "")

    rows = []
    for code in sorted(set(now) | set(rate), key=order):
        n, r, d = now.get(code, {}), rate.get(code, {}), duration.get(code, {})
        rows.append((
            names.get(code, code), code, show("provider_type", types.get(code, UNKNOWN)),
            n.get("clients", 0), n.get("previous"), n.get("change_pct"),
            r.get("outflow_clients", 0), r.get("outflow_rate"), d.get("episodes", 0), d.get("median_months"),
        ))  # fmt: skip
    columns = ("provider_name", "provider", "provider_type", "clients", "previous", "change_pct", "outflow_clients",
               "outflow_rate", "episodes", "median_months")  # fmt: skip
    table = build_table(
        TableSpec("aanbieders", f"Aanbieders {period.label}" + (f", {law_name(law)}" if law else ""), columns,
                  rows, labels=3, labeller=lambda c, v: str(v), status=counted.status, period=period.label,
                  derived_from={"change_pct": ("clients", "previous"), "outflow_rate": ("clients", "outflow_clients"),
                                "median_months": ("episodes",)},
                  note=f"Cliënten in {period.label} en verandering ten opzichte van {previous.label}; "
                       "uitstroom: cliënten van wie de laatste episode bij de aanbieder in de periode eindigde; "
                       f"duur: mediane duur in maanden van beëindigde episodes die in {year.label} begonnen."),
        policy,
    )  # fmt: skip
    # the catalogue's headers, the episodes qualified by the year they started in (the durations are theirs)
    qualified = {"provider": "AGB-code", "episodes": f"{header('episodes')} (start {year.label})"}
    table = replace(
        table, headers=tuple(qualified.get(c, h) for c, h in zip(table.columns, table.headers, strict=True))
    )
    halves = dash.periods(Grain.HALF)
    return Page(
        "aanbieders", "providers.html.j2", "Aanbieders", selection=law_selection(period, law),
        tables={"aanbieders": table}, query=query_string(periode=period.label, wet=law),
        context={"period": period, "period_options": [(p.label, p.label) for p in reversed(halves)], "law": law,
                 "choices": choices, "period_header": GRAIN_WORDS[Grain.HALF].capitalize(),
                 "law_header": header("law")},
    )  # fmt: skip


PAGE = PageDeclaration(
    name="aanbieders",
    path="/aanbieders",
    nav_label="Aanbieders",
    role=Role.VIEWER,
    build=providers,
    cached=True,
    warm_up=True,
    order=30,
)
