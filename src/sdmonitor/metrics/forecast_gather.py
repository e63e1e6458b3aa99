"""The Ibis queries of one forecast and their reduction to small ``LineInputs`` per row (budget line or
provider), which ``metrics/forecast_model.py`` turns into figures; ``metrics/forecast.py`` says what each
component means. The declarations come through ``metrics/costs.py``, the allocations and their allocated volume
through ``metrics/utilisation.py``, the completion factors from ``metrics/runoff.py`` and the survival of open
allocations from ``metrics/survival.py``."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import ibis
import numpy as np
from ibis.expr.types import Table, Value

from sdmonitor.metrics import engine
from sdmonitor.metrics.costs import declaration_facts, spread_numbers
from sdmonitor.metrics.forecast_knowledge import BudgetLine, Knowledge, rows_of
from sdmonitor.metrics.forecast_model import NOT_BUDGETED, LineInputs, new_allocation_costs
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
from sdmonitor.metrics.utilisation import IN_TOTAL, VOLUME_COLUMNS, allocated_volume, utilisation_rates
from sdmonitor.warehouse.finance import tariffs, with_tariff

APPROVED, REJECTED, PENDING = "toegekend", "afgewezen", "ingediend"
HISTORY_MONTHS = 48  # the run-off triangle's delivery months
MIN_LINE_MONTHS, MIN_LINE_AMOUNT = 12, 50_000.0  # below: the law's pooled factors
MAX_UTILISATION = 1.5
SURVIVAL_YEARS = 5
MIN_SURVIVAL = 20  # allocations a product needs for its own survival curve (else its category's)


@dataclass
class _Usage:
    """Utilisation per (product, provider, unit), with the product's rate (same unit) as the fallback, else 1."""

    pairs: dict[tuple[str, str, str], float] = field(default_factory=dict)
    products: dict[tuple[str, str], float] = field(default_factory=dict)

    def of(self, product: str, provider: str, unit: str) -> float:
        found = self.pairs.get((product, provider, unit))
        return found if found is not None else self.products.get((product, unit), 1.0)


@dataclass(frozen=True)
class Gathered:
    inputs: tuple[LineInputs, ...]
    total_paid_clients: int
    notes: tuple[str, ...]


