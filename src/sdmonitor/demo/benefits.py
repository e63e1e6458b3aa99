"""Participatiewet of the demo (issue 14): bijstand benefits of the simulated residents and their
re-integration provisions, as the income system exports them.

Built per chunk from the chunk's residents (vectorised, its own random stream), so the allocations, the
access files and the money keep their bytes. The persons are the residents the allocations belong to, under
the same client number (``C`` + municipality code + 8 digits), so one client key links a benefit to Wmo or
Jeugdwet support of the same person.

Benefits (``uitkeringen-<extraction date>.csv``, ``sdm load benefits``; generated in the canonical columns and
written in the income system's Dutch layout ``nl-uitkeringen`` by ``to_dutch``):
- every adult resident below the AOW age has a yearly hazard of applying, times a personal factor (gamma,
  mean 1: the same people return), higher for residents with Wmo begeleiding, beschermd wonen or opvang and
  for young adults with Jeugdwet support (so benefits stack with support, as CBS and the Rekenkamer find);
  benefits started up to BURN_IN_YEARS before the first year, so the stock on 1 January of the first year is
  settled (those running in 2000 are registered from 1 January 2000, when the income system took them
  over); the stock is about 3 % of the adults;
- a benefit is `PW` (algemene bijstand), `IOAW` (about 12 % of those starting at 50 or over, until the AOW
  age), `IOAZ` (older self-employed, until the AOW age) or `BBZ` (self-employed, at most three years);
- leefvorm (household type): single, single parent (mostly women of 22-50), couple (both partners on the one
  benefit: the partner is another adult resident of the chunk who is never an applicant), or other;
- durations: a mix of short benefits (median 4 months) and long ones (median 5 years), longer with
  age; a benefit ends on the day its applicant dies (reason 04), moves away (32, some 33), the day before the
  AOW age (03), when the partner leaves (97) or for one of the other CBS kenmerk 34 reasons (work 11 and 13,
  another benefit 14 and 15, relationship 02, education 01, administrative 31/34/35, other 98, ...);
- after an ending that is not death, moving or the AOW, 10 % come back within 1-29 days (a short gap that
  the 30-day rule joins into one episode: mostly after reason 31 "geen inlichtingen" or a short job), 15 %
  after 30-365 days and 15 % after one to seven years;
- inflow reasons: the CBS codes a local "oorzaak bijstandsafhankelijkheid" maps to (end of work, of a
  relationship, of study, of WW, moving in, from abroad or an azc, ...), chosen to fit the person;
- a benefit running on the extraction day has no end date, except IOAW/IOAZ (planned to end the day before
  the AOW age) and BBZ (granted for a period): their planned end lies after the data moment and is not
  outflow; their outflow reason is empty.

Re-integration provisions (``reintegratie-<extraction date>.csv``, ``sdm load reintegration``): SRG types
(01 ... 08, 99) during the benefits that last three months or more, on average one every two years of
benefit (median 10 months each, several may run at once), and a loonkostensubsidie (04) for a fifth of the
outflows to work, starting the day after the benefit: about 150-200 running per 10,000 inhabitants of 15-64,
the order of the national BBV figure.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sdmonitor.demo.arrays import (
    BoolArray,
    IntArray,
    add_years,
    age_on,
    digits,
    fixed_width_strings,
    jan_first,
    repeat_index,
    text_columns,
)
from sdmonitor.demo.population import Residents
from sdmonitor.domain.benefits import INFLOW_REASONS as CBS_INFLOW_REASONS
from sdmonitor.domain.benefits import OUTFLOW_REASONS as CBS_OUTFLOW_REASONS
from sdmonitor.domain.benefits import PROVISION_TYPES, HouseholdType, Regulation
from sdmonitor.ingest.columns import BENEFIT_COLUMNS, NL_BENEFITS, NL_REINTEGRATION, REINTEGRATION_COLUMNS

BENEFITS_STEM = "uitkeringen"
REINTEGRATION_STEM = "reintegratie"
BENEFIT_HEADERS: tuple[str, ...] = tuple(column.name for column in BENEFIT_COLUMNS)
REINTEGRATION_HEADERS: tuple[str, ...] = tuple(column.name for column in REINTEGRATION_COLUMNS)
_DATES = {"birth_date", "partner_birth_date", "start_date", "end_date"}
# The income system's Dutch export (layouts 'nl-uitkeringen' and 'nl-re-integratie' of `sdm load`): BUS field
# names, semicolons, dates DD-MM-JJJJ, the leefvorm in words as Suite and GWS4all show it.
DUTCH_BENEFIT_HEADERS: dict[str, str] = {name: NL_BENEFITS.source_header(name) for name in BENEFIT_HEADERS}
DUTCH_REINTEGRATION_HEADERS: dict[str, str] = {
    name: NL_REINTEGRATION.source_header(name) for name in REINTEGRATION_HEADERS
}
DUTCH_HOUSEHOLD_TYPES = ("Alleenstaande", "Alleenstaande ouder", "Gehuwden/samenwonenden", "Anders")

BURN_IN_YEARS = 20  # benefits may have started this long before the first year
REGISTERED_FROM = 2000  # the income system holds benefits from 1 January of this year (an older start: then)
MAX_EPISODES = 8  # benefits per applicant at most (re-entries)
YEARLY_RATE = 0.0062  # hazard of a first benefit per adult resident-year, before the personal factor
FRAILTY_SHAPE = 0.3  # gamma shape of the personal factor (mean 1; smaller = the same people more often)
SUPPORT_FACTOR = 4.0  # residents with Wmo begeleiding, beschermd wonen, opvang or Jeugdwet support
SUPPORT_CATEGORIES = ("02", "07", "15", "16", "17", "18", "40", "41", "43", "44", "45", "50", "55")
SHORT_GAP, MEDIUM_GAP, LONG_GAP = 0.10, 0.15, 0.15  # chance of coming back after 1-29, 30-365, 366+ days

REGULATIONS = tuple(str(r) for r in (Regulation.PW, Regulation.IOAW, Regulation.IOAZ, Regulation.BBZ))
PW, IOAW, IOAZ, BBZ = range(4)
# leefvorm as the file writes it (CBS BUS: 1 alleenstaande, 2 alleenstaande ouder, 3 gehuwden en
# samenwonenden, 4 anders)
HOUSEHOLD_TYPES = tuple(
    str(h)
    for h in (HouseholdType.SINGLE, HouseholdType.SINGLE_PARENT, HouseholdType.COUPLE, HouseholdType.OTHER)
)
SINGLE, SINGLE_PARENT, COUPLE, OTHER = range(4)
# CBS kenmerk 34 (reden beëindiging uitkering persoon)
OUTFLOW_REASONS = tuple(CBS_OUTFLOW_REASONS)  # CBS kenmerk 34 (domain/benefits.py)
_O = {code: index for index, code in enumerate(OUTFLOW_REASONS)}
# the other endings of algemene bijstand (not death, moving, AOW or the partner), by share
_PW_ENDINGS = {
    "11": 0.36, "13": 0.03, "14": 0.03, "15": 0.04, "02": 0.06, "01": 0.04, "05": 0.02, "06": 0.01,
    "07": 0.01, "17": 0.01, "18": 0.01, "19": 0.03, "31": 0.08, "34": 0.03, "35": 0.01, "98": 0.23,
}  # fmt: skip
_BBZ_ENDINGS = {"13": 0.65, "11": 0.15, "98": 0.20}
_IOAW_ENDINGS = {"11": 0.45, "15": 0.10, "98": 0.45}
_SHORT_GAP_ENDINGS = {"31": 0.40, "34": 0.10, "11": 0.35, "98": 0.15}  # before coming back within 30 days
# reden instroom: the CBS codes that mirror kenmerk 34 (a local "oorzaak bijstandsafhankelijkheid" mapped to
# them): 01 end of study, 02 end of a relationship, 05 end of detention, 11 end of work, 13 end of a business,
# 14 end of WW, 15 end of a disability benefit, 17 end of alimony, 18 savings used up, 19 end of other
# income, 32 moved in from another municipality, 33 settled from abroad (also from an azc), 98 other
INFLOW_REASONS = tuple(CBS_INFLOW_REASONS)
_I = {code: index for index, code in enumerate(INFLOW_REASONS)}
_INFLOW_YOUNG = {"01": 0.35, "11": 0.25, "98": 0.40}
_INFLOW_ADULT = {"11": 0.30, "14": 0.22, "02": 0.12, "15": 0.06, "13": 0.04, "17": 0.02, "18": 0.02,
                 "19": 0.04, "05": 0.02, "98": 0.16}  # fmt: skip
_INFLOW_SINGLE_PARENT = {"02": 0.55, "17": 0.10, "11": 0.15, "14": 0.10, "98": 0.10}
_INFLOW_NEWCOMER = {"32": 0.65, "33": 0.35}
# SRG type voorziening: 01 tijdelijke loonkostensubsidie, 02 WIW/ID-baan, 03 participatieplaats,
# 04 loonkostensubsidie, 05 beschut werk, 06 jobcoach, 07 vervoer woon-werk, 08 andere voorziening, 99 overige
_PROVISION_MIX = {"01": 0.02, "03": 0.15, "04": 0.12, "05": 0.05, "06": 0.10, "07": 0.03, "08": 0.05,
                  "99": 0.48}  # fmt: skip
PROVISIONS_PER_YEAR = 0.45  # provisions started per year on a benefit that lasts 90 days or more
WORK_SUBSIDY_SHARE = 0.20  # of the outflows to work (11): a loonkostensubsidie from the next day

# AOW age in months by birth year (the AOW-leeftijd as the law raised it, rounded to whole months)
_AOW_MONTHS = {1947: 780, 1948: 781, 1949: 783, 1950: 786, 1951: 789, 1952: 792, 1953: 796, 1954: 796,
               1955: 796, 1956: 799, 1957: 802, 1958: 804, 1959: 804, 1960: 804}  # fmt: skip


def benefit_schema() -> pa.Schema:
    """Arrow schema of the benefits file (dates as date32, the number of cost sharers int64, the rest text)."""
    types = {name: pa.date32() for name in _DATES} | {"cost_sharers": pa.int64()}
    return pa.schema([pa.field(name, types.get(name, pa.string())) for name in BENEFIT_HEADERS])


def reintegration_schema() -> pa.Schema:
    """Arrow schema of the re-integration file."""
    return pa.schema(
        [pa.field(name, pa.date32() if name in _DATES else pa.string()) for name in REINTEGRATION_HEADERS]
    )


def dutch_schema(headers: dict[str, str]) -> pa.Schema:
    """Arrow schema of a Dutch export: every column text, under its Dutch header."""
    return pa.schema([pa.field(header, pa.string()) for header in headers.values()])


def to_dutch(table: pa.Table, headers: dict[str, str]) -> pa.Table:
    """A canonical table in the Dutch export layout: dates as DD-MM-JJJJ, the leefvorm in words, Dutch headers."""
    columns = []
    for name in headers:
        column = table[name]
        if pa.types.is_date32(column.type):
            column = pc.strftime(column.cast(pa.timestamp("s")), format="%d-%m-%Y")
        elif name == "household_type":
            position = pc.index_in(column, value_set=pa.array(HOUSEHOLD_TYPES))
            column = pa.array(DUTCH_HOUSEHOLD_TYPES, pa.string()).take(position)
        columns.append(column.cast(pa.string()))
    return pa.table(columns, schema=dutch_schema(headers))


@dataclass(frozen=True)
class BenefitPlan:
    """What every chunk shares: the first day that counts, the last simulated day and the municipality."""

    first_year: int
    range_start: int  # 1 January of the first year: benefits ended before it are left out
    range_end: int  # 31 December of the last year: nothing starts after it, what runs on is open
    municipality_code: str


@dataclass(frozen=True)
class BenefitTables:
    """One chunk's benefits and re-integration provisions (canonical columns)."""

    benefits: pa.Table
    provisions: pa.Table


