"""Participatiewet (bijstand, issue 14): the benefits as they count, and the persons on them.

docs/metrics.md ("Participatiewet") has the definitions with worked examples. In short:

- ``benefit_facts``: the one place where the as-of and data-moment rules for benefits live. A version counts
  when it is known at ``as_of`` (``known_from <= T < superseded_at``, as ``engine.facts`` for allocations);
  on the data ``moment`` a benefit starting after it is left out and an end date after it is a planned end
  (the benefit runs, and its outflow reason is not known yet).
- ``benefit_persons``: one row per benefit and person (CBS: a couple on one benefit is two persons and one
  benefit): the applicant (role ``aanvrager``) and, when the benefit has one, the partner (``partner``),
  each with their own client key (one key over all laws), birth date and sex, and the benefit's regulation,
  household type, dates, place and reasons.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import ibis
from ibis.expr.types import Table

from sdmonitor.metrics import engine

APPLICANT = "aanvrager"
PARTNER = "partner"

# The columns of ``benefit_persons``, in order (``wijk_name`` follows when the facts carry it).
PERSON_COLUMNS = (
    "source", "benefit_id", "role", "client_key", "birth_date", "gender", "regulation", "household_type",
    "cost_sharers", "start_date", "end_date", "municipality_code", "pc4", "inflow_reason", "outflow_reason",
)  # fmt: skip


def benefit_facts(
    backend: Any, as_of: date | datetime | None, moment: date | None = None, *, wijk: bool = False
) -> Table:
    """The benefits that count: one row per benefit, the version known at the end of the day ``as_of`` (at
    the moment ``as_of``; None: the current version), as realised on the data ``moment``.

    Realised (docs/metrics.md, "Realised, planned and incomplete"): a benefit starting after the moment is
    left out (a planned start); an end date after it is a planned end, so the benefit runs and has no outflow
    reason yet (an end on the moment itself is realised). ``wijk``: add ``wijk_name`` from the postcode areas.
    Every benefit metric reads the benefits through here.
    """
    versions = backend.table("benefit_versions")
    if as_of is None:
        versions = versions.filter(versions.superseded_at.isnull())
    else:
        cutoff = ibis.literal(engine.as_of_cutoff(as_of))
        versions = versions.filter(
            (versions.known_from < cutoff)
            & (versions.superseded_at.isnull() | (versions.superseded_at >= cutoff))
        )
    if moment is not None:
        planned_end = versions.end_date > moment
        versions = versions.filter(versions.start_date <= moment).mutate(
            end_date=ibis.ifelse(planned_end, ibis.null().cast("date"), versions.end_date),
            outflow_reason=ibis.ifelse(planned_end, ibis.null().cast("string"), versions.outflow_reason),
        )
    columns = [
        "source", "benefit_id", "client_key", "birth_date", "gender", "partner_key", "partner_birth_date",
        "partner_gender", "regulation", "household_type", "cost_sharers", "start_date", "end_date",
        "inflow_reason", "outflow_reason", "municipality_code", "pc4",
    ]  # fmt: skip
    if wijk:
        areas = backend.table("postcode_areas").select("pc4", "wijk_name").distinct()
        versions = versions.left_join(areas, "pc4")
        columns.append("wijk_name")
    return versions.select(*columns)


def benefit_persons(facts: Table) -> Table:
    """One row per benefit and person of ``benefit_facts``: the applicant (role 'aanvrager') and the partner
    (role 'partner', only when the benefit has one), with the columns ``PERSON_COLUMNS`` (plus ``wijk_name``
    when the facts have it). A partner's birth date and sex are the partner's own; everything else is the
    benefit's.

    Example: benefit U1 of applicant A with partner B -> (U1, aanvrager, A), (U1, partner, B).
    """
    shared = [c for c in PERSON_COLUMNS if c not in ("role", "client_key", "birth_date", "gender")]
    if "wijk_name" in facts.columns:
        shared.append("wijk_name")

    def arm(t: Table, role: str, key: str, birth: str, gender: str) -> Table:
        values = {
            "role": ibis.literal(role),
            "client_key": t[key].cast("int64"),
            "birth_date": t[birth].cast("date"),
            "gender": t[gender].cast("string"),
        }
        # the arms differ in nullability (the applicant's birth date is NOT NULL): the union needs one type
        typed = {name: value.cast(value.type().copy(nullable=True)) for name, value in values.items()}
        return t.select(*shared, **typed)

    partners = facts.filter(facts.partner_key.notnull())
    both = ibis.union(
        arm(facts, APPLICANT, "client_key", "birth_date", "gender"),
        arm(partners, PARTNER, "partner_key", "partner_birth_date", "partner_gender"),
    )
    order = [*PERSON_COLUMNS, *(["wijk_name"] if "wijk_name" in facts.columns else [])]
    return both.select(*order)
