"""The first report-ready summary: distinct clients per law per half-year.

A client counts in a half-year (1 Jan-30 Jun, 1 Jul-31 Dec, inclusive) when at least one of their
allocations runs in it: start <= last day of the half-year and (no end or end >= first day). A client with
support under both laws counts once under each law and once in the total. Deleted allocations (reden
wijziging 13) never count. Half-years run from the first start date to the half-year of the latest start.
"""

from __future__ import annotations

from dataclasses import dataclass

from sdmonitor.warehouse import Warehouse

QUERY = """
WITH spans AS (
    SELECT client_key, law,
           year(start_date) * 2 + CAST(month(start_date) > 6 AS INTEGER) AS first_half,
           year(end_date) * 2 + CAST(month(end_date) > 6 AS INTEGER) AS last_half
    FROM allocations
),
bounds AS (SELECT max(first_half) AS latest FROM spans),
running AS (
    SELECT client_key, law,
           unnest(range(first_half, least(coalesce(last_half, latest), latest) + 1)) AS half
    FROM spans, bounds
)
SELECT half // 2 AS year, half % 2 + 1 AS half_number,
       count(DISTINCT client_key) FILTER (WHERE law = 'WMO') AS wmo,
       count(DISTINCT client_key) FILTER (WHERE law = 'JW') AS jw,
       count(DISTINCT client_key) AS total
FROM running
GROUP BY half
ORDER BY half
"""


@dataclass(frozen=True)
class HalfYearClients:
    """Distinct clients in one half-year: per law and in total."""

    label: str
    wmo: int
    jw: int
    total: int


def clients_per_half_year(warehouse: Warehouse) -> list[HalfYearClients]:
    """Distinct clients per law per half-year over all current allocations (see module docstring)."""
    return [
        HalfYearClients(f"{year}-H{half}", int(wmo), int(jw), int(total))
        for year, half, wmo, jw, total in warehouse.rows(QUERY)
    ]
