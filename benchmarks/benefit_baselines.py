"""What ``sdm metric benefits`` and ``sdm metric benefit_flows`` are measured against: pandas, Polars and
hand-written DuckDB SQL computing the same figures (issue 14, "Speed").

The semantics are those of issue 14 and docs/metrics.md ("Participatiewet"):

- the benefits that count: current versions, realised on the data moment (the newest extraction day of the
  benefit loads): a benefit starting after it is left out, an end after it is a planned end (open);
- a person is an applicant or a partner; a couple on one benefit is two persons and one benefit;
- ``benefits`` on the 40 quarter starts 2015-2024: ``benefits`` running on D (start <= D, end empty or >= D)
  and ``persons``, the distinct applicants and partners on them;
- ``benefit_flows`` per month 2015-01..2024-12 (``--max-gap-days`` 30): per person, the benefit periods (as
  applicant or partner) form one episode while the days without a benefit between them are at most 30
  (a start at most 31 days after the latest end so far); inflow = episodes starting in the month, outflow =
  episodes ending in it (an open episode does not end), counted in persons; net = inflow - outflow.

Every implementation returns rows ``(date or period, *counts)`` for the dates and months with something to
count, sorted.
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
QUARTER_STARTS = tuple(p.first for p in cut(FIRST, LAST, Grain.QUARTER))  # 40
MAX_GAP_DAYS = 30
FIGURES = ("benefits", "benefit_flows")
REQUESTS = {
    "benefits": MetricRequest("benefits", on=QUARTER_STARTS, by=()),
    "benefit_flows": MetricRequest("benefit_flows", grain="month", start=FIRST, end=LAST, by=()),
}
DESCRIPTIONS = {
    "benefits": "benefits and persons on the 40 quarter starts 2015-2024 (total)",
    "benefit_flows": "benefit_flows per month 2015-2024 (total, max gap 30 days)",
}
EPOCH = date(1970, 1, 1)
OPEN = 10**9  # a day number after every date: an open end


def normalise(rows: list[Row], figure: str) -> list[Row]:
    """Rows as plain ``str``/``int`` tuples, sorted, rows whose counts are all zero left out."""
    plain = [(str(row[0]), *(int(v) for v in row[1:])) for row in rows]
    return sorted(r for r in plain if any(r[1:]))


def same_rows(a: list[Row], b: list[Row], figure: str) -> bool:
    return a == b


def data_moment(warehouse: Warehouse) -> date | None:
    """The earliest of the newest extraction days per source of the benefit loads."""
    value = warehouse.value(
        """SELECT min(e) FROM (SELECT arg_max(extracted_on, load_id) AS e FROM loads
           WHERE kind = 'benefits' AND status = 'complete' GROUP BY source)"""
    )
    return value if isinstance(value, date) else None


def _read_sql(moment: date | None) -> str:
    m = "DATE '9999-12-30'" if moment is None else f"DATE '{moment}'"
    return f"""
        SELECT client_key, partner_key, start_date, CASE WHEN end_date > {m} THEN NULL ELSE end_date END AS end_date
        FROM benefit_versions WHERE superseded_at IS NULL AND start_date <= {m}"""


def _day(d: date) -> int:
    return (d - EPOCH).days


# -- pandas ------------------------------------------------------------------------------------------------


def read_pandas(warehouse: Warehouse) -> pd.DataFrame:
    """The benefits realised on the data moment: applicant, partner (nullable) and dates as day numbers (an
    open end: ``OPEN``)."""
    df = warehouse.arrow(_read_sql(data_moment(warehouse))).to_pandas(date_as_object=False)
    start = df.start_date.to_numpy(dtype="datetime64[D]").astype(np.int64)
    end = df.end_date.to_numpy(dtype="datetime64[D]")
    out: pd.DataFrame = pd.DataFrame(
        {
            "client_key": df.client_key.to_numpy(),
            "partner_key": df.partner_key.astype("Int64"),
            "start": start,
            "end": np.where(np.isnat(end), OPEN, end.astype(np.int64)),
        }
    )
    return out


def _persons_pandas(df: pd.DataFrame) -> pd.DataFrame:
    partners = df[df.partner_key.notna()]
    return pd.DataFrame(
        {
            "key": np.concatenate([df.client_key.to_numpy(), partners.partner_key.to_numpy(dtype=np.int64)]),
            "start": np.concatenate([df.start.to_numpy(), partners.start.to_numpy()]),
            "end": np.concatenate([df.end.to_numpy(), partners.end.to_numpy()]),
        }
    )


def pandas_benefits(df: pd.DataFrame) -> list[Row]:
    """Per date a boolean mask of the running benefits; persons by ``nunique`` of applicants and partners."""
    persons = _persons_pandas(df)
    rows: list[Row] = []
    for day in QUARTER_STARTS:
        n = _day(day)
        running = (df.start.to_numpy() <= n) & (df.end.to_numpy() >= n)
        on = (persons.start.to_numpy() <= n) & (persons.end.to_numpy() >= n)
        rows.append((day.isoformat(), int(running.sum()), int(persons.key[on].nunique())))
    return rows


def _month_index(days: np.ndarray) -> np.ndarray:
    months = days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    index: np.ndarray = months - np.datetime64(FIRST, "M").astype(np.int64)
    return index


def _flow_rows(inflow: np.ndarray, outflow: np.ndarray) -> list[Row]:
    return [
        (LABELS[m], int(i), int(o), int(i) - int(o))
        for m, (i, o) in enumerate(zip(inflow, outflow, strict=True))
        if i or o
    ]


def pandas_benefit_flows(df: pd.DataFrame) -> list[Row]:
    """Sort per person by start; the running max of the ends before each row (``cummax`` per person,
    shifted); a new episode where the start lies more than 31 days after it; episode ends from ``groupby``."""
    p = _persons_pandas(df).sort_values(["key", "start"], kind="stable")
    key = p.key.to_numpy()
    running = p.groupby("key", sort=False).end.cummax().to_numpy()
    first_row = np.r_[True, key[1:] != key[:-1]]
    previous = np.where(first_row, -OPEN, np.r_[-OPEN, running[:-1]])
    new = first_row | (p.start.to_numpy() - previous > MAX_GAP_DAYS + 1)
    episode = np.cumsum(new)
    starts = p.start.to_numpy()[new]
    ends = pd.Series(p.end.to_numpy()).groupby(episode).max().to_numpy()
    ends = ends[ends != OPEN]
    months = len(MONTHS)
    i = _month_index(starts)
    o = _month_index(ends)
    inflow = np.bincount(i[(i >= 0) & (i < months)], minlength=months)
    outflow = np.bincount(o[(o >= 0) & (o < months)], minlength=months)
    return _flow_rows(inflow, outflow)


def run_pandas(warehouse: Warehouse, figure: str) -> tuple[list[Row], float]:
    start = time.perf_counter()
    df = read_pandas(warehouse)
    read_seconds = time.perf_counter() - start
    return (pandas_benefits(df) if figure == "benefits" else pandas_benefit_flows(df)), read_seconds


# -- Polars ------------------------------------------------------------------------------------------------


def read_polars(warehouse: Warehouse) -> pl.LazyFrame:
    frame = pl.from_arrow(warehouse.arrow(_read_sql(data_moment(warehouse))))
    assert isinstance(frame, pl.DataFrame)
    return frame.lazy().with_columns(end=pl.col("end_date").fill_null(date(9999, 12, 31)))


def _persons_polars(lf: pl.LazyFrame) -> pl.LazyFrame:
    applicants = lf.select(key="client_key", start="start_date", end="end")
    partners = lf.filter(pl.col("partner_key").is_not_null()).select(
        key="partner_key", start="start_date", end="end"
    )
    return pl.concat([applicants, partners])


def polars_benefits(lf: pl.LazyFrame) -> list[Row]:
    """Each benefit's range of quarter indices (``int_ranges``) exploded; ``len`` and ``n_unique`` per index."""

    def index(day: pl.Expr) -> pl.Expr:
        return (day.dt.year() - FIRST.year) * 4 + (day.dt.month() - 1) // 3

    def ranges(frame: pl.LazyFrame) -> pl.LazyFrame:
        start, end = pl.col("start"), pl.col("end")
        lo = (index(start) + (start != start.dt.truncate("1q")).cast(pl.Int32)).clip(lower_bound=0)
        hi = index(end).clip(upper_bound=len(QUARTER_STARTS) - 1)
        return frame.with_columns(q=pl.int_ranges(lo, hi + 1)).explode("q").drop_nulls("q")

    benefits = ranges(lf.select(start="start_date", end="end")).group_by("q").agg(benefits=pl.len())
    persons = ranges(_persons_polars(lf)).group_by("q").agg(persons=pl.col("key").n_unique())
    result = benefits.join(persons, on="q").collect()
    return [(QUARTER_STARTS[q].isoformat(), b, p) for q, b, p in result.iter_rows()]


