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

from sdmonitor.metrics.catalogue import MEASURES, Kind, Measure, Metric

SUMS = (Kind.QUANTITY,)  # rounded here; amounts are kept as their query gives them


def with_derived(table: Table, metric: Metric) -> Table:
    """``table`` with the metric's derived measures added: a ratio or fraction as numerator / denominator
    rounded to its decimals (NULL when the denominator is 0), a difference as minuend - subtrahend. A
    ``complement`` fraction is 1 minus that; a ``percent`` fraction is multiplied by 100 before rounding.

    A derived measure may use one declared before it in the metric. Quantities (``SUMS``) are rounded to
    their decimals here, after the derived measures are computed from their exact values (a
    utilisation of 10 / 12.1379 is 0.8239, not 10 / 12.14 = 0.8237).
    """
    values: dict[str, NumericValue] = {}

    def column(name: str) -> NumericValue:
        return values[name] if name in values else table[name]

    for measure in metric.declared_measures:
        if measure.kind in (Kind.RATIO, Kind.FRACTION):
            numerator, denominator = (column(name) for name in measure.of)
            value = numerator / denominator.nullif(0)
            if measure.complement:
                value = 1 - value
            if measure.percent:
                value = value * 100
            values[measure.name] = value.round(measure.decimals)
        elif measure.kind is Kind.DIFFERENCE:
            minuend, subtrahend = (column(name) for name in measure.of)
            values[measure.name] = minuend - subtrahend
    for measure in metric.declared_measures:  # sums rounded after the ratios are taken from them exactly
        if measure.kind in SUMS:
            values[measure.name] = column(measure.name).round(measure.decimals)
    return table.mutate(**values) if values else table


def price_columns(metric: Metric, year: int) -> tuple[str, ...]:
    """The corrected columns of ``--prices year`` (``amount_prices_2025``): one per amount, and one per ratio
    whose numerator is an amount, in the metric's order."""
    return tuple(
        f"{measure.name}_prices_{year}" for measure in metric.declared_measures if _in_money(measure, metric)
    )


def _in_money(measure: Measure, metric: Metric) -> bool:
    return measure.kind is Kind.AMOUNT or (
        measure.kind is Kind.RATIO and MEASURES[measure.of[0]].kind is Kind.AMOUNT
    )


def with_prices(table: Table, metric: Metric, year: int) -> Table:
    """``table`` (whose query gave ``<amount>_prices`` for each amount) with the corrected columns of
    ``price_columns``: the amounts renamed, the ratios recomputed from them as in ``with_derived``."""
    values: dict[str, NumericValue] = {}
    for measure in metric.declared_measures:
        if not _in_money(measure, metric):
            continue
        if measure.kind is Kind.AMOUNT:
            values[f"{measure.name}_prices_{year}"] = table[f"{measure.name}_prices"]
        else:
            numerator, denominator = values[f"{measure.of[0]}_prices_{year}"], table[measure.of[1]]
            values[f"{measure.name}_prices_{year}"] = (numerator / denominator.nullif(0)).round(
                measure.decimals
            )
    return table.mutate(**values)
