"""The Dutch words for the closed sets every output shows: laws, period lengths, trends and months.

One place for each word, so that a report, its workbook, the dashboard and its downloads say the same
thing: a trend is 'stijgend' beside an arrow in a report and in a dashboard cell alike. Where a sentence
needs another form of the same word ('gestegen'), it is an attribute of the same member. The reports are
published and checked from outside: their words are the standard, the dashboard follows them.

Pure: no I/O. Codes (``WMO``, ``half``, ``up``) stay what the data, CSV files and URLs hold; only what a
reader sees comes from here.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from enum import StrEnum

from sdmonitor.domain.allocations import Law
from sdmonitor.domain.benefits import HouseholdType, ReasonGroup, Regulation
from sdmonitor.domain.periods import Grain, Period


class Trend(StrEnum):
    """A change against an earlier period: up or down by more than the threshold (default 5 %), or flat.

    The value is the code in results, CSV and JSON ('up'); ``arrow`` is what a table cell shows, ``word``
    what stands beside an arrow, is read out for it and goes into a download ('stijgend'), and ``verb`` the
    form in a sentence ('... is gestegen (+6,0 %) ten opzichte van 2024-H1').
    """

    arrow: str
    word: str
    verb: str

    def __new__(cls, code: str, arrow: str, word: str, verb: str) -> Trend:
        member = str.__new__(cls, code)
        member._value_ = code
        member.arrow = arrow
        member.word = word
        member.verb = verb
        return member

    UP = "up", "↑", "stijgend", "gestegen"
    DOWN = "down", "↓", "dalend", "gedaald"
    FLAT = "flat", "→", "stabiel", "stabiel gebleven"


# What a key figure says instead of a trend word when there is none.
NO_COMPARISON = "geen vergelijking"  # no change against the previous period (hidden, or no usable period)
NO_LONG_TREND = "geen langjarige trend"  # no usable base period since the history started
UNKNOWN_TREND = "onbekend"  # a base period, but no long-term trend (hidden)


def trend_of(value: object) -> Trend | None:
    """The trend a code stands for ('up', or ``Trend.UP`` itself); None for anything else (an empty cell)."""
    return _TRENDS.get(str(value))


_TRENDS = {trend.value: trend for trend in Trend}


# A law by the name the Dutch reader knows it (the Wmo 2015 is 'de Wmo').
# PW: requests under the Participatiewet (issue 13) and persons on a benefit as clients (issue 14).
LAW_NAMES: dict[str, str] = {Law.WMO: "Wmo", Law.JW: "Jeugdwet", "PW": "Participatiewet"}
# Group values shown by a Dutch name instead of their code, per column; a text reference may use either.
GROUP_NAMES: dict[str, dict[str, str]] = {"law": LAW_NAMES}


def law_name(code: object) -> str:
    """'WMO' -> 'Wmo', 'JW' -> 'Jeugdwet', 'PW' -> 'Participatiewet'; any other value as it is."""
    return LAW_NAMES.get(str(code), str(code))


# A period length as a noun: 'Gemiddeld per halfjaar', '?periode=kwartaal', the axis title 'Halfjaar'.
GRAIN_WORDS: dict[Grain, str] = {
    Grain.MONTH: "maand",
    Grain.QUARTER: "kwartaal",
    Grain.HALF: "halfjaar",
    Grain.YEAR: "jaar",
}

MONTH_NAMES = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip
ORDINALS = ("eerste", "tweede", "derde", "vierde")


def month_text(label: str) -> str:
    """A month label in words: '2018-03' -> 'maart 2018'."""
    return f"{MONTH_NAMES[int(label[5:7]) - 1]} {label[:4]}"


def dutch_date(day: date) -> str:
    """A date in words: '23 november 2026'."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def period_text(period: Period) -> str:
    """A period in words: 'eerste halfjaar 2018', 'eerste kwartaal 2023', 'januari 2018' or '2018'."""
    label = period.label
    if "-H" in label:
        return f"{ORDINALS[int(label[-1]) - 1]} {GRAIN_WORDS[Grain.HALF]} {label[:4]}"
    if "-Q" in label:
        return f"{ORDINALS[int(label[-1]) - 1]} {GRAIN_WORDS[Grain.QUARTER]} {label[:4]}"
    if len(label) == 7:
        return month_text(label)
    return label


# The Dutch headers of `sdm forecast` tables (forecast, --bridge, --backtest); the CSV keeps the column names.
FORECAST_HEADERS = {
    "budget_line": "Begrotingspost",
    "provider": "Aanbieder",
    "budget": "Begroting",
    "realised": "Gerealiseerd",
    "late_expected": "Nog te declareren",
    "committed": "Verplichtingen rest van het jaar",
    "new_expected": "Nieuwe cliënten",
    "forecast": "Verwachting",
    "difference": "Verschil",
    "share_used": "Deel gebruikt",
    "share_of_year": "Deel van het jaar",
    "depletion_date": "Uitgeput op",
    "warning": "Signaal",
    "share_realised": "Deel gerealiseerd",
    "effect": "Effect",
    "label": "Oorzaak",
    "amount": "Bedrag",
    "in_sum": "In de som",
    "note": "Toelichting",
    "month": "Maand",
    "years": "Jaren",
    "mape_forecast": "Fout prognose (MAPE)",
    "mape_runrate": "Fout run-rate (MAPE)",
    "beats_runrate": "Prognose beter",
}


