"""Growth, trend arrows and rates per 1,000 and per 10,000 inhabitants, added to a metric's (small) result table.

Growth compares each group with its previous period and with the first period of the range (the base, for
the long-term trend colour of the Lansingerland report). Rates (``add_rates``) divide by the inhabitants of
the matching population: the same year (of the period's last day; without a population of that year the
latest earlier year's, named in a note: ``population_for_years``), and the same municipality, wijk, sex and
age group where the table is split by those; other columns divide by the whole matching population. Split by
``law``, a Jeugdwet row divides by the inhabitants aged 0-17 and a Participatiewet row by those aged 18 and
over. Split by wijk, a row divides by its own wijk's inhabitants only: wijk 'onbekend' and every wijk without
a population of its own get an empty rate (``per_wijk``, with a note when the population has no wijken).
A municipality given both whole and per wijk is never summed: ``warehouse.population.counted_population``.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date
from typing import Any

import ibis

from sdmonitor.domain.formatting import half_up
from sdmonitor.domain.wording import Trend
from sdmonitor.metrics import benefits
from sdmonitor.metrics.catalogue import CATALOGUE, MEASURES, PREVIOUS_YEAR, Metric
from sdmonitor.metrics.dimensions import PARTICIPATIEWET, UNKNOWN, AgeBands, age_dimension
from sdmonitor.warehouse import Warehouse
from sdmonitor.warehouse.population import counted_population

GROWTH_COLUMNS = ("previous", "change", "change_pct", "trend", "long_trend")
POPULATION_DIMENSIONS = ("municipality", "wijk", "sex", "age_band", "target_group")
ADULTS = "aged_18"  # an inner population column, no --by column: '0-17' or '18+' (``adults_by``)


def primary_measure(measures: Sequence[str]) -> str:
    """The measure growth and rates are about: ``clients`` where there is one, else the first."""
    return "clients" if "clients" in measures else measures[0]


def trend(change_pct: float | None, threshold: float) -> Trend | None:
    """Up or down when the change is more than ``threshold`` percent either way, else flat (the code in a
    result is the member's value: 'up', 'down', 'flat')."""
    if change_pct is None:
        return None
    if change_pct > threshold:
        return Trend.UP
    if change_pct < -threshold:
        return Trend.DOWN
    return Trend.FLAT


def pct_change(now: float, before: float | None) -> float | None:
    if before is None or before == 0:
        return None
    return round((now - before) / before * 100, 1)


def add_growth(
    columns: Sequence[str],
    rows: Sequence[tuple[Any, ...]],
    group_width: int,
    threshold: float,
    unusable: Collection[str] = (),
) -> tuple[tuple[str, ...], list[tuple[Any, ...]]]:
    """Append previous/change/change_pct/trend/long_trend per group; rows must be in period order.

    ``group_width`` is the number of columns after the period that identify a group. A group missing in the
    previous period has no previous value (no arrow), rather than a made-up zero. A period in ``unusable``
    (incomplete, or cut off at the data moment) is never compared: it gets no change or arrow, is no
    previous value, and the long-term base is the first usable period of the range.
    """
    value_at = columns.index(primary_measure(columns[1 + group_width :]))
    periods = list(dict.fromkeys(row[0] for row in rows))
    position = {p: i for i, p in enumerate(periods)}
    usable = [p for p in periods if p not in unusable]
    base_period = usable[0] if usable else None
    seen: dict[tuple[Any, ...], dict[str, Any]] = {}
    out = []
    for row in rows:
        group = tuple(row[1 : 1 + group_width])
        history = seen.setdefault(group, {})
        value = row[value_at]
        previous_period = periods[position[row[0]] - 1] if position[row[0]] > 0 else None
        previous = None
        if previous_period is not None and previous_period not in unusable:
            previous = history.get(previous_period)
        base = history.get(base_period) if base_period is not None and row[0] != base_period else None
        if row[0] in unusable:
            previous = base = None
        change = None if previous is None else value - previous
        change_pct = pct_change(value, previous)
        out.append(
            (
                *row,
                previous,
                change,
                change_pct,
                trend(change_pct, threshold),
                trend(pct_change(value, base), threshold),
            )
        )
        history[row[0]] = value
    return (*columns, *GROWTH_COLUMNS), out


def year_before(label: str) -> str:
    """The label of the same period one year earlier: '2023-H1' for '2024-H1', '2023-03' for '2024-03'."""
    return f"{int(label[:4]) - 1}{label[4:]}"


def add_previous_year(
    columns: Sequence[str],
    rows: Sequence[tuple[Any, ...]],
    group_width: int,
    measures: Sequence[str],
    periods: Sequence[str],
    unusable: Collection[str] = (),
) -> tuple[tuple[str, ...], list[tuple[Any, ...]]]:
    """The rows of ``periods`` with, right after each of ``measures``, its value in the same period a year
    earlier (``<measure>_previous_year``), as Lansingerland's figure 5 shows last year's figure in brackets.

    ``rows`` (period first, then ``group_width`` group columns) must hold the earlier periods too. A group
    without a row a year earlier has no earlier value (None, an empty cell, not 0); a group with a row a year
    earlier but none now gets a row with empty values of its own ("n.b.": nothing registered, which is not
    0). An earlier period in ``unusable`` (incomplete, or cut off at the data moment) is not compared.
    """
    width = 1 + group_width
    by_key = {(str(row[0]), tuple(row[1:width])): row for row in rows}
    out_columns: list[str] = list(columns[:width])
    picks: list[tuple[bool, int]] = []  # (from the earlier row, position)
    for i, column in enumerate(columns[width:], start=width):
        out_columns.append(column)
        picks.append((False, i))
        if column in measures:
            out_columns.append(column + PREVIOUS_YEAR)
            picks.append((True, i))
    out = []
    for period in periods:
        earlier = year_before(period)
        groups = [key for p, key in by_key if p == period]
        groups += [key for p, key in by_key if p == earlier and key not in groups]
        for group in groups:
            now = by_key.get((period, group))
            before = by_key.get((earlier, group)) if earlier not in unusable else None
            values = []
            for from_earlier, i in picks:
                source = before if from_earlier else now
                values.append(None if source is None else source[i])
            out.append((period, *group, *values))
    return tuple(out_columns), out


def population_by(warehouse: Warehouse, by: Sequence[str], bands: AgeBands) -> dict[tuple[Any, ...], int]:
    """Inhabitants per (year, values of the population columns in ``by``)."""
    backend = warehouse.ibis()
    population = counted_population(warehouse, by_wijk="wijk" in by)  # never a wijk and its municipality both
    wijken = backend.table("postcode_areas").select("wijk_code", "wijk_name").distinct()
    joined = population.left_join(wijken, "wijk_code")
    values = {
        "municipality": joined.municipality_code,
        "wijk": ibis.coalesce(joined.wijk_name, ibis.literal(UNKNOWN)),
        "sex": joined.sex.cases(("1", "man"), ("2", "vrouw"), else_=UNKNOWN),
        "age_band": age_dimension("age_band", joined.age, ibis.literal(""), bands),
        "target_group": age_dimension("target_group", joined.age, ibis.literal("WMO"), bands),
        ADULTS: AgeBands((0, 18)).band(joined.age),
    }
    wanted = [name for name in by if name in values]
    ages = [name for name in wanted if name in ("age_band", "target_group", ADULTS)]
    oldest = ibis.coalesce(joined.age_to, 200)
    upper = {
        "age_band": age_dimension("age_band", oldest, ibis.literal(""), bands),
        "target_group": age_dimension("target_group", oldest, ibis.literal("WMO"), bands),
        ADULTS: AgeBands((0, 18)).band(oldest),
    }
    columns = {**{name: values[name] for name in wanted}, **{f"{n}_upper": upper[n] for n in ages}}
    grouped = (
        joined.mutate(**columns).group_by(["year", *columns]).aggregate(inhabitants=joined.inhabitants.sum())
    )
    order = {
        "age_band": bands.labels(),
        "target_group": ["jeugd", "volwassenen", "ouderen"],
        ADULTS: AgeBands((0, 18)).labels(),
    }
    totals: dict[tuple[Any, ...], int] = {}
    unreliable: set[tuple[Any, ...]] = set()
    for record in backend.to_pyarrow(grouped).to_pylist():
        key = (record["year"], *(record[name] for name in wanted))
        totals[key] = totals.get(key, 0) + int(record["inhabitants"])
        for name in ages:  # a band straddling several groups gives none of them an honest denominator
            labels = order[name]
            low, high = labels.index(record[name]), labels.index(record[f"{name}_upper"])
            position = 1 + wanted.index(name)
            for label in labels[low : high + 1] if high > low else []:
                unreliable.add((*key[:position], label, *key[position + 1 :]))
    return {key: total for key, total in totals.items() if key not in unreliable}


def population_for_years(
    inhabitants: dict[tuple[Any, ...], int], years: Collection[int], rate: str
) -> tuple[dict[tuple[Any, ...], int], str | None]:
    """``inhabitants`` (keyed by year first) with each year of ``years`` that has no population of its own
    given the latest earlier year's (never a later one), and a Dutch note naming the year used, or why a
    rate stays empty (no population of that year or before). ``rate`` names the rate in the note
    ("per 10.000 inwoners"). The one rule for ``--per-1000`` and ``--per-10000``."""
    loaded = sorted({key[0] for key in inhabitants})
    used: dict[int, int | None] = {}
    for year in sorted(set(years)):
        if year not in loaded:
            used[year] = max((y for y in loaded if y < year), default=None)
    filled = dict(inhabitants)
    for year, earlier in used.items():
        if earlier is not None:
            filled.update({(year, *key[1:]): n for key, n in inhabitants.items() if key[0] == earlier})
    parts = [
        f"voor {year} de bevolking van {earlier}" for year, earlier in used.items() if earlier is not None
    ]
    empty = [str(year) for year, earlier in used.items() if earlier is None]
    notes = []
    if parts:
        notes.append(f"{rate.capitalize()}: {', '.join(parts)} (de laatste geladen, sdm load population)")
    if empty:
        notes.append(
            f"{rate.capitalize()} leeg voor {', '.join(empty)}: geen bevolking van dat jaar of eerder geladen "
            "(sdm load population)"
        )
    return filled, ("; ".join(notes) + ".") if notes else None


def youth_by(warehouse: Warehouse, by: Sequence[str], bands: AgeBands) -> dict[tuple[Any, ...], int]:
    """Inhabitants aged 0-17 per (year, values of the population columns in ``by``): the CBS denominator of
    Jeugdwet rates per 1,000."""
    groups = population_by(warehouse, (*by, "target_group"), bands)
    return {key[:-1]: total for key, total in groups.items() if key[-1] == "jeugd"}


def adults_by(warehouse: Warehouse, by: Sequence[str], bands: AgeBands) -> dict[tuple[Any, ...], int]:
    """Inhabitants aged 18 and over per (year, values of the population columns in ``by``): the denominator
    of Participatiewet rates per 1,000, as of the BBV indicator (persons per 10,000 aged 18 and over). A
    population band straddling 18 (15-24) gives no denominator."""
    groups = population_by(warehouse, (*by, ADULTS), bands)
    return {key[:-1]: total for key, total in groups.items() if key[-1] == "18+"}


def add_per_1000(
    columns: Sequence[str],
    rows: Sequence[tuple[Any, ...]],
    by: Sequence[str],
    last_days: dict[str, date],
    inhabitants: dict[tuple[Any, ...], int],
    youth: dict[tuple[Any, ...], int] | None = None,
    adults: dict[tuple[Any, ...], int] | None = None,
) -> tuple[tuple[str, ...], list[tuple[Any, ...]]]:
    """Append ``per_1000`` = primary measure / matching inhabitants * 1000 (empty without population).

    Split by ``law`` (without ``target_group``; with it the row's own target group is its denominator), a
    Jeugdwet row is per 1,000 inhabitants aged 0-17 (``youth``, CBS convention) and a Participatiewet row per
    1,000 aged 18 and over (``adults``, as the BBV indicator), where those are given.
    """
    value_at = columns.index(primary_measure(columns[1 + len(by) :]))
    wanted = [i for i, name in enumerate(by) if name in POPULATION_DIMENSIONS]
    law_at = 1 + by.index("law") if "law" in by and "target_group" not in by else None
    of_law = {"JW": youth, PARTICIPATIEWET: adults}
    out = []
    for row in rows:
        key = (last_days[row[0]].year, *(row[1 + i] for i in wanted))
        own = of_law.get(str(row[law_at]).upper()) if law_at is not None else None
        people = (own if own is not None else inhabitants).get(key)
        out.append((*row, half_up(row[value_at] * 1000 / people, 2) if people else None))
    return (*columns, "per_1000"), out


def per_wijk(
    inhabitants: dict[tuple[Any, ...], int], position: int, years: Collection[int], rate: str
) -> tuple[dict[tuple[Any, ...], int], str | None]:
    """``inhabitants`` (keyed by year first, the wijk at ``position``) of a table split by wijk: only those of a
    named wijk, and a Dutch note naming the years of ``years`` whose population has none (not loaded per wijk).

    Inhabitants without a known wijk (a population without wijk codes, or with codes outside the loaded
    wijken) are no denominator of any row: wijk 'onbekend' holds the clients without a wijk, not those
    inhabitants, and the whole municipality would make its rate meaningless. So 'onbekend' and a wijk without
    inhabitants of its own get an empty rate. ``rate`` names the rate in the note ("per 10.000 inwoners").
    """
    named = {key: n for key, n in inhabitants.items() if key[position] != UNKNOWN}
    loaded = {key[0] for key in inhabitants}
    with_wijken = {key[0] for key in named}
    bare = sorted(year for year in set(years) if year in loaded and year not in with_wijken)
    if not bare:
        return named, None
    return named, (
        f"{rate.capitalize()} leeg per wijk voor {', '.join(map(str, bare))}: de bevolking is niet per wijk "
        "geladen (sdm load population met de kolom wijkcode)."
    )


def per_1000_refusal(metric: Metric, option: str = "--per-1000") -> str | None:
    """Why ``option`` (the rate per 1,000) does not apply to ``metric``, in Dutch, or None when it does
    (``Metric.takes_per_1000``): the Participatiewet counts per 10,000 inhabitants of an age group (BBV)."""
    if metric.takes_per_1000:
        return None
    refused = f"{option} hoort niet bij '{metric.name}': de Participatiewet telt"
    if metric.per_10000 is not None:
        measure, youngest, oldest = metric.per_10000
        ages = f"{youngest} jaar en ouder" if oldest is None else f"{youngest} tot en met {oldest} jaar"
        return (
            f"{refused} {MEASURES[measure].label.lower()} per 10.000 inwoners van {ages} (BBV-indicator); "
            f"gebruik sdm metric {metric.name} --per-10000."
        )
    rated = " en ".join(name for name, m in CATALOGUE.items() if m.per_10000 is not None)
    return (
        f"{refused} per 10.000 inwoners van een leeftijdsgroep (BBV-indicator), met --per-10000 bij {rated}."
    )


def add_rates(
    warehouse: Warehouse,
    metric: Metric,
    columns: Sequence[str],
    rows: Sequence[tuple[Any, ...]],
    by: Sequence[str],
    bands: AgeBands,
    last_days: dict[str, date],
    per_1000: bool = False,
    per_10000: bool = False,
) -> tuple[tuple[str, ...], list[tuple[Any, ...]], tuple[str, ...]]:
    """Append ``per_1000`` and/or ``per_10000`` (the metric's BBV rate, ``Metric.per_10000``) to a result
    table, with the Dutch notes on the populations used (``population_for_years``, ``per_wijk``).
    ``last_days``: the last day of each period label (a date's label is the date)."""
    out_columns, out_rows, notes = tuple(columns), list(rows), []
    if per_1000:
        rate = "per 1.000 inwoners"
        years = {last_days[row[0]].year for row in out_rows}
        denominators = [population_by(warehouse, by, bands)]
        if "law" in by and "target_group" not in by:  # Jeugdwet per 1,000 aged 0-17 (CBS), PW 18+ (BBV)
            denominators += [youth_by(warehouse, by, bands), adults_by(warehouse, by, bands)]
        filled = []
        for i, inhabitants in enumerate(denominators):  # the notes of the first: the others only narrow it
            inhabitants, year_note = population_for_years(inhabitants, years, rate)
            wijk_note = None
            if "wijk" in by:
                position = 1 + [name for name in by if name in POPULATION_DIMENSIONS].index("wijk")
                inhabitants, wijk_note = per_wijk(inhabitants, position, years, rate)
            notes += [note for note in (year_note, wijk_note) if note and i == 0]
            filled.append(inhabitants)
        out_columns, out_rows = add_per_1000(out_columns, out_rows, by, last_days, *filled)
    if per_10000:
        assert metric.per_10000 is not None  # run.check_request refused it otherwise
        rate = "per 10.000 inwoners"
        measure, youngest, oldest = metric.per_10000
        years = {date.fromisoformat(str(row[0])).year for row in out_rows}
        inhabitants, note = population_for_years(
            benefits.inhabitants_aged(warehouse, by, bands, youngest, oldest), years, rate
        )
        notes += [note] if note else []
        if "wijk" in by:
            position = 1 + [name for name in by if name in benefits.RATE_DIMENSIONS].index("wijk")
            inhabitants, note = per_wijk(inhabitants, position, years, rate)
            notes += [note] if note else []
        out_columns, out_rows = benefits.add_per_10000(out_columns, out_rows, by, measure, inhabitants)
    return out_columns, out_rows, tuple(notes)
