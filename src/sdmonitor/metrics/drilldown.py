"""Drill-down: the pseudonymised allocations behind a clients figure (the query; the dashboard's details page,
for analysts and admins only, shows them).

For one period and the filters of a figure, the allocations that make a client count: running in the
period, in the chosen groups. The groups are computed with the metric engine's own expressions
(``metrics.clients.client_facts``, ``engine.with_static``, ``age_dimension``), so the number of distinct pseudonyms
equals the figure; a person on a benefit shows as law ``PW``, the regulation as product category and
``gemeente`` as provider. The query holds only the period's dates; the chosen values are applied to the rows afterwards
(filters never reach SQL). Rows show the client's integer key from the identity table under "Pseudoniem"
(never a BSN, the BSN's keyed hash or a name), the age at the end of the period, law, product, provider and
the dates of the allocation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import ibis
import pyarrow.compute as pc

from sdmonitor.domain.periods import Period
from sdmonitor.metrics import engine
from sdmonitor.metrics.clients import client_facts
from sdmonitor.metrics.dimensions import AgeBands, age_dimension, age_on
from sdmonitor.warehouse import Warehouse
from sdmonitor.warehouse.allocations import data_window

COLUMNS = (
    "pseudonym", "age", "law", "product_category", "product_code", "provider", "start_date", "end_date",
)  # fmt: skip


@dataclass(frozen=True)
class Drilldown:
    """The rows behind a figure and how many distinct clients they hold."""

    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    clients: int


def client_rows(
    warehouse: Warehouse,
    period: Period,
    values: tuple[tuple[str, str], ...],
    within: tuple[date, date],
    *,
    bands: AgeBands,
    segments: tuple[Any, ...] = (),
    months_per_slot: int | None = None,
) -> Drilldown:
    """Allocations running in ``period`` whose groups equal ``values`` ((column, value) pairs).

    ``within`` is the date range of the request the figure came from: with age columns a client's age
    comes from the earliest birth date on the allocations running in that range, as in the metric.
    """
    by = tuple(column for column, _ in values)
    scope = engine.Scope((period,), by, bands, segments, 0, months_per_slot)
    t = client_facts(warehouse.ibis(), None, by)  # persons on benefits too, as in the figure
    moment = data_window(warehouse, None).moment
    if (
        moment is not None
    ):  # as the realised figure: an allocation that starts after the data moment is planned
        t = t.filter(t.start_date <= moment)
    t = engine.with_static(engine.overlapping(t, *within), scope)
    t = engine.overlapping(t, period.first, period.last)
    age = age_on(t.birth_date, ibis.literal(period.last))
    groups = {f"g_{column}": t[f"g_{column}"] for column in scope.static}
    for column in scope.ageing:
        groups[f"g_{column}"] = age_dimension(column, age, t.law, bands)
    t = t.select(
        pseudonym=t.client_key, age=age, law=t.law, product_category=t.product_category,
        product_code=t.product_code, provider=t.provider_code, start_date=t.start_date, end_date=t.end_date,
        **groups,
    )  # fmt: skip
    table = warehouse.ibis().to_pyarrow(t)
    for column, value in values:
        table = table.filter(pc.equal(table.column(f"g_{column}"), value))
    table = table.select(list(COLUMNS)).sort_by([("pseudonym", "ascending"), ("start_date", "ascending")])
    clients = len(pc.unique(table.column("pseudonym"))) if table.num_rows else 0
    return Drilldown(COLUMNS, [tuple(row.values()) for row in table.to_pylist()], clients)
