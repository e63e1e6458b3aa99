"""An edition's revision names the declaration and finance loads made since the previous edition."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from sdmonitor.loading import LoadOptions, load_allocations
from sdmonitor.reports.diff import diff_editions
from sdmonitor.warehouse import Warehouse
from tests.builders import allocation, write_csv
from tests.conftest import KEY
from tests.money_builders import declaration, load_declarations_rows
from tests.money_builders_reference import load_tariffs_rows
from tests.reports.test_editions import JW, WMO, report

BSN = "999990007"  # 11-check valid, in the demo range


def test_a_declaration_load_that_merges_two_clients_is_credited_in_the_next_edition(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    # W2 comes with a BSN and no client number; the Wmo has 10 clients
    wmo = [allocation("w2", client=None, bsn=BSN, start="2018-01-10") if row["allocation_id"] == "w2" else row
           for row in WMO]  # fmt: skip
    load_allocations(warehouse, write_csv(tmp_path / "a.csv", wmo + JW), LoadOptions(pseudonym_key=KEY),
                     now=datetime(2018, 7, 2, 9, 0))  # fmt: skip
    report(warehouse, tmp_path / "out", datetime(2018, 7, 3))
    # the provider declares for client W1 under W2's BSN: the two are one person, 9 Wmo clients
    lines = [declaration(allocation_id="w1", client_id="W1", bsn=BSN, period_start="2018-03-01",
                         period_end="2018-03-31", submitted_on="2018-04-05")]  # fmt: skip
    merged = load_declarations_rows(warehouse, tmp_path, lines, extracted_on=date(2018, 7, 20)).load_id
    tariffs = load_tariffs_rows(warehouse, tmp_path, [{"product_code": "02A01", "unit": "04", "tariff": 62.5,
                                "valid_from": "2018-01-01"}], now=datetime(2018, 7, 21, 9, 0)).load_id  # fmt: skip
    report(warehouse, tmp_path / "out", datetime(2018, 7, 22))
    diff = diff_editions(warehouse, "2018-H1", None, None, None)
    assert [row[1:3] for row in diff.rows] == [("10", "9")]
    assert f"laadactie {merged} " in diff.rows[0][3]  # the declaration load, though no allocation load came
    chosen = diff_editions(warehouse, "2018-H1", "test", 2, 1)
    listed = chosen.notes()[-1]
    assert listed.startswith("Laadacties tussen beide edities") and f"laadactie {merged} " in listed
    assert f"laadactie {tariffs} " in listed
