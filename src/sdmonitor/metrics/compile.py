"""Derived measures compiled from their declarations: ratios, fractions and differences of other measures.

A metric's query (``metrics/engine.py``) computes its counts, amounts and statistics; every measure declared
as a ratio, fraction or difference of two others (``catalogue.Measure.of``) is added here, by one function,
so that "allocations per client", the outflow, re-entry and repeat shares and the saldo are declarations,
not code. A future measure is the same, for example (in ``catalogue.MEASURES``)::

    Measure("cost", "Kosten (euro)", Kind.AMOUNT, 2, from_counts=("clients",)),  # summed by its query
    Measure("cost_per_client", "Kosten per cliënt (euro)", Kind.RATIO, 2, of=("cost", "clients")),
    Measure("within_norm", "Binnen de norm", Kind.COUNT),  # counted by its query
    Measure("share_within_norm", "Aandeel binnen de norm", Kind.FRACTION, 4, of=("within_norm", "requests")),

``reports/protect.py`` recomputes the same ratios from the published (rounded) counts.
"""

from __future__ import annotations

from ibis.expr.types import NumericValue, Table

from sdmonitor.metrics.catalogue import Kind, Metric

SUMS = (Kind.AMOUNT, Kind.QUANTITY)


def with_derived(table: Table, metric: Metric) -> Table:
    """``table`` with the metric's derived measures added: a ratio or fraction as numerator / denominator
    rounded to its decimals (NULL when the denominator is 0), a difference as minuend - subtrahend.

    A derived measure may use one declared before it in the metric. Amounts and quantities (``SUMS``) are
    rounded to their decimals here, after the derived measures are computed from their exact values (a
    utilisation of 10 / 12.1379 is 0.8239, not 10 / 12.14 = 0.8237).
    """
    values: dict[str, NumericValue] = {}

    def column(name: str) -> NumericValue:
        return values[name] if name in values else table[name]

    for measure in metric.declared_measures:
        if measure.kind in (Kind.RATIO, Kind.FRACTION):
            numerator, denominator = (column(name) for name in measure.of)
            values[measure.name] = (numerator / denominator.nullif(0)).round(measure.decimals)
        elif measure.kind is Kind.DIFFERENCE:
            minuend, subtrahend = (column(name) for name in measure.of)
            values[measure.name] = minuend - subtrahend
    for measure in metric.declared_measures:  # sums rounded after the ratios are taken from them exactly
        if measure.kind in SUMS:
            values[measure.name] = column(measure.name).round(measure.decimals)
    return table.mutate(**values) if values else table
