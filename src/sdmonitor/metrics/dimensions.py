"""The ``--by`` columns: each one an Ibis expression on the allocation facts.

Static dimensions depend only on the allocation; age dimensions (``age_band``, ``target_group``) depend on
the reference date as well and are computed after the periods are known. Definitions: docs/metrics.md.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ibis
import yaml
from ibis.expr.types import BooleanValue, Table, Value

from sdmonitor.domain.allocations import Law
from sdmonitor.domain.benefits import Regulation
from sdmonitor.domain.codes import jeugd_product_codes, law_codes
from sdmonitor.errors import InputError

UNKNOWN = "onbekend"
DEFAULT_AGE_BANDS = (0, 18, 65)
# The law of a person on a benefit (bijstand, IOAW, IOAZ, Bbz) in the metrics about clients (metrics/clients.py)
PARTICIPATIEWET = "PW"
# CBS: "personen met bijstand of een bijstandsgerelateerde uitkering"; the group of a benefit by its regulation
BENEFIT_CBS_GROUPS = {Regulation.PW.value: "bijstand"}
BENEFIT_RELATED_GROUP = "bijstandsgerelateerde uitkering"  # IOAW, IOAZ, Bbz

# CBS Monitor Sociaal Domein grouping of Wmo product categories.
WMO_CBS_GROUPS = {
    "01": "hulp bij het huishouden",
    **dict.fromkeys(["02", "03", "04", "06", "07", "09", "10"], "ondersteuning thuis"),
    **dict.fromkeys(["05", "08", "11", "12", "13", "14"], "hulpmiddelen en diensten"),
    **dict.fromkeys(["15", "16", "17", "18"], "verblijf en opvang"),
}


def _jeugd_hulpvorm_by_code() -> dict[str, str]:
    return {
        code: entry["hulpvorm_label"]
        for code, entry in jeugd_product_codes().items()
        if entry["hulpvorm"] not in ("-", "")
    }


def _jeugd_hulpvorm_by_category() -> dict[str, str]:
    """The 2015 Jeugd categories (31-38) are CBS hulpvormen themselves ('(2015) Zonder verblijf: ...')."""
    return {
        code: label.removeprefix("(2015) ")
        for code, label in law_codes(Law.JW, "LDT_ProductCategorie").items()
        if code.startswith("3")
    }


def _lookup(column: Value, mapping: dict[str, str]) -> Value:
    """A CASE expression mapping values; null when not in ``mapping``."""
    if not mapping:
        return ibis.null().cast("string")
    return column.cases(*mapping.items(), else_=ibis.null().cast("string"))


def cbs_group(t: Table) -> Value:
    """CBS grouping (Wmo) or hulpvorm (Jeugd) of an allocation; 'onbekend' when unknown. A benefit (law
    ``PW``, its regulation as product category): 'bijstand', or 'bijstandsgerelateerde uitkering' for IOAW,
    IOAZ and Bbz."""
    wmo = _lookup(t.product_category, WMO_CBS_GROUPS)
    jw = ibis.coalesce(
        _lookup(t.product_code, _jeugd_hulpvorm_by_code()),
        _lookup(t.product_category, _jeugd_hulpvorm_by_category()),
    )
    benefit = ibis.coalesce(
        _lookup(t.product_category, BENEFIT_CBS_GROUPS), ibis.literal(BENEFIT_RELATED_GROUP)
    )
    group = ibis.cases((t.law == Law.WMO.value, wmo), (t.law == PARTICIPATIEWET, benefit), else_=jw)
    return ibis.coalesce(group, ibis.literal(UNKNOWN))


def _or_unknown(column: Value) -> Value:
    return ibis.coalesce(column, ibis.literal(UNKNOWN))


STATIC: dict[str, Callable[[Table], Value]] = {
    "law": lambda t: t.law,
    "product_category": lambda t: t.product_category,
    "product_code": lambda t: _or_unknown(t.product_code),
    "cbs_group": cbs_group,
    "provider": lambda t: _or_unknown(t.provider_code),
    "provider_type": lambda t: _or_unknown(t.provider_type),
    "municipality": lambda t: _or_unknown(t.municipality_code),
    "wijk": lambda t: _or_unknown(t.wijk_name),
    "sex": lambda t: t.gender.cases(("1", "man"), ("2", "vrouw"), else_=UNKNOWN),
    "referrer": lambda t: _or_unknown(t.referrer),
    "delivery_form": lambda t: _or_unknown(t.delivery_form),
}
AGE = ("age_band", "target_group")
SPECIAL = ("segment", "overlap")
REQUEST = ("kind", "team", "outcome")  # columns of requests only (metrics/access.py: decision_time)
# columns of benefits and re-integration provisions only (metrics/benefits.py)
BENEFIT = ("regulation", "household_type", "duration_class", "provision_type")
ALL = (*STATIC, *AGE, *SPECIAL, *REQUEST, *BENEFIT)
# The --by columns a metric takes unless its declaration says otherwise (``overlap`` belongs to allocations).
STANDARD_BY = (*STATIC, *AGE, "segment")
# The Dutch header of every --by column, in reports, on the dashboard and in downloads.
HEADERS = {
    "law": "Wet",
    "product_category": "Productcategorie",
    "product_code": "Product",
    "cbs_group": "Vorm van ondersteuning",
    "provider": "Aanbieder",
    "provider_type": "Type aanbieder",
    "municipality": "Gemeente",
    "wijk": "Wijk",
    "sex": "Geslacht",
    "referrer": "Verwijzer",
    "delivery_form": "Leveringsvorm",
    "age_band": "Leeftijd",
    "target_group": "Doelgroep",
    "segment": "Segment",
    "overlap": "Overlap met de periode",
    # the requests' own columns (metrics/access.py)
    "kind": "Soort",
    "team": "Team",
    "outcome": "Uitkomst",
    # the Participatiewet's own columns (metrics/benefits.py)
    "regulation": "Regeling",
    "household_type": "Leefvorm",
    "duration_class": "Uitkeringsduur",
    "provision_type": "Soort voorziening",
}
# Columns whose values have an order of their own (rows are sorted by it rather than alphabetically).
# The CBS duration classes of bijstand (StatLine 82663NED): the values of ``duration_class``.
DURATION_CLASS_LABELS = (
    "0-6 maanden", "6-12 maanden", "1-2 jaar", "2-3 jaar", "3-4 jaar", "4-5 jaar", "5 jaar of langer",
)  # fmt: skip
# The CBS groups of reasons of inflow and outflow in CBS's order (domain.benefits.ReasonGroup).
REASON_GROUP_ORDER = ("werk", "andere_uitkering", "relatie", "verhuizing", "overig", "onbekend")
VALUE_ORDER: dict[str, tuple[str, ...]] = {
    "duration_class": DURATION_CLASS_LABELS,
    "reason_group": REASON_GROUP_ORDER,
}


@dataclass(frozen=True)
class AgeBands:
    """Age bands from their lower bounds: (0, 18, 65) -> '0-17', '18-64', '65+'."""

    bounds: tuple[int, ...] = DEFAULT_AGE_BANDS

    def labels(self) -> list[str]:
        """The band labels in order."""
        uppers = [*self.bounds[1:], None]
        return [
            f"{low}+" if up is None else f"{low}-{up - 1}"
            for low, up in zip(self.bounds, uppers, strict=True)
        ]

    def band(self, age: Value) -> Value:
        """The band of an age expression; 'onbekend' when the age is unknown (a partner on a benefit may have no
        birth date)."""
        labels = self.labels()
        expression: Value = ibis.literal(labels[0])
        for bound, label in zip(self.bounds[1:], labels[1:], strict=True):
            expression = ibis.ifelse(age >= bound, ibis.literal(label), expression)
        return ibis.ifelse(age.isnull(), ibis.literal(UNKNOWN), expression)


def parse_age_bands(text: str) -> AgeBands:
    """'0,18,65' -> AgeBands((0, 18, 65)); InputError when not increasing whole numbers starting at 0."""
    try:
        bounds = tuple(int(part) for part in text.split(","))
    except ValueError as exc:
        raise InputError(f"--age-bands '{text}': gebruik ondergrenzen als 0,18,65.") from exc
    if not bounds or bounds[0] != 0 or list(bounds) != sorted(set(bounds)):
        raise InputError(f"--age-bands '{text}': begin bij 0 en laat de grenzen oplopen, zoals 0,18,65.")
    return AgeBands(bounds)


def age_on(birth: Value, on: Value) -> Value:
    """Completed years from ``birth`` to ``on`` (both date expressions)."""
    years = on.year() - birth.year()
    before = (on.month() < birth.month()) | ((on.month() == birth.month()) & (on.day() < birth.day()))
    return years - before.cast("int64")


def age_dimension(name: str, age: Value, law: Value, bands: AgeBands) -> Value:
    """``age_band`` or ``target_group`` (Jeugdwet at any age is 'jeugd', as Lansingerland counts it; Wmo and
    Participatiewet by age); 'onbekend' for an unknown age outside the Jeugdwet."""
    if name == "age_band":
        return bands.band(age)
    adult = (age < 65).cases((True, "volwassenen"), (False, "ouderen"), else_=UNKNOWN)  # NULL: unknown
    return ibis.ifelse((law == Law.JW.value) | (age < 18), ibis.literal("jeugd"), adult)


@dataclass(frozen=True)
class Segment:
    """A named group of allocations, e.g. 'dementie': rules OR-ed within a kind, AND-ed across kinds."""

    name: str
    product_codes: tuple[str, ...] = ()
    product_categories: tuple[str, ...] = ()
    providers: tuple[str, ...] = ()
    laws: tuple[str, ...] = ()

    def matches(self, t: Table) -> BooleanValue:
        """Whether an allocation belongs to the segment."""
        condition: BooleanValue = ibis.literal(True)
        for column, values in (
            (t.product_code, self.product_codes),
            (t.product_category, self.product_categories),
            (t.provider_code, self.providers),
            (t.law, self.laws),
        ):
            if values:
                condition = condition & column.isin(list(values))
        return condition


def read_segments(path: Path) -> tuple[Segment, ...]:
    """Segments from YAML: ``segments: {dementie: {product_codes: [02D01]}, ...}``; InputError if malformed."""
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"Kan segmentenbestand {path} niet lezen: {exc}") from exc
    entries = data.get("segments") if isinstance(data, dict) else None
    if not isinstance(entries, dict) or not entries:
        raise InputError(
            f"{path}: verwacht 'segments:' met per segment regels, bijvoorbeeld "
            "'dementie: {product_codes: [02D01, 07D01]}'."
        )
    kinds = {"product_codes", "product_categories", "providers", "laws"}
    segments = []
    for name, rules in entries.items():
        if not isinstance(rules, dict) or not rules or set(rules) - kinds:
            raise InputError(f"{path}: segment '{name}' heeft regels nodig uit: {', '.join(sorted(kinds))}.")
        values = {kind: tuple(str(v) for v in rules.get(kind, [])) for kind in kinds}
        segments.append(Segment(str(name), **values))
    return tuple(segments)


def check_by(by: Sequence[str], allowed: Sequence[str] = ALL) -> None:
    """Raise InputError for an unknown or repeated ``--by`` column."""
    for name in by:
        if name not in allowed:
            raise InputError(f"Onbekende kolom '{name}' voor --by. Kies uit: {', '.join(allowed)}.")
    if len(set(by)) != len(by):
        raise InputError("Een kolom staat meer dan eens in --by.")
