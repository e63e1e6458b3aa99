"""The demo municipality's money: its price index, tariffs per product and provider, and budgets.

``demo_index`` is a fictional yearly index series ``demo`` (2-7 %, higher in 2022-2023). ``build_tariffs``
sets a base tariff per product (euros per unit of its iWmo/iJw eenheid, first-year prices), a spread of
±8 % per provider and indexes it every year by the series; one provider changes its tariffs on 1 July of
the last year. ``build_budgets`` sets the budget lines from the costs the declarations generator made
(``CostTotals``): each line within a few percent of its cost, Jeugdzorg about 8 % overspent and Hulp bij het
huishouden about 6 % underspent in the last year, a budget change in September, and spending rooms
(bestedingsruimte) for three providers of which one has used more than 70 % at the extraction date. The
verblijf categories 15-18 have no budget line, so their costs are "niet begroot".
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np

from sdmonitor.demo.arrays import BoolArray, FloatArray, IntArray
from sdmonitor.demo.catalogue import CATEGORIES, Product
from sdmonitor.demo.providers import Provider

INDEX_SERIES = "demo"
TARIFF_HEADER = ("product_code", "provider_code", "unit", "tariff", "valid_from", "valid_to")
BUDGET_HEADER = (
    "year",
    "budget_line",
    "amount",
    "law",
    "product_categories",
    "provider_code",
    "version_date",
    "budgeted_clients",
    "budgeted_index",
)
INDEX_HEADER = ("series", "year", "percentage", "status")

# The fictional series: percentage change over the year before. Years outside the table get 2.5 %.
_INDEX = {
    2010: 1.9, 2011: 2.2, 2012: 2.4, 2013: 2.0, 2014: 1.8, 2015: 2.1, 2016: 2.0, 2017: 2.3, 2018: 2.6,
    2019: 3.1, 2020: 3.4, 2021: 2.9, 2022: 5.8, 2023: 6.9, 2024: 4.6, 2025: 3.9, 2026: 3.2,
}  # fmt: skip
PROVISIONAL_UNDERSHOOT = 0.6  # the voorlopig figure of a recent year was this much below the definitief one

PROVIDER_SPREAD = 0.08  # a provider's tariff differs from the reference tariff by at most this share
MID_YEAR_CHANGE = 0.04  # the change of one provider's tariffs on 1 July of the last year

# Base tariffs (first-year prices, euros per unit). Products without a unit are rented per month (stuks).
_BY_CODE: dict[str, float] = {
    "01A01": 25.0, "01A02": 27.0, "01M01": 0.42, "02A01": 48.0, "02A02": 53.0, "02A03": 60.0,
    "02D01": 55.0, "02L01": 54.0, "02G01": 0.95, "03A01": 50.0, "04A01": 125.0, "04D01": 135.0,
    "05A01": 950.0, "05A02": 600.0, "06A01": 45.0, "06A02": 38.0, "06A03": 36.0, "07A01": 38.0,
    "07A02": 55.0, "07D01": 50.0, "07L01": 45.0, "08A01": 14.0, "08B01": 30.0, "09A01": 20.0,
    "09A02": 26.0, "11A01": 35.0, "11A02": 120.0, "12A01": 80.0, "12A02": 40.0, "13A01": 6_500.0,
    "13A04": 1_200.0, "14A01": 60.0, "14A02": 25.0, "15A01": 150.0, "15A02": 60.0, "15L01": 160.0,
    "16A01": 90.0, "16A02": 110.0, "17A01": 210.0, "18A01": 55.0, "18A02": 45.0,
}  # fmt: skip
# Jeugdwet products by category and unit: hours, minutes, etmalen, dagdelen, and stuks (a month or a trajectory).
_BY_CATEGORY_UNIT: dict[tuple[str, str], float] = {
    ("40", "04"): 68.0, ("41", "16"): 75.0, ("42", "82"): 18.0, ("43", "14"): 260.0, ("44", "14"): 55.0,
    ("45", "01"): 1.25, ("46", "14"): 240.0, ("47", "04"): 95.0, ("48", "04"): 95.0, ("49", "04"): 90.0,
    ("40", "82"): 900.0, ("41", "82"): 1_500.0, ("43", "82"): 6_500.0, ("44", "82"): 1_600.0,
    ("45", "82"): 2_400.0, ("46", "82"): 3_000.0, ("47", "82"): 3_600.0, ("48", "82"): 1_250.0,
    ("49", "82"): 2_000.0, ("50", "82"): 800.0, ("51", "82"): 1_500.0, ("52", "82"): 4_200.0,
    ("53", "82"): 3_000.0, ("54", "82"): 3_500.0, ("55", "14"): 340.0, ("55", "82"): 9_000.0,
}  # fmt: skip
RENTAL_UNIT = "82"  # products without a unit (rented hulpmiddelen, a vervoerspas) are declared per month


def demo_index(year: int) -> float:
    """The ``demo`` series' percentage for a year (change over the year before)."""
    return _INDEX.get(year, 2.5)


