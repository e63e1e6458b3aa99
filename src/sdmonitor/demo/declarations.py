"""Declarations (declaraties) that follow the generated allocations, vectorised per chunk.

Every allocation that is used (about 95 %; the rest is never used) is declared per calendar month it runs:
the ProductPeriode is the month clipped to the allocation, the volume is the allocated volume of that month
(per week x days/7, per month x days/days of the month, in total x days/days of the allocation) times a
utilisation that varies by product and provider (mean 0.6-1.0, hulp bij het huishouden about 0.95,
begeleiding about 0.8) and a little by month, and the amount is volume x the month's tariff (budget
allocations in euros: the amount itself). PGB allocations are paid through the SVB: their lines carry no
allocation and no provider. A few expensive one-off woningaanpassingen are declared without allocation.

About 2 % of the lines is rejected (afgewezen), half of them declared again a month or two later under a new
number; about 1 % is credited (C with the same number) and declared again with another amount. Providers
submit late: ``submitted_on`` falls 1 month after the delivery month for 55 % of the lines, 2 months for
25 %, 3-6 months for 12 %, 7-12 for 6 % and later for 2 %; some providers are slower, and what is still
outstanding for a year is caught up in the first six weeks of the next year. A decision (toegekend or
afgewezen) follows 2-14 days after submission; until then a line is ``ingediend``.

``declare_chunk`` returns every line in its final state with its submission and decision days;
``versions`` cuts out what an export made on a given day adds to the previous export.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sdmonitor.demo.arrays import (
    BoolArray,
    FloatArray,
    IntArray,
    choose,
    digits,
    fixed_width_strings,
    jan_first,
    rank_within,
    repeat_index,
    take_strings,
    text_columns,
    years_of,
)
from sdmonitor.demo.catalogue import CATEGORIES
from sdmonitor.demo.finance import CostTotals, Tariffs
from sdmonitor.demo.model import FREQUENCIES, LAW_CODES, UNITS, AllocationModel

DECLARATION_COLUMNS = (
    "declaration_id",
    "allocation_id",
    "client_id",
    "bsn",
    "law",
    "product_category",
    "product_code",
    "provider_code",
    "period_start",
    "period_end",
    "volume",
    "unit",
    "amount",
    "debit_credit",
    "status",
    "submitted_on",
    "delivery_form",
)
_DATE_COLUMNS = {"period_start", "period_end", "submitted_on"}
# Declaration numbers: municipality code, 'D', ten digits. Never a run of 8 or 9 digits, which a loader would
# take for a BSN (9901D0000000042).
DECLARATION_DIGITS = 10
_NUMBER_COLUMNS = {"volume", "amount"}

UNUSED_SHARE = 0.05  # allocations never used
REJECTED_SHARE = 0.02  # lines rejected (afgewezen)
REDECLARED_SHARE = 0.5  # of the rejected lines: declared again under a new number
CREDITED_SHARE = 0.01  # approved lines credited and declared again with another amount
PGB_FACTOR = 0.8  # a PGB budget is set below the ZIN tariff
# lag in months after the delivery month: (share, first, last)
LAG_BUCKETS = ((0.55, 1, 1), (0.25, 2, 2), (0.12, 3, 6), (0.06, 7, 12), (0.02, 13, 24))
CATCH_UP_DAYS = 42  # the first six weeks of a year: outstanding lines of the year before come in
CATCH_UP_SHARE = 0.5  # of the lines that would come later, the share caught up in those weeks
SLOW_PROVIDER_SHARE = 0.25  # providers that are often a month later
DECISION_DAYS = (2, 14)  # a decision 2-14 days after submission
ONE_OFFS_PER_INHABITANT_YEAR = 1 / 60_000  # woningaanpassingen without allocation
ONE_OFF_AMOUNT = (15_000.0, 60_000.0)
ONE_OFF_PRODUCT = "13A02"

# Mean utilisation by product category (products of unit 83 and one-off products: near 1).
_UTILISATION = {
    "01": 0.95, "02": 0.80, "03": 0.90, "04": 0.75, "05": 0.97, "06": 0.70, "07": 0.80, "08": 0.82,
    "09": 0.75, "10": 0.85, "11": 0.98, "12": 0.97, "13": 0.98, "14": 0.98, "15": 0.93, "16": 0.90,
    "17": 0.90, "18": 0.85, "40": 0.85, "41": 0.86, "42": 0.85, "43": 0.95, "44": 0.96, "45": 0.78,
    "46": 0.90, "47": 0.88, "48": 0.92, "49": 0.85, "50": 0.90, "51": 0.95, "52": 0.93, "53": 0.95,
    "54": 0.94, "55": 0.95,
}  # fmt: skip
PROVIDER_EFFECT = (-0.10, 0.06)  # a provider's utilisation differs from the product's by this much
CONCENTRATION = 25.0  # Beta concentration of the utilisation of one allocation
MONTH_NOISE = 0.08  # relative month-to-month variation of the declared time
_TIME_UNITS = {"01", "04", "14", "16"}


_NEXT_JANUARY_FROM = 1900
_NEXT_JANUARY = np.array([jan_first(year + 1) for year in range(_NEXT_JANUARY_FROM, 2201)], dtype=np.int64)


@dataclass(frozen=True)
class DeclarationPlan:
    """What every chunk's declarations share: tariffs, mean utilisation per product and provider, slow
    providers and the range."""

    model: AllocationModel
    tariffs: Tariffs
    utilisation: FloatArray  # (product, provider)
    slow: FloatArray  # (provider,) chance of a month's extra lag
    budget_line: IntArray  # (category,) index into finance.BUDGET_LINES, -1 unbudgeted

    @property
    def first_month(self) -> int:
        """Months since January 1970 of January of the first year."""
        return (self.model.first_year - 1970) * 12


def build_plan(
    model: AllocationModel, tariffs: Tariffs, budget_line: IntArray, rng: np.random.Generator
) -> DeclarationPlan:
    """Mean utilisation per product and provider, and which providers are slow to declare."""
    category = np.array([_UTILISATION[product.category] for product in model.catalogue])
    effect = rng.uniform(*PROVIDER_EFFECT, size=(len(model.catalogue), len(model.providers)))
    one_off = (model.product_frequency == FREQUENCIES.index("6")) | (model.product_unit == UNITS.index("83"))
    effect = np.where(one_off[:, None], 0.0, effect)
    utilisation = np.clip(category[:, None] + effect, 0.6, 0.99)
    slow = np.where(rng.random(len(model.providers)) < SLOW_PROVIDER_SHARE, 0.35, 0.02)
    return DeclarationPlan(model, tariffs, utilisation, slow, budget_line)


@dataclass(frozen=True)
class Lines:
    """Every declared line of a chunk in its final state, ordered by submission day.

    ``table`` has the canonical columns except ``status``; ``submitted`` and ``decided`` are day numbers,
    ``rejected`` the final decision; the other arrays feed the budget totals.
    """

    table: pa.Table
    submitted: IntArray
    decided: IntArray
    rejected: BoolArray
    signed: FloatArray  # amount, negative for a credit
    year: IntArray  # year of the delivery month
    category: IntArray
    provider: IntArray  # -1 without provider
    law: IntArray
    client: IntArray  # client number within the chunk
    ids_used: int  # declaration numbers used (credits reuse their debit's)

    @property
    def rows(self) -> int:
        """Number of lines."""
        return int(self.table.num_rows)


def declare_chunk(
    plan: DeclarationPlan,
    allocations: pa.Table,
    residents: int,
    municipality_code: str,
    first_number: int,
    rng: np.random.Generator,
) -> Lines:
    """The declarations of one chunk's allocations (canonical columns), numbered from ``first_number``."""
    model = plan.model
    a = _read_allocations(model, allocations)
    n = a.product.shape[0]
    mean = np.where(
        a.provider >= 0,
        plan.utilisation[a.product, np.maximum(a.provider, 0)],
        plan.utilisation[a.product].mean(axis=1),
    )
    used = rng.random(n) >= UNUSED_SHARE
    u = rng.beta(mean * CONCENTRATION, (1 - mean) * CONCENTRATION)
    keep = used & ~a.deleted & (a.end >= a.start) & (a.start <= model.range_end)
    rows = np.flatnonzero(keep)
    # one line per allocation and calendar month
    first = _month(a.start[rows])
    last = _month(np.minimum(a.end[rows], model.range_end))
    position = repeat_index(last - first + 1)
    rank = rank_within(position)
    month = first[position] + rank
    alloc = rows[position]
    month_start = _month_start(month)
    month_days = _month_start(month + 1) - month_start
    start = np.maximum(a.start[alloc], month_start)
    end = np.minimum(a.end[alloc], month_start + month_days - 1)
    days = end - start + 1
    product = a.product[alloc]
    frequency = np.asarray(model.product_frequency[product])
    unit_index = model.product_unit[product]
    no_unit = unit_index == 0
    volume = np.where(no_unit, 1.0, np.nan_to_num(a.volume[alloc]))
    allocation_days = a.end[alloc] - a.start[alloc] + 1
    # in total: spread over the allocation's days; open-ended: all in its first month
    whole = np.where(a.end_known[alloc], days / allocation_days, (rank == 0) * 1.0)
    share = np.select(
        [
            no_unit,
            frequency == FREQUENCIES.index("1"),
            frequency == FREQUENCIES.index("2"),
            frequency == FREQUENCIES.index("4"),
            frequency == FREQUENCIES.index("6"),
        ],
        [days / month_days, days * 1.0, days / 7, days / month_days, whole],
        default=days / month_days,
    )
    allocated = volume * share
    time_unit = np.isin(unit_index, [UNITS.index(code) for code in _TIME_UNITS])
    noise = np.where(time_unit, np.clip(1 + MONTH_NOISE * rng.standard_normal(alloc.shape[0]), 0.5, 1.4), 1.0)
    declared = allocated * u[alloc] * noise
    euro = unit_index == UNITS.index("83")
    tariff_unit = np.array([UNITS.index(unit) for unit in plan.tariffs.units])[product]
    volume_out = _round_volume(declared, np.where(euro, UNITS.index("83"), tariff_unit), rng)
    tariff = plan.tariffs.table[product, np.maximum(a.provider[alloc], 0), month - plan.first_month]
    pgb = a.pgb[alloc]
    tariff = np.where(
        pgb,
        np.round(plan.tariffs.generic[product, years_of(start) - model.first_year] * PGB_FACTOR, 2),
        tariff,
    )
    amount = np.where(euro, np.round(declared / 100, 2), _cents(volume_out * np.nan_to_num(tariff)))
    volume_out = np.where(euro, np.round(amount * 100), volume_out)
    ok = amount > 0
    base = _Base(
        alloc=alloc[ok],
        linked=~pgb[ok],
        start=start[ok],
        end=end[ok],
        month=month[ok],
        product=product[ok],
        provider=np.where(pgb[ok], -1, a.provider[alloc[ok]]),
        volume=volume_out[ok],
        unit=np.where(euro[ok], UNITS.index("83"), tariff_unit[ok]),
        amount=amount[ok],
        tariff=np.nan_to_num(tariff[ok]),
        pgb=pgb[ok],
    )
    base = base.concat(_one_offs(plan, a, residents, rng))
    return _finish(plan, a, base, municipality_code, first_number, rng)


