"""The year-end forecast per budget line or provider, from declarations, running allocations and history.

docs/forecast.md has the definitions and worked examples (design: docs/design/money.md §3). ``make_forecast``
reads what was known at the data moment T (``knowledge``), gathers small per-row inputs with a handful of Ibis
queries (the declarations through ``metrics/costs.py``, the allocations and their allocated volume through
``metrics/utilisation.py``) and leaves the arithmetic to ``metrics/forecast_model.py``:

- realised: approved costs of the year's delivery months up to T, as known at T;
- late_expected: Bornhuetter–Ferguson, (1 - c_k) x E(m), with chain-ladder completion factors c_k from a
  run-off triangle of the line (``metrics/runoff.py``) and E(m) the commitment formula for the months passed;
  plus submitted lines not yet decided x the approval rate;
- committed: allocated volume x tariff x utilisation of the allocations running after T, to their planned
  end, open-ended ones weighted by the Kaplan–Meier survival of their product (``metrics/survival.py``);
- new_expected: allocations still to start (inflow with its season) x the cost of a new allocation in its
  first months, plus the run rate of costs without an allocation (pgb, one-off costs).

Where each part lives: ``forecast_knowledge.py`` (what is known at T: the data moment, version rules, budget
lines, index), ``forecast_gather.py`` (the queries, per row), ``forecast_model.py`` (the arithmetic, the types
and the variance bridge), ``backtest.py`` (the backtest and the late declarations of earlier years). The types
(``Forecast``, ``ForecastRow``, ``PathPoint``, ``BridgeRow``, ``Backtest``) are re-exported here.
"""

from __future__ import annotations

from datetime import date

from sdmonitor.domain.dates import format_dutch
from sdmonitor.errors import InputError
from sdmonitor.metrics.forecast_gather import Gatherer
from sdmonitor.metrics.forecast_knowledge import budget_lines, index_percentage, knowledge
from sdmonitor.metrics.forecast_model import (
    BACKTEST_COLUMNS,
    BRIDGE_COLUMNS,
    CONTRACT_COLUMNS,
    DEFAULT_MARGIN,
    NOT_BUDGETED,
    TOTAL,
    Backtest,
    BacktestRow,
    BridgeRow,
    Forecast,
    ForecastRow,
    PathPoint,
    bridge,
    forecast_line,
    total_row,
)
from sdmonitor.warehouse import Warehouse

__all__ = [
    "BACKTEST_COLUMNS",
    "BRIDGE_COLUMNS",
    "CONTRACT_COLUMNS",
    "DEFAULT_MARGIN",
    "DEFAULT_SERIES",
    "NOT_BUDGETED",
    "TOTAL",
    "Backtest",
    "BacktestRow",
    "BridgeRow",
    "Forecast",
    "ForecastRow",
    "PathPoint",
    "bridge",
    "make_forecast",
]

DEFAULT_SERIES = "vng-ova-ppc"


def make_forecast(
    warehouse: Warehouse,
    year: int,
    *,
    as_of: date | None = None,
    by: str = "budget_line",
    margin: float = DEFAULT_MARGIN,
    index_series: str = DEFAULT_SERIES,
) -> Forecast:
    """The forecast of ``year`` per budget line (``by='budget_line'``: the lines, ``niet begroot`` and the
    total) or per provider (``by='provider'``: a provider's spending room as its budget), as made at the data
    moment known at ``as_of`` (None: now). ``margin``: how far the share used may run ahead of the share of
    the year before the warning ``loopt voor``."""
    if by not in ("budget_line", "provider"):
        raise InputError(f"Onbekende indeling '{by}' voor de prognose: kies budget_line of provider.")
    if not 0 <= margin < 1:
        raise InputError(f"Marge {margin} ligt niet tussen 0 en 1 (bijvoorbeeld 0.05 voor 5 procentpunt).")
    known = knowledge(warehouse, as_of)
    backend = warehouse.ibis()
    lines = budget_lines(backend, year, known)
    gathered = Gatherer(backend, year, known, lines, by).gather()
    rows: list[ForecastRow] = []
    paths: dict[str, tuple[PathPoint, ...]] = {}
    for inputs in gathered.inputs:
        row, path = forecast_line(inputs, year, known.moment, margin)
        rows.append(row)
        paths[row.budget_line] = path
    total, total_path = total_row(
        rows, paths, year, known.moment, margin, gathered.total_paid_clients, with_budget=by == "budget_line"
    )
    paths[TOTAL] = total_path
    index, index_note = index_percentage(backend, year, known, index_series)
    notes = list(gathered.notes)
    if index_note:
        notes.append(index_note)
    if not lines:
        where = f": alle kosten staan onder '{NOT_BUDGETED}'" if by == "budget_line" else ""
        notes.append(f"Geen begroting geladen voor {year}{where}.")
    if date(year, 1, 1) > known.moment:
        notes.append(
            f"Het hele jaar {year} ligt na het datamoment ({format_dutch(known.moment)}): de prognose komt "
            "geheel uit de verplichtingen van lopende toewijzingen en de verwachte instroom van nieuwe cliënten."
        )
    if known.approximated:
        parts = []
        if known.approximates("declarations"):
            parts.append("declaraties ingediend t/m die dag, met hun huidige status")
        if known.approximates("allocations"):
            parts.append("toewijzingen besloten (anders begonnen) t/m die dag, einddatums daarna open")
        notes.insert(
            0,
            f"Benaderd uit bedrijfsdatums: geen lading van vóór {format_dutch(known.moment)} voor "
            + " en ".join(p.split(" ")[0] for p in parts)
            + "; gerekend met "
            + " en ".join(parts)
            + ".",
        )
    return Forecast(
        year=year,
        as_of=as_of,
        moment=known.moment,
        by=by,
        rows=(*rows, total),
        paths=paths,
        approximated=known.approximated,
        notes=tuple(notes),
        margin=margin,
        index=index,
        index_series=index_series,
    )
