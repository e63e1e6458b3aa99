"""The demo's requests and deliveries (issue 13): they load without a rejection through the real loaders, and
the waiting metrics on them give plausible figures, checked against simple references over the files."""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path

import pyarrow.parquet as pq

from sdmonitor.demo import extraction_date
from sdmonitor.demo.access import GGZ_CATEGORIES, NO_DELIVERY_CATEGORIES, TEAMS
from sdmonitor.loading import DELIVERY_TABLE, REQUEST_TABLE, LoadOptions, load_allocations, load_table
from sdmonitor.metrics import MetricRequest, run_metric
from sdmonitor.warehouse import Warehouse
from tests.conftest import KEY
from tests.demo.helpers import Run

EXTRACTED = extraction_date(2024)
NOW = datetime(2025, 1, 7, 12)


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _load(warehouse: Warehouse, municipality: Run) -> None:
    options = LoadOptions(source="demo", pseudonym_key=KEY, extracted_on=EXTRACTED)
    load_allocations(warehouse, municipality.files.allocations[0], options, now=NOW)
    files = municipality.files
    assert files.requests is not None and files.deliveries is not None
    for table, path in ((REQUEST_TABLE, files.requests), (DELIVERY_TABLE, files.deliveries)):
        summary = load_table(warehouse, path, options, table, now=NOW)
        assert summary.rejected == 0 and summary.rejections == {}, summary.rejections
        assert summary.warned == 0, summary.warnings
        assert summary.loaded == summary.read > 0


def test_every_demo_request_and_delivery_loads_without_rejection_or_warning(
    warehouse: Warehouse, municipality: Run
) -> None:
    _load(warehouse, municipality)


def test_requests_have_ordered_dates_the_four_teams_and_every_kind_of_ending(municipality: Run) -> None:
    assert municipality.files.requests is not None
    rows = _read(municipality.files.requests)
    assert {row["team"] for row in rows} == set(TEAMS)
    assert {row["kind"] for row in rows} == {"melding", "aanvraag"}
    outcomes = {row["outcome"] for row in rows}
    assert {"toegekend", "deels", "afgewezen", "ingetrokken", "buiten_behandeling", ""} <= outcomes
    for row in rows:
        assert row["received_on"] <= EXTRACTED.isoformat()
        assert not row["decided_on"] or row["received_on"] <= row["decided_on"] <= EXTRACTED.isoformat()
    wmo_meldingen = [r for r in rows if r["law"] == "WMO" and r["kind"] == "melding" and r["decided_on"]]
    days = [
        (date.fromisoformat(r["decided_on"]) - date.fromisoformat(r["received_on"])).days
        for r in wmo_meldingen
    ]
    over = sum(d > 42 + int(r["suspended_days"] or 0) for d, r in zip(days, wmo_meldingen, strict=True))
    assert 0.05 < over / len(days) < 0.25  # some over the six weeks of the onderzoek
    assert 0.05 < sum(bool(r["suspended_days"]) for r in wmo_meldingen) / len(days) < 0.2
    assert any(r["plan_on"] for r in rows) and any(r["extended_days"] for r in rows)
    assert sum(not r["decided_on"] for r in rows) > 0  # open at the extraction date


def test_waiting_by_law_per_quarter_has_home_care_fast_and_jeugd_slower(
    warehouse: Warehouse, municipality: Run
) -> None:
    _load(warehouse, municipality)
    request = MetricRequest(
        "waiting", grain="quarter", by=("law",), start=date(2024, 1, 1), end=date(2024, 12, 31)
    )
    rows = run_metric(warehouse, request).records()
    assert {(r["period"], r["law"]) for r in rows} == {
        (f"2024-Q{q}", law) for q in range(1, 5) for law in ("WMO", "JW")
    }
    for row in rows:
        assert row["started"] > 0 and 0 <= row["wait_median_days"] <= row["p80_days"]
        assert 50.0 <= row["within_norm_share"] <= 100.0
    for quarter in range(1, 5):
        wmo, jw = (
            next(r for r in rows if r["period"] == f"2024-Q{quarter}" and r["law"] == law)
            for law in ("WMO", "JW")
        )
        assert wmo["wait_median_days"] < jw["wait_median_days"]


