"""Bijstand benefits (uitkeringen, Participatiewet, IOAW, IOAZ, Bbz): the code lists every benefit is loaded to.

The fields follow the national CBS delivery for the bijstand statistics (Regeling statistiek Participatiewet,
IOAW en IOAZ, bijlage 1 "BUS"; research note next-capabilities.md §3.2-3.4), so that every income system
(Suite4Werk&Inkomen, GWS4all, Socrates) can export them. A benefit's dates are inclusive: ``start_date`` is the
first day, ``end_date`` the last; an empty end means running. A benefit has an applicant (aanvrager) and at most
one partner: a couple on one benefit is two persons and one benefit (CBS).

Codes stay what files, the warehouse and CSV output hold ('PW', 'alleenstaande', '11', 'werk'); the Dutch a
reader sees comes from ``domain/wording.py``. Pure: no I/O.

Example: ``regulation_of("Algemene bijstand")`` is ``'PW'``, ``household_type_of("3")`` is
``'gehuwd_samenwonend'`` and ``outflow_group("13")`` is ``ReasonGroup.WORK``.
"""

from __future__ import annotations

from enum import StrEnum


class Regulation(StrEnum):
    """The regulation a benefit is paid under (BUS statistiekcode 01, 02, 03, 14)."""

    PW = "PW"  # algemene bijstand (Participatiewet)
    IOAW = "IOAW"
    IOAZ = "IOAZ"
    BBZ = "BBZ"  # Besluit bijstandverlening zelfstandigen


DEFAULT_REGULATION = Regulation.PW  # an empty regulation cell: algemene bijstand

# Accepted spellings (lower case, spaces, '-' and '.' removed): the code, the BUS statistiekcode and the name.
REGULATION_SPELLINGS: dict[str, Regulation] = {
    "pw": Regulation.PW, "pwet": Regulation.PW, "participatiewet": Regulation.PW, "wwb": Regulation.PW,
    "bijstand": Regulation.PW, "algemenebijstand": Regulation.PW, "ab": Regulation.PW, "01": Regulation.PW,
    "1": Regulation.PW,
    "ioaw": Regulation.IOAW, "02": Regulation.IOAW, "2": Regulation.IOAW,
    "ioaz": Regulation.IOAZ, "03": Regulation.IOAZ, "3": Regulation.IOAZ,
    "bbz": Regulation.BBZ, "bbz2004": Regulation.BBZ, "14": Regulation.BBZ,
}  # fmt: skip


class HouseholdType(StrEnum):
    """Leefvorm (BUS item 'leefvorm'): 1 alleenstaande, 2 alleenstaande ouder, 3 gehuwden en samenwonenden,
    4 anders."""

    SINGLE = "alleenstaande"
    SINGLE_PARENT = "alleenstaande_ouder"
    COUPLE = "gehuwd_samenwonend"
    OTHER = "anders"


# Accepted spellings (lower case; spaces, '-', '_', '/' and '.' removed): the CBS code and the Dutch words as
# Suite, GWS4all and Socrates show them ('Alleenstaande ouder', 'Gehuwden/samenwonenden', 'Echtpaar').
HOUSEHOLD_SPELLINGS: dict[str, HouseholdType] = {
    "1": HouseholdType.SINGLE, "01": HouseholdType.SINGLE, "alleenstaande": HouseholdType.SINGLE,
    "alleenstaand": HouseholdType.SINGLE,
    "2": HouseholdType.SINGLE_PARENT, "02": HouseholdType.SINGLE_PARENT,
    "alleenstaandeouder": HouseholdType.SINGLE_PARENT, "eenoudergezin": HouseholdType.SINGLE_PARENT,
    "eenouder": HouseholdType.SINGLE_PARENT,
    "3": HouseholdType.COUPLE, "03": HouseholdType.COUPLE, "gehuwden": HouseholdType.COUPLE,
    "gehuwd": HouseholdType.COUPLE, "samenwonenden": HouseholdType.COUPLE, "samenwonend": HouseholdType.COUPLE,
    "gehuwdensamenwonenden": HouseholdType.COUPLE, "gehuwdsamenwonend": HouseholdType.COUPLE,
    "gehuwdenensamenwonenden": HouseholdType.COUPLE, "echtpaar": HouseholdType.COUPLE,
    "paar": HouseholdType.COUPLE,
    "4": HouseholdType.OTHER, "04": HouseholdType.OTHER, "anders": HouseholdType.OTHER,
    "overig": HouseholdType.OTHER, "overige": HouseholdType.OTHER,
}  # fmt: skip


def _key(text: str) -> str:
    """A spelling as compared: lower case, without spaces, '-', '_', '/' and '.' ('Gehuwden / samenwonenden'
    -> 'gehuwdensamenwonenden')."""
    return "".join(ch for ch in text.lower() if ch not in " -_/.")


def regulation_of(text: str | None) -> Regulation | None:
    """The regulation a cell names; the default (PW) for an empty cell, None for an unknown one."""
    if text is None or not text.strip():
        return DEFAULT_REGULATION
    return REGULATION_SPELLINGS.get(_key(text))


def household_type_of(text: str | None) -> HouseholdType | None:
    """The household type a cell names; None for an empty or unknown one."""
    if text is None:
        return None
    return HOUSEHOLD_SPELLINGS.get(_key(text))


