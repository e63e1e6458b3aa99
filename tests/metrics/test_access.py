"""The access rules (metrics/access.py) on the worked examples R and W of docs/metrics.md, every figure
written out, and the edge cases of design §4."""

from __future__ import annotations

from typing import Any

import ibis
import pyarrow as pa

from sdmonitor.metrics import access
from sdmonitor.metrics.catalogue import CATALOGUE, MEASURES, Kind, Measure, Metric
from sdmonitor.metrics.compile import with_derived
from sdmonitor.reports.protect import FRACTIONS, PERCENT_POINTS, rounded
from sdmonitor.reports.suppression import Policy
from sdmonitor.reports.tables import as_fraction
from tests.metrics.access_tables import (
    allocations,
    deliveries,
    norms,
    on,
    quarters,
    requests,
    run,
)

# Worked example R (docs/metrics.md, decision_time)
EXAMPLE_R = requests(
    {"request_id": "r1", "client_key": "A", "law": "WMO", "kind": "melding", "team": "Consulent",
     "received_on": "2024-01-08", "decided_on": "2024-02-12"},
    {"request_id": "r2", "client_key": "B", "law": "WMO", "kind": "melding", "team": "Consulent",
     "received_on": "2024-01-15", "decided_on": "2024-03-11", "suspended_days": 10},
    {"request_id": "r3", "client_key": "A", "law": "WMO", "kind": "aanvraag", "team": "Consulent",
     "received_on": "2024-02-01", "decided_on": "2024-02-14", "outcome": "toegekend"},
    {"request_id": "r4", "client_key": "C", "law": "JW", "kind": "aanvraag", "team": "CJG",
     "received_on": "2024-01-10", "decided_on": "2024-03-20", "outcome": "deels", "extended_days": 28},
    {"request_id": "r5", "client_key": "D", "law": "JW", "kind": "aanvraag", "team": "CJG",
     "received_on": "2024-02-05", "decided_on": "2024-04-10", "outcome": "afgewezen"},
    {"request_id": "r6", "client_key": "E", "law": "WMO", "kind": "aanvraag", "team": "Consulent",
     "received_on": "2024-03-25"},
    {"request_id": "r7", "client_key": "F", "law": "PW", "kind": "aanvraag", "team": "Werk en inkomen",
     "received_on": "2024-02-20", "decided_on": "2024-03-05", "outcome": "ingetrokken"},
)  # fmt: skip

DECISION = ("decided", "decision_mean_days", "decision_median_days", "within_term", "within_term_share")
OPEN = ("open", "over_term", "mean_days_open")


def figures(row: dict[str, Any], names: tuple[str, ...]) -> tuple[Any, ...]:
    return tuple(row[n] for n in names)


def decisions(by: tuple[str, ...] = (), table: Any = EXAMPLE_R) -> list[dict[str, Any]]:
    scope = quarters("2024-01-01", "2024-06-30", by)
    return run(access.decision_time(access.with_terms(table, norms()), scope), ["within_term_share"])


def test_decision_time_worked_example_quarter_and_law() -> None:
    rows = decisions()
    assert [(r["slot"], *figures(r, DECISION)) for r in rows] == [
        ("2024-Q1", 4, 43.5, 45.5, 3, 75.0),
        ("2024-Q2", 1, 65.0, 65.0, 0, 0.0),
    ]
    by_law = decisions(("law",))
    assert [(r["slot"], r["law"], *figures(r, DECISION)) for r in by_law] == [
        ("2024-Q1", "JW", 1, 70.0, 70.0, 1, 100.0),
        ("2024-Q1", "WMO", 3, 34.7, 35.0, 2, 66.7),
        ("2024-Q2", "JW", 1, 65.0, 65.0, 0, 0.0),
    ]


def test_suspension_and_extension_move_the_last_day() -> None:
    """r2 is late even with 10 days of suspension; r4 is within only because of its 28 days of extension."""
    by_kind = {(r["slot"], r["law"], r["kind"]): r["within_term"] for r in decisions(("law", "kind"))}
    assert by_kind[("2024-Q1", "WMO", "melding")] == 1  # r1 within, r2 late
    assert by_kind[("2024-Q1", "JW", "aanvraag")] == 1  # r4
    without = requests(
        {"request_id": "r4", "client_key": "C", "law": "JW", "kind": "aanvraag", "received_on": "2024-01-10",
         "decided_on": "2024-03-20"},
    )  # fmt: skip
    assert [r["within_term"] for r in decisions(table=without)] == [0]