class Gatherer:
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
        self._priced_cache: Table | None = None

    # -- what is known at T -------------------------------------------------------------------------------

    def declarations(self, statuses: tuple[str, ...]) -> Table:
        lines = declaration_facts(self.backend, self.known.versions("declarations"), self.moment, statuses)
        if self.known.approximates("declarations"):
            lines = lines.filter(lines.submitted_on <= self.moment)
        return lines

    def allocations(self) -> Table:
        """The allocations known at T (not pgb, not reden 13) with their row key, read once and kept in
        memory (Arrow): the later queries then compile small."""
        if self._allocations is None:
            t = engine.facts(
                self.backend,
                self.known.versions("allocations"),
                (),
                None,
                carry=(*VOLUME_COLUMNS, "decision_date"),
            )
            t = t.filter(t.delivery_form.isnull() | (t.delivery_form != "PGB"))
            if self.known.approximates("allocations"):  # decided by T; an end after T may be set later: open
                t = t.filter(ibis.coalesce(t.decision_date, t.start_date) <= self.moment)
                t = t.mutate(
                    end_date=ibis.ifelse(t.end_date > self.moment, ibis.null().cast("date"), t.end_date)
                )
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

    def gather(self) -> Gathered:
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
        return Gathered(tuple(inputs), total_paid, tuple(self.notes))

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
            for r in rows_of(self.backend, cells)
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
            c = factors.at(self.last_complete - m)
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
        for r in rows_of(self.backend, grouped):
            pending[r["key"]][int(r["month"])] = float(r["amount"])
        decided = self.declarations((APPROVED, REJECTED))
        decided = decided.filter(decided.submitted_on > self.moment - timedelta(days=365))
        totals = {
            r["status"]: float(r["amount"] or 0)
            for r in rows_of(self.backend, decided.group_by("status").aggregate(amount=decided.amount.sum()))
        }
        all_decided = totals.get(APPROVED, 0.0) + totals.get(REJECTED, 0.0)
        return pending, totals.get(APPROVED, 0.0) / all_decided if all_decided > 0 else 1.0

    def _priced_all(self) -> Table:
        """The priced allocation-months (``_priced``) the forecast needs, computed once and kept in memory:
        up to T (``after`` false: the 12 months before T's month and the year's months up to T) and after T
        to December (``after`` true)."""
        if self._priced_cache is None:
            before = self._priced(min(month_first(self.window[0]), date(self.year, 1, 1)), self.moment)
            parts = [before.mutate(after=ibis.literal(False))]
            first = max(self.moment + timedelta(days=1), date(self.year, 1, 1))
            if first <= date(self.year, 12, 31):
                parts.append(self._priced(first, date(self.year, 12, 31)).mutate(after=ibis.literal(True)))
            columns = (
                "allocation_id", "key", "product_code", "product_category", "provider_code", "unit", "frequency",
                "volume", "start_date", "end_date", "month_n", "days", "share", "price", "allocated_volume", "after",
            )  # fmt: skip
            both = ibis.union(*(part.select(*columns) for part in parts))
            self._priced_cache = ibis.memtable(self.backend.to_pyarrow(both))
        return self._priced_cache

    def _priced(self, first: date, last: date, allocations: Table | None = None) -> Table:
        """Allocated volume per allocation and month in ``first..last`` with its price (tariff per unit, 1
        for a budget in euros, unit 83) and its row key."""
        t = allocated_volume(self.allocations() if allocations is None else allocations, first, last)
        t = t.mutate(day=ibis.greatest(t.month, t.start_date))
        tariffs_as_of = self.known.versions("tariffs")
        cutoff = None if tariffs_as_of is None else engine.as_of_cutoff(tariffs_as_of)
        t = with_tariff(t, tariffs(self.backend, cutoff), day="day")
        price = ibis.ifelse(t.unit == "83", 1.0, t.tariff)
        return t.mutate(
            price=price,
            month_n=t.month.year() * 12 + t.month.month() - 1,
            share=t.days.cast("float64") / t.month_days.cast("float64"),
        ).drop("tariff")

    def _utilisation(
        self, spread: Table, pooled: CompletionFactors
    ) -> tuple[_Usage, dict[tuple[str, str], float]]:
        """The utilisation u per (product, provider, unit) of ``utilisation.utilisation_rates`` over the 12
        months before the youngest month whose declarations are 95 % complete (design §2.4: younger months
        would make every allocation look under-used), and per (product, provider) the mean approved cost per
        allocation-month over the 12 complete months before T's month, completed by the factors (for
        allocations without a volume or a tariff)."""
        settled = next((k for k in range(MAX_LAG + 1) if pooled.at(k) >= 0.95), MAX_LAG)
        cutoff = min(self.moment, month_first(self.last_complete - settled + 1) - timedelta(days=1))
        submitted_by = self.moment if self.known.approximates("declarations") else None
        rates = utilisation_rates(
            self.backend, cutoff, 12, as_of=self.known.versions_as_of, submitted_by=submitted_by
        )
        usage = _Usage()
        for r in rows_of(self.backend, rates):
            key = (r["product_code"] or "", r["provider_code"] or "", r["unit"] or "")
            if r["utilisation"] is not None:
                usage.pairs[key] = float(r["utilisation"])
            if r["product_rate"] is not None:
                usage.products[(key[0], key[2])] = min(MAX_UTILISATION, max(0.0, float(r["product_rate"])))
        priced = self._priced_all()
        priced = priced.filter(
            ~priced.after & (priced.month_n >= self.window[0]) & (priced.month_n <= self.window[1])
        )
        exposure = priced.group_by("product_code", "provider_code").aggregate(months=priced.share.sum())
        linked = spread.filter(
            spread.allocation_id.notnull()
            & (spread.month >= self.window[0])
            & (spread.month <= self.window[1])
        )
        declared = linked.group_by("product_code", "provider_code", "month").aggregate(
            amount=linked.amount.sum()
        )
        cost: dict[tuple[str, str], float] = defaultdict(float)
        for r in rows_of(self.backend, declared):
            c = pooled.at(self.last_complete - int(r["month"]))
            cost[(r["product_code"] or "", r["provider_code"] or "")] += (
                float(r["amount"]) / c if c > 0 else 0.0
            )
        mean_cost = {
            (r["product_code"] or "", r["provider_code"] or ""): cost.get(
                (r["product_code"] or "", r["provider_code"] or ""), 0.0
            )
            / float(r["months"])
            for r in rows_of(self.backend, exposure)
            if r["months"]
        }
        return usage, mean_cost

    def _cost_of(self, r: dict[str, Any], usage: _Usage, mean_cost: dict[tuple[str, str], float]) -> float:
        """The expected cost of allocation-months (``_grouped_cost``): allocated volume x price x u, and for
        those without a volume or a price the mean cost per allocation-month of the product and provider."""
        product, provider, unit = r["product_code"] or "", r["provider_code"] or "", r["unit"] or ""
        priced = float(r["volume_cost"] or 0) * usage.of(product, provider, unit)
        return priced + float(r["unpriced"] or 0) * mean_cost.get((product, provider), 0.0)

    def _expected(
        self,
        usage: _Usage,
        mean_cost: dict[tuple[str, str], float],
        free_rate: dict[str, float],
    ) -> dict[str, dict[int, float]]:
        """E(m) for the months of the year up to T: the commitment formula over the allocations that ran in
        m, plus the run rate of costs without an allocation (for T's month only its days up to T)."""
        expected: dict[str, dict[int, float]] = defaultdict(dict)
        if self.now < self.first_month:
            return expected
        priced = self._priced_all()
        priced = priced.filter(
            ~priced.after & (priced.month_n >= self.first_month) & (priced.month_n <= self.last_month)
        )
        for r in rows_of(self.backend, _grouped_cost(priced, ())):
            m = int(r["month_n"])
            expected[r["key"]][m] = expected[r["key"]].get(m, 0.0) + self._cost_of(r, usage, mean_cost)
        for key, rate in free_rate.items():
            for m in range(self.first_month, min(self.now, self.last_month) + 1):
                share = self.moment.day / _days(m) if m == self.now else 1.0
                expected[key][m] = expected[key].get(m, 0.0) + rate * share
        return expected

    def _committed(
        self, spread: Table, usage: _Usage, mean_cost: dict[tuple[str, str], float]
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
        priced = self._priced_all()
        priced = priced.filter(priced.after)
        totals = priced.filter(priced.frequency.strip().re_replace("^0+", "") == IN_TOTAL)
        linked = spread.filter(spread.allocation_id.isin(totals.allocation_id))
        declared = {
            r["allocation_id"]: (float(r["amount"] or 0), float(r["volume"] or 0))
            for r in rows_of(
                self.backend,
                linked.group_by("allocation_id").aggregate(
                    amount=linked.amount.sum(), volume=linked.volume.sum()
                ),
            )
        }
        is_total = (
            priced.frequency.strip().re_replace("^0+", "") == IN_TOTAL
        ) & priced.allocated_volume.notnull()
        is_total = is_total & priced.price.notnull()
        columns = (
            "allocation_id", "key", "product_code", "product_category", "provider_code", "unit", "volume",
            "start_date", "end_date", "month_n", "days", "price", "allocated_volume",
        )  # fmt: skip
        for r in rows_of(self.backend, priced.filter(is_total).select(*columns)):
            total = float(r["volume"]) / (100 if r["unit"] == "83" else 1)
            used = declared.get(r["allocation_id"], (0.0, 0.0))
            left = max(0.0, total - (used[0] if r["unit"] == "83" else used[1]))
            # spread evenly over the days from T (or the start) to the end date, also beyond December
            days_left = (r["end_date"] - max(self.moment + timedelta(days=1), r["start_date"])).days + 1
            cost = left * float(r["price"]) * int(r["days"]) / max(days_left, 1)
            m = int(r["month_n"])
            committed[r["key"]][m] = committed[r["key"]].get(m, 0.0) + cost
        others = priced.filter(~is_total)
        missing = 0
        # open-ended ones by start month (age from their earliest start that month): survival per group
        for r in rows_of(self.backend, _grouped_cost(others, ("product_category", "open", "start_n"))):
            m, key = int(r["month_n"]), r["key"]
            missing += int(r["unpriced_rows"])
            cost = self._cost_of(r, usage, mean_cost)
            if r["open"]:
                curve = survival.get(r["product_code"] or "") or survival.get(
                    f"cat:{r['product_category']}", RUNS_ON
                )
                age_now = (self.moment - r["start"]).days + 1
                middle = month_first(m) + timedelta(days=14)
                cost *= curve.still_running(age_now, (middle - r["start"]).days + 1)
            committed[key][m] = committed[key].get(m, 0.0) + cost
        if missing:
            self.notes.append(
                f"{missing} toewijzingsmaanden zonder volume of tarief: gerekend met de gemiddelde kosten per "
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
        for r in rows_of(self.backend, grouped):
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
        for r in rows_of(self.backend, starts_query):
            starts[r["key"]][int(r["start_n"])] = int(r["n"])
        cohort = allocations.filter(
            (allocations.start_n >= self.now - 24) & (allocations.start_n <= self.now - 13)
        ).select("allocation_id", a_key="key", start_n="start_n")
        sizes = {
            r["a_key"]: int(r["n"])
            for r in rows_of(self.backend, cohort.group_by("a_key").aggregate(n=ibis._.count()))
        }
        linked = spread.filter(spread.allocation_id.notnull()).select("allocation_id", "month", "amount")
        joined = linked.join(cohort, "allocation_id")
        per_month = joined.group_by("a_key", "start_n", "month").aggregate(amount=joined.amount.sum())
        cost_new: dict[str, list[float]] = defaultdict(lambda: [0.0] * 12)
        for r in rows_of(self.backend, per_month):
            j = int(r["month"]) - int(r["start_n"])
            if 0 <= j < 12 and sizes.get(r["a_key"]):
                c = pooled.at(self.last_complete - int(r["month"]))
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
            for r in rows_of(self.backend, paid.group_by("key").aggregate(n=ibis._.count()))
        }
        both = ibis.union(paid, running.filter(running.client_key.notnull()), distinct=True)
        forecast = {
            r["key"]: int(r["n"])
            for r in rows_of(self.backend, both.group_by("key").aggregate(n=ibis._.count()))
        }
        per_client = year.group_by("client_key").aggregate(amount=year.amount.sum())
        total = rows_of(self.backend, per_client.filter(per_client.amount > 0).aggregate(n=ibis._.count()))
        keys = set(counts) | set(forecast)
        return {k: (counts.get(k, 0), forecast.get(k, 0)) for k in keys}, int(total[0]["n"] or 0)


def _grouped_cost(priced: Table, extra: tuple[str, ...]) -> Table:
    """Priced allocation-months summed per row, product, provider, unit and month (and ``extra``):
    ``volume_cost`` = Σ allocated volume x price where both are known, ``unpriced`` = Σ share of the month
    of the others (and ``unpriced_rows``). ``extra`` may name ``open`` (no end date) and ``start_n`` (the
    start month), with ``start`` the earliest start date of the group."""
    has = priced.price.notnull() & priced.allocated_volume.notnull()
    t = priced.mutate(
        open=priced.end_date.isnull(),
        start_n=priced.start_date.year() * 12 + priced.start_date.month() - 1,
        has=has,
    )
    keys = ["key", "product_code", "provider_code", "unit", "month_n", *extra]
    return t.group_by(keys).aggregate(
        volume_cost=ibis.ifelse(t.has, t.allocated_volume * t.price, 0.0).sum(),
        unpriced=ibis.ifelse(t.has, 0.0, t.share).sum(),
        unpriced_rows=ibis.ifelse(t.has | (t.unit == "83"), 0, 1).sum(),
        start=t.start_date.min(),
    )


def _in_scope(t: Table, line: BudgetLine) -> Value:
    scope = t.law == line.law
    if line.categories:
        scope &= t.product_category.isin(list(line.categories))
    if line.provider:
        scope &= t.provider_code == line.provider
    return scope


def _days(month: int) -> int:
    return (month_first(month + 1) - month_first(month)).days
