"""What the metric engine is measured against: a plain pandas version and hand-written DuckDB SQL.

Three figures (docs/metrics.md): ``clients`` per half-year by law, ``flows`` per month by law (episodes with
no day without support, max-gap-days 0) and ``stock`` on the first day of every quarter, all over 2015-2024.
Each figure is also computed with Polars (lazy frames, the same algorithms as pandas where Polars has the
means, exploding ranges of periods where that is its idiom), a peer of pandas. Every implementation returns
rows shaped like ``MetricResult.rows``: ``(period label or ISO date, [law],
*counts)`` with only the groups that have something to count, sorted by period and law.

The pandas versions are what an analyst would write: read the four columns needed from the warehouse, then
vectorised pandas/numpy (no Python loops over rows). The SQL versions are the fastest formulations found for
DuckDB; the slower alternatives that were tried are kept (``SQL[figure]``) and timed too.
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
HALVES = cut(FIRST, LAST, Grain.HALF)  # 20
MONTHS = cut(FIRST, LAST, Grain.MONTH)  # 120
QUARTER_STARTS = tuple(p.first for p in cut(FIRST, LAST, Grain.QUARTER))  # 40
FIGURES = ("clients", "flows", "stock")

REQUESTS = {
    "clients": MetricRequest("clients", grain="half", start=FIRST, end=LAST, by=("law",)),
    "flows": MetricRequest("flows", grain="month", start=FIRST, end=LAST, by=("law",)),
    "stock": MetricRequest("stock", on=QUARTER_STARTS, by=()),
}
DESCRIPTIONS = {
    "clients": "clients per half-year by law (20 x 2)",
    "flows": "flows per month by law (120 x 2)",
    "stock": "stock on 40 quarter starts (total)",
}


def normalise(rows: list[Row]) -> list[Row]:
    """Rows as plain ``str``/``int`` tuples, sorted: comparable across implementations."""
    plain = [tuple(v if isinstance(v, str) else int(v) for v in row) for row in rows]
    return sorted(plain)


# -- pandas ----------------------------------------------------------------------------------------------


def read_pandas(warehouse: Warehouse) -> pd.DataFrame:
    """The current allocations' client (the integer key), law and dates as a DataFrame (law categorical)."""
    table = warehouse.arrow("SELECT client_key, law, start_date, end_date FROM allocations")
    df: pd.DataFrame = table.to_pandas(strings_to_categorical=True, date_as_object=False)
    return df


def _half_index(days: pd.Series) -> np.ndarray:
    """Half-year number since 2015-H1 of each date (NaT: far in the future)."""
    filled = days.fillna(pd.Timestamp("2262-01-01"))
    index: np.ndarray = ((filled.dt.year - FIRST.year) * 2 + (filled.dt.month > 6)).to_numpy()
    return index


def pandas_clients(df: pd.DataFrame) -> list[Row]:
    """Explode each allocation into the half-years it runs in, then count distinct clients per half and law."""
    first, last = pd.Timestamp(FIRST), pd.Timestamp(LAST)
    df = df[(df.start_date <= last) & (df.end_date.isna() | (df.end_date >= first))]
    lo = np.maximum(_half_index(df.start_date), 0)
    hi = np.minimum(_half_index(df.end_date), len(HALVES) - 1)
    counts = hi - lo + 1
    rows = np.repeat(np.arange(len(df)), counts)
    half = np.repeat(lo, counts) + (np.arange(len(rows)) - np.repeat(np.cumsum(counts) - counts, counts))
    law = df.law.cat.codes.to_numpy()[rows]  # codes: grouping on small integers, not strings
    exploded = pd.DataFrame({"half": half, "law": law, "client": df.client_key.to_numpy()[rows]})
    result = exploded.groupby(["half", "law"]).client.nunique()
    labels, laws = [p.label for p in HALVES], df.law.cat.categories
    return [(labels[h], laws[code], n) for (h, code), n in result.items() if n]


