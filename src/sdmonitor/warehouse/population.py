"""The population of ``sdm load population`` as the rates count it (docs/loading.md, "Bevolking laden").

A population file may give, for one municipality and year, the municipality's own rows (no ``wijk_code``), rows
per wijk, or both. The wijken lie inside the municipality, so both summed would count every inhabitant twice.
The one rule, for ``--per-1000`` and ``--per-10000`` alike (``counted_population``):

- a rate split by wijk reads the rows per wijk (the rows without a wijk code fall under wijk 'onbekend', which
  never gets a rate: ``metrics.compare.per_wijk``);
- any other rate reads, per municipality and year, the rows without a wijk code where there are any (the
  municipality's own count), and otherwise the sum of its rows per wijk.

``mixed_years`` lists the municipalities and years that have both, with both sums, so that the load can say
which rows count for what and how far the wijken fall short of (or exceed) the municipality's count.
"""

from __future__ import annotations

from dataclasses import dataclass

import ibis

from sdmonitor.warehouse.database import Warehouse


def counted_population(warehouse: Warehouse, *, by_wijk: bool) -> ibis.Table:
    """The rows of the table ``population`` a rate divides by: all of them when the rate is split by wijk,
    otherwise per (municipality, year) the rows without a wijk code where there are any, else those per wijk."""
    population: ibis.Table = warehouse.ibis().table("population")
    if by_wijk:
        return population
    window = ibis.window(group_by=[population.municipality_code, population.year])
    marked = population.mutate(has_own_total=population.wijk_code.isnull().any().over(window))
    return marked.filter(marked.wijk_code.isnull() | ~marked.has_own_total).drop("has_own_total")


@dataclass(frozen=True)
class MixedYear:
    """A municipality and year with rows of its own (``total_rows``, ``total`` inhabitants: the count of every
    rate not split by wijk) and rows per wijk (``wijk_rows`` in ``wijken`` wijken, ``wijk_total`` inhabitants:
    only for rates by wijk)."""

    municipality_code: str
    year: int
    total_rows: int
    total: int
    wijk_rows: int
    wijken: int
    wijk_total: int


def mixed_years(warehouse: Warehouse) -> list[MixedYear]:
    """The municipalities and years of the loaded population with both rows without and rows with a wijk code,
    in order."""
    rows = warehouse.rows(
        """
        SELECT municipality_code, year,
               count(*) FILTER (WHERE wijk_code IS NULL),
               coalesce(sum(inhabitants) FILTER (WHERE wijk_code IS NULL), 0),
               count(*) FILTER (WHERE wijk_code IS NOT NULL),
               count(DISTINCT wijk_code),
               coalesce(sum(inhabitants) FILTER (WHERE wijk_code IS NOT NULL), 0)
        FROM population
        GROUP BY municipality_code, year
        HAVING count(*) FILTER (WHERE wijk_code IS NULL) > 0 AND count(*) FILTER (WHERE wijk_code IS NOT NULL) > 0
        ORDER BY municipality_code, year
        """
    )
    return [
        MixedYear(str(m), int(y), int(tr), int(t), int(wr), int(w), int(wt))
        for m, y, tr, t, wr, w, wt in rows
    ]
