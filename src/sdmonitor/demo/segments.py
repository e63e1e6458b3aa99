"""Cut support episodes into allocations, the way a municipal register holds them.

Within an episode, events happen at random (a yearly rate per category): a product change (the new
product sometimes starts before the old one ends), a provider switch, an interruption of days to months,
or a new volume (a reassessment). Long episodes are also re-allocated: renewed on 1 January after ending
on 31 December, or after each validity period. A renewal keeps client, product, provider and volume; it
is what inflates a naive count of inflow and outflow. All cuts are vectorised over the chunk.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np

from sdmonitor.demo.arrays import (
    BoolArray,
    FloatArray,
    IntArray,
    choose,
    jan_first,
    rank_within,
    repeat_index,
    years_of,
)
from sdmonitor.demo.catalogue import RENEW_AFTER_VALIDITY
from sdmonitor.demo.episodes import Episodes
from sdmonitor.demo.model import AllocationModel, EndKind

OVERLAP_SHARE = 0.3  # product changes where the new product starts before the old one ends
MIN_SPACING = 14  # days an allocation lasts at least between two cuts of an episode
EVENT_MARGIN = 30  # events happen at least this many days after the start and before the end
RENEWAL_CLEARANCE = 45  # renewals are dropped this close to an event


class Cut(IntEnum):
    """Why an allocation ends and the next one of the same episode starts."""

    YEAR_END = 0
    CHANGE = 1
    SWITCH = 2
    GAP = 3
    VOLUME = 4
    VALIDITY = 5


_EVENTS = (Cut.CHANGE, Cut.SWITCH, Cut.GAP, Cut.VOLUME)
_END_OF_CUT = np.array(
    [EndKind.RENEWAL, EndKind.CHANGE, EndKind.SWITCH, EndKind.GAP, EndKind.CHANGE, EndKind.RENEWAL]
)


@dataclass(frozen=True)
class Segments:
    """Allocations cut from episodes: their episode, rank within it, dates, product, provider, volume.

    ``end`` is the last day (inclusive) and may lie after the range for the last allocation of a running
    episode; ``renewal`` marks allocations that continue the previous one unchanged, ``after_change``
    those that follow a product, provider or volume change.
    """

    episode: IntArray
    rank: IntArray
    start: IntArray
    end: IntArray
    product: IntArray
    provider: IntArray
    volume: FloatArray
    end_kind: IntArray
    renewal: BoolArray
    after_change: BoolArray


@dataclass(frozen=True)
class _Cuts:
    """Cuts of the episodes, sorted by episode and day: last day before the cut, next start, kind."""

    episode: IntArray
    day: IntArray
    next_start: IntArray
    kind: IntArray

    def select(self, keep: BoolArray) -> _Cuts:
        return _Cuts(self.episode[keep], self.day[keep], self.next_start[keep], self.kind[keep])


def cut_episodes(model: AllocationModel, episodes: Episodes, rng: np.random.Generator) -> Segments:
    """All allocations of the episodes, in episode order."""
    n = episodes.start.shape[0]
    horizon = np.minimum(episodes.end, model.range_end)
    events = _events(model, episodes, horizon, rng)
    renewals = _renewals(model, episodes, horizon, rng)
    renewals = renewals.select(~_near(renewals, events))
    cuts = _sorted(
        _Cuts(
            np.concatenate([events.episode, renewals.episode]),
            np.concatenate([events.day, renewals.day]),
            np.concatenate([events.next_start, renewals.next_start]),
            np.concatenate([events.kind, renewals.kind]),
        )
    )
    cuts = _spaced(cuts)
    per_episode = np.bincount(cuts.episode, minlength=n)
    offset = np.concatenate([[0], np.cumsum(per_episode)[:-1]])
    n_cuts = cuts.episode.shape[0]
    # a dummy cut at the end so that the gathers below never index an empty array
    day, next_start = np.append(cuts.day, 0), np.append(cuts.next_start, 0)
    kind = np.append(cuts.kind, -1)
    seg_episode = repeat_index(per_episode + 1)
    rank = rank_within(seg_episode)
    last = rank == per_episode[seg_episode]
    before = np.where(rank == 0, n_cuts, offset[seg_episode] + rank - 1)
    after = np.where(last, n_cuts, offset[seg_episode] + rank)
    kind_before = kind[before]
    start = np.where(rank == 0, episodes.start[seg_episode], next_start[before])
    end = np.where(last, episodes.end[seg_episode], day[after])
    end_kind = np.where(last, episodes.end_kind[seg_episode], _END_OF_CUT[np.maximum(kind[after], 0)])
    product, provider, volume = _attributes(model, episodes, seg_episode, rank, kind_before, rng)
    renewal = np.isin(kind_before, [Cut.YEAR_END, Cut.VALIDITY])
    after_change = np.isin(kind_before, [Cut.CHANGE, Cut.SWITCH, Cut.VOLUME])
    return Segments(
        seg_episode,
        rank,
        start,
        end,
        product,
        provider,
        volume,
        end_kind.astype(np.int64),
        renewal,
        after_change,
    )


def _events(model: AllocationModel, episodes: Episodes, horizon: IntArray, rng: np.random.Generator) -> _Cuts:
    """Random events within episodes plus forced product changes (OTS jaar 1 -> jaar 2 after a year)."""
    params = model.category_params
    cat = episodes.category
    rates = np.stack([params[name][cat] for name in ("change", "switch", "gap", "volume")], axis=1)
    room = np.maximum(horizon - episodes.start + 1 - 2 * EVENT_MARGIN, 0)
    counts = rng.poisson(rates.sum(axis=1) * room / 365.25)
    episode = repeat_index(counts)
    day = episodes.start[episode] + EVENT_MARGIN + np.floor(rng.random(episode.shape[0]) * room[episode])
    kind = np.array(_EVENTS)[choose(rng, model.event_cumulative, cat[episode])]
    forced_days = model.product_successor_days[episodes.product]
    forced = np.flatnonzero((forced_days > 0) & (forced_days <= horizon - episodes.start + 1 - MIN_SPACING))
    episode = np.concatenate([episode, forced])
    day = np.concatenate([day.astype(np.int64), episodes.start[forced] + forced_days[forced] - 1])
    kind = np.concatenate([kind, np.full(forced.shape[0], Cut.CHANGE)])
    size = episode.shape[0]
    is_forced = np.arange(size) >= size - forced.shape[0]
    overlap = np.where(
        (kind == Cut.CHANGE) & ~is_forced & (rng.random(size) < OVERLAP_SHARE),
        rng.integers(1, 31, size=size),
        0,
    )
    gap = np.where(kind == Cut.GAP, rng.integers(7, 121, size=size), 0)
    next_start = day + 1 - overlap + gap
    keep = next_start <= horizon[episode] - MIN_SPACING
    return _Cuts(episode[keep], day[keep], next_start[keep], kind[keep].astype(np.int64))


def _renewals(
    model: AllocationModel, episodes: Episodes, horizon: IntArray, rng: np.random.Generator
) -> _Cuts:
    """Renewal cuts: on 31 December (calendar episodes) or at the end of each validity period.

    Episodes running at the start of the range are mostly renewed at the first year end: transition
    allocations ran for one year.
    """
    params = model.category_params
    cat = episodes.category
    calendar = rng.random(cat.shape[0]) < params["calendar"][cat]
    calendar |= episodes.transition & (params["renew"][cat] > 0)
    boundaries = np.where(calendar, years_of(horizon) - years_of(episodes.start), 0)
    y_episode = repeat_index(boundaries)
    y_year = years_of(episodes.start)[y_episode] + rank_within(y_episode)
    year_ends = np.array([jan_first(year + 1) - 1 for year in range(model.first_year, model.last_year + 1)])
    y_day = year_ends[y_year - model.first_year]
    renew = params["renew"][cat][y_episode]
    first_boundary = episodes.transition[y_episode] & (y_year == model.first_year)
    renew = np.where(first_boundary & (renew > 0), np.maximum(renew, 0.7), renew)
    y_keep = rng.random(y_episode.shape[0]) < renew
    validity = params["validity"][cat].astype(np.int64)
    periods = np.where(~calendar & (validity > 0), (horizon - episodes.start) // np.maximum(validity, 1), 0)
    v_episode = repeat_index(periods)
    v_day = episodes.start[v_episode] + (rank_within(v_episode) + 1) * validity[v_episode] - 1
    v_keep = rng.random(v_episode.shape[0]) < RENEW_AFTER_VALIDITY
    episode = np.concatenate([y_episode[y_keep], v_episode[v_keep]])
    day = np.concatenate([y_day[y_keep], v_day[v_keep]])
    kind = np.concatenate(
        [
            np.full(np.count_nonzero(y_keep), Cut.YEAR_END),
            np.full(np.count_nonzero(v_keep), Cut.VALIDITY),
        ]
    )
    return _Cuts(episode, day, day + 1, kind.astype(np.int64))


def _sorted(cuts: _Cuts) -> _Cuts:
    order = np.lexsort((cuts.kind, cuts.day, cuts.episode))
    return _Cuts(cuts.episode[order], cuts.day[order], cuts.next_start[order], cuts.kind[order])


def _near(renewals: _Cuts, events: _Cuts) -> BoolArray:
    """Renewals within RENEWAL_CLEARANCE days of an event of the same episode (or inside its gap)."""
    if events.episode.shape[0] == 0 or renewals.episode.shape[0] == 0:
        return np.zeros(renewals.episode.shape[0], dtype=np.bool_)
    events = _sorted(events)
    scale = np.int64(1) << 32
    event_keys = events.episode * scale + events.day
    keys = renewals.episode * scale + renewals.day
    position = np.searchsorted(event_keys, keys)
    left = np.clip(position - 1, 0, event_keys.shape[0] - 1)
    right = np.clip(position, 0, event_keys.shape[0] - 1)
    near_left = (
        (events.episode[left] == renewals.episode)
        & (renewals.day <= np.maximum(events.day[left], events.next_start[left]) + RENEWAL_CLEARANCE)
        & (position > 0)
    )
    near_right = (events.episode[right] == renewals.episode) & (
        renewals.day >= events.day[right] - RENEWAL_CLEARANCE
    )
    return np.asarray(near_left | near_right, dtype=np.bool_)


def _spaced(cuts: _Cuts) -> _Cuts:
    """Drop cuts that come less than MIN_SPACING days after the previous cut's next start."""
    while cuts.episode.shape[0] > 1:
        same = np.r_[False, cuts.episode[1:] == cuts.episode[:-1]]
        previous_next = np.r_[0, cuts.next_start[:-1]]
        too_close = same & (cuts.day < previous_next + MIN_SPACING)
        if not too_close.any():
            break
        cuts = cuts.select(~too_close)
    return cuts


