"""The forecast's utilisation per product, provider and unit (docs/metrics.md, "utilisation", last paragraph;
docs/design/money.md §3.3): the complete months before the moment, shrunk towards the product, capped."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from sdmonitor.metrics.utilisation import utilisation_rates
from sdmonitor.warehouse import Warehouse
from tests.builders import allocation
from tests.metrics.test_utilisation import declared, stored
from tests.metrics.test_utilisation_allocated import EXAMPLE_U, P1, P2

B1 = allocation(
    "b1", client="E", category="02", product_code="02A01", provider_code=P2, start="2024-01-01", end=None,
    volume="10", unit="04", frequency="4",
)  # fmt: skip
C1 = allocation(
    "c1", client="F", category="04", product_code="04A02", provider_code=P2, start="2023-12-01", end=None,
    volume="1", unit="14", frequency="4",
)  # fmt: skip
LINES = [
    declared("r1", "a1", "2024-01-01", "2024-01-31", volume=7, unit="04"),
    declared("r2", "a1", "2024-02-01", "2024-02-29", volume=480, unit="01"),
    declared("r3", "a1", "2024-03-01", "2024-03-09", volume=4, unit="04"),  # March is not complete
    declared("s1", "b1", "2024-01-01", "2024-01-31", volume=10, unit="04"),
    declared("s2", "b1", "2024-02-01", "2024-02-29", volume=10, unit="04", known_from=datetime(2024, 3, 20)),
    declared("t1", "c1", "2024-01-01", "2024-02-29", volume=6, unit="14"),  # 3 etmalen a month of 1
]


def rates(warehouse: Warehouse, **arguments: Any) -> dict[tuple[str, str, str], dict[str, Any]]:
    table = utilisation_rates(warehouse.ibis(), date(2024, 3, 10), months=2, **arguments)
    return {
        (r["product_code"], r["provider_code"], r["unit"]): r
        for r in warehouse.ibis().to_pyarrow(table).to_pylist()
    }


@pytest.fixture
def history(warehouse: Warehouse, tmp_path: Path) -> Warehouse:
    return stored(warehouse, tmp_path, [*EXAMPLE_U[:1], B1, C1], LINES, moment=date(2024, 3, 10))


def test_a_providers_rate_is_shrunk_towards_its_products_rate(history: Warehouse) -> None:
    """January and February 2024 (complete on 10 March): a1 at P1 declared 15 of 17.1429 hours (0.875), b1 at
    P2 20 of 20; the product 35 of 37.1429 (0.9423); P1 with n = 2 allocation-months:
    (2 x 0.875 + 50 x 0.9423) / 52 = 0.9397."""
    got = rates(history)
    p1, p2 = got[("02A01", P1, "04")], got[("02A01", P2, "04")]
    assert (p1["allocation_months"], p2["allocation_months"]) == (2, 2)
    assert p1["allocated_volume"] == pytest.approx(60 * 2 / 7) and p1["declared_volume"] == pytest.approx(15)
    assert p1["provider_rate"] == pytest.approx(0.875) and p2["provider_rate"] == pytest.approx(1.0)
    product = 35 / (60 * 2 / 7 + 20)
    assert p1["product_rate"] == pytest.approx(product) == p2["product_rate"]
    assert p1["utilisation"] == pytest.approx((2 * 0.875 + 50 * product) / 52)
    assert round(p1["utilisation"], 4) == 0.9397
    assert p2["utilisation"] == pytest.approx((2 * 1.0 + 50 * product) / 52)


def test_the_rate_is_capped_at_one_and_a_half(history: Warehouse) -> None:
    """c1 declared 3 etmalen a month on 1 allocated: 3.0 for provider and product, capped at 1.5."""
    c1 = rates(history)[("04A02", P2, "14")]
    assert c1["provider_rate"] == pytest.approx(3.0) and c1["utilisation"] == 1.5


def test_the_rates_use_the_declarations_known_at_as_of(history: Warehouse) -> None:
    """s2 was loaded on 20 March: as known on 15 March, b1 declared 10 of 20 hours."""
    p2 = rates(history, as_of=date(2024, 3, 15))[("02A01", P2, "04")]
    assert p2["declared_volume"] == pytest.approx(10) and p2["provider_rate"] == pytest.approx(0.5)


def test_the_rates_cover_the_given_number_of_complete_months(history: Warehouse) -> None:
    """c1 runs from December 2023: two months back from 10 March are January and February, three add
    December (allocated 1, nothing declared there)."""
    assert rates(history)[("04A02", P2, "14")]["allocation_months"] == 2
    table = utilisation_rates(history.ibis(), date(2024, 3, 10), months=3)
    c1 = [r for r in history.ibis().to_pyarrow(table).to_pylist() if r["product_code"] == "04A02"]
    assert [(r["allocation_months"], r["allocated_volume"], r["declared_volume"]) for r in c1] == [
        (3, 3.0, 6.0)
    ]
