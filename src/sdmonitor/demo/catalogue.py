"""What the demo municipality allocates: product categories with their rates, durations and habits, and
the products within them.

Wmo product codes are invented municipal codes of five characters that start with the iWmo category
(``02A01`` begeleiding individueel licht); target groups are recognisable from the third character
(``D`` dementia, ``L`` licht verstandelijke beperking, ``G`` GGZ). Jeugdwet products are national JZ21
codes read from ``domain/data/jz21-productcodes.json`` (iStandaarden). JZ21 has no codes for categories
54 (Jeugd-ggz) and 55 (landelijk ingekochte zorg): those allocations carry only the category (internally
``54001`` and ``55001``, written with an empty product code so that they raise no loading warning).

Rates are episode starts per person-year at the peak of the category's age curve, tuned so that the
generated municipality matches the national picture (see ``docs/demo.md``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from sdmonitor.demo.arrays import FloatArray
from sdmonitor.domain.codes import jeugd_product_codes

# Age bands used for the choice of product within a category.
AGE_BANDS = (0, 18, 65, 80)


@dataclass(frozen=True)
class Category:
    """A product category (iWmo 01-18, iJw 40-55) and how support in it behaves.

    ``rate`` is the yearly hazard of starting an episode at age-curve value 1 (in 2015); durations are
    log-normal in days (median, sigma). Long support is re-allocated: a share ``calendar`` of the episodes
    is renewed at year end (each 31 December with chance ``renew``: the allocation ends and a new one starts
    on 1 January), the others after each ``validity`` days (with chance ``RENEW_AFTER_VALIDITY``).
    ``change``, ``switch``, ``gap`` and ``volume`` are yearly rates of events within an episode: a product
    change, a provider switch, an interruption and a reassessment with a new volume; ``reentry`` is the
    chance of coming back a year or more after the end.
    ``open_running`` is the chance that an allocation still running at the end of the range has no end
    date, ``never_closed`` that an ended one was never closed in the register (hulpmiddelen).
    """

    code: str
    law: str
    rate: float
    curve: str
    growth: str
    male_factor: float
    duration_median: float
    duration_sigma: float
    calendar: float
    renew: float
    validity: float
    change: float
    switch: float
    gap: float
    volume: float
    reentry: float
    one_day: float
    open_running: float
    never_closed: float
    pgb: float


@dataclass(frozen=True)
class Product:
    """A product: code, name, category, unit/frequency (iWmo/iJw codes) and possible volumes.

    ``volumes`` are in the unit (hours, minutes, etmalen, dagdelen, stuks, or euro cents for unit 83); an
    empty ``unit`` means the allocation has no volume. ``weights`` give the product's relative frequency
    within its category per age band (0-17, 18-64, 65-79, 80+); ``roles`` the kinds of provider that
    deliver it; ``successor`` the product after a change within an episode (empty: another product of the
    same category), forced after ``successor_after_days`` when that is set. ``registered`` is False for
    products whose code is not written to the file (the category has no national code).
    """

    code: str
    name: str
    category: str
    unit: str
    frequency: str
    volumes: tuple[float, ...]
    weights: tuple[float, float, float, float]
    roles: tuple[str, ...]
    female_only: bool = False
    successor: str = ""
    successor_after_days: int = 0
    registered: bool = True


RENEW_AFTER_VALIDITY = 0.9


def _c(
    code: str,
    law: str,
    rate: float,
    curve: str,
    growth: str,
    male: float,
    duration: tuple[float, float],
    renewal: tuple[float, float, float],
    change: float = 0.08,
    switch: float = 0.03,
    gap: float = 0.03,
    volume: float = 0.15,
    reentry: float = 0.08,
    one_day: float = 0.002,
    open_running: float = 0.15,
    never_closed: float = 0.0,
    pgb: float = 0.0,
) -> Category:
    return Category(
        code,
        law,
        rate,
        curve,
        growth,
        male,
        duration[0],
        duration[1],
        renewal[0],
        renewal[1],
        renewal[2],
        change,
        switch,
        gap,
        volume,
        reentry,
        one_day,
        open_running,
        never_closed,
        pgb,
    )


_NO_RENEWAL = (0.0, 0.0, 0.0)

CATEGORIES: tuple[Category, ...] = (
    # Wmo 2015 (iWmo productcategorie); renewal = (share renewed at year end, chance per 31 December,
    # validity in days for the others); change, switch, gap and volume are events per year
    _c("01", "WMO", 0.0326, "elderly", "hbh", 0.55, (1000, 0.9), (0.5, 0.7, 365), change=0.15,
       switch=0.04, volume=0.45, open_running=0.6, pgb=0.10),
    _c("02", "WMO", 0.0042, "adult", "wmo_support", 1.1, (420, 0.9), (0.5, 0.85, 182), change=0.25,
       switch=0.06, gap=0.06, volume=0.6, reentry=0.15, pgb=0.12),
    _c("03", "WMO", 0.0056, "elderly", "wmo", 0.8, (250, 0.9), (0.6, 0.7, 365), volume=0.3,
       pgb=0.15),
    _c("04", "WMO", 0.0022, "elderly", "wmo", 0.8, (150, 0.8), (0.6, 0.7, 182), gap=0.08,
       pgb=0.08),
    _c("05", "WMO", 0.0005, "adult", "wmo", 1.1, (500, 0.8), (0.6, 0.7, 365), pgb=0.03),
    _c("06", "WMO", 0.0013, "adult", "wmo", 1.0, (200, 0.9), (0.5, 0.5, 182), pgb=0.05),
    _c("07", "WMO", 0.0019, "adult", "wmo_support", 1.1, (650, 0.9), (0.5, 0.85, 182),
       change=0.2, switch=0.05, volume=0.6, reentry=0.12, pgb=0.08),
    _c("08", "WMO", 0.0149, "elderly_aids", "wmo", 0.7, (1100, 0.9), (0.3, 0.6, 365), volume=0.1,
       open_running=0.5, never_closed=0.1, pgb=0.03),
    _c("09", "WMO", 0.0009, "adult", "wmo", 1.0, (260, 0.8), (0.6, 0.7, 365)),
    _c("10", "WMO", 0.0004, "adult", "wmo", 1.2, (320, 0.8), (0.6, 0.7, 365), pgb=0.10),
    _c("11", "WMO", 0.0111, "elderly_aids", "wmo", 0.8, (1500, 0.8), _NO_RENEWAL, change=0.03,
       switch=0.01, gap=0.0, volume=0.0, reentry=0.03, open_running=0.85, never_closed=0.25,
       pgb=0.05),
    _c("12", "WMO", 0.0111, "elderly_aids", "wmo", 0.8, (1400, 0.8), _NO_RENEWAL, change=0.03,
       switch=0.01, gap=0.0, volume=0.0, reentry=0.03, open_running=0.85, never_closed=0.25,
       pgb=0.15),
    _c("13", "WMO", 0.0248, "elderly_aids", "wmo", 0.8, (30, 1.2), _NO_RENEWAL, change=0.0,
       switch=0.0, gap=0.0, volume=0.0, reentry=0.05, one_day=0.15, open_running=0.1, pgb=0.10),
    _c("14", "WMO", 0.0086, "elderly_aids", "wmo", 0.8, (1200, 0.8), _NO_RENEWAL, change=0.03,
       switch=0.01, gap=0.0, volume=0.0, reentry=0.03, open_running=0.85, never_closed=0.25,
       pgb=0.05),
    _c("15", "WMO", 0.0006, "young_adult", "wmo", 1.6, (900, 0.8), (0.6, 0.8, 365), change=0.10,
       switch=0.03, volume=0.2, reentry=0.10, pgb=0.12),
    _c("16", "WMO", 0.0011, "young_adult", "wmo", 1.3, (90, 1.0), (0.3, 0.3, 91), change=0.02,
       gap=0.0, reentry=0.15),
    _c("17", "WMO", 0.0006, "young_adult", "wmo", 1.4, (10, 0.8), _NO_RENEWAL, change=0.0,
       switch=0.0, gap=0.0, volume=0.0, reentry=0.10, one_day=0.05),
    _c("18", "WMO", 0.0009, "young_adult", "wmo", 1.5, (365, 0.8), (0.6, 0.7, 365), pgb=0.05),
    # Jeugdwet (iJw productcategorie)
    _c("40", "JW", 0.0013, "youth", "jeugd", 1.3, (300, 0.8), (0.6, 0.85, 182), volume=0.3,
       pgb=0.30),
    _c("41", "JW", 0.0030, "youth", "jeugd", 1.5, (330, 0.8), (0.6, 0.85, 182), volume=0.3,
       pgb=0.10),
    _c("42", "JW", 0.0013, "youth", "jeugd", 1.5, (300, 0.8), (0.6, 0.8, 365), pgb=0.15),
    _c("43", "JW", 0.0015, "youth", "jeugd", 1.2, (420, 0.9), (0.6, 0.85, 182), change=0.15,
       reentry=0.10, pgb=0.05),
    _c("44", "JW", 0.0019, "youth", "jeugd", 1.1, (600, 1.0), (0.6, 0.8, 182), change=0.10,
       pgb=0.10),
    _c("45", "JW", 0.0231, "youth", "jeugd", 1.3, (210, 0.8), (0.5, 0.85, 91), change=0.3,
       switch=0.06, gap=0.08, volume=0.6, reentry=0.15, pgb=0.12),
    _c("46", "JW", 0.0013, "youth", "jeugd", 1.1, (21, 0.8), _NO_RENEWAL, change=0.0, switch=0.0,
       gap=0.0, volume=0.0, reentry=0.10, one_day=0.05),
    _c("47", "JW", 0.0022, "teen", "jeugd", 3.5, (210, 0.6), (0.6, 0.7, 182), change=0.05),
    _c("48", "JW", 0.0028, "minor", "jeugd", 1.0, (420, 0.7), (0.0, 0.0, 365), change=0.0,
       switch=0.02, volume=0.0),
    _c("49", "JW", 0.0013, "teen", "jeugd", 2.0, (90, 0.7), _NO_RENEWAL, change=0.0),
    _c("50", "JW", 0.0013, "youth", "jeugd", 1.2, (365, 0.8), (0.6, 0.85, 182), pgb=0.20),
    _c("51", "JW", 0.0043, "youth", "jeugd_ggz", 1.1, (120, 0.6), _NO_RENEWAL, change=0.0,
       pgb=0.05),
    _c("52", "JW", 0.0022, "youth", "jeugd_ggz", 1.2, (300, 0.7), (0.5, 0.6, 365), pgb=0.05),
    _c("53", "JW", 0.0010, "youth", "jeugd", 1.3, (90, 0.7), _NO_RENEWAL, change=0.0),
    _c("54", "JW", 0.0026, "youth", "jeugd_ggz", 1.2, (300, 0.7), (0.5, 0.6, 365), pgb=0.05),
    _c("55", "JW", 0.0005, "youth", "jeugd", 1.3, (365, 0.8), (0.6, 0.8, 365)),
)  # fmt: skip

CATEGORY_INDEX: dict[str, int] = {category.code: i for i, category in enumerate(CATEGORIES)}

# Age curves: relative hazard per age (linear between the knots). Jeugd curves stop at 23 (verlengde
# jeugdhulp ends before the 23rd birthday); Wmo begeleiding starts at 18.
AGE_CURVES: dict[str, tuple[tuple[float, ...], tuple[float, ...]]] = {
    "elderly": ((0, 17, 18, 40, 55, 65, 75, 85, 95, 100),
                (0, 0, 0.02, 0.04, 0.10, 0.30, 1.0, 2.6, 3.2, 3.2)),
    "elderly_aids": ((0, 17, 18, 45, 60, 70, 80, 90, 100),
                     (0.03, 0.03, 0.02, 0.04, 0.12, 0.45, 1.2, 2.0, 2.0)),
    "adult": ((0, 17, 18, 25, 45, 60, 67, 75, 85, 100),
              (0, 0, 1.0, 1.0, 0.9, 0.7, 0.6, 0.8, 0.9, 0.6)),
    "young_adult": ((0, 17, 18, 22, 35, 50, 65, 75, 100),
                    (0, 0, 0.8, 1.0, 1.0, 0.7, 0.2, 0.05, 0.0)),
    "youth": ((0, 3, 8, 12, 16, 17, 18, 20, 22, 23, 100),
              (0.45, 0.8, 1.2, 1.3, 1.2, 1.0, 0.25, 0.12, 0.06, 0, 0)),
    "teen": ((0, 11, 12, 15, 17, 18, 20, 23, 100),
             (0, 0, 0.3, 1.0, 1.0, 0.5, 0.2, 0, 0)),
    "minor": ((0, 17, 18, 100), (1.0, 1.0, 0, 0)),
}  # fmt: skip


def age_curve(name: str) -> FloatArray:
    """Relative hazard per single age 0..100 for a named age curve."""
    knots_age, knots_value = AGE_CURVES[name]
    return np.asarray(np.interp(np.arange(101), knots_age, knots_value), dtype=np.float64)


def growth_factor(name: str, year: int) -> float:
    """Hazard of starting support in ``year`` relative to 2015, by national trend.

    Together with an ageing population, Wmo clients grow 3-5 % a year; hulp bij het huishouden jumps
    after the abonnementstarief (2019: a flat personal contribution of 17.50 euro per four weeks);
    Jeugdwet starts grow about 9 % a year until 2020 and then flatten; the Jeugd-GGZ categories 51, 52
    and 54 give way to 45 after 2017.
    """
    years = year - 2015
    if name == "wmo":
        return float(1.01**years)
    if name == "wmo_support":
        return float(1.02**years)
    if name == "hbh":
        jump = 1.0 if year < 2019 else (1.10 if year == 2019 else 1.20)
        return float(jump)
    jeugd = 1.09 ** (min(year, 2020) - 2015) * 0.99 ** max(0, year - 2020)
    if name == "jeugd":
        return float(jeugd)
    if name == "jeugd_ggz":
        return float(jeugd * max(0.5, 1.0 - 0.1 * max(0, year - 2017)))
    raise ValueError(f"unknown growth curve {name!r}")


# --- Wmo products (invented municipal codes) -------------------------------------------------------

_HOME = ("hbh",)
_SUPPORT = ("ghz", "ggz", "psy", "autisme", "welzijn")

WMO_PRODUCTS: tuple[Product, ...] = (
    Product("01A01", "Hulp bij het huishouden basis", "01", "04", "2", (1.5, 2, 2, 2.5, 3, 3, 3.5),
            (0, 1, 1, 1), _HOME, successor="01A02"),
    Product("01A02", "Hulp bij het huishouden plus", "01", "04", "2", (3, 3.5, 4, 5, 6),
            (0, 0.2, 0.25, 0.35), _HOME),
    Product("01M01", "Hulp bij het huishouden in minuten", "01", "01", "2", (90, 120, 150, 180, 240),
            (0, 0.3, 0.3, 0.3), _HOME),
    Product("01R01", "Hulp bij het huishouden resultaatgericht", "01", "83", "4",
            (18000, 24500, 31000, 42000, 56000), (0, 0.2, 0.2, 0.2), _HOME),
    Product("02A01", "Begeleiding individueel licht", "02", "04", "2", (1, 1.5, 2),
            (0, 1, 0.5, 0.3), _SUPPORT, successor="02A02"),
    Product("02A02", "Begeleiding individueel middel", "02", "04", "2", (2, 2.5, 3, 4),
            (0, 0.9, 0.4, 0.25), _SUPPORT, successor="02A03"),
    Product("02A03", "Begeleiding individueel zwaar", "02", "04", "2", (4, 5, 6, 8),
            (0, 0.4, 0.15, 0.1), _SUPPORT, successor="02A02"),
    Product("02D01", "Begeleiding dementie", "02", "04", "2", (2, 3, 4, 6),
            (0, 0.02, 0.8, 1.0), ("ouderen",)),
    Product("02L01", "Begeleiding LVB", "02", "04", "2", (2, 3, 4, 6),
            (0, 0.55, 0.04, 0.0), ("ghz",)),
    Product("02G01", "Begeleiding GGZ", "02", "01", "2", (60, 90, 120, 180, 240),
            (0, 0.55, 0.06, 0.01), ("ggz", "psy")),
    Product("03A01", "Persoonlijke verzorging", "03", "04", "2", (1, 2, 3, 4, 5),
            (0, 0.5, 1, 1), ("hbh", "ouderen", "ghz")),
    Product("04A01", "Kortdurend verblijf", "04", "14", "4", (2, 3, 4, 6, 8),
            (0, 0.6, 0.6, 0.5), ("ouderen", "ghz")),
    Product("04D01", "Logeeropvang dementie", "04", "14", "4", (2, 4, 6),
            (0, 0.0, 0.5, 0.7), ("ouderen",)),
    Product("05A01", "Woondienst beschermd thuis", "05", "82", "4", (1,),
            (0, 1, 0.2, 0.05), ("ggz", "psy")),
    Product("05A02", "Woonbegeleiding ouderen", "05", "82", "4", (1,),
            (0, 0.1, 1, 1), ("ouderen", "hbh")),
    Product("06A01", "Cliëntondersteuning", "06", "04", "6", (4, 8, 12, 20),
            (0, 1, 0.8, 0.6), ("welzijn",)),
    Product("06A02", "Thuisadministratie", "06", "04", "2", (1, 1.5, 2),
            (0, 1, 0.5, 0.3), ("welzijn", "psy")),
    Product("06A03", "Respijtzorg thuis", "06", "04", "4", (4, 8, 12, 16),
            (0, 0.3, 1, 1), ("ouderen", "welzijn")),
    Product("07A01", "Dagbesteding", "07", "16", "2", (1, 2, 3, 4, 6),
            (0, 1, 0.4, 0.3), ("ghz", "ggz", "psy", "ouderen"), successor="07A02"),
    Product("07A02", "Dagbesteding zwaar", "07", "16", "2", (2, 4, 6, 8, 10),
            (0, 0.5, 0.2, 0.2), ("ghz", "ggz")),
    Product("07D01", "Dagbesteding dementie", "07", "16", "2", (2, 3, 4, 6),
            (0, 0.02, 0.9, 1.1), ("ouderen",)),
    Product("07L01", "Dagbesteding LVB", "07", "16", "2", (2, 4, 6, 8),
            (0, 0.8, 0.05, 0.0), ("ghz",)),
    Product("08A01", "Vervoer naar dagbesteding", "08", "82", "2", (2, 4, 6, 8),
            (0.05, 0.6, 0.3, 0.2), ("vervoer",)),
    Product("08B01", "Collectief vervoer (vervoerspas)", "08", "", "", (),
            (0.1, 0.5, 1, 1.2), ("vervoer",)),
    Product("09A01", "Inloop GGZ", "09", "16", "2", (1, 2, 3),
            (0, 1, 0.2, 0.05), ("ggz", "psy")),
    Product("09A02", "Ontmoetingscentrum dementie", "09", "16", "2", (1, 2),
            (0, 0.0, 1, 1), ("ouderen",)),
    Product("10A01", "Maatwerkarrangement ondersteuning thuis", "10", "83", "4",
            (50000, 90000, 150000, 220000), (0, 1, 0.7, 0.5), ("ghz", "ggz", "welzijn")),
    Product("11A01", "Handbewogen rolstoel", "11", "", "", (), (0.2, 0.5, 1, 1.2), ("hulpmiddelen",)),
    Product("11A02", "Elektrische rolstoel", "11", "", "", (), (0.4, 0.7, 0.7, 0.6),
            ("hulpmiddelen",)),
    Product("11A03", "Sportrolstoel", "11", "83", "6", (300000, 450000, 600000),
            (0.2, 0.8, 0.05, 0), ("hulpmiddelen",)),
    Product("12A01", "Scootmobiel", "12", "", "", (), (0, 0.4, 1, 1.2), ("hulpmiddelen",)),
    Product("12A02", "Aangepaste fiets", "12", "", "", (), (0.6, 0.3, 0.4, 0.2), ("hulpmiddelen",)),
    Product("12A03", "Vervoersvoorziening forfaitair", "12", "83", "4", (5000, 9000, 14000, 20000),
            (0, 0.5, 0.6, 0.6), ("hulpmiddelen",)),
    Product("13A01", "Traplift", "13", "82", "6", (1,), (0, 0.3, 1, 1), ("hulpmiddelen",)),
    Product("13A02", "Woningaanpassing", "13", "83", "6", (150000, 400000, 900000, 2500000),
            (0.5, 0.5, 1, 0.8), ("hulpmiddelen",)),
    Product("13A03", "Verhuiskostenvergoeding", "13", "83", "6", (250000, 350000, 450000),
            (0, 0.3, 0.8, 0.8), ("hulpmiddelen",)),
    Product("13A04", "Losse woonvoorziening", "13", "82", "6", (1, 1, 2, 3), (0.2, 0.4, 1, 1.2),
            ("hulpmiddelen",)),
    Product("14A01", "Tillift", "14", "", "", (), (0.3, 0.3, 0.6, 1), ("hulpmiddelen",)),
    Product("14A02", "Overige hulpmiddelen", "14", "", "", (), (0.3, 0.5, 1, 1), ("hulpmiddelen",)),
    Product("15A01", "Beschermd wonen intramuraal", "15", "14", "2", (7,), (0, 1, 0.2, 0),
            ("ggz", "psy", "ghz")),
    Product("15A02", "Beschermd thuis", "15", "04", "2", (2, 3, 4, 6), (0, 0.7, 0.2, 0),
            ("ggz", "psy")),
    Product("15L01", "Beschermd wonen LVB", "15", "14", "2", (7,), (0, 0.25, 0.02, 0), ("ghz",)),
    Product("16A01", "Maatschappelijke opvang", "16", "14", "2", (7,), (0, 1, 0.1, 0), ("psy",)),
    Product("16A02", "Vrouwenopvang", "16", "14", "2", (7,), (0, 0.5, 0.03, 0), ("psy",),
            female_only=True),
    Product("17A01", "Crisisopvang", "17", "14", "6", (1, 3, 5, 7, 14), (0, 1, 0.2, 0.05),
            ("psy", "ggz")),
    Product("18A01", "Begeleid wonen (Housing First)", "18", "04", "2", (2, 3, 4), (0, 1, 0.1, 0),
            ("psy", "ggz")),
    Product("18A02", "Nachtopvang", "18", "14", "4", (10, 20, 30), (0, 1, 0.1, 0), ("psy",)),
)  # fmt: skip

# --- Jeugdwet products (JZ21) ---------------------------------------------------------------------

# (code, relative weight within its category); all have a CBS hulpvorm except 42xxx and 50xxx (JZ21
# gives none for those categories). Categories 54 and 55 have no JZ21 codes at all (see ``products``).
_JEUGD_CHOICES: dict[str, tuple[tuple[str, float], ...]] = {
    "40": (("40A03", 1), ("40A04", 2), ("40A02", 1)),
    "41": (("41A03", 2), ("41A04", 2), ("41A18", 1), ("41A01", 1)),
    "42": (("42A03", 3), ("42A04", 1), ("42A01", 1)),
    "43": (("43A07", 3), ("43A10", 1), ("43A11", 1), ("43A12", 0.5), ("43A01", 1)),
    "44": (("44A07", 3), ("44A06", 1.5), ("44A08", 1), ("44A09", 1), ("44A03", 1)),
    "45": (("45A04", 4), ("45A05", 3), ("45A06", 1.5), ("45A01", 1.5), ("45A02", 1),
           ("45A03", 1)),
    "46": (("46A01", 3), ("46A03", 1.5), ("46A05", 1)),
    "47": (("47A08", 3), ("47A09", 2), ("47A10", 1), ("47A06", 0.5)),
    "48": (("48A01", 4), ("48A03", 0.6)),
    "49": (("49A01", 2), ("49A06", 1)),
    "50": (("50A03", 1), ("50A08", 1), ("50A13", 0.5)),
    "51": (("51A00", 2), ("51A01", 2), ("51A02", 1), ("51A03", 1)),
    "52": (("52A00", 1),),
    "53": (("53A01", 1), ("53A02", 1), ("53A04", 1)),
}  # fmt: skip

# Unit, frequency and volumes for effort-based (inspanningsgericht) JZ21 products per category.
_EFFORT_UNITS: dict[str, tuple[str, str, tuple[float, ...]]] = {
    "40": ("04", "2", (1, 2, 3, 4, 6)),
    "41": ("16", "2", (2, 4, 6, 8, 10)),
    "42": ("82", "2", (4, 6, 8, 10)),
    "43": ("14", "2", (7,)),
    "44": ("14", "2", (7,)),
    "45": ("01", "2", (45, 60, 90, 120, 180, 240)),
    "46": ("14", "6", (1, 3, 7, 14, 28)),
    "47": ("04", "4", (4, 6, 8, 12)),
    "48": ("04", "4", (4, 8, 12)),
    "49": ("04", "6", (6, 10, 16)),
}
_PER_MONTH_OUTPUT = {"40", "41", "42", "43", "44", "48", "50", "55"}


def _jeugd_product(code: str, weight: float) -> Product:
    """A JZ21 product with unit and volume by its execution variant (effort-based or output-based)."""
    info = jeugd_product_codes()[code]
    category = code[:2]
    if info["category"] != category:
        raise ValueError(f"JZ21 product {code} is not in category {category}")
    effort_based = "inspanning" in info["description"].lower()  # '...: inspanningsgericht'
    if effort_based and category in _EFFORT_UNITS:
        unit, frequency, volumes = _EFFORT_UNITS[category]
    elif category in _PER_MONTH_OUTPUT:
        unit, frequency, volumes = "82", "4", (1.0,)
    else:
        unit, frequency, volumes = "82", "6", (1.0,)
    roles = _jeugd_roles(category, info["description"])
    successor = "48A02" if code == "48A01" else ""
    after = 365 if code == "48A01" else 0
    return Product(
        code,
        info["description"],
        category,
        unit,
        frequency,
        volumes,
        (weight, weight * 0.3, 0, 0),
        roles,
        successor=successor,
        successor_after_days=after,
    )


def _jeugd_roles(category: str, name: str) -> tuple[str, ...]:
    if category in {"47", "48"}:
        return ("gi",)
    if category in {"51", "52", "54"}:
        return ("ggz",)
    if category == "42":
        return ("vervoer",)
    if category in {"41", "43"}:
        return ("jeugd", "ghz")
    if category == "45" and "specialistisch" in name:
        return ("jeugd", "autisme", "ggz")
    if category == "45":
        return ("jeugd", "autisme")
    return ("jeugd",)


@cache
def products() -> tuple[Product, ...]:
    """Every product the demo municipality allocates, Wmo first, in category order."""
    jeugd = [
        _jeugd_product(code, weight)
        for category in sorted(_JEUGD_CHOICES)
        for code, weight in _JEUGD_CHOICES[category]
    ]
    jeugd.append(_jeugd_product("48A02", 0.0))  # reached only by the change after a year of OTS
    unlisted = [
        Product("54001", "Jeugd-ggz", "54", "82", "6", (1.0,), (1, 0.3, 0, 0), ("ggz",), registered=False),
        Product("55001", "Landelijk ingekochte zorg", "55", "14", "2", (7.0,), (1, 0.3, 0, 0),
                ("jeugd", "ghz"), registered=False),
    ]  # fmt: skip
    everything = [*WMO_PRODUCTS, *jeugd, *unlisted]
    return tuple(sorted(everything, key=lambda product: (CATEGORY_INDEX[product.category], product.code)))
