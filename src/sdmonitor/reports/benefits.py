"""The Participatiewet parts of a report (issue 14): whether benefits and re-integration provisions are
loaded, what a section about them says without them, and what a section of reasons says when the source gives
none.

A report is made whether or not the income system's benefits are loaded (``sdm load benefits``); without
them every section whose metric reads benefits says so in one Dutch sentence and shows no table, as the
access and money parts do. Figure 3 (unique clients per law and target group) then simply has no
Participatiewet rows. The same holds for re-integration provisions (``sdm load reintegration``). A section of
inflow (or outflow) reasons whose every figure is 'onbekend' says that the source gives no reasons instead of
showing a table with one row 'Onbekend' (``missing_reasons``).
"""

from __future__ import annotations

from sdmonitor.domain.benefits import INFLOW_REASONS, OUTFLOW_REASONS, ReasonGroup
from sdmonitor.domain.wording import (
    HOUSEHOLD_TYPE_NAMES,
    INFLOW_GROUP_NAMES,
    INFLOW_REASON_NAMES,
    OUTFLOW_GROUP_NAMES,
    OUTFLOW_REASON_NAMES,
    REGULATION_NAMES,
)
from sdmonitor.metrics import CATALOGUE, MetricResult
from sdmonitor.warehouse import Warehouse, inventory

BENEFITS = "benefits"  # the kind of a benefits load (``loads.kind``) and what a benefit metric reads
REINTEGRATION = "reintegration"  # the kind of a re-integration load, and what ``reintegration`` reads
NO_BENEFIT_DATA = "Geen gegevens over uitkeringen geladen: laad de uitkeringen uit het inkomenssysteem met sdm load benefits."
NO_REINTEGRATION_DATA = (
    "Geen gegevens over re-integratievoorzieningen geladen: laad ze uit het inkomenssysteem met sdm load "
    "reintegration."
)
REASON_GROUP = (
    "reason_group"  # the key column of the reason metrics (benefit_inflow_reasons, ..._outflow_...)
)
# What a section of reasons says when the source gives none in any of its periods: a table with only
# 'Onbekend' would repeat the inflow (or outflow) as if it were a finding.
NO_REASONS = (
    "Geen redenen van {flow}: het inkomenssysteem geeft in deze periodes bij geen enkele {what} een reden "
    "({field}), dus alle {flow} zou hier 'Onbekend' heten. De {flow} zelf telt wel mee in de in- en uitstroom "
    "uit de bijstand. Wie de reden in de export meelevert (kolom {column} van sdm load benefits, eventueel via de vertaaltabel), "
    "ziet hier de {flow} naar reden."
)
REASON_TEXTS = {
    "benefit_inflow_reasons": {
        "flow": "instroom", "what": "nieuwe uitkering", "field": "oorzaak bijstandsafhankelijkheid",
        "column": "inflow_reason",
    },
    "benefit_outflow_reasons": {
        "flow": "uitstroom", "what": "beëindigde uitkering", "field": "reden beëindiging, CBS-kenmerk 34",
        "column": "outflow_reason",
    },
}  # fmt: skip


def benefits_loaded(warehouse: Warehouse) -> bool:
    """Whether benefits have ever been loaded (``loads.kind``)."""
    return any(load.kind == BENEFITS for load in inventory.list_loads(warehouse))


def reintegration_loaded(warehouse: Warehouse) -> bool:
    """Whether re-integration provisions have ever been loaded (``loads.kind``)."""
    return any(load.kind == REINTEGRATION for load in inventory.list_loads(warehouse))


def participation_missing(metric: str | None, benefits: bool, reintegration: bool) -> str | None:
    """Why a section of ``metric`` has no figures (benefits or re-integration provisions never loaded), in
    Dutch; None when its data are loaded or it reads neither."""
    if is_benefit_metric(metric) and not benefits:
        return NO_BENEFIT_DATA
    if metric in CATALOGUE and CATALOGUE[metric].reads == REINTEGRATION and not reintegration:
        return NO_REINTEGRATION_DATA
    return None