def index_rows(first_year: int, last_year: int) -> list[tuple[str, int, float, str]]:
    """Rows of ``index.csv``: every year voorlopig (published in June of the year before) and definitief
    (published in June of the year after), except the last (voorlopig only). The last two years' voorlopig
    figures were lower than their definitief ones; for earlier years the voorlopig figure held."""
    rows: list[tuple[str, int, float, str]] = []
    for year in range(first_year, last_year + 1):
        final = demo_index(year)
        undershoot = PROVISIONAL_UNDERSHOOT if year >= last_year - 1 else 0.0
        rows.append((INDEX_SERIES, year, round(final - undershoot, 2), "voorlopig"))
        if year < last_year:
            rows.append((INDEX_SERIES, year, final, "definitief"))
    return rows


def price_factors(first_year: int, last_year: int) -> FloatArray:
    """Cumulative index factor per year relative to the first year (first year 1.0)."""
    factors = [1.0]
    for year in range(first_year + 1, last_year + 1):
        factors.append(factors[-1] * (1 + demo_index(year) / 100))
    return np.asarray(factors, dtype=np.float64)


def tariff_unit(product: Product) -> str:
    """The unit a product's tariff is in ('' for budget products in euros, which have no tariff)."""
    if product.unit == "83":
        return ""
    return product.unit or RENTAL_UNIT


def base_tariff(product: Product) -> float:
    """The product's reference tariff in first-year prices (0.0 for budget products in euros)."""
    unit = tariff_unit(product)
    if not unit:
        return 0.0
    if product.code in _BY_CODE:
        return _BY_CODE[product.code]
    key = (product.category, unit)
    if key not in _BY_CATEGORY_UNIT:
        raise ValueError(f"no demo tariff for product {product.code} in unit {unit}")
    return _BY_CATEGORY_UNIT[key]


@dataclass(frozen=True)
class Tariffs:
    """Tariffs per product, provider and month (euros per unit), as written to ``tarieven.csv``.

    ``table[product, provider, month]`` with month 0 = January of ``first_year``; the reference tariff
    (``generic``, provider_code empty in the file) for providers without a contract for the product; NaN for
    budget products (unit 83). ``contracted[product, provider]`` marks the provider's own tariffs.
    ``changed_provider`` changes its tariffs on 1 July of the last year.
    """

    first_year: int
    last_year: int
    units: tuple[str, ...]
    generic: FloatArray  # (product, year)
    own: FloatArray  # (product, provider, year): the provider's tariff from 1 January
    contracted: BoolArray
    changed_provider: int
    table: FloatArray = field(repr=False)


def build_tariffs(
    catalogue: tuple[Product, ...],
    providers: tuple[Provider, ...],
    provider_cumulative: FloatArray,
    first_year: int,
    last_year: int,
    rng: np.random.Generator,
) -> Tariffs:
    """Tariffs of every product for the providers that deliver it, indexed yearly by the ``demo`` series."""
    years = last_year - first_year + 1
    base = np.array([base_tariff(product) for product in catalogue])
    scale = np.array([10_000.0 if tariff_unit(product) == "01" else 100.0 for product in catalogue])
    factors = price_factors(first_year, last_year)
    generic = _rounded(base[:, None] * factors[None, :], scale[:, None])
    weights = np.diff(provider_cumulative, axis=1, prepend=0.0)
    contracted = weights > 0
    spread = 1 + rng.uniform(-PROVIDER_SPREAD, PROVIDER_SPREAD, size=contracted.shape)
    own = _rounded(base[:, None, None] * spread[:, :, None] * factors[None, None, :], scale[:, None, None])
    own = np.where(contracted[:, :, None], own, generic[:, None, :])
    hbh = [i for i, provider in enumerate(providers) if provider.role == "hbh"]
    changed = max(hbh or range(len(providers)), key=lambda i: providers[i].size)
    monthly = np.repeat(own, 12, axis=2)
    last_july = (years - 1) * 12 + 6
    monthly[:, changed, last_july:] = _rounded(
        monthly[:, changed, last_july:] * (1 + MID_YEAR_CHANGE), scale[:, None]
    )
    budget = base == 0
    monthly[budget] = np.nan
    return Tariffs(
        first_year,
        last_year,
        tuple(tariff_unit(product) for product in catalogue),
        generic,
        own,
        contracted,
        changed,
        monthly,
    )