@dataclass(frozen=True)
class _Allocations:
    """The columns of a chunk's allocation table the declarations need, as numpy arrays."""

    table: pa.Table
    product: IntArray
    category: IntArray
    provider: IntArray  # -1 when unknown
    start: IntArray
    end: IntArray  # the range's last day when open
    end_known: BoolArray
    volume: FloatArray  # NaN without volume
    pgb: BoolArray
    deleted: BoolArray
    client: IntArray


def _read_allocations(model: AllocationModel, table: pa.Table) -> _Allocations:
    table = table.combine_chunks()
    codes = pa.array([product.code for product in model.catalogue])
    product = pc.index_in(table["product_code"], value_set=codes)
    category = pc.index_in(table["product_category"], value_set=pa.array([c.code for c in CATEGORIES]))
    category_np = _ints(category, -1)
    # categories without national product codes carry none: their one internal product
    unlisted = {
        int(model.product_category[p]): p for p, prod in enumerate(model.catalogue) if not prod.registered
    }
    fallback = np.array([unlisted.get(c, 0) for c in range(len(CATEGORIES))])
    product_np = _ints(product, -1)
    product_np = np.where(product_np < 0, fallback[np.maximum(category_np, 0)], product_np)
    provider = pc.index_in(table["provider_code"], value_set=pa.array([p.code for p in model.providers]))
    end = table["end_date"].cast(pa.int32())
    client = pc.dictionary_encode(table["client_id"]).combine_chunks().indices
    return _Allocations(
        table=table,
        product=product_np,
        category=model.product_category[product_np],
        provider=_ints(provider, -1),
        start=_ints(table["start_date"].cast(pa.int32()), 0),
        end=_ints(end, model.range_end),
        end_known=np.asarray(pc.is_valid(end).to_numpy(zero_copy_only=False), dtype=np.bool_),
        volume=np.asarray(pc.fill_null(table["volume"], np.nan).to_numpy(), dtype=np.float64),
        pgb=np.asarray(
            pc.equal(table["delivery_form"], "PGB").to_numpy(zero_copy_only=False), dtype=np.bool_
        ),
        deleted=np.asarray(
            pc.fill_null(pc.equal(table["change_reason"], "13"), False).to_numpy(zero_copy_only=False),
            dtype=np.bool_,
        ),
        client=np.asarray(client.to_numpy(zero_copy_only=False), dtype=np.int64),
    )