class ReasonGroup(StrEnum):
    """How CBS groups the reasons of outflow (and, mirrored, of inflow): work, another benefit, a relationship,
    moving, other. ``UNKNOWN`` is a benefit whose file gives no reason."""

    WORK = "werk"
    BENEFIT = "andere_uitkering"
    RELATIONSHIP = "relatie"
    MOVING = "verhuizing"
    OTHER = "overig"
    UNKNOWN = "onbekend"


# Reden beëindiging uitkering persoon (BUS kenmerk 34), with its group. 03 (AOW-leeftijd) is the move to the
# AOW, another benefit; 97 (oorzaak bij partner) and the administrative ends (31, 34, 35) are 'other'.
OUTFLOW_REASONS: dict[str, ReasonGroup] = {
    "01": ReasonGroup.OTHER,  # onderwijs met studiefinanciering
    "02": ReasonGroup.RELATIONSHIP,  # aangaan relatie
    "03": ReasonGroup.BENEFIT,  # AOW-leeftijd bereikt
    "04": ReasonGroup.OTHER,  # overlijden
    "05": ReasonGroup.OTHER,  # detentie
    "06": ReasonGroup.OTHER,  # kan onderwijs volgen maar doet het niet
    "07": ReasonGroup.OTHER,  # maximale verblijfsduur buitenland overschreden
    "11": ReasonGroup.WORK,  # inkomsten uit arbeid in dienstbetrekking of uitkering bij ziekte
    "13": ReasonGroup.WORK,  # inkomsten uit zelfstandig beroep of bedrijf
    "14": ReasonGroup.BENEFIT,  # uitkering bij werkloosheid
    "15": ReasonGroup.BENEFIT,  # uitkering bij arbeidsongeschiktheid
    "17": ReasonGroup.OTHER,  # alimentatie
    "18": ReasonGroup.OTHER,  # vermogensopbrengsten
    "19": ReasonGroup.OTHER,  # ander inkomen
    "31": ReasonGroup.OTHER,  # geen inlichtingen verstrekt
    "32": ReasonGroup.MOVING,  # verhuizing naar een andere gemeente
    "33": ReasonGroup.MOVING,  # verhuizing naar het buitenland
    "34": ReasonGroup.OTHER,  # niet verschenen op oproep (inlichtingenplicht)
    "35": ReasonGroup.OTHER,  # niet verschenen op oproep (re-integratiegesprek)
    "97": ReasonGroup.OTHER,  # oorzaak bij partner
    "98": ReasonGroup.OTHER,  # andere oorzaak
}

# Reasons of inflow. The BUS has no inflow reason (CBS derives it from other registers); the GGM model carries
# a CBS code per reden instroom, and the local list 'oorzaak bijstandsafhankelijkheid' (GWS4all) bridges to the
# kenmerk-34 numbering, so the inflow codes mirror it: 11 is the end of work, 02 the end of a relationship.
INFLOW_REASONS: dict[str, ReasonGroup] = {
    "01": ReasonGroup.OTHER,  # beëindiging studie of onderwijs
    "02": ReasonGroup.RELATIONSHIP,  # beëindiging huwelijk of relatie
    "05": ReasonGroup.OTHER,  # einde detentie
    "11": ReasonGroup.WORK,  # einde arbeid in dienstbetrekking of ziektewetuitkering
    "13": ReasonGroup.WORK,  # einde zelfstandig beroep of bedrijf
    "14": ReasonGroup.BENEFIT,  # einde werkloosheidsuitkering
    "15": ReasonGroup.BENEFIT,  # einde arbeidsongeschiktheidsuitkering
    "17": ReasonGroup.OTHER,  # einde alimentatie
    "18": ReasonGroup.OTHER,  # vermogen of vermogensopbrengsten op
    "19": ReasonGroup.OTHER,  # einde ander inkomen
    "32": ReasonGroup.MOVING,  # verhuizing vanuit een andere gemeente
    "33": ReasonGroup.MOVING,  # vestiging vanuit het buitenland (ook vanuit een azc)
    "97": ReasonGroup.OTHER,  # oorzaak bij partner
    "98": ReasonGroup.OTHER,  # andere oorzaak
}


def reason_code(text: str | None) -> str | None:
    """A reason as stored: trimmed, a number of one digit zero-padded ('2' -> '02'); None when empty."""
    if text is None or not text.strip():
        return None
    text = text.strip()
    return text.zfill(2) if text.isdigit() and len(text) < 2 else text


def outflow_group(code: str | None) -> ReasonGroup:
    """The CBS group of an outflow reason: UNKNOWN without a reason, OTHER for a code outside kenmerk 34."""
    return _group(OUTFLOW_REASONS, code)


def inflow_group(code: str | None) -> ReasonGroup:
    """The group of an inflow reason: UNKNOWN without a reason, OTHER for a code outside the list."""
    return _group(INFLOW_REASONS, code)


def _group(reasons: dict[str, ReasonGroup], code: str | None) -> ReasonGroup:
    stored = reason_code(code)
    if stored is None:
        return ReasonGroup.UNKNOWN
    return reasons.get(stored, ReasonGroup.OTHER)


# Type of a re-integration provision (SRG, bijlage 2 of the Regeling statistiek): the codes a file may give; a
# provision type is stored as the source gives it ('onbekend' when the file gives none).
PROVISION_TYPES = ("01", "02", "03", "04", "05", "06", "07", "08", "99")
UNKNOWN_PROVISION_TYPE = "onbekend"
