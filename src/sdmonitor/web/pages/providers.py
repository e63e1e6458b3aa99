"""Providers: per provider clients and growth, outflow rate and duration."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from sdmonitor.domain.periods import Grain, period_of
from sdmonitor.metrics import MetricRequest, MetricResult
from sdmonitor.warehouse import inventory
from sdmonitor.web.auth import Role
from sdmonitor.web.dashboard import Dashboard, Viewer
from sdmonitor.web.filters import LAW_LABELS
from sdmonitor.web.pages.base import (
    TREND_THRESHOLD,
    Page,
    PageDeclaration,
    _no_data,
    _one_day,
    _period_and_law,
    _policy,
    _query,
    _rounded_count,
)
from sdmonitor.web.tables import TableSpec, build_table


def providers(dash: Dashboard, viewer: Viewer, params: Mapping[str, str]) -> Page:
    """Per provider: clients and growth, outflow rate, and the duration of episodes that started that year."""
    if dash.data_range() is None:
        return _no_data("aanbieders", "Aanbieders")
    period, filters = _period_and_law(dash, params, [Grain.HALF])
    choices = dash.choices()
    policy = _policy(dash, viewer)
    previous = period_of(period.first - _one_day(), Grain.HALF)
    by = (*(c for c, _ in filters.values), "provider")
    law = filters.value("law")

    def pick(result: MetricResult, label: str) -> dict[str, tuple[Any, ...]]:
        rows = filters.select(result.columns, result.rows)
        at, period_at = result.columns.index("provider"), result.columns.index("period")
        return {str(row[at]): row for row in rows if str(row[period_at]) == label}

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
    cc, rc, dc = counted.columns, rates.columns, durations.columns

    def order(code: str) -> tuple[float, str]:
        """Most clients first; for viewers by the published value (hidden ones alike), then by name."""
        clients = now.get(code, (0,) * len(cc))[cc.index("clients")] or 0
        if policy is not None:
            clients = 0.5 if 0 < clients < policy.threshold else _rounded_count(clients, policy)
            return (-clients, names.get(code, code).lower())
        return (-clients, "")

    rows = []
    for code in sorted(set(now) | set(rate), key=order):
        n, r, d = now.get(code), rate.get(code), duration.get(code)
        rows.append((
            names.get(code, code), code, types.get(code, "onbekend").replace("_", " "),
            n[cc.index("clients")] if n else 0, n[cc.index("previous")] if n else None,
            n[cc.index("change_pct")] if n else None,
            r[rc.index("outflow_clients")] if r else 0, r[rc.index("outflow_rate")] if r else None,
            d[dc.index("episodes")] if d else 0, d[dc.index("median_months")] if d else None,
        ))  # fmt: skip
    columns = ("provider_name", "provider", "provider_type", "clients", "previous", "change_pct", "outflow_clients",
               "outflow_rate", "episodes", "median_months")  # fmt: skip
    table = build_table(
        TableSpec("aanbieders", f"Aanbieders {period.label}" + (f", {LAW_LABELS[law]}" if law else ""), columns,
                  rows, labels=3, labeller=lambda c, v: str(v), status=counted.status, period=period.label,
                  derived_from={"change_pct": ("clients", "previous"), "outflow_rate": ("clients", "outflow_clients"),
                                "median_months": ("episodes",)},
                  note=f"Cliënten in {period.label} en verandering ten opzichte van {previous.label}; "
                       "uitstroom: cliënten van wie de laatste episode bij de aanbieder in de periode eindigde; "
                       f"duur: mediane duur in maanden van beëindigde episodes die in {year.label} begonnen."),
        policy,
    )  # fmt: skip
    table = replace(table, headers=tuple(
        {"provider": "AGB-code", "episodes": f"Beëindigde episodes (start {year.label})",
         "median_months": "Mediane duur (maanden)"}.get(c, h) for c, h in zip(table.columns, table.headers, strict=True)
    ))  # fmt: skip
    halves = dash.periods(Grain.HALF)
    return Page(
        "aanbieders", "providers.html.j2", "Aanbieders",
        selection=f"{period.label}" + (f"; Wet: {LAW_LABELS[law]}" if law else ""),
        tables={"aanbieders": table}, query=_query(periode=period.label, wet=law),
        context={"period": period, "period_options": [(p.label, p.label) for p in reversed(halves)], "law": law,
                 "choices": choices},
    )  # fmt: skip


PAGE = PageDeclaration(
    name="aanbieders",
    path="/aanbieders",
    nav_label="Aanbieders",
    role=Role.VIEWER,
    build=providers,
    cached=True,
    warm_up=True,
)
