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
- The metrics (declared in ``metrics/catalogue.py``): ``count_benefits`` (benefits and persons on reference
  dates, by bit masks of the dates), ``benefit_flows`` and ``benefit_reentry`` (from the episode boundaries of
  one sort), ``benefit_durations`` and the reasons (from the episode table, ``person_episodes``),
  ``count_provisions`` (re-integration); ``inhabitants_aged`` and ``add_per_10000`` give the BBV rates.
  Episodes are per person: benefit periods joined while the days without a benefit are at most
  ``--max-gap-days`` (``DEFAULT_GAP_DAYS`` for these metrics).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, timedelta
from itertools import pairwise, product
from typing import Any

import ibis
import ibis.selectors as selectors
from ibis.expr.types import Table, Value

from sdmonitor.domain.benefits import INFLOW_REASONS, OUTFLOW_REASONS, ReasonGroup
from sdmonitor.errors import InputError
from sdmonitor.metrics import engine
from sdmonitor.metrics.dimensions import DURATION_CLASS_LABELS, UNKNOWN, AgeBands, age_on
from sdmonitor.warehouse import Warehouse
from sdmonitor.warehouse.population import counted_population

APPLICANT = "aanvrager"
PARTNER = "partner"
# Days without a benefit that do not break an episode, unless --max-gap-days says otherwise: a municipal
# convention (Almere: a re-entry within 30 days is neither outflow nor inflow); CBS does not publish its rule.
DEFAULT_GAP_DAYS = 30

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
    versions = engine.known_at(backend.table("benefit_versions"), as_of)
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