def aow_day(birth: IntArray) -> IntArray:
    """The day each person reaches the AOW age (by birth year, the raised ages rounded to months)."""
    years = 1970 + birth.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64)
    months = np.array([_AOW_MONTHS.get(int(y), 780 if y < 1947 else 807) for y in range(1850, 2101)])
    total = months[np.clip(years - 1850, 0, months.shape[0] - 1)]
    return np.asarray(add_years(birth, total // 12) + np.rint((total % 12) * 30.44), dtype=np.int64)


def _pick(rng: np.random.Generator, shares: dict[str, float], lookup: dict[str, int], n: int) -> IntArray:
    codes = np.array([lookup[code] for code in shares], dtype=np.int64)
    weights = np.array(list(shares.values()))
    return codes[rng.choice(codes.shape[0], size=n, p=weights / weights.sum())]


def _support_clients(residents: Residents, allocations: pa.Table, municipality_code: str) -> BoolArray:
    """Residents of the chunk with an allocation in SUPPORT_CATEGORIES (by their client number)."""
    flag = np.zeros(residents.size, dtype=bool)
    if allocations.num_rows == 0 or residents.size == 0:
        return flag
    category = allocations["product_category"].combine_chunks()
    chosen = pc.is_in(category, value_set=pa.array(SUPPORT_CATEGORIES))
    clients = allocations["client_id"].combine_chunks().filter(chosen)
    numbers = pc.utf8_slice_codeunits(clients, 1 + len(municipality_code)).cast(pa.int64()).to_numpy()
    index = np.asarray(numbers, dtype=np.int64) - int(residents.number[0])
    flag[index[(index >= 0) & (index < residents.size)]] = True
    return flag


@dataclass
class _Episodes:
    """Benefit column arrays of one chunk while they are drawn (``applicant`` indexes the residents)."""

    applicant: IntArray
    start: IntArray
    end: IntArray  # the actual last day (may lie after the simulated range: still running)
    planned: BoolArray  # the end is known in advance (IOAW/IOAZ at the AOW age, BBZ)
    planned_end: IntArray  # that end as granted
    regulation: IntArray
    household: IntArray
    inflow: IntArray
    outflow: IntArray


def _draw_episodes(
    plan: BenefitPlan, residents: Residents, support: BoolArray, rng: np.random.Generator
) -> _Episodes:
    """Every applicant's benefits: a first one at the hazard, then re-entries after gaps."""
    n = residents.size
    birth, leave = residents.birth, residents.leave
    sim_start = jan_first(plan.first_year - BURN_IN_YEARS)
    adult = add_years(birth, 18)
    aow = aow_day(birth)
    open_from = np.maximum(np.maximum(residents.enter, adult), sim_start)
    open_to = np.minimum(np.minimum(leave, aow - 1), plan.range_end)
    female = residents.sex == 2
    factor = rng.gamma(FRAILTY_SHAPE, 1.0 / FRAILTY_SHAPE, n) * np.where(support, SUPPORT_FACTOR, 1.0)
    factor *= np.where(female, 1.15, 1.0)
    rate = YEARLY_RATE * factor / 365.25
    next_start = open_from + np.rint(rng.exponential(1.0, n) / np.maximum(rate, 1e-12)).astype(np.int64)
    newcomer = residents.enter > sim_start
    active = next_start <= open_to
    parts: list[tuple[IntArray, ...]] = []
    previous_outflow = np.full(n, -1, dtype=np.int64)
    for rank in range(MAX_EPISODES):
        who = np.flatnonzero(active)
        if who.shape[0] == 0:
            break
        k = who.shape[0]
        start = next_start[who]
        age = age_on(birth[who], start)
        sex_f = female[who]
        # regulation
        u = rng.random(k)
        regulation = np.full(k, PW, dtype=np.int64)
        regulation = np.where((age >= 50) & (u < 0.12), IOAW, regulation)
        regulation = np.where((age >= 55) & (u >= 0.12) & (u < 0.14), IOAZ, regulation)
        regulation = np.where((age < 60) & (u >= 0.97), BBZ, regulation)
        # household
        h = rng.random(k)
        couple_share = np.where(age < 25, 0.05, 0.18)
        parent_share = np.where(
            sex_f & (age >= 22) & (age <= 50), 0.40, np.where(~sex_f & (age >= 25) & (age <= 55), 0.05, 0.0)
        )
        household = np.where(
            h < couple_share, COUPLE, np.where(h < couple_share + parent_share, SINGLE_PARENT, SINGLE)
        )
        household = np.where(rng.random(k) < 0.02, OTHER, household)
        # duration and the natural end
        short_share = np.where(age < 27, 0.55, np.where(age < 50, 0.40, 0.25))
        short = rng.random(k) < short_share
        draws = rng.standard_normal(k)
        days = np.where(short, 120.0 * np.exp(0.8 * draws), 1800.0 * np.exp(0.9 * draws))
        days = np.where(regulation == BBZ, np.minimum(240.0 * np.exp(0.5 * draws), 1095.0), days)
        days = np.clip(np.rint(days), 14, 25 * 365).astype(np.int64)
        natural = start + days - 1
        early_old = (regulation == IOAW) & (rng.random(k) < 0.3)
        to_aow = ((regulation == IOAW) & ~early_old) | (regulation == IOAZ)
        natural = np.where(to_aow, aow[who] - 1, natural)
        natural = np.maximum(natural, start)
        end = np.minimum(natural, np.minimum(leave[who], aow[who] - 1))
        # outflow reason
        outflow = np.where(
            regulation == BBZ,
            _pick(rng, _BBZ_ENDINGS, _O, k),
            np.where(regulation == PW, _pick(rng, _PW_ENDINGS, _O, k), _pick(rng, _IOAW_ENDINGS, _O, k)),
        )
        outflow = np.where(end == aow[who] - 1, _O["03"], outflow)
        moved = end == leave[who]
        died = residents.died[who]
        abroad = rng.random(k) < 0.1
        outflow = np.where(moved, np.where(died, _O["04"], np.where(abroad, _O["33"], _O["32"])), outflow)
        # what comes next
        g = rng.random(k)
        can_return = ~moved & (outflow != _O["03"])
        comes_back = can_return & (g < SHORT_GAP + MEDIUM_GAP + LONG_GAP)
        gap = np.where(
            g < SHORT_GAP,
            rng.integers(1, 30, k),
            np.where(g < SHORT_GAP + MEDIUM_GAP, rng.integers(30, 366, k), rng.integers(366, 7 * 365, k)),
        )
        short_gap = comes_back & (g < SHORT_GAP)
        outflow = np.where(short_gap, _pick(rng, _SHORT_GAP_ENDINGS, _O, k), outflow)
        # inflow reason, to fit the person and what came before
        inflow = np.where(
            age < 27,
            _pick(rng, _INFLOW_YOUNG, _I, k),
            np.where(
                household == SINGLE_PARENT,
                _pick(rng, _INFLOW_SINGLE_PARENT, _I, k),
                _pick(rng, _INFLOW_ADULT, _I, k),
            ),
        )
        arrived = newcomer[who] & (start - residents.enter[who] < 365) & (rng.random(k) < 0.6)
        inflow = np.where(arrived & (rank == 0), _pick(rng, _INFLOW_NEWCOMER, _I, k), inflow)
        before = previous_outflow[who]
        inflow = np.where(before == _O["11"], _I["11"], inflow)
        inflow = np.where(regulation == BBZ, _I["98"], inflow)
        planned = to_aow | (regulation == BBZ)
        parts.append((who, start, end, planned, natural, regulation, household, inflow, outflow))
        previous_outflow[who] = outflow
        # the others may apply again later, at their own hazard (so the stock does not run dry)
        again = np.rint(rng.exponential(1.0, k) / np.maximum(rate[who], 1e-12)).astype(np.int64)
        next_start[who] = end + 1 + np.where(comes_back, gap, np.maximum(again, 366))
        active[who] = can_return & (next_start[who] <= open_to[who])
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return _Episodes(empty, empty, empty, np.zeros(0, dtype=bool), empty, empty, empty, empty, empty)
    columns = [np.concatenate([part[i] for part in parts]) for i in range(9)]
    return _Episodes(
        applicant=columns[0],
        start=columns[1],
        end=columns[2],
        planned=columns[3].astype(bool),
        planned_end=columns[4],
        regulation=columns[5],
        household=columns[6],
        inflow=columns[7],
        outflow=columns[8],
    )


def _partners(residents: Residents, episodes: _Episodes, rng: np.random.Generator) -> IntArray:
    """The partner (resident index) of each couple's benefit, -1 for the others.

    Partners are adults of the chunk who are never applicants themselves, mostly of the other sex and about
    the applicant's age, living in the municipality when the benefit starts; a person is the partner of one
    applicant only (on that applicant's benefits one after the other). A couple without such a partner
    becomes a single's benefit.
    """
    partner = np.full(episodes.start.shape[0], -1, dtype=np.int64)
    couples = np.flatnonzero(episodes.household == COUPLE)
    pool = np.ones(residents.size, dtype=bool)
    pool[episodes.applicant] = False
    by_sex = []
    for one_sex in (1, 2):
        members = np.flatnonzero(pool & (residents.sex == one_sex))
        members = members[np.argsort(residents.birth[members], kind="stable")]
        by_sex.append(members)
    pending = couples
    for _ in range(4):
        if pending.shape[0] == 0 or min(m.shape[0] for m in by_sex) == 0:
            break
        k = pending.shape[0]
        applicant = episodes.applicant[pending]
        start = episodes.start[pending]
        own_sex = residents.sex[applicant]
        sex: IntArray = np.where(rng.random(k) < 0.97, 3 - own_sex, own_sex)
        older = np.where(own_sex == 1, 1.0, -1.0) * 2.0  # men are about two years older than their partner
        target = residents.birth[applicant] + np.rint((older + 4.0 * rng.standard_normal(k)) * 365.25)
        candidate = np.zeros(k, dtype=np.int64)
        for s in (1, 2):
            members = by_sex[s - 1]
            chosen: BoolArray = sex == s
            jitter = rng.integers(-3, 4, int(chosen.sum()))
            position = np.searchsorted(residents.birth[members], target[chosen]) + jitter
            candidate[chosen] = members[np.clip(position, 0, members.shape[0] - 1)]
        present = (residents.enter[candidate] <= start) & (residents.leave[candidate] > start)
        adult = add_years(residents.birth[candidate], 18) <= start
        found = present & adult
        partner[pending[found]] = candidate[found]
        pending = pending[~found]
    # one applicant per partner: later choices of a partner taken by another applicant go back to single
    has = np.flatnonzero(partner >= 0)
    order = has[np.argsort(partner[has], kind="stable")]
    first = (
        np.r_[True, partner[order][1:] != partner[order][:-1]] if order.shape[0] else np.zeros(0, dtype=bool)
    )
    owner = np.maximum.accumulate(np.where(first, np.arange(order.shape[0]), 0)) if order.shape[0] else order
    clash = episodes.applicant[order] != episodes.applicant[order[owner]]
    partner[order[clash]] = -1
    return partner


def _dates(days: IntArray, valid: BoolArray | None = None) -> pa.Array:
    mask = None if valid is None else ~valid
    return pa.array(days.astype(np.int32), pa.int32(), mask=mask).cast(pa.date32())


def _ids(code: str, letter: str, first: int, count: int) -> pa.Array:
    """``<code><letter><10 digits>``: never a run of 8 or 9 digits that a loader would take for a BSN."""
    numbers = first + np.arange(count, dtype=np.int64)
    return fixed_width_strings(np.hstack([text_columns(code + letter, count), digits(numbers, 10)]))


def _client_ids(code: str, residents: Residents, index: IntArray, valid: BoolArray | None = None) -> pa.Array:
    """The client number the allocations give the same residents: ``C`` + code + 8 digits."""
    count = index.shape[0]
    ids = fixed_width_strings(
        np.hstack([text_columns("C" + code, count), digits(residents.number[np.maximum(index, 0)], 8)])
    )
    return ids if valid is None else pc.if_else(pa.array(valid), ids, pa.scalar(None, pa.string()))


def _strings(values: tuple[str, ...], index: IntArray, valid: BoolArray | None = None) -> pa.Array:
    indices = pa.array(index.astype(np.int32), mask=None if valid is None else ~valid)
    return pa.array(values, pa.string()).take(indices)


def benefit_chunk(
    plan: BenefitPlan,
    residents: Residents,
    postcodes: pa.Array,
    allocations: pa.Table,
    first_benefit: int,
    first_provision: int,
    rng: np.random.Generator,
) -> BenefitTables:
    """The benefits and re-integration provisions of one chunk of residents, numbered from the firsts given.

    ``postcodes`` are the residents' postcodes as the allocations have them; ``allocations`` the chunk's
    allocations (canonical columns), whose clients in SUPPORT_CATEGORIES apply more often.
    """
    support = _support_clients(residents, allocations, plan.municipality_code)
    episodes = _draw_episodes(plan, residents, support, rng)
    partner = _partners(residents, episodes, rng)
    has_partner = partner >= 0
    household = np.where((episodes.household == COUPLE) & ~has_partner, SINGLE, episodes.household)
    # a partner who dies or moves away ends the benefit (reason 97, oorzaak bij partner)
    partner_leaves = np.where(has_partner, residents.leave[np.maximum(partner, 0)], np.iinfo(np.int64).max)
    cut = partner_leaves < episodes.end
    end = np.where(cut, partner_leaves, episodes.end)
    outflow = np.where(cut, _O["97"], episodes.outflow)
    planned = episodes.planned & ~cut
    keep = np.flatnonzero(end >= plan.range_start)
    order = keep[np.lexsort((residents.number[episodes.applicant[keep]], episodes.start[keep]))]
    applicant, start, end, outflow = (
        episodes.applicant[order],
        episodes.start[order],
        end[order],
        outflow[order],
    )
    partner, has_partner, household = partner[order], has_partner[order], household[order]
    planned, planned_end = planned[order], episodes.planned_end[order]
    n = order.shape[0]
    # benefits from before the income system were converted into it with its first day as their start
    start = np.maximum(start, min(jan_first(REGISTERED_FROM), plan.range_start))
    running = end > plan.range_end
    end_written = np.where(running, planned_end, end)
    has_end = ~running | planned
    sharers = rng.random(n)
    cost_sharers = np.where(
        household == COUPLE,
        np.where(sharers < 0.9, 2, 3),
        np.where(
            household == OTHER,
            np.where(sharers < 0.6, 2, 3),
            np.where(sharers < 0.9, 1, np.where(sharers < 0.98, 2, 3)),
        ),
    )
    code = plan.municipality_code
    partner_index = np.maximum(partner, 0)
    columns = {
        "benefit_id": _ids(code, "U", first_benefit, n),
        "client_id": _client_ids(code, residents, applicant),
        "bsn": pa.nulls(n, pa.string()),
        "partner_id": _client_ids(code, residents, partner, has_partner),
        "partner_bsn": pa.nulls(n, pa.string()),
        "birth_date": _dates(residents.birth[applicant]),
        "partner_birth_date": _dates(residents.birth[partner_index], has_partner),
        "gender": _strings(("0", "1", "2"), residents.sex[applicant]),
        "partner_gender": _strings(("0", "1", "2"), residents.sex[partner_index], has_partner),
        "regulation": _strings(REGULATIONS, episodes.regulation[order]),
        "household_type": _strings(HOUSEHOLD_TYPES, household),
        "cost_sharers": pa.array(cost_sharers, pa.int64()),
        "start_date": _dates(start),
        "end_date": _dates(end_written, has_end),
        "inflow_reason": _strings(INFLOW_REASONS, episodes.inflow[order]),
        "outflow_reason": _strings(OUTFLOW_REASONS, outflow, ~running),
        "postcode": postcodes.take(pa.array(applicant)),
        "municipality_code": pa.array(np.full(n, code, dtype=object), pa.string()),
    }
    benefits = pa.table(columns, schema=benefit_schema())
    provisions = _provisions(
        plan,
        residents,
        postcodes,
        applicant,
        partner,
        start,
        np.minimum(end, plan.range_end),
        outflow,
        ~running,
        first_provision,
        rng,
    )
    return BenefitTables(benefits, provisions)


def _provisions(
    plan: BenefitPlan,
    residents: Residents,
    postcodes: pa.Array,
    applicant: IntArray,
    partner: IntArray,
    start: IntArray,
    end: IntArray,
    outflow: IntArray,
    ended: BoolArray,
    first_number: int,
    rng: np.random.Generator,
) -> pa.Table:
    """Re-integration provisions during the longer benefits (PROVISIONS_PER_YEAR) and after a fifth of the outflows to
    work (a loonkostensubsidie from the next day)."""
    n = start.shape[0]
    years = np.maximum(end - start - 60, 0) / 365.25
    counts = np.where(end - start >= 90, rng.poisson(PROVISIONS_PER_YEAR * years), 0)
    during = repeat_index(counts.astype(np.int64))
    k = during.shape[0]
    d_start = (
        start[during] + 30 + np.floor(rng.random(k) * (end[during] - start[during] - 60)).astype(np.int64)
    )
    d_type = _pick(rng, _PROVISION_MIX, {c: i for i, c in enumerate(PROVISION_TYPES)}, k)
    d_days = np.clip(np.rint(300.0 * np.exp(0.7 * rng.standard_normal(k))), 14, 4 * 365).astype(np.int64)
    use_partner = (partner[during] >= 0) & (rng.random(k) < 0.4)
    d_person = np.where(use_partner, partner[during], applicant[during])
    work = np.flatnonzero(ended & (outflow == _O["11"]) & (rng.random(n) < WORK_SUBSIDY_SHARE))
    w = work.shape[0]
    w_start = end[work] + 1
    w_days = rng.integers(180, 1096, w)
    person = np.concatenate([d_person, applicant[work]])
    p_start = np.concatenate([d_start, w_start])
    p_end = p_start + np.concatenate([d_days, w_days]) - 1
    p_type = np.concatenate([d_type, np.full(w, PROVISION_TYPES.index("04"))])
    keep = np.flatnonzero((p_start <= plan.range_end) & (p_end >= plan.range_start))
    keep = keep[np.lexsort((residents.number[person[keep]], p_start[keep]))]
    person, p_start, p_end, p_type = person[keep], p_start[keep], p_end[keep], p_type[keep]
    m = keep.shape[0]
    code = plan.municipality_code
    columns = {
        "provision_id": _ids(code, "R", first_number, m),
        "client_id": _client_ids(code, residents, person),
        "bsn": pa.nulls(m, pa.string()),
        "birth_date": _dates(residents.birth[person]),
        "provision_type": _strings(PROVISION_TYPES, p_type),
        "start_date": _dates(p_start),
        "end_date": _dates(p_end, p_end <= plan.range_end),
        "postcode": postcodes.take(pa.array(person)),
        "municipality_code": pa.array(np.full(m, code, dtype=object), pa.string()),
    }
    return pa.table(columns, schema=reintegration_schema())