def pandas_flows(df: pd.DataFrame) -> list[Row]:
    """Episodes per client and law (sort, running max of the end, a new episode after a day without
    support), then episodes starting (inflow) and ending (outflow) per month."""
    df = df.assign(client=df.client_key, end=df.end_date.fillna(pd.Timestamp("2262-01-01")))
    df = df.sort_values(["client", "law", "start_date", "end"], ignore_index=True)
    keys = [df.client, df.law]
    previous_end = df.groupby(keys, observed=True).end.cummax().groupby(keys, observed=True).shift()
    new = previous_end.isna() | ((df.start_date - previous_end).dt.days - 1 > 0)
    df["episode"] = new.cumsum()
    episodes = df.groupby("episode").agg(
        law=("law", "first"), start=("start_date", "min"), end=("end", "max")
    )
    episodes.loc[episodes.end == pd.Timestamp("2262-01-01"), "end"] = pd.NaT
    first, last = pd.Timestamp(FIRST), pd.Timestamp(LAST)
    counts = []
    for column, name in (("start", "inflow"), ("end", "outflow")):
        e = episodes[(episodes[column] >= first) & (episodes[column] <= last)]
        month = e[column].dt.strftime("%Y-%m")
        counts.append(e.groupby([month, e.law], observed=True).size().rename(name))
    both = pd.concat(counts, axis=1).fillna(0).astype("int64")
    return [
        (month, law, i, o, i - o) for (month, law), (i, o) in zip(both.index, both.to_numpy(), strict=True)
    ]


def pandas_stock(df: pd.DataFrame) -> list[Row]:
    """For each reference date: a boolean mask of the running allocations and distinct clients."""
    client = df.client_key
    rows = []
    for day in QUARTER_STARTS:
        ts = pd.Timestamp(day)
        running = (df.start_date <= ts) & (df.end_date.isna() | (df.end_date >= ts))
        n = client[running].nunique()
        if n:
            rows.append((day.isoformat(), n))
    return rows


PANDAS: dict[str, Callable[[pd.DataFrame], list[Row]]] = {
    "clients": pandas_clients,
    "flows": pandas_flows,
    "stock": pandas_stock,
}


def run_pandas(warehouse: Warehouse, figure: str) -> tuple[list[Row], float]:
    """The pandas rows of a figure and the seconds spent reading the allocations into pandas."""
    start = time.perf_counter()
    df = read_pandas(warehouse)
    read_seconds = time.perf_counter() - start
    return PANDAS[figure](df), read_seconds


# -- Polars ----------------------------------------------------------------------------------------------


def read_polars(warehouse: Warehouse) -> pl.LazyFrame:
    """The current allocations' client, law and dates as a Polars frame (from Arrow, no copy of the dates)."""
    frame = pl.from_arrow(warehouse.arrow("SELECT client_key, law, start_date, end_date FROM allocations"))
    assert isinstance(frame, pl.DataFrame)
    return frame.lazy()


def _polars_half(day: pl.Expr) -> pl.Expr:
    return (day.dt.year() - FIRST.year) * 2 + (day.dt.month() > 6).cast(pl.Int32)


def polars_clients(lf: pl.LazyFrame) -> list[Row]:
    """Each allocation's range of half-years, exploded, then distinct clients per half-year and law."""
    far = pl.lit(date(2262, 1, 1))
    lf = lf.filter(
        (pl.col("start_date") <= LAST) & (pl.col("end_date").is_null() | (pl.col("end_date") >= FIRST))
    )
    lf = lf.select(
        "client_key",
        "law",
        half=pl.int_ranges(
            pl.max_horizontal(_polars_half(pl.col("start_date")), 0),
            pl.min_horizontal(_polars_half(pl.col("end_date").fill_null(far)), len(HALVES) - 1) + 1,
        ),
    ).explode("half")
    result = lf.group_by("half", "law").agg(pl.col("client_key").n_unique().alias("clients")).collect()
    labels = [p.label for p in HALVES]
    return [(labels[h], law, n) for h, law, n in result.iter_rows() if n]


