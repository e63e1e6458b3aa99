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

The types (``Forecast``, ``ForecastRow``, ``PathPoint``, ``BridgeRow``, ``Backtest``) are re-exported here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import ibis
import numpy as np
from ibis.expr.types import Table, Value

from sdmonitor.domain.dates import format_dutch
from sdmonitor.errors import InputError
from sdmonitor.metrics import engine
from sdmonitor.metrics.costs import declaration_facts, spread_numbers
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
    LineInputs,
    PathPoint,
    absolute_percentage_error,
    bridge,
    forecast_line,
    new_allocation_costs,
    run_rate,
    total_row,
)
from sdmonitor.metrics.runoff import (
    COMPLETE,
    MAX_LAG,
    CompletionFactors,
    completion_factors,
    cumulative_triangle,
    month_first,
    month_number,
)
from sdmonitor.metrics.survival import RUNS_ON, Survival, kaplan_meier
from sdmonitor.metrics.utilisation import IN_TOTAL, VOLUME_COLUMNS, allocated_volume
from sdmonitor.warehouse import Warehouse
from sdmonitor.warehouse.inventory import list_loads

__all__ = [
    "BACKTEST_COLUMNS",
    "BRIDGE_COLUMNS",
    "CONTRACT_COLUMNS",
    "DEFAULT_MARGIN",
    "DEFAULT_SERIES",
    "Backtest",
    "BacktestRow",
    "BridgeRow",
    "Forecast",
    "ForecastRow",
    "PathPoint",
    "backtest",
    "bridge",
    "make_forecast",
]

DEFAULT_SERIES = "vng-ova-ppc"
APPROVED, REJECTED, PENDING = "toegekend", "afgewezen", "ingediend"
HISTORY_MONTHS = 48  # the run-off triangle's delivery months
MIN_LINE_MONTHS, MIN_LINE_AMOUNT = 12, 50_000.0  # below: the law's pooled factors
SHRINK = 50.0  # utilisation shrunk to the product's with the weight of 50 allocation-months
MAX_UTILISATION = 1.5
SURVIVAL_YEARS = 5
MIN_SURVIVAL = 20  # allocations a product needs for its own survival curve (else its category's)


@dataclass(frozen=True)
class Knowledge:
    """What a forecast may know: the data moment T, the version rule and whether it is approximated.

    ``versions_as_of``: None reads the current versions; a date reads the versions known then (a replay from
    load history). ``approximated``: no declaration load was extracted by the requested moment, so the
    current versions are filtered by business dates (submitted by T, decided by T)."""

    moment: date
    versions_as_of: date | None
    approximated: bool


@dataclass(frozen=True)
class BudgetLine:
    name: str
    amount: float
    law: str
    categories: tuple[str, ...]
    provider: str
    budgeted_clients: int | None
    budgeted_index: float | None


