"""Access and waiting times of the demo (issue 13): the meldingen and aanvragen that led to the generated
allocations, and the deliveries (305 start / 307 stop) of the allocations in kind.

Built per chunk from the allocations table, vectorised, deterministic per seed (its own random stream).

Requests (``aanvragen.csv``, meldingen and aanvragen in one file, canonical headers of ``sdm load requests``):
- every allocation that is not a continuation (same client, law, category and provider, starting the day
  after the previous one ended) and not a deleted copy gets an aanvraag decided on its ``decision_date``
  (outcome ``toegekend``, 5 % ``deels``). Its duration is drawn backwards from the decision: Wmo median 9
  days (term 14, about 10 % over it), Jeugdwet median 28 days (term 56, about 10 % over it, half of those
  with a 28-day extension);
- Wmo: 75 % have a melding before the aanvraag; its onderzoek lasts a median 28 days (term 42, about 12 %
  over it), 10 % suspended 7-30 days. A client who gets several products of one law at about the same time
  made one melding for them: a melding within 91 days of the client's previous one of that law is left out
  (and so is its support plan). The verslag is the melding's ``decided_on`` and 70 % of the meldingen get a
  support plan (``plan_on``, the verslag + 0-14 days), carried by the aanvraag too. Jeugdwet: 60 % have a
  CJG melding (no term) 0-30 days before the aanvraag, and 60 % get a support plan on the melding's verslag +
  0-14 days (carried by melding and aanvraag: one plan, credited to the CJG) or, without a melding, around
  the aanvraag;
- questions for care that starts after the data (the allocations end on the horizon, 31 December of the
  last year): every allocation starting in the last year is asked for once more a year later (``N`` before
  the number), all its requests a year on; what is received after the extraction date is left out, what is
  decided after it is open, so the last half-year is level with the ones before;
- about 15 % extra aanvragen without an allocation: afgewezen, ingetrokken, buiten behandeling, and Wmo
  meldingen that end with a verslag only. Those not decided by the extraction date are open;
- Participatiewet aanvragen (``benefit_requests``, from the chunk's benefits): one per benefit, received 3-42
  days before its start, decided after a median of 30 days (term 56), 40 % with a plan van aanpak, and 0.6
  extra per benefit afgewezen, ingetrokken or buiten behandeling; the last year's benefits asked for again
  a year later as above;
- teams: ``Consulent Wmo`` (Wmo, most residents of 75 and over), ``Wijkteam Noord`` / ``Wijkteam Zuid`` (by
  postcode), ``CJG`` (Jeugdwet meldingen and most jeugd aanvragen), ``Werk en Inkomen`` (Participatiewet).

Deliveries (``leveringen.csv``, canonical headers of ``sdm load deliveries``), for allocations in kind that
are not deleted and not jeugdreclassering/-bescherming (47, 48): the first start is ``max(start,
decision) + wait``, the wait drawn per category (hulp bij het huishouden median 3 days, begeleiding 10,
dagbesteding 14, jeugd ambulant 21, verblijf 45) times a factor per provider. One GGZ provider
(``waiting_provider``, Jeugdwet 51/52/54) has waits growing from a median of 40 to 120 days over the last 18
months, so its waiting list grows. Of the allocations decided after their start, 70 % started care before
the decision. 4 % of the recent allocations never start. Care that starts after the allocation ends, or after
the extraction date, has no delivery (the allocation waits). 2 % of longer deliveries pause (reden 20) for
2-8 weeks and restart. A 307 closes a delivery on the allocation's end when that lies before the extraction
date. ``reported_on`` is the start + 0-10 days; a start not yet reported at the extraction date is not in
the export.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from sdmonitor.demo.arrays import BoolArray, IntArray, age_on, lognormal_days
from sdmonitor.demo.providers import Provider
from sdmonitor.ingest.columns import DELIVERY_COLUMNS, REQUEST_COLUMNS

REQUESTS_FILE = "aanvragen.csv"
DELIVERIES_FILE = "leveringen.csv"
REQUEST_HEADERS: tuple[str, ...] = tuple(column.name for column in REQUEST_COLUMNS)
DELIVERY_HEADERS: tuple[str, ...] = tuple(column.name for column in DELIVERY_COLUMNS)
TEAMS = ("Wijkteam Noord", "Wijkteam Zuid", "CJG", "Consulent Wmo", "Werk en Inkomen")
INCOME_TEAM = "Werk en Inkomen"  # the Participatiewet aanvragen (bijstand)
GGZ_CATEGORIES = ("51", "52", "54")
NO_DELIVERY_CATEGORIES = ("47", "48")  # certified institutions send no start messages
GROWTH_DAYS = 548  # the GGZ provider's waits grow over the last 18 months
PAUSE_REASON = "20"

# median wait in days from the decision (or start) to the first delivery, per category
_WAIT_MEDIAN: dict[str, float] = {
    "01": 3, "02": 10, "03": 5, "04": 10, "05": 7, "06": 10, "07": 14, "08": 5, "09": 10, "10": 14,
    "11": 7, "12": 7, "13": 7, "14": 10, "15": 30, "16": 5, "17": 5, "18": 30,
    "35": 45, "36": 45, "37": 45, "38": 45, "43": 45, "44": 45, "45": 21, "46": 1,
    "51": 35, "52": 35, "54": 35,
}  # fmt: skip
_DEFAULT_WAIT = 21.0  # other Jeugdwet categories: ambulant
_WAIT_SIGMA = 0.9

ObjectArray = npt.NDArray[np.object_]  # strings per row (law, category)


def request_schema() -> pa.Schema:
    """Arrow schema of the requests file (dates as date32, day counts as int64, the rest strings)."""
    types = {"received_on": pa.date32(), "decided_on": pa.date32(), "plan_on": pa.date32()}
    types |= {"birth_date": pa.date32(), "suspended_days": pa.int64(), "extended_days": pa.int64()}
    return pa.schema([pa.field(name, types.get(name, pa.string())) for name in REQUEST_HEADERS])


def delivery_schema() -> pa.Schema:
    """Arrow schema of the deliveries file."""
    dates = {"start_date", "end_date", "reported_on"}
    return pa.schema(
        [pa.field(name, pa.date32() if name in dates else pa.string()) for name in DELIVERY_HEADERS]
    )


@dataclass(frozen=True)
class AccessPlan:
    """What every chunk shares: the extraction day, the first and last day the allocations and benefits are
    generated for (``horizon``: none starts after it), the GGZ provider with the growing list and the wait
    factor per provider code."""

    extraction: int
    first_day: int
    horizon: int
    waiting_provider: str
    provider_codes: tuple[str, ...]
    provider_factors: tuple[float, ...]


def build_access_plan(
    providers: tuple[Provider, ...],
    extraction: int,
    first_day: int,
    horizon: int,
    rng: np.random.Generator,
) -> AccessPlan:
    """The plan: the largest GGZ provider gets the growing waiting list; each provider a wait factor."""
    ggz = [p for p in providers if p.role == "ggz"] or list(providers)
    waiting = max(ggz, key=lambda provider: provider.size).code
    factors = np.exp(0.3 * rng.standard_normal(len(providers)))
    codes, wait_factors = tuple(p.code for p in providers), tuple(float(f) for f in factors)
    return AccessPlan(extraction, first_day, horizon, waiting, codes, wait_factors)


@dataclass(frozen=True)
class AccessTables:
    """One chunk's requests and deliveries."""

    requests: pa.Table
    deliveries: pa.Table


