"""What ``sdm metric waiting`` and ``sdm metric waiting_list`` are measured against: pandas, Polars and hand-written
DuckDB SQL computing the same figures (issue 13, "Speed").

The semantics are those of docs/design/access.md §2.4-2.6 and docs/metrics.md ("waiting", "waiting_list"):

- the allocations that count: current versions, not deleted, realised on the data moment (a start after it is
  left out, an end or a decision after it is not known yet); the deliveries: current, a start after the moment
  left out, an end after it open;
- the waiting clock per allocation in kind (delivery form ZIN or empty, category not 47/48), of a provider that
  has reported a delivery for that law in the allocation's source, and not a continuation: an allocation of the
  same client, law, category and provider starting at most ``max_gap_days`` + 1 days (0 + 1) after the latest
  end of an earlier one (in start order) whose care had started; clock start = the later of the start and the
  decision, first start = the earliest delivery start, wait = max(0, first start - clock start);
- the norm of an allocation: the most specific norm row of its law for ``waiting`` (provider and category >
  provider > category > neither; a loaded norm beats the shipped default of its key);
- ``waiting`` per month 2015-01..2024-12 by law: the allocations whose first start lies in the month: started,
  mean, median and p80 of the wait (linear interpolation), within the norm, the share in percent;
- ``waiting_list`` on the first of each month of 2024 by law: allocations running on D with clock start <= D,
  no delivery start on or before D and D - clock start >= 7 (the grace days): waiting, mean and median days
  waited, over the norm, the share within it, bridged (the client has care on D under another allocation of the
  same law: a delivery running on D, or a PGB allocation running on D) and the spread in weeks.

A waiting allocation has no care of its own on D (it is in kind, so no PGB arm, and none of its deliveries has
started by D), so "another allocation" needs no check of its own here: the client and law having care on D is
enough. Every implementation uses that.

Each implementation returns rows shaped like ``MetricResult.rows`` (period or ISO date, law, measures...);
``normalise`` rounds the days to one decimal (half away from zero, as DuckDB's ROUND) and ``same_rows`` allows
0.1 for the days and shares (a mean summed in another order may round to the other tenth).
"""

from __future__ import annotations

import math
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
DATES = tuple(date(2024, month, 1) for month in range(1, 13))
GRACE_DAYS = 7
MAX_GAP_DAYS = 0
FIGURES = ("waiting", "waiting_list")
REQUESTS = {
    "waiting": MetricRequest("waiting", grain="month", start=FIRST, end=LAST, by=("law",)),
    "waiting_list": MetricRequest("waiting_list", on=DATES, by=("law",)),
}
DESCRIPTIONS = {
    "waiting": "waiting per month by law (120 x 2)",
    "waiting_list": "waiting_list on the 12 month starts of 2024 by law (12 x 2)",
}
SPREAD_HIGHS = (28, 56, 91, 182)  # the right-closed bands of waiting_list's spread, in days
NO_WAIT = ("47", "48")
BIG = 10**9  # a day number after every date: an open end of started care
EPOCH = date(1970, 1, 1)

# the figure's measures after (period, law): which are days or shares (compared within 0.1)
FLOATS = {"waiting": (3, 4, 5, 7), "waiting_list": (3, 4, 6)}