def polars_flows(lf: pl.LazyFrame) -> list[Row]:
    """Per client and law, sorted by start: the running maximum of the end before each allocation starts a
    new episode when more than a day lies between (inflow; the running maximum is the previous episode's
    outflow); the last episode ends at the maximum end. Then counts per month."""
    far = date(9999, 12, 31)
    keys = ["client_key", "law"]
    lf = lf.with_columns(end=pl.col("end_date").fill_null(far)).sort([*keys, "start_date", "end"])
    lf = lf.with_columns(
        previous_end=pl.col("end").cum_max().shift(1).over(keys),
        last_end=pl.col("end").max().over(keys),
    )
    new = pl.col("previous_end").is_null() | (
        (pl.col("start_date") - pl.col("previous_end")).dt.total_days() > 1
    )
    lf = lf.with_columns(is_new=new)
    events = pl.concat(
        [
            lf.filter("is_new").select("law", day=pl.col("start_date"), i=pl.lit(1), o=pl.lit(0)),
            lf.filter(pl.col("is_new") & pl.col("previous_end").is_not_null()).select(
                "law", day=pl.col("previous_end"), i=pl.lit(0), o=pl.lit(1)
            ),
            lf.filter(pl.col("previous_end").is_null() & (pl.col("last_end") < far)).select(
                "law", day=pl.col("last_end"), i=pl.lit(0), o=pl.lit(1)
            ),
        ]
    )
    events = events.filter(pl.col("day").is_between(FIRST, LAST))
    result = (
        events.group_by(pl.col("day").dt.strftime("%Y-%m").alias("period"), "law")
        .agg(inflow=pl.col("i").sum(), outflow=pl.col("o").sum())
        .collect()
    )
    return [(period, law, i, o, i - o) for period, law, i, o in result.iter_rows()]


def polars_stock(lf: pl.LazyFrame) -> list[Row]:
    """Each allocation's range of quarter starts it covers, exploded, then distinct clients per date."""
    start, end = pl.col("start_date"), pl.col("end_date").fill_null(date(2262, 1, 1))
    first = (
        (start.dt.year() - FIRST.year) * 4
        + (start.dt.month() - 1) // 3
        + ((start.dt.day() > 1) | (start.dt.month() % 3 != 1)).cast(pl.Int32)
    )
    last = pl.min_horizontal(
        (end.dt.year() - FIRST.year) * 4 + (end.dt.month() - 1) // 3, len(QUARTER_STARTS) - 1
    )
    lf = lf.select("client_key", q=pl.int_ranges(pl.max_horizontal(first, 0), last + 1)).explode("q")
    result = lf.drop_nulls("q").group_by("q").agg(pl.col("client_key").n_unique()).collect()
    return [(QUARTER_STARTS[q].isoformat(), n) for q, n in result.iter_rows() if n]


POLARS: dict[str, Callable[[pl.LazyFrame], list[Row]]] = {
    "clients": polars_clients,
    "flows": polars_flows,
    "stock": polars_stock,
}


def run_polars(warehouse: Warehouse, figure: str) -> tuple[list[Row], float]:
    """The Polars rows of a figure and the seconds spent reading the allocations into Polars."""
    start = time.perf_counter()
    lf = read_polars(warehouse)
    read_seconds = time.perf_counter() - start
    return POLARS[figure](lf), read_seconds


# -- hand-written DuckDB SQL -----------------------------------------------------------------------------

_RUNNING = "start_date <= DATE '2024-12-31' AND (end_date IS NULL OR end_date >= DATE '2015-01-01')"
_END = "coalesce(end_date, DATE '2100-01-01')"  # open: far in the future
# half-year index since 2015-H1 of the start and of the end, clipped to the 20 halves
_H0 = "greatest((year(start_date) - 2015) * 2 + (month(start_date) > 6)::INT, 0)"
_H1 = f"least((year({_END}) - 2015) * 2 + (month({_END}) > 6)::INT, 19)"
# quarter-start index: the first quarter start on or after the start, the last one on or before the end
_Q0 = (
    "(year(start_date) - 2015) * 4 + (month(start_date) - 1) // 3"
    " + (day(start_date) > 1 OR month(start_date) % 3 <> 1)::INT"
)
_Q1 = f"least((year({_END}) - 2015) * 4 + (month({_END}) - 1) // 3, 39)"


def _values(rows: list[tuple[str, date, date]]) -> str:
    return ", ".join(f"('{label}', DATE '{a}', DATE '{b}')" for label, a, b in rows)


_HALF_TABLE = _values([(p.label, p.first, p.last) for p in HALVES])
_MONTH_TABLE = _values([(p.label, p.first, p.last) for p in MONTHS])
_DATE_TABLE = _values([(d.isoformat(), d, d) for d in QUARTER_STARTS])
_HALF_LABELS = "[" + ", ".join(f"'{p.label}'" for p in HALVES) + "]"
_DATE_LABELS = "[" + ", ".join(f"'{d.isoformat()}'" for d in QUARTER_STARTS) + "]"