def missing_reasons(result: MetricResult) -> str | None:
    """Why a section of reasons shows no table: every figure of it is 'onbekend' (the source gives no inflow
    reasons, or no outflow reasons, in any of its periods), in Dutch; None when some reason is known, when it
    has no rows (nothing flowed) or when it is no section of reasons."""
    texts = REASON_TEXTS.get(result.metric.name)
    if texts is None or not result.rows or REASON_GROUP not in result.columns:
        return None
    at = result.columns.index(REASON_GROUP)
    if any(row[at] != ReasonGroup.UNKNOWN for row in result.rows):
        return None
    return NO_REASONS.format(**texts)


# The code list of a section of reasons and the names of its codes: what its group 'Overig' holds.
REASON_CODES = {
    "benefit_outflow_reasons": (OUTFLOW_REASONS, OUTFLOW_REASON_NAMES),
    "benefit_inflow_reasons": (INFLOW_REASONS, INFLOW_REASON_NAMES),
}


def other_reasons_note(metric: str) -> str:
    """What the group 'Overig' of a section of reasons holds, from the code list (``domain/benefits.py``):
    'Overig: onderwijs met studiefinanciering, overlijden, ... en andere oorzaak, en elke andere reden.' (a code
    outside the list counts as 'overig' too); '' for a metric without reasons."""
    declared = REASON_CODES.get(metric)
    if declared is None:
        return ""
    reasons, names = declared
    other = [_lower_first(names[code]) for code, group in reasons.items() if group is ReasonGroup.OTHER]
    if not other:
        return ""
    named = other[0] if len(other) == 1 else ", ".join(other[:-1]) + " en " + other[-1]
    return f"Overig: {named}, en elke andere reden."


def _lower_first(name: str) -> str:
    """'Overlijden' -> 'overlijden' in a list; an abbreviation ('AOW-leeftijd') stays as it is."""
    return name[0].lower() + name[1:] if len(name) > 1 and name[1].islower() else name


def per_10000_note(metric: str) -> str:
    """The denominator of a section's rate per 10,000 inhabitants (``Metric.per_10000``), written out: the
    BBV indicator it is, and which population it divides by."""
    declared = CATALOGUE[metric].per_10000
    if declared is None:
        return ""
    measure, youngest, oldest = declared
    ages = f"{youngest} jaar en ouder" if oldest is None else f"{youngest} tot en met {oldest} jaar"
    counted = "het aantal personen" if measure == "persons" else "het aantal lopende voorzieningen"
    return (
        f"Per 10.000 inwoners (BBV-indicator): {counted} gedeeld door het aantal inwoners van {ages}, volgens "
        "het geladen bevolkingsbestand voor het jaar van de peildatum, maal 10.000. Zonder bevolkingsgegevens "
        "blijft de kolom leeg."
    )


def is_benefit_metric(metric: str | None) -> bool:
    """Whether a metric counts benefits or the persons on them (it reads the benefits, not allocations)."""
    return metric is not None and metric in CATALOGUE and CATALOGUE[metric].reads == BENEFITS


def benefit_labels(metric: str) -> dict[str, dict[str, str]]:
    """What a reader sees for the codes in a benefit metric's columns: 'Algemene bijstand (Participatiewet)',
    'Alleenstaande ouder', and the reason groups ('Werk'; for inflow 'Einde werk'); none for other metrics."""
    if not is_benefit_metric(metric):
        return {}
    groups = INFLOW_GROUP_NAMES if metric == "benefit_inflow_reasons" else OUTFLOW_GROUP_NAMES
    return {
        "regulation": dict(REGULATION_NAMES),
        "household_type": dict(HOUSEHOLD_TYPE_NAMES),
        "reason_group": dict(groups),
    }