def _round(value: Any) -> float | None:
    """One decimal, half away from zero (DuckDB's ROUND)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    x = float(value)
    return math.copysign(math.floor(abs(x) * 10 + 0.5 + 1e-9) / 10, x)


def normalise(rows: list[Row], figure: str) -> list[Row]:
    """Rows with plain values, days and shares rounded to one decimal, sorted."""
    floats = FLOATS[figure]
    plain = [
        tuple(_round(v) if i in floats else (str(v) if i < 2 else int(v)) for i, v in enumerate(row))
        for row in rows
    ]
    return sorted(plain)


def same_rows(a: list[Row], b: list[Row], figure: str) -> bool:
    """Equal rows, days and shares within 0.1."""
    if len(a) != len(b):
        return False
    floats = FLOATS[figure]
    for x, y in zip(a, b, strict=True):
        for i, (u, v) in enumerate(zip(x, y, strict=True)):
            if i in floats:
                if (u is None) != (v is None) or (u is not None and abs(u - v) > 0.1 + 1e-9):
                    return False
            elif u != v:
                return False
    return True


def _share(part: int, whole: int) -> float | None:
    return part / whole * 100 if whole else None


def _waiting_row(
    period: str, law: str, started: int, mean: float, median: float, p80: float, within: int
) -> Row:
    return (period, law, started, mean, median, p80, within, _share(within, started))


def _list_row(day: str, law: str, waiting: int, mean: float, median: float, over: int, bridged: int,
              bands: list[int]) -> Row:  # fmt: skip
    return (day, law, waiting, mean, median, over, _share(waiting - over, waiting), bridged, *bands)


# -- what every implementation reads -----------------------------------------------------------------------

_ALLOCATIONS = """
    SELECT source, allocation_id, client_key, law, product_category, provider_code, delivery_form, start_date,
           end_date, decision_date
    FROM allocation_versions WHERE superseded_at IS NULL AND NOT is_deleted"""
_DELIVERIES = (
    "SELECT source, allocation_id, start_date, end_date FROM delivery_versions WHERE superseded_at IS NULL"
)


def data_moment(warehouse: Warehouse) -> date | None:
    """The earliest of the newest extraction days per source of the allocation and delivery loads."""
    value = warehouse.value(
        """SELECT min(e) FROM (SELECT arg_max(extracted_on, load_id) AS e FROM loads
           WHERE kind IN ('allocations', 'deliveries') AND status = 'complete' GROUP BY kind, source)"""
    )
    return value if isinstance(value, date) else None


def norms(warehouse: Warehouse) -> dict[tuple[str, str, str], int]:
    """The waiting norms in force, one per (law, category, provider) key ('' = all): a loaded norm replaces
    the shipped default of its key (the latest load wins)."""
    rows = warehouse.rows(
        """SELECT law, product_category, provider_code, arg_min(days, (shipped, -load_id)) FROM norm_versions
           WHERE superseded_at IS NULL AND applies_to = 'waiting' GROUP BY ALL"""
    )
    return {(str(law), str(cat), str(prov)): int(days) for law, cat, prov, days in rows}


def norm_of(table: dict[tuple[str, str, str], int], law: str, category: str, provider: str) -> int | None:
    """The most specific norm: provider and category, provider, category, neither."""
    for key in ((law, category, provider), (law, "", provider), (law, category, ""), (law, "", "")):
        if key in table:
            return table[key]
    return None


# -- pandas ------------------------------------------------------------------------------------------------


def _days(series: pd.Series) -> np.ndarray:
    """Day numbers since 1970 (NaT: -1 as a sentinel the callers mask)."""
    values: np.ndarray = series.to_numpy(dtype="datetime64[D]").astype(np.int64)
    return values


def read_pandas(warehouse: Warehouse) -> tuple[pd.DataFrame, pd.DataFrame, date | None, dict[Any, int]]:
    """Allocations and deliveries as DataFrames (text as categoricals), the data moment and the norms."""
    a = warehouse.arrow(_ALLOCATIONS).to_pandas(strings_to_categorical=True, date_as_object=False)
    d = warehouse.arrow(_DELIVERIES).to_pandas(strings_to_categorical=True, date_as_object=False)
    return a, d, data_moment(warehouse), norms(warehouse)


def pandas_wait_rows(
    a: pd.DataFrame, d: pd.DataFrame, moment: date | None, table: dict[Any, int]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rows that can wait (with start, end, clock, first, wait and norm as day numbers; end -1: open) and
    the care on which bridging looks (client, law, start, end as day numbers)."""
    nat = np.iinfo(np.int64).min
    start, end, decision = _days(a.start_date), _days(a.end_date), _days(a.decision_date)
    if moment is not None:
        m = (moment - EPOCH).days
        keep = start <= m
        a, start, end, decision = a[keep], start[keep], end[keep], decision[keep]
        end = np.where(end > m, nat, end)
        decision = np.where(decision > m, nat, decision)
        d_start = _days(d.start_date)
        d = d[d_start <= m]
    a = a.assign(start=start, end=np.where(end == nat, BIG, end), decision=decision)
    d_start, d_end = _days(d.start_date), _days(d.end_date)
    if moment is not None:
        d_end = np.where(d_end > m, nat, d_end)
    d = d.assign(d_start=d_start, d_end=np.where(d_end == nat, BIG, d_end))
    key = ["source", "allocation_id"]
    # care: every delivery of a counted allocation, and every PGB allocation
    delivered = a[["source", "allocation_id", "client_key", "law"]].merge(
        d[[*key, "d_start", "d_end"]], on=key
    )
    pgb = a.loc[a.delivery_form == "PGB", ["client_key", "law", "start", "end"]]
    care = pd.concat(
        [
            pd.DataFrame({"client_key": delivered.client_key.to_numpy(), "law": delivered.law.astype(str).to_numpy(),
                          "c_start": delivered.d_start.to_numpy(), "c_end": delivered.d_end.to_numpy()}),
            pd.DataFrame({"client_key": pgb.client_key.to_numpy(), "law": pgb.law.astype(str).to_numpy(),
                          "c_start": pgb.start.to_numpy(), "c_end": pgb.end.to_numpy()}),
        ]
    )  # fmt: skip
    first = d.groupby(key, observed=True).d_start.min().rename("first").reset_index()
    in_kind = (a.delivery_form.isna() | (a.delivery_form == "ZIN")) & ~a.product_category.isin(NO_WAIT)
    t = a[in_kind].merge(first, on=key, how="left")
    t["provider"] = t.provider_code.astype(str).where(t.provider_code.notna(), "")
    t["law"] = t.law.astype(str)
    started = t["first"].notna()
    reported = t.loc[started, ["source", "provider", "law"]].drop_duplicates()
    t = t.merge(reported, on=["source", "provider", "law"])
    started = t["first"].notna().to_numpy()
    # continuations: the latest end of the earlier started allocations of the same client, law, category and
    # provider (sorted by start and id), within a day before this start
    t = t.sort_values(["client_key", "law", "product_category", "provider", "start", "allocation_id"])
    started = t["first"].notna().to_numpy()
    t["started_end"] = np.where(started, t.end.to_numpy(), -BIG)
    groups = t.groupby(["client_key", "law", "product_category", "provider"], observed=True, sort=False)
    running = groups.started_end.cummax()
    previous = running.groupby([t.client_key, t.law, t.product_category, t.provider], observed=True).shift(1)
    previous = previous.fillna(-BIG).to_numpy()
    continuation = (previous > -BIG) & (t.start.to_numpy() - previous <= MAX_GAP_DAYS + 1)
    t = t[~continuation]
    decision = t.decision.to_numpy()
    clock = np.where(decision == nat, t.start, np.maximum(t.start, decision))
    first_start = t["first"].to_numpy()
    keys = t[["law", "product_category", "provider"]].drop_duplicates()
    keys["norm"] = [norm_of(table, law, str(c), p) for law, c, p in keys.itertuples(index=False)]
    t = t.assign(clock=clock, wait=np.maximum(first_start - clock, 0)).merge(
        keys, on=["law", "product_category", "provider"], how="left"
    )
    return t, care