def _ints(array: pa.Array | pa.ChunkedArray, fill: int) -> IntArray:
    return np.asarray(pc.fill_null(array, fill).to_numpy(), dtype=np.int64)


@dataclass(frozen=True)
class _Base:
    """Debit lines before submission dates, rejections and credits are drawn."""

    alloc: IntArray  # row of the allocation table (the client comes from it)
    linked: BoolArray  # whether the line names its allocation
    start: IntArray
    end: IntArray
    month: IntArray
    product: IntArray
    provider: IntArray
    volume: FloatArray  # NaN: no volume
    unit: IntArray  # index into UNITS, 0 = none
    amount: FloatArray
    tariff: FloatArray  # 0: none (the amount is scaled directly)
    pgb: BoolArray

    def take(self, rows: IntArray) -> _Base:
        return _Base(*(getattr(self, name)[rows] for name in _BASE_FIELDS))

    def concat(self, other: _Base) -> _Base:
        return _Base(*(np.concatenate([getattr(self, name), getattr(other, name)]) for name in _BASE_FIELDS))


_BASE_FIELDS = (
    "alloc",
    "linked",
    "start",
    "end",
    "month",
    "product",
    "provider",
    "volume",
    "unit",
    "amount",
    "tariff",
    "pgb",
)


def _round_volume(volume: FloatArray, unit: IntArray, rng: np.random.Generator) -> FloatArray:
    """Minutes, etmalen, dagdelen and stuks in whole units (rounded at random so the mean stays), hours in
    quarters, euro cents unrounded (the amount is rounded instead)."""
    quarters = unit == UNITS.index("04")
    scale = np.where(quarters, 4.0, 1.0)
    scaled = volume * scale
    whole = np.floor(scaled + rng.random(volume.shape[0]))
    rounded = whole / scale
    return np.where(unit == UNITS.index("83"), volume, rounded)