def knowledge(warehouse: Warehouse, as_of: date | None) -> Knowledge:
    """The data moment and version rule of a forecast at ``as_of`` (None: now, with everything loaded).

    The data moment is the earliest over the sources (allocations and declarations) of the extraction day
    of each source's newest load (docs/metrics.md, "Realised, planned and incomplete"). With ``as_of``, the
    loads extracted by then are used exactly when there are declaration loads among them; otherwise the
    moment is ``as_of`` itself and the forecast is approximated from business dates."""
    newest: dict[tuple[str, str], date] = {}
    for load in list_loads(warehouse):
        if load.kind not in ("allocations", "declarations"):
            continue
        day = load.extracted_on or load.known_from.date()
        if as_of is not None and day > as_of:
            continue
        newest[(load.kind, load.source)] = day  # loads come oldest first: the newest wins
    kinds = {kind for kind, _ in newest}
    if as_of is None:
        if "declarations" not in kinds:
            raise InputError("Er zijn geen declaraties geladen. Laad ze eerst met 'sdm load declarations'.")
        return Knowledge(min(newest.values()), None, False)
    if "declarations" in kinds:
        return Knowledge(min(newest.values()), as_of, False)
    return Knowledge(as_of, None, True)


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
    gathered = _Gatherer(backend, year, known, lines, by).gather()
    rows: list[ForecastRow] = []
    paths: dict[str, tuple[PathPoint, ...]] = {}
    for inputs in gathered.inputs:
        row, path = forecast_line(inputs, year, known.moment, margin)
        rows.append(row)
        paths[row.budget_line] = path
    total, total_path = total_row(rows, paths, year, known.moment, margin, gathered.total_paid_clients)
    paths[TOTAL] = total_path
    index, index_note = _index(backend, year, known, index_series)
    notes = list(gathered.notes)
    if index_note:
        notes.append(index_note)
    if known.approximated:
        notes.insert(
            0,
            f"Benaderd uit bedrijfsdatums: er is geen lading van declaraties van vóór "
            f"{format_dutch(known.moment)}; gerekend met declaraties ingediend t/m die dag en toewijzingen "
            "besloten (anders begonnen) t/m die dag, met hun huidige status.",
        )
    return Forecast(
        year=year,
        as_of=known.moment,
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


def budget_lines(backend: Any, year: int, known: Knowledge) -> list[BudgetLine]:
    """The budget lines of ``year`` in force at T: per line the version with the latest ``version_date`` on or
    before T, of the versions known at T."""
    versions = _known(backend.table("budget_versions"), known.versions_as_of)
    versions = versions.filter((versions.year == year) & (versions.version_date <= known.moment))
    newest: dict[str, dict[str, Any]] = {}
    for row in sorted(_rows(backend, versions), key=lambda r: (r["version_date"], r["source_row"])):
        newest[row["budget_line"]] = row
    return [
        BudgetLine(
            name=r["budget_line"],
            amount=float(r["amount"]),
            law=r["law"],
            categories=tuple(r["product_categories"] or ()),
            provider=r["provider_code"] or "",
            budgeted_clients=r["budgeted_clients"],
            budgeted_index=r["budgeted_index"],
        )
        for r in newest.values()
    ]


@dataclass(frozen=True)
class _Gathered:
    inputs: tuple[LineInputs, ...]
    total_paid_clients: int
    notes: tuple[str, ...]


class _Gatherer:
    """The Ibis queries of one forecast and their reduction to ``LineInputs`` per row (see module doc)."""

    def __init__(self, backend: Any, year: int, known: Knowledge, lines: list[BudgetLine], by: str) -> None:
        self.backend, self.year, self.known, self.lines, self.by = backend, year, known, lines, by
        self.moment = known.moment
        self.now = month_number(known.moment)
        month_end = (known.moment + timedelta(days=1)).day == 1
        self.last_complete = self.now if month_end else self.now - 1
        self.window = (self.now - 12, self.now - 1)  # the 12 complete months before T's month
        self.first_month, self.last_month = year * 12, year * 12 + 11
        self.notes: list[str] = []
        self._allocations: Table | None = None

    # -- what is known at T -------------------------------------------------------------------------------

    def declarations(self, statuses: tuple[str, ...]) -> Table:
        lines = declaration_facts(self.backend, self.known.versions_as_of, self.moment, statuses)
        if self.known.approximated:
            lines = lines.filter(lines.submitted_on <= self.moment)
        return lines

    def allocations(self) -> Table:
        """The allocations known at T (not pgb, not reden 13) with their row key, read once and kept in
        memory (Arrow): the later queries then compile small."""
        if self._allocations is None:
            t = engine.facts(
                self.backend, self.known.versions_as_of, (), None, carry=(*VOLUME_COLUMNS, "decision_date")
            )
            t = t.filter(t.delivery_form.isnull() | (t.delivery_form != "PGB"))
            if self.known.approximated:
                t = t.filter(ibis.coalesce(t.decision_date, t.start_date) <= self.moment)
            t = t.select(
                "allocation_id", "client_key", "law", "product_category", "product_code", "provider_code",
                "start_date", "end_date", *VOLUME_COLUMNS, key=self.key(t),
            )  # fmt: skip
            self._allocations = ibis.memtable(self.backend.to_pyarrow(t))
        return self._allocations

    def key(self, t: Table) -> Value:
        """The row a cost or allocation belongs to: its budget line (else 'niet begroot'), or its provider
        (a cost outside every spending room of a provider that has one: '<provider> (buiten ruimte)')."""
        if self.by == "provider":
            provider = ibis.coalesce(t.provider_code.nullif(""), ibis.literal("onbekend"))
            rooms = [line for line in self.lines if line.provider]
            if not rooms:
                return provider
            outside = ibis.ifelse(
                provider.isin(sorted({r.provider for r in rooms})),
                provider.concat(" (buiten ruimte)"),
                provider,
            )
            return ibis.cases(*((_in_scope(t, r), r.provider) for r in rooms), else_=outside)
        partition = [line for line in self.lines if not line.provider]
        if not partition:
            return ibis.literal(NOT_BUDGETED)
        return ibis.cases(*((_in_scope(t, line), line.name) for line in partition), else_=NOT_BUDGETED)

    # -- the queries ---------------------------------------------------------------------------------------

    def gather(self) -> _Gathered:
        first = min(self.now - HISTORY_MONTHS + 1, self.first_month - 24)
        approved = self.declarations((APPROVED,))
        spread = spread_numbers(approved, month_first(first), self.moment)
        lag = (spread.submitted_on.year() * 12 + spread.submitted_on.month() - 1) - spread.month
        spread = spread.select(
            "law", "product_code", "provider_code", "allocation_id", "client_key", "month", "amount", "volume",
            key=self.key(spread), lag=ibis.least(ibis.greatest(lag, 0), MAX_LAG), given=spread.submitted_given,
        )  # fmt: skip
        spread = ibis.memtable(self.backend.to_pyarrow(spread))  # read once; the queries below compile small
        cells = self._cells(spread)
        factors, pooled = self._factors(cells)
        realised: dict[str, dict[int, float]] = defaultdict(dict)
        free: dict[str, dict[int, float]] = defaultdict(dict)
        for (key, _law, month, _lag, is_free, _given), amount in cells.items():
            if self.first_month <= month <= self.last_month:
                realised[key][month] = realised[key].get(month, 0.0) + amount
            if is_free:
                free[key][month] = free[key].get(month, 0.0) + amount
        free_rate = {
            key: self._complete_mean(months, factors.get(key, pooled)) for key, months in free.items()
        }
        pending, approval = self._pending()
        usage, mean_cost = self._utilisation(spread, pooled)
        expected = self._expected(usage, mean_cost, free_rate)
        committed, running_clients = self._committed(spread, usage, mean_cost)
        new = self._new(spread, pooled, free_rate)
        paid, total_paid = self._paid(spread, running_clients)
        keys = self._keys(set(realised) | set(committed) | set(new[0]) | set(pending))
        inputs = []
        for key, (budget, kind, line) in keys.items():
            starts = new[1].get(key, 0.0)
            inputs.append(
                LineInputs(
                    name=key,
                    budget=budget,
                    factors=factors.get(key, pooled),
                    realised=realised.get(key, {}),
                    expected=expected.get(key, {}),
                    pending=pending.get(key, {}),
                    approval_rate=approval,
                    committed=committed.get(key, {}),
                    new_expected=new[0].get(key, {}),
                    kind=kind,
                    paid_clients=paid.get(key, (0, 0))[0],
                    forecast_clients=paid.get(key, (0, 0))[1] + starts,
                    budgeted_clients=None if line is None else line.budgeted_clients,
                    budgeted_index=None if line is None else line.budgeted_index,
                )
            )
        return _Gathered(tuple(inputs), total_paid, tuple(self.notes))

    def _keys(self, seen: set[str]) -> dict[str, tuple[float | None, str, BudgetLine | None]]:
        """The rows in order: the lines as loaded and 'niet begroot'; or every provider, rooms first."""
        out: dict[str, tuple[float | None, str, BudgetLine | None]] = {}
        if self.by == "budget_line":
            for line in self.lines:
                if not line.provider:
                    out[line.name] = (line.amount, "line", line)
            out[NOT_BUDGETED] = (None, "not_budgeted", None)
            return out
        rooms: dict[str, float] = defaultdict(float)
        for line in self.lines:
            if line.provider:
                rooms[line.provider] += line.amount
        for provider in sorted(rooms):
            out[provider] = (rooms[provider], "room", None)
        for key in sorted(seen - set(rooms)):
            out[key] = (None, "provider", None)
        return out

    def _cells(self, spread: Table) -> dict[tuple[str, str, int, int, bool, bool], float]:
        """Approved amount per (row, law, delivery month, lag, without allocation, submission date given)."""
        cells = spread.group_by(
            "key", "law", "month", "lag", "given", free=spread.allocation_id.isnull()
        ).aggregate(amount=spread.amount.sum())
        return {
            (r["key"], r["law"], int(r["month"]), int(r["lag"]), bool(r["free"]), bool(r["given"])): float(
                r["amount"]
            )
            for r in _rows(self.backend, cells)
        }

    def _factors(
        self, cells: dict[tuple[str, str, int, int, bool, bool], float]
    ) -> tuple[dict[str, CompletionFactors], CompletionFactors]:
        """Completion factors per row from its own triangle, or pooled over its law (or over everything for
        a row of several laws) when its history is short or small; ``pooled`` over everything."""
        months = list(range(self.now - HISTORY_MONTHS + 1, self.now + 1))
        by_key: dict[str, list[tuple[int, int, float]]] = defaultdict(list)
        by_law: dict[str, list[tuple[int, int, float]]] = defaultdict(list)
        laws: dict[str, set[str]] = defaultdict(set)
        everything: list[tuple[int, int, float]] = []
        for (key, law, month, lag, _free, given), amount in cells.items():
            laws[key].add(law)
            if given and month >= months[0]:
                by_key[key].append((month, lag, amount))
                by_law[law].append((month, lag, amount))
                everything.append((month, lag, amount))
        if not everything:
            self.notes.append(
                "Geen indieningsdatums in de declaraties: nagekomen declaraties zijn niet te schatten "
                "(late_expected 0)."
            )
            return {}, COMPLETE

        def estimate(cells: list[tuple[int, int, float]]) -> CompletionFactors:
            h, k, a = (np.asarray(c) for c in zip(*cells, strict=True))
            triangle = cumulative_triangle(h, k, a, last_known=self.last_complete, months=months)
            return completion_factors(triangle)

        pooled = estimate(everything).with_basis("alle")
        law_factors = {law: estimate(c).with_basis("wet") for law, c in by_law.items()}
        out: dict[str, CompletionFactors] = {}
        for key, own in by_key.items():
            history = {m for m, _, a in own if a != 0 and m <= self.last_complete}
            if len(history) >= MIN_LINE_MONTHS and sum(a for _, _, a in own) >= MIN_LINE_AMOUNT:
                out[key] = estimate(own)
            else:
                only = next(iter(laws[key])) if len(laws[key]) == 1 else None
                out[key] = law_factors.get(only, pooled) if only else pooled
                self.notes.append(
                    f"{key}: te weinig historie voor eigen factoren; factoren: {out[key].basis}."
                )
        return out, pooled

    def _complete_mean(self, months: dict[int, float], factors: CompletionFactors) -> float:
        """The mean monthly amount over the 12 complete months before T's month, each divided by its
        completion factor (chain-ladder), so the youngest months do not look cheap."""
        total = 0.0
        for m in range(self.window[0], self.window[1] + 1):
            c = factors.at(self.now - m)
            total += months.get(m, 0.0) / c if c > 0 else 0.0
        return total / 12

    def _pending(self) -> tuple[dict[str, dict[int, float]], float]:
        """Submitted, undecided amounts per row and month of the year; the approval rate of the amounts
        decided in the 12 months before T (submission date)."""
        lines = self.declarations((PENDING,))
        spread = spread_numbers(lines, month_first(self.first_month), self.moment)
        spread = spread.mutate(key=self.key(spread))
        grouped = spread.group_by("key", "month").aggregate(amount=spread.amount.sum())
        pending: dict[str, dict[int, float]] = defaultdict(dict)
        for r in _rows(self.backend, grouped):
            pending[r["key"]][int(r["month"])] = float(r["amount"])
        decided = self.declarations((APPROVED, REJECTED))
        decided = decided.filter(decided.submitted_on > self.moment - timedelta(days=365))
        totals = {
            r["status"]: float(r["amount"] or 0)
            for r in _rows(self.backend, decided.group_by("status").aggregate(amount=decided.amount.sum()))
        }
        all_decided = totals.get(APPROVED, 0.0) + totals.get(REJECTED, 0.0)
        return pending, totals.get(APPROVED, 0.0) / all_decided if all_decided > 0 else 1.0

    def _priced(self, first: date, last: date, allocations: Table | None = None) -> Table:
        """Allocated volume per allocation and month in ``first..last`` with its price (tariff per unit, 1
        for a budget in euros, unit 83) and its row key."""
        t = allocated_volume(self.allocations() if allocations is None else allocations, first, last)
        t = t.mutate(day=ibis.greatest(t.month, t.start_date))
        tariffs = _known(self.backend.table("tariff_versions"), self.known.versions_as_of)
        tariffs = tariffs.select(
            t_product="product_code", t_provider="provider_code", t_unit="unit", t_from="valid_from",
            t_to="valid_to", t_tariff="tariff",
        )  # fmt: skip

        def join(t: Table, provider: Value, name: str) -> Table:
            tt = tariffs.rename(
                {f"{name}_{c}": f"t_{c}" for c in ("product", "provider", "unit", "from", "to", "tariff")}
            )
            joined = t.left_join(
                tt,
                [
                    t.product_code == tt[f"{name}_product"],
                    provider == tt[f"{name}_provider"],
                    t.unit == tt[f"{name}_unit"],
                    tt[f"{name}_from"] <= t.day,
                    tt[f"{name}_to"].isnull() | (tt[f"{name}_to"] >= t.day),
                ],
            )
            return joined.drop(*(f"{name}_{c}" for c in ("product", "provider", "unit", "from", "to")))

        t = join(t, t.provider_code, "own")
        t = join(t, ibis.literal(""), "any")
        price = ibis.ifelse(t.unit == "83", 1.0, ibis.coalesce(t.own_tariff, t.any_tariff))
        return t.mutate(
            price=price,
            month_n=t.month.year() * 12 + t.month.month() - 1,
            share=t.days.cast("float64") / t.month_days.cast("float64"),
        ).drop("own_tariff", "any_tariff")

    def _utilisation(
        self, spread: Table, pooled: CompletionFactors
    ) -> tuple[dict[tuple[str, str], float], dict[tuple[str, str], float]]:
        """Per (product, provider): the utilisation u (approved cost / allocated volume x price over the 12
        complete months before T, completed by the law's factors, shrunk to the product's) and the mean cost
        per allocation-month (for allocations without a volume or a tariff)."""
        first, last = month_first(self.window[0]), month_first(self.window[1] + 1) - timedelta(days=1)
        priced = self._priced(first, last)
        has_price = priced.price.notnull() & priced.allocated_volume.notnull()
        exposure = priced.group_by("product_code", "provider_code").aggregate(
            expected=ibis.ifelse(has_price, priced.allocated_volume * priced.price, 0.0).sum(),
            priced_months=ibis.ifelse(has_price, priced.share, 0.0).sum(),
            months=priced.share.sum(),
        )
        linked = spread.filter(
            spread.allocation_id.notnull()
            & (spread.month >= self.window[0])
            & (spread.month <= self.window[1])
        )
        declared = linked.group_by("product_code", "provider_code", "month").aggregate(
            amount=linked.amount.sum()
        )
        cost: dict[tuple[str, str], float] = defaultdict(float)
        for r in _rows(self.backend, declared):
            c = pooled.at(self.now - int(r["month"]))
            cost[(r["product_code"] or "", r["provider_code"] or "")] += (
                float(r["amount"]) / c if c > 0 else 0.0
            )
        pairs = {
            (r["product_code"] or "", r["provider_code"] or ""): r for r in _rows(self.backend, exposure)
        }
        product: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
        for pair, r in pairs.items():
            p = product[pair[0]]
            p[0] += cost.get(pair, 0.0) * _priced_share(r)
            p[1] += float(r["expected"])
            p[2] += float(r["priced_months"])
        usage: dict[tuple[str, str], float] = {}
        mean_cost: dict[tuple[str, str], float] = {}
        for pair, r in pairs.items():
            p = product[pair[0]]
            u_product = p[0] / p[1] if p[1] > 0 else 1.0
            n = float(r["priced_months"])
            u_pair = (
                cost.get(pair, 0.0) * _priced_share(r) / float(r["expected"]) if r["expected"] else u_product
            )
            usage[pair] = min(MAX_UTILISATION, (n * u_pair + SHRINK * u_product) / (n + SHRINK))
            if r["months"]:
                mean_cost[pair] = cost.get(pair, 0.0) / float(r["months"])
        return usage, mean_cost

    def _cost_of(
        self, r: dict[str, Any], usage: dict[tuple[str, str], float], mean_cost: dict[tuple[str, str], float]
    ) -> float:
        pair = (r["product_code"] or "", r["provider_code"] or "")
        if r["price"] is not None and r["allocated_volume"] is not None:
            return float(r["allocated_volume"]) * float(r["price"]) * usage.get(pair, 1.0)
        return float(r["share"]) * mean_cost.get(pair, 0.0)

    def _expected(
        self,
        usage: dict[tuple[str, str], float],
        mean_cost: dict[tuple[str, str], float],
        free_rate: dict[str, float],
    ) -> dict[str, dict[int, float]]:
        """E(m) for the months of the year up to T: the commitment formula over the allocations that ran in
        m, plus the run rate of costs without an allocation (for T's month only its days up to T)."""
        expected: dict[str, dict[int, float]] = defaultdict(dict)
        if self.now < self.first_month:
            return expected
        last = min(self.moment, date(self.year, 12, 31))
        priced = self._priced(date(self.year, 1, 1), last)
        priced = priced.select(
            "key", "product_code", "provider_code", "month_n", "price", "allocated_volume", "share"
        )
        for r in _rows(self.backend, priced):
            m = int(r["month_n"])
            expected[r["key"]][m] = expected[r["key"]].get(m, 0.0) + self._cost_of(r, usage, mean_cost)
        for key, rate in free_rate.items():
            for m in range(self.first_month, min(self.now, self.last_month) + 1):
                share = self.moment.day / _days(m) if m == self.now else 1.0
                expected[key][m] = expected[key].get(m, 0.0) + rate * share
        return expected

    def _committed(
        self, spread: Table, usage: dict[tuple[str, str], float], mean_cost: dict[tuple[str, str], float]
    ) -> tuple[dict[str, dict[int, float]], Table]:
        """Committed cost per row and month after T of the allocations running after T (planned starts
        included), and the (key, client_key) pairs of those allocations."""
        committed: dict[str, dict[int, float]] = defaultdict(dict)
        allocations = self.allocations()
        running = allocations.filter(
            (allocations.end_date.isnull() | (allocations.end_date > self.moment))
            & (allocations.start_date <= date(self.year, 12, 31))
        )
        clients = running.select("key", "client_key")
        first = max(self.moment + timedelta(days=1), date(self.year, 1, 1))
        if first > date(self.year, 12, 31):
            return committed, clients
        survival = self._survival(allocations)
        priced = self._priced(first, date(self.year, 12, 31), running)
        totals = priced.filter(priced.frequency.strip().re_replace("^0+", "") == IN_TOTAL)
        linked = spread.filter(spread.allocation_id.isin(totals.allocation_id))
        declared = {
            r["allocation_id"]: (float(r["amount"] or 0), float(r["volume"] or 0))
            for r in _rows(
                self.backend,
                linked.group_by("allocation_id").aggregate(
                    amount=linked.amount.sum(), volume=linked.volume.sum()
                ),
            )
        }
        columns = (
            "allocation_id", "key", "product_code", "product_category", "provider_code", "unit", "frequency",
            "volume", "start_date", "end_date", "month", "month_n", "days", "share", "price", "allocated_volume",
        )  # fmt: skip
        rows = _rows(self.backend, priced.select(*columns))
        remaining_days: dict[str, int] = defaultdict(int)
        for r in rows:
            remaining_days[r["allocation_id"]] += int(r["days"])
        missing = 0
        for r in rows:
            m, key = int(r["month_n"]), r["key"]
            frequency = (r["frequency"] or "").strip().lstrip("0")
            if frequency == IN_TOTAL and r["allocated_volume"] is not None and r["price"] is not None:
                total = float(r["volume"]) / (100 if r["unit"] == "83" else 1)
                used = declared.get(r["allocation_id"], (0.0, 0.0))
                left = max(0.0, total - (used[0] if r["unit"] == "83" else used[1]))
                cost = left * float(r["price"]) * int(r["days"]) / remaining_days[r["allocation_id"]]
            else:
                if r["price"] is None and r["unit"] != "83":
                    missing += 1
                cost = self._cost_of(r, usage, mean_cost)
                if r["end_date"] is None:
                    curve = survival.get(r["product_code"]) or survival.get(
                        f"cat:{r['product_category']}", RUNS_ON
                    )
                    age_now = (self.moment - r["start_date"]).days + 1
                    middle = r["month"] + timedelta(days=14)
                    cost *= curve.still_running(age_now, (middle - r["start_date"]).days + 1)
            committed[key][m] = committed[key].get(m, 0.0) + cost
        if missing:
            self.notes.append(
                f"{missing} toewijzingsmaanden zonder tarief: gerekend met de gemiddelde kosten per "
                "toewijzingsmaand van dat product en die aanbieder."
            )
        return committed, clients

    def _survival(self, allocations: Table) -> dict[str, Survival]:
        """Kaplan–Meier curves per product code (and per category, 'cat:<code>', the fallback) of the
        durations of allocations started in the 5 years before T; ended by T is an event, else censored."""
        since = date(self.moment.year - SURVIVAL_YEARS, self.moment.month, 1)
        t = allocations.filter((allocations.start_date >= since) & (allocations.start_date <= self.moment))
        ended = t.end_date.notnull() & (t.end_date <= self.moment)
        stop = ibis.ifelse(ended, t.end_date, ibis.literal(self.moment))
        t = t.mutate(duration=stop.delta(t.start_date, unit="day") + 1, ended=ended)
        grouped = t.group_by("product_code", "product_category", "duration", "ended").aggregate(
            n=ibis._.count()
        )
        by_product: dict[str, list[tuple[int, bool, int]]] = defaultdict(list)
        for r in _rows(self.backend, grouped):
            item = (int(r["duration"]), bool(r["ended"]), int(r["n"]))
            by_product[r["product_code"] or ""].append(item)
            by_product[f"cat:{r['product_category']}"].append(item)
        curves: dict[str, Survival] = {}
        for name, items in by_product.items():
            if sum(n for _, _, n in items) >= MIN_SURVIVAL:
                d, e, n = zip(*items, strict=True)
                curves[name] = kaplan_meier(d, e, n)
        return curves

    def _new(
        self, spread: Table, pooled: CompletionFactors, free_rate: dict[str, float]
    ) -> tuple[dict[str, dict[int, float]], dict[str, float]]:
        """Expected cost per row and month after T of allocations still to start, plus the run rate of costs
        without an allocation; and the expected number of new allocations per row."""
        out: dict[str, dict[int, float]] = defaultdict(dict)
        numbers: dict[str, float] = defaultdict(float)
        later = [m for m in range(max(self.now + 1, self.first_month), self.last_month + 1)]
        for key, rate in free_rate.items():
            for m in later:
                out[key][m] = out[key].get(m, 0.0) + rate
            if self.first_month <= self.now <= self.last_month:
                rest = 1 - self.moment.day / _days(self.now)
                out[key][self.now] = out[key].get(self.now, 0.0) + rate * rest
        if not later:
            return out, numbers
        allocations = self.allocations()
        allocations = allocations.mutate(
            start_n=allocations.start_date.year() * 12 + allocations.start_date.month() - 1,
        )
        earliest = min((self.year - 1) * 12, self.last_complete - 11)
        starts_query = (
            allocations.filter(allocations.start_n >= earliest)
            .group_by("key", "start_n")
            .aggregate(n=ibis._.count())
        )
        starts: dict[str, dict[int, int]] = defaultdict(dict)
        for r in _rows(self.backend, starts_query):
            starts[r["key"]][int(r["start_n"])] = int(r["n"])
        cohort = allocations.filter(
            (allocations.start_n >= self.now - 24) & (allocations.start_n <= self.now - 13)
        ).select("allocation_id", a_key="key", start_n="start_n")
        sizes = {
            r["a_key"]: int(r["n"])
            for r in _rows(self.backend, cohort.group_by("a_key").aggregate(n=ibis._.count()))
        }
        linked = spread.filter(spread.allocation_id.notnull()).select("allocation_id", "month", "amount")
        joined = linked.join(cohort, "allocation_id")
        per_month = joined.group_by("a_key", "start_n", "month").aggregate(amount=joined.amount.sum())
        cost_new: dict[str, list[float]] = defaultdict(lambda: [0.0] * 12)
        for r in _rows(self.backend, per_month):
            j = int(r["month"]) - int(r["start_n"])
            if 0 <= j < 12 and sizes.get(r["a_key"]):
                c = pooled.at(self.now - int(r["month"]))
                cost_new[r["a_key"]][j] += float(r["amount"]) / (c if c > 0 else 1.0) / sizes[r["a_key"]]
        for key, months in starts.items():
            recent = [months.get(m, 0) for m in range(self.last_complete - 11, self.last_complete + 1)]
            last_year = [months.get(m, 0) for m in range((self.year - 1) * 12, self.year * 12)]
            mean_recent, mean_last = sum(recent) / 12, sum(last_year) / 12
            expected_starts: dict[int, float] = {}
            for s in later:
                season = last_year[s % 12] / mean_last if mean_last > 0 else 1.0
                planned = months.get(s, 0) if s > self.last_complete else 0
                expected_starts[s] = max(0.0, mean_recent * season - planned)
            numbers[key] = sum(expected_starts.values())
            for m, cost in new_allocation_costs(
                expected_starts, cost_new.get(key, [0.0] * 12), self.year
            ).items():
                out[key][m] = out[key].get(m, 0.0) + cost
        return out, numbers

    def _paid(self, spread: Table, running: Table) -> tuple[dict[str, tuple[int, int]], int]:
        """Per row: distinct clients with a realised net amount above zero in the year, and those plus the
        clients of running allocations; and the distinct paid clients over every row."""
        year = spread.filter((spread.month >= self.first_month) & (spread.month <= self.last_month))
        net = year.group_by("key", "client_key").aggregate(amount=year.amount.sum())
        paid = net.filter(net.amount > 0).select("key", "client_key")
        counts = {
            r["key"]: int(r["n"])
            for r in _rows(self.backend, paid.group_by("key").aggregate(n=ibis._.count()))
        }
        both = ibis.union(paid, running.filter(running.client_key.notnull()), distinct=True)
        forecast = {
            r["key"]: int(r["n"])
            for r in _rows(self.backend, both.group_by("key").aggregate(n=ibis._.count()))
        }
        per_client = year.group_by("client_key").aggregate(amount=year.amount.sum())
        total = _rows(self.backend, per_client.filter(per_client.amount > 0).aggregate(n=ibis._.count()))
        keys = set(counts) | set(forecast)
        return {k: (counts.get(k, 0), forecast.get(k, 0)) for k in keys}, int(total[0]["n"] or 0)


def _in_scope(t: Table, line: BudgetLine) -> Value:
    scope = t.law == line.law
    if line.categories:
        scope &= t.product_category.isin(list(line.categories))
    if line.provider:
        scope &= t.provider_code == line.provider
    return scope


def _priced_share(r: dict[str, Any]) -> float:
    """The part of a (product, provider)'s declared cost that belongs to its priced allocation-months."""
    return float(r["priced_months"]) / float(r["months"]) if r["months"] else 0.0


def _days(month: int) -> int:
    return (month_first(month + 1) - month_first(month)).days


def _known(versions: Table, as_of: date | None) -> Table:
    """The versions known at the end of ``as_of`` (None: the current ones), the rule of ``engine.facts``."""
    if as_of is None:
        return versions.filter(versions.superseded_at.isnull())
    cutoff = ibis.literal(engine.as_of_cutoff(as_of))
    return versions.filter(
        (versions.known_from < cutoff)
        & (versions.superseded_at.isnull() | (versions.superseded_at >= cutoff))
    )


def _rows(backend: Any, expression: Table) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = backend.to_pyarrow(expression).to_pylist()
    return rows


def _index(backend: Any, year: int, known: Knowledge, series: str) -> tuple[float | None, str]:
    """The index percentage of ``year`` in ``series`` as known at T (definitief over voorlopig)."""
    versions = _known(backend.table("index_versions"), known.versions_as_of)
    versions = versions.filter((versions.series == series) & (versions.year == year))
    found = {r["status"]: float(r["percentage"]) for r in _rows(backend, versions)}
    if "definitief" in found:
        return found["definitief"], ""
    if "voorlopig" in found:
        return found["voorlopig"], f"Index {year} ({series}) is voorlopig."
    return None, f"Geen index {year} in reeks {series}: het indexeffect van de brug blijft leeg."


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
    span = _rows(
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
