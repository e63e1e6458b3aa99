"""Privacy of amounts (docs/metrics.md, "costs"): an amount, cost per client, client-months and their
corrected twins are hidden with the count of clients with costs; secondary suppression covers them; rounded
counts do not reveal clients through the cost per client."""

from __future__ import annotations

from datetime import date
from typing import Any

from sdmonitor.metrics import MetricRequest, run_metric
from sdmonitor.metrics.run import MetricResult
from sdmonitor.reports.build import table_model
from sdmonitor.reports.model import TableModel
from sdmonitor.reports.protect import rounded
from sdmonitor.reports.suppression import Policy
from sdmonitor.warehouse import Warehouse
from tests.metrics.declaration_rows import insert_lines, line, record_load

Q1 = {"grain": "quarter", "start": date(2024, 1, 1), "end": date(2024, 3, 31)}


def clients_with_costs(warehouse: Warehouse, counts: dict[str, int], *, months: int = 1) -> None:
    """``counts[law]`` clients under each law, each with 100.00 in each of the first ``months`` months."""
    rows, key = [], 0
    for law, count in counts.items():
        for _ in range(count):
            key += 1
            for month in range(1, months + 1):
                end = date(2024, month + 1, 1).toordinal() - 1
                rows.append(
                    line(
                        f"{law}{key}-{month}",
                        key,
                        f"2024-{month:02d}-01",
                        date.fromordinal(end).isoformat(),
                        100.00,
                        law=law,
                        category="45" if law == "JW" else "02",
                    )
                )
    insert_lines(warehouse, rows)
    record_load(warehouse, date(2024, 4, 30))


def costs(warehouse: Warehouse, **request: Any) -> MetricResult:
    return run_metric(warehouse, MetricRequest("costs", **{**Q1, **request}))


def shown(table: TableModel, row: int) -> dict[str, str]:
    return {c: cell.text for c, cell in zip(table.columns, table.rows[row], strict=True)}


def test_an_amount_with_few_clients_is_hidden_with_its_count(warehouse: Warehouse) -> None:
    clients_with_costs(warehouse, {"JW": 3, "WMO": 8}, months=3)
    result = costs(warehouse, by=("law",))
    table = table_model(result, Policy(), with_total=False)
    jw, wmo = shown(table, 0), shown(table, 1)
    # 3 clients with 9 client-months: the 9 would not be small on its own, but it follows the 3
    assert [jw[c] for c in ("paid_clients", "amount", "cost_per_client", "client_months")] == [
        "< 5",
        "x",
        "x",
        "x",
    ]
    assert jw["cost_per_client_month"] == "x"
    assert wmo["paid_clients"] == "8" and wmo["client_months"] == "24" and wmo["amount"] != "x"


def test_secondary_suppression_covers_amounts(warehouse: Warehouse) -> None:
    clients_with_costs(warehouse, {"JW": 3, "WMO": 8})
    table = table_model(costs(warehouse, by=("law",)), Policy(), with_total=True)
    jw, wmo = shown(table, 0), shown(table, 1)
    assert jw["amount"] == "x" and jw["paid_clients"] == "< 5"
    # with the total shown, WMO's 8 would give JW's 3: hidden too, and with it WMO's amount
    assert wmo["paid_clients"] == "x" and wmo["amount"] == "x" and wmo["client_months"] == "x"


def test_rounded_counts_do_not_reveal_clients_through_cost_per_client(warehouse: Warehouse) -> None:
    clients_with_costs(warehouse, {"WMO": 7})
    result = costs(warehouse, options={"prices": 2025})
    row = result.records()[0]
    assert (row["paid_clients"], row["amount"], row["cost_per_client"]) == (7, 700.00, 100.00)
    published = rounded(row, Policy(round_to_5=True))
    assert published["paid_clients"] == 5
    assert published["cost_per_client"] == 700.00 / 5  # not 100.00, which gives 700 / 100 = 7 clients
    corrected = row["amount_prices_2025"]
    assert published["cost_per_client_prices_2025"] == corrected / 5
    assert published["cost_per_client_month_prices_2025"] == corrected / 5


def test_a_corrected_amount_is_hidden_as_its_nominal_twin(warehouse: Warehouse) -> None:
    clients_with_costs(warehouse, {"JW": 2, "WMO": 9})
    table = table_model(costs(warehouse, by=("law",), options={"prices": 2025}), Policy(), with_total=False)
    jw, wmo = shown(table, 0), shown(table, 1)
    assert jw["amount_prices_2025"] == "x" and jw["cost_per_client_prices_2025"] == "x"
    assert wmo["amount_prices_2025"] != "x"