def _one_offs(plan: DeclarationPlan, a: _Allocations, residents: int, rng: np.random.Generator) -> _Base:
    """Expensive woningaanpassingen without allocation, for clients who have a hulpmiddel."""
    model = plan.model
    years = model.last_year - model.first_year + 1
    count = int(rng.poisson(residents * years * ONE_OFFS_PER_INHABITANT_YEAR))
    codes = [product.code for product in model.catalogue]
    product = codes.index(ONE_OFF_PRODUCT)
    aids = np.flatnonzero(
        np.isin(a.category, [i for i, c in enumerate(CATEGORIES) if c.code in {"11", "12", "13"}])
        & ~a.deleted
    )
    if aids.shape[0] == 0:
        count = 0
        aids = np.zeros(1, dtype=np.int64)
    alloc = aids[rng.integers(0, aids.shape[0], size=count)]
    span = np.minimum(a.end[alloc], model.range_end) - a.start[alloc] + 1
    day = a.start[alloc] + np.floor(rng.random(count) * np.maximum(span, 1)).astype(np.int64)
    provider = choose(rng, model.provider_cumulative, np.full(count, product))
    amount = np.round(rng.uniform(*ONE_OFF_AMOUNT, size=count), 2)
    return _Base(
        alloc=alloc,
        linked=np.zeros(count, dtype=np.bool_),
        start=day,
        end=day,
        month=_month(day),
        product=np.full(count, product, dtype=np.int64),
        provider=provider,
        volume=np.full(count, np.nan),
        unit=np.zeros(count, dtype=np.int64),
        amount=amount,
        tariff=np.zeros(count),
        pgb=np.zeros(count, dtype=np.bool_),
    )