def _count_below(expr: str, bounds: list[date], op: str, lo: int = 0, hi: int | None = None) -> str:
    """SQL for how many of the sorted ``bounds`` satisfy ``expr <op> bound`` (``>`` or ``>=``), by a binary
    search written as nested CASE: about log2(len(bounds)) comparisons per row."""
    hi = len(bounds) if hi is None else hi
    if lo == hi:
        return str(lo)
    mid = (lo + hi) // 2
    above, below = _count_below(expr, bounds, op, mid + 1, hi), _count_below(expr, bounds, op, lo, mid)
    return f"CASE WHEN {expr} {op} DATE '{bounds[mid]}' THEN {above} ELSE {below} END"


def _slot_range(slots: list[tuple[date, date]]) -> tuple[str, str]:
    """SQL for the first (i0) and last (i1) index of the sorted, disjoint slots an allocation runs in, for
    any slots (no calendar arithmetic): i0 = slots that end before the start, i1 = slots that begin on or
    before the end, minus one. The allocation runs in no slot when i0 > i1."""
    i0 = _count_below("start_date", [last for _, last in slots], ">")
    i1 = _count_below(_END, [first for first, _ in slots], ">=") + " - 1"
    return i0, i1


def _generic_bitmask(slots: list[tuple[date, date]], keys: str, by: str) -> str:
    i0, i1 = _slot_range(slots)
    sums = ", ".join(f"sum((m >> {i}) & 1)" for i in range(len(slots)))
    return f"""
        WITH a AS (SELECT {keys}, {i0} AS i0, {i1} AS i1 FROM allocations WHERE {_RUNNING}),
        per_client AS (
            SELECT {by} bit_or(CASE WHEN i0 <= i1 THEN (1::BIGINT << (i1 + 1)) - (1::BIGINT << i0) ELSE 0 END) AS m
            FROM a GROUP BY {keys}
        )
        SELECT {by} {sums} FROM per_client {"GROUP BY " + by.rstrip(", ") if by else ""}"""


