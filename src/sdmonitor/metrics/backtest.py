"""How good the forecast would have been: the backtest against complete past years, and the late declarations
of earlier years (the bridge's memo line), both by replaying ``make_forecast`` at earlier moments
(docs/forecast.md, "Backtest" and "Variance bridge")."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta

from sdmonitor.errors import InputError
from sdmonitor.metrics.costs import spread_numbers
from sdmonitor.metrics.forecast import make_forecast
from sdmonitor.metrics.forecast_gather import APPROVED, Gatherer
from sdmonitor.metrics.forecast_knowledge import budget_lines, knowledge, rows_of
from sdmonitor.metrics.forecast_model import (
    Backtest,
    BacktestRow,
    Forecast,
    absolute_percentage_error,
    run_rate,
)
from sdmonitor.metrics.runoff import month_first, month_number
from sdmonitor.warehouse import Warehouse

__all__ = ["backtest", "late_prior"]


def backtest(
    warehouse: Warehouse,
    *,
    years: Sequence[int] | None = None,
    by: str = "budget_line",
    settle_months: int = 6,
    last_years: int = 3,
) -> Backtest:
    """The forecast as it would have been made at every month end of complete past years, against the final
    outcome, beside the naive run-rate (docs/forecast.md, "Backtest").

    A year Y is complete when the data moment is at least ``settle_months`` months after 31 December Y. The
    outcome O is the forecast of Y made now (realised plus the small late_expected left). Every month-end
    forecast uses only the data known at that month end (``make_forecast(as_of=...)``: the loads extracted
    by then, else the business dates). ``years`` (default: the ``last_years`` newest complete years)."""
    final = knowledge(warehouse, None)
    backend = warehouse.ibis()
    lines = backend.table("declaration_versions")
    lines = lines.filter(lines.superseded_at.isnull())
    span = rows_of(
        backend,
        lines.aggregate(first=lines.period_start.min(), given=lines.submitted_given.cast("int64").sum()),
    )[0]
    if not span["given"]:
        raise InputError("Geen indieningsdatums in de declaraties: terugtoets niet mogelijk.")
    complete = [
        y
        for y in range(span["first"].year + 1, final.moment.year)
        if month_number(final.moment) - (y * 12 + 11) >= settle_months
    ]
    chosen = sorted(years) if years else complete[-last_years:]
    notes: list[str] = []
    refused = [y for y in chosen if y not in complete]
    if refused:
        notes.append("Nog niet compleet (of zonder historie): " + ", ".join(map(str, refused)) + ".")
    chosen = [y for y in chosen if y in complete]
    if not chosen:
        raise InputError(
            "Geen compleet afgelopen jaar om terug te toetsen: een jaar is compleet "
            f"{settle_months} maanden na afloop en heeft een jaar historie ervoor."
        )
    errors: dict[tuple[str, int], list[tuple[float, float, float]]] = defaultdict(list)
    approximated = 0
    for year in chosen:
        outcome = {r.budget_line: r.forecast for r in make_forecast(warehouse, year, by=by).rows}
        for month in range(1, 13):
            end = month_first(year * 12 + month) - timedelta(days=1)
            made = make_forecast(warehouse, year, as_of=end, by=by)
            approximated += made.approximated
            for row in made.rows:
                o = outcome.get(row.budget_line, 0.0)
                ape = absolute_percentage_error(row.forecast, o)
                ape_rr = absolute_percentage_error(run_rate(row.realised, month), o)
                if ape is not None and ape_rr is not None:
                    errors[(row.budget_line, month)].append((ape, ape_rr, o))
    if approximated:
        notes.append(
            f"{approximated} van de {12 * len(chosen)} prognoses benaderd uit bedrijfsdatums "
            "(geen lading van vóór die maandeinde)."
        )
    rows: list[BacktestRow] = []
    names = list(dict.fromkeys(name for name, _ in errors))
    for name in names:
        for month in range(1, 13):
            found = errors.get((name, month), [])
            rows.append(
                BacktestRow(
                    name,
                    month,
                    len(found),
                    sum(f for f, _, _ in found) / len(found) if found else None,
                    sum(r for _, r, _ in found) / len(found) if found else None,
                )
            )
    return Backtest(tuple(chosen), tuple(rows), tuple(notes))


def late_prior(warehouse: Warehouse, forecast: Forecast) -> dict[str, float]:
    """Per row of ``forecast``: the late declarations of earlier years, P = the amounts approved and submitted
    in the forecast's year up to T for delivery months before it, minus what the forecast of the year before,
    made on its 31 December, reserved as late_expected (design §3.7). A memo line of the bridge: in
    delivery-month accounting these costs belong to their own year."""
    year = forecast.year
    known = knowledge(warehouse, forecast.as_of)
    backend = warehouse.ibis()
    gatherer = Gatherer(backend, year, known, budget_lines(backend, year, known), forecast.by)
    lines = gatherer.declarations((APPROVED,))
    lines = lines.filter((lines.submitted_on >= date(year, 1, 1)) & (lines.period_start < date(year, 1, 1)))
    spread = spread_numbers(lines, None, date(year - 1, 12, 31))
    spread = spread.mutate(key=gatherer.key(spread))
    approved = {
        r["key"]: float(r["amount"] or 0)
        for r in rows_of(backend, spread.group_by("key").aggregate(amount=spread.amount.sum()))
    }
    try:
        before = make_forecast(warehouse, year - 1, as_of=date(year - 1, 12, 31), by=forecast.by)
        reserved = {r.budget_line: r.late_expected for r in before.rows}
    except InputError:
        reserved = {}
    return {
        row.budget_line: approved.get(row.budget_line, 0.0) - reserved.get(row.budget_line, 0.0)
        for row in forecast.rows
        if row.kind in ("line", "room")
    }