def _finish(
    plan: DeclarationPlan,
    a: _Allocations,
    base: _Base,
    municipality_code: str,
    first_number: int,
    rng: np.random.Generator,
) -> Lines:
    """Submission days, rejections, credits and re-declarations, numbers, and the Arrow table."""
    n = base.alloc.shape[0]
    submitted = _submission_days(plan, base, rng)
    decided = submitted + rng.integers(DECISION_DAYS[0], DECISION_DAYS[1] + 1, size=n)
    draw = rng.random(n)
    rejected = (draw < REJECTED_SHARE) & ~base.pgb
    credited = (draw >= REJECTED_SHARE) & (draw < REJECTED_SHARE + CREDITED_SHARE) & ~base.pgb
    again = np.flatnonzero(rejected & (rng.random(n) < REDECLARED_SHARE))
    credits = np.flatnonzero(credited)
    # a rejected line comes back a month or two after the rejection, under a new number
    again_submitted = decided[again] + rng.integers(20, 61, size=again.shape[0])
    # a credit (same number) and its re-declaration with another amount come one to six months later
    credit_submitted = decided[credits] + rng.integers(30, 181, size=credits.shape[0])
    corrected = base.take(credits)
    factor = rng.uniform(0.6, 1.1, size=credits.shape[0])
    has_tariff = corrected.tariff > 0
    new_volume = np.where(has_tariff, np.round(corrected.volume * factor, 2), corrected.volume)
    new_amount = np.where(
        has_tariff, _cents(new_volume * corrected.tariff), np.round(corrected.amount * factor, 2)
    )
    new_volume = np.where(corrected.unit == UNITS.index("83"), np.round(new_amount * 100), new_volume)
    corrected = _Base(
        **{
            **{name: getattr(corrected, name) for name in _BASE_FIELDS},
            "volume": new_volume,
            "amount": new_amount,
        }
    )
    ok = new_amount > 0
    lines = (
        base.concat(base.take(again)).concat(base.take(credits)).concat(corrected.take(np.flatnonzero(ok)))
    )
    kinds = np.concatenate(
        [np.zeros(n), np.ones(again.shape[0]), np.full(credits.shape[0], 2), np.full(int(ok.sum()), 3)]
    ).astype(np.int64)
    sub = np.concatenate([submitted, again_submitted, credit_submitted, credit_submitted[ok]])
    m = lines.alloc.shape[0]
    dec = np.where(
        kinds == 0,
        np.concatenate([decided, np.zeros(m - n, dtype=np.int64)]),
        sub + rng.integers(DECISION_DAYS[0], DECISION_DAYS[1] + 1, size=m),
    )
    is_rejected = np.concatenate([rejected, np.zeros(m - n, dtype=np.bool_)])
    is_credit = kinds == 2
    # numbers: in order of submission; a credit takes the number of the line it cancels
    order = np.lexsort((np.arange(m), sub))
    numbered = np.flatnonzero(~is_credit[order])
    number = np.zeros(m, dtype=np.int64)
    number[order[numbered]] = first_number + np.arange(numbered.shape[0])
    number[n + again.shape[0] : n + again.shape[0] + credits.shape[0]] = number[credits]
    lines = lines.take(order)
    sub, dec, is_rejected, is_credit, number = (
        sub[order],
        dec[order],
        is_rejected[order],
        is_credit[order],
        number[order],
    )
    table = _table(plan, a, lines, number, is_credit, sub, municipality_code)
    signed = np.where(is_credit, -lines.amount, lines.amount)
    return Lines(
        table=table,
        submitted=sub,
        decided=dec,
        rejected=is_rejected,
        signed=signed,
        year=years_of(lines.start),
        category=plan.model.product_category[lines.product],
        provider=lines.provider,
        law=plan.model.category_law[plan.model.product_category[lines.product]],
        client=a.client[lines.alloc],
        ids_used=int(numbered.shape[0]),
    )