def _attributes(
    model: AllocationModel,
    episodes: Episodes,
    seg_episode: IntArray,
    rank: IntArray,
    kind_before: IntArray,
    rng: np.random.Generator,
) -> tuple[IntArray, IntArray, FloatArray]:
    """Product, provider and volume per allocation.

    Each product change toggles between the episode's product and its alternative (02A01 licht <->
    02A02 middel), each switch between two providers of the product; the volume is drawn anew after a
    product or volume change and kept over renewals.
    """
    base = episodes.product
    alternative = np.where(
        model.product_successor[base] >= 0,
        model.product_successor[base],
        choose(rng, model.alternative_cumulative, base),
    )
    providers = np.stack(
        [choose(rng, model.provider_cumulative, p) for p in (base, base, alternative, alternative)],
        axis=1,
    )
    changes = _count_within(kind_before == Cut.CHANGE, rank)
    switches = _count_within(kind_before == Cut.SWITCH, rank)
    use_alternative = changes % 2 == 1
    product = np.where(use_alternative, alternative[seg_episode], base[seg_episode])
    choice = use_alternative.astype(np.int64) * 2 + switches % 2
    provider = providers[seg_episode, choice]
    new_volume = (rank == 0) | np.isin(kind_before, [Cut.CHANGE, Cut.VOLUME])
    source = np.maximum.accumulate(np.where(new_volume, np.arange(rank.shape[0]), 0))
    draw = np.asarray(rng.random(rank.shape[0]))[source]
    count = model.product_volume_count[product]
    pick = np.floor(draw * np.maximum(count, 1)).astype(np.int64)
    volume = np.where(count > 0, model.product_volumes[product, pick], np.nan)
    return product.astype(np.int64), provider.astype(np.int64), volume


def _count_within(flags: BoolArray, rank: IntArray) -> IntArray:
    """Running count of flags within each episode's run of allocations (rank 0 starts a run)."""
    total = np.cumsum(flags.astype(np.int64))
    at_start = np.maximum.accumulate(np.where(rank == 0, total - flags, 0))
    return np.asarray(total - at_start, dtype=np.int64)
