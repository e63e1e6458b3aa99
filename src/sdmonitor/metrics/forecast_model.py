"""The forecast's types and arithmetic: rows, depletion date, warnings, backtest errors, the variance bridge.

docs/forecast.md has the definitions and worked examples (docs/design/money.md §3). Per budget line L, year Y
and data moment T:

    forecast = realised + late_expected + committed + new_expected
    difference = budget - forecast              (seed 003's sign: negative is an overspend)
    share_used = (realised + late_expected) / budget,  share_of_year = (T - 1 Jan + 1) / days(Y)

This module holds the public types and the arithmetic over small per-line inputs (``LineInputs``), with no
database; ``metrics/forecast.py`` gathers the inputs from the warehouse (``make_forecast``) and re-exports the
types. Amounts are kept unrounded; ``ForecastRow.record`` rounds them for output (2 decimals, shares 4).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from sdmonitor.metrics.runoff import CompletionFactors, month_first, month_number

# The columns of `sdm forecast --format csv` (the black-box contract), in order.
CONTRACT_COLUMNS = (
    "budget_line", "budget", "realised", "late_expected", "committed", "new_expected", "forecast",
    "difference", "share_used", "share_of_year", "depletion_date", "warning",
)  # fmt: skip
BACKTEST_COLUMNS = ("budget_line", "month", "years", "mape_forecast", "mape_runrate", "beats_runrate")
BRIDGE_COLUMNS = ("budget_line", "effect", "label", "amount", "in_sum", "note")

NOT_BUDGETED = "niet begroot"
TOTAL = "totaal"
OVERSPEND = "overschrijding"
RUNNING_AHEAD = "loopt voor"
ROOM_ALERT = "70% bestedingsruimte"
ROOM_ALERT_SHARE = 0.70  # Contractstandaard Wmo art. 1.5
DEFAULT_MARGIN = 0.05


@dataclass(frozen=True)
class ForecastRow:
    """One row of the forecast: a budget line (or provider, ``niet begroot``, the total); the contract columns
    first, then what the bridge, privacy and the reports need.

    ``kind``: ``line``, ``room`` (a provider's spending room), ``provider`` (a provider without a room),
    ``not_budgeted`` or ``total``. ``paid_clients``: distinct clients with a realised net amount above zero
    (privacy hides the row's figures below the threshold for viewers). ``forecast_clients``: those plus the
    clients of running allocations not among them, plus the expected new allocations (the bridge's N_f)."""

    budget_line: str
    budget: float | None
    realised: float
    late_expected: float
    committed: float
    new_expected: float
    forecast: float
    difference: float | None
    share_used: float | None
    share_of_year: float
    depletion_date: date | None
    warning: str
    kind: str = "line"
    paid_clients: int = 0
    forecast_clients: float = 0.0
    budgeted_clients: int | None = None
    budgeted_index: float | None = None
    factors: str = ""

    @property
    def share_realised(self) -> float | None:
        """Realised / budget: the share the 70 % signal of a spending room is measured on (what is 'benut',
        Contractstandaard Wmo art. 1.5), without the expected late declarations that ``share_used`` adds."""
        if self.budget is None or self.budget <= 0:
            return None
        return self.realised / self.budget

    def record(self) -> dict[str, object]:
        """The contract columns, rounded for output: amounts to cents, shares to 4 decimals."""
        return {
            "budget_line": self.budget_line,
            "budget": _cents(self.budget),
            "realised": _cents(self.realised),
            "late_expected": _cents(self.late_expected),
            "committed": _cents(self.committed),
            "new_expected": _cents(self.new_expected),
            "forecast": _cents(self.forecast),
            "difference": _cents(self.difference),
            "share_used": None if self.share_used is None else round(self.share_used, 4),
            "share_of_year": round(self.share_of_year, 4),
            "depletion_date": self.depletion_date,
            "warning": self.warning,
        }


@dataclass(frozen=True)
class PathPoint:
    """One month of a line's depletion chart: the cost of the month (``realised`` as known, ``expected`` the
    rest: late declarations for past months, commitments and new clients for later ones), the cumulative
    total by the month's end and the budget in force."""

    month: date
    realised: float
    expected: float
    cumulative: float
    budget: float | None


@dataclass(frozen=True)
class Forecast:
    """A forecast of year ``year`` as asked at ``as_of`` (None: now, with the newest loads) with the data of
    ``moment``, the data moment T that the figures are as of (at or before ``as_of``). Replaying a forecast
    (``metrics/backtest.py``) asks again at ``as_of``, so the same loads and version rules are read.

    ``approximated``: no load was extracted by ``as_of``, so what was known then is approximated from the
    business dates (submission and decision dates); ``notes`` (Dutch) say so and name every fallback.
    ``paths`` holds each row's monthly path for the depletion chart, keyed by ``budget_line``."""

    year: int
    as_of: date | None
    moment: date
    by: str
    rows: tuple[ForecastRow, ...]
    paths: Mapping[str, tuple[PathPoint, ...]] = field(default_factory=dict)
    approximated: bool = False
    notes: tuple[str, ...] = ()
    margin: float = DEFAULT_MARGIN
    index: float | None = None  # the index percentage of ``year`` in the series used (the bridge's i_a)
    index_series: str = ""

    @property
    def key_column(self) -> str:
        """The CSV name of the first column: ``budget_line`` (the contract) or ``provider``."""
        return "provider" if self.by == "provider" else "budget_line"

    def records(self) -> list[dict[str, object]]:
        """The rows as CSV records: the contract columns (the first renamed to ``provider`` for --by provider)."""
        out = []
        for row in self.rows:
            record = row.record()
            if self.by == "provider":
                record = {"provider": record.pop("budget_line"), **record}
            out.append(record)
        return out

    def row(self, name: str) -> ForecastRow:
        return next(r for r in self.rows if r.budget_line == name)


@dataclass(frozen=True)
class BridgeRow:
    """One effect of the variance bridge of a line: what explains forecast - budget (the overspend).

    ``effect``: ``index``, ``volume``, ``intensity``, ``late_prior``, ``residual``. ``amount`` is rounded to
    cents; None when it cannot be computed (``note`` says why, and the residual carries it). ``in_sum``:
    False for a memo line (late declarations of earlier years under delivery-month accounting)."""

    budget_line: str
    effect: str
    label: str
    amount: float | None
    in_sum: bool = True
    note: str = ""


@dataclass(frozen=True)
class BacktestRow:
    """The mean absolute percentage error of the forecast and of the naive run-rate for one line and month of
    the year (the forecast made at that month's end), over the complete past ``years``."""

    budget_line: str
    month: int
    years: int
    mape_forecast: float | None
    mape_runrate: float | None

    @property
    def beats_runrate(self) -> bool | None:
        if self.mape_forecast is None or self.mape_runrate is None:
            return None
        return self.mape_forecast < self.mape_runrate

    def record(self) -> dict[str, object]:
        return {
            "budget_line": self.budget_line,
            "month": self.month,
            "years": self.years,
            "mape_forecast": None if self.mape_forecast is None else round(self.mape_forecast, 4),
            "mape_runrate": None if self.mape_runrate is None else round(self.mape_runrate, 4),
            "beats_runrate": self.beats_runrate,
        }


@dataclass(frozen=True)
class Backtest:
    """The backtest: per line and month of the year, and a total over the lines weighted by the outcome."""

    years: tuple[int, ...]
    rows: tuple[BacktestRow, ...]
    notes: tuple[str, ...] = ()

    def records(self) -> list[dict[str, object]]:
        return [r.record() for r in self.rows]


@dataclass(frozen=True)
class LineInputs:
    """What one row's forecast is computed from. Months are month numbers (``runoff.month_number``).

    ``realised``: approved cost known at T per delivery month of the year (days up to T). ``expected``: the
    a-priori cost E(m) of the months up to T (commitment formula plus run rate), for Bornhuetter–Ferguson.
    ``pending``: amounts submitted but not decided (``ingediend``) per month, counted at ``approval_rate``.
    ``committed`` and ``new_expected``: expected cost per month after T."""

    name: str
    budget: float | None
    factors: CompletionFactors
    realised: Mapping[int, float] = field(default_factory=dict)
    expected: Mapping[int, float] = field(default_factory=dict)
    pending: Mapping[int, float] = field(default_factory=dict)
    approval_rate: float = 1.0
    committed: Mapping[int, float] = field(default_factory=dict)
    new_expected: Mapping[int, float] = field(default_factory=dict)
    kind: str = "line"
    paid_clients: int = 0
    forecast_clients: float = 0.0
    budgeted_clients: int | None = None
    budgeted_index: float | None = None


def share_of_year(as_of: date, year: int) -> float:
    """(T - 1 January + 1) / days in the year, between 0 and 1."""
    first = date(year, 1, 1)
    days = (date(year + 1, 1, 1) - first).days
    return min(1.0, max(0.0, ((as_of - first).days + 1) / days))


def days_in_month(number: int) -> int:
    return (month_first(number + 1) - month_first(number)).days


def depletion_date(path: Sequence[tuple[int, float]], budget: float | None) -> date | None:
    """The first day on which the cumulative cost reaches ``budget``, the cost of each (month, cost) of
    ``path`` spread evenly over the month's days; None when the budget is not reached (or there is none)."""
    if budget is None or budget <= 0:
        return None
    total = 0.0
    for month, cost in path:
        if cost > 0 and total + cost >= budget - 1e-9:
            per_day = cost / days_in_month(month)
            day = max(1, math.ceil((budget - total) / per_day - 1e-9))
            return month_first(month) + timedelta(days=min(day, days_in_month(month)) - 1)
        total += cost
    return None


def warnings(
    *,
    budget: float | None,
    forecast: float,
    share_used: float | None,
    year_share: float,
    margin: float,
    realised: float,
    room: bool,
) -> str:
    """The warning text: ``overschrijding`` (forecast above budget), ``loopt voor`` (share used ahead of the
    year by more than ``margin``) and, for a spending room, ``70% bestedingsruimte`` (realised at 70 %)."""
    if budget is None:
        return ""
    found = []
    if forecast > budget + 0.005:
        found.append(OVERSPEND)
    if share_used is not None and share_used - year_share > margin:
        found.append(RUNNING_AHEAD)
    if room and budget > 0 and realised / budget >= ROOM_ALERT_SHARE:
        found.append(ROOM_ALERT)
    return ", ".join(found)


def forecast_line(
    inputs: LineInputs, year: int, as_of: date, margin: float = DEFAULT_MARGIN
) -> tuple[ForecastRow, tuple[PathPoint, ...]]:
    """One row and its monthly path from its inputs (docs/forecast.md, "The forecast row")."""
    now = month_number(as_of)
    # lags count from the last month whose submissions are complete at T: on 6 September, August is at lag 0
    # (its declarations of September are still to come), and September itself is not yet declared at all
    complete = now if (as_of + timedelta(days=1)).day == 1 else now - 1
    months = range(year * 12, year * 12 + 12)
    late: dict[int, float] = {}
    for m in months:
        if m > now:
            continue
        c = inputs.factors.at(complete - m)
        late[m] = (1.0 - c) * inputs.expected.get(m, 0.0) + inputs.pending.get(m, 0.0) * inputs.approval_rate
    realised = sum(inputs.realised.get(m, 0.0) for m in months)
    late_total = sum(late.values())
    committed = sum(inputs.committed.get(m, 0.0) for m in months)
    new = sum(inputs.new_expected.get(m, 0.0) for m in months)
    total = realised + late_total + committed + new
    budget = inputs.budget
    used = None if budget is None or budget <= 0 else (realised + late_total) / budget
    year_share = share_of_year(as_of, year)
    costs: list[tuple[int, float]] = []
    points: list[PathPoint] = []
    cumulative = 0.0
    for m in months:
        known = inputs.realised.get(m, 0.0)
        rest = late.get(m, 0.0) + inputs.committed.get(m, 0.0) + inputs.new_expected.get(m, 0.0)
        cumulative += known + rest
        costs.append((m, known + rest))
        points.append(PathPoint(month_first(m), known, rest, cumulative, budget))
    row = ForecastRow(
        budget_line=inputs.name,
        budget=budget,
        realised=realised,
        late_expected=late_total,
        committed=committed,
        new_expected=new,
        forecast=total,
        difference=None if budget is None else budget - total,
        share_used=used,
        share_of_year=year_share,
        depletion_date=depletion_date(costs, budget),
        warning=warnings(
            budget=budget,
            forecast=total,
            share_used=used,
            year_share=year_share,
            margin=margin,
            realised=realised,
            room=inputs.kind == "room",
        ),
        kind=inputs.kind,
        paid_clients=inputs.paid_clients,
        forecast_clients=inputs.forecast_clients,
        budgeted_clients=inputs.budgeted_clients,
        budgeted_index=inputs.budgeted_index,
        factors=inputs.factors.basis,
    )
    return row, tuple(points)


def total_row(
    rows: Sequence[ForecastRow],
    paths: Mapping[str, Sequence[PathPoint]],
    year: int,
    as_of: date,
    margin: float = DEFAULT_MARGIN,
    paid_clients: int = 0,
    *,
    with_budget: bool = True,
) -> tuple[ForecastRow, tuple[PathPoint, ...]]:
    """The total over ``rows`` (the lines and ``niet begroot``): amounts summed, shares, depletion and warning
    recomputed from the sums. ``paid_clients`` is counted, not summed (a client on two lines counts once).

    ``with_budget=False`` (``--by provider``): only some providers have a spending room, so a summed room
    would be compared with the costs of every provider; the budget and everything measured against it
    (difference, share used, depletion date, warning) stay empty in the total (docs/forecast.md)."""
    budgets = [r.budget for r in rows if r.budget is not None]
    budget = sum(budgets) if budgets and with_budget else None
    realised = sum(r.realised for r in rows)
    late = sum(r.late_expected for r in rows)
    committed = sum(r.committed for r in rows)
    new = sum(r.new_expected for r in rows)
    total = realised + late + committed + new
    used = None if budget is None or budget <= 0 else (realised + late) / budget
    year_share = share_of_year(as_of, year)
    points: list[PathPoint] = []
    costs: list[tuple[int, float]] = []
    cumulative = 0.0
    for i, m in enumerate(range(year * 12, year * 12 + 12)):
        known = sum(paths[r.budget_line][i].realised for r in rows if r.budget_line in paths)
        rest = sum(paths[r.budget_line][i].expected for r in rows if r.budget_line in paths)
        cumulative += known + rest
        costs.append((m, known + rest))
        points.append(PathPoint(month_first(m), known, rest, cumulative, budget))
    row = ForecastRow(
        budget_line=TOTAL,
        budget=budget,
        realised=realised,
        late_expected=late,
        committed=committed,
        new_expected=new,
        forecast=total,
        difference=None if budget is None else budget - total,
        share_used=used,
        share_of_year=year_share,
        depletion_date=depletion_date(costs, budget),
        warning=warnings(
            budget=budget,
            forecast=total,
            share_used=used,
            year_share=year_share,
            margin=margin,
            realised=realised,
            room=False,
        ),
        kind="total",
        paid_clients=paid_clients,
        forecast_clients=sum(r.forecast_clients for r in rows),
    )
    return row, tuple(points)


def new_allocation_costs(
    starts: Mapping[int, float], cost_by_month_since_start: Sequence[float], year: int
) -> dict[int, float]:
    """Expected cost per month of allocations still to start: ``starts`` (month -> expected number starting)
    times the mean cost in month j after the start (j = 0 the start month), up to December.

    Summed over the months this is NE = sum_s n_s x sum_(j=0..12-s) cost_new(j) (docs/forecast.md)."""
    out: dict[int, float] = {}
    last = year * 12 + 11
    for start, number in starts.items():
        for j in range(last - start + 1):
            if j >= len(cost_by_month_since_start):
                break
            out[start + j] = out.get(start + j, 0.0) + number * cost_by_month_since_start[j]
    return out


def bridge_rows(
    line: str,
    *,
    budget: float,
    forecast: float,
    budgeted_clients: int | None,
    forecast_clients: float | None,
    budgeted_index: float | None,
    actual_index: float | None,
    prior_years: float | None = None,
    prior_in_sum: bool = False,
) -> tuple[BridgeRow, ...]:
    """The variance bridge of one line: index, volume, intensity, late declarations of earlier years and the
    residual, explaining forecast - budget (docs/forecast.md, "Variance bridge"; seed 003's €555,000).

    With g = (1 + i_a) / (1 + i_b) and c_b = budget / budgeted clients: I = B (g - 1),
    V = (N_f - N_b) c_b g, K = (F - P) - N_f c_b g. The residual is the rounded overspend minus the rounded
    effects in the sum, so the shown bridge adds up to the cent; it is always shown, also at 0,00. Without
    budgeted clients V and K cannot be split and the residual carries them (and says so); without both index
    figures I is empty and the residual carries it."""
    rows: list[BridgeRow] = []
    g = 1.0
    if budgeted_index is not None and actual_index is not None:
        g = (1 + actual_index / 100) / (1 + budgeted_index / 100)
    index_known = budgeted_index is not None and actual_index is not None
    late_prior = prior_years if prior_years is not None and prior_in_sum else 0.0
    explained: list[float] = []
    index_effect = _cents(budget * (g - 1)) if index_known else None
    rows.append(
        BridgeRow(
            line,
            "index",
            "indexatie",
            index_effect,
            note="" if index_known else "geen begrote of geen werkelijke index bekend",
        )
    )
    if index_effect is not None:
        explained.append(index_effect)
    split = budgeted_clients is not None and budgeted_clients > 0 and forecast_clients is not None
    if budgeted_clients is not None and budgeted_clients > 0 and forecast_clients is not None:
        per_client = budget / budgeted_clients
        volume = round((forecast_clients - budgeted_clients) * per_client * g, 2)
        intensity = round((forecast - late_prior) - forecast_clients * per_client * g, 2)
        rows.append(BridgeRow(line, "volume", "meer/minder cliënten", volume))
        rows.append(BridgeRow(line, "intensity", "kosten per cliënt", intensity))
        explained += [volume, intensity]
    else:
        missing = "volume en intensiteit niet te splitsen: geen begroot aantal cliënten"
        rows.append(BridgeRow(line, "volume", "meer/minder cliënten", None, note=missing))
        rows.append(BridgeRow(line, "intensity", "kosten per cliënt", None, note=missing))
    prior = _cents(prior_years)
    rows.append(
        BridgeRow(
            line,
            "late_prior",
            "nagekomen declaraties eerdere jaren",
            prior,
            in_sum=prior_in_sum,
            note="" if prior_in_sum else "memo: kosten horen bij hun leveringsjaar (niet in de som)",
        )
    )
    if prior_in_sum and prior is not None:
        explained.append(prior)
    overspend = _cents(forecast - budget) or 0.0
    residual = round(overspend - sum(explained), 2)
    note = "" if split else "volume en intensiteit niet te splitsen: geen begroot aantal cliënten"
    rows.append(BridgeRow(line, "residual", "overig", residual + 0.0, note=note))
    return tuple(rows)


def bridge(forecast: Forecast, prior_years: Mapping[str, float] | None = None) -> tuple[BridgeRow, ...]:
    """The variance bridge of every budgeted line of ``forecast`` (not ``niet begroot``, not the total)."""
    out: list[BridgeRow] = []
    for row in forecast.rows:
        if row.kind not in ("line", "room") or row.budget is None:
            continue
        out.extend(
            bridge_rows(
                row.budget_line,
                budget=row.budget,
                forecast=row.forecast,
                budgeted_clients=row.budgeted_clients,
                forecast_clients=row.forecast_clients,
                budgeted_index=row.budgeted_index,
                actual_index=forecast.index,
                prior_years=(prior_years or {}).get(row.budget_line),
            )
        )
    return tuple(out)


def absolute_percentage_error(predicted: float, outcome: float) -> float | None:
    """|predicted - outcome| / |outcome|; None when the outcome is 0 (no percentage error exists)."""
    return None if outcome == 0 else abs(predicted - outcome) / abs(outcome)


def run_rate(realised: float, months: int) -> float:
    """The naive year-end run-rate of the issue: realised so far x 12 / months passed."""
    return realised * 12 / months if months > 0 else 0.0


def _cents(value: float | None) -> float | None:
    return None if value is None else round(value + 0.0, 2) + 0.0