def _submission_days(plan: DeclarationPlan, base: _Base, rng: np.random.Generator) -> IntArray:
    """DeclaratieDagtekening: a random day in the month ``lag`` months after the delivery month."""
    n = base.month.shape[0]
    shares = np.array([bucket[0] for bucket in LAG_BUCKETS])
    bucket = rng.choice(len(LAG_BUCKETS), size=n, p=shares / shares.sum())
    low = np.array([b[1] for b in LAG_BUCKETS])[bucket]
    high = np.array([b[2] for b in LAG_BUCKETS])[bucket]
    lag = low + np.floor(rng.random(n) * (high - low + 1)).astype(np.int64)
    slow = np.where(base.provider >= 0, plan.slow[np.maximum(base.provider, 0)], 0.02)
    lag += rng.random(n) < slow
    month = base.month + lag
    first = _month_start(month)
    day = first + np.floor(rng.random(n) * (_month_start(month + 1) - first)).astype(np.int64)
    # year-end catch-up: what would come after the first six weeks of the next year partly comes in them
    next_year = _NEXT_JANUARY[years_of(base.start) - _NEXT_JANUARY_FROM]
    late = day >= next_year + CATCH_UP_DAYS
    catch_up = late & (rng.random(n) < CATCH_UP_SHARE)
    earliest = np.maximum(next_year, base.end + 1)
    caught = earliest + np.floor(rng.random(n) * np.maximum(next_year + CATCH_UP_DAYS - earliest, 1)).astype(
        np.int64
    )
    return np.asarray(np.where(catch_up, caught, day), dtype=np.int64)


def _table(
    plan: DeclarationPlan,
    a: _Allocations,
    lines: _Base,
    number: IntArray,
    is_credit: BoolArray,
    submitted: IntArray,
    municipality_code: str,
) -> pa.Table:
    model = plan.model
    m = number.shape[0]
    prefix = text_columns(f"{municipality_code}D", m)
    category = model.product_category[lines.product]
    rows = pa.array(lines.alloc)
    allocation_id = a.table["allocation_id"].take(rows)
    allocation_id = pc.if_else(pa.array(lines.linked), allocation_id, pa.scalar(None, pa.string()))
    volume = lines.volume
    columns: dict[str, pa.Array | pa.ChunkedArray] = {
        "declaration_id": fixed_width_strings(np.hstack([prefix, digits(number, DECLARATION_DIGITS)])),
        "allocation_id": allocation_id,
        "client_id": a.table["client_id"].take(rows),
        "bsn": pa.nulls(m, pa.string()),
        "law": take_strings(list(LAW_CODES), model.category_law[category]),
        "product_category": take_strings([c.code for c in CATEGORIES], category),
        "product_code": take_strings(
            [p.code for p in model.catalogue], lines.product, model.product_registered[lines.product]
        ),
        "provider_code": take_strings(
            [p.code for p in model.providers], np.maximum(lines.provider, 0), lines.provider >= 0
        ),
        "period_start": _dates(lines.start),
        "period_end": _dates(lines.end),
        "volume": pa.array(volume, mask=np.isnan(volume), type=pa.float64()),
        "unit": take_strings(list(UNITS), lines.unit, lines.unit > 0),
        "amount": pa.array(lines.amount, type=pa.float64()),
        "debit_credit": take_strings(["D", "C"], is_credit.astype(np.int64)),
        "submitted_on": _dates(submitted),
        "delivery_form": take_strings(["ZIN", "PGB"], lines.pgb.astype(np.int64)),
    }
    names = [name for name in DECLARATION_COLUMNS if name != "status"]
    return pa.table([columns[name] for name in names], names=names)


