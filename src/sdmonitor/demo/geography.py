"""Fictional municipalities for the demo: codes 9901-9999, Dutch-sounding names, wijken and PC4 areas.

Nothing here refers to a real place: the municipality codes lie outside the CBS range in use, names are
composed from common Dutch word parts, and the PC4 numbers are drawn at random (they look valid but are
not tied to the real postcode map).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

FIRST_MUNICIPALITY_CODE = 9901
MAX_MUNICIPALITIES = 99

_TOWN_STARTS = (
    "Wester",
    "Ooster",
    "Noorder",
    "Zuider",
    "Hoog",
    "Laag",
    "Nieuw",
    "Oud",
    "Groot",
    "Klein",
    "Linde",
    "Elzen",
    "Vlier",
    "Wilgen",
    "Heide",
    "Beek",
    "Riet",
    "Esse",
    "Bronk",
    "Merel",
)
_TOWN_ENDS = (
    "broek", "veen", "dijk", "hout", "dam", "wijk", "haven", "berg", "horst", "sloot",
    "meer", "zand", "hoven", "loo", "rade", "kerk", "mond", "kamp", "voorde", "woude",
)  # fmt: skip

_WIJK_NAMES = (
    "De Akkers", "Het Veld", "De Bongerd", "Molenwijk", "Parkwijk", "Bloemenbuurt",
    "Schildersbuurt", "De Hoven", "Havenkwartier", "Stationskwartier", "Buitengebied", "De Weide",
    "Vogelwijk", "Bomenbuurt", "De Horst", "Oude Stad", "Kerkebuurt", "De Essen", "Waterrijk",
)  # fmt: skip
_DIRECTIONS = ("Noord", "Oost", "Zuid", "West")

# Wijken whose names suggest an older population (old town, countryside) or a younger one (new estates).
_OLDER = {"Centrum", "Oude Stad", "Buitengebied", "Kerkebuurt", "De Hoven"}
_YOUNGER = {"De Akkers", "Waterrijk", "De Weide", "Stationskwartier"}

_PC4_BLOCK = 50


@dataclass(frozen=True)
class Wijk:
    """A district of a fictional municipality with its PC4 areas.

    ``share`` is the wijk's part of the municipality's residents (before the age tilt) and ``ageing`` tilts
    its age profile: positive means relatively more elderly, negative more young families.
    """

    code: str
    name: str
    pc4s: tuple[str, ...]
    pc4_shares: tuple[float, ...]
    share: float
    ageing: float


@dataclass(frozen=True)
class Municipality:
    """A fictional municipality: its index in the region, CBS-like code, name, size and wijken."""

    index: int
    code: str
    name: str
    inhabitants: int
    wijken: tuple[Wijk, ...]


def build_region(inhabitants: int, municipalities: int, rng: np.random.Generator) -> list[Municipality]:
    """Lay out a region of fictional municipalities, each roughly ``inhabitants`` (within 30 %)."""
    town_names = [start + end for start in _TOWN_STARTS for end in _TOWN_ENDS]
    chosen_names = rng.choice(len(town_names), size=municipalities, replace=False)
    blocks = rng.choice((10_000 - 1_000) // _PC4_BLOCK, size=municipalities, replace=False)
    if municipalities == 1:
        sizes = np.array([float(inhabitants)])
    else:
        sizes = inhabitants * rng.uniform(0.7, 1.3, size=municipalities)
    region: list[Municipality] = []
    for index in range(municipalities):
        code = str(FIRST_MUNICIPALITY_CODE + index)
        name = town_names[int(chosen_names[index])]
        first_pc4 = 1_000 + int(blocks[index]) * _PC4_BLOCK
        wijken = _build_wijken(code, name, first_pc4, rng)
        region.append(Municipality(index, code, name, max(1, round(float(sizes[index]))), wijken))
    return region


def _build_wijken(code: str, town: str, first_pc4: int, rng: np.random.Generator) -> tuple[Wijk, ...]:
    count = int(rng.integers(6, 13))
    directional = [f"{town}-{direction}" for direction in _DIRECTIONS]
    pool = directional + list(_WIJK_NAMES)
    picks = rng.choice(len(pool), size=count - 1, replace=False)
    names = ["Centrum", *(pool[int(i)] for i in picks)]
    pc4_counts = rng.integers(1, 5, size=count)
    numbers = np.sort(rng.choice(_PC4_BLOCK, size=int(pc4_counts.sum()), replace=False)) + first_pc4
    shares = rng.lognormal(0.0, 0.4, size=count)
    shares = shares / shares.sum()
    wijken: list[Wijk] = []
    position = 0
    for number, name in enumerate(names):
        n_pc4 = int(pc4_counts[number])
        pc4s = tuple(str(int(value)) for value in numbers[position : position + n_pc4])
        position += n_pc4
        pc4_weights = rng.uniform(0.5, 1.5, size=n_pc4)
        ageing = float(rng.uniform(-0.3, 0.3))
        if name in _OLDER:
            ageing += 0.4
        elif name in _YOUNGER:
            ageing -= 0.4
        wijken.append(
            Wijk(
                code=f"WK{code}{number + 1:02d}",
                name=name,
                pc4s=pc4s,
                pc4_shares=tuple(float(w) for w in pc4_weights / pc4_weights.sum()),
                share=float(shares[number]),
                ageing=ageing,
            )
        )
    return tuple(wijken)