# Participatiewet (issue 14; domain/benefits.py): what a reader sees for the codes of a benefit.
REGULATION_NAMES: dict[str, str] = {
    Regulation.PW: "Algemene bijstand (Participatiewet)",
    Regulation.IOAW: "IOAW",
    Regulation.IOAZ: "IOAZ",
    Regulation.BBZ: "Bbz",
}
HOUSEHOLD_TYPE_NAMES: dict[str, str] = {
    HouseholdType.SINGLE: "Alleenstaande",
    HouseholdType.SINGLE_PARENT: "Alleenstaande ouder",
    HouseholdType.COUPLE: "Gehuwden of samenwonenden",
    HouseholdType.OTHER: "Anders",
}
# Reden beëindiging uitkering persoon (BUS kenmerk 34)
OUTFLOW_REASON_NAMES: dict[str, str] = {
    "01": "Onderwijs met studiefinanciering",
    "02": "Aangaan relatie",
    "03": "AOW-leeftijd bereikt",
    "04": "Overlijden",
    "05": "Detentie",
    "06": "Kan onderwijs volgen maar doet dat niet",
    "07": "Maximale verblijfsduur buitenland overschreden",
    "11": "Inkomsten uit arbeid in dienstbetrekking of uitkering bij ziekte",
    "13": "Inkomsten uit zelfstandig beroep of bedrijf",
    "14": "Uitkering bij werkloosheid",
    "15": "Uitkering bij arbeidsongeschiktheid",
    "17": "Alimentatie",
    "18": "Vermogensopbrengsten",
    "19": "Ander inkomen",
    "31": "Geen inlichtingen verstrekt",
    "32": "Verhuizing naar een andere gemeente",
    "33": "Verhuizing naar het buitenland",
    "34": "Niet verschenen op oproep (inlichtingenplicht)",
    "35": "Niet verschenen op oproep (re-integratiegesprek)",
    "97": "Oorzaak bij partner",
    "98": "Andere oorzaak",
}
INFLOW_REASON_NAMES: dict[str, str] = {
    "01": "Beëindiging studie of onderwijs",
    "02": "Beëindiging huwelijk of relatie",
    "05": "Einde detentie",
    "11": "Einde arbeid in dienstbetrekking of ziektewetuitkering",
    "13": "Einde zelfstandig beroep of bedrijf",
    "14": "Einde werkloosheidsuitkering",
    "15": "Einde arbeidsongeschiktheidsuitkering",
    "17": "Einde alimentatie",
    "18": "Vermogen op",
    "19": "Einde ander inkomen",
    "32": "Verhuizing vanuit een andere gemeente",
    "33": "Vestiging vanuit het buitenland",
    "97": "Oorzaak bij partner",
    "98": "Andere oorzaak",
}
OUTFLOW_GROUP_NAMES: dict[str, str] = {
    ReasonGroup.WORK: "Werk",
    ReasonGroup.BENEFIT: "Andere uitkering",
    ReasonGroup.RELATIONSHIP: "Relatie",
    ReasonGroup.MOVING: "Verhuizing",
    ReasonGroup.OTHER: "Overig",
    ReasonGroup.UNKNOWN: "Onbekend",
}
INFLOW_GROUP_NAMES: dict[str, str] = {
    ReasonGroup.WORK: "Einde werk",
    ReasonGroup.BENEFIT: "Einde andere uitkering",
    ReasonGroup.RELATIONSHIP: "Einde relatie",
    ReasonGroup.MOVING: "Verhuizing naar de gemeente",
    ReasonGroup.OTHER: "Overig",
    ReasonGroup.UNKNOWN: "Onbekend",
}
# Person roles on a benefit (metrics/benefits.py ``benefit_persons``)
ROLE_NAMES: dict[str, str] = {"aanvrager": "Aanvrager", "partner": "Partner"}
GROUP_NAMES["regulation"] = REGULATION_NAMES
GROUP_NAMES["household_type"] = HOUSEHOLD_TYPE_NAMES
# Type of a re-integration provision (SRG, bijlage 2 of the Regeling statistiek; domain.benefits.PROVISION_TYPES)
PROVISION_TYPE_NAMES: dict[str, str] = {
    "01": "Tijdelijke loonkostensubsidie",
    "02": "WIW-dienstbetrekking of ID-baan",
    "03": "Participatieplaats",
    "04": "Loonkostensubsidie (Participatiewet)",
    "05": "Beschut werk",
    "06": "Jobcoach",
    "07": "Vervoersvoorziening",
    "08": "Andere voorziening bij arbeidsbeperking",
    "99": "Overige voorziening",
}
GROUP_NAMES["provision_type"] = PROVISION_TYPE_NAMES
# Where figures come from, by what they read (``loads.kind``; a metric's ``Metric.reads``): the source line
# of a report chart ('Bron: ...') and the dashboard's footer name these, never one source for every figure.
SOURCE_NAMES: dict[str, str] = {
    "allocations": "gemeentelijke registratie van toewijzingen (Wmo 2015, Jeugdwet)",
    "benefits": "inkomensadministratie (Participatiewet, IOAW, IOAZ, Bbz)",
    "reintegration": "inkomensadministratie (re-integratievoorzieningen Participatiewet)",
    "requests": "gemeentelijke registratie van meldingen en aanvragen (Wmo 2015, Jeugdwet)",
    "deliveries": "leveringen van aanbieders (start en einde van de zorg)",
    "declarations": "declaraties van aanbieders (Wmo 2015, Jeugdwet)",
}


def sources_text(kinds: Iterable[str]) -> str:
    """The sources of ``kinds`` in the order of ``SOURCE_NAMES``, in one Dutch phrase: 'a, b en c'; kinds
    without a source name (population, budgets) are left out."""
    wanted = set(kinds)
    names = list(dict.fromkeys(name for kind, name in SOURCE_NAMES.items() if kind in wanted))
    if len(names) < 2:
        return "".join(names)
    return ", ".join(names[:-1]) + " en " + names[-1]