def pandas_waiting(t: pd.DataFrame) -> list[Row]:
    t = t[t["first"].notna()]
    month = pd.to_datetime(t["first"].astype(np.int64), unit="D")
    index = (month.dt.year.to_numpy() - FIRST.year) * 12 + month.dt.month.to_numpy() - 1
    t = t.assign(month=index, within=(t.wait <= t.norm))[(index >= 0) & (index < len(MONTHS))]
    g = t.groupby(["month", "law"]).wait
    result = pd.DataFrame(
        {"started": g.size(), "mean": g.mean(), "median": g.median(), "p80": g.quantile(0.8),
         "within": t.groupby(["month", "law"]).within.sum()}
    )  # fmt: skip
    return [
        _waiting_row(LABELS[m], law, int(r.started), r["mean"], r["median"], r.p80, int(r.within))
        for (m, law), r in result.iterrows()
    ]


def pandas_waiting_list(t: pd.DataFrame, care: pd.DataFrame) -> list[Row]:
    first = t["first"].fillna(BIG).to_numpy()
    rows: list[Row] = []
    for day in DATES:
        n = (day - EPOCH).days
        waited = n - t.clock.to_numpy()
        on = (t.start.to_numpy() <= n) & (t.end.to_numpy() >= n) & (first > n) & (waited >= GRACE_DAYS)
        w = t[on].assign(days=waited[on])
        active = care[(care.c_start <= n) & (care.c_end >= n)][["client_key", "law"]].drop_duplicates()
        w = w.merge(active.assign(bridged=True), on=["client_key", "law"], how="left")
        w["bridged"] = w.bridged.notna()
        w["over"] = w.days > w.norm
        band = np.searchsorted(np.array(SPREAD_HIGHS), w.days.to_numpy(), side="left")
        w["band"] = band
        for law, g in w.groupby("law"):
            bands = np.bincount(g.band.to_numpy(), minlength=len(SPREAD_HIGHS) + 1)
            rows.append(_list_row(day.isoformat(), str(law), len(g), g.days.mean(), g.days.median(),
                                  int(g.over.sum()), int(g.bridged.sum()), [int(b) for b in bands]))  # fmt: skip
    return rows