def _rounded(euros: FloatArray, scale: FloatArray) -> FloatArray:
    """Tariffs in cents, per-minute tariffs in hundredths of a cent (scale 100 or 10,000)."""
    return np.asarray(np.round(euros * scale) / scale, dtype=np.float64)


def write_tariffs(
    path: Path, tariffs: Tariffs, catalogue: tuple[Product, ...], providers: tuple[Provider, ...]
) -> int:
    """Write ``tarieven.csv`` (canonical header): a reference row per product and year, and each contracted
    provider's own rows (two for the provider that changes on 1 July of the last year). Returns the rows."""
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(TARIFF_HEADER)
        for p, product in enumerate(catalogue):
            unit = tariffs.units[p]
            if not unit:
                continue
            for offset, year in enumerate(range(tariffs.first_year, tariffs.last_year + 1)):
                first, last = date(year, 1, 1).isoformat(), date(year, 12, 31).isoformat()
                writer.writerow([product.code, "", unit, _euros(tariffs.generic[p, offset]), first, last])
                rows += 1
                for q in np.flatnonzero(tariffs.contracted[p]):
                    code = providers[int(q)].code
                    if q == tariffs.changed_provider and year == tariffs.last_year:
                        july = date(year, 7, 1)
                        june = date(year, 6, 30)
                        writer.writerow(
                            [
                                product.code,
                                code,
                                unit,
                                _euros(tariffs.table[p, q, offset * 12]),
                                first,
                                june.isoformat(),
                            ]
                        )
                        writer.writerow(
                            [
                                product.code,
                                code,
                                unit,
                                _euros(tariffs.table[p, q, offset * 12 + 6]),
                                july.isoformat(),
                                last,
                            ]
                        )
                        rows += 2
                    else:
                        writer.writerow(
                            [product.code, code, unit, _euros(tariffs.own[p, q, offset]), first, last]
                        )
                        rows += 1
    return rows


def write_index(path: Path, first_year: int, last_year: int) -> int:
    """Write ``index.csv`` with the ``demo`` series; returns the rows."""
    rows = index_rows(first_year, last_year)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(INDEX_HEADER)
        for series, year, percentage, status in rows:
            writer.writerow([series, year, f"{percentage:.2f}", status])
    return len(rows)


def _euros(value: float) -> str:
    """A tariff with two decimals, or four for the per-minute tariffs."""
    text = f"{value:.4f}"
    return text[:-2] if text.endswith("00") else text


# --- budgets -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BudgetLine:
    """A line of the budget partition: its name, law and categories ('' = every category of the law)."""

    name: str
    law: str
    categories: tuple[str, ...]


BUDGET_LINES = (
    BudgetLine("Jeugdzorg", "JW", ()),
    BudgetLine("Wmo begeleiding", "WMO", ("02", "07", "09")),
    BudgetLine("Hulp bij het huishouden", "WMO", ("01",)),
    BudgetLine("Wmo overig", "WMO", ("03", "04", "05", "06", "08", "10", "11", "12", "13", "14")),
)
UNBUDGETED = -1  # the line index of costs under no line (verblijf en opvang, 15-18): "niet begroot"
OVERSPENT_LINE = "Jeugdzorg"  # cost / budget about 1.08 in the last year
UNDERSPENT_LINE = "Hulp bij het huishouden"  # cost / budget about 0.94 in the last year
CHANGED_LINE = "Wmo overig"  # raised by a begrotingswijziging in September of the last year
LAST_YEAR_RATIO = {OVERSPENT_LINE: 1.08, UNDERSPENT_LINE: 0.94}
SPENDING_ROOMS = 3
ROOM_USE_AT_EXTRACTION = (0.78, 0.62, 0.55)  # realised at the extraction date / spending room
ROOM_ALERT = 0.70  # Contractstandaard Wmo art. 1.5


def category_lines() -> IntArray:
    """The budget line of each product category (index into BUDGET_LINES), UNBUDGETED for 15-18."""
    lines = np.full(len(CATEGORIES), UNBUDGETED, dtype=np.int64)
    for c, category in enumerate(CATEGORIES):
        for i, line in enumerate(BUDGET_LINES):
            if line.law == category.law and (not line.categories or category.code in line.categories):
                lines[c] = i
    return lines


