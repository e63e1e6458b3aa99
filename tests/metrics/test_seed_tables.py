"""Tables of the kind municipalities publish (shared/seeds), rebuilt from hand-made data, every number checked.

Leiden 2015, table 1: monthly inflow, outflow and saldo of begeleiding groep, with totals and monthly
averages; table 2: client stock of a target group on reference dates per product. Lansingerland H1 2018:
unique clients per law and target group per half-year, and indications, clients and indications per client.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from sdmonitor.loading import LoadOptions, load_allocations
from sdmonitor.metrics import MetricRequest, run_metric
from sdmonitor.metrics.dimensions import Segment
from sdmonitor.warehouse import Warehouse
from tests.builders import allocation, write_csv

# Leiden, table 1 (published figures): instroom and uitstroom begeleiding groep, January-June 2015.
LEIDEN_IN = [3, 9, 26, 21, 21, 29]
LEIDEN_OUT = [6, 6, 25, 28, 17, 10]
GROEP = "07A01"  # begeleiding groep


def month_start(month: int) -> date:
    return date(2015, month, 1)


def leiden_rows() -> list[dict[str, str | None]]:
    """Clients whose episodes start or end in each month, plus renewals on 1 January that are no flows."""
    rows = []
    for index, count in enumerate(LEIDEN_IN):
        for n in range(count):
            start = month_start(index + 1) + timedelta(days=n % 27)
            rows.append(allocation(f"in{index}-{n}", client=f"I{index}-{n}", category="07", product_code=GROEP,
                                   start=start.isoformat(), end=None))  # fmt: skip
    for index, count in enumerate(LEIDEN_OUT):
        for n in range(count):
            end = month_start(index + 1) + timedelta(days=n % 27)
            rows.append(allocation(f"out{index}-{n}", client=f"O{index}-{n}", category="07", product_code=GROEP,
                                   start="2014-03-01", end=end.isoformat()))  # fmt: skip
    for n in range(40):  # renewed on 1 January: naive starts and ends, but no inflow or outflow
        rows.append(allocation(f"old{n}", client=f"R{n}", category="07", product_code=GROEP, start="2014-01-01",
                               end="2014-12-31"))  # fmt: skip
        rows.append(allocation(f"new{n}", client=f"R{n}", category="07", product_code=GROEP, start="2015-01-01",
                               end="2015-12-31"))  # fmt: skip
    return rows


def load(warehouse: Warehouse, tmp_path: Path, rows: list[dict[str, str | None]]) -> None:
    load_allocations(warehouse, write_csv(tmp_path / "t.csv", rows), LoadOptions(), now=datetime(2019, 1, 15))


def test_leiden_monthly_in_and_outflow_table(warehouse: Warehouse, tmp_path: Path) -> None:
    load(warehouse, tmp_path, leiden_rows())
    segment = (Segment("begeleiding groep", product_codes=(GROEP,)),)
    request = MetricRequest("flows", grain="month", start=date(2015, 1, 1), end=date(2015, 6, 30),
                            by=("segment",), segments=segment)  # fmt: skip
    table = run_metric(warehouse, request).rows
    assert [row[2] for row in table] == LEIDEN_IN
    assert [row[3] for row in table] == LEIDEN_OUT
    assert [row[4] for row in table] == [-3, 3, 1, -7, 4, 19]
    inflow, outflow = sum(LEIDEN_IN), sum(LEIDEN_OUT)
    assert (sum(r[2] for r in table), sum(r[3] for r in table), sum(r[4] for r in table)) == (109, 92, 17)
    assert (round(inflow / 6, 1), round(outflow / 6, 1)) == (18.2, 15.3)  # the published monthly averages
    naive = run_metric(warehouse, MetricRequest("allocation_flows", grain="month", start=date(2015, 1, 1),
                                                end=date(2015, 1, 31))).rows  # fmt: skip
    assert naive == [("2015-01", 3 + 40, 6, 37)]  # renewals inflate the naive January inflow


def test_leiden_stock_of_a_target_group_on_reference_dates(warehouse: Warehouse, tmp_path: Path) -> None:
    # dementia clients: group begeleiding 143 -> 148 -> 157 and individual 152 -> 149 -> 152 (Leiden table 2)
    rows = []
    plan = {"07D01": [143, 148, 157], "02D01": [152, 149, 152]}
    for code, (jan, apr, jul) in plan.items():
        category = code[:2]
        rows += [allocation(f"{code}-a{n}", client=f"{code}A{n}", category=category, product_code=code,
                            start="2014-06-01", end=None) for n in range(min(jan, apr, jul))]  # fmt: skip
        base = min(jan, apr, jul)
        rows += [allocation(f"{code}-j{n}", client=f"{code}J{n}", category=category, product_code=code,
                            start="2014-06-01", end="2015-03-31") for n in range(jan - base)]  # fmt: skip
        rows += [allocation(f"{code}-p{n}", client=f"{code}P{n}", category=category, product_code=code,
                            start="2015-03-15", end="2015-06-30") for n in range(apr - base)]  # fmt: skip
        rows += [allocation(f"{code}-l{n}", client=f"{code}L{n}", category=category, product_code=code,
                            start="2015-06-20", end=None) for n in range(jul - base)]  # fmt: skip
    load(warehouse, tmp_path, rows)
    dementia = (Segment("dementie", product_codes=("07D01", "02D01")),)
    request = MetricRequest("stock", on=(date(2015, 1, 1), date(2015, 4, 1), date(2015, 7, 1)),
                            by=("segment", "product_code"), segments=dementia)  # fmt: skip
    assert run_metric(warehouse, request).rows == [
        ("2015-01-01", "dementie", "02D01", 152), ("2015-01-01", "dementie", "07D01", 143),
        ("2015-04-01", "dementie", "02D01", 149), ("2015-04-01", "dementie", "07D01", 148),
        ("2015-07-01", "dementie", "02D01", 152), ("2015-07-01", "dementie", "07D01", 157),
    ]  # fmt: skip


def lansingerland_rows() -> list[dict[str, str | None]]:
    """Eight clients over 2017-2018 across both laws and all target groups."""
    jw = {"law": "JW", "category": "45"}
    return [
        allocation("j1", client="K1", birth="2008-03-01", start="2017-01-01", end="2017-12-31", **jw),
        allocation("j2", client="K1", birth="2008-03-01", start="2018-01-01", end=None, **jw),
        allocation(
            "j3", client="K2", birth="2000-09-01", start="2017-05-01", end="2018-08-31", **jw
        ),  # 18 in 2018
        allocation("j4", client="K2", birth="2000-09-01", start="2017-05-01", end="2017-10-31", **jw),
        allocation(
            "w1", client="K3", birth="2006-01-01", start="2017-03-01", end="2017-04-30", category="12"
        ),
        allocation("w2", client="V1", birth="1980-01-01", start="2016-01-01", end=None, category="02"),
        allocation(
            "w3", client="V1", birth="1980-01-01", start="2017-07-01", end="2018-06-30", category="07"
        ),
        allocation(
            "w4", client="V2", birth="1952-07-01", start="2017-09-01", end=None, category="01"
        ),  # 65 in 2017
        allocation(
            "w5", client="O1", birth="1930-01-01", start="2015-01-01", end="2017-12-31", category="01"
        ),
        allocation(
            "w6", client="O2", birth="1940-01-01", start="2018-02-01", end="2018-12-31", category="14"
        ),
    ]


def test_lansingerland_clients_per_law_and_target_group(warehouse: Warehouse, tmp_path: Path) -> None:
    load(warehouse, tmp_path, lansingerland_rows())
    request = MetricRequest("clients", grain="half", start=date(2017, 1, 1), end=date(2018, 12, 31),
                            by=("target_group", "law"))  # fmt: skip
    assert run_metric(warehouse, request).rows == [
        ("2017-H1", "jeugd", "JW", 2), ("2017-H1", "jeugd", "WMO", 1),
        ("2017-H1", "ouderen", "WMO", 1), ("2017-H1", "volwassenen", "WMO", 1),
        ("2017-H2", "jeugd", "JW", 2), ("2017-H2", "ouderen", "WMO", 2), ("2017-H2", "volwassenen", "WMO", 1),
        ("2018-H1", "jeugd", "JW", 2), ("2018-H1", "ouderen", "WMO", 2), ("2018-H1", "volwassenen", "WMO", 1),
        ("2018-H2", "jeugd", "JW", 2), ("2018-H2", "ouderen", "WMO", 2), ("2018-H2", "volwassenen", "WMO", 1),
    ]  # fmt: skip


def test_lansingerland_indications_and_indications_per_client(warehouse: Warehouse, tmp_path: Path) -> None:
    load(warehouse, tmp_path, lansingerland_rows())
    request = MetricRequest("allocations_per_client", grain="half", start=date(2017, 1, 1),
                            end=date(2018, 12, 31), by=("law",))  # fmt: skip
    assert run_metric(warehouse, request).rows == [
        ("2017-H1", "JW", 3, 2, 1.5), ("2017-H1", "WMO", 3, 3, 1.0),
        ("2017-H2", "JW", 3, 2, 1.5), ("2017-H2", "WMO", 4, 3, 1.33),
        ("2018-H1", "JW", 2, 2, 1.0), ("2018-H1", "WMO", 4, 3, 1.33),
        ("2018-H2", "JW", 2, 2, 1.0), ("2018-H2", "WMO", 3, 3, 1.0),
    ]  # fmt: skip