def reintegration_facts(
    backend: Any, as_of: date | datetime | None, moment: date | None = None, *, wijk: bool = False
) -> Table:
    """The re-integration provisions that count, by the same rules as ``benefit_facts``: the version known at
    ``as_of``, realised on the data ``moment`` (a start after it left out, an end after it planned: running).
    Columns: source, provision_id, client_key, birth_date, provision_type, start_date, end_date,
    municipality_code, pc4 (and ``wijk_name`` with ``wijk``)."""
    versions = engine.known_at(backend.table("reintegration_versions"), as_of)
    if moment is not None:
        versions = versions.filter(versions.start_date <= moment).mutate(
            end_date=ibis.ifelse(versions.end_date > moment, ibis.null().cast("date"), versions.end_date)
        )
    columns = [
        "source", "provision_id", "client_key", "birth_date", "provision_type", "start_date", "end_date",
        "municipality_code", "pc4",
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


# --- the --by columns ------------------------------------------------------------------------------------------

# The CBS duration classes (StatLine 82663NED, 85585NED): label and the completed months at which it begins.
DURATION_CLASSES: tuple[tuple[str, int], ...] = tuple(
    zip(DURATION_CLASS_LABELS, (0, 6, 12, 24, 36, 48, 60), strict=True)
)
# The open top class begins here: a duration from then on is certain even when the episode may have begun
# before the history start (catalogue.Durations).
TOP_CLASS_MONTHS = DURATION_CLASSES[-1][1]
# The measures of benefit_durations, one per class, in the order of DURATION_CLASSES.
DURATION_MEASURES = (
    "months_0_6", "months_6_12", "years_1_2", "years_2_3", "years_3_4", "years_4_5", "years_5_plus",
)  # fmt: skip

# The --by columns that are a property of the benefit (or provision), the same for everyone on it.
GROUPS: dict[str, Callable[[Table], Value]] = {
    "regulation": lambda t: t.regulation,
    "household_type": lambda t: ibis.coalesce(t.household_type, ibis.literal(UNKNOWN)),
    "wijk": lambda t: ibis.coalesce(t.wijk_name, ibis.literal(UNKNOWN)),
    "provision_type": lambda t: t.provision_type,
    # a person's own sex; a benefit counts by its applicant's (it is counted on the applicant's row)
    "sex": lambda t: t.gender.cases(("1", "man"), ("2", "vrouw"), else_=UNKNOWN),
}
BENEFIT_BY = ("regulation", "household_type", "age_band", "sex", "wijk", "duration_class")
FLOW_BY = ("regulation", "household_type", "age_band", "sex", "wijk")
REINTEGRATION_BY = ("provision_type", "age_band", "wijk")


def _static(scope: engine.Scope) -> list[str]:
    return [name for name in scope.by if name in GROUPS]


def _with_groups(t: Table, scope: engine.Scope) -> Table:
    """``t`` with the static ``--by`` columns as ``g_<name>``; with ``age_band`` every row gets its person's
    earliest birth date over all the rows of ``t`` (benefits as applicant and partner; ``t`` is not yet
    restricted to the dates or periods asked, so the age does not depend on them: a partner without a birth
    date takes it from their other benefits; docs/metrics.md, "Clients across the three laws")."""
    if "age_band" in scope.by:  # a group-by and a join: faster than a window over every person's rows
        births = t.group_by(b_client="client_key").aggregate(b_birth=t.birth_date.min())
        t = t.join(births, t.client_key == births.b_client)
        t = t.mutate(birth_date=t.b_birth).drop("b_client", "b_birth")
    columns = {f"g_{name}": GROUPS[name](t) for name in _static(scope)}
    return t.mutate(**columns) if columns else t


# --- episodes -----------------------------------------------------------------------------------------------


def _with_episodes(t: Table, keys: Sequence[str], max_gap_days: int) -> Table:
    """Each row with ``episode_start``, the first day of its episode within ``keys`` (which names the
    episode): a person's benefit periods, sorted by start, form one episode while the days without a benefit
    between the end so far and the next start (``start - end - 1``) are at most ``max_gap_days``.

    Two window passes over one sort: the latest end before each row, then the start of the latest row that
    began an episode.
    """
    t = t.mutate(end_filled=ibis.coalesce(t.end_date, ibis.literal(engine.OPEN_END)))
    order = [t.start_date, t.end_filled]
    previous_end = t.end_filled.max().over(ibis.window(group_by=keys, order_by=order, rows=(None, -1)))
    t = t.mutate(previous_end=previous_end)
    new = t.previous_end.isnull() | (t.start_date.delta(t.previous_end, unit="day") - 1 > max_gap_days)
    began = ibis.ifelse(new, t.start_date, ibis.null().cast("date"))
    window = ibis.window(group_by=keys, order_by=[t.start_date, t.end_filled], rows=(None, 0))
    return t.mutate(episode_start=began.max().over(window)).drop("previous_end")


def person_episodes(t: Table, scope: engine.Scope) -> Table:
    """The episodes of ``benefit_persons`` rows per person and static ``--by`` group: client_key, g_*,
    episode_start, episode_end (null: running), birth, inflow_reason (of the episode's first benefit),
    outflow_reason (of the benefit that ends it; of two ending that day the highest code)."""
    t = _with_groups(t, scope)
    keys = ["client_key", *(f"g_{name}" for name in _static(scope))]
    t = _with_episodes(t, keys, scope.max_gap_days)
    e = t.group_by([*keys, "episode_start"]).aggregate(
        end_filled=t.end_filled.max(),
        birth=t.birth_date.min(),
        inflow_reason=t.inflow_reason.argmin(t.start_date),
        # the reason of the benefit that ends last; of two ending that day the highest code (a date
        # 'YYYY-MM-DD' is 10 characters: the maximum of date + reason is the last end with its highest reason)
        last_reason=(t.end_filled.cast("string") + ibis.coalesce(t.outflow_reason, "")).max(),
    )
    e = e.mutate(
        episode_end=ibis.ifelse(e.end_filled == engine.OPEN_END, ibis.null().cast("date"), e.end_filled),
        outflow_reason=e.last_reason.substr(10).nullif(""),
    ).drop("last_reason")
    return e.drop("end_filled")


# --- counts on reference dates (benefits, reintegration) ------------------------------------------------------


def _date_key(day: Value) -> Value:
    """A date as the number YYYYMMDD: comparing keys is comparing (year, month, day)."""
    return day.year().cast("int64") * 10000 + day.month().cast("int64") * 100 + day.day().cast("int64")


def _month_key(day: Value) -> Value:
    """A date as (months since year 0) * 100 + day: ``key(start) + m * 100 <= key(day)`` says that at least
    ``m`` calendar months have passed from ``start`` to ``day`` (31 January to 29 February: 0; to 1 March: 1)."""
    months = day.year().cast("int64") * 12 + day.month().cast("int64") - 1
    return months * 100 + day.day().cast("int64")


def _python_date_key(day: date) -> int:
    return day.year * 10000 + day.month * 100 + day.day


def _python_month_key(day: date) -> int:
    return (day.year * 12 + day.month - 1) * 100 + day.day


def _first_reaching(threshold: Value, keys: Sequence[int], low: int = 0, high: int | None = None) -> Value:
    """The index of the first slot whose key is at least ``threshold`` (the number of sorted ``keys`` below
    it): a binary search written as nested CASE, as ``engine._count_passed``."""
    high = len(keys) if high is None else high
    if low == high:
        return ibis.literal(low, type="int64")
    middle = (low + high) // 2
    return ibis.ifelse(
        threshold > keys[middle],
        _first_reaching(threshold, keys, middle + 1, high),
        _first_reaching(threshold, keys, low, middle),
    )


Range = tuple[str, Value, Value]  # a label of an interval dimension and the first and last slot index in it


def _age_ranges(t: Table, scope: engine.Scope) -> list[Range]:
    """Per age band, the slots (by index) in which the row's person is in it: completed years on the date
    (born 2000-06-30: 18 on 2018-06-30), from ``t.birth_key`` (``_date_key`` of the birth date). Without a
    birth date: 'onbekend' on every date.

    Someone is ``n`` or older on a date with key K when their birth key is at most K - n * 10000, so the first
    slot in which they are is the number of slots with K - n * 10000 below the birth key.
    """
    keys = [_python_date_key(slot.first) for slot in scope.slots]
    known = t.birth_key.notnull()
    every = ibis.literal(len(keys) - 1, type="int64")

    def first_aged(years: int) -> Value:
        return _first_reaching(t.birth_key, [key - years * 10000 for key in keys])

    bounds = scope.bands.bounds
    ranges: list[Range] = []
    for i, label in enumerate(scope.bands.labels()):
        low = ibis.literal(0, type="int64") if i == 0 else first_aged(bounds[i])
        high = every if i + 1 == len(bounds) else first_aged(bounds[i + 1]) - 1
        ranges.append((label, ibis.ifelse(known, low, 1), ibis.ifelse(known, high, 0)))  # 1 > 0: no slot
    ranges.append((UNKNOWN, ibis.ifelse(known, 1, 0), ibis.ifelse(known, 0, every)))
    return ranges


def _duration_ranges(t: Table, scope: engine.Scope) -> list[Range]:
    """Per CBS duration class, the slots in which the row's episode is in it on the date: completed months
    from the episode's start (``t.start_key``, ``_month_key``) to the day after the date (the date itself
    counts: a benefit from 1 January is 6 months old on 30 June and 0-6 months on 29 June)."""
    keys = [_python_month_key(slot.first + timedelta(days=1)) for slot in scope.slots]

    def first_lasting(months: int) -> Value:
        return _first_reaching(t.start_key, [key - months * 100 for key in keys])

    ranges: list[Range] = []
    for i, (label, months) in enumerate(DURATION_CLASSES):
        low = ibis.literal(0, type="int64") if i == 0 else first_lasting(months)
        if i + 1 == len(DURATION_CLASSES):
            high = ibis.literal(len(keys) - 1, type="int64")
        else:
            high = first_lasting(DURATION_CLASSES[i + 1][1]) - 1
        ranges.append((label, low, high))
    return ranges


def _masks(t: Table, scope: engine.Scope) -> tuple[Table, Table, list[str]]:
    """Per row one bit mask per word of slots and per combination of the interval dimensions (``age_band``,
    ``duration_class``): bit k set when the row runs on slot k and is in that combination on it.

    Returns the rows (``client_key``, ``role``, g_*, the masks), a table naming each mask (mask_name, word,
    and the interval dimensions' labels) and the mask names.
    """
    first_index, last_index = engine._slot_indexes(t, scope)
    keys: dict[str, Value] = {}
    if "age_band" in scope.by:
        keys["birth_key"] = _date_key(t.birth_date)
    if "duration_class" in scope.by:
        keys["start_key"] = _month_key(t.episode_start)
    t = t.mutate(first_index=first_index, last_index=last_index, **keys)
    dimensions: list[tuple[str, list[Range]]] = []
    if "age_band" in scope.by:
        dimensions.append(("age_band", _age_ranges(t, scope)))
    if "duration_class" in scope.by:
        dimensions.append(("duration_class", _duration_ranges(t, scope)))
    # the bounds get their own projection, so that each is computed once per row, not once per use
    bounds: dict[str, Value] = {}
    for d, (_, ranges) in enumerate(dimensions):
        for r, (_, range_low, range_high) in enumerate(ranges):
            bounds[f"d{d}_{r}_low"], bounds[f"d{d}_{r}_high"] = range_low, range_high
    t = t.mutate(**bounds)
    dimensions = [
        (name, [(label, t[f"d{d}_{r}_low"], t[f"d{d}_{r}_high"]) for r, (label, _, _) in enumerate(ranges)])
        for d, (name, ranges) in enumerate(dimensions)
    ]
    one, zero = ibis.literal(1, type="int8").cast("int64"), ibis.literal(0, type="int8").cast("int64")
    masks: dict[str, Value] = {}
    names: dict[str, list[Any]] = {"mask_name": [], "word": [], **{name: [] for name, _ in dimensions}}
    for c, combination in enumerate(product(*(ranges for _, ranges in dimensions))):
        low: Value = t.first_index
        high: Value = t.last_index
        for _, range_low, range_high in combination:
            low, high = ibis.greatest(low, range_low), ibis.least(high, range_high)
        for word, base in enumerate(range(0, len(scope.slots), engine.WORD_BITS)):
            size = min(engine.WORD_BITS, len(scope.slots) - base)
            word_low, word_high = ibis.greatest(low - base, 0), ibis.least(high - base, size - 1)
            name = f"c{c}_w{word}"
            masks[name] = ibis.ifelse(
                word_low <= word_high, (one << (word_high + 1)) - (one << word_low), zero
            )
            names["mask_name"].append(name)
            names["word"].append(word)
            for (dimension, _), (label, _, _) in zip(dimensions, combination, strict=True):
                names[dimension].append(label)
    groups = [f"g_{name}" for name in _static(scope)]
    schema = {"mask_name": "string", "word": "int64", **{name: "string" for name, _ in dimensions}}
    rows = t.select("client_key", "role", *groups, **masks)
    return rows, engine.small_table(names, schema), list(masks)


def _count_on_dates(rows: Table, mask_names: Table, masks: list[str], scope: engine.Scope) -> Table:
    """Per slot, group and measure (column ``measure`` of ``rows``, one row per counted unit with its masks):
    the number of units whose mask has the slot's bit. One unpivot of the masks and one sum per slot."""
    groups = [f"g_{name}" for name in _static(scope)]
    intervals = [name for name in ("age_band", "duration_class") if name in scope.by]
    long = rows.pivot_longer(selectors.cols(*masks), names_to="mask_name", values_to="mask")
    long = long.filter(long.mask != 0).join(mask_names, "mask_name")
    sums = {}
    for index in range(len(scope.slots)):
        word, bit = divmod(index, engine.WORD_BITS)
        sums[f"s{index}"] = ibis.ifelse(long.word == word, (long.mask >> bit) & 1, 0).sum()
    wide = long.group_by([*groups, *intervals, "measure"]).aggregate(**sums)
    counts = wide.pivot_longer(selectors.cols(*sums), names_to="slot_name", values_to="n")
    counts = counts.filter(counts.n > 0).join(engine._slot_names(scope, list(sums)), "slot_name")
    return counts


def _measure_sums(counts: Table, scope: engine.Scope, measures: Sequence[str]) -> Table:
    groups = [f"g_{name}" for name in _static(scope)]
    intervals = [name for name in ("age_band", "duration_class") if name in scope.by]
    result = counts.group_by(["slot", *groups, *intervals]).aggregate(
        **{m: counts.n.sum(where=counts.measure == m).fill_null(0).cast("int64") for m in measures}
    )
    return result.rename({name: f"g_{name}" for name in _static(scope)})


def _monthly_step(scope: engine.Scope) -> int | None:
    """The number of months between the reference dates when they are first days of months at a fixed step
    (month starts: 1, quarter starts: 3, half-year starts: 6, year starts: 12), else None."""
    days = [slot.first for slot in scope.slots]
    if any(day.day != 1 for day in days):
        return None
    months = [day.year * 12 + day.month - 1 for day in days]
    steps = {later - earlier for earlier, later in pairwise(months)}
    if len(steps) > 1:
        return None
    step = steps.pop() if steps else 1
    return step if step > 0 else None


def _date_indexes(t: Table, scope: engine.Scope) -> tuple[Value, Value]:
    """The first and last index of the reference dates on which a row runs (first > last: none).

    Dates that are month starts at a fixed step of ``k`` months (``_monthly_step``) are numbered by
    arithmetic: with ``m`` the month number (year * 12 + month - 1) and ``b`` that of the first date, the first
    date on or after a start is number ceil((m + [day > 1] - b) / k), the last on or before an end
    floor((m - b) / k) (a month start on or before a day of the same month). Other dates: a binary search
    (``engine._slot_indexes``).
    """
    step = _monthly_step(scope)
    if step is None:
        return engine._slot_indexes(t, scope)
    base = scope.first.year * 12 + scope.first.month - 1
    last = len(scope.slots) - 1

    def month(day: Value) -> Value:
        return day.year().cast("int64") * 12 + day.month().cast("int64") - 1

    after_first = ibis.greatest(month(t.start_date) + (t.start_date.day() > 1).cast("int64") - base, 0)
    end_months = month(ibis.coalesce(t.end_date, ibis.literal(engine.OPEN_END))) - base
    first_index = (after_first + (step - 1)) // step
    # // floors (a negative month number gives -1 or less): an end before the first date has last index -1
    last_index = ibis.least(ibis.greatest(end_months // step, -1), last)
    return first_index.cast("int64"), last_index.cast("int64")


def _one_word_mask(t: Table, scope: engine.Scope) -> Value:
    """The bit mask of the dates a row runs on (bit k: date k), for at most ``engine.WORD_BITS`` dates, the
    date indexes by arithmetic where the dates allow (``_date_indexes``). For a row that overlaps the dates'
    span (``engine.overlapping``) the first index is at most the last + 1 (equal: on none of them, mask 0)."""
    first_index, last_index = _date_indexes(t, scope)
    one = ibis.literal(1, type="int8").cast("int64")
    return (one << (last_index + 1)) - (one << first_index)


def _unpack_masks(benefits: Table, persons: Table, scope: engine.Scope) -> Table:
    """The counts per distinct mask (g_*, mask, n: ``n`` benefits, or persons, with that mask) per date: one
    row per set bit, summed per group and date, as ``count_benefits`` gives them (slot, g_*, benefits,
    persons). The two measures travel as two columns of one union (the other 0), so that one sum per column
    gives both; a date's label is looked up by its index in a literal list."""
    groups = [f"g_{name}" for name in _static(scope)]
    zero = ibis.literal(0, type="int64")
    both = ibis.union(
        benefits.select(*groups, "mask", benefits=benefits.n, persons=zero),
        persons.select(*groups, "mask", benefits=zero, persons=persons.n),
    )
    bits = both.mutate(slot_index=ibis.range(len(scope.slots)).unnest())
    bits = bits.filter(((bits.mask >> bits.slot_index) & 1) == 1)
    summed = bits.group_by([*groups, "slot_index"]).aggregate(
        benefits=bits.benefits.sum(), persons=bits.persons.sum()
    )
    labels = ibis.literal([slot.label for slot in scope.slots], type="array<string>")
    return summed.select(
        slot=labels[summed.slot_index], **{name: summed[name] for name in groups}, benefits=summed.benefits,
        persons=summed.persons,
    ).rename({name: f"g_{name}" for name in _static(scope)})  # fmt: skip


def _count_benefits_one_word(t: Table, scope: engine.Scope) -> Table:
    """``count_benefits`` on ``benefit_persons`` rows without interval dimensions and with at most
    ``engine.WORD_BITS`` dates: one bit mask per row (``_one_word_mask``), counted per distinct mask:
    benefits per (group, mask) of the applicants' rows, persons per (group, mask) after OR-ing each person's
    masks in the group (``bit_or``); only those (group, mask) counts, a few thousand, are unpacked into dates
    (``_unpack_masks``) instead of a sum per date over every row."""
    groups = [f"g_{name}" for name in _static(scope)]
    t = engine.overlapping(t, scope.first, scope.last)
    rows = t.select("client_key", "role", *groups, mask=_one_word_mask(t, scope))
    applicants = rows.filter(rows.role == APPLICANT)
    benefits = applicants.group_by([*groups, "mask"]).aggregate(n=applicants.count())
    per_person = rows.group_by(["client_key", *groups]).aggregate(mask=rows.mask.bit_or())
    persons = per_person.group_by([*groups, "mask"]).aggregate(n=per_person.count())
    return _unpack_masks(benefits, persons, scope)


def _count_benefits_per_benefit(facts: Table, scope: engine.Scope) -> Table:
    """``_count_benefits_one_word`` from ``benefit_facts`` (one row per benefit) when every ``--by`` column is
    a property of the benefit (regulation, household type, wijk): each benefit's mask is computed once, counted
    per (group, mask) for the benefits, and given to its applicant and its partner for the persons (OR per
    person and group, then counted per (group, mask)).

    Example (dates 0, 1, 2): benefit U1 of A on dates 0-1 (mask 0b011), U2 of A with partner B on 1-2 (0b110)
    -> benefits: 0b011 x1, 0b110 x1; persons: A 0b111, B 0b110 -> 0b111 x1, 0b110 x1; per date: benefits
    1, 2, 1 and persons 1, 2, 2.
    """
    groups = [f"g_{name}" for name in _static(scope)]
    f = engine.overlapping(_with_groups(facts, scope), scope.first, scope.last)
    rows = f.select("client_key", "partner_key", *groups, mask=_one_word_mask(f, scope)).alias(
        "benefit_masks"
    )
    benefits = rows.group_by([*groups, "mask"]).aggregate(n=rows.count())
    partners = rows.filter(rows.partner_key.notnull())
    keys = ibis.union(
        rows.select(*groups, person=rows.client_key.cast("int64"), mask=rows.mask),
        partners.select(*groups, person=partners.partner_key.cast("int64"), mask=partners.mask),
    )
    per_person = keys.group_by(["person", *groups]).aggregate(mask=keys.mask.bit_or())
    persons = per_person.group_by([*groups, "mask"]).aggregate(n=per_person.count())
    return _unpack_masks(benefits, persons, scope)


# The --by columns that are a property of the benefit: counted from the benefits themselves (one row each)
PER_BENEFIT_BY = frozenset({"regulation", "household_type", "wijk"})


def count_benefits(facts: Table, scope: engine.Scope) -> Table:
    """``benefits`` on each reference date, from ``benefit_facts``: running benefits (start <= D and end empty
    or >= D) and the distinct persons on them (applicants and partners, ``benefit_persons``), per group.

    A benefit is counted on its applicant's row, so by ``age_band``, ``sex`` and ``duration_class`` a benefit
    counts by its applicant, a person by their own age, sex and episode. Formulation: per row one bit mask of
    the dates per combination of the interval dimensions (``_masks``); benefits sum the bits of the
    applicants' rows, persons OR the masks per person and group first (``bit_or``). Without interval
    dimensions and with at most ``engine.WORD_BITS`` dates: one mask per row, counted per distinct mask
    (``_count_benefits_one_word``); when moreover every ``--by`` column is a property of the benefit, from
    the benefits themselves (``_count_benefits_per_benefit``).
    """
    intervals = [name for name in ("age_band", "duration_class") if name in scope.by]
    if not intervals and len(scope.slots) <= engine.WORD_BITS:
        if set(scope.by) <= PER_BENEFIT_BY:
            return _count_benefits_per_benefit(facts, scope)
        return _count_benefits_one_word(_with_groups(benefit_persons(facts), scope), scope)
    return _count_with_masks(facts, scope)


# The benefit metrics that read ``benefit_facts`` (one row per benefit) rather than ``benefit_persons``
READ_FACTS: frozenset[Callable[..., Table]] = frozenset({count_benefits})


def _count_with_masks(facts: Table, scope: engine.Scope) -> Table:
    """``count_benefits`` in general: any ``--by`` columns and number of dates (``_masks``,
    ``_count_on_dates``)."""
    t = _with_groups(benefit_persons(facts), scope)
    if "duration_class" in scope.by:
        keys = ["client_key", *(f"g_{name}" for name in _static(scope))]
        t = _with_episodes(t, keys, scope.max_gap_days)
    rows, mask_names, masks = _masks(engine.overlapping(t, scope.first, scope.last), scope)
    groups = [f"g_{name}" for name in _static(scope)]
    benefits = rows.filter(rows.role == APPLICANT).select(*groups, *masks, measure=ibis.literal("benefits"))
    per_person = rows.group_by(["client_key", *groups]).aggregate(**{m: rows[m].bit_or() for m in masks})
    persons = per_person.select(*groups, *masks, measure=ibis.literal("persons"))
    counts = _count_on_dates(ibis.union(benefits, persons), mask_names, masks, scope)
    return _measure_sums(counts, scope, ("benefits", "persons"))


def count_provisions(t: Table, scope: engine.Scope) -> Table:
    """``reintegration`` on each reference date: running re-integration provisions per group (the same
    formulation as ``count_benefits``)."""
    t = _with_groups(t.mutate(role=ibis.literal(APPLICANT)), scope)
    rows, mask_names, masks = _masks(engine.overlapping(t, scope.first, scope.last), scope)
    groups = [f"g_{name}" for name in _static(scope)]
    provisions = rows.select(*groups, *masks, measure=ibis.literal("provisions"))
    counts = _count_on_dates(provisions, mask_names, masks, scope)
    return _measure_sums(counts, scope, ("provisions",))


# --- flows in periods (benefit_flows, benefit_reentry, benefit_durations, the reasons) ---------------------------


def _events(e: Table, day: str, scope: engine.Scope, **values: Value) -> Table:
    """Episodes by the slot their ``day`` falls in, with ``age_band`` on the slot's last day."""
    rows = engine._events_in_slots(e.mutate(**values), day, scope)
    if "age_band" in scope.by:
        rows = rows.mutate(age_band=scope.bands.band(age_on(rows.birth, rows.slot_last)))
        rows = rows.mutate(age_band=ibis.ifelse(rows.birth.isnull(), ibis.literal(UNKNOWN), rows.age_band))
    return rows.rename({name: f"g_{name}" for name in _static(scope)})


def _by(scope: engine.Scope) -> list[str]:
    return [name for name in scope.by if name in GROUPS or name == "age_band"]


def _boundary_rows(t: Table, scope: engine.Scope) -> Table:
    """``benefit_persons`` rows with the two window frames of the episode boundaries (as
    ``engine.episode_flows``; one sort per person and group): ``previous_end``, the latest end before the row
    (null on the person's first row), ``last_end``, the latest end of all the person's rows, and ``is_new``:
    the row starts a new episode (its start more than ``max_gap_days`` days without a benefit after
    ``previous_end``)."""
    t = _with_groups(t, scope)
    keys = ["client_key", *(f"g_{name}" for name in _static(scope))]
    t = t.mutate(end_filled=ibis.coalesce(t.end_date, ibis.literal(engine.OPEN_END)), birth=t.birth_date)
    order = [t.start_date, t.end_filled]
    t = t.mutate(
        previous_end=t.end_filled.max().over(ibis.window(group_by=keys, order_by=order, rows=(None, -1))),
        last_end=t.end_filled.max().over(ibis.window(group_by=keys, order_by=order, rows=(None, None))),
    )
    new = t.previous_end.isnull() | (t.start_date.delta(t.previous_end, unit="day") - 1 > scope.max_gap_days)
    return t.mutate(is_new=new)


def _boundaries(t: Table, scope: engine.Scope) -> tuple[Table, Table]:
    """The episode starts and ends of ``benefit_persons`` rows without forming the episodes
    (``_boundary_rows``): a row that starts a new episode is an inflow on its start (``day``; ``previous_end``:
    the end of the person's episode before it) and the outflow of the previous episode on that end; the last
    episode ends on the latest end of the person's rows (open: no outflow)."""
    t = _boundary_rows(t, scope)
    starts = t.filter(t.is_new).mutate(day=t.start_date)
    ends = ibis.union(
        t.filter(t.is_new & t.previous_end.notnull()).mutate(day=t.previous_end),
        t.filter(t.previous_end.isnull() & (t.last_end < engine.OPEN_END)).mutate(day=t.last_end),
    )
    return starts, ends


def benefit_flows(t: Table, scope: engine.Scope) -> Table:
    """``benefit_flows``: per period and group, episodes starting (inflow) and ending (outflow) in it, in
    persons; a running episode (a planned end included) never flows out. Net is declared in the catalogue.

    One pass over the boundary rows (``_boundary_rows``, read once: DuckDB would compute the windows again for
    each reference): every row that begins an episode gives one inflow (its start) and at most one outflow
    (the previous episode's end; on the person's first row the end of their last episode, when it has one).
    Both are counted per day (and group, and birth date with ``age_band``) before they are put in periods:
    a few thousand days instead of an event per row.
    """
    t = _boundary_rows(t, scope)
    t = t.filter(t.is_new)
    keys = [f"g_{name}" for name in _static(scope)] + (["birth"] if "age_band" in scope.by else [])
    inflow = t.group_by([*keys, t.start_date.cast(ibis.dtype("date")).name("day")]).aggregate(n=t.count())
    outflow_day = ibis.ifelse(
        t.previous_end.isnull(),
        ibis.ifelse(t.last_end < engine.OPEN_END, t.last_end, ibis.null().cast("date")),
        t.previous_end,
    )
    ends = t.select(*keys, day=outflow_day.cast(ibis.dtype("date")))
    ends = ends.filter(ends.day.notnull())
    outflow = ends.group_by([*keys, "day"]).aggregate(n=ends.count())
    zero = ibis.literal(0, type="int64")
    both = ibis.union(
        inflow.select(*keys, "day", inflow=inflow.n, outflow=zero),
        outflow.select(*keys, "day", inflow=zero, outflow=outflow.n),
    )
    rows = _events(both, "day", scope)
    return rows.group_by(["slot", *_by(scope)]).aggregate(
        inflow=rows.inflow.sum().cast("int64"), outflow=rows.outflow.sum().cast("int64")
    )


def benefit_reentry(t: Table, scope: engine.Scope, reentry_months: int = 12) -> Table:
    """``benefit_reentry``: inflow per period and group, and the re-entries among it: episodes starting
    within ``reentry_months`` calendar months after the end of the person's previous episode."""
    starts, _ = _boundaries(t, scope)
    within = starts.previous_end.notnull() & (
        starts.day <= starts.previous_end + ibis.interval(months=reentry_months)
    )
    rows = _events(starts.mutate(is_reentry=within), "day", scope)
    return rows.group_by(["slot", *_by(scope)]).aggregate(
        inflow=rows.count(), reentries=rows.is_reentry.cast("int64").sum()
    )


def benefit_durations(t: Table, scope: engine.Scope) -> Table:
    """``benefit_durations``: episodes ending in the period (the outflow), in total and per CBS duration
    class of their length: completed months from the start to the day after the end."""
    e = person_episodes(t, scope)
    e = e.filter(e.episode_end.notnull())
    e = e.mutate(months=_months_between(e.episode_start, e.episode_end + ibis.interval(days=1)))
    rows = _events(e, "episode_end", scope)
    classes: dict[str, Value] = {}
    for i, name in enumerate(DURATION_MEASURES):
        within = rows.months >= DURATION_CLASSES[i][1]
        if i + 1 < len(DURATION_CLASSES):
            within = within & (rows.months < DURATION_CLASSES[i + 1][1])
        classes[name] = within.cast("int64").sum()
    return rows.group_by(["slot", *_by(scope)]).aggregate(outflow=rows.count(), **classes)


def _months_between(start: Value, end: Value) -> Value:
    """Completed calendar months from ``start`` to ``end`` (1 January to 1 July: 6; to 30 June: 5)."""
    months = (end.year() - start.year()) * 12 + end.month() - start.month()
    return months - (end.day() < start.day()).cast("int64")


# --- the history, and rates per 10,000 inhabitants ------------------------------------------------------------


RATE_DIMENSIONS = ("wijk", "sex", "age_band")  # the --by columns the population table can match


def _ages(youngest: int, oldest: int | None) -> str:
    return f"{youngest} jaar en ouder" if oldest is None else f"{youngest} tot en met {oldest} jaar"


def inhabitants_aged(
    warehouse: Warehouse, by: Sequence[str], bands: AgeBands, youngest: int, oldest: int | None
) -> dict[tuple[Any, ...], int]:
    """Inhabitants aged ``youngest``..``oldest`` (None: no upper bound) per (year, values of the population
    columns of ``by``: wijk, sex, age_band), from ``sdm load population``.

    The population may be loaded per single age or in bands (age..age_to); a band that straddles ``youngest``
    or ``oldest`` (15-24 against 18 and over) gives no honest count: InputError, in Dutch. A band that
    straddles two of the requested age bands gives those bands no denominator (as ``compare.population_by``).
    """
    backend = warehouse.ibis()
    population = counted_population(warehouse, by_wijk="wijk" in by)  # never a wijk and its municipality both
    upper = ibis.coalesce(population.age_to, 200)
    straddles = (population.age < youngest) & (upper >= youngest)
    if oldest is not None:
        straddles = straddles | ((population.age <= oldest) & (upper > oldest))
    wrong = backend.to_pyarrow(
        population.filter(straddles).select("age", "age_to").distinct().order_by(["age", "age_to"]).limit(1)
    ).to_pylist()
    if wrong:
        band = wrong[0]
        shown = f"{band['age']}+" if band["age_to"] is None else f"{band['age']}-{band['age_to']}"
        raise InputError(
            f"De bevolking is geladen in leeftijdsklassen (zoals {shown}) die niet samenvallen met "
            f"{_ages(youngest, oldest)}: het aantal inwoners van die leeftijd is niet te bepalen. Laad de "
            "bevolking per leeftijd of in klassen die daar precies op aansluiten (sdm load population)."
        )
    within = population.age >= youngest
    if oldest is not None:
        within = within & (upper <= oldest)
    wijken = backend.table("postcode_areas").select("wijk_code", "wijk_name").distinct()
    joined = population.filter(within).left_join(wijken, "wijk_code")
    wanted = [name for name in by if name in RATE_DIMENSIONS]
    values = {
        "wijk": ibis.coalesce(joined.wijk_name, ibis.literal(UNKNOWN)),
        "sex": joined.sex.cases(("1", "man"), ("2", "vrouw"), else_=UNKNOWN),
        "age_band": bands.band(joined.age),
    }
    columns = {name: values[name] for name in wanted}
    if "age_band" in wanted:
        columns["age_band_upper"] = bands.band(ibis.coalesce(joined.age_to, 200))
    grouped = joined.mutate(**columns).group_by(["year", *columns]).aggregate(n=joined.inhabitants.sum())
    totals: dict[tuple[Any, ...], int] = {}
    unreliable: set[tuple[Any, ...]] = set()
    for record in backend.to_pyarrow(grouped).to_pylist():
        key = (record["year"], *(record[name] for name in wanted))
        totals[key] = totals.get(key, 0) + int(record["n"])
        if "age_band" in wanted and record["age_band"] != record["age_band_upper"]:
            labels = bands.labels()
            position = 1 + wanted.index("age_band")
            low, high = labels.index(record["age_band"]), labels.index(record["age_band_upper"])
            for label in labels[low : high + 1]:
                unreliable.add((*key[:position], label, *key[position + 1 :]))
    return {key: total for key, total in totals.items() if key not in unreliable}


# The decimals of every rate per 10,000 (benefits and re-integration), declared once: every output shows
# them (``catalogue.COLUMN_DECIMALS``): 297,6 per 10.000 inwoners. The metric keeps the exact rate, so that a
# rate of a count rounded to fives (``reports.protect.rounded``) is rounded once: 5 of 30,000 is 1,7.
PER_10000_DECIMALS = 1


def add_per_10000(
    columns: Sequence[str],
    rows: Sequence[tuple[Any, ...]],
    by: Sequence[str],
    measure: str,
    inhabitants: dict[tuple[Any, ...], int],
) -> tuple[tuple[str, ...], list[tuple[Any, ...]]]:
    """Append ``per_10000`` = ``measure`` / matching inhabitants * 10,000, exact (outputs show
    ``PER_10000_DECIMALS`` decimals; empty without inhabitants):
    the population of the year of the date, and of the row's wijk, sex and age band where ``by`` has them."""
    value_at = columns.index(measure)
    wanted = [i for i, name in enumerate(by) if name in RATE_DIMENSIONS]
    out = []
    for row in rows:
        key = (date.fromisoformat(str(row[0])).year, *(row[1 + i] for i in wanted))
        people = inhabitants.get(key)
        out.append((*row, row[value_at] * 10000 / people if people else None))  # 3 * 10000 / 40000 = 0.75
    return (*columns, "per_10000"), out


# --- reasons of inflow and outflow ------------------------------------------------------------------------------


def _reason_group(code: Value, reasons: Mapping[str, ReasonGroup]) -> Value:
    """The CBS group of a stored reason code (``domain.benefits.outflow_group``/``inflow_group`` as an
    expression): 'onbekend' without a code, 'overig' for a code outside the list."""
    grouped = code.cases(*((c, g.value) for c, g in reasons.items()), else_=ReasonGroup.OTHER.value)
    return ibis.ifelse(code.isnull(), ibis.literal(ReasonGroup.UNKNOWN.value), grouped)


def benefit_outflow_reasons(t: Table, scope: engine.Scope) -> Table:
    """``benefit_outflow_reasons``: the outflow of ``benefit_flows`` per CBS group of the reason that ended the
    episode (kenmerk 34 of the benefit that ends it: work, another benefit, relationship, moving, other;
    'onbekend' without a reason)."""
    e = person_episodes(t, scope)
    e = e.filter(e.episode_end.notnull())
    rows = _events(e, "episode_end", scope, reason_group=_reason_group(e.outflow_reason, OUTFLOW_REASONS))
    return rows.group_by(["slot", *_by(scope), "reason_group"]).aggregate(outflow=rows.count())


def benefit_inflow_reasons(t: Table, scope: engine.Scope) -> Table:
    """``benefit_inflow_reasons``: the inflow of ``benefit_flows`` per group of the reason of the episode's
    first benefit ('onbekend' where the source gives none)."""
    e = person_episodes(t, scope)
    rows = _events(e, "episode_start", scope, reason_group=_reason_group(e.inflow_reason, INFLOW_REASONS))
    return rows.group_by(["slot", *_by(scope), "reason_group"]).aggregate(inflow=rows.count())