def polars_benefit_flows(lf: pl.LazyFrame) -> list[Row]:
    """Sort per person; ``cum_max().shift().over(key)`` of the ends; new episodes; their starts and ends."""
    gap = pl.duration(days=MAX_GAP_DAYS + 1)
    p = (
        _persons_polars(lf)
        .sort("key", "start")
        .with_columns(previous=pl.col("end").cum_max().shift(1).over("key"))
        .with_columns(new=pl.col("previous").is_null() | (pl.col("start") > pl.col("previous") + gap))
        .with_columns(episode=pl.col("new").cum_sum())
    )
    episodes = p.group_by("episode").agg(start=pl.col("start").first(), end=pl.col("end").max())

    def month(day: pl.Expr) -> pl.Expr:
        return (day.dt.year() - FIRST.year) * 12 + day.dt.month() - 1

    inflow = episodes.select(m=month(pl.col("start"))).group_by("m").agg(inflow=pl.len())
    outflow = (
        episodes.filter(pl.col("end") < date(9999, 12, 31))
        .select(m=month(pl.col("end")))
        .group_by("m")
        .agg(outflow=pl.len())
    )
    result = (
        inflow.join(outflow, on="m", how="full", coalesce=True)
        .filter(pl.col("m").is_between(0, len(MONTHS) - 1))
        .fill_null(0)
        .collect()
    )
    months = len(MONTHS)
    i, o = np.zeros(months, dtype=np.int64), np.zeros(months, dtype=np.int64)
    for m, inflow_n, outflow_n in result.iter_rows():
        i[m], o[m] = inflow_n, outflow_n
    return _flow_rows(i, o)


