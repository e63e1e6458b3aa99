"""Fictional care providers (zorgaanbieders) shared by the municipalities of a demo region.

Each provider has an 8-digit AGB-like code starting with 99 (drawn at random, not taken from the AGB
register), a Dutch-sounding invented name, a provider type used in the Trimbos analysis of individual
guidance (gehandicaptenzorg, ggz, psychosociaal, autisme, thuiszorg en maatschappelijke dienstverlening,
ouderenzorg) plus jeugdhulp, and a role that decides which products it delivers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sdmonitor.demo.arrays import FloatArray, cumulative
from sdmonitor.demo.catalogue import Product

PROVIDER_TYPES = (
    "gehandicaptenzorg",
    "ggz",
    "psychosociaal",
    "autisme",
    "thuiszorg_maatschappelijke_dienstverlening",
    "ouderenzorg",
    "jeugdhulp",
)

# role -> (provider type, name prefixes, minimum number, weight of the extra providers)
_ROLES: dict[str, tuple[str, tuple[str, ...], int, float]] = {
    "hbh": (PROVIDER_TYPES[4], ("Thuiszorg", "Thuishulp", "Huishoudelijke Hulp"), 3, 1.5),
    "welzijn": (PROVIDER_TYPES[4], ("Welzijn", "Maatschappelijk Werk"), 2, 0.5),
    "hulpmiddelen": (PROVIDER_TYPES[4], ("Hulpmiddelencentrum", "Revalidatietechniek"), 2, 0.3),
    "vervoer": (PROVIDER_TYPES[4], ("Vervoer", "Taxicentrale"), 2, 0.3),
    "ouderen": (PROVIDER_TYPES[5], ("Zorggroep", "Woonzorg", "Ouderenzorg"), 3, 1.0),
    "ghz": (PROVIDER_TYPES[0], ("Stichting", "Zorginstelling", "Gehandicaptenzorg"), 4, 1.2),
    "ggz": (PROVIDER_TYPES[1], ("GGZ", "Psychologenpraktijk"), 4, 1.2),
    "psy": (PROVIDER_TYPES[2], ("Stichting", "Herstelhuis", "Opvang"), 3, 0.8),
    "autisme": (PROVIDER_TYPES[3], ("Autismecentrum", "Autismezorg"), 2, 0.7),
    "jeugd": (PROVIDER_TYPES[6], ("Jeugdhulp", "Kinderpraktijk", "Jeugdzorg", "Gezinshuis"), 6, 2.0),
    "gi": (PROVIDER_TYPES[6], ("Jeugdbescherming",), 2, 0.1),
}

_NAME_WORDS = (
    "De Linde", "Het Anker", "De Wissel", "Het Baken", "De Brug", "Het Kompas", "De Esch",
    "Vlinderhof", "De Meander", "Zonnedauw", "Het Vlot", "Dijkzicht", "Veldzicht", "De Klimop",
    "De Hazelaar", "De Zwaluw", "De Boei", "Het Palet", "Ellenhof", "De Vlonder", "Het Duin",
    "De Beuk", "Zeewind", "De Hoeve", "De Kiem", "Het Spoor", "De Kade", "Het Hofje", "De Wending",
    "Het Roer", "De Waag", "De Sluis", "Het Kruispunt", "De Bron", "De Ooievaar", "De Notelaar",
    "Het Kwadrant", "De Vuurtoren", "Het Gilde", "De Werf", "De Molenwiek", "Het Bolwerk",
    "De Eikenhof", "Ravelijn", "Nieuw Begin", "Samen Verder", "Stap voor Stap", "De Overkant",
    "De Volmolen", "Het Tij", "De Linie", "Kleurrijk", "Sterk Thuis", "De Schakel", "De Opstap",
    "De Wilg", "Het Veer", "De Lantaarn", "Het Kabinet", "De Korenbloem", "Het Waterhuis",
    "De Peppel", "Morgenrood", "De Zeef",
)  # fmt: skip

MIN_PROVIDERS = sum(minimum for _, _, minimum, _ in _ROLES.values())
MAX_PROVIDERS = 60


@dataclass(frozen=True)
class Provider:
    """A fictional provider: AGB-like code, name, provider type and role (what it delivers)."""

    code: str
    name: str
    provider_type: str
    role: str
    size: float


def provider_count(total_inhabitants: int) -> int:
    """Number of providers for a region: 33 for a small municipality, up to 60 for a large region."""
    scaled = MIN_PROVIDERS + 6 * math.log2(max(total_inhabitants, 100_000) / 100_000)
    return min(MAX_PROVIDERS, max(MIN_PROVIDERS, round(scaled)))


def build_providers(total_inhabitants: int, rng: np.random.Generator) -> list[Provider]:
    """The providers of a region, each role covered at least as often as its minimum."""
    count = provider_count(total_inhabitants)
    roles = list(_ROLES)
    minimums = np.array([_ROLES[role][2] for role in roles])
    weights = np.array([_ROLES[role][3] for role in roles])
    extra = rng.multinomial(count - int(minimums.sum()), weights / weights.sum())
    per_role = minimums + extra
    words = rng.permutation(len(_NAME_WORDS))
    codes = np.sort(rng.choice(1_000_000, size=count, replace=False))
    providers: list[Provider] = []
    for role, number in zip(roles, per_role, strict=True):
        provider_type, prefixes, _, _ = _ROLES[role]
        for _ in range(int(number)):
            prefix = prefixes[int(rng.integers(0, len(prefixes)))]
            word = _NAME_WORDS[int(words[len(providers)])]
            code = f"99{int(codes[len(providers)]):06d}"
            size = float(rng.lognormal(0.0, 1.0))
            providers.append(Provider(code, f"{prefix} {word}", provider_type, role, size))
    return sorted(providers, key=lambda provider: provider.code)


def provider_choice_table(providers: list[Provider], catalogue: tuple[Product, ...]) -> FloatArray:
    """Cumulative choice probabilities (product x provider): providers of a fitting role, by size."""
    weights = np.zeros((len(catalogue), len(providers)))
    for row, product in enumerate(catalogue):
        for column, provider in enumerate(providers):
            if provider.role in product.roles:
                weights[row, column] = provider.size
    return cumulative(weights)
