"""What ``sdm metric costs --grain month --by law`` is measured against: pandas, Polars and hand-written DuckDB SQL.

The semantics are those of docs/design/money.md 2.1-2.2 (and docs/metrics.md): only the current versions of
``toegekend`` lines count, a credit (``debit_credit`` C) counts negative, and every line is spread over the
months of its delivery period in proportion to its days (both ends inclusive), unrounded. Per month and law:

- ``amount``: the sum of the spread amounts (clients with a net of zero or below included);
- ``clients``: distinct clients whose net in the month and law is above zero (from a millionth of a euro, as
  the metric counts: the float rest of a debit and its credit summed in another order, such as
  x + y - x - y, is no client);
- ``cost_per_client``: amount / clients (empty when clients is 0);
- ``client_months``: distinct (client, month) pairs with a net above zero: at the grain of a month the same as
  ``clients``, computed separately all the same (as the metric does for any grain);
- ``cost_per_client_month``: amount / client_months.

Months 2015-01 .. 2024-12. The benchmark's lines all end before the data moment (the extraction day
2025-01-31, benchmarks/declarations.py), so the part of a line after the data moment, which the metric leaves
out, does not occur and the baselines do not cut it.

Every implementation returns rows ``(month label, law, amount, clients, cost_per_client, client_months,
cost_per_client_month)``, one per month and law with an approved line, sorted; ``normalise`` rounds the euros
to cents and ``same_rows`` compares them allowing a cent for the order of floating-point sums.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import polars as pl

from sdmonitor.domain.periods import Grain, cut
from sdmonitor.metrics import MetricRequest
from sdmonitor.warehouse import Warehouse

Row = tuple[Any, ...]

FIRST = date(2015, 1, 1)
LAST = date(2024, 12, 31)
MONTHS = cut(FIRST, LAST, Grain.MONTH)  # 120
LABELS = [p.label for p in MONTHS]
REQUEST = MetricRequest("costs", grain="month", start=FIRST, end=LAST, by=("law",))
DESCRIPTION = "costs per month by law (120 x 2)"

# the current versions of the lines, as every implementation reads them
CURRENT = "declaration_versions WHERE superseded_at IS NULL"
ABOVE_ZERO = 1e-6  # euros: a net above this is above zero (metrics/costs.py ABOVE_ZERO)


def _finish(month: int, law: str, amount: float, clients: int, client_months: int) -> Row:
    return (
        LABELS[month],
        law,
        amount,
        clients,
        amount / clients if clients else None,
        client_months,
        amount / client_months if client_months else None,
    )


def normalise(rows: list[Row]) -> list[Row]:
    """Rows with plain values (euros rounded to cents, counts as int), sorted by month and law; rows whose
    measures are all zero left out (as ``sdm metric`` does)."""
    plain = [
        (
            str(row[0]),
            str(row[1]),
            round(float(row[2]), 2),
            int(row[3]),
            None if row[4] is None else round(float(row[4]), 2),
            int(row[5]),
            None if row[6] is None else round(float(row[6]), 2),
        )
        for row in rows
    ]
    return sorted(r for r in plain if r[2] != 0 or r[3] or r[5])


def same_rows(a: list[Row], b: list[Row]) -> bool:
    """Equal rows, euros within a cent (sums of floats in another order may round to the other cent)."""
    if len(a) != len(b):
        return False
    for x, y in zip(a, b, strict=True):
        if x[:2] != y[:2] or x[3] != y[3] or x[5] != y[5]:
            return False
        for i in (2, 4, 6):
            if (x[i] is None) != (y[i] is None):
                return False
            if x[i] is not None and abs(x[i] - y[i]) > 0.01 + 1e-9 * abs(x[i]):
                return False
    return True


# -- pandas ----------------------------------------------------------------------------------------------

_READ = f"""SELECT client_key, law, period_start, period_end, amount::DOUBLE AS amount, debit_credit, status
            FROM {CURRENT}"""


def read_pandas(warehouse: Warehouse) -> pd.DataFrame:
    """The current lines' client (integer key), law, period, amount, debit/credit and status (text as
    categoricals, the amount as a float)."""
    df: pd.DataFrame = warehouse.arrow(_READ).to_pandas(strings_to_categorical=True, date_as_object=False)
    return df


def pandas_costs(df: pd.DataFrame) -> list[Row]:
    """Approved lines, signed; each exploded into the months of its period (numpy repeat) with its share of
    days; net per month, law and client (groupby); then amount and clients with a net above zero."""
    df = df[df.status == "toegekend"]
    signed = np.where(df.debit_credit == "C", -df.amount.to_numpy(), df.amount.to_numpy())
    start = df.period_start.to_numpy().astype("datetime64[D]")
    end = df.period_end.to_numpy().astype("datetime64[D]")
    first_month = np.datetime64(FIRST, "M")
    m0 = (start.astype("datetime64[M]") - first_month).astype(np.int64)
    m1 = (end.astype("datetime64[M]") - first_month).astype(np.int64)
    counts = m1 - m0 + 1
    rows = np.repeat(np.arange(len(df)), counts)
    month = np.repeat(m0, counts) + (np.arange(len(rows)) - np.repeat(np.cumsum(counts) - counts, counts))
    month_first = (first_month + month).astype("datetime64[D]")
    month_last = (first_month + month + 1).astype("datetime64[D]") - np.timedelta64(1, "D")
    days = (np.minimum(end[rows], month_last) - np.maximum(start[rows], month_first)).astype(np.int64) + 1
    total = (end - start).astype(np.int64) + 1
    cost = signed[rows] * days / total[rows]
    inside = (month >= 0) & (month < len(MONTHS))
    exploded = pd.DataFrame(
        {
            "month": month[inside],
            "law": df.law.cat.codes.to_numpy()[rows][inside],
            "client": df.client_key.to_numpy()[rows][inside],
            "cost": cost[inside],
        }
    )
    net = exploded.groupby(["month", "law", "client"]).cost.sum()
    positive = net > ABOVE_ZERO
    per_month = pd.DataFrame({"amount": net, "clients": positive}).groupby(level=["month", "law"]).sum()
    # client months: (client, month) pairs with a net above zero, per month and law (at this grain: clients)
    client_months = positive.groupby(level=["month", "law"]).sum()
    laws = df.law.cat.categories
    return [
        _finish(int(m), str(laws[code]), float(a), int(c), int(client_months[(m, code)]))
        for (m, code), (a, c) in zip(per_month.index, per_month.to_numpy(), strict=True)
    ]


def run_pandas(warehouse: Warehouse) -> tuple[list[Row], float]:
    """The pandas rows and the seconds spent reading the lines into pandas."""
    start = time.perf_counter()
    df = read_pandas(warehouse)
    read_seconds = time.perf_counter() - start
    return pandas_costs(df), read_seconds


# -- Polars ----------------------------------------------------------------------------------------------


def read_polars(warehouse: Warehouse) -> pl.LazyFrame:
    frame = pl.from_arrow(warehouse.arrow(_READ))
    assert isinstance(frame, pl.DataFrame)
    return frame.lazy()


def polars_costs(lf: pl.LazyFrame) -> list[Row]:
    """Approved lines, signed; each line's range of months (``int_ranges``) exploded, its share of days; net
    per month, law and client; then amount and clients with a net above zero."""
    start, end = pl.col("period_start"), pl.col("period_end")

    def month_index(day: pl.Expr) -> pl.Expr:
        return (day.dt.year() - FIRST.year) * 12 + day.dt.month() - 1

    month = pl.col("month")
    month_first = pl.date(FIRST.year + month // 12, month % 12 + 1, 1)
    lf = (
        lf.filter(pl.col("status") == "toegekend")
        .select(
            "client_key",
            "law",
            "period_start",
            "period_end",
            signed=pl.when(pl.col("debit_credit") == "C").then(-pl.col("amount")).otherwise(pl.col("amount")),
            total=(end - start).dt.total_days() + 1,
            month=pl.int_ranges(month_index(start), month_index(end) + 1),
        )
        .explode("month")
        .filter(month.is_between(0, len(MONTHS) - 1))
        .with_columns(month_first=month_first)
        .with_columns(
            days=(
                pl.min_horizontal(end, pl.col("month_first").dt.month_end())
                - pl.max_horizontal(start, pl.col("month_first"))
            ).dt.total_days()
            + 1
        )
        .group_by("month", "law", "client_key")
        .agg(net=(pl.col("signed") * pl.col("days") / pl.col("total")).sum())
        .group_by("month", "law")
        .agg(
            amount=pl.col("net").sum(),
            clients=(pl.col("net") > ABOVE_ZERO).sum(),
            client_months=(pl.col("net") > ABOVE_ZERO).sum(),
        )
    )
    result = lf.collect()
    return [_finish(m, law, a, c, cm) for m, law, a, c, cm in result.iter_rows()]


def run_polars(warehouse: Warehouse) -> tuple[list[Row], float]:
    """The Polars rows and the seconds spent reading the lines into Polars."""
    start = time.perf_counter()
    lf = read_polars(warehouse)
    read_seconds = time.perf_counter() - start
    return polars_costs(lf), read_seconds


# -- hand-written DuckDB SQL -----------------------------------------------------------------------------

_APPROVED = f"""
    SELECT client_key, law, period_start AS s, period_end AS e,
           CASE WHEN debit_credit = 'C' THEN -amount ELSE amount END::DOUBLE AS signed,
           (year(period_start) - {FIRST.year}) * 12 + month(period_start) - 1 AS m0,
           (year(period_end) - {FIRST.year}) * 12 + month(period_end) - 1 AS m1
    FROM {CURRENT}
    AND status = 'toegekend' AND period_start <= DATE '{LAST}' AND period_end >= DATE '{FIRST}'"""
_MONTH_FIRST = f"(DATE '{FIRST}' + to_months(m))::DATE"
_MONTH_LAST = f"(DATE '{FIRST}' + to_months(m + 1))::DATE - 1"
_LAST_MONTH = len(MONTHS) - 1

SQL: dict[str, str] = {
    # every line exploded into its months (unnest(range)), its share of days; net per month, law and client;
    # then the sums per month and law: the textbook formulation
    "explode": f"""
        WITH l AS ({_APPROVED}),
        x AS (
            SELECT client_key, law, s, e, signed,
                   unnest(range(greatest(m0, 0), least(m1, {_LAST_MONTH}) + 1)) AS m
            FROM l
        ), net AS (
            SELECT m, law, client_key,
                   sum(signed * (least(e, {_MONTH_LAST}) - greatest(s, {_MONTH_FIRST}) + 1) / (e - s + 1)) AS net
            FROM x GROUP BY ALL
        )
        SELECT m, law, sum(net) AS amount, count(*) FILTER (net > {ABOVE_ZERO}) AS clients,
               count(*) FILTER (net > {ABOVE_ZERO}) AS client_months
        FROM net GROUP BY ALL""",
    # the 97 % of lines within one month go straight to their month (no explode, no date arithmetic); only
    # the lines over several months are exploded; month, law and client packed into one BIGINT group key
    # (client_key * 256 + month * 2 + law), so the large aggregation hashes one integer. NOT MATERIALIZED:
    # the table is scanned once per branch (what the engine does), 10-20 % less CPU than materializing the
    # approved lines once (DuckDB's default for a CTE used twice)
    "single_month_fast_path": f"""
        WITH l AS NOT MATERIALIZED ({_APPROVED}),
        parts AS (
            SELECT client_key * 256 + m0 * 2 + (law = 'JW')::INT AS k, signed AS cost
            FROM l WHERE m0 = m1
            UNION ALL
            SELECT client_key * 256 + m * 2 + (law = 'JW')::INT,
                   signed * (least(e, {_MONTH_LAST}) - greatest(s, {_MONTH_FIRST}) + 1) / (e - s + 1)
            FROM (SELECT *, unnest(range(greatest(m0, 0), least(m1, {_LAST_MONTH}) + 1)) AS m
                  FROM l WHERE m0 <> m1)
        ), net AS (
            SELECT k, sum(cost) AS net FROM parts GROUP BY k
        )
        SELECT (k % 256) // 2 AS m, CASE WHEN k % 2 = 1 THEN 'JW' ELSE 'WMO' END AS law,
               sum(net) AS amount, count(*) FILTER (net > {ABOVE_ZERO}) AS clients,
               count(*) FILTER (net > {ABOVE_ZERO}) AS client_months
        FROM net GROUP BY ALL""",
    # the same fast path, grouped on (client, month, law) as three columns instead of one packed key
    "single_month_fast_path_3_keys": f"""
        WITH l AS NOT MATERIALIZED ({_APPROVED}),
        parts AS (
            SELECT client_key, m0 AS m, law, signed AS cost
            FROM l WHERE m0 = m1
            UNION ALL
            SELECT client_key, m, law,
                   signed * (least(e, {_MONTH_LAST}) - greatest(s, {_MONTH_FIRST}) + 1) / (e - s + 1)
            FROM (SELECT *, unnest(range(greatest(m0, 0), least(m1, {_LAST_MONTH}) + 1)) AS m
                  FROM l WHERE m0 <> m1)
        ), net AS (
            SELECT m, law, client_key, sum(cost) AS net FROM parts GROUP BY ALL
        )
        SELECT m, law, sum(net) AS amount, count(*) FILTER (net > {ABOVE_ZERO}) AS clients,
               count(*) FILTER (net > {ABOVE_ZERO}) AS client_months
        FROM net GROUP BY ALL""",
}


def run_sql(warehouse: Warehouse, variant: str) -> list[Row]:
    """The rows of one SQL formulation."""
    return [_finish(int(m), law, a, c, cm) for m, law, a, c, cm in warehouse.rows(SQL[variant])]


RUNNERS: dict[str, Callable[[Warehouse], list[Row]]] = {
    "pandas": lambda w: run_pandas(w)[0],
    "polars": lambda w: run_polars(w)[0],
    **{f"sql:{variant}": (lambda w, v=variant: run_sql(w, v)) for variant in SQL},  # type: ignore[misc]
}
