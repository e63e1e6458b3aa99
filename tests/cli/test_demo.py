"""The README's first command, end to end: fictional municipality -> warehouse -> summary."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from sdmonitor.jobs.demo import DEMO_SETTING
from sdmonitor.loading import LoadOptions, load_allocations
from sdmonitor.warehouse import open_warehouse
from tests.builders import BSN_A, allocation, write_csv
from tests.cli.test_cli import sdm
from tests.conftest import NOW


def test_demo_loads_a_municipality_and_prints_clients_per_law_per_half_year(tmp_path: Path) -> None:
    result = sdm("demo", "--inhabitants", "8000", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Unieke cliënten per wet per halfjaar" in out
    assert re.search(r"Halfjaar\W+Wmo\W+Jeugdwet\W+Participatiewet\W+Totaal", out), out
    assert "2015-H1" in out and "2024-H2" in out
    assert "toewijzingen_fouten.csv (indeling 'nl-export'" in out
    # then the money: tariffs, index and budgets, and the declaration exports, each without a rejected row
    for name in ("tarieven-2014-12-01.csv", "index-2014-06-01.csv", "begroting-2014-11-10.csv",
                 "tarieven-2024-06-01.csv", "begroting-2024-09-19.csv", "declaraties-2023-01-06.parquet",
                 "declaraties-2025-01-06.parquet"):  # fmt: skip
        assert name in out, name
    declared = re.findall(r"declaraties-[\d-]+\.parquet \(indeling 'canoniek', laadactie \d+\)\n  gelezen [\d.]+ = "
                          r"geladen [\d.]+ \+ ongewijzigd 0 \+ dubbel 0 \+ afgewezen 0\n", out)  # fmt: skip
    assert len(declared) == 25, out
    # every faulty row the generator meant to be rejected is rejected with the intended reason
    with (tmp_path / "demo-data" / "toewijzingen_fouten_verwacht.csv").open(encoding="utf-8") as handle:
        expected = list(csv.DictReader(handle))
    reports = sorted((tmp_path / "laadrapporten").glob("*toewijzingen_fouten.csv"))
    assert len(reports) == 1
    with reports[0].open(encoding="utf-8-sig") as handle:
        reported = {row["rij"]: row["reden"].split(";") for row in csv.DictReader(handle, delimiter=";")}
    for row in expected:
        if row["verwachte_reden"] == "duplicate":
            assert row["rij"] not in reported
        else:
            assert row["verwachte_reden"] in reported[row["rij"]], row

    # the export is dated 6 January 2025; January 2015 is the first month of the history (issue 9.1)
    flows = sdm("metric", "flows", "--from", "2015-01-01", "--to", "2015-02-28", "--grain", "month", "--by", "law",
                "--format", "csv", cwd=tmp_path).stdout.splitlines()  # fmt: skip
    assert flows[0] == "period,law,inflow,outflow,net,status"
    assert all(line.endswith(",onvolledig") == line.startswith("2015-01") for line in flows[1:]), flows
    future = sdm(
        "metric", "clients", "--from", "2027-01-01", "--to", "2027-06-30", "--grain", "half", cwd=tmp_path
    )
    assert future.returncode == 1 and "ligt na het datamoment 06-01-2025" in future.stderr


def test_demo_twice_changes_nothing_the_second_time(tmp_path: Path) -> None:
    sdm("demo", "--inhabitants", "3000", cwd=tmp_path)
    second = sdm("demo", "--inhabitants", "3000", cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    counts = re.findall(r"gelezen ([\d.]+) = geladen ([\d.]+) \+ ongewijzigd ([\d.]+)", second.stdout)
    # the two allocation files, requests and deliveries, benefits and re-integration provisions, the newest
    # tariffs, index and budgets, and the newest declarations export (the older loads are not offered again:
    # the warehouse already has a newer one of their kind)
    assert len(counts) == 10
    assert "declaraties-2025-01-06.parquet" in second.stdout and "declaraties-2024-12-06" not in second.stdout
    assert "tarieven-2024-06-01.csv" in second.stdout and "tarieven-2023-12-01.csv" not in second.stdout
    for _read, loaded, unchanged in counts:
        assert loaded == "0"
        assert unchanged != "0"


def _contents(db: Path) -> tuple[object, ...]:
    with open_warehouse(db, read_only=True) as warehouse:
        return tuple(
            warehouse.rows(f"SELECT * FROM {table} ORDER BY ALL")
            for table in (
                "loads",
                "allocation_versions",
                "postcode_areas",
                "providers",
                "population",
                "settings",
            )
        )


def test_demo_refuses_a_warehouse_with_other_data_before_touching_it(tmp_path: Path) -> None:
    areas = write_csv(tmp_path / "wijken.csv", [{"pc4": "1011", "wijk_code": "W01", "wijk_name": "Centrum"}],
                      headers=["pc4", "wijk_code", "wijk_name"])  # fmt: skip
    assert sdm("load", "areas", str(areas), cwd=tmp_path).returncode == 0
    path = write_csv(tmp_path / "t.csv", [allocation("T1", postcode="1011AB")])
    assert sdm("load", "allocations", str(path), cwd=tmp_path).returncode == 0
    before = _contents(tmp_path / "sdm.duckdb")
    result = sdm("demo", "--inhabitants", "3000", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("Fout: ")
    assert "niet door 'sdm demo' gemaakt" in result.stderr and "sdm --db demo.duckdb demo" in result.stderr
    assert _contents(tmp_path / "sdm.duckdb") == before
    assert not (tmp_path / "demo-data").exists()


def test_demo_refuses_another_pseudonym_key_before_touching_the_warehouse(tmp_path: Path) -> None:
    db = tmp_path / "sdm.duckdb"
    with open_warehouse(db) as warehouse:  # a demo warehouse filled with another key than the demo's
        load_allocations(warehouse, write_csv(tmp_path / "b.csv", [allocation("T1", client=None, bsn=BSN_A)]),
                         LoadOptions(source="demo", pseudonym_key=b"another-key-0123456789"), now=NOW)  # fmt: skip
        warehouse.set_setting(DEMO_SETTING, "1")
    before = _contents(db)
    result = sdm("demo", "--inhabitants", "3000", cwd=tmp_path)
    assert result.returncode == 1
    assert "SDM_PSEUDONYM_KEY wijkt af" in result.stderr and "Er is niets gewijzigd" in result.stderr
    assert _contents(db) == before
