"""The README's first command, end to end: fictional municipality -> warehouse -> summary."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from tests.cli.test_cli import sdm


def test_demo_loads_a_municipality_and_prints_clients_per_law_per_half_year(tmp_path: Path) -> None:
    result = sdm("demo", "--inhabitants", "8000", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Unieke cliënten per wet per halfjaar" in out
    assert "2015-H1" in out and "2024-H2" in out
    assert "toewijzingen_fouten.csv (indeling 'nl-export'" in out
    # every faulty row the generator meant to be rejected is rejected with the intended reason
    with (tmp_path / "demo-data" / "toewijzingen_fouten_verwacht.csv").open(encoding="utf-8") as handle:
        expected = list(csv.DictReader(handle))
    reports = sorted((tmp_path / "rapporten").glob("*toewijzingen_fouten.csv"))
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
    assert len(counts) == 2
    for _read, loaded, unchanged in counts:
        assert loaded == "0"
        assert unchanged != "0"
