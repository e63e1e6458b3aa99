"""The facts of the metrics about clients across the three laws (issue 14): allocations and persons on benefits.

A person on a running benefit (applicant and partner each) is a client of law ``PW`` in the metrics about
clients at a time (``catalogue.Metric.with_benefits``: ``clients``, ``stock``, ``profile``, ``stacking``,
``stacking_combinations``); the client key is the one of all laws, so a partner on a benefit with Wmo support
is one client. docs/metrics.md, "Clients across the three laws", has the rule and a worked example.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import ibis
from ibis.expr.types import Table, Value

from sdmonitor.metrics import benefits, engine
from sdmonitor.metrics.dimensions import PARTICIPATIEWET

BENEFIT_LOADS = "benefits"  # loads.kind of `sdm load benefits`: its data moment counts for client_facts
BENEFIT_PROVIDER = "gemeente"  # provider and provider type of a benefit: the municipality pays it itself


def client_facts(
    backend: Any,
    as_of: date | datetime | None,
    by: Sequence[str] = engine.ALL_COLUMNS,
    moment: date | None = None,
) -> Table:
    """The facts of the metrics about clients (``catalogue.Metric.with_benefits``): the allocations of
    ``engine.facts`` and, when benefits are loaded, one row per person on a benefit (``benefit_rows``), so that a
    person on a running benefit is a client of law ``PW`` (docs/metrics.md, "Clients across the three laws").

    A person on a benefit has one birth date on all their rows (``with_known_births``), so that their age does
    not depend on the dates or periods asked. Without any loaded benefit this is ``engine.facts`` itself: the
    same query, as fast as before.
    """
    allocations = engine.facts(backend, as_of, by, moment)
    if not has_benefits(backend):
        return allocations
    # one schema for both, every column nullable (a partner on a benefit may have no birth date)
    schema = ibis.schema({name: kind.copy(nullable=True) for name, kind in allocations.schema().items()})
    persons = benefit_rows(backend, as_of, by, moment).select(*allocations.columns)
    return with_known_births(allocations.cast(schema), persons.cast(schema))


def with_known_births(allocations: Table, persons: Table) -> Table:
    """The union of ``allocations`` and ``persons`` (benefit rows shaped as allocation facts, ``benefit_rows``),
    every row of a person on a benefit with that person's birth date: the earliest on any of their rows, as
    applicant, as partner or on an allocation, in the data in use (NULL when none has one: 'onbekend').

    The metrics take a client's earliest birth date over the rows running in the range asked for
    (``engine.with_static``); a partner's birth date is optional, so without this their age would depend on
    which dates or periods are asked (docs/metrics.md, "Clients across the three laws"). The rows of a client
    without a benefit keep their own birth dates: the allocation metrics' rule, unchanged.

    Example: B partner on M1 (2020) without a birth date, applicant on M2 from 2021 born 1950-06-01 -> B's row
    of M1 has 1950-06-01: 65+ on 2020-06-30, whether or not 2021-06-30 is asked as well.
    """
    keys = persons.select(p_client=persons.client_key)
    known = ibis.union(
        persons.select("client_key", "birth_date"),
        allocations.semi_join(keys, allocations.client_key == keys.p_client).select(
            "client_key", "birth_date"
        ),
    )
    births = known.group_by(k_client=known.client_key).aggregate(k_birth=known.birth_date.min())
    both = allocations.union(persons)
    joined = both.left_join(births, both.client_key == births.k_client)
    # a client without a benefit has no row in ``births``: their own birth date
    return joined.mutate(birth_date=ibis.coalesce(joined.k_birth, joined.birth_date)).select(*both.columns)


def has_benefits(backend: Any) -> bool:
    """Whether any benefit was ever loaded (a version of any moment: ``--as-of`` filters them later)."""
    versions = backend.table("benefit_versions")
    return bool(backend.to_pyarrow(versions.limit(1).count()).as_py() > 0)


def benefit_rows(
    backend: Any,
    as_of: date | datetime | None,
    by: Sequence[str] = engine.ALL_COLUMNS,
    moment: date | None = None,
) -> Table:
    """The persons on benefits shaped as allocation facts: one row per benefit and person (applicant and
    partner each, ``benefits.benefit_persons`` of ``benefits.benefit_facts``: the as-of and data-moment rules
    of benefits), law ``PW``, the regulation (PW, IOAW, IOAZ, BBZ) as product category, provider and provider
    type ``gemeente``; product code, referrer and delivery form do not apply (empty: 'onbekend' under
    ``--by``)."""
    p = benefits.benefit_persons(benefits.benefit_facts(backend, as_of, moment, wijk="wijk" in by))
    nothing = ibis.null().cast("string")
    columns: dict[str, Value] = {
        "allocation_id": p.source.concat(":", p.benefit_id, ":", p.role),
        "client_key": p.client_key,
        "birth_date": p.birth_date,
        "gender": p.gender,
        "municipality_code": p.municipality_code,
        "law": ibis.literal(PARTICIPATIEWET),
        "product_category": p.regulation,
        "product_code": nothing,
        "provider_code": ibis.literal(BENEFIT_PROVIDER),
        "referrer": nothing,
        "delivery_form": nothing,
        "start_date": p.start_date,
        "end_date": p.end_date,
    }
    if "wijk" in by:
        columns["wijk_name"] = p.wijk_name
    if "provider_type" in by:
        columns["provider_type"] = ibis.literal(BENEFIT_PROVIDER)
    return p.select(**columns)