SQL: dict[str, dict[str, str]] = {
    "clients": {
        # one bit per half-year per allocation, OR-ed per client and law, then the bits counted
        "bitmask": f"""
            WITH per_client AS (
                SELECT law, bit_or((1::BIGINT << ({_H1} + 1)) - (1::BIGINT << {_H0})) AS m
                FROM allocations WHERE {_RUNNING}
                GROUP BY client_key, law
            )
            SELECT {_HALF_LABELS}[i + 1] AS period, law, count(*) AS clients
            FROM per_client, range(20) AS r(i)
            WHERE (m >> i) & 1 = 1
            GROUP BY ALL""",
        # the same masks, counted with one sum per bit (no join with range)
        "bitmask_sums": f"""
            WITH per_client AS (
                SELECT law, bit_or((1::BIGINT << ({_H1} + 1)) - (1::BIGINT << {_H0})) AS m
                FROM allocations WHERE {_RUNNING}
                GROUP BY client_key, law
            ), sums AS (
                SELECT law, [{", ".join(f"sum((m >> {i}) & 1)" for i in range(20))}] AS n
                FROM per_client GROUP BY law
            )
            SELECT {_HALF_LABELS}[i + 1] AS period, law, n[i + 1] AS clients
            FROM sums, range(20) AS r(i) WHERE n[i + 1] > 0""",
        # bit masks with the slot indexes found by comparisons with the slot bounds: works for any slots
        # (what an engine could generate), one word up to 63 slots
        "bitmask_generic": _generic_bitmask([(p.first, p.last) for p in HALVES], "client_key, law", "law,"),
        # the engine's formulation: bool_or per half-year per client and law
        "bool_or_flags": f"""
            WITH per_client AS (
                SELECT law, {", ".join(f"bool_or(start_date <= DATE '{p.last}' AND (end_date IS NULL OR end_date >= DATE '{p.first}')) AS s{i}" for i, p in enumerate(HALVES))}
                FROM allocations WHERE {_RUNNING}
                GROUP BY client_key, law
            )
            SELECT law, {", ".join(f"count(*) FILTER (s{i}) AS s{i}" for i in range(20))}
            FROM per_client GROUP BY law""",
        # explode to half-years with unnest(range()), distinct, count
        "explode_distinct": f"""
            SELECT {_HALF_LABELS}[i + 1] AS period, law, count(*) AS clients
            FROM (SELECT DISTINCT client_key, law, unnest(range({_H0}, {_H1} + 1)) AS i
                  FROM allocations WHERE {_RUNNING})
            GROUP BY ALL""",
        # range join with the periods, count(DISTINCT)
        "range_join_distinct": f"""
            SELECT p.label AS period, a.law, count(DISTINCT a.client_key) AS clients
            FROM allocations a JOIN (VALUES {_HALF_TABLE}) p(label, first, last)
              ON a.start_date <= p.last AND (a.end_date IS NULL OR a.end_date >= p.first)
            GROUP BY ALL""",
    },
    "flows": {
        # running max of the end over the earlier allocations (ordered by start): a new episode starts where
        # the start is more than one day after it, and that running max is then the end of the previous
        # episode. The last episode of a client and law ends at the max end over the whole partition (a
        # second frame over the same ordering, so the same sort).
        "window_running_max": """
            WITH a AS (
                SELECT client_key, law, start_date,
                       coalesce(end_date, DATE '9999-12-31') AS e
                FROM allocations
            ), w AS (
                SELECT law, start_date,
                       max(e) OVER (PARTITION BY client_key, law ORDER BY start_date, e
                                    ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS previous_end,
                       max(e) OVER (PARTITION BY client_key, law ORDER BY start_date, e
                                    ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS last_end
                FROM a
            ), events AS (
                SELECT law, start_date AS day, 1 AS i, 0 AS o FROM w
                WHERE previous_end IS NULL OR start_date - previous_end > 1
                UNION ALL
                SELECT law, previous_end, 0, 1 FROM w WHERE start_date - previous_end > 1
                UNION ALL
                SELECT law, last_end, 0, 1 FROM w WHERE previous_end IS NULL AND last_end < DATE '9999-12-31'
            )
            SELECT strftime(day, '%Y-%m') AS period, law, sum(i) AS inflow, sum(o) AS outflow,
                   sum(i) - sum(o) AS net
            FROM events WHERE day BETWEEN DATE '2015-01-01' AND DATE '2024-12-31'
            GROUP BY ALL""",
        # the same boundaries, with the last episode's end from a GROUP BY instead of a second window
        "window_groupby_last": """
            WITH a AS (
                SELECT client_key, law, start_date,
                       coalesce(end_date, DATE '9999-12-31') AS e
                FROM allocations
            ), w AS (
                SELECT law, start_date,
                       max(e) OVER (PARTITION BY client_key, law ORDER BY start_date, e
                                    ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS previous_end
                FROM a
            ), events AS (
                SELECT law, start_date AS day, 1 AS i, 0 AS o FROM w
                WHERE previous_end IS NULL OR start_date - previous_end > 1
                UNION ALL
                SELECT law, previous_end, 0, 1 FROM w WHERE start_date - previous_end > 1
                UNION ALL
                SELECT law, max(e), 0, 1 FROM a GROUP BY client_key, law
                HAVING max(e) < DATE '9999-12-31'
            )
            SELECT strftime(day, '%Y-%m') AS period, law, sum(i) AS inflow, sum(o) AS outflow,
                   sum(i) - sum(o) AS net
            FROM events WHERE day BETWEEN DATE '2015-01-01' AND DATE '2024-12-31'
            GROUP BY ALL""",
        # the textbook gaps-and-islands: running max, episode number by a running sum, GROUP BY episode
        "episode_ids": """
            WITH a AS (
                SELECT client_key, law, start_date,
                       coalesce(end_date, DATE '9999-12-31') AS e
                FROM allocations
            ), flagged AS (
                SELECT *, (start_date - max(e) OVER (PARTITION BY client_key, law ORDER BY start_date, e
                           ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) > 1) IS NOT FALSE AS new
                FROM a
            ), numbered AS (
                SELECT *, sum(new::INT) OVER (PARTITION BY client_key, law ORDER BY start_date, e
                           ROWS UNBOUNDED PRECEDING) AS episode
                FROM flagged
            ), episodes AS (
                SELECT law, min(start_date) AS s, max(e) AS e FROM numbered
                GROUP BY client_key, law, episode
            ), events AS (
                SELECT law, s AS day, 1 AS i, 0 AS o FROM episodes
                UNION ALL
                SELECT law, e, 0, 1 FROM episodes WHERE e < DATE '9999-12-31'
            )
            SELECT strftime(day, '%Y-%m') AS period, law, sum(i) AS inflow, sum(o) AS outflow,
                   sum(i) - sum(o) AS net
            FROM events WHERE day BETWEEN DATE '2015-01-01' AND DATE '2024-12-31'
            GROUP BY ALL""",
    },
    "stock": {
        # one bit per quarter start covered by each allocation, OR-ed per client, bits summed
        "bitmask_sums": f"""
            WITH per_client AS (
                SELECT bit_or(CASE WHEN {_Q0} <= {_Q1}
                                   THEN (1::BIGINT << ({_Q1} + 1)) - (1::BIGINT << greatest({_Q0}, 0))
                                   ELSE 0 END) AS m
                FROM allocations WHERE {_RUNNING}
                GROUP BY client_key
            ), sums AS (
                SELECT [{", ".join(f"sum((m >> {i}) & 1)" for i in range(40))}] AS n FROM per_client
            )
            SELECT {_DATE_LABELS}[i + 1] AS date, n[i + 1] AS clients
            FROM sums, range(40) AS r(i) WHERE n[i + 1] > 0""",
        # bit masks with the date indexes found by comparisons (any dates)
        "bitmask_generic": _generic_bitmask([(d, d) for d in QUARTER_STARTS], "client_key", ""),
        # the engine's formulation: bool_or per date per client
        "bool_or_flags": f"""
            WITH per_client AS (
                SELECT {", ".join(f"bool_or(start_date <= DATE '{d}' AND (end_date IS NULL OR end_date >= DATE '{d}')) AS s{i}" for i, d in enumerate(QUARTER_STARTS))}
                FROM allocations WHERE {_RUNNING}
                GROUP BY client_key
            )
            SELECT {", ".join(f"count(*) FILTER (s{i}) AS s{i}" for i in range(40))}
            FROM per_client""",
        # range join with the dates, count(DISTINCT)
        "range_join_distinct": f"""
            SELECT p.label AS date, count(DISTINCT a.client_key) AS clients
            FROM allocations a JOIN (VALUES {_DATE_TABLE}) p(label, first, last)
              ON a.start_date <= p.first AND (a.end_date IS NULL OR a.end_date >= p.first)
            GROUP BY ALL""",
    },
}