def _reference_waiting(municipality: Run, provider: str, on: date, categories: tuple[str, ...] = ()) -> int:
    """Allocations in kind of ``provider`` (in ``categories`` when given) running on ``on``, whose clock started at least
    7 days before it, without a delivery started (and reported) by then: a simple count over the files."""
    assert municipality.files.deliveries is not None
    first: dict[str, date] = {}
    for row in _read(municipality.files.deliveries):
        start = date.fromisoformat(row["start_date"])
        reported = date.fromisoformat(row["reported_on"])
        if reported <= on:  # known at that moment (the reference replays the data moment `on`)
            first[row["allocation_id"]] = min(start, first.get(row["allocation_id"], start))
    table = pq.read_table(municipality.files.allocations[0]).to_pylist()
    waiting = 0
    for a in table:
        if a["provider_code"] != provider or a["product_category"] in NO_DELIVERY_CATEGORIES:
            continue
        if categories and (a["law"] != "JW" or a["product_category"] not in categories):
            continue
        if a["delivery_form"] == "PGB" or a["change_reason"] == "13":
            continue
        clock = max(a["start_date"], a["decision_date"] or a["start_date"])
        running = a["start_date"] <= on and (a["end_date"] is None or a["end_date"] >= on)
        started = a["allocation_id"] in first and first[a["allocation_id"]] <= on
        if running and clock <= on - timedelta(days=7) and not started:
            waiting += 1
    return waiting


def test_the_ggz_providers_waiting_list_grows_over_the_last_year(
    warehouse: Warehouse, municipality: Run
) -> None:
    provider = municipality.files.waiting_provider
    # the GGZ categories' waits grow from a median of 40 to 120 days: their list at least doubles in a year
    ggz = [
        _reference_waiting(municipality, provider, on, GGZ_CATEGORIES)
        for on in (EXTRACTED - timedelta(days=365), EXTRACTED)
    ]
    assert ggz[1] >= 2 * max(1, ggz[0]), ggz
    reference = _reference_waiting(municipality, provider, EXTRACTED)
    _load(warehouse, municipality)
    rows = run_metric(warehouse, MetricRequest("waiting_list", on=(EXTRACTED,), by=("provider",))).records()
    counts = defaultdict(int, {r["provider"]: r["waiting"] for r in rows})
    assert counts[provider] == reference  # the metric agrees with the reference over the files


def test_support_plans_and_access_partners_of_the_demo_are_not_trivial(
    warehouse: Warehouse, municipality: Run
) -> None:
    """Figures 4 and 5 on the demo: plans of both laws in every target group, and at every team new
    questions, with broad inquiries and plans, as in Lansingerland's order (questions >= inquiries); fewer new
    questions than requests received (an aanvraag after its melding continues the question)."""
    _load(warehouse, municipality)
    year = {"grain": "half", "start": date(2024, 1, 1), "end": date(2024, 6, 30)}
    plans = run_metric(
        warehouse, MetricRequest("support_plans", by=("target_group", "law"), **year)
    ).records()
    found = {(r["target_group"], r["law"]): r["support_plans"] for r in plans}
    assert found[("jeugd", "JW")] > 0 and found[("volwassenen", "WMO")] > 0 and found[("ouderen", "WMO")] > 0
    partners = run_metric(warehouse, MetricRequest("access", **year)).records()
    assert {r["team"] for r in partners} == set(TEAMS)
    assert all(r["new_requests"] > 0 and r["support_plans"] > 0 for r in partners)
    assert sum(r["broad_inquiries"] > 0 for r in partners) >= 3
    # one melding (broad inquiry) per question, not one per product: never more inquiries than questions
    assert all(r["broad_inquiries"] <= r["new_requests"] for r in partners), partners
    assert municipality.files.requests is not None
    received = sum(
        1 for r in _read(municipality.files.requests) if "2024-01-01" <= r["received_on"] <= "2024-06-30"
    )
    assert 0 < sum(r["new_requests"] for r in partners) < received


