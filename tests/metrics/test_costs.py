"""The costs metric: the worked examples C and D of docs/metrics.md ("costs"), every figure written out,
prices, the data moment, groups from the client's allocations, and the CSV contract."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from sdmonitor.errors import InputError
from sdmonitor.loading import LoadOptions, load_allocations
from sdmonitor.metrics import MetricRequest, run_metric
from sdmonitor.metrics.run import LatePeriodError
from sdmonitor.warehouse import Warehouse
from tests.builders import allocation, write_csv
from tests.metrics.declaration_rows import insert_index, insert_lines, line, record_load

Q1 = {"start": date(2024, 1, 1), "end": date(2024, 3, 31)}
P1, P2 = "11111111", "22222222"

EXAMPLE_C = [
    line("r1", 1, "2024-01-01", "2024-01-31", 400.00, provider=P1),
    line("r2", 1, "2024-02-01", "2024-02-29", 400.00, provider=P1),
    line("r2", 1, "2024-02-01", "2024-02-29", 400.00, provider=P1, debit_credit="C"),
    line("r3", 1, "2024-02-01", "2024-02-29", 360.00, provider=P1),
    line("f1", 2, "2024-01-17", "2024-02-15", 310.00, provider=P2, law="JW", category="45"),
    line("r4", 3, "2024-01-01", "2024-01-31", 200.00, provider=P1, category="01", status="afgewezen"),
    line("r5", 3, "2024-02-01", "2024-02-29", 150.00, provider=P1, category="01", status="ingediend"),
]


@pytest.fixture
def example_c(warehouse: Warehouse) -> Warehouse:
    insert_lines(warehouse, EXAMPLE_C)
    record_load(warehouse, date(2024, 3, 10))  # the data moment
    return warehouse


def labelled(warehouse: Warehouse, **request: Any) -> tuple[tuple[str, ...], list[tuple[Any, ...]]]:
    return run_metric(warehouse, MetricRequest("costs", **request)).labelled()


def test_costs_worked_example_months(example_c: Warehouse) -> None:
    columns, rows = labelled(example_c, grain="month", **Q1)
    assert columns == (
        "period", "amount", "clients", "cost_per_client", "client_months", "cost_per_client_month", "status",
    )  # fmt: skip
    # A 400 + B 155 (15 of 30 days); A 400 - 400 + 360 and B 155; C: rejected and pending lines are no cost
    assert rows == [
        ("2024-01", 555.00, 2, 277.50, 2, 277.50, ""),
        # f1 (17 January - 15 February, counted in its start month) came a month late: by the run-off
        # triangle a month is 400 / 710 = 56 % complete at lag 0, so February still misses declarations
        ("2024-02", 515.00, 2, 257.50, 2, 257.50, "onvolledig"),
    ]


def test_costs_worked_example_quarter_and_law(example_c: Warehouse) -> None:
    assert labelled(example_c, grain="quarter", **Q1)[1] == [
        ("2024-Q1", 1070.00, 2, 535.00, 4, 267.50, "t/m 10-03-2024")
    ]
    columns, rows = labelled(example_c, grain="quarter", by=("law",), **Q1)
    assert columns[:3] == ("period", "law", "amount")
    assert rows == [
        ("2024-Q1", "JW", 310.00, 1, 310.00, 2, 155.00, "t/m 10-03-2024"),
        ("2024-Q1", "WMO", 760.00, 1, 760.00, 2, 380.00, "t/m 10-03-2024"),
    ]


def test_costs_by_provider_and_category_come_from_the_line(example_c: Warehouse) -> None:
    rows = labelled(example_c, grain="quarter", by=("provider", "product_category", "cbs_group"), **Q1)[1]
    assert [row[:5] for row in rows] == [
        ("2024-Q1", P1, "02", "ondersteuning thuis", 760.00),
        ("2024-Q1", P2, "45", "onbekend", 310.00),
    ]


def test_a_client_with_net_zero_is_no_client_but_a_negative_month_keeps_its_amount(
    warehouse: Warehouse,
) -> None:
    insert_lines(
        warehouse,
        [
            line("e1", 5, "2024-03-01", "2024-03-31", 100.00),  # E: debit and credit in March
            line("e1", 5, "2024-03-01", "2024-03-31", 100.00, debit_credit="C"),
            line("f2", 6, "2024-01-01", "2024-01-31", 50.00),  # F: a ledger's credit under its own number
            line("f3", 6, "2024-02-01", "2024-02-29", 50.00, debit_credit="C"),
        ],
    )
    record_load(warehouse, date(2024, 4, 30))
    assert labelled(warehouse, grain="month", **Q1)[1] == [
        ("2024-01", 50.00, 1, 50.00, 1, 50.00, ""),
        ("2024-02", -50.00, 0, None, 0, None, ""),  # cost per client empty: no client with costs
    ]  # March: amount 0 and no clients, left out
    assert labelled(warehouse, grain="quarter", **Q1)[1] == []


def test_the_total_counts_a_client_in_two_groups_once(warehouse: Warehouse) -> None:
    insert_lines(
        warehouse,
        [
            line("w1", 1, "2024-01-01", "2024-01-31", 100.00),
            line("j1", 1, "2024-01-01", "2024-01-31", 300.00, law="JW", category="45"),
            line("w2", 2, "2024-01-01", "2024-01-31", 200.00),
        ],
    )
    record_load(warehouse, date(2024, 4, 30))
    assert labelled(warehouse, grain="quarter", by=("law",), **Q1)[1] == [
        ("2024-Q1", "JW", 300.00, 1, 300.00, 1, 300.00, ""),
        ("2024-Q1", "WMO", 300.00, 2, 150.00, 2, 150.00, ""),
    ]
    assert labelled(warehouse, grain="quarter", **Q1)[1] == [("2024-Q1", 600.00, 2, 300.00, 2, 300.00, "")]


def test_the_part_of_a_line_after_the_data_moment_is_planned(warehouse: Warehouse) -> None:
    insert_lines(warehouse, [line("m1", 1, "2024-03-01", "2024-03-31", 310.00)])
    record_load(warehouse, date(2024, 3, 10))
    realised = labelled(warehouse, grain="month", **Q1)[1]
    assert realised == [("2024-03", 100.00, 1, 100.00, 1, 100.00, "t/m 10-03-2024")]  # 10 of 31 days
    planned = labelled(warehouse, grain="month", planned=True, **Q1)[1]
    assert planned[-1] == ("2024-03", 310.00, 1, 310.00, 1, 310.00, "gepland")


def test_a_period_after_the_data_moment_of_the_declarations_is_refused(example_c: Warehouse) -> None:
    with pytest.raises(LatePeriodError, match="2024-Q2 ligt na het datamoment 10-03-2024"):
        labelled(example_c, grain="quarter", start=date(2024, 1, 1), end=date(2024, 6, 30))


def test_as_of_sees_the_declarations_known_then(warehouse: Warehouse) -> None:
    insert_lines(
        warehouse,
        [
            line(
                "r5",
                1,
                "2024-02-01",
                "2024-02-29",
                150.00,
                status="ingediend",
                superseded_at=datetime(2024, 3, 5),
            ),
            line("r5", 1, "2024-02-01", "2024-02-29", 150.00, known_from=datetime(2024, 3, 5)),
        ],
    )
    record_load(warehouse, date(2024, 3, 10))
    assert labelled(warehouse, grain="month", as_of=date(2024, 3, 4), **Q1)[1] == []
    assert labelled(warehouse, grain="month", as_of=date(2024, 3, 5), **Q1)[1] == [
        ("2024-02", 150.00, 1, 150.00, 1, 150.00, "")
    ]


VNG = [
    ("vng-ova-ppc", 2023, "voorlopig", 4.75),
    ("vng-ova-ppc", 2023, "definitief", 6.43),
    ("vng-ova-ppc", 2024, "voorlopig", 4.70),
    ("vng-ova-ppc", 2024, "definitief", 5.71),
    ("vng-ova-ppc", 2025, "voorlopig", 3.944),
]


def test_prices_multiply_forward_and_divide_backward(warehouse: Warehouse) -> None:
    insert_index(warehouse, VNG)
    insert_lines(
        warehouse,
        [
            line("a", 1, "2023-05-01", "2023-05-31", 1000.00),
            line("b", 2, "2025-05-01", "2025-05-31", 1000.00),
        ],
    )
    record_load(warehouse, date(2026, 1, 6))
    years = {"grain": "year", "start": date(2023, 1, 1), "end": date(2025, 12, 31)}
    later = run_metric(warehouse, MetricRequest("costs", options={"prices": 2025}, **years))
    assert later.columns[-3:] == (
        "amount_prices_2025", "cost_per_client_prices_2025", "cost_per_client_month_prices_2025",
    )  # fmt: skip
    assert [(r["period"], r["amount"], r["amount_prices_2025"]) for r in later.records()] == [
        ("2023", 1000.00, 1098.79),  # 1000 x 1.0571 x 1.03944
        ("2025", 1000.00, 1000.00),
    ]
    assert later.prices is not None
    assert (
        later.prices.describe()
        == "prijzen 2025, reeks vng-ova-ppc: 2024 definitief 5,71 %, 2025 voorlopig 3,944 %"
    )
    earlier = run_metric(warehouse, MetricRequest("costs", options={"prices": 2023}, **years)).records()
    assert [(r["period"], r["amount_prices_2023"], r["cost_per_client_prices_2023"]) for r in earlier] == [
        ("2023", 1000.00, 1000.00),
        ("2025", 910.09, 910.09),  # 1000 / 1.09879202
    ]


def test_prices_refuse_a_year_without_an_index_and_say_which(warehouse: Warehouse) -> None:
    insert_index(warehouse, VNG)
    insert_lines(warehouse, [line("a", 1, "2022-05-01", "2022-05-31", 1000.00)])
    record_load(warehouse, date(2026, 1, 6))
    request = MetricRequest("costs", grain="year", start=date(2022, 1, 1), end=date(2022, 12, 31))
    with pytest.raises(InputError, match="Geen indexcijfer voor 2023 in reeks eigen"):
        insert_index(warehouse, [("eigen", 2024, "definitief", 3.0)])
        run_metric(
            warehouse, MetricRequest(**{**request.__dict__, "options": {"prices": 2024, "index": "eigen"}})
        )
    with pytest.raises(InputError, match="Indexreeks 'onbekend' is niet bekend"):
        run_metric(
            warehouse, MetricRequest(**{**request.__dict__, "options": {"prices": 2024, "index": "onbekend"}})
        )


def test_prices_use_definitief_over_voorlopig_as_known_at_as_of(warehouse: Warehouse) -> None:
    insert_index(warehouse, [("eigen", 2024, "voorlopig", 4.0)])
    insert_index(warehouse, [("eigen", 2024, "definitief", 10.0)], known_from=datetime(2024, 6, 1))
    insert_lines(warehouse, [line("a", 1, "2023-05-01", "2023-05-31", 1000.00)])
    record_load(warehouse, date(2024, 1, 1))
    request = {"grain": "year", "start": date(2023, 1, 1), "end": date(2023, 12, 31)}
    options = {"prices": 2024, "index": "eigen"}
    before = run_metric(
        warehouse, MetricRequest("costs", options=options, as_of=date(2024, 5, 31), **request)
    )
    after = run_metric(warehouse, MetricRequest("costs", options=options, **request))
    assert before.records()[0]["amount_prices_2024"] == 1040.00
    assert after.records()[0]["amount_prices_2024"] == 1100.00
    assert after.prices is not None and "2024 definitief 10,0 %" in after.prices.describe()


def load_allocations_of(
    warehouse: Warehouse, tmp_path: Path, rows: list[dict[str, str | None]]
) -> dict[str, int]:
    """Load allocations and return the client key of each client id."""
    load_allocations(warehouse, write_csv(tmp_path / "a.csv", rows), LoadOptions(), now=datetime(2024, 1, 1))
    return {
        client: warehouse.value(
            "SELECT client_key FROM allocation_versions WHERE allocation_id = ?", [allocation_id]
        )
        for client, allocation_id in (("A", "a1"), ("B", "b1"))
    }


def test_costs_by_wijk_and_age_come_from_the_clients_allocations(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    warehouse.execute(
        "INSERT INTO postcode_areas (pc4, wijk_code, wijk_name) VALUES ('1011', 'W1', 'Centrum'), ('1012', 'W2', 'Noord')"
    )
    keys = load_allocations_of(
        warehouse,
        tmp_path,
        [
            allocation("a1", client="A", birth="2006-03-15", start="2023-01-01", postcode="1011AB"),
            allocation("a2", client="A", birth="2006-03-15", start="2023-06-01", postcode="1012AB"),
            allocation("b1", client="B", birth="1950-01-01", start="2023-01-01", postcode="1012AB"),
        ],
    )
    insert_lines(
        warehouse,
        [
            line("x1", keys["A"], "2024-01-01", "2024-01-31", 100.00, allocation_id="a1"),  # linked: Centrum
            line("x2", keys["A"], "2024-02-01", "2024-02-29", 50.00),  # no allocation: the most recent, Noord
            line("x3", keys["B"], "2024-02-01", "2024-02-29", 70.00, allocation_id="zz"),  # unknown: Noord
            line("x4", 99, "2024-02-01", "2024-02-29", 30.00),  # a client without allocations
        ],
    )
    record_load(warehouse, date(2024, 4, 30))
    rows = labelled(warehouse, grain="quarter", by=("wijk", "age_band"), **Q1)[1]
    assert [row[:5] for row in rows] == [
        ("2024-Q1", "Centrum", "18-64", 100.00, 1),  # A is 18 on 31 March 2024
        ("2024-Q1", "Noord", "18-64", 50.00, 1),
        ("2024-Q1", "Noord", "65+", 70.00, 1),
        ("2024-Q1", "onbekend", "onbekend", 30.00, 1),
    ]


def test_worked_example_c_loaded_from_a_declarations_file(warehouse: Warehouse, tmp_path: Path) -> None:
    """The same figures when the lines come through `sdm load declarations` (client key from the client id)."""
    from tests.money_builders import declaration, load_declarations_rows

    def row(
        id_: str, client: str, start: str, end: str, amount: str, **other: str | None
    ) -> dict[str, str | None]:
        return declaration(
            declaration_id=id_, client_id=client, period_start=start, period_end=end, amount=amount,
            allocation_id=None, product_code=None, volume=None, unit=None, submitted_on="2024-03-05", **other,
        )  # fmt: skip

    rows = [
        row("r1", "A", "2024-01-01", "2024-01-31", "400.00", provider_code=P1),
        row("r2", "A", "2024-02-01", "2024-02-29", "400.00", provider_code=P1),
        row("r2", "A", "2024-02-01", "2024-02-29", "400.00", provider_code=P1, debit_credit="C"),
        row("r3", "A", "2024-02-01", "2024-02-29", "360.00", provider_code=P1),
        row(
            "f1", "B", "2024-01-17", "2024-02-15", "310.00", provider_code=P2, law="JW", product_category="45"
        ),
        row(
            "r4",
            "C",
            "2024-01-01",
            "2024-01-31",
            "200.00",
            provider_code=P1,
            product_category="01",
            status="afgewezen",
        ),
        row(
            "r5",
            "C",
            "2024-02-01",
            "2024-02-29",
            "150.00",
            provider_code=P1,
            product_category="01",
            status="ingediend",
        ),
    ]
    load_declarations_rows(warehouse, tmp_path, rows, extracted_on=date(2024, 3, 10))
    assert labelled(warehouse, grain="month", **Q1)[1] == [
        ("2024-01", 555.00, 2, 277.50, 2, 277.50, ""),
        ("2024-02", 515.00, 2, 257.50, 2, 257.50, ""),
    ]
    assert labelled(warehouse, grain="quarter", by=("law",), **Q1)[1] == [
        ("2024-Q1", "JW", 310.00, 1, 310.00, 2, 155.00, "t/m 10-03-2024"),
        ("2024-Q1", "WMO", 760.00, 1, 760.00, 2, 380.00, "t/m 10-03-2024"),
    ]


def test_costs_by_provider_type_and_segment(warehouse: Warehouse, tmp_path: Path) -> None:
    """The provider type from the providers table; a line's segments by its allocation's product (a linked
    line declared under another product code still belongs to its allocation's segment), else by its own."""
    from sdmonitor.metrics.dimensions import Segment

    warehouse.execute("INSERT INTO providers VALUES (?, 'Zorg BV', 'ggz')", [P1])
    keys = load_allocations_of(
        warehouse,
        tmp_path,
        [
            allocation("a1", client="A", start="2023-01-01", product_code="02D01"),
            allocation("b1", client="B", start="2023-01-01", product_code="02A01"),
        ],
    )
    insert_lines(
        warehouse,
        [
            line(
                "x1",
                keys["A"],
                "2024-01-01",
                "2024-01-31",
                100.00,
                allocation_id="a1",
                product_code="02A01",
                provider=P1,
            ),
            line("x2", keys["B"], "2024-01-01", "2024-01-31", 40.00, allocation_id="b1", provider=P2),
            line("x3", 7, "2024-01-01", "2024-01-31", 10.00, product_code="02D01", provider=P2),
        ],
    )
    record_load(warehouse, date(2024, 4, 30))
    dementia = Segment("dementie", product_codes=("02D01",))
    rows = labelled(warehouse, grain="quarter", by=("segment",), segments=(dementia,), **Q1)[1]
    assert [row[:4] for row in rows] == [("2024-Q1", "dementie", 110.00, 2)]  # x1 by a1, x3 by itself
    rows = labelled(warehouse, grain="quarter", by=("provider_type",), **Q1)[1]
    assert [row[:4] for row in rows] == [("2024-Q1", "ggz", 100.00, 1), ("2024-Q1", "onbekend", 50.00, 2)]


def test_a_childs_jeugdwet_and_wmo_costs_are_one_client_in_target_group_jeugd(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load_allocations(
        warehouse,
        write_csv(
            tmp_path / "a.csv",
            [
                allocation("a1", client="A", birth="2010-01-01"),
                allocation("b1", client="B", birth="1990-01-01"),
            ],
        ),
        LoadOptions(),
        now=datetime(2024, 1, 1),
    )
    keys = {
        name: warehouse.value(
            "SELECT client_key FROM allocation_versions WHERE allocation_id = ?", [allocation_id]
        )
        for name, allocation_id in (("A", "a1"), ("B", "b1"))
    }
    insert_lines(
        warehouse,
        [
            line("x", keys["A"], "2024-01-01", "2024-01-31", 10.00, law="JW", category="45"),
            line("y", keys["A"], "2024-01-01", "2024-01-31", 5.00),
            line("z", keys["B"], "2024-01-01", "2024-01-31", 7.00),
        ],
    )
    record_load(warehouse, date(2024, 4, 30))
    assert labelled(warehouse, grain="quarter", by=("target_group",), **Q1)[1] == [
        ("2024-Q1", "jeugd", 15.00, 1, 15.00, 1, 15.00, ""),
        ("2024-Q1", "volwassenen", 7.00, 1, 7.00, 1, 7.00, ""),
    ]
