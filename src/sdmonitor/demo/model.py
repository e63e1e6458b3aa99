"""Shared tables of the allocation generator: hazards, product and provider choice, product attributes.

Built once per run by ``build_model`` and used by every chunk. Also holds the code lists the generator
writes (units, frequencies, referrers) and how an allocation can end (``EndKind``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np

from sdmonitor.demo.arrays import BoolArray, FloatArray, IntArray, cumulative, jan_first
from sdmonitor.demo.catalogue import (
    AGE_BANDS,
    CATEGORIES,
    CATEGORY_INDEX,
    Product,
    age_curve,
    growth_factor,
)
from sdmonitor.demo.population import MAX_AGE
from sdmonitor.demo.providers import Provider, provider_choice_table

BURN_IN_YEARS = 8  # years simulated before the first year so that the stock on 1 January is settled

LAW_CODES = ("WMO", "JW")
UNITS = ("", "01", "04", "14", "16", "82", "83", "84")
FREQUENCIES = ("", "1", "2", "4", "6")
REFERRERS = ("01", "02", "03", "04", "05", "06", "08")
_REFERRER_WMO = (0.95, 0.025, 0, 0, 0.005, 0.02, 0)
_REFERRER_JEUGD = (0.42, 0.32, 0.06, 0.05, 0.08, 0.05, 0.02)
_REFERRER_BY_CATEGORY: dict[str, tuple[float, ...]] = {
    "46": (0.40, 0.10, 0.0, 0.30, 0.05, 0.0, 0.15),
    "47": (0.0, 0.0, 0.0, 0.50, 0.0, 0.0, 0.50),
    "48": (0.0, 0.0, 0.0, 0.55, 0.0, 0.0, 0.45),
    "49": (0.60, 0.0, 0.0, 0.40, 0.0, 0.0, 0.0),
    "51": (0.15, 0.65, 0.05, 0.0, 0.15, 0.0, 0.0),
    "52": (0.15, 0.55, 0.05, 0.0, 0.25, 0.0, 0.0),
    "53": (0.05, 0.25, 0.05, 0.0, 0.65, 0.0, 0.0),
    "54": (0.15, 0.55, 0.05, 0.0, 0.25, 0.0, 0.0),
}
_PARAMETERS = (
    "duration_median",
    "duration_sigma",
    "calendar",
    "renew",
    "validity",
    "change",
    "switch",
    "gap",
    "volume",
    "reentry",
    "one_day",
    "open_running",
    "never_closed",
    "pgb",
)


class EndKind(IntEnum):
    """How an allocation ends; decides its reden beëindiging and maybe a reden wijziging.

    The first five end a whole episode, the others end one allocation within an episode.
    """

    PLANNED = 0
    DEATH = 1
    MOVED = 2
    TO_WMO = 3
    AT_18 = 4
    RENEWAL = 5
    CHANGE = 6
    SWITCH = 7
    GAP = 8


@dataclass(frozen=True)
class AllocationModel:
    """Tables shared by all chunks: hazards, product and provider choice, product attributes.

    ``hazard`` has shape (sex, age, year, category) with year 0 = first year minus the burn-in.
    """

    first_year: int
    last_year: int
    catalogue: tuple[Product, ...]
    providers: tuple[Provider, ...]
    hazard_total: FloatArray
    hazard_cumulative: FloatArray
    product_cumulative: FloatArray
    alternative_cumulative: FloatArray
    provider_cumulative: FloatArray
    referrer_cumulative: FloatArray
    event_cumulative: FloatArray
    product_category: IntArray
    product_unit: IntArray
    product_frequency: IntArray
    product_volumes: FloatArray
    product_volume_count: IntArray
    product_successor: IntArray
    product_successor_days: IntArray
    product_registered: BoolArray
    category_law: IntArray
    category_params: dict[str, FloatArray]

    @property
    def range_start(self) -> int:
        """Day number of 1 January of the first year."""
        return jan_first(self.first_year)

    @property
    def range_end(self) -> int:
        """Day number of 31 December of the last year (the extraction date of the demo data)."""
        return jan_first(self.last_year + 1) - 1


def build_model(
    first_year: int, last_year: int, catalogue: tuple[Product, ...], providers: list[Provider]
) -> AllocationModel:
    """Precompute the tables that every chunk uses."""
    years = np.arange(first_year - BURN_IN_YEARS, last_year + 1)
    n_cat = len(CATEGORIES)
    hazard = np.zeros((2, MAX_AGE + 1, years.shape[0], n_cat))
    for c, category in enumerate(CATEGORIES):
        curve = age_curve(category.curve) * category.rate
        growth = np.array([growth_factor(category.growth, int(year)) for year in years])
        for sex, factor in ((0, category.male_factor), (1, 1.0)):
            hazard[sex, :, :, c] = factor * np.outer(curve, growth)
    product_weights = np.zeros((n_cat, len(AGE_BANDS), 2, len(catalogue)))
    alternative = np.zeros((len(catalogue), len(catalogue)))
    for p, product in enumerate(catalogue):
        c = CATEGORY_INDEX[product.category]
        for band, weight in enumerate(product.weights):
            product_weights[c, band, 0, p] = 0.0 if product.female_only else weight
            product_weights[c, band, 1, p] = weight
        for q, other in enumerate(catalogue):
            if product.successor:
                alternative[p, q] = 1.0 if other.code == product.successor else 0.0
            elif other.category == product.category and other.code != product.code:
                alternative[p, q] = sum(other.weights) * (0.0 if other.female_only else 1.0)
        if alternative[p].sum() == 0:
            alternative[p, p] = 1.0
    _fill_empty_product_rows(product_weights)
    referrer = np.zeros((n_cat, len(REFERRERS)))
    for c, category in enumerate(CATEGORIES):
        default = _REFERRER_WMO if category.law == "WMO" else _REFERRER_JEUGD
        referrer[c] = _REFERRER_BY_CATEGORY.get(category.code, default)
    max_volumes = max(len(product.volumes) for product in catalogue)
    volumes = np.zeros((len(catalogue), max(max_volumes, 1)))
    for p, product in enumerate(catalogue):
        volumes[p, : len(product.volumes)] = product.volumes
    codes = [product.code for product in catalogue]
    params = {
        name: np.array([float(getattr(category, name)) for category in CATEGORIES]) for name in _PARAMETERS
    }
    return AllocationModel(
        first_year=first_year,
        last_year=last_year,
        catalogue=catalogue,
        providers=tuple(providers),
        hazard_total=hazard.sum(axis=3),
        hazard_cumulative=cumulative(hazard),
        product_cumulative=cumulative(product_weights),
        alternative_cumulative=cumulative(alternative),
        provider_cumulative=provider_choice_table(providers, catalogue),
        referrer_cumulative=cumulative(referrer),
        event_cumulative=cumulative(
            np.stack([params[name] for name in ("change", "switch", "gap", "volume")], axis=1)
        ),
        product_category=np.array([CATEGORY_INDEX[p.category] for p in catalogue], dtype=np.int64),
        product_unit=np.array([UNITS.index(p.unit) for p in catalogue], dtype=np.int64),
        product_frequency=np.array([FREQUENCIES.index(p.frequency) for p in catalogue], dtype=np.int64),
        product_volumes=volumes,
        product_volume_count=np.array([len(p.volumes) for p in catalogue], dtype=np.int64),
        product_successor=np.array(
            [codes.index(p.successor) if p.successor else -1 for p in catalogue], dtype=np.int64
        ),
        product_successor_days=np.array([p.successor_after_days for p in catalogue], dtype=np.int64),
        product_registered=np.array([p.registered for p in catalogue], dtype=np.bool_),
        category_law=np.array([LAW_CODES.index(c.law) for c in CATEGORIES], dtype=np.int64),
        category_params=params,
    )


def _fill_empty_product_rows(weights: FloatArray) -> None:
    """Give every (category, age band, sex) a product: rare ages (an 85-year-old in opvang) fall back to
    the category's products over all ages, then to any of its products."""
    for c in range(weights.shape[0]):
        over_ages = weights[c].sum(axis=0)  # (sex, product)
        any_sex = over_ages.sum(axis=0)
        for band in range(weights.shape[1]):
            for sex in range(2):
                if weights[c, band, sex].sum() > 0:
                    continue
                fallback = over_ages[sex] if over_ages[sex].sum() > 0 else any_sex
                weights[c, band, sex] = fallback
