"""The data moment of the loads of one kind (docs/metrics.md, "Realised, planned and incomplete").

Per source the extraction date of its newest complete load known before the cutoff, and the earliest of
those over the sources: a figure is only realised up to the source that was extracted first. The moment of
allocation loads is ``allocations.data_window``; this is the same rule for the other kinds of facts
(declarations, for costs).
"""

from __future__ import annotations

from datetime import date, datetime

from sdmonitor.warehouse.database import Warehouse


def data_moment(warehouse: Warehouse, kind: str, cutoff: datetime | None) -> date | None:
    """The data moment of the complete loads of ``kind`` known before ``cutoff`` (None: all); None without
    such loads."""
    value = warehouse.value(
        "SELECT min(extracted_on) FROM ("
        "  SELECT source, arg_max(extracted_on, load_id) AS extracted_on"
        "  FROM loads WHERE kind = ? AND status = 'complete'"
        "  AND (CAST(? AS TIMESTAMP) IS NULL OR known_from < ?)"
        "  GROUP BY source)",
        [kind, cutoff, cutoff],
    )
    return value if isinstance(value, date) else None