def run_polars(warehouse: Warehouse, figure: str) -> tuple[list[Row], float]:
    start = time.perf_counter()
    lf = read_polars(warehouse)
    read_seconds = time.perf_counter() - start
    return (polars_benefits(lf) if figure == "benefits" else polars_benefit_flows(lf)), read_seconds


# -- hand-written DuckDB SQL -------------------------------------------------------------------------------

_Q = f"(year({{d}}) - {FIRST.year}) * 4 + (month({{d}}) - 1) // 3"
_LO = f"greatest({_Q.format(d='s')} + (s > date_trunc('quarter', s))::INT, 0)"
_HI = f"least({_Q.format(d='e')}, {len(QUARTER_STARTS) - 1})"
_DAYS = ", ".join(f"({i}, DATE '{d}')" for i, d in enumerate(QUARTER_STARTS))
_PERSONS = """
    p AS (
        SELECT client_key AS k, start_date AS s, coalesce(end_date, DATE '9999-12-31') AS e FROM b
        UNION ALL
        SELECT partner_key, start_date, coalesce(end_date, DATE '9999-12-31') FROM b WHERE partner_key IS NOT NULL
    )"""

BENEFITS_SQL: dict[str, str] = {
    # every benefit and person joined to the dates it runs on; count and count(DISTINCT) per date
    "range_join": f"""
        WITH b AS ({{facts}}), {_PERSONS}, days(i, day) AS (VALUES {_DAYS}),
        n AS (SELECT i, count(*) AS benefits FROM b JOIN days ON start_date <= day AND (end_date IS NULL OR end_date >= day) GROUP BY i),
        m AS (SELECT i, count(DISTINCT k) AS persons FROM p JOIN days ON s <= day AND e >= day GROUP BY i)
        SELECT i, benefits, persons FROM n JOIN m USING (i)""",
    # each benefit's range of quarter indices unnested; persons first made distinct per (person, index)
    "explode": f"""
        WITH b AS ({{facts}}), {_PERSONS},
        n AS (
            SELECT unnest(range(lo, hi + 1)) AS i FROM (
                SELECT {_LO} AS lo, {_HI} AS hi
                FROM (SELECT start_date AS s, coalesce(end_date, DATE '9999-12-31') AS e FROM b))
        ), m AS (
            SELECT i, count(*) AS persons FROM (
                SELECT DISTINCT k, unnest(range({_LO}, {_HI} + 1)) AS i FROM p) GROUP BY i
        )
        SELECT i, count(*) AS benefits, any_value(persons) FROM n JOIN m USING (i) GROUP BY i""",
    # one 40-bit mask of the dates per benefit; benefits sum its bits, persons OR the masks per person first
    # (the fastest stock formulation of metrics_baselines.py)
    "bitmask_sums": f"""
        WITH b AS ({{facts}}),
        r AS (
            SELECT client_key, partner_key,
                   CASE WHEN lo <= hi THEN (1::BIGINT << (hi + 1)) - (1::BIGINT << lo) ELSE 0 END AS m
            FROM (SELECT client_key, partner_key, {_LO} AS lo, {_HI} AS hi
                  FROM (SELECT client_key, partner_key, start_date AS s,
                               coalesce(end_date, DATE '9999-12-31') AS e FROM b))
        ), per_person AS (
            SELECT bit_or(m) AS m FROM (
                SELECT client_key AS k, m FROM r UNION ALL SELECT partner_key, m FROM r WHERE partner_key IS NOT NULL)
            GROUP BY k
        ), benefits AS (
            SELECT [{", ".join(f"coalesce(sum((m >> {i}) & 1), 0)" for i in range(len(QUARTER_STARTS)))}] AS n FROM r
        ), persons AS (
            SELECT [{", ".join(f"coalesce(sum((m >> {i}) & 1), 0)" for i in range(len(QUARTER_STARTS)))}] AS n FROM per_person
        )
        SELECT i, benefits.n[i + 1], persons.n[i + 1] FROM benefits, persons, range({len(QUARTER_STARTS)}) AS q(i)""",
    # the masks counted per distinct mask first (benefits per mask; persons per OR-ed mask), then only those few
    # thousand (mask, count) rows unpacked into dates: the formulation of the engine since issue 14's speed work
    "mask_groups": f"""
        WITH b AS ({{facts}}),
        r AS (
            SELECT client_key, partner_key, (1::BIGINT << (hi + 1)) - (1::BIGINT << lo) AS m
            FROM (SELECT client_key, partner_key, {_LO} AS lo, {_HI} AS hi
                  FROM (SELECT client_key, partner_key, start_date AS s,
                               coalesce(end_date, DATE '9999-12-31') AS e FROM b
                        WHERE start_date <= DATE '{QUARTER_STARTS[-1]}'
                          AND coalesce(end_date, DATE '9999-12-31') >= DATE '{QUARTER_STARTS[0]}'))
        ), per_person AS (
            SELECT bit_or(m) AS m FROM (
                SELECT client_key AS k, m FROM r UNION ALL SELECT partner_key, m FROM r WHERE partner_key IS NOT NULL)
            GROUP BY k
        ), counts AS (
            SELECT 1 AS benefit, m, count(*) AS n FROM r GROUP BY m
            UNION ALL
            SELECT 0, m, count(*) FROM per_person GROUP BY m
        )
        SELECT i, sum(n) FILTER (WHERE benefit = 1), sum(n) FILTER (WHERE benefit = 0)
        FROM (SELECT benefit, m, n, unnest(range({len(QUARTER_STARTS)})) AS i FROM counts)
        WHERE (m >> i) & 1 = 1 GROUP BY i""",
}
FLOWS_SQL: dict[str, str] = {
    # episode boundaries from the running max of the ends before each row (one window), the last episode's end
    # from a whole-partition max: the fastest flows formulation of metrics_baselines.py
    "window_running_max": f"""
        WITH b AS ({{facts}}), {_PERSONS},
        w AS (
            SELECT s, max(e) OVER (PARTITION BY k ORDER BY s, e ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS previous_end,
                   max(e) OVER (PARTITION BY k) AS last_end
            FROM p
        ), events AS (
            SELECT s AS day, 1 AS i, 0 AS o FROM w WHERE previous_end IS NULL OR s - previous_end > {MAX_GAP_DAYS + 1}
            UNION ALL
            SELECT previous_end, 0, 1 FROM w WHERE s - previous_end > {MAX_GAP_DAYS + 1}
            UNION ALL
            SELECT last_end, 0, 1 FROM w WHERE previous_end IS NULL AND last_end < DATE '9999-12-31'
        )
        SELECT (year(day) - {FIRST.year}) * 12 + month(day) - 1 AS m, sum(i), sum(o)
        FROM events WHERE day BETWEEN DATE '{FIRST}' AND DATE '{LAST}' GROUP BY ALL""",
    # episode ids (a running sum of the boundaries), then per episode its first start and its last end
    "episode_ids": f"""
        WITH b AS ({{facts}}), {_PERSONS},
        w AS (
            SELECT k, s, e, max(e) OVER (PARTITION BY k ORDER BY s, e ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS pe
            FROM p
        ), x AS (
            SELECT k, s, e, sum((pe IS NULL OR s - pe > {MAX_GAP_DAYS + 1})::INT)
                   OVER (PARTITION BY k ORDER BY s, e ROWS UNBOUNDED PRECEDING) AS episode FROM w
        ), ep AS (
            SELECT min(s) AS s, max(e) AS e FROM x GROUP BY k, episode
        ), events AS (
            SELECT s AS day, 1 AS i, 0 AS o FROM ep UNION ALL SELECT e, 0, 1 FROM ep WHERE e < DATE '9999-12-31'
        )
        SELECT (year(day) - {FIRST.year}) * 12 + month(day) - 1 AS m, sum(i), sum(o)
        FROM events WHERE day BETWEEN DATE '{FIRST}' AND DATE '{LAST}' GROUP BY ALL""",
    # the windows of window_running_max, then inflow and outflow counted per day (a few thousand) before the
    # days are put in months: the formulation of the engine since issue 14's speed work
    "window_daily_counts": f"""
        WITH b AS ({{facts}}), {_PERSONS},
        w AS (
            SELECT s, max(e) OVER (PARTITION BY k ORDER BY s, e ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS previous_end,
                   max(e) OVER (PARTITION BY k) AS last_end
            FROM p
        ), new AS (
            SELECT s, CASE WHEN previous_end IS NULL THEN nullif(last_end, DATE '9999-12-31') ELSE previous_end END AS ended
            FROM w WHERE previous_end IS NULL OR s - previous_end > {MAX_GAP_DAYS + 1}
        ), days AS (
            SELECT s AS day, count(*) AS i, 0 AS o FROM new GROUP BY s
            UNION ALL
            SELECT ended, 0, count(*) FROM new WHERE ended IS NOT NULL GROUP BY ended
        )
        SELECT (year(day) - {FIRST.year}) * 12 + month(day) - 1 AS m, sum(i), sum(o)
        FROM days WHERE day BETWEEN DATE '{FIRST}' AND DATE '{LAST}' GROUP BY ALL""",
}
SQL: dict[str, dict[str, str]] = {"benefits": BENEFITS_SQL, "benefit_flows": FLOWS_SQL}


