"""Allocations of one chunk of residents as an Arrow table in canonical columns.

Episodes (``episodes.py``) are cut into allocations (``segments.py``); this module fills in everything a
register holds besides dates and product: end dates of running allocations (often open-ended), reden
beëindiging consistent with the law and the way support ended, a few reden wijziging codes (about 0.3 %
extra copies withdrawn with code 13), aanvraag- and besluitdatum, referrer, ZIN/PGB, gender and postcode,
and the pseudonymous client id and unique allocation id.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from sdmonitor.demo.arrays import (
    BoolArray,
    IntArray,
    age_on,
    choose,
    digits,
    fixed_width_strings,
    take_strings,
    text_columns,
)
from sdmonitor.demo.catalogue import CATEGORIES, CATEGORY_INDEX
from sdmonitor.demo.episodes import Episodes, draw_episodes
from sdmonitor.demo.model import FREQUENCIES, LAW_CODES, REFERRERS, UNITS, AllocationModel, EndKind
from sdmonitor.demo.population import Residents
from sdmonitor.demo.segments import Segments, cut_episodes
from sdmonitor.domain.allocations import COLUMN_NAMES

UNKNOWN_GENDER_SHARE = 0.003  # residents registered with geslacht 0 (onbekend)
DELETED_SHARE = 0.003  # allocations sent by mistake: an extra copy with reden wijziging 13
OTHER_CHANGE_SHARE = 0.015  # other allocations with a reden wijziging (03, 04, 08, 14)

# Reden beëindiging: iWmo and iJw codes, with the share among allocations that end as planned or early.
END_REASONS = ("02", "19", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "38", "39")
_R = {code: i for i, code in enumerate(END_REASONS)}
_WMO_END_YOUNGER = {"19": 0.76, "21": 0.06, "22": 0.04, "23": 0.06, "36": 0.05, "39": 0.03}
_WMO_END_OLDER = {"19": 0.62, "21": 0.04, "22": 0.02, "23": 0.04, "36": 0.03, "39": 0.25}
_JW_END = {"31": 0.68, "32": 0.07, "33": 0.04, "34": 0.10, "35": 0.03, "36": 0.04, "39": 0.04}
CHANGE_REASONS = ("02", "03", "04", "05", "06", "07", "08", "09", "13", "14")
_C = {code: i for i, code in enumerate(CHANGE_REASONS)}


@dataclass(frozen=True)
class ChunkResult:
    """The allocations of one chunk (canonical columns) and how many distinct clients they have."""

    table: pa.Table
    clients: int


def generate_chunk(
    model: AllocationModel,
    residents: Residents,
    postcodes: pa.Array,
    municipality_code: str,
    first_allocation_number: int,
    rng: np.random.Generator,
) -> ChunkResult:
    """All allocations of one chunk of residents, numbered from ``first_allocation_number``."""
    episodes = draw_episodes(model, residents, rng)
    segments = cut_episodes(model, episodes, rng)
    number = first_allocation_number
    table = _allocations(model, residents, postcodes, municipality_code, number, episodes, segments, rng)
    return ChunkResult(table, int(np.unique(episodes.resident).shape[0]))


def _allocations(
    model: AllocationModel,
    residents: Residents,
    postcodes: pa.Array,
    municipality_code: str,
    first_number: int,
    episodes: Episodes,
    segments: Segments,
    rng: np.random.Generator,
) -> pa.Table:
    ep = segments.episode
    cat = episodes.category[ep]
    resident = episodes.resident[ep]
    law = model.category_law[cat]
    n = ep.shape[0]
    params = model.category_params
    # end dates of allocations still running at the extraction date; registrations never closed
    running = segments.end > model.range_end
    open_ended = running & (rng.random(n) < params["open_running"][cat])
    planned = np.minimum(segments.end, model.range_end + rng.integers(1, 731, size=n))
    end = np.where(running, planned, segments.end)
    is_last = segments.end_kind <= EndKind.AT_18
    never_closed = ~running & is_last & (rng.random(n) < params["never_closed"][cat])
    has_end = ~(open_ended | never_closed)
    reason = _end_reasons(segments.end_kind, law, residents, resident, end, rng)
    has_reason = has_end & ~running
    change = _change_reasons(segments.end_kind, reason, has_reason, rng)
    request, decision = _request_and_decision(model, episodes, segments, cat, rng)
    referrer = choose(rng, model.referrer_cumulative, episodes.category)[ep]
    pgb = (rng.random(episodes.start.shape[0]) < params["pgb"][episodes.category])[ep]
    unit = model.product_unit[segments.product]
    frequency = model.product_frequency[segments.product]
    # an extra copy of a few allocations, sent by mistake and withdrawn (reden wijziging 13)
    deleted = np.flatnonzero(rng.random(n) < DELETED_SHARE)
    rows = np.concatenate([np.arange(n), deleted])
    change = np.concatenate([change, np.full(deleted.shape[0], _C["13"])])
    wrong_provider = choose(rng, model.provider_cumulative, segments.product[deleted])
    wrong = rng.random(deleted.shape[0]) < 0.5
    deleted_provider = np.where(wrong, wrong_provider, segments.provider[deleted])
    provider = np.concatenate([segments.provider, deleted_provider])
    start = segments.start[rows]
    order = np.lexsort((residents.number[resident[rows]], start))
    rows, change, provider, start = rows[order], change[order], provider[order], start[order]
    res = resident[rows]
    total = rows.shape[0]
    gender = residents.sex[res]
    unknown_gender = rng.random(residents.size) < UNKNOWN_GENDER_SHARE
    gender = np.where(unknown_gender[res], 0, gender)
    volume = segments.volume[rows]
    code_cols = text_columns(municipality_code, total)
    allocation_id = fixed_width_strings(
        np.hstack([code_cols, digits(first_number + np.arange(total, dtype=np.int64), 9)])
    )
    client_id = fixed_width_strings(
        np.hstack([text_columns("C", total), code_cols, digits(residents.number[res], 8)])
    )
    columns: dict[str, pa.Array] = {
        "allocation_id": allocation_id,
        "client_id": client_id,
        "bsn": pa.nulls(total, pa.string()),
        "birth_date": _dates(residents.birth[res]),
        "gender": take_strings(["0", "1", "2"], gender),
        "municipality_code": take_strings([municipality_code], np.zeros(total, dtype=np.int64)),
        "postcode": postcodes.take(pa.array(res)),
        "law": take_strings(list(LAW_CODES), law[rows]),
        "product_category": take_strings([c.code for c in CATEGORIES], cat[rows]),
        "product_code": take_strings(
            [p.code for p in model.catalogue],
            segments.product[rows],
            model.product_registered[segments.product[rows]],
        ),
        "provider_code": take_strings([p.code for p in model.providers], provider),
        "provider_name": take_strings([p.name for p in model.providers], provider),
        "start_date": _dates(start),
        "end_date": _dates(end[rows], has_end[rows]),
        "volume": pa.array(volume, mask=np.isnan(volume), type=pa.float64()),
        "unit": take_strings(list(UNITS), unit[rows], unit[rows] > 0),
        "frequency": take_strings(list(FREQUENCIES), frequency[rows], frequency[rows] > 0),
        "delivery_form": take_strings(["ZIN", "PGB"], pgb[rows].astype(np.int64)),
        "referrer": take_strings(list(REFERRERS), referrer[rows]),
        "request_date": _dates(request[rows]),
        "decision_date": _dates(decision[rows]),
        "change_reason": take_strings(list(CHANGE_REASONS), np.maximum(change, 0), change >= 0),
        "end_reason": take_strings(list(END_REASONS), reason[rows], has_reason[rows]),
    }
    return pa.table([columns[name] for name in COLUMN_NAMES], names=list(COLUMN_NAMES))


def _dates(days: IntArray, valid: BoolArray | None = None) -> pa.Array:
    mask = None if valid is None else ~valid
    return pa.array(days.astype(np.int32), type=pa.int32(), mask=mask).cast(pa.date32())


def _end_reasons(
    end_kind: IntArray,
    law: IntArray,
    residents: Residents,
    resident: IntArray,
    end: IntArray,
    rng: np.random.Generator,
) -> IntArray:
    """Reden beëindiging per allocation, consistent with the law and the way it ended."""
    n = end_kind.shape[0]
    older = age_on(residents.birth[resident], end) >= 75
    wmo_young = _pick(rng, _WMO_END_YOUNGER, n)
    wmo_old = _pick(rng, _WMO_END_OLDER, n)
    jeugd = _pick(rng, _JW_END, n)
    planned = np.where(law == 0, np.where(older, wmo_old, wmo_young), jeugd)
    plan = np.where(law == 0, _R["19"], _R["31"])
    halves = rng.random(n) < 0.5
    early = np.where(law == 0, np.where(halves, _R["21"], _R["23"]), np.where(halves, _R["32"], _R["34"]))
    by_kind = {
        EndKind.DEATH: np.full(n, _R["02"]),
        EndKind.MOVED: np.where(law == 0, _R["31"], _R["35"]),
        EndKind.TO_WMO: np.full(n, _R["39"]),
        EndKind.AT_18: np.full(n, _R["31"]),
        EndKind.RENEWAL: plan,
        EndKind.CHANGE: np.full(n, _R["37"]),
        EndKind.SWITCH: np.full(n, _R["38"]),
        EndKind.GAP: early,
    }
    reason = planned
    for kind, values in by_kind.items():
        reason = np.where(end_kind == kind, values, reason)
    return reason.astype(np.int64)


def _pick(rng: np.random.Generator, shares: dict[str, float], n: int) -> IntArray:
    codes = [_R[code] for code in shares]
    weights = np.array(list(shares.values()))
    return np.asarray(codes, dtype=np.int64)[rng.choice(len(codes), size=n, p=weights / weights.sum())]


def _change_reasons(
    end_kind: IntArray, reason: IntArray, has_reason: BoolArray, rng: np.random.Generator
) -> IntArray:
    """Reden wijziging (index into CHANGE_REASONS, -1 for none): mostly empty, a few percent filled.

    An allocation shortened because of death, a move, a provider switch, the move to the Wmo or an early
    end often carries the matching code; a few others carry 03, 04, 08 or 14.
    """
    n = end_kind.shape[0]
    u = np.where(has_reason, rng.random(n), 1.0)
    change = np.full(n, -1, dtype=np.int64)
    early = np.isin(reason, [_R[c] for c in ("21", "22", "23", "32", "33", "34", "35")])
    change = np.where((end_kind == EndKind.DEATH) & (u < 0.4), _C["02"], change)
    change = np.where((end_kind == EndKind.MOVED) & (u < 0.4), _C["07"], change)
    change = np.where((end_kind == EndKind.SWITCH) & (u < 0.5), _C["09"], change)
    change = np.where((end_kind == EndKind.TO_WMO) & (u < 0.2), _C["06"], change)
    change = np.where(early & (end_kind == EndKind.GAP) & (u < 0.25), _C["05"], change)
    other = np.array([_C["03"], _C["04"], _C["08"], _C["14"]])[rng.integers(0, 4, size=n)]
    change = np.where((change < 0) & (rng.random(n) < OTHER_CHANGE_SHARE), other, change)
    return change.astype(np.int64)


def _request_and_decision(
    model: AllocationModel,
    episodes: Episodes,
    segments: Segments,
    category: IntArray,
    rng: np.random.Generator,
) -> tuple[IntArray, IntArray]:
    """Aanvraagdatum and besluitdatum: weeks before the start, sometimes a decision afterwards."""
    n = segments.start.shape[0]
    start = segments.start
    crisis = np.isin(category, [CATEGORY_INDEX[c] for c in ("16", "17", "46")])
    court = np.isin(category, [CATEGORY_INDEX[c] for c in ("47", "48")])
    late = rng.random(n) < 0.2
    decision: IntArray = np.where(
        late, start + rng.integers(1, 61, size=n), start - rng.integers(0, 29, size=n)
    )
    lag: IntArray = np.asarray(rng.integers(14, 57, size=n), dtype=np.int64)
    transition = episodes.transition[segments.episode] & (segments.rank == 0)
    decision = np.where(transition, start - rng.integers(10, 121, size=n), decision)
    lag = np.where(transition, rng.integers(14, 121, size=n), lag)
    renewed = segments.renewal
    decision = np.where(renewed, start - rng.integers(5, 46, size=n), decision)
    lag = np.where(renewed, rng.integers(7, 43, size=n), lag)
    changed = segments.after_change & ~renewed
    decision = np.where(changed, start + rng.integers(-21, 31, size=n), decision)
    lag = np.where(changed, rng.integers(7, 36, size=n), lag)
    quick = crisis | court
    decision = np.where(quick & ~renewed, start + rng.integers(0, 8, size=n), decision)
    lag = np.where(quick & ~renewed, rng.integers(0, 4, size=n), lag)
    decision = np.minimum(decision, model.range_end)
    request = decision - lag
    return request.astype(np.int64), decision.astype(np.int64)