def _per_half(warehouse: Warehouse, metric: str, by: tuple[str, ...] = ()) -> list[dict[str, object]]:
    span = {"grain": "half", "start": date(2021, 1, 1), "end": date(2024, 12, 31)}
    return run_metric(warehouse, MetricRequest(metric, by=by, **span)).records()


def _within(value: float, earlier: list[float], share: float) -> bool:
    mean = sum(earlier) / len(earlier)
    return abs(value - mean) <= share * mean


def test_the_last_year_of_access_is_level_with_the_years_before(
    warehouse: Warehouse, municipality: Run
) -> None:
    """Questions asked before the data moment for care that starts after it are in the data (as open or
    decided requests), so the report period is no collapse: new requests and support plans in each half of
    the last year lie within 15 % of the mean of the half-years 2021-2023, and the Jeugdwet plans of the last
    year within 15 % of the yearly mean before."""
    _load(warehouse, municipality)
    new: defaultdict[str, int] = defaultdict(int)
    for row in _per_half(warehouse, "access"):
        new[str(row["period"])] += int(str(row["new_requests"]))
    plans: defaultdict[str, int] = defaultdict(int)
    jeugd: defaultdict[str, int] = defaultdict(int)
    for row in _per_half(warehouse, "support_plans", ("law",)):
        plans[str(row["period"])] += int(str(row["support_plans"]))
        if row["law"] == "JW":
            jeugd[str(row["period"])[:4]] += int(str(row["support_plans"]))
    earlier = [f"{year}-H{half}" for year in (2021, 2022, 2023) for half in (1, 2)]
    for half in ("2024-H1", "2024-H2"):
        assert _within(new[half], [new[h] for h in earlier], 0.15), (half, dict(new))
        assert _within(plans[half], [plans[h] for h in earlier], 0.15), (half, dict(plans))
    assert _within(jeugd["2024"], [jeugd[y] for y in ("2021", "2022", "2023")], 0.15), dict(jeugd)


def test_participatiewet_requests_have_plans_decision_times_and_open_ones(
    warehouse: Warehouse, municipality: Run
) -> None:
    """The bijstand aanvragen of the demo's benefits (team Werk en Inkomen) give figure 4 a Participatiewet
    row for adults, decision times against the Awb term of 56 days with some over it, and open aanvragen on
    the extraction date; about a third of the decided ones end without a benefit."""
    _load(warehouse, municipality)
    half = {"grain": "half", "start": date(2024, 7, 1), "end": date(2024, 12, 31)}
    plans = run_metric(
        warehouse, MetricRequest("support_plans", by=("target_group", "law"), **half)
    ).records()
    found = {(r["target_group"], r["law"]): r["support_plans"] for r in plans}
    assert found[("volwassenen", "PW")] > 0
    decided = run_metric(warehouse, MetricRequest("decision_time", by=("law",), **half)).records()
    pw = next(r for r in decided if r["law"] == "PW")
    assert int(str(pw["decided"])) > 20 and 70 <= float(str(pw["within_term_share"])) < 100
    still_open = run_metric(warehouse, MetricRequest("open_requests", on=(EXTRACTED,), by=("law",))).records()
    assert any(r["law"] == "PW" and int(str(r["open"])) > 0 for r in still_open)
    assert municipality.files.requests is not None
    rows = [r for r in _read(municipality.files.requests) if r["law"] == "PW"]
    assert {r["team"] for r in rows} == {"Werk en Inkomen"} and {r["kind"] for r in rows} == {"aanvraag"}
    outcomes = [r["outcome"] for r in rows if r["outcome"]]
    refused = sum(o in ("afgewezen", "ingetrokken", "buiten_behandeling") for o in outcomes) / len(outcomes)
    assert 0.25 < refused < 0.45 and all(not r["product_category"] for r in rows)