def variants(figure: str) -> list[str]:
    return list(SQL[figure])


def run_sql(warehouse: Warehouse, figure: str, variant: str) -> list[Row]:
    """The rows of one SQL formulation of ``figure``."""
    rows = warehouse.rows(SQL[figure][variant].format(facts=_read_sql(data_moment(warehouse))))
    if figure == "benefits":
        return [(QUARTER_STARTS[int(i)].isoformat(), int(b), int(p)) for i, b, p in rows]
    months = len(MONTHS)
    inflow, outflow = np.zeros(months, dtype=np.int64), np.zeros(months, dtype=np.int64)
    for m, i, o in rows:
        inflow[int(m)], outflow[int(m)] = int(i), int(o)
    return _flow_rows(inflow, outflow)


RUNNERS: dict[str, Callable[[Warehouse, str], list[Row]]] = {
    "pandas": lambda w, f: run_pandas(w, f)[0],
    "polars": lambda w, f: run_polars(w, f)[0],
}
"""The implementations other than sdm, by name: ``RUNNERS[name](warehouse, figure)``; SQL ones per figure
(``sql_runners``)."""


def sql_runners(figure: str) -> dict[str, Callable[[Warehouse, str], list[Row]]]:
    return {f"sql:{v}": (lambda w, f, v=v: run_sql(w, f, v)) for v in SQL[figure]}  # type: ignore[misc]