# The fastest formulations once more on the text key of before migration 0009 (the pseudonym or the source's
# client number, kept with every version): what the integer client key saves, measured in the same run.
# Not candidates for the fastest SQL.
TEXT_KEY = "_text_key"
_TEXT = "coalesce(pseudonym, client_number)"
SQL["clients"]["bitmask_sums" + TEXT_KEY] = SQL["clients"]["bitmask_sums"].replace(
    "GROUP BY client_key", f"GROUP BY {_TEXT}"
)
SQL["flows"]["window_running_max" + TEXT_KEY] = SQL["flows"]["window_running_max"].replace(
    "SELECT client_key, law,", f"SELECT {_TEXT} AS client_key, law,"
)
SQL["stock"]["bitmask_sums" + TEXT_KEY] = SQL["stock"]["bitmask_sums"].replace(
    "GROUP BY client_key", f"GROUP BY {_TEXT}"
)


def _wide(rows: list[Row], labels: list[str], by_law: bool) -> list[Row]:
    """One row per (law, s0..sN) -> one row per period and law with a count above zero."""
    out: list[Row] = []
    for row in rows:
        head, counts = (row[:1], row[1:]) if by_law else ((), row)
        out.extend((labels[i], *head, n) for i, n in enumerate(counts) if n)
    return out


def run_sql(warehouse: Warehouse, figure: str, variant: str) -> list[Row]:
    """The rows of one SQL formulation of a figure."""
    rows = warehouse.rows(SQL[figure][variant])
    if variant in ("bool_or_flags", "bitmask_generic"):
        labels = [p.label for p in HALVES] if figure == "clients" else [d.isoformat() for d in QUARTER_STARTS]
        return _wide(rows, labels, by_law=figure == "clients")
    return rows