def run_pandas(warehouse: Warehouse, figure: str) -> tuple[list[Row], float]:
    start = time.perf_counter()
    a, d, moment, table = read_pandas(warehouse)
    read_seconds = time.perf_counter() - start
    t, care = pandas_wait_rows(a, d, moment, table)
    return (pandas_waiting(t) if figure == "waiting" else pandas_waiting_list(t, care)), read_seconds


# -- Polars ------------------------------------------------------------------------------------------------


def read_polars(warehouse: Warehouse) -> tuple[pl.LazyFrame, pl.LazyFrame, date | None, dict[Any, int]]:
    a = pl.from_arrow(warehouse.arrow(_ALLOCATIONS))
    d = pl.from_arrow(warehouse.arrow(_DELIVERIES))
    assert isinstance(a, pl.DataFrame) and isinstance(d, pl.DataFrame)
    return a.lazy(), d.lazy(), data_moment(warehouse), norms(warehouse)


def polars_wait_rows(
    a: pl.LazyFrame, d: pl.LazyFrame, moment: date | None, table: dict[Any, int]
) -> tuple[pl.LazyFrame, pl.LazyFrame]:
    """As ``pandas_wait_rows``, with dates as dates (an open end: 9999-12-31)."""
    open_end = date(9999, 12, 31)
    if moment is not None:
        m = pl.lit(moment)
        a = a.filter(pl.col("start_date") <= m).with_columns(
            end_date=pl.when(pl.col("end_date") > m).then(None).otherwise(pl.col("end_date")),
            decision_date=pl.when(pl.col("decision_date") > m).then(None).otherwise(pl.col("decision_date")),
        )
        d = d.filter(pl.col("start_date") <= m).with_columns(
            end_date=pl.when(pl.col("end_date") > m).then(None).otherwise(pl.col("end_date"))
        )
    a = a.with_columns(end=pl.col("end_date").fill_null(open_end))
    key = ["source", "allocation_id"]
    delivered = (
        a.select(*key, "client_key", "law")
        .join(d, on=key)
        .select("client_key", "law", c_start="start_date", c_end=pl.col("end_date").fill_null(open_end))
    )
    pgb = a.filter(pl.col("delivery_form") == "PGB").select(
        "client_key", "law", c_start="start_date", c_end="end"
    )
    care = pl.concat([delivered, pgb])
    first = d.group_by(key).agg(first=pl.col("start_date").min())
    t = (
        a.filter(
            (pl.col("delivery_form").is_null() | (pl.col("delivery_form") == "ZIN"))
            & ~pl.col("product_category").is_in(NO_WAIT)
        )
        .join(first, on=key, how="left")
        .with_columns(provider=pl.col("provider_code").fill_null(""))
    )
    reported = t.filter(pl.col("first").is_not_null()).select("source", "provider", "law").unique()
    t = t.join(reported, on=["source", "provider", "law"], how="semi")
    group = ["client_key", "law", "product_category", "provider"]
    # an allocation whose care never started ends "before every start" (1-01-01): it continues nothing
    started_end = pl.when(pl.col("first").is_not_null()).then(pl.col("end")).otherwise(date(1, 1, 1))
    t = (
        t.sort([*group, "start_date", "allocation_id"])
        .with_columns(previous=started_end.cum_max().shift(1).over(group))
        .filter(
            pl.col("previous").is_null()
            | ((pl.col("start_date") - pl.col("previous")).dt.total_days() > MAX_GAP_DAYS + 1)
        )
        .with_columns(
            clock=pl.max_horizontal("start_date", pl.col("decision_date").fill_null(pl.col("start_date")))
        )
        .with_columns(wait=pl.max_horizontal((pl.col("first") - pl.col("clock")).dt.total_days(), pl.lit(0)))
    )
    keys = t.select("law", "product_category", "provider").unique().collect()
    keys = keys.with_columns(norm=pl.Series([norm_of(table, *k) for k in keys.iter_rows()], dtype=pl.Int64))
    return t.join(keys.lazy(), on=["law", "product_category", "provider"], how="left", nulls_equal=True), care


