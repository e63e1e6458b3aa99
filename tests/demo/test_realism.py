"""The demo data looks like a Dutch municipality: who gets what, for how long, and how it is registered."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path

import pyarrow.parquet as pq

from sdmonitor.demo import GenerateOptions, generate
from sdmonitor.domain.codes import jeugd_product_codes
from tests.demo.helpers import Run, age_on, as_date

WMO_CATEGORIES = {f"{c:02d}" for c in range(1, 19)}
JEUGD_CATEGORIES = {str(c) for c in range(40, 56)}
WMO_END_REASONS = {"02", "19", "21", "22", "23", "31", "36", "37", "38", "39"}
JEUGD_END_REASONS = {"02", "31", "32", "33", "34", "35", "36", "37", "38", "39"}


def _counted(run: Run) -> list[dict[str, object]]:
    """Rows that count: without the allocations withdrawn with reden wijziging 13."""
    return [row for row in run.rows if row["change_reason"] != "13"]


def _clients_in_year(rows: list[dict[str, object]], law: str, year: int) -> set[object]:
    first, last = date(year, 1, 1), date(year, 12, 31)
    return {
        row["client_id"]
        for row in rows
        if row["law"] == law
        and as_date(row["start_date"]) <= last
        and (row["end_date"] is None or as_date(row["end_date"]) >= first)
    }


def test_every_wmo_and_jeugd_category_appears(municipality: Run) -> None:
    categories = {(row["law"], row["product_category"]) for row in municipality.rows}
    assert {c for law, c in categories if law == "WMO"} == WMO_CATEGORIES
    assert {c for law, c in categories if law == "JW"} == JEUGD_CATEGORIES


def test_jeugd_product_codes_are_national_codes_with_a_cbs_hulpvorm(municipality: Run) -> None:
    national = jeugd_product_codes()
    for row in municipality.rows:
        if row["law"] != "JW":
            continue
        code = row["product_code"]
        if row["product_category"] in {"54", "55"}:
            assert code is None  # JZ21 has no codes for these categories
            continue
        assert code in national, code
        assert national[str(code)]["category"] == row["product_category"]
        if row["product_category"] not in {"42", "50"}:
            assert national[str(code)]["hulpvorm"] != "-", code


def test_wmo_product_codes_start_with_their_category(municipality: Run) -> None:
    for row in municipality.rows:
        if row["law"] == "WMO":
            assert str(row["product_code"])[:2] == row["product_category"]
            assert len(str(row["product_code"])) == 5


def test_dementia_and_lvb_target_groups_are_recognisable(municipality: Run) -> None:
    ages: dict[str, list[int]] = defaultdict(list)
    for row in municipality.rows:
        code = str(row["product_code"])
        if code in {"02D01", "07D01", "02L01", "07L01"}:
            ages[code].append(age_on(as_date(row["birth_date"]), as_date(row["start_date"])))
    assert set(ages) == {"02D01", "07D01", "02L01", "07L01"}
    assert sorted(ages["07D01"])[len(ages["07D01"]) // 2] >= 70
    assert sorted(ages["02L01"])[len(ages["02L01"]) // 2] < 50


def test_jeugd_clients_are_mostly_minors_at_start(municipality: Run) -> None:
    ages = [
        age_on(as_date(row["birth_date"]), as_date(row["start_date"]))
        for row in municipality.rows
        if row["law"] == "JW"
    ]
    assert max(ages) <= 22
    assert sum(age < 18 for age in ages) / len(ages) > 0.85
    assert any(age >= 18 for age in ages)  # verlengde jeugdhulp


def test_most_wmo_clients_are_65_or_older(municipality: Run) -> None:
    rows = _counted(municipality)
    clients = _clients_in_year(rows, "WMO", 2020)
    birth = {row["client_id"]: as_date(row["birth_date"]) for row in rows}
    older = sum(age_on(birth[c], date(2020, 7, 1)) >= 65 for c in clients)
    assert older / len(clients) > 0.5


def test_wmo_clients_grow_over_the_years(municipality: Run) -> None:
    rows = _counted(municipality)
    counts = [len(_clients_in_year(rows, "WMO", year)) for year in range(2015, 2025)]
    assert counts[-1] > 1.2 * counts[0]
    assert sum(later > earlier for earlier, later in pairwise(counts)) >= 7


def test_jeugd_clients_grow_until_2020_and_then_flatten(tmp_path: Path) -> None:
    # a larger municipality: at 20,000 inhabitants yearly Jeugdwet counts (about 500) are too noisy
    options = GenerateOptions(inhabitants=100_000, first_year=2017, last_year=2024)
    table = pq.read_table(
        generate(tmp_path, options).allocations[0],
        columns=["client_id", "law", "start_date", "end_date", "change_reason"],
    )
    rows = [row for row in table.to_pylist() if row["change_reason"] != "13"]
    counts = {year: len(_clients_in_year(rows, "JW", year)) for year in range(2017, 2025)}
    assert counts[2020] > 1.08 * counts[2017]
    assert abs(counts[2024] - counts[2020]) < 0.07 * counts[2020]


def test_client_shares_match_the_national_picture(municipality: Run) -> None:
    rows = _counted(municipality)
    wmo = len(_clients_in_year(rows, "WMO", 2019)) / 20_000
    jeugd = len(_clients_in_year(rows, "JW", 2019)) / (20_000 * 0.19)
    assert 0.05 < wmo < 0.10
    assert 0.08 < jeugd < 0.16


def test_renewal_on_1_january_follows_an_allocation_ending_on_31_december(municipality: Run) -> None:
    ended = {
        (row["client_id"], row["product_code"], row["provider_code"], as_date(row["end_date"]))
        for row in _counted(municipality)
        if row["end_date"] is not None
    }
    renewals = [
        row
        for row in _counted(municipality)
        if as_date(row["start_date"]).timetuple()[1:3] == (1, 1)
        and (
            row["client_id"],
            row["product_code"],
            row["provider_code"],
            as_date(row["start_date"]) - timedelta(days=1),
        )
        in ended
    ]
    years = Counter(as_date(row["start_date"]).year for row in renewals)
    assert set(years) >= set(range(2016, 2025))
    assert min(years.values()) > 100


def test_one_day_overlapping_and_open_ended_allocations_exist(municipality: Run) -> None:
    rows = _counted(municipality)
    assert sum(row["start_date"] == row["end_date"] for row in rows) > 10
    open_ended = Counter(row["product_category"] for row in rows if row["end_date"] is None)
    assert open_ended["11"] + open_ended["12"] + open_ended["14"] > 100
    by_client: dict[object, list[tuple[date, date]]] = defaultdict(list)
    for row in rows:
        end = as_date(row["end_date"]) if row["end_date"] else date(2099, 1, 1)
        by_client[row["client_id"]].append((as_date(row["start_date"]), end))
    overlapping = 0
    for spans in by_client.values():
        spans.sort()
        overlapping += any(b[0] <= a[1] for a, b in pairwise(spans))
    assert overlapping > 500


def test_some_clients_move_from_jeugdwet_to_wmo_around_18(municipality: Run) -> None:
    rows = _counted(municipality)
    jeugd_end: dict[object, date] = {}
    wmo_start: dict[object, date] = {}
    birth: dict[object, date] = {}
    for row in rows:
        client = row["client_id"]
        birth[client] = as_date(row["birth_date"])
        if row["law"] == "JW" and row["end_reason"] == "39":
            jeugd_end[client] = as_date(row["end_date"])
        if row["law"] == "WMO" and str(row["product_category"]) in {"02", "07", "15"}:
            wmo_start.setdefault(client, as_date(row["start_date"]))
            wmo_start[client] = min(wmo_start[client], as_date(row["start_date"]))
    moved = [
        client
        for client, end in jeugd_end.items()
        if client in wmo_start
        and age_on(birth[client], end) == 17
        and abs((wmo_start[client] - end).days) < 90
    ]
    assert len(moved) >= 10


def test_some_clients_have_support_under_both_laws_at_once(municipality: Run) -> None:
    spans: dict[tuple[object, object], list[tuple[date, date]]] = defaultdict(list)
    for row in _counted(municipality):
        end = as_date(row["end_date"]) if row["end_date"] else date(2099, 1, 1)
        spans[(row["client_id"], row["law"])].append((as_date(row["start_date"]), end))
    both = 0
    for (client, law), jeugd in spans.items():
        if law != "JW":
            continue
        wmo = spans.get((client, "WMO"), [])
        both += any(a[0] <= b[1] and b[0] <= a[1] for a in jeugd for b in wmo)
    assert both >= 20


def test_end_reasons_belong_to_the_law(municipality: Run) -> None:
    for row in municipality.rows:
        reason = row["end_reason"]
        if reason is None:
            continue
        assert row["end_date"] is not None
        allowed = WMO_END_REASONS if row["law"] == "WMO" else JEUGD_END_REASONS
        assert reason in allowed, row


def test_a_few_allocations_are_withdrawn_with_change_reason_13(municipality: Run) -> None:
    reasons = Counter(row["change_reason"] for row in municipality.rows)
    total = municipality.table.num_rows
    assert 0.001 < reasons["13"] / total < 0.006
    assert 0.85 < reasons[None] / total < 0.97


def test_most_support_is_in_kind_and_justice_referrals_come_from_gi_or_court(
    municipality: Run,
) -> None:
    rows = municipality.rows
    pgb = sum(row["delivery_form"] == "PGB" for row in rows) / len(rows)
    assert 0.05 < pgb < 0.15
    justice = {row["referrer"] for row in rows if row["product_category"] in {"47", "48"}}
    assert justice <= {"04", "08"}
    wmo = Counter(row["referrer"] for row in rows if row["law"] == "WMO")
    assert wmo["01"] / sum(wmo.values()) > 0.9


def test_most_postcodes_are_pc6_and_a_few_pc4(municipality: Run) -> None:
    lengths = Counter(len(str(row["postcode"])) for row in municipality.rows)
    assert set(lengths) == {4, 6}
    assert lengths[4] / municipality.table.num_rows < 0.1