def versions(lines: Lines, after: int | None, until: int | None) -> pa.Table:
    """What an export made on day ``until`` adds to one made on day ``after`` (None: no earlier export, or
    no later one): the lines submitted in between, with their status as known on ``until`` (``ingediend``
    until decided), and the lines decided in between whose earlier version said ``ingediend``."""
    low = np.iinfo(np.int64).min if after is None else after
    high = np.iinfo(np.int64).max if until is None else until
    new = (lines.submitted > low) & (lines.submitted <= high)
    decided = (lines.submitted <= low) & (lines.decided > low) & (lines.decided <= high)
    rows = np.flatnonzero(new | decided)
    status = np.where(lines.decided[rows] > high, 2, lines.rejected[rows].astype(np.int64))
    table = lines.table.take(pa.array(rows))
    column = take_strings(["toegekend", "afgewezen", "ingediend"], status)
    return table.add_column(DECLARATION_COLUMNS.index("status"), "status", column)


def add_costs(totals: CostTotals, plan: DeclarationPlan, lines: Lines, extraction: int) -> None:
    """Add a chunk's approved costs to the budget totals: per year and budget line (final), clients with
    costs, and per provider and law in the last year (final, and as known on the extraction day)."""
    first = plan.model.first_year
    approved = ~lines.rejected
    year = lines.year - first
    line = plan.budget_line[lines.category]
    np.add.at(totals.line_cost, (year[approved], line[approved]), lines.signed[approved])
    debit = approved & (lines.signed > 0)
    width = totals.line_cost.shape[1]
    cells = np.unique(
        (year[debit] * width + line[debit]) * (lines.client.max(initial=0) + 1) + lines.client[debit]
    )
    cell = cells // (lines.client.max(initial=0) + 1)
    np.add.at(totals.line_clients, (cell // width, cell % width), 1)
    last = approved & (lines.year == plan.model.last_year) & (lines.provider >= 0)
    np.add.at(totals.provider_cost, (lines.provider[last], lines.law[last]), lines.signed[last])
    known = last & (lines.decided <= extraction)
    np.add.at(totals.provider_known, (lines.provider[known], lines.law[known]), lines.signed[known])


def declaration_schema() -> pa.Schema:
    """Arrow schema of the declaration files: strings, ``date32`` for dates, float64 for volume and amount."""
    fields = []
    for name in DECLARATION_COLUMNS:
        if name in _DATE_COLUMNS:
            fields.append(pa.field(name, pa.date32()))
        elif name in _NUMBER_COLUMNS:
            fields.append(pa.field(name, pa.float64()))
        else:
            fields.append(pa.field(name, pa.string()))
    return pa.schema(fields)


def _cents(euros: FloatArray) -> FloatArray:
    """Euros rounded to cents, half a cent up (as TR346 rounds volume x tariff)."""
    return np.asarray(np.floor(euros * 100 + 0.5 + 1e-9) / 100, dtype=np.float64)


def _dates(days: IntArray) -> pa.Array:
    return pa.array(days.astype(np.int32), type=pa.int32()).cast(pa.date32())


def _month(days: IntArray) -> IntArray:
    """Months since January 1970 of each day number."""
    return np.asarray(days, dtype=np.int64).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)


def _month_start(months: IntArray) -> IntArray:
    """Day number of the first day of each month (months since January 1970)."""
    return np.asarray(months, dtype=np.int64).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
