"""Report-wide small-cell protection: which cells of a whole report to hide.

Every count in every table and key figure gets a name that does not depend on the table or the metric it
came from: its groups (sorted), its period and its measure (``law=WMO;target_group=jeugd|2018-H1#clients``).
The same figure in two tables (or in a table and a key figure, or as the "previous period" column of the
next row) therefore has one name, and is hidden everywhere or nowhere. The sums a reader could use are
declared as relations:

- a total row and the rows above it;
- within a row: clients = men + women + sex unknown (the profile);
- across tables (and a table and its subtotal rows): a figure by some groups = the sum of the same figure
  split one group column further, whenever both are in the report, one sum per column (``law=PW`` = its
  target groups, and = its age bands). Every group column counts as a partition, also where a client can be
  in two groups (a client turning 18 in a half-year, a client of two laws under a target group's own
  total, two CBS groups): the sum is then at least the total, and hiding as if it were exact is
  conservative;
- stacking over laws: a law's clients = the clients of every combination with that law.

Primary suppression hides counts from 1 to the threshold; secondary suppression (``suppression.suppress``)
then hides the smallest shown part of any relation with exactly one hidden part, until nothing changes.
Primary suppression always uses the exact counts, also when counts are published rounded to fives.

A count declared ``from_counts`` others (the costs' ``client_months`` of its ``paid_clients``) is hidden
with them as well as on its own: a cell of 3 clients with costs does not show their 12 client-months. An
amount (``amount``) is hidden with the counts it sums over, like a ratio; the columns of ``--prices``
(``amount_prices_2025``, ``cost_per_client_prices_2025``) are protected as the measure they correct.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, cast

from sdmonitor.domain.benefits import Regulation
from sdmonitor.domain.formatting import half_up
from sdmonitor.metrics.catalogue import (
    CATALOGUE,
    COLUMN_DECIMALS,
    DERIVED,
    MEASURES,
    Kind,
    Measure,
    MeasureNames,
    corrected_measure,
)
from sdmonitor.metrics.compare import primary_measure
from sdmonitor.reports.suppression import Policy, Relation, primary, round_to_five, suppress

# What is protected follows the measure declarations (metrics/catalogue.py), read on each use.
# Counts of people, allocations or events, and the growth column with the previous period's count: protected.
COUNTS = MeasureNames([Kind.COUNT], extra=["previous"])
# Measures that name a row rather than count (stacking: the number of groups a client has).
KEY_MEASURES = MeasureNames([Kind.KEY])
# Rates stored as fractions 0..1 and shown as percentages.
FRACTIONS = MeasureNames([Kind.FRACTION], percent=False)
# Rates held as numbers of percent (98.0 = 98,0 %): the ``percent`` fractions and the growth's change_pct.
PERCENT_POINTS = MeasureNames([Kind.FRACTION], extra=["change_pct"], percent=True)
# Groups every client is in exactly one of: a figure split by them adds up to the figure. A benefit (and a
# person on it) has one regulation, household type and duration class (issue 14); an inflow or outflow of the
# bijstand has one reason group, so the reasons add up to the inflow (outflow) of benefit_flows beside them.
# Protection treats every other group column as a partition too (``Ledger.partition_relations``); these are
# the exact ones.
PARTITIONS = (
    "age_band", "target_group", "sex", "duration_class", "regulation", "household_type", "reason_group",
)  # fmt: skip
# Groups that name where a figure comes from, not a breakdown of it: a figure without them is another figure.
TAGS = ("bron", "stapeling")
# benefit_durations (issue 14): a period's outflow is its ended episodes over the seven CBS duration classes.
DURATION_CLASSES = (
    "months_0_6",
    "months_6_12",
    "years_1_2",
    "years_2_3",
    "years_3_4",
    "years_4_5",
    "years_5_plus",
)
# Within one row: the total and its parts (clients = men + women + sex_unknown).
ROW_SUMS = {m.name: m.parts for m in MEASURES.values() if m.parts}
# Sums within a row that no single measure declares, since the total is a measure of other metrics too
# (outflow): they apply to a row that has all their columns (benefit_durations).
DURATION_SUMS = {"outflow": DURATION_CLASSES}
# Figures counted from benefits share measure names with those of allocations (inflow, outflow, net): their
# names carry the source, so 'bron=uitkeringen|2024-H1#inflow' is never the Wmo and Jeugdwet inflow.
BENEFIT_SOURCE = ("bron", "uitkeringen")

REFERENCE_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def benefit_name(key: str) -> str | None:
    """The same figure under the name of the benefit metrics, for clients on a reference date: the clients of
    law PW on a date are the persons on a running benefit on it (``law=PW;target_group=ouderen|2024-06-30#
    clients`` is ``bron=uitkeringen;target_group=ouderen|2024-06-30#persons``), and a client stock by product
    category has a benefit's regulation as its category (``product_category=IOAW`` is ``regulation=IOAW``).
    None for any other figure (over a period a benefit metric counts otherwise)."""
    spec, _, rest = key.partition("|")
    period, _, measure = rest.partition("#")
    if measure != "clients" or not REFERENCE_DATE.fullmatch(period):
        return None
    groups = dict(g.split("=", 1) for g in spec.split(";") if g)
    if groups.get("law") == "PW":
        del groups["law"]
    elif "law" not in groups and groups.get("product_category") in tuple(Regulation):
        groups["regulation"] = groups.pop("product_category")
    else:
        return None
    return figure_key(group_spec([*groups.items(), BENEFIT_SOURCE]), period, "persons")


def followers() -> dict[str, tuple[str, ...]]:
    """Counts hidden with other counts of their row besides on their own: measure -> those counts."""
    return {m.name: m.from_counts for m in MEASURES.values() if m.kind is Kind.COUNT and m.from_counts}


def suppress_following(
    values: Mapping[Hashable, int],
    relations: Iterable[Relation],
    policy: Policy,
    bases: Callable[[Hashable], Iterable[Hashable]],
) -> set[Hashable]:
    """Primary and secondary suppression (``suppression.suppress``) where a count that follows others
    (``followers``: the keys ``bases`` gives for it) is hidden with them besides on its own; the suppression
    then runs again, until nothing changes. The one rule of reports (``Ledger.hide``, keys by name) and the
    dashboard (``web.tables.build_table``, keys by row and column)."""
    relations = list(relations)
    hidden = suppress(values, relations, policy)
    while True:
        more = {key for key in values if key not in hidden and any(base in hidden for base in bases(key))}
        if not more:
            return hidden
        hidden = suppress(values, relations, policy, also={*hidden, *more})


def depends_on(column: str, primary: str) -> tuple[str, ...] | None:
    """The counts of the same row a derived column is computed from (None: any count of the row)."""
    column = corrected_measure(column)[0]
    measure = MEASURES.get(column)
    if measure is not None and measure.kind not in (Kind.COUNT, Kind.KEY):
        if measure.derived_from is None:
            return None
        # a ratio of sums (utilisation = declared / allocated volume) hides with the counts behind the sums
        bases: list[str] = []
        for base in measure.derived_from:
            known = MEASURES.get(base)
            further = None if known is None or known.kind is Kind.COUNT else depends_on(base, primary)
            if known is not None and known.kind is not Kind.COUNT and further is None:
                return None
            bases.extend(further or (base,))
        return tuple(dict.fromkeys(bases))
    if column == "per_1000":
        return (primary,)
    if column in ("change", "change_pct", "trend"):
        return (primary, "previous")
    if column == "long_trend":
        return (primary,)
    return None


def group_spec(groups: Iterable[tuple[str, Any]]) -> str:
    """'law=WMO;target_group=jeugd': the groups of a figure, sorted, so any table order gives one name."""
    return ";".join(f"{column}={value}" for column, value in sorted((c, str(v)) for c, v in groups))


def figure_key(spec: str, period: str, measure: str) -> str:
    return f"{spec}|{period}#{measure}"


def value_measure(measures: tuple[str, ...] | list[str]) -> str:
    """The measure a table is about (``compare.primary_measure``), never one that names a row: the outflow of
    ('reason_group', 'outflow'), not the reason (a table by reason is pivoted, ranked and charted on it)."""
    values = [m for m in measures if m not in KEY_MEASURES]
    return primary_measure(values or list(measures))


def first_value_column(columns: tuple[str, ...], measures: tuple[str, ...]) -> int:
    """The first column that holds a value (not the period, a group, or a measure that names a row)."""
    return next(i for i, c in enumerate(columns) if c in measures and c not in KEY_MEASURES)


@dataclass
class Ledger:
    """Every protected count of a report by name, and the sums between them."""

    values: dict[str, int] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)

    def add(self, key: str, value: Any) -> None:
        if isinstance(value, int) and not isinstance(value, bool):
            self.values[key] = value

    def partition_relations(self) -> list[Relation]:
        """Across tables: a figure = the sum of the figures one group column further split, one relation per
        total and column (one sum of a law's target groups, another of its age bands: a hidden ouderen cell
        and a hidden 65+ cell are each the only hidden part of their own sum). Every group column but the
        ``TAGS`` counts, exact partitions (``PARTITIONS``) or not: a target group's own total over the laws
        (figure 3) counts a client of two laws once, so the laws' sum is at least that total; treating it
        as exact hides at least as much. A law's clients are also the sum of the stacking combinations with
        that law (``combination=PW + WMO;stapeling=law``)."""
        aliases = {name: key for key in self.values if (name := benefit_name(key)) is not None}

        def known(name: str) -> str | None:  # the figure of that name in the report, under either name
            return name if name in self.values else aliases.get(name)

        parts: dict[tuple[str, str], dict[str, str]] = {}  # (total, column) -> one key per figure
        for key in self.values:
            figure = benefit_name(key) or key  # a figure under two names is one part of a sum, not two
            for name in dict.fromkeys(n for n in (key, benefit_name(key)) if n is not None):
                spec, bar, rest = name.partition("|")
                if not bar:  # a table's total row ('instroom#totaal#inflow'): declared with the table
                    continue
                groups = [g for g in spec.split(";") if g]
                for group in groups:
                    column, _, value = group.partition("=")
                    if column in TAGS:
                        continue
                    others = [g for g in groups if g != group]
                    totals = [(f"{';'.join(others)}|{rest}", column)]
                    if column == "combination" and "stapeling=law" in others:
                        plain = [
                            (c, v) for c, _, v in (g.partition("=") for g in others if g != "stapeling=law")
                        ]
                        totals += [
                            (f"{group_spec([*plain, ('law', law)])}|{rest}", f"combination~{law}")
                            for law in value.split(" + ")
                        ]
                    for total, partition in totals:
                        if (found := known(total)) is not None:
                            parts.setdefault((found, partition), {}).setdefault(figure, key)
        same = [  # one figure under two names (both in the report): hidden under both or neither
            relation
            for name, key in aliases.items()
            if name in self.values
            for relation in (Relation(name, (key,)), Relation(key, (name,)))
        ]
        return [*same, *(Relation(total, tuple(keys.values())) for (total, _), keys in parts.items())]

    def hide(self, policy: Policy) -> Protection:
        """Primary and secondary suppression over the whole report; a count that follows others
        (``followers``) is hidden with them, and the suppression then runs again, until nothing changes."""
        values = cast("Mapping[Hashable, int]", self.values)  # str keys; Mapping is invariant in its key
        relations = [*self.relations, *self.partition_relations()]
        follows = followers()

        def bases(key: Hashable) -> tuple[str, ...]:
            spec, _, measure = str(key).rpartition("#")
            return tuple(f"{spec}#{base}" for base in follows.get(measure, ()))

        hidden = suppress_following(values, relations, policy, bases)
        return Protection(
            frozenset(str(k) for k in hidden), frozenset(str(k) for k in primary(values, policy))
        )


@dataclass(frozen=True)
class Protection:
    """The outcome: hidden names, and which of them are small (shown '< 5'; the others 'x')."""

    hidden: frozenset[str] = frozenset()
    small: frozenset[str] = frozenset()


def fraction(measure: Measure, numerator: Any, denominator: Any) -> float | None:
    """A declared ratio or fraction of two published figures, as ``compile.with_derived`` computes it: a
    ``complement`` is 1 minus it, a ``percent`` is in percent, rounded to its decimals half away from zero."""
    if not denominator:
        return None
    value = numerator / denominator
    if measure.complement:
        value = 1 - value
    if measure.percent:
        step = Decimal(1).scaleb(-measure.decimals)
        value = float(Decimal(repr(value * 100)).quantize(step, rounding=ROUND_HALF_UP))
    return float(value)


def rounded(values: Mapping[str, Any], policy: Policy) -> dict[str, Any]:
    """A row's values as published: counts rounded to fives when asked, and the declared ratios, fractions
    and differences and the rates per 1,000 and per 10,000 recomputed from the rounded counts (so no exact
    count can be worked back from them)."""
    if not policy.round_to_5:
        return dict(values)
    out = {
        c: round_to_five(v) if c in COUNTS and isinstance(v, int) and not isinstance(v, bool) else v
        for c, v in values.items()
    }
    for column in values:
        name, suffix = corrected_measure(column)
        measure = MEASURES.get(name)
        if measure is None or measure.kind not in DERIVED:
            continue
        if not any(part in COUNTS for part in measure.of):  # a ratio of sums (utilisation) reveals no count
            continue
        # a corrected ratio (cost_per_client_prices_2025) divides the corrected amount by the rounded count
        parts = [f"{part}{suffix}" if f"{part}{suffix}" in out else part for part in measure.of]
        if any(part not in out for part in parts):
            continue
        first, second = (out[part] for part in parts)
        if measure.kind is Kind.DIFFERENCE:
            out[column] = (first or 0) - (second or 0)
        else:
            out[column] = fraction(measure, first, second)
    if isinstance(values.get("per_1000"), float) and values.get("clients"):
        out["per_1000"] = values["per_1000"] * out["clients"] / values["clients"]
    for count in PER_10000_COUNTS:  # the BBV rate of the rounded persons (or provisions), as published
        if isinstance(values.get("per_10000"), float) and values.get(count):
            rate = values["per_10000"] * out[count] / values[count]
            out["per_10000"] = half_up(rate, COLUMN_DECIMALS["per_10000"])
    return out


# The counts a rate per 10,000 inhabitants divides (``Metric.per_10000``): persons on benefits, provisions.
PER_10000_COUNTS = tuple(dict.fromkeys(m.per_10000[0] for m in CATALOGUE.values() if m.per_10000 is not None))
