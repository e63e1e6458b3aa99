"""Code lists of the iWmo/iJw 3.2 standards, read from the packaged reference data.

``codes("iWmo 3.2", "LDT_ProductCategorie")`` gives ``{"01": "Hulp bij het huishouden", ...}``.
"""

from __future__ import annotations

import csv
import json
from functools import cache
from importlib import resources

from sdmonitor.domain.allocations import Law

STANDARD_OF_LAW = {Law.WMO: "iWmo 3.2", Law.JW: "iJw 3.2"}


@cache
def _all_codes() -> dict[tuple[str, str], dict[str, str]]:
    text = resources.files("sdmonitor.domain").joinpath("data/codelists.csv").read_text("utf-8")
    lists: dict[tuple[str, str], dict[str, str]] = {}
    for row in csv.DictReader(text.splitlines()):
        lists.setdefault((row["standaard"], row["datatype"]), {})[row["code"]] = row["omschrijving"]
    return lists


def codes(standard: str, datatype: str) -> dict[str, str]:
    """Codes and descriptions of one code list, e.g. ('iJw 3.2', 'LDT_RedenBeeindiging')."""
    return dict(_all_codes()[(standard, datatype)])


def law_codes(law: Law, datatype: str) -> dict[str, str]:
    """Codes of one code list in the standard of ``law`` (iWmo for WMO, iJw for JW)."""
    return codes(STANDARD_OF_LAW[law], datatype)


@cache
def jeugd_product_codes() -> dict[str, dict[str, str]]:
    """National Jeugdwet product codes (JZ21): code -> {category, description, hulpvorm, hulpvorm_label}."""
    text = resources.files("sdmonitor.domain").joinpath("data/jz21-productcodes.json").read_text("utf-8")
    products = json.loads(text)["products"]
    return {
        p["productcode"]: {
            "category": p["productcategorie_code"],
            "description": p["omschrijving"],
            "hulpvorm": p["dimensie_hulpvorm_code"],
            "hulpvorm_label": p["dimensie_hulpvorm_omschrijving"],
        }
        for p in products
    }


# iWmo eenheid codes that the loading rules name (LDT_Eenheid); 83 amounts are in euro cents.
UNITS = {"01", "04", "14", "16", "82", "83", "84"}
FREQUENCIES = {"1", "2", "4", "6"}
GENDERS = {"0", "1", "2"}
REFERRERS = {"01", "02", "03", "04", "05", "06", "08"}
