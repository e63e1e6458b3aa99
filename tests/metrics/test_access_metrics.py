"""The access metrics end to end: loaded requests, allocations and deliveries (``sdm load``), the shipped norms,
``run_metric`` and the CSV contract of issue 13; worked examples R and W of docs/metrics.md."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from sdmonitor.metrics import MetricRequest, run_metric
from sdmonitor.metrics.run import LatePeriodError
from sdmonitor.reports.tables import to_csv
from sdmonitor.warehouse import Warehouse
from tests.access_builders import (
    load_allocations_rows,
    load_deliveries_rows,
    load_norms_rows,
    load_requests_rows,
    request,
)
from tests.builders import allocation

CONTRACT = {
    "decision_time": "decided,mean_days,median_days,within_term,within_term_share",
    "open_requests": "open,over_term,mean_days_open",
    "waiting": "started,mean_days,median_days,p80_days,within_norm,within_norm_share",
    "waiting_list": "waiting,mean_days,median_days,over_norm,within_norm_share,bridged",
}
Q1_Q2 = {"grain": "quarter", "start": date(2024, 1, 1), "end": date(2024, 6, 30)}


def r(request_id: str, client: str, law: str, kind: str, team: str, received: str, decided: str | None,
      outcome: str | None = None, suspended: str | None = None, extended: str | None = None) -> dict[str, Any]:  # fmt: skip
    return request(
        request_id=request_id, client_id=client, law=law, kind=kind, team=team, received_on=received,
        decided_on=decided, outcome=outcome, suspended_days=suspended, extended_days=extended,
        product_category=None,
    )  # fmt: skip


EXAMPLE_R = [
    r("r1", "A", "WMO", "melding", "Consulent", "2024-01-08", "2024-02-12"),
    r("r2", "B", "WMO", "melding", "Consulent", "2024-01-15", "2024-03-11", suspended="10"),
    r("r3", "A", "WMO", "aanvraag", "Consulent", "2024-02-01", "2024-02-14", "toegekend"),
    r("r4", "C", "JW", "aanvraag", "CJG", "2024-01-10", "2024-03-20", "deels", extended="28"),
    r("r5", "D", "JW", "aanvraag", "CJG", "2024-02-05", "2024-04-10", "afgewezen"),
    r("r6", "E", "WMO", "aanvraag", "Consulent", "2024-03-25", None),
    r("r7", "F", "PW", "aanvraag", "Werk en inkomen", "2024-02-20", "2024-03-05", "ingetrokken"),
]


@pytest.fixture
def example_r(warehouse: Warehouse, tmp_path: Path) -> Warehouse:
    load_requests_rows(warehouse, tmp_path, EXAMPLE_R, extracted_on=date(2024, 6, 30))
    return warehouse


def contract_header(warehouse: Warehouse, request: MetricRequest) -> tuple[str, list[dict[str, Any]]]:
    result = run_metric(warehouse, request)
    columns, rows = result.labelled()
    return to_csv(columns, rows).splitlines()[0], result.records()


def test_decision_time_end_to_end_with_the_contract_header(example_r: Warehouse) -> None:
    header, rows = contract_header(example_r, MetricRequest("decision_time", by=("law",), **Q1_Q2))
    assert header == f"period,law,{CONTRACT['decision_time']},status"
    assert [(r["period"], r["law"], r["decided"], r["decision_mean_days"], r["decision_median_days"],
             r["within_term"], r["within_term_share"]) for r in rows] == [
        ("2024-Q1", "JW", 1, 70.0, 70.0, 1, 100.0),
        ("2024-Q1", "WMO", 3, 34.7, 35.0, 2, 66.7),
        ("2024-Q2", "JW", 1, 65.0, 65.0, 0, 0.0),
    ]  # fmt: skip


def test_open_requests_end_to_end_on_two_dates(example_r: Warehouse) -> None:
    on = (date(2024, 3, 1), date(2024, 3, 10))
    header, rows = contract_header(example_r, MetricRequest("open_requests", on=on))
    assert header == f"date,{CONTRACT['open_requests']},status"
    assert [(r["date"], r["open"], r["over_term"], r["mean_days_open"]) for r in rows] == [
        ("2024-03-01", 4, 0, 33.0),
        ("2024-03-10", 3, 1, 49.7),
    ]


def test_a_decision_after_the_data_moment_is_open(warehouse: Warehouse, tmp_path: Path) -> None:
    load_requests_rows(warehouse, tmp_path, EXAMPLE_R, extracted_on=date(2024, 3, 15))
    rows = run_metric(warehouse, MetricRequest("open_requests", on=(date(2024, 3, 15),))).records()
    # open: r4 (its decision on 03-20 is after the moment) and r5; r6 (received 03-25) is not known yet
    assert [(r["open"], r["over_term"]) for r in rows] == [(2, 0)]
    with pytest.raises(LatePeriodError):
        run_metric(warehouse, MetricRequest("open_requests", on=(date(2024, 3, 16),)))


P1, P2, P3, P4 = "10000001", "10000002", "10000003", "10000004"


def alloc(allocation_id: str, client: str, law: str, category: str, provider: str, start: str,
          decision: str | None, end: str | None = None, form: str = "ZIN") -> dict[str, Any]:  # fmt: skip
    return allocation(
        allocation_id, client=client, law=law, category=category, start=start, end=end, provider_code=provider,
        decision_date=decision, delivery_form=form,
    )  # fmt: skip


EXAMPLE_W = [
    alloc("a1", "A", "WMO", "01", P1, "2024-01-08", "2024-01-05"),
    alloc("a2", "B", "WMO", "02", P2, "2024-01-15", "2024-01-29"),
    alloc("a3", "C", "JW", "54", P3, "2024-01-02", "2024-01-02", end="2024-12-31"),
    alloc("a4", "D", "JW", "54", P3, "2024-02-01", "2024-01-25"),
    alloc("a5", "E", "WMO", "07", P2, "2024-02-05", "2024-02-01"),
    alloc("a6", "E", "WMO", "01", P1, "2023-06-01", "2023-05-20"),
    alloc("a7", "F", "WMO", "02", P2, "2024-01-22", None, form="PGB"),
    alloc("a8", "G", "WMO", "02", P2, "2024-03-04", "2024-02-26"),
    alloc("a9", "H", "JW", "45", P4, "2024-02-26", "2024-02-20"),
    alloc("h1", "X", "JW", "45", P4, "2022-01-01", "2022-01-01", end="2022-12-31"),
    alloc("h3", "Y", "JW", "54", P3, "2022-01-01", "2022-01-01", end="2022-12-31"),
]
W_DELIVERIES = [
    {"allocation_id": "a1", "start_date": "2024-01-11"},
    {"allocation_id": "a2", "start_date": "2024-01-15"},
    {"allocation_id": "a3", "start_date": "2024-04-16"},
    {"allocation_id": "a6", "start_date": "2023-06-05", "end_date": "2024-01-31", "end_reason": "20"},
    {"allocation_id": "a6", "start_date": "2024-03-01"},
    {"allocation_id": "a8", "start_date": "2024-03-06"},
    {"allocation_id": "h1", "start_date": "2022-01-01", "end_date": "2022-12-31"},
    {"allocation_id": "h3", "start_date": "2022-01-01", "end_date": "2022-12-31"},
]


def load_w(warehouse: Warehouse, tmp_path: Path, extracted_on: date) -> Warehouse:
    known = [d for d in W_DELIVERIES if d["start_date"] <= extracted_on.isoformat()]
    rows = [{"end_date": None, "end_reason": None, "reported_on": None, **d} for d in known]
    load_allocations_rows(warehouse, tmp_path, EXAMPLE_W, extracted_on=extracted_on)
    load_deliveries_rows(warehouse, tmp_path, rows, extracted_on=extracted_on)
    return warehouse


def test_waiting_end_to_end_with_the_shipped_norms(warehouse: Warehouse, tmp_path: Path) -> None:
    load_w(warehouse, tmp_path, date(2024, 6, 30))
    header, rows = contract_header(warehouse, MetricRequest("waiting", **Q1_Q2))
    assert header == f"period,{CONTRACT['waiting']},status"
    assert [tuple(r.values()) for r in rows] == [
        ("2024-Q1", 3, 1.7, 2.0, 2.6, 3, 100.0),
        ("2024-Q2", 1, 105.0, 105.0, 105.0, 0, 0.0),
    ]


def test_waiting_list_end_to_end_and_a_date_after_the_data_moment_is_refused(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load_w(warehouse, tmp_path, date(2024, 3, 1))
    request = MetricRequest("waiting_list", on=(date(2024, 3, 1),), by=("law",))
    header, rows = contract_header(warehouse, request)
    assert header.startswith(f"date,law,{CONTRACT['waiting_list']},")
    assert header.endswith(",weeks_0_4,weeks_4_8,weeks_8_13,weeks_13_26,weeks_over_26,status")
    figures = ("waiting", "waited_mean_days", "waited_median_days", "over_norm", "list_within_norm_share",
               "bridged")  # fmt: skip
    assert [(r["law"], *(r[f] for f in figures)) for r in rows] == [
        ("JW", 2, 44.0, 44.0, 0, 100.0, 0),
        ("WMO", 1, 25.0, 25.0, 0, 100.0, 1),
    ]
    with pytest.raises(LatePeriodError):
        run_metric(warehouse, MetricRequest("waiting_list", on=(date(2024, 3, 2),)))


def test_allocations_of_a_source_without_deliveries_do_not_wait(warehouse: Warehouse, tmp_path: Path) -> None:
    load_w(warehouse, tmp_path, date(2024, 3, 1))
    # the same providers in another export that sends no start messages: its allocations never start
    other = [{**row, "allocation_id": f"X{row['allocation_id']}"} for row in EXAMPLE_W]
    load_allocations_rows(warehouse, tmp_path, other, extracted_on=date(2024, 3, 1), source="ander")
    request = MetricRequest("waiting_list", on=(date(2024, 3, 1),), by=("law",))
    _, rows = contract_header(warehouse, request)
    assert [(r["law"], r["waiting"]) for r in rows] == [("JW", 2), ("WMO", 1)]


def test_a_loaded_provider_norm_judges_its_waits(warehouse: Warehouse, tmp_path: Path) -> None:
    load_w(warehouse, tmp_path, date(2024, 6, 30))
    load_norms_rows(
        warehouse, tmp_path, [{"law": "JW", "provider_code": P3, "applies_to": "waiting", "days": 120}]
    )
    rows = run_metric(warehouse, MetricRequest("waiting", by=("provider",), **Q1_Q2)).records()
    assert [(r["period"], r["provider"], r["within_norm"]) for r in rows if r["provider"] == P3] == [
        ("2024-Q2", P3, 1)
    ]  # a3 waited 105 days: within the provider's 120, not the GGZ 98


def test_an_analyst_sees_pseudonyms_and_their_count_equals_waiting(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    from sdmonitor.metrics.access import who_waits

    load_w(warehouse, tmp_path, date(2024, 3, 1))
    everyone = who_waits(warehouse, date(2024, 3, 1))
    assert [(r[2], r[3], r[7], r[8], r[10]) for r in everyone.rows] == [
        ("JW", "54", 59, 98, False),  # a3
        ("JW", "54", 29, 98, False),  # a4
        ("WMO", "07", 25, 42, True),  # a5, bridged by a6's restart
    ]
    assert all(isinstance(r[0], int) for r in everyone.rows)  # the identity key, never a BSN
    jeugd = who_waits(warehouse, date(2024, 3, 1), (("law", "JW"),))
    figure = run_metric(
        warehouse, MetricRequest("waiting_list", on=(date(2024, 3, 1),), by=("law",))
    ).records()
    assert len(jeugd.rows) == next(r["waiting"] for r in figure if r["law"] == "JW") == 2


def test_the_command_line_writes_the_contract_in_csv_and_the_fraction_in_xlsx(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from tests.access_builders import REQUEST_HEADERS
    from tests.builders import write_csv
    from tests.cli.test_cli import sdm

    path = write_csv(tmp_path / "aanvragen.csv", EXAMPLE_R, headers=REQUEST_HEADERS)
    loaded = sdm("load", "requests", str(path), "--extracted-on", "2024-06-30", cwd=tmp_path)
    assert loaded.returncode == 0, loaded.stderr
    period = ("--from", "2024-01-01", "--to", "2024-03-31", "--grain", "quarter")
    csv = sdm("metric", "decision_time", *period, "--format", "csv", cwd=tmp_path)
    assert csv.returncode == 0, csv.stderr
    assert csv.stdout.splitlines() == [
        "period,decided,mean_days,median_days,within_term,within_term_share,status",
        "2024-Q1,4,43.5,45.5,3,75.0,",
    ]
    xlsx = sdm("metric", "decision_time", *period, "--format", "xlsx", "--output", "b.xlsx", cwd=tmp_path)
    assert xlsx.returncode == 0, xlsx.stderr
    sheet = load_workbook(tmp_path / "b.xlsx").worksheets[0]
    cells = {str(sheet.cell(1, c).value): sheet.cell(2, c) for c in range(1, sheet.max_column + 1)}
    share = cells["Binnen de termijn %"]
    assert share.value == 0.75 and "%" in share.number_format


@pytest.mark.parametrize("name", ["waiting", "waiting_list"])
def test_every_by_column_of_the_waiting_metrics_runs(warehouse: Warehouse, tmp_path: Path, name: str) -> None:
    load_w(warehouse, tmp_path, date(2024, 6, 30))
    dates: dict[str, Any] = {"on": (date(2024, 3, 1),)} if name == "waiting_list" else Q1_Q2
    for column in (
        "law",
        "product_category",
        "cbs_group",
        "provider",
        "provider_type",
        "wijk",
        "target_group",
    ):
        rows = run_metric(warehouse, MetricRequest(name, by=(column,), **dates)).records()
        counted = "waiting" if name == "waiting_list" else "started"
        total = sum(r[counted] for r in rows if r.get("period", "2024-Q1") == "2024-Q1")
        assert total == 3, column  # a3, a4, a5 wait on 03-01; a1, a2, a8 started in Q1


def test_a_provider_without_any_delivery_is_left_out_and_named(warehouse: Warehouse, tmp_path: Path) -> None:
    from sdmonitor.metrics.access import silent_providers

    extra = alloc("z1", "Z", "WMO", "02", "10000009", "2024-01-10", "2024-01-05")
    rows = [{"end_date": None, "end_reason": None, "reported_on": None, **d} for d in W_DELIVERIES]
    load_allocations_rows(warehouse, tmp_path, [*EXAMPLE_W, extra], extracted_on=date(2024, 6, 30))
    load_deliveries_rows(warehouse, tmp_path, rows, extracted_on=date(2024, 6, 30))
    assert silent_providers(warehouse) == [("10000009", "WMO")]
    listed = run_metric(warehouse, MetricRequest("waiting_list", on=(date(2024, 3, 1),), by=("provider",)))
    assert "10000009" not in {r["provider"] for r in listed.records()}
