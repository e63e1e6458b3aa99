"""The job behind ``sdm forecast``: the forecast, the variance bridge or the backtest as a table of columns and
rows, with its notes (docs/forecast.md).

CSV is the black-box contract: ``budget_line`` (``provider`` with ``--by provider``) and the figures of
``metrics.forecast.CONTRACT_COLUMNS``; the notes (an approximation from business dates, fallbacks) are not
part of the table, so the command prints them on stderr for CSV and JSON and under the table otherwise.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from typing import Any

from sdmonitor.errors import InputError
from sdmonitor.metrics.backtest import backtest, late_prior
from sdmonitor.metrics.forecast import (
    BACKTEST_COLUMNS,
    BRIDGE_COLUMNS,
    DEFAULT_MARGIN,
    DEFAULT_SERIES,
    bridge,
    make_forecast,
)
from sdmonitor.warehouse import Warehouse


@dataclass(frozen=True)
class ForecastRequest:
    """What ``sdm forecast`` asks: the year, the moment (None: the data moment), the rows, the margin of
    'loopt voor', the index series of the bridge, and which table (forecast, ``bridge`` or ``backtest``)."""

    year: int | None
    as_of: date | None = None
    by: str = "budget_line"
    margin: float = DEFAULT_MARGIN
    index_series: str = DEFAULT_SERIES
    show: str = "forecast"  # 'forecast', 'bridge' or 'backtest'
    backtest_years: tuple[int, ...] = ()


@dataclass(frozen=True)
class ForecastTable:
    """A table to write (``reports.tables.write_table``) with its title, notes (Dutch) and the seconds it took."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    notes: tuple[str, ...]
    seconds: float


def run_forecast(warehouse: Warehouse, request: ForecastRequest) -> ForecastTable:
    """Compute what ``request`` asks and lay it out as columns and rows."""
    started = time.perf_counter()
    if request.show == "backtest":
        result = backtest(warehouse, years=request.backtest_years or None, by=request.by)
        columns: tuple[str, ...] = BACKTEST_COLUMNS
        rows = tuple(tuple(r.record()[c] for c in columns) for r in result.rows)
        years = ", ".join(map(str, result.years))
        return ForecastTable(
            f"Terugtoets prognose ({years})", columns, rows, result.notes, time.perf_counter() - started
        )
    if request.year is None:
        raise InputError("Geef het jaar van de prognose met --year, bijvoorbeeld --year 2024.")
    forecast = make_forecast(
        warehouse,
        request.year,
        as_of=request.as_of,
        by=request.by,
        margin=request.margin,
        index_series=request.index_series,
    )
    if request.show == "bridge":
        effects = bridge(forecast, late_prior(warehouse, forecast))
        bridge_rows = tuple((e.budget_line, e.effect, e.label, e.amount, e.in_sum, e.note) for e in effects)
        return ForecastTable(
            f"Verschillenanalyse {request.year}",
            BRIDGE_COLUMNS,
            bridge_rows,
            forecast.notes,
            time.perf_counter() - started,
        )
    records = forecast.records()
    columns = tuple(records[0]) if records else (forecast.key_column,)
    return ForecastTable(
        f"Prognose {request.year}",
        columns,
        tuple(tuple(r[c] for c in columns) for r in records),
        forecast.notes,
        time.perf_counter() - started,
    )