@dataclass
class CostTotals:
    """Costs the declarations generator made, summed over chunks (euros, credits negative, toegekend only).

    ``line_cost[year, line]`` is the final cost of each budget line (every declaration, also those that
    arrive after the extraction date); ``line_clients`` counts clients with costs; ``provider_cost`` and
    ``provider_known`` hold the cost per provider and law in the last year, finally and as known at the
    extraction date.
    """

    years: int
    providers: int
    line_cost: FloatArray = field(init=False)
    line_clients: IntArray = field(init=False)
    provider_cost: FloatArray = field(init=False)
    provider_known: FloatArray = field(init=False)

    def __post_init__(self) -> None:
        self.line_cost = np.zeros((self.years, len(BUDGET_LINES) + 1))
        self.line_clients = np.zeros((self.years, len(BUDGET_LINES) + 1), dtype=np.int64)
        self.provider_cost = np.zeros((self.providers, 2))
        self.provider_known = np.zeros((self.providers, 2))


@dataclass(frozen=True)
class Budget:
    """One row of ``begroting.csv``."""

    year: int
    line: str
    amount: float
    law: str
    categories: tuple[str, ...]
    provider_code: str
    version_date: date
    budgeted_clients: int | None
    budgeted_index: float | None


def build_budgets(
    totals: CostTotals, providers: tuple[Provider, ...], first_year: int, rng: np.random.Generator
) -> list[Budget]:
    """Budgets per line and year from the generated costs, a September change and three spending rooms."""
    budgets: list[Budget] = []
    last = totals.years - 1
    for offset in range(totals.years):
        year = first_year + offset
        for i, line in enumerate(BUDGET_LINES):
            cost = float(totals.line_cost[offset, i])
            ratio = 1 + float(rng.uniform(-0.02, 0.02))  # cost / budget: within 2 %
            if offset == last and line.name in LAST_YEAR_RATIO:
                ratio = LAST_YEAR_RATIO[line.name]
            amount = _thousands(cost / ratio)
            clients = round(float(totals.line_clients[offset, i]) * (1 + float(rng.uniform(-0.04, 0.02))))
            assumed = demo_index(year) - (PROVISIONAL_UNDERSHOOT if offset >= last - 1 else 0.0)
            adopted = finance_known_from(year)  # the begroting is adopted in November of the year before
            if line.name == CHANGED_LINE and offset == last:
                budgets.append(
                    Budget(
                        year,
                        line.name,
                        _thousands(amount * 0.95),
                        line.law,
                        line.categories,
                        "",
                        adopted,
                        clients,
                        round(assumed, 2),
                    )
                )
                adopted = date(year, 9, 19)  # begrotingswijziging in September
            budgets.append(
                Budget(
                    year,
                    line.name,
                    amount,
                    line.law,
                    line.categories,
                    "",
                    adopted,
                    clients,
                    round(assumed, 2),
                )
            )
    budgets.extend(_spending_rooms(totals, providers, first_year + last))
    return budgets


def _spending_rooms(totals: CostTotals, providers: tuple[Provider, ...], year: int) -> list[Budget]:
    """Bestedingsruimte of the three providers with the most costs in the last year, each for its main law:
    sized so that at the extraction date one has used about 78 % (over the 70 % alert) and two less."""
    main_law = np.argmax(totals.provider_cost, axis=1)
    cost = totals.provider_cost[np.arange(len(providers)), main_law]
    known = totals.provider_known[np.arange(len(providers)), main_law]
    chosen = np.argsort(-cost, kind="stable")[:SPENDING_ROOMS]
    rooms = []
    for q, use in zip(chosen, ROOM_USE_AT_EXTRACTION, strict=False):
        provider = providers[int(q)]
        law = ("WMO", "JW")[int(main_law[q])]
        amount = _thousands(float(known[q]) / use)
        rooms.append(
            Budget(
                year,
                f"Bestedingsruimte {provider.name}",
                amount,
                law,
                (),
                provider.code,
                date(year - 1, 12, 15),
                None,
                None,
            )
        )
    return rooms


def finance_known_from(year: int) -> date:
    """The day the begroting of ``year`` is adopted (10 November of the year before): its version date, and
    the extraction day of its load in ``financien/`` (see ``split_finance``)."""
    return date(year - 1, 11, 10)