def test_decided_on_the_last_day_is_within_the_term() -> None:
    table = requests(
        {"request_id": "x", "client_key": "A", "law": "WMO", "kind": "aanvraag", "received_on": "2024-02-01",
         "decided_on": "2024-02-15"},
        {"request_id": "y", "client_key": "B", "law": "WMO", "kind": "aanvraag", "received_on": "2024-02-01",
         "decided_on": "2024-02-16"},
    )  # fmt: skip
    assert [figures(r, DECISION) for r in decisions(table=table)] == [(2, 14.5, 14.5, 1, 50.0)]


def test_a_withdrawn_request_closes_but_is_no_decision() -> None:
    by_outcome = {r["outcome"] for r in decisions(("outcome",))}
    assert "ingetrokken" not in by_outcome
    assert by_outcome == {"onbekend", "toegekend", "deels", "afgewezen"}  # meldingen have no outcome


def test_a_jeugd_melding_without_a_term_is_not_in_decision_time() -> None:
    table = requests(
        {"request_id": "j", "client_key": "K", "law": "JW", "kind": "melding", "received_on": "2024-01-10",
         "decided_on": "2024-02-07"},
    )  # fmt: skip
    assert decisions(table=table) == []
    loaded = norms(loaded=[("JW", None, None, "melding", 28)])
    scope = quarters("2024-01-01", "2024-03-31")
    rows = run(access.decision_time(access.with_terms(table, loaded), scope), ["within_term_share"])
    assert [figures(r, DECISION) for r in rows] == [(1, 28.0, 28.0, 1, 100.0)]


def open_on(*days: str, table: Any = EXAMPLE_R) -> list[dict[str, Any]]:
    return run(access.open_requests(access.with_terms(table, norms()), on(*days)))


def test_open_requests_worked_example_on_two_dates() -> None:
    rows = open_on("2024-03-01", "2024-03-10")
    assert [(r["slot"], *figures(r, OPEN)) for r in rows] == [
        ("2024-03-01", 4, 0, 33.0),
        ("2024-03-10", 3, 1, 49.7),
    ]


def test_a_request_decided_on_d_is_not_open_on_d() -> None:
    assert [r["open"] for r in open_on("2024-02-12", "2024-02-11")] == [5, 4]  # r1 decided 02-12


# Worked example W (docs/metrics.md, waiting): all ZIN unless said; providers P1-P4 have deliveries.
P1, P2, P3, P4 = "10000001", "10000002", "10000003", "10000004"
W_ALLOCATIONS = [
    {"allocation_id": "a1", "client_key": "A", "law": "WMO", "product_category": "01", "provider_code": P1,
     "start_date": "2024-01-08", "decision_date": "2024-01-05"},
    {"allocation_id": "a2", "client_key": "B", "law": "WMO", "product_category": "02", "provider_code": P2,
     "start_date": "2024-01-15", "decision_date": "2024-01-29"},
    {"allocation_id": "a3", "client_key": "C", "law": "JW", "product_category": "54", "provider_code": P3,
     "start_date": "2024-01-02", "end_date": "2024-12-31", "decision_date": "2024-01-02"},
    {"allocation_id": "a4", "client_key": "D", "law": "JW", "product_category": "54", "provider_code": P3,
     "start_date": "2024-02-01", "decision_date": "2024-01-25"},
    {"allocation_id": "a5", "client_key": "E", "law": "WMO", "product_category": "07", "provider_code": P2,
     "start_date": "2024-02-05", "decision_date": "2024-02-01"},
    {"allocation_id": "a6", "client_key": "E", "law": "WMO", "product_category": "01", "provider_code": P1,
     "start_date": "2023-06-01", "decision_date": "2023-05-20"},
    {"allocation_id": "a7", "client_key": "F", "law": "WMO", "product_category": "02", "provider_code": P2,
     "start_date": "2024-01-22", "delivery_form": "PGB"},
    {"allocation_id": "a8", "client_key": "G", "law": "WMO", "product_category": "02", "provider_code": P2,
     "start_date": "2024-03-04", "decision_date": "2024-02-26"},
    {"allocation_id": "a9", "client_key": "H", "law": "JW", "product_category": "45", "provider_code": P4,
     "start_date": "2024-02-26", "decision_date": "2024-02-20"},
    {"allocation_id": "h1", "client_key": "X", "law": "JW", "product_category": "45", "provider_code": P4,
     "start_date": "2022-01-01", "end_date": "2022-12-31", "decision_date": "2022-01-01"},
    {"allocation_id": "h3", "client_key": "Y", "law": "JW", "product_category": "54", "provider_code": P3,
     "start_date": "2022-01-01", "end_date": "2022-12-31", "decision_date": "2022-01-01"},
]  # fmt: skip
W_DELIVERIES = [
    {"allocation_id": "a1", "start_date": "2024-01-11"},
    {"allocation_id": "a2", "start_date": "2024-01-15"},
    {"allocation_id": "a3", "start_date": "2024-04-16"},
    {"allocation_id": "a6", "start_date": "2023-06-05", "end_date": "2024-01-31"},
    {"allocation_id": "a6", "start_date": "2024-03-01"},
    {"allocation_id": "a8", "start_date": "2024-03-06"},
    {"allocation_id": "h1", "start_date": "2022-01-01", "end_date": "2022-12-31"},  # P4 has reported
    {"allocation_id": "h3", "start_date": "2022-01-01", "end_date": "2022-12-31"},  # P3 too, before a3
]
WAITING = ("started", "wait_mean_days", "wait_median_days", "p80_days", "within_norm", "within_norm_share")
LIST = ("waiting", "waited_mean_days", "waited_median_days", "over_norm", "list_within_norm_share", "bridged")