def polars_waiting(t: pl.LazyFrame) -> list[Row]:
    month = (pl.col("first").dt.year() - FIRST.year) * 12 + pl.col("first").dt.month() - 1
    result = (
        t.filter(pl.col("first").is_not_null())
        .with_columns(month=month)
        .filter(pl.col("month").is_between(0, len(MONTHS) - 1))
        .group_by("month", "law")
        .agg(
            started=pl.len(),
            mean=pl.col("wait").mean(),
            median=pl.col("wait").median(),
            p80=pl.col("wait").quantile(0.8, interpolation="linear"),
            within=(pl.col("wait") <= pl.col("norm")).fill_null(False).sum(),
        )
        .collect()
    )
    return [_waiting_row(LABELS[m], law, s, me, md, p8, w) for m, law, s, me, md, p8, w in result.iter_rows()]


def polars_waiting_list(t: pl.LazyFrame, care: pl.LazyFrame) -> list[Row]:
    days = pl.DataFrame({"day": list(DATES)}).lazy()
    waiting = (
        t.join(days, how="cross")
        .filter(
            (pl.col("start_date") <= pl.col("day"))
            & (pl.col("end") >= pl.col("day"))
            & (pl.col("first").is_null() | (pl.col("first") > pl.col("day")))
        )
        .with_columns(waited=(pl.col("day") - pl.col("clock")).dt.total_days())
        .filter(pl.col("waited") >= GRACE_DAYS)
    )
    active = (
        care.join(days, how="cross")
        .filter((pl.col("c_start") <= pl.col("day")) & (pl.col("c_end") >= pl.col("day")))
        .select("day", "client_key", "law")
        .unique()
        .with_columns(bridged=pl.lit(True))
    )
    waited = pl.col("waited")
    bands = [
        ((waited > low) & (waited <= high) if high is not None else waited > low).sum()
        for low, high in zip((-1, *SPREAD_HIGHS), (*SPREAD_HIGHS, None), strict=True)
    ]
    result = (
        waiting.join(active, on=["day", "client_key", "law"], how="left")
        .group_by("day", "law")
        .agg(
            n=pl.len(),
            mean=waited.mean(),
            median=waited.median(),
            over=(waited > pl.col("norm")).fill_null(False).sum(),
            bridged=pl.col("bridged").fill_null(False).sum(),
            **{f"b{i}": band for i, band in enumerate(bands)},
        )
        .select("day", "law", "n", "mean", "median", "over", "bridged", *(f"b{i}" for i in range(len(bands))))
        .collect()
    )
    return [
        _list_row(day.isoformat(), law, n, mean, median, over, bridged, list(rest))
        for day, law, n, mean, median, over, bridged, *rest in result.iter_rows()
    ]


