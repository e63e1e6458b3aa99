"""The job behind ``sdm forecast``: the forecast, the variance bridge or the backtest as a table of columns and
rows, with its notes (docs/forecast.md).

CSV is the black-box contract: ``budget_line`` (``provider`` with ``--by provider``) and the figures of
``metrics.forecast.CONTRACT_COLUMNS``; the notes (an approximation from business dates, fallbacks) are not
part of the table, so the command prints them on stderr for CSV and JSON and under the table otherwise.

``write_forecast`` is the forecast's own writer (docs/forecast.md, "Output formats"): in CSV amounts with two
decimals (``35882000.00``), shares and errors with four, dates ISO, booleans ``true``/``false``; in the text
table Dutch headers (``domain.wording.FORECAST_HEADERS``), amounts as ``1.818.769,60``, shares as
``0,7739`` and booleans ``ja``/``nee``. JSON keeps the numbers and booleans as they are, dates ISO.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sdmonitor.domain.formatting import dutch_decimal, dutch_int
from sdmonitor.domain.wording import FORECAST_HEADERS
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
from sdmonitor.metrics.forecast_knowledge import first_declared_year, knowledge
from sdmonitor.reports.tables import to_csv, to_json, write_table
from sdmonitor.warehouse import Warehouse

# Euros: two decimals in every format that writes text (CSV, the text table).
AMOUNT_COLUMNS = frozenset(
    {"budget", "realised", "late_expected", "committed", "new_expected", "forecast", "difference", "amount"}
)
# Fractions and errors: four decimals.
FRACTION_COLUMNS = frozenset(
    {"share_used", "share_of_year", "share_realised", "mape_forecast", "mape_runrate"}
)
# Columns of the text table, JSON and XLSX that are no part of the CSV contract.
EXTRA_COLUMNS = frozenset({"share_realised"})
ROOM_SIGNAL_NOTE = (
    "Het signaal '70% bestedingsruimte' (Contractstandaard Wmo) wordt gemeten op het deel gerealiseerd "
    "(share_realised: gerealiseerd / bestedingsruimte), niet op het deel gebruikt, dat de nog te declareren "
    "kosten meetelt."
)
PROVIDER_TOTAL_NOTE = (
    "De totaalrij telt de kosten van alle aanbieders; alleen sommige hebben een bestedingsruimte, dus "
    "begroting, verschil, deel gebruikt, uitputtingsdatum en signaal blijven in het totaal leeg."
)


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
    check_year_has_data(warehouse, request.year, request.as_of)
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
    rows = tuple(tuple(r[c] for c in columns) for r in records)
    notes = forecast.notes
    if request.by == "provider":
        columns = (*columns, "share_realised")
        rows = tuple(
            (*values, None if row.share_realised is None else round(row.share_realised, 4))
            for values, row in zip(rows, forecast.rows, strict=True)
        )
        notes = (*notes, PROVIDER_TOTAL_NOTE, ROOM_SIGNAL_NOTE)
    return ForecastTable(f"Prognose {request.year}", columns, rows, notes, time.perf_counter() - started)


def check_year_has_data(warehouse: Warehouse, year: int, as_of: date | None) -> None:
    """Refuse a forecast of a year before the first year with declarations (it would be zeros)."""
    known = knowledge(warehouse, as_of)
    first = first_declared_year(warehouse.ibis(), known)
    if first is not None and year < first:
        raise InputError(
            f"Geen declaraties in {year}: het eerste jaar met gegevens is {first}. Kies --year {first} "
            "of later."
        )


def csv_cell(column: str, value: Any) -> Any:
    """One value as the CSV writes it: amounts with two decimals, fractions with four, dates ISO,
    booleans ``true``/``false``, missing values empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float) and column in AMOUNT_COLUMNS:
        return f"{value + 0.0:.2f}"
    if isinstance(value, int | float) and column in FRACTION_COLUMNS:
        return f"{value + 0.0:.4f}"
    if isinstance(value, date):
        return value.isoformat()
    return value


def text_cell(column: str, value: Any) -> str:
    """One value as the text table shows it, in Dutch: ``1.818.769,60``, ``0,7739``, ``ja``/``nee``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, int | float) and column in AMOUNT_COLUMNS:
        return dutch_decimal(value + 0.0, 2)
    if isinstance(value, int | float) and column in FRACTION_COLUMNS:
        return dutch_decimal(value + 0.0, 4)
    if isinstance(value, int):
        return dutch_int(value)
    if isinstance(value, float):
        return dutch_decimal(value, 2)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def to_forecast_text(columns: tuple[str, ...], rows: tuple[tuple[Any, ...], ...]) -> str:
    """An aligned text table with the Dutch headers of ``FORECAST_HEADERS``, numbers right-aligned."""
    headers = [FORECAST_HEADERS.get(c, c) for c in columns]
    texts = [[text_cell(c, v) for c, v in zip(columns, row, strict=True)] for row in rows]
    widths = [max([len(h), *(len(r[i]) for r in texts)]) for i, h in enumerate(headers)]
    numeric = [
        bool(rows)
        and all(
            row[i] is None or (isinstance(row[i], int | float) and not isinstance(row[i], bool))
            for row in rows
        )
        for i in range(len(columns))
    ]

    def line(values: list[str]) -> str:
        return "  ".join(
            v.rjust(w) if n else v.ljust(w) for v, w, n in zip(values, widths, numeric, strict=True)
        ).rstrip()

    lines = [line(headers), line(["-" * w for w in widths]), *(line(r) for r in texts)]
    if not rows:
        lines.append("(geen rijen)")
    return "\n".join(lines) + "\n"


def write_forecast(
    table: ForecastTable, output_format: str, output: Path | None, *, default_name: str = "prognose"
) -> str | None:
    """Write ``table`` to ``output`` (or return the text for the terminal; xlsx always goes to a file).
    CSV has the contract columns only (not ``EXTRA_COLUMNS``)."""
    if output_format == "xlsx":
        headers = [FORECAST_HEADERS.get(c, c) for c in table.columns]
        return write_table(
            table.columns, table.rows, "xlsx", output, default_name=default_name, title=table.title,
            headers=headers,
        )  # fmt: skip
    if output_format == "csv":
        keep = [i for i, c in enumerate(table.columns) if c not in EXTRA_COLUMNS]
        columns = tuple(table.columns[i] for i in keep)
        rows = [tuple(csv_cell(table.columns[i], row[i]) for i in keep) for row in table.rows]
        text = to_csv(columns, rows)
    elif output_format == "json":
        rows = [tuple(v.isoformat() if isinstance(v, date) else v for v in row) for row in table.rows]
        text = to_json(table.columns, rows)
    elif output_format == "table":
        text = to_forecast_text(table.columns, table.rows)
    else:
        raise InputError(f"Onbekend formaat '{output_format}'; kies table, csv, json of xlsx.")
    if output is not None:
        output.write_text(text, encoding="utf-8")
        return f"Geschreven: {output}\n"
    return text