def known_until(moment: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The deliveries as realised on the data moment: a start after it is unknown, an end after it open."""
    kept = [r for r in rows if r["start_date"] <= moment]
    return [{**r, "end_date": None} if (r.get("end_date") or "") > moment else r for r in kept]


def wait_table(allocation_rows: Any = None, delivery_rows: Any = None, max_gap_days: int = 0) -> Any:
    a = allocations(*(W_ALLOCATIONS if allocation_rows is None else allocation_rows))
    d = deliveries(*(W_DELIVERIES if delivery_rows is None else delivery_rows))
    return access.wait_rows(a, d, norms(), max_gap_days), access.care_intervals(a, d)


def waits(by: tuple[str, ...] = (), **kwargs: Any) -> list[dict[str, Any]]:
    rows, _ = wait_table(**kwargs)
    return run(access.waiting_from(rows, quarters("2023-04-01", "2024-06-30", by)), ["within_norm_share"])


def test_waiting_worked_example_quarters() -> None:
    rows = {r["slot"]: figures(r, WAITING) for r in waits()}
    assert rows["2024-Q1"] == (3, 1.7, 2.0, 2.6, 3, 100.0)  # a1 3, a2 0, a8 2
    assert rows["2024-Q2"] == (1, 105.0, 105.0, 105.0, 0, 0.0)  # a3 waited 105 days against 98
    assert rows["2023-Q2"] == (1, 4.0, 4.0, 4.0, 1, 100.0)  # a6: its restart in 2024-03 is no start


def test_care_before_the_decision_is_a_wait_of_zero_days() -> None:
    rows, _ = wait_table()
    by_id = {r["allocation_id"]: r for r in run(rows)}
    assert by_id["a2"]["clock_start"].isoformat() == "2024-01-29"  # decided after the start
    assert by_id["a2"]["wait_days"] == 0


def test_the_clock_starts_at_the_later_of_start_and_decision() -> None:
    rows, _ = wait_table()
    by_id = {r["allocation_id"]: r for r in run(rows)}
    assert by_id["a1"]["clock_start"].isoformat() == "2024-01-08"  # decided before the start
    assert by_id["a1"]["wait_days"] == 3
    assert by_id["a3"]["norm_days"] == 98 and by_id["a9"]["norm_days"] == 42


def test_pgb_and_deleted_allocations_never_wait() -> None:
    rows, _ = wait_table()
    assert "a7" not in {r["allocation_id"] for r in run(rows)}


def test_a_renewal_at_the_same_provider_is_not_a_new_wait() -> None:
    renewal = [
        {**W_ALLOCATIONS[0], "end_date": "2024-12-31"},
        {"allocation_id": "a10", "client_key": "A", "law": "WMO", "product_category": "01", "provider_code": P1,
         "start_date": "2025-01-01", "decision_date": "2024-12-10"},
    ]  # fmt: skip
    delivered = [W_DELIVERIES[0], {"allocation_id": "a10", "start_date": "2025-01-01"}]
    rows, _ = wait_table(renewal, delivered)
    assert {r["allocation_id"] for r in run(rows)} == {"a1"}
    later = [renewal[0], {**renewal[1], "start_date": "2025-01-03"}]  # two days without care: a new wait
    rows, _ = wait_table(later, delivered)
    assert {r["allocation_id"] for r in run(rows)} == {"a1", "a10"}
    rows, _ = wait_table(later, delivered, max_gap_days=2)  # 01-01 and 01-02 without care
    assert {r["allocation_id"] for r in run(rows)} == {"a1"}


def test_a_provider_without_any_delivery_is_left_out() -> None:
    rows, _ = wait_table(delivery_rows=[d for d in W_DELIVERIES if d["allocation_id"] != "h1"])
    assert "a9" not in {r["allocation_id"] for r in run(rows)}


def test_jeugdbescherming_and_jeugdreclassering_are_not_waits() -> None:
    protected = [
        {**W_ALLOCATIONS[3], "product_category": "47"},
        {**W_ALLOCATIONS[2], "product_category": "48"},
    ]
    rows, _ = wait_table(protected, W_DELIVERIES)
    assert run(rows) == []


def listing(*days: str, by: tuple[str, ...] = (), moment: str = "2024-03-01", grace: int = 7) -> Any:
    rows, care = wait_table(delivery_rows=known_until(moment, W_DELIVERIES))
    scope = on(*days, by=by)
    return run(access.waiting_list_from(rows, care, scope, grace), ["list_within_norm_share"])


def test_waiting_list_worked_example_on_two_dates() -> None:
    march, february = listing("2024-03-01"), listing("2024-02-15", moment="2024-02-15")
    assert [figures(r, LIST) for r in march] == [(3, 37.7, 29.0, 0, 100.0, 1)]
    assert [figures(r, LIST) for r in february] == [(3, 22.7, 14.0, 0, 100.0, 0)]
    by_law = listing("2024-03-01", by=("law",))
    assert [(r["law"], *figures(r, LIST)) for r in by_law] == [
        ("JW", 2, 44.0, 44.0, 0, 100.0, 0),
        ("WMO", 1, 25.0, 25.0, 0, 100.0, 1),
    ]


def test_the_spread_bands_are_right_closed() -> None:
    row = listing("2024-03-01")[0]
    spread = [row[name] for name, _ in access.SPREAD]
    assert spread == [1, 1, 1, 0, 0]  # a5 25 days, a4 29 days, a3 59 days
    days = ["2024-02-29", "2024-03-01"]  # a4 (clock 02-01) has waited 28 days (0-4), then 29 (4-8)
    assert [[r[n] for n, _ in access.SPREAD][:3] for r in listing(*days)] == [[2, 0, 1], [1, 1, 1]]


def test_a_clock_start_within_the_grace_days_is_not_yet_waiting() -> None:
    """a9's clock starts on 02-26, 4 days before 03-01 (2024 is a leap year): within 7 or 5 grace days it
    is not yet waiting, with 4 it is (its clock start is on or before D minus the grace days)."""
    assert listing("2024-03-01")[0]["waiting"] == 3
    assert listing("2024-03-01", grace=5)[0]["waiting"] == 3
    assert listing("2024-03-01", grace=4)[0]["waiting"] == 4


def test_an_allocation_that_ended_without_starting_leaves_the_list() -> None:
    ended = [{**a, "end_date": "2024-02-20"} if a["allocation_id"] == "a4" else a for a in W_ALLOCATIONS]
    rows, care = wait_table(ended, known_until("2024-03-01", W_DELIVERIES))
    result = run(access.waiting_list_from(rows, care, on("2024-02-20", "2024-03-01"), 7))
    assert [r["waiting"] for r in result] == [3, 2]


def test_a_paused_allocation_does_not_bridge_and_a_pgb_allocation_does() -> None:
    assert listing("2024-02-15", moment="2024-02-15")[0]["bridged"] == 0  # a6 paused 01-31..03-01
    with_pgb = [*W_ALLOCATIONS, {"allocation_id": "b1", "client_key": "D", "law": "JW", "product_category": "45",
                                 "provider_code": P4, "start_date": "2024-02-01", "delivery_form": "PGB"}]  # fmt: skip
    rows, care = wait_table(with_pgb, known_until("2024-03-01", W_DELIVERIES))
    result = run(access.waiting_list_from(rows, care, on("2024-03-01"), 7))
    assert result[0]["bridged"] == 2  # a5 by a6's restart, a4 by D's PGB


def test_a_delivery_after_the_data_moment_is_unknown() -> None:
    """On 2024-03-01 a3's start on 04-16 is not known yet: it waits, 59 days."""
    rows, _ = wait_table(delivery_rows=known_until("2024-03-01", W_DELIVERIES))
    by_id = {r["allocation_id"]: r for r in run(rows)}
    assert by_id["a3"]["first_start"] is None


def test_the_most_specific_norm_wins() -> None:
    rows = [
        ("JW", None, None, "waiting", 42),
        ("JW", "54", None, "waiting", 98),
        ("JW", None, "87654321", "waiting", 56),
        ("JW", "54", "87654321", "waiting", 70),
    ]
    keys = ibis.memtable(
        pa.table(
            {
                "law": ["JW"] * 4,
                "applies_to": ["waiting"] * 4,
                "product_category": ["54", "45", "54", "45"],
                "provider_code": ["87654321", "87654321", "11111111", "11111111"],
            }
        )
    )
    resolved = run(access.resolve_norms(keys, norms(rows)))
    found = {(r["norm_category"], r["norm_provider"]): r["norm_days"] for r in resolved}
    assert found == {
        ("54", "87654321"): 70,
        ("45", "87654321"): 56,
        ("54", "11111111"): 98,
        ("45", "11111111"): 42,
    }
    loaded = run(access.resolve_norms(keys, norms(rows, loaded=[("JW", None, None, "waiting", 56)])))
    assert {(r["norm_category"], r["norm_provider"]): r["norm_days"] for r in loaded}[
        ("45", "11111111")
    ] == 56


def test_a_percent_share_is_a_percentage_with_one_decimal_and_a_complement_counts_the_rest() -> None:
    measures = (
        "waiting",
        "over_norm",
        "list_within_norm_share",
        "within_norm",
        "started",
        "within_norm_share",
    )
    metric = Metric("shares", "", "", "", measures, lambda t, s: t, by=())
    counts = ibis.memtable(
        pa.table({"waiting": [3, 0], "over_norm": [1, 0], "within_norm": [2, 1], "started": [3, 0]})
    )
    rows = ibis.duckdb.connect().to_pyarrow(with_derived(counts, metric)).to_pylist()
    assert [(r["list_within_norm_share"], r["within_norm_share"]) for r in rows] == [
        (66.7, 66.7),
        (None, None),
    ]
    assert "within_norm_share" in PERCENT_POINTS and "within_norm_share" not in FRACTIONS
    assert "outflow_rate" in FRACTIONS and "outflow_rate" not in PERCENT_POINTS
    # XLSX: the fraction with a percent format, also under the contract's name of list_within_norm_share
    assert as_fraction("within_norm_share", 98.0) == 0.98 and as_fraction("within_term_share", 75.0) == 0.75
    assert as_fraction("outflow_rate", 0.3333) == 0.3333


def test_a_published_percent_share_is_recomputed_from_the_rounded_counts() -> None:
    row = {"waiting": 12, "over_norm": 3, "list_within_norm_share": 75.0, "started": 7, "within_norm": 6,
           "within_norm_share": 85.7}  # fmt: skip
    published = rounded(row, Policy(round_to_5=True))
    assert published == {"waiting": 10, "over_norm": 5, "list_within_norm_share": 50.0, "started": 5,
                         "within_norm": 5, "within_norm_share": 100.0}  # fmt: skip


def test_mean_days_of_waiting_is_not_hidden_with_episodes() -> None:
    """The contract's mean_days of the access metrics is its own measure, hidden with its own count."""
    names = {"decision_mean_days": "decided", "wait_mean_days": "started", "waited_mean_days": "waiting"}
    for name, count in names.items():
        measure: Measure = MEASURES[name]
        assert measure.output_name == "mean_days" and measure.from_counts == (count,)
        assert measure.kind is Kind.DURATION
    assert MEASURES["mean_days"].from_counts == ("episodes",)
    assert "decision_time" not in CATALOGUE or CATALOGUE["decision_time"].measures[1] == "decision_mean_days"