def run_polars(warehouse: Warehouse, figure: str) -> tuple[list[Row], float]:
    start = time.perf_counter()
    a, d, moment, table = read_polars(warehouse)
    read_seconds = time.perf_counter() - start
    t, care = polars_wait_rows(a, d, moment, table)
    return (polars_waiting(t) if figure == "waiting" else polars_waiting_list(t, care)), read_seconds


# -- hand-written DuckDB SQL -------------------------------------------------------------------------------


def _facts(moment: date | None) -> str:
    """The CTEs every formulation starts from: the allocations (a) and deliveries (d) realised on the moment,
    the norms in force (n) and the first start per allocation (f)."""
    m = "DATE '9999-12-30'" if moment is None else f"DATE '{moment}'"
    return f"""
        a AS (
            SELECT source, allocation_id, client_key, law, product_category, coalesce(provider_code, '') AS prov,
                   delivery_form, start_date, CASE WHEN end_date > {m} THEN NULL ELSE end_date END AS end_date,
                   CASE WHEN decision_date > {m} THEN NULL ELSE decision_date END AS decision_date
            FROM allocation_versions WHERE superseded_at IS NULL AND NOT is_deleted AND start_date <= {m}
        ), d AS (
            SELECT source, allocation_id, start_date, CASE WHEN end_date > {m} THEN NULL ELSE end_date END AS end_date
            FROM delivery_versions WHERE superseded_at IS NULL AND start_date <= {m}
        ), n AS (
            SELECT law, product_category AS cat, provider_code AS prov, arg_min(days, (shipped, -load_id)) AS days
            FROM norm_versions WHERE superseded_at IS NULL AND applies_to = 'waiting' GROUP BY ALL
        ), f AS (
            SELECT source, allocation_id, min(start_date) AS first_start FROM d GROUP BY ALL
        )"""


_NORM = """(SELECT days FROM n WHERE n.law = w.law AND (n.cat = '' OR n.cat = w.product_category)
              AND (n.prov = '' OR n.prov = w.prov)
            ORDER BY (n.prov <> '')::INT * 2 + (n.cat <> '')::INT DESC LIMIT 1)"""


def _wait_rows(continuation: str) -> str:
    """The rows that can wait (w: with clock_start, first_start, wait_days, norm_days) after the CTEs of
    ``_facts``; ``continuation`` is the CTE ``c`` (the in-scope rows ``s`` without continuations)."""
    return f"""
        , s AS (
            SELECT a.*, f.first_start FROM a LEFT JOIN f USING (source, allocation_id)
            WHERE (delivery_form IS NULL OR delivery_form = 'ZIN') AND product_category NOT IN ('47', '48')
        ), r AS (
            SELECT DISTINCT source, prov, law FROM s WHERE first_start IS NOT NULL
        ), s2 AS (
            SELECT s.* FROM s SEMI JOIN r USING (source, prov, law)
        ), {continuation}
        , keys AS (
            SELECT DISTINCT law, product_category, prov FROM c
        ), kn AS (
            SELECT w.*, {_NORM} AS norm_days FROM keys w
        ), w AS (
            SELECT c.*, greatest(start_date, coalesce(decision_date, start_date)) AS clock_start,
                   greatest(first_start - greatest(start_date, coalesce(decision_date, start_date)), 0) AS wait_days,
                   kn.norm_days
            FROM c JOIN kn USING (law, product_category, prov)
        )"""