def _days(column: pa.ChunkedArray | pa.Array) -> tuple[IntArray, BoolArray]:
    """Day numbers of a date column (nulls as 0) and where it is valid."""
    array = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    valid = np.asarray(array.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    days = np.asarray(array.cast(pa.int32()).fill_null(0).to_numpy(zero_copy_only=False), dtype=np.int64)
    return days, valid


def _strings(column: pa.ChunkedArray) -> pa.Array:
    return column.combine_chunks()


def _as_dates(days: IntArray, valid: BoolArray | None = None) -> pa.Array:
    mask = None if valid is None else ~valid
    return pa.array(days.astype(np.int32), pa.int32(), mask=mask).cast(pa.date32())


def _prefixed(prefix: str, ids: pa.Array, again: BoolArray | None = None) -> pa.Array:
    """``prefix`` + each id; ``N`` + ``prefix`` + the id for the rows that stand in a year later (``again``)."""
    if again is None:
        return pc.binary_join_element_wise(pa.scalar(prefix), ids, "")
    prefixes = pa.array(np.where(again, "N" + prefix, prefix).astype(object), pa.string())
    return pc.binary_join_element_wise(prefixes, ids, "")


YEAR_DAYS = 365


def _with_next_year(rows: IntArray, start: IntArray, horizon: int) -> tuple[IntArray, IntArray, BoolArray]:
    """``rows`` and, after them, once more those starting in the last year before ``horizon``: they stand in
    for the allocations (or benefits) that start in the year after it, which the data does not hold, so the
    questions asked for them before the data moment are there (the season of a year earlier). Returns the
    source rows, the shift in days (0 or a year) and which rows are the stand-ins."""
    again = rows[start[rows] + YEAR_DAYS > horizon]
    source = np.concatenate([rows, again])
    stand_in = np.arange(source.shape[0]) >= rows.shape[0]
    return source, np.where(stand_in, YEAR_DAYS, 0), stand_in


def access_chunk(plan: AccessPlan, allocations: pa.Table, rng: np.random.Generator) -> AccessTables:
    """Requests and deliveries for one chunk's allocations (canonical columns)."""
    start, _ = _days(allocations["start_date"])
    end, has_end = _days(allocations["end_date"])
    decision, has_decision = _days(allocations["decision_date"])
    birth, _ = _days(allocations["birth_date"])
    law = np.asarray(_strings(allocations["law"]).to_numpy(zero_copy_only=False), dtype=object)
    category = np.asarray(
        _strings(allocations["product_category"]).to_numpy(zero_copy_only=False), dtype=object
    )
    provider = _strings(allocations["provider_code"]).fill_null("")
    client = _strings(allocations["client_id"])
    change = _strings(allocations["change_reason"]).fill_null("")
    deleted = np.asarray(pc.equal(change, "13").to_numpy(zero_copy_only=False), dtype=bool)
    decision = np.where(has_decision, decision, start)
    continuation = _continuations(client, law, category, provider, start, end, has_end)
    requests = _requests(
        plan, allocations, rng, start, decision, birth, law, category, ~deleted & ~continuation
    )
    deliveries = _deliveries(
        plan, allocations, rng, start, end, has_end, decision, law, category, provider, deleted, continuation
    )
    return AccessTables(requests, deliveries)


def _continuations(
    client: pa.Array,
    law: ObjectArray,
    category: ObjectArray,
    provider: pa.Array,
    start: IntArray,
    end: IntArray,
    has_end: BoolArray,
) -> BoolArray:
    """Allocations that continue one of the same client, law, category and provider ending the day before."""
    key = pc.binary_join_element_wise(
        client.fill_null(""), pa.array(law.astype(str)), pa.array(category.astype(str)), provider, "|"
    )
    group = np.asarray(pc.dictionary_encode(key).indices.to_numpy(zero_copy_only=False), dtype=np.int64)
    order = np.lexsort((start, group))
    g, s = group[order], start[order]
    previous_end = np.where(has_end, end, np.iinfo(np.int32).max)[order]
    follows = np.zeros(order.shape[0], dtype=bool)
    if order.shape[0] > 1:
        follows[1:] = (g[1:] == g[:-1]) & (s[1:] - previous_end[:-1] == 1)
    result = np.zeros(order.shape[0], dtype=bool)
    result[order] = follows
    return result


SAME_ONDERZOEK_DAYS = (
    91  # a client's meldingen of one law this close together are one onderzoek (as a question)
)


def _first_meldingen(client: pa.Array, law: ObjectArray, received: IntArray) -> BoolArray:
    """Which meldingen to keep: a client who gets several products of one law at about the same time made
    one melding for them, not one per product, so a melding received at most ``SAME_ONDERZOEK_DAYS`` after
    the client's previous one of that law is left out (its aanvraag stands)."""
    key = pc.binary_join_element_wise(client.fill_null(""), pa.array(law.astype(str)), "|")
    group = np.asarray(pc.dictionary_encode(key).indices.to_numpy(zero_copy_only=False), dtype=np.int64)
    order = np.lexsort((received, group))
    g, r = group[order], received[order]
    repeat = np.zeros(order.shape[0], dtype=bool)
    if order.shape[0] > 1:
        repeat[1:] = (g[1:] == g[:-1]) & (r[1:] - r[:-1] <= SAME_ONDERZOEK_DAYS)
    keep = np.ones(order.shape[0], dtype=bool)
    keep[order] = ~repeat
    return keep


def _team(rng: np.random.Generator, law: ObjectArray, age: IntArray, postcode_south: BoolArray) -> pa.Array:
    wijk = np.where(postcode_south, 1, 0)
    wmo_team = np.where((age >= 75) & (rng.random(age.shape[0]) < 0.7), 3, wijk)
    jw_team = np.where(rng.random(age.shape[0]) < 0.7, 2, wijk)
    index = np.where(law == "WMO", wmo_team, jw_team)
    return pa.DictionaryArray.from_arrays(pa.array(index, pa.int32()), pa.array(TEAMS)).cast(pa.string())


def _requests(
    plan: AccessPlan,
    allocations: pa.Table,
    rng: np.random.Generator,
    start: IntArray,
    decision: IntArray,
    birth: IntArray,
    law: ObjectArray,
    category: ObjectArray,
    eligible: BoolArray,
) -> pa.Table:
    """Meldingen and aanvragen: one aanvraag per new allocation, meldingen before them, extras without one.
    The allocations of the last year are asked for once more a year later (``_with_next_year``); what is
    received after the extraction date is left out, what is decided after it is open."""
    x = plan.extraction
    rows, shift, again = _with_next_year(np.flatnonzero(eligible), start, plan.horizon)
    n = rows.shape[0]
    take_rows = pa.array(rows)
    ids = _strings(allocations["allocation_id"]).take(take_rows)
    clients = _strings(allocations["client_id"]).take(take_rows)
    laws = law[rows]
    wmo = laws == "WMO"
    decided = decision[rows] + shift
    age = age_on(birth[rows], decided)
    postcode = _strings(allocations["postcode"]).fill_null("0").take(take_rows)
    south = np.asarray(
        pc.equal(pc.utf8_slice_codeunits(postcode, 3, 4), "5").to_numpy(zero_copy_only=False), dtype=bool
    ) | (np.arange(n) % 2 == 1)  # about half the residents live in the south
    teams = _team(rng, laws, age, south)
    # the aanvraag: its duration drawn backwards from the decision
    duration = np.where(
        wmo,
        lognormal_days(rng, np.full(n, 9.0), np.full(n, 0.35), minimum=0, maximum=60),
        lognormal_days(rng, np.full(n, 28.0), np.full(n, 0.55), minimum=0, maximum=150),
    )
    received = decided - duration
    extended = np.where(~wmo & (decided - received > 56) & (rng.random(n) < 0.5), 28, 0)
    outcome = np.where(rng.random(n) < 0.05, "deels", "toegekend")
    open_aanvraag = decided > x
    # meldingen: Wmo 75 % (onderzoek, term 42), Jeugdwet 60 % (CJG hulpvraag, no term)
    has_melding = rng.random(n) < np.where(wmo, 0.75, 0.60)
    gap = rng.integers(0, 8, n)
    suspended = np.where(wmo & (rng.random(n) < 0.10), rng.integers(7, 31, n), 0)
    onderzoek = np.where(
        wmo,
        lognormal_days(rng, np.full(n, 28.0), np.full(n, 0.35), minimum=1, maximum=150) + suspended,
        rng.integers(0, 31, n),
    )
    verslag = received - gap
    melding_received = verslag - onderzoek
    plan_on = verslag + rng.integers(0, 15, n)
    # support plans: Wmo 70 % of those with a melding; Jeugdwet 60 % (drawn up by the CJG after its melding,
    # or by the consulent around the aanvraag), so figure 4 has plans of both laws
    # (one per onderzoek: not for the products whose melding is left out as part of an earlier one)
    m = np.flatnonzero(has_melding)
    m = m[_first_meldingen(clients.take(pa.array(m)), laws[m], melding_received[m])]
    kept = np.zeros(n, dtype=bool)
    kept[m] = True
    plan_draw = rng.random(n)
    has_plan = np.where(wmo, kept & (plan_draw < 0.70), (kept | ~has_melding) & (plan_draw < 0.60))
    has_plan &= plan_on <= x
    team_m = np.where(wmo, teams.to_numpy(zero_copy_only=False), "CJG")
    birth_dates = _as_dates(birth[rows])
    categories = pa.array(category[rows].astype(str))
    asked = np.flatnonzero(received <= x)
    aanvragen = _request_table(
        _prefixed("A", ids, again),
        clients,
        laws,
        "aanvraag",
        received,
        decided,
        open_aanvraag,
        pa.array(outcome, pa.string(), mask=open_aanvraag),
        teams,
        np.zeros(n, dtype=np.int64),
        extended,
        categories,
        plan_on,
        has_plan,
        birth_dates,
    ).take(pa.array(asked))
    m = m[melding_received[m] <= x]
    take_m = pa.array(m)
    meldingen = _request_table(
        _prefixed("M", ids.take(take_m), again[m]),
        clients.take(take_m),
        laws[m],
        "melding",
        melding_received[m],
        verslag[m],
        (verslag > x)[m],
        pa.nulls(m.shape[0], pa.string()),
        pa.array(team_m[m]),
        np.where((verslag > x) & (suspended > x - melding_received), 0, suspended)[m],  # open: so far
        np.zeros(m.shape[0], dtype=np.int64),
        categories.take(take_m),
        plan_on[m],
        has_plan[m],
        birth_dates.take(take_m),
    )
    extras = _extra_requests(rng, ids, again, clients, laws, received, teams, categories, birth_dates, x)
    return pa.concat_tables([aanvragen, meldingen, extras])


def _extra_requests(
    rng: np.random.Generator,
    ids: pa.Array,
    again: BoolArray,
    clients: pa.Array,
    laws: ObjectArray,
    received: IntArray,
    teams: pa.Array,
    categories: pa.Array,
    birth_dates: pa.Array,
    x: int,
) -> pa.Table:
    """About 15 % extra requests without an allocation: afgewezen, ingetrokken, buiten behandeling, and Wmo
    meldingen that end with a verslag only, received up to 400 days before or 120 after an aanvraag of the
    client (those received after the extraction date left out); those not decided at the extraction date
    are open."""
    n = laws.shape[0]
    pick = np.flatnonzero(rng.random(n) < 0.15)
    k = pick.shape[0]
    shift = rng.integers(-400, 120, k)
    first = int(received.min()) if n else x
    got = np.maximum(received[pick] + shift, first)
    wmo = laws[pick] == "WMO"
    kind_draw = rng.random(k)
    melding_only = wmo & (kind_draw < 0.25)
    outcome_index = np.searchsorted(np.array([8 / 14, 12 / 14]), rng.random(k))
    outcomes = np.array(["afgewezen", "ingetrokken", "buiten_behandeling"])[outcome_index]
    duration = np.where(
        melding_only,
        lognormal_days(rng, np.full(k, 28.0), np.full(k, 0.35), minimum=1, maximum=150),
        np.where(
            wmo,
            lognormal_days(rng, np.full(k, 10.0), np.full(k, 0.45), minimum=0, maximum=90),
            lognormal_days(rng, np.full(k, 30.0), np.full(k, 0.55), minimum=0, maximum=150),
        ),
    )
    decided = got + duration
    still_open = decided > x
    take = pa.array(pick)
    extras = _request_table(
        _prefixed("X", ids.take(take), again[pick]),
        clients.take(take),
        laws[pick],
        np.where(melding_only, "melding", "aanvraag"),
        got,
        decided,
        still_open,
        pa.array(outcomes, pa.string(), mask=still_open | melding_only),
        teams.take(take),
        np.zeros(k, dtype=np.int64),
        np.zeros(k, dtype=np.int64),
        categories.take(take),
        decided,
        np.zeros(k, dtype=bool),
        birth_dates.take(take),
    )
    return extras.filter(pa.array(got <= x))


# Participatiewet aanvragen (bijstand): the outcome shares of the extras without a benefit (afgewezen,
# ingetrokken, buiten behandeling) and how many there are per benefit, so that about 30 % are afgewezen
PW_EXTRAS_PER_BENEFIT = 0.6
PW_EXTRA_OUTCOMES = ("afgewezen", "ingetrokken", "buiten_behandeling")
PW_EXTRA_SHARES = (0.72, 0.20, 0.08)
PW_PLAN_SHARE = 0.4  # a plan van aanpak after the toekenning


def benefit_requests(plan: AccessPlan, benefits: pa.Table, rng: np.random.Generator) -> pa.Table:
    """Participatiewet aanvragen (law ``PW``, team ``Werk en Inkomen``) of one chunk's benefits (canonical
    columns of ``sdm load benefits``), as the registration of the income team holds them.

    Every benefit that starts on or after the first day of the range was asked for: the aanvraag is received
    3-42 days before the start and decided after a median of 30 days (about 8 % over the Awb term of 56),
    ``toegekend``; 40 % get a plan van aanpak (``plan_on``, the decision + 0-42 days). The benefits of the
    last year are asked for once more a year later, standing in for those starting after the data (as for
    the allocations). 0.6 extra aanvragen per benefit have no benefit: afgewezen, ingetrokken and buiten
    behandeling (72 : 20 : 8), received up to 400 days before or 120 after one of the client's. What is
    received after the extraction date is left out; what is decided after it is open."""
    x = plan.extraction
    start, _ = _days(benefits["start_date"])
    rows, shift, again = _with_next_year(np.flatnonzero(start >= plan.first_day), start, plan.horizon)
    n = rows.shape[0]
    take_rows = pa.array(rows)
    ids = _strings(benefits["benefit_id"]).take(take_rows)
    clients = _strings(benefits["client_id"]).take(take_rows)
    birth_dates = benefits["birth_date"].combine_chunks().take(take_rows)
    received = start[rows] + shift - rng.integers(3, 43, n)
    decided = received + lognormal_days(rng, np.full(n, 30.0), np.full(n, 0.45), minimum=1, maximum=150)
    open_aanvraag = decided > x
    plan_on = decided + rng.integers(0, 43, n)
    has_plan = (rng.random(n) < PW_PLAN_SHARE) & ~open_aanvraag & (plan_on <= x)
    laws = np.full(n, "PW", dtype=object)
    teams = pa.array(np.full(n, INCOME_TEAM, dtype=object), pa.string())
    no_category = pa.nulls(n, pa.string())
    zeros = np.zeros(n, dtype=np.int64)
    granted = _request_table(
        _prefixed("P", ids, again),
        clients,
        laws,
        "aanvraag",
        received,
        decided,
        open_aanvraag,
        pa.array(np.full(n, "toegekend", dtype=object), pa.string(), mask=open_aanvraag),
        teams,
        zeros,
        zeros,
        no_category,
        plan_on,
        has_plan,
        birth_dates,
    ).filter(pa.array(received <= x))
    # extra aanvragen without a benefit
    pick = np.flatnonzero(rng.random(n) < PW_EXTRAS_PER_BENEFIT)
    k = pick.shape[0]
    got = np.maximum(received[pick] + rng.integers(-400, 120, k), plan.first_day - 42)
    outcomes = np.array(PW_EXTRA_OUTCOMES)[
        np.searchsorted(np.cumsum(PW_EXTRA_SHARES)[:-1], rng.random(k), side="right")
    ]
    extra_decided = got + lognormal_days(rng, np.full(k, 28.0), np.full(k, 0.5), minimum=1, maximum=150)
    extra_open = extra_decided > x
    take = pa.array(pick)
    extras = _request_table(
        _prefixed("Q", ids.take(take), again[pick]),
        clients.take(take),
        laws[pick],
        "aanvraag",
        got,
        extra_decided,
        extra_open,
        pa.array(outcomes.astype(object), pa.string(), mask=extra_open),
        teams.take(take),
        zeros[pick],
        zeros[pick],
        no_category.take(take),
        extra_decided,
        np.zeros(k, dtype=bool),
        birth_dates.take(take),
    ).filter(pa.array(got <= x))
    return pa.concat_tables([granted, extras])


def _request_table(
    request_id: pa.Array,
    client_id: pa.Array,
    law: ObjectArray,
    kind: str | ObjectArray,
    received: IntArray,
    decided: IntArray,
    still_open: BoolArray,
    outcome: pa.Array,
    team: pa.Array,
    suspended: IntArray,
    extended: IntArray,
    category: pa.Array,
    plan_on: IntArray,
    has_plan: BoolArray,
    birth: pa.Array,
) -> pa.Table:
    n = received.shape[0]
    kinds = pa.array(np.full(n, kind, dtype=object) if isinstance(kind, str) else kind, pa.string())
    suspended_days = pa.array(suspended, pa.int64(), mask=suspended == 0)
    extended_days = pa.array(extended, pa.int64(), mask=extended == 0)
    columns = {
        "request_id": request_id,
        "client_id": client_id,
        "bsn": pa.nulls(n, pa.string()),
        "law": pa.array(law, pa.string()),
        "kind": kinds,
        "received_on": _as_dates(received),
        "decided_on": _as_dates(decided, ~still_open),
        "outcome": outcome,
        "team": team,
        "suspended_days": suspended_days,
        "extended_days": extended_days,
        "product_category": category,
        "plan_on": _as_dates(plan_on, has_plan),
        "birth_date": birth,
    }
    return pa.table(columns, schema=request_schema())


def _deliveries(
    plan: AccessPlan,
    allocations: pa.Table,
    rng: np.random.Generator,
    start: IntArray,
    end: IntArray,
    has_end: BoolArray,
    decision: IntArray,
    law: ObjectArray,
    category: ObjectArray,
    provider: pa.Array,
    deleted: BoolArray,
    continuation: BoolArray,
) -> pa.Table:
    """305/307 rows of the allocations in kind, as exported on the extraction day."""
    x = plan.extraction
    form = _strings(allocations["delivery_form"]).fill_null("ZIN")
    in_kind = np.asarray(pc.equal(form, "ZIN").to_numpy(zero_copy_only=False), dtype=bool)
    silent = np.isin(category, NO_DELIVERY_CATEGORIES)
    rows = np.flatnonzero(in_kind & ~deleted & ~silent & (start <= x))
    n = rows.shape[0]
    providers = np.asarray(provider.to_numpy(zero_copy_only=False), dtype=object)[rows]
    cats = category[rows]
    clock = np.maximum(start[rows], decision[rows])
    median = np.array([_WAIT_MEDIAN.get(str(c), _DEFAULT_WAIT) for c in np.unique(cats)])
    median = median[np.searchsorted(np.unique(cats), cats)] if n else median
    factor_of = dict(zip(plan.provider_codes, plan.provider_factors, strict=True))
    unique_providers, provider_index = np.unique(providers.astype(str), return_inverse=True)
    factors = np.array([factor_of.get(str(p), 1.0) for p in unique_providers])[provider_index] if n else 1.0
    median = median * factors
    growing = (providers == plan.waiting_provider) & np.isin(cats, GGZ_CATEGORIES) & (law[rows] == "JW")
    progress = np.clip((clock - (x - GROWTH_DAYS)) / GROWTH_DAYS, 0.0, 1.0)
    median = np.where(growing, 40.0 + 80.0 * progress, median)
    sigma = np.where(growing, 0.35, _WAIT_SIGMA)
    wait = np.rint(median * np.exp(sigma * rng.standard_normal(n))).astype(np.int64)
    first = clock + wait
    # decided after the start: most started care before the decision
    early = (decision[rows] > start[rows]) & (rng.random(n) < 0.7)
    first = np.where(early, start[rows] + rng.integers(0, 4, n), first)
    first = np.minimum(first, np.where(early, decision[rows], first))
    # renewals: care goes on from their first day
    first = np.where(continuation[rows], start[rows], first)
    ends = np.where(has_end[rows], end[rows], np.iinfo(np.int32).max)
    never = ~continuation[rows] & (rng.random(n) < 0.04) & ((clock >= x - 270) | (ends - clock <= 200))
    reported = first + rng.choice(11, n, p=_REPORT_LAG)
    started = ~never & (first <= ends) & (reported <= x)
    # pauses (reden 20) of 2-8 weeks in 2 % of the deliveries that run long enough
    stop_known = has_end[rows] & (end[rows] <= x)
    run_until = np.where(stop_known, end[rows], x)
    pause_at = first + 30 + rng.integers(0, 120, n)
    restart = pause_at + rng.integers(14, 57, n)
    pauses = started & (rng.random(n) < 0.02) & (restart + 30 < run_until) & (restart + 10 <= x)
    ids = _strings(allocations["allocation_id"]).take(pa.array(rows))
    law_rows = law[rows]
    final_reason = _end_reasons(allocations, rows, law_rows)
    s = np.flatnonzero(started)
    p = np.flatnonzero(pauses)
    first_end = np.where(pauses, pause_at, run_until)
    first_rows = _delivery_table(
        ids.take(pa.array(s)),
        first[s],
        first_end[s],
        (pauses | stop_known)[s],
        pa.array(np.where(pauses, PAUSE_REASON, final_reason)[s], pa.string()),
        reported[s],
    )
    restart_reported = restart + rng.integers(0, 6, n)
    restarts = _delivery_table(
        ids.take(pa.array(p)),
        restart[p],
        run_until[p],
        stop_known[p],
        pa.array(final_reason[p], pa.string()),
        np.minimum(restart_reported, x)[p],
    )
    return pa.concat_tables([first_rows, restarts])


# reported 0-10 days after the start: about 85 % within a week (five working days)
_REPORT_LAG = np.array([0.12, 0.16, 0.16, 0.14, 0.12, 0.09, 0.06, 0.05, 0.04, 0.03, 0.03])
_REPORT_LAG = _REPORT_LAG / _REPORT_LAG.sum()


def _end_reasons(allocations: pa.Table, rows: IntArray, law: ObjectArray) -> ObjectArray:
    """The allocation's reden beëindiging for its 307, or the usual one of the law (iWmo 19, iJw 31)."""
    given = _strings(allocations["end_reason"]).take(pa.array(rows))
    given_values = np.asarray(given.fill_null("").to_numpy(zero_copy_only=False), dtype=object)
    default = np.where(law == "WMO", "19", "31")
    return np.where(given_values == "", default, given_values)


def _delivery_table(
    allocation_id: pa.Array,
    start: IntArray,
    end: IntArray,
    has_end: BoolArray,
    reason: pa.Array,
    reported: IntArray,
) -> pa.Table:
    columns = {
        "allocation_id": allocation_id,
        "start_date": _as_dates(start),
        "end_date": _as_dates(end, has_end),
        "end_reason": pc.if_else(pa.array(has_end), reason, pa.scalar(None, pa.string())),
        "reported_on": _as_dates(reported),
    }
    return pa.table(columns, schema=delivery_schema())