def _thousands(value: float) -> float:
    """Budgets are set in whole thousands of euros."""
    return float(max(1000.0, round(value / 1000.0) * 1000.0))


def write_budgets(path: Path, budgets: list[Budget]) -> int:
    """Write ``begroting.csv`` (canonical header and the optional columns); returns the rows."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(BUDGET_HEADER)
        for b in budgets:
            writer.writerow(
                [
                    b.year,
                    b.line,
                    f"{b.amount:.2f}",
                    b.law,
                    ";".join(b.categories),
                    b.provider_code,
                    b.version_date.isoformat(),
                    "" if b.budgeted_clients is None else b.budgeted_clients,
                    "" if b.budgeted_index is None else f"{b.budgeted_index:.2f}",
                ]
            )
    return len(budgets)


# --- the loads: tariffs, index and budgets as the municipality received them over the years ------------------

FINANCE_DIR = "financien"
FINANCE_FILES = (("tariffs", "tarieven"), ("index", "index"), ("budgets", "begroting"))  # kind, file prefix


@dataclass(frozen=True)
class FinanceFile:
    """One load of tariffs, index figures or budgets: the rows the municipality had on ``extracted_on``."""

    kind: str  # 'tariffs', 'index' or 'budgets'
    path: Path
    extracted_on: date
    rows: int


def split_finance(folder: Path, tariffs: Path, index: Path, budgets: Path) -> tuple[FinanceFile, ...]:
    """Write the whole tariff, index and budget files as the loads a municipality made over the years, into
    ``folder`` (``tarieven-2014-12-01.csv`` and so on), in date order.

    Tariffs of year Y on 1 December Y-1; a mid-year change (a second period of the year) in a load of its own
    on the first of the month before it starts, which repeats the year's first period with its new end.
    Index figures: the voorlopig figure of Y on 1 June Y-1, the definitief one on 1 June Y+1. Budgets on
    their version date: the begroting of Y on 10 November Y-1, a begrotingswijziging on its own date.
    """
    folder.mkdir(parents=True, exist_ok=True)
    loads: dict[tuple[str, date], list[list[str]]] = {}
    headers: dict[str, list[str]] = {}
    for kind, path in (("tariffs", tariffs), ("index", index), ("budgets", budgets)):
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            headers[kind] = next(reader)
            rows = list(reader)
        for day, row in _dated_rows(kind, rows):
            loads.setdefault((kind, day), []).append(row)
    prefix = dict(FINANCE_FILES)
    order = [kind for kind, _ in FINANCE_FILES]
    files = []
    for (kind, day), rows in sorted(loads.items(), key=lambda item: (item[0][1], order.index(item[0][0]))):
        target = folder / f"{prefix[kind]}-{day.isoformat()}.csv"
        with target.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(headers[kind])
            writer.writerows(rows)
        files.append(FinanceFile(kind, target, day, len(rows)))
    return tuple(files)


def _dated_rows(kind: str, rows: list[list[str]]) -> list[tuple[date, list[str]]]:
    """The rows of a whole file with the day each became known (a row may be known twice, see split_finance)."""
    if kind == "budgets":
        version = BUDGET_HEADER.index("version_date")
        return [(date.fromisoformat(row[version]), row) for row in rows]
    if kind == "index":
        year, status = INDEX_HEADER.index("year"), INDEX_HEADER.index("status")
        return [(date(int(row[year]) + (-1 if row[status] == "voorlopig" else 1), 6, 1), row) for row in rows]
    start, end = TARIFF_HEADER.index("valid_from"), TARIFF_HEADER.index("valid_to")
    scope = TARIFF_HEADER.index(
        "tariff"
    )  # product, provider and unit: the periods of a year follow each other
    periods: dict[tuple[str, ...], list[list[str]]] = {}
    for row in rows:
        periods.setdefault((*row[:scope], row[start][:4]), []).append(row)
    dated = []
    for group in periods.values():
        group.sort(key=lambda row: row[start])
        first = date.fromisoformat(group[0][start])
        whole_year = [*group[0][:end], date(first.year, 12, 31).isoformat(), *group[0][end + 1 :]]
        dated.append((date(first.year - 1, 12, 1), whole_year))
        for i, later in enumerate(group[1:], start=2):
            change = date.fromisoformat(later[start])
            notice = (
                date(change.year, change.month - 1, 1) if change.month > 1 else date(change.year - 1, 12, 1)
            )
            dated.extend((notice, row) for row in group[:i])
    return dated
