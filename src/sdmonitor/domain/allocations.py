"""Allocations (toewijzingen): the canonical record every source is mapped to.

An allocation's dates are inclusive: ``start_date`` is the first day of support and ``end_date`` the last
day of support; an empty ``end_date`` means open-ended. The canonical column names below are the contract
for input files (CSV, XLSX, Parquet) and are documented in ``docs/loading.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Law(StrEnum):
    """The law an allocation is made under."""

    WMO = "WMO"
    JW = "JW"


class DeliveryForm(StrEnum):
    """Zorg in natura (ZIN) or persoonsgebonden budget (PGB)."""

    ZIN = "ZIN"
    PGB = "PGB"


@dataclass(frozen=True)
class Column:
    """One canonical input column: its name, its Dutch label and whether a row needs it."""

    name: str
    label: str
    required: bool = False


CANONICAL_COLUMNS: tuple[Column, ...] = (
    Column("allocation_id", "toewijzingsnummer", required=True),
    Column("client_id", "cliëntnummer (pseudoniem)"),
    Column("bsn", "BSN"),
    Column("birth_date", "geboortedatum", required=True),
    Column("gender", "geslacht"),
    Column("municipality_code", "gemeentecode"),
    Column("postcode", "postcode"),
    Column("law", "wet", required=True),
    Column("product_category", "productcategorie", required=True),
    Column("product_code", "productcode"),
    Column("provider_code", "AGB-code aanbieder"),
    Column("provider_name", "naam aanbieder"),
    Column("start_date", "ingangsdatum", required=True),
    Column("end_date", "einddatum"),
    Column("volume", "omvang"),
    Column("unit", "eenheid"),
    Column("frequency", "frequentie"),
    Column("delivery_form", "leveringsvorm"),
    Column("referrer", "verwijzer"),
    Column("request_date", "aanvraagdatum"),
    Column("decision_date", "besluitdatum"),
    Column("change_reason", "reden wijziging"),
    Column("end_reason", "reden beëindiging"),
)

COLUMN_NAMES: tuple[str, ...] = tuple(column.name for column in CANONICAL_COLUMNS)
COLUMNS_BY_NAME: dict[str, Column] = {column.name: column for column in CANONICAL_COLUMNS}

# Reden wijziging 13 ("verwijderd"): sent by mistake; kept in the warehouse but never counted.
DELETED_CHANGE_REASON = "13"