_GAP = MAX_GAP_DAYS + 1
CONTINUATIONS = {
    # the textbook: the max of the started ends over the earlier rows of the group (a framed window)
    "window": f"""c AS (
            SELECT * EXCLUDE (previous_end) FROM (
                SELECT *, max(CASE WHEN first_start IS NOT NULL THEN coalesce(end_date, DATE '9999-12-31') END)
                          OVER (PARTITION BY client_key, law, product_category, prov ORDER BY start_date, allocation_id
                                ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS previous_end
                FROM s2)
            WHERE previous_end IS NULL OR start_date - previous_end > {_GAP}
        )""",
    # only the groups with more than one allocation go through the window; most have one
    "window_multi_only": f"""g AS (
            SELECT client_key, law, product_category, prov, count(*) AS k FROM s2 GROUP BY ALL
        ), c AS (
            SELECT s2.* FROM s2 JOIN g USING (client_key, law, product_category, prov) WHERE k = 1
            UNION ALL
            SELECT * EXCLUDE (previous_end) FROM (
                SELECT s2.*, max(CASE WHEN first_start IS NOT NULL THEN coalesce(end_date, DATE '9999-12-31') END)
                          OVER (PARTITION BY client_key, law, product_category, prov ORDER BY start_date, allocation_id
                                ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS previous_end
                FROM s2 JOIN g USING (client_key, law, product_category, prov) WHERE k > 1)
            WHERE previous_end IS NULL OR start_date - previous_end > {_GAP}
        )""",
}

_WAITING = f"""
    SELECT (year(first_start) - {FIRST.year}) * 12 + month(first_start) - 1 AS m, law, count(*) AS started,
           avg(wait_days) AS mean, quantile_cont(wait_days, 0.5) AS median, quantile_cont(wait_days, 0.8) AS p80,
           count(*) FILTER (wait_days <= norm_days) AS within
    FROM w WHERE first_start BETWEEN DATE '{FIRST}' AND DATE '{LAST}' GROUP BY ALL"""

_DAYS = ", ".join(f"(DATE '{day}')" for day in DATES)
_BANDS = ", ".join(
    f"count(*) FILTER (days > {low}{'' if high is None else f' AND days <= {high}'}) AS b{i}"
    for i, (low, high) in enumerate(zip((-1, *SPREAD_HIGHS), (*SPREAD_HIGHS, None), strict=True))
)
_WAITING_LIST = f"""
    , days(day) AS (VALUES {_DAYS})
    , care AS (
        SELECT a.client_key, a.law, d.start_date AS c_start, coalesce(d.end_date, DATE '9999-12-31') AS c_end
        FROM a JOIN d USING (source, allocation_id)
        UNION ALL
        SELECT client_key, law, start_date, coalesce(end_date, DATE '9999-12-31') FROM a WHERE delivery_form = 'PGB'
    ), active AS (
        SELECT DISTINCT day, client_key, law FROM care JOIN days ON c_start <= day AND c_end >= day
    ), listed AS (
        SELECT day, w.client_key, w.law, day - clock_start AS days, norm_days
        FROM w JOIN days ON w.start_date <= day AND (w.end_date IS NULL OR w.end_date >= day)
                        AND (w.first_start IS NULL OR w.first_start > day) AND day - clock_start >= {GRACE_DAYS}
    )
    SELECT day, law, count(*), avg(days), quantile_cont(days, 0.5), count(*) FILTER (days > norm_days),
           count(active.day), {_BANDS}
    FROM listed LEFT JOIN active USING (day, client_key, law) GROUP BY ALL"""


def variants(figure: str) -> list[str]:
    return list(CONTINUATIONS)


def sql(figure: str, variant: str, moment: date | None) -> str:
    return f"WITH {_facts(moment)} {_wait_rows(CONTINUATIONS[variant])} " + (
        _WAITING if figure == "waiting" else _WAITING_LIST
    )


def run_sql(warehouse: Warehouse, figure: str, variant: str) -> list[Row]:
    rows = warehouse.rows(sql(figure, variant, data_moment(warehouse)))
    if figure == "waiting":
        return [_waiting_row(LABELS[int(m)], law, s, me, md, p8, w) for m, law, s, me, md, p8, w in rows]
    return [
        _list_row(day.isoformat(), law, n, mean, median, over, bridged, list(bands))
        for day, law, n, mean, median, over, bridged, *bands in rows
    ]


RUNNERS: dict[str, Callable[[Warehouse, str], list[Row]]] = {
    "pandas": lambda w, f: run_pandas(w, f)[0],
    "polars": lambda w, f: run_polars(w, f)[0],
    **{f"sql:{v}": (lambda w, f, v=v: run_sql(w, f, v)) for v in CONTINUATIONS},  # type: ignore[misc]
}
