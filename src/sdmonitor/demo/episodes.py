"""Support episodes of one chunk of residents: who needs what, from when to when.

An *episode* is a continuous need for support in one product category. Episodes start at random with a
yearly hazard that depends on age, sex, year (national growth) and a personal frailty, so that needs
cluster: the same people stack products and come back. Some products come with others (transport to
dagbesteding), Jeugdwet support stops at 18 or 23 and sometimes continues under the Wmo, a share of
clients returns a year or more later, and support ends on the day a resident dies or moves away.
Support that started before the first year is registered from 1 January of the first year, as happened
with the transition to the Wmo 2015 and the Jeugdwet. Dates are day numbers; end dates are inclusive.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sdmonitor.demo.arrays import (
    BoolArray,
    FloatArray,
    IntArray,
    add_years,
    age_on,
    choose,
    first_of_month,
    jan_first,
    lognormal_days,
    repeat_index,
)
from sdmonitor.demo.catalogue import AGE_BANDS, CATEGORY_INDEX
from sdmonitor.demo.model import BURN_IN_YEARS, AllocationModel, EndKind
from sdmonitor.demo.population import MAX_AGE, Residents

FRAILTY_SHAPE = 0.35  # gamma shape of the personal need factor (mean 1; smaller = more clustering)
FIRST_OF_MONTH_SHARE = 0.3  # share of starts moved to the first day of the month
# (category, companion product, chance, length in days or () for the whole episode)
_COMPANIONS: tuple[tuple[str, str, float, tuple[int, int] | tuple[()]], ...] = (
    ("07", "08A01", 0.30, ()),
    ("41", "42A03", 0.40, ()),
    ("45", "45A06", 0.25, (30, 90)),
    ("45", "45A05", 0.15, ()),
    ("01", "08B01", 0.15, ()),
    ("02", "07A01", 0.15, ()),
    ("44", "45A04", 0.30, ()),
    ("48", "45A04", 0.40, ()),
    ("43", "42A03", 0.20, ()),
)
# Jeugdwet support running over the 18th birthday: ends with a Wmo follow-up, ends, or continues
# (verlengde jeugdhulp, at most until the day before the 23rd birthday).
TO_WMO_AT_18 = 0.30
ENDS_AT_18 = 0.35
_TO_WMO_PRODUCTS = (("02L01", 0.35), ("02A02", 0.25), ("02G01", 0.15), ("07L01", 0.15), ("15A02", 0.10))
_CONTINUES_AT_18 = {"40", "41", "43", "44", "45", "50", "55"}


@dataclass
class Episodes:
    """Column arrays of support episodes of one chunk (mutable while the chunk is built).

    ``resident`` indexes the chunk's residents, ``product`` the model's catalogue; ``end_kind`` says why
    the episode ends and ``transition`` that it started before the first year.
    """

    resident: IntArray
    category: IntArray
    product: IntArray
    start: IntArray
    end: IntArray
    end_kind: IntArray
    transition: BoolArray

    def select(self, keep: BoolArray | IntArray) -> Episodes:
        """The episodes at the given positions (or where ``keep`` is True), as a copy."""
        return Episodes(
            self.resident[keep],
            self.category[keep],
            self.product[keep],
            self.start[keep],
            self.end[keep],
            self.end_kind[keep],
            self.transition[keep],
        )

    @staticmethod
    def concat(parts: list[Episodes]) -> Episodes:
        """All episodes of the parts, in order."""
        return Episodes(
            *(np.concatenate([getattr(part, name) for part in parts]) for name in _EPISODE_FIELDS)
        )


_EPISODE_FIELDS = ("resident", "category", "product", "start", "end", "end_kind", "transition")


def draw_episodes(model: AllocationModel, residents: Residents, rng: np.random.Generator) -> Episodes:
    """All support episodes of a chunk that overlap the range, each as one record."""
    frailty = rng.gamma(FRAILTY_SHAPE, 1.0 / FRAILTY_SHAPE, size=residents.size)
    episodes = _start_episodes(model, residents, frailty, rng)
    episodes = _add_companions(model, episodes, rng)
    episodes = _apply_jeugd_ages(model, residents, episodes, rng)
    episodes = _add_reentries(model, residents, episodes, rng)
    episodes = _apply_departures(residents, episodes)
    return _clip_to_range(model, episodes)


def _start_episodes(
    model: AllocationModel, residents: Residents, frailty: FloatArray, rng: np.random.Generator
) -> Episodes:
    first = model.first_year - BURN_IN_YEARS
    parts: list[Episodes] = []
    for offset in range(model.last_year - first + 1):
        year_start = jan_first(first + offset)
        year_end = jan_first(first + offset + 1) - 1
        low = np.maximum(residents.enter, year_start)
        high = np.minimum(residents.leave, year_end)
        present = np.flatnonzero(high >= low)
        exposure = (high[present] - low[present] + 1) / (year_end - year_start + 1)
        sex = residents.sex[present] - 1
        age = np.clip(age_on(residents.birth[present], year_start), 0, MAX_AGE)
        expected = frailty[present] * model.hazard_total[sex, age, offset] * exposure
        counts = rng.poisson(expected)
        who = repeat_index(counts)
        resident = present[who]
        span = high[resident] - low[resident] + 1
        start = low[resident] + np.floor(rng.random(who.shape[0]) * span).astype(np.int64)
        snapped = first_of_month(start)
        use_first = (rng.random(who.shape[0]) < FIRST_OF_MONTH_SHARE) & (snapped >= low[resident])
        start = np.where(use_first, snapped, start)
        size = who.shape[0]
        category = choose(rng, model.hazard_cumulative, sex[who], age[who], np.full(size, offset))
        parts.append(
            Episodes(
                resident,
                category,
                np.zeros(size, dtype=np.int64),
                start,
                start,
                np.zeros(size, dtype=np.int64),
                np.zeros(size, dtype=np.bool_),
            )
        )
    episodes = Episodes.concat(parts)
    episodes.product = _choose_products(model, residents, episodes, rng)
    episodes.end = episodes.start + _durations(model, episodes.category, rng) - 1
    return episodes


def _choose_products(
    model: AllocationModel, residents: Residents, episodes: Episodes, rng: np.random.Generator
) -> IntArray:
    age = age_on(residents.birth[episodes.resident], episodes.start)
    band = np.searchsorted(np.asarray(AGE_BANDS), age, side="right") - 1
    sex = residents.sex[episodes.resident] - 1
    return choose(rng, model.product_cumulative, episodes.category, band, sex)


def _durations(model: AllocationModel, category: IntArray, rng: np.random.Generator) -> IntArray:
    params = model.category_params
    days = lognormal_days(rng, params["duration_median"][category], params["duration_sigma"][category])
    one_day = rng.random(category.shape[0]) < params["one_day"][category]
    return np.where(one_day, 1, days).astype(np.int64)


def _add_companions(model: AllocationModel, episodes: Episodes, rng: np.random.Generator) -> Episodes:
    """Products that come with others: transport to dagbesteding or dagbehandeling, diagnostics at the
    start of ambulant youth care (overlapping allocations of one client)."""
    codes = [product.code for product in model.catalogue]
    extras: list[Episodes] = [episodes]
    for category, product_code, chance, days in _COMPANIONS:
        product = codes.index(product_code)
        chosen = np.flatnonzero(
            (episodes.category == CATEGORY_INDEX[category])
            & (episodes.product != product)
            & (rng.random(episodes.category.shape[0]) < chance)
        )
        extra = episodes.select(chosen)
        extra.product = np.full(chosen.shape[0], product, dtype=np.int64)
        extra.category = model.product_category[extra.product]
        extra.start = np.minimum(extra.start + rng.integers(0, 15, size=chosen.shape[0]), extra.end)
        if days:
            length = rng.integers(days[0], days[1] + 1, size=chosen.shape[0])
            extra.end = np.minimum(extra.end, extra.start + length - 1)
        extras.append(extra)
    return Episodes.concat(extras)


def _apply_jeugd_ages(
    model: AllocationModel, residents: Residents, episodes: Episodes, rng: np.random.Generator
) -> Episodes:
    """Jeugdwet support ends before the 23rd birthday; at 18 it ends, moves to the Wmo or continues."""
    birth = residents.birth[episodes.resident]
    eighteen = add_years(birth, 18)
    twenty_three = add_years(birth, 23)
    is_jeugd = model.category_law[episodes.category] == 1
    keep = ~is_jeugd | (episodes.start < twenty_three)
    episodes.end = np.where(is_jeugd, np.minimum(episodes.end, twenty_three - 1), episodes.end)
    codes = [product.code for product in model.catalogue]
    continuing = np.isin(episodes.category, [CATEGORY_INDEX[c] for c in _CONTINUES_AT_18])
    crosses = is_jeugd & (episodes.start < eighteen) & (episodes.end >= eighteen)
    draw = rng.random(episodes.start.shape[0])
    protection = episodes.category == CATEGORY_INDEX["48"]
    to_wmo = crosses & continuing & (draw < TO_WMO_AT_18)
    ends = crosses & ((continuing & (draw < TO_WMO_AT_18 + ENDS_AT_18)) | ~continuing) & ~to_wmo
    ends |= crosses & protection
    stop = to_wmo | ends
    episodes.end = np.where(stop, eighteen - 1, episodes.end)
    stop_kind = np.where(to_wmo, EndKind.TO_WMO, EndKind.AT_18)
    episodes.end_kind = np.where(stop, stop_kind, episodes.end_kind).astype(np.int64)
    # one Wmo follow-up per young adult, even when several Jeugdwet episodes end at 18
    candidates = np.flatnonzero(to_wmo & keep)
    _, first = np.unique(episodes.resident[candidates], return_index=True)
    follow = candidates[np.sort(first)]
    new = episodes.select(follow)
    weights = np.array([weight for _, weight in _TO_WMO_PRODUCTS])
    picks = rng.choice(len(weights), size=follow.shape[0], p=weights / weights.sum())
    targets = [codes.index(code) for code, _ in _TO_WMO_PRODUCTS]
    new.product = np.array(targets, dtype=np.int64)[picks]
    new.category = model.product_category[new.product]
    new.start = eighteen[follow] + rng.integers(-14, 46, size=follow.shape[0])
    new.end = new.start + _durations(model, new.category, rng) - 1
    new.end_kind = np.zeros(follow.shape[0], dtype=np.int64)
    return Episodes.concat([episodes.select(keep), new])


def _add_reentries(
    model: AllocationModel, residents: Residents, episodes: Episodes, rng: np.random.Generator
) -> Episodes:
    """A share of ended episodes comes back in the same category a year or more later."""
    chance = model.category_params["reentry"][episodes.category]
    ended_plain = (episodes.end_kind == EndKind.PLANNED) & (episodes.end < model.range_end)
    chosen = np.flatnonzero(ended_plain & (rng.random(chance.shape[0]) < chance))
    again = episodes.select(chosen)
    again.start = again.end + 365 + rng.integers(0, 540, size=chosen.shape[0])
    redraw = rng.random(chosen.shape[0]) < 0.3
    again.product = np.where(redraw, _choose_products(model, residents, again, rng), again.product)
    again.end = again.start + _durations(model, again.category, rng) - 1
    eighteen = add_years(residents.birth[again.resident], 18)
    is_jeugd = model.category_law[again.category] == 1
    again = again.select(~is_jeugd | (again.start < eighteen))
    again.end = np.where(
        model.category_law[again.category] == 1,
        np.minimum(again.end, add_years(residents.birth[again.resident], 18) - 1),
        again.end,
    )
    return Episodes.concat([episodes, again])


def _apply_departures(residents: Residents, episodes: Episodes) -> Episodes:
    """Support ends on the day a resident dies or moves away; nothing starts after it."""
    leave = residents.leave[episodes.resident]
    episodes = episodes.select(episodes.start <= leave)
    leave = residents.leave[episodes.resident]
    cut = episodes.end > leave
    died = residents.died[episodes.resident]
    episodes.end = np.where(cut, leave, episodes.end)
    departed = np.where(died, EndKind.DEATH, EndKind.MOVED)
    episodes.end_kind = np.where(cut, departed, episodes.end_kind).astype(np.int64)
    return episodes


def _clip_to_range(model: AllocationModel, episodes: Episodes) -> Episodes:
    """Keep episodes that overlap the range; earlier starts are registered from 1 January."""
    keep = (episodes.end >= model.range_start) & (episodes.start <= model.range_end)
    episodes = episodes.select(keep)
    episodes.transition = episodes.start < model.range_start
    episodes.start = np.maximum(episodes.start, model.range_start)
    return episodes
