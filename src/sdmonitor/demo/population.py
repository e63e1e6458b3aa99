"""Fictional residents: a Dutch-like age pyramid that ages year by year with births, deaths and migration.

Residents are simulated per chunk (a block of the municipality's residents) with numpy, so a chunk of
200,000 people takes a fraction of a second and the whole Netherlands can be generated chunk by chunk.
Population counts are taken on 1 January of each year (the CBS *peildatum* for the population), with the
age in completed years on that day; age 100 stands for 100 and older.
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
    add_years,
    age_on,
    choose,
    cumulative,
    digits,
    fixed_width_strings,
    jan_first,
)
from sdmonitor.demo.geography import Municipality

MAX_AGE = 100
AGES = MAX_AGE + 1
FAR_FUTURE = 2**40  # day number used as "has not left"

# Residents per 5-year age band (thousands), the Netherlands on 1 January 2015, approximately (after
# CBS StatLine, Bevolking; leeftijd). Only the shape is used.
_BAND_THOUSANDS = (
    885, 960, 985, 1030, 1050, 1040, 1010, 1040, 1220, 1300,
    1250, 1130, 1050, 1000, 740, 560, 400, 230, 90, 20,
)  # fmt: skip
BIRTH_RATE = 0.0102  # births per resident per year (CBS: about 170,000 a year on 16.9 million)
NET_GROWTH = 0.006  # net population growth per year, roughly the national 2015-2024 trend
_PC6_LETTERS = tuple(
    a + b for a in "ABCDEFGHJKLMNPRSTVWXZ" for b in "ABCDEFGHJKLMNPRSTVWXZ" if a + b not in {"SA", "SD", "SS"}
)
PC4_ONLY_SHARE = 0.03  # residents whose registration holds only the PC4


def age_weights() -> FloatArray:
    """Relative number of residents per single age 0..100 (100 = 100+), smoothed from 5-year bands."""
    per_age = np.repeat(np.asarray(_BAND_THOUSANDS, dtype=np.float64) / 5.0, 5)
    smooth = np.convolve(np.pad(per_age, 2, mode="edge"), np.ones(5) / 5.0, mode="valid")
    weights = np.append(smooth, 0.5)  # 100 and older
    return np.asarray(weights / weights.sum(), dtype=np.float64)


def male_share() -> FloatArray:
    """Share of men per single age: a little over half among children, a quarter among the very old."""
    ages = np.arange(AGES, dtype=np.float64)
    knots_age = [0.0, 50.0, 65.0, 75.0, 85.0, 95.0, 100.0]
    knots_share = [0.512, 0.500, 0.490, 0.460, 0.380, 0.260, 0.200]
    return np.asarray(np.interp(ages, knots_age, knots_share), dtype=np.float64)


def death_probability() -> FloatArray:
    """Yearly probability of dying by sex (row 0 men, row 1 women) and age: a Gompertz curve."""
    ages = np.arange(AGES, dtype=np.float64)
    women = 0.0002 + 7.8e-6 * np.exp(0.11 * ages)
    men = women * np.interp(ages, [0, 20, 50, 80, 100], [1.2, 2.0, 1.6, 1.3, 1.1])
    table = np.vstack([men, women])
    table[:, 0] += 0.0033  # infant mortality
    return np.asarray(np.minimum(table, 0.6), dtype=np.float64)


def move_out_probability() -> FloatArray:
    """Yearly probability of moving to another municipality per age; students and starters move most."""
    ages = np.arange(AGES, dtype=np.float64)
    knots_age = [0, 17, 19, 24, 30, 40, 65, 85, 100]
    knots_rate = [0.030, 0.020, 0.075, 0.080, 0.055, 0.025, 0.012, 0.020, 0.020]
    return np.asarray(np.interp(ages, knots_age, knots_rate), dtype=np.float64)


def immigrant_age_weights() -> FloatArray:
    """Relative age profile of people moving in: young adults, their children, few elderly."""
    ages = np.arange(AGES, dtype=np.float64)
    knots_age = [0, 5, 12, 17, 20, 26, 33, 45, 65, 80, 100]
    knots_weight = [1.0, 0.8, 0.5, 0.6, 2.5, 3.0, 2.0, 0.8, 0.4, 0.3, 0.0]
    weights = np.interp(ages, knots_age, knots_weight)
    return np.asarray(weights / weights.sum(), dtype=np.float64)


@dataclass(frozen=True)
class Residents:
    """The residents of one chunk of a municipality.

    Days are day numbers; ``enter`` is the first day in the municipality (the birth day for residents
    present at the start) and ``leave`` the last day, ``FAR_FUTURE`` when they never leave;
    ``died`` tells death from moving away. ``number`` is the resident's sequence number in the
    municipality, used for the pseudonymous client id.
    """

    number: IntArray
    birth: IntArray
    sex: IntArray
    wijk: IntArray
    pc4: IntArray
    enter: IntArray
    leave: IntArray
    died: BoolArray

    @property
    def size(self) -> int:
        """How many residents the chunk holds."""
        return int(self.birth.shape[0])


def simulate_residents(
    municipality: Municipality,
    initial: int,
    first_number: int,
    first_year: int,
    last_year: int,
    rng: np.random.Generator,
) -> Residents:
    """Simulate ``initial`` residents present on 1 January of ``first_year`` and everyone who joins them.

    Each year residents die (Gompertz mortality) or move away (age-dependent), babies are born and people
    move in so that the chunk grows by about ``NET_GROWTH`` a year.
    """
    start = jan_first(first_year)
    ages = choose(rng, np.cumsum(age_weights())[None, :], np.zeros(initial, dtype=np.int64))
    sex = _draw_sex(rng, ages)
    birth = _birth_for_age(rng, ages, start)
    enter = birth.copy()
    leave = np.full(initial, FAR_FUTURE, dtype=np.int64)
    died = np.zeros(initial, dtype=np.bool_)
    deaths_table = death_probability()
    moves_table = move_out_probability()
    immigrant_cum = np.cumsum(immigrant_age_weights())
    for year in range(first_year, last_year + 1):
        year_start = jan_first(year)
        year_days = jan_first(year + 1) - year_start
        present = (enter <= year_start) & (leave == FAR_FUTURE)
        index = np.flatnonzero(present)
        age = np.minimum(age_on(birth[index], year_start), MAX_AGE)
        p_die = deaths_table[sex[index] - 1, age]
        p_move = moves_table[age]
        draw = rng.random(index.shape[0])
        dies = draw < p_die
        moves = ~dies & (draw < p_die + p_move)
        leaving = index[dies | moves]
        leave[leaving] = year_start + rng.integers(0, year_days, size=leaving.shape[0])
        died[index[dies]] = True
        n_present = index.shape[0]
        n_births = int(rng.poisson(BIRTH_RATE * n_present))
        expected_in = dies.sum() + moves.sum() - n_births + NET_GROWTH * n_present
        n_in = int(rng.poisson(max(0.0, float(expected_in))))
        born = year_start + rng.integers(0, year_days, size=n_births)
        arrive = year_start + rng.integers(0, year_days, size=n_in)
        in_ages = choose(rng, immigrant_cum[None, :], np.zeros(n_in, dtype=np.int64))
        baby_sex = _draw_sex(rng, np.zeros(n_births, dtype=np.int64))
        birth = np.concatenate([birth, born, _birth_for_age(rng, in_ages, arrive)])
        sex = np.concatenate([sex, baby_sex, _draw_sex(rng, in_ages)])
        enter = np.concatenate([enter, born, arrive])
        added = n_births + n_in
        leave = np.concatenate([leave, np.full(added, FAR_FUTURE, dtype=np.int64)])
        died = np.concatenate([died, np.zeros(added, dtype=np.bool_)])
    settle_age = np.minimum(age_on(birth, np.maximum(enter, start)), MAX_AGE)
    wijk = _draw_wijk(rng, municipality, settle_age)
    pc4 = _draw_pc4(rng, municipality, wijk)
    number = first_number + np.arange(birth.shape[0], dtype=np.int64)
    return Residents(number, birth, sex, wijk, pc4, enter, leave, died)


def _draw_sex(rng: np.random.Generator, ages: IntArray) -> IntArray:
    is_male = rng.random(ages.shape[0]) < male_share()[np.minimum(ages, MAX_AGE)]
    return np.where(is_male, 1, 2).astype(np.int64)


def _birth_for_age(rng: np.random.Generator, ages: IntArray, on: IntArray | int) -> IntArray:
    """A birth day such that the age on day ``on`` is exactly ``ages`` (completed years)."""
    on_arr = np.broadcast_to(np.asarray(on, dtype=np.int64), ages.shape)
    latest = add_years(on_arr, -ages)
    earliest = add_years(on_arr, -(ages + 1)) + 1
    span = latest - earliest + 1
    offset = np.floor(rng.random(ages.shape[0]) * span)
    return np.asarray(earliest + offset, dtype=np.int64)


def _draw_wijk(rng: np.random.Generator, municipality: Municipality, ages: IntArray) -> IntArray:
    """The wijk of each resident: wijk size times an age tilt (older wijken attract older residents)."""
    shares = np.array([wijk.share for wijk in municipality.wijken])
    ageing = np.array([wijk.ageing for wijk in municipality.wijken])
    tilt = np.exp(np.outer((np.arange(AGES) - 40.0) / 40.0, ageing))
    table = cumulative(shares[None, :] * tilt)
    return choose(rng, table, ages)


def _draw_pc4(rng: np.random.Generator, municipality: Municipality, wijk: IntArray) -> IntArray:
    """Index of each resident's PC4 in the municipality's list of PC4s (wijk by wijk)."""
    widths = max(len(w.pc4s) for w in municipality.wijken)
    table = np.zeros((len(municipality.wijken), widths))
    offsets = np.zeros(len(municipality.wijken), dtype=np.int64)
    position = 0
    for number, w in enumerate(municipality.wijken):
        table[number, : len(w.pc4s)] = w.pc4_shares
        offsets[number] = position
        position += len(w.pc4s)
    return offsets[wijk] + choose(rng, cumulative(table), wijk)


def municipality_pc4s(municipality: Municipality) -> list[str]:
    """All PC4s of a municipality in wijk order, matching ``Residents.pc4`` indexes."""
    return [pc4 for wijk in municipality.wijken for pc4 in wijk.pc4s]


def postcodes(residents: Residents, municipality: Municipality, rng: np.random.Generator) -> pa.Array:
    """Each resident's postcode: PC6 such as '2871AB', or only the PC4 for a few registrations."""
    numbers = np.array([int(p) for p in municipality_pc4s(municipality)], dtype=np.int64)
    pc4_digits = digits(numbers[residents.pc4], 4)
    letter_table = np.frombuffer("".join(_PC6_LETTERS).encode("ascii"), dtype=np.uint8).reshape(-1, 2)
    letters = letter_table[rng.integers(0, letter_table.shape[0], size=residents.size)]
    pc6 = fixed_width_strings(np.hstack([pc4_digits, letters]))
    pc4 = fixed_width_strings(pc4_digits)
    only_pc4 = pa.array(rng.random(residents.size) < PC4_ONLY_SHARE)
    return pc.if_else(only_pc4, pc4, pc6)


def count_population(residents: Residents, wijken: int, first_year: int, last_year: int) -> IntArray:
    """Residents on 1 January of each year by wijk, year, age (0..100) and sex: shape (wijk, year, 101, 2)."""
    years = last_year - first_year + 1
    counts = np.zeros((wijken, years, AGES, 2), dtype=np.int64)
    for offset in range(years):
        day = jan_first(first_year + offset)
        present = (residents.enter <= day) & (residents.leave >= day)
        age = np.minimum(age_on(residents.birth[present], day), MAX_AGE)
        flat = (residents.wijk[present] * AGES + age) * 2 + (residents.sex[present] - 1)
        counts[:, offset] = np.bincount(flat, minlength=wijken * AGES * 2).reshape(wijken, AGES, 2)
    return counts
