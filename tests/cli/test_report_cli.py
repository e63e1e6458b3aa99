"""`sdm report` end to end: the PDF's text carries the figures, the text file round-trips."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PIL import Image

from sdmonitor.reports.editions import list_editions
from sdmonitor.reports.run import DataChangedError, prepare_report, store_report
from sdmonitor.reports.template import builtin_path, read_template
from sdmonitor.warehouse import open_warehouse
from sdmonitor.warehouse.sharing import SharedReader
from tests.builders import allocation, write_csv
from tests.cli.test_cli import sdm


def test_the_half_year_report_is_written_as_pdf_html_and_xlsx(tmp_path: Path) -> None:
    rows = [allocation(f"w{i}", client=f"W{i}", start="2017-06-01") for i in range(1234)]
    rows += [allocation(f"j{i}", client=f"J{i}", law="JW", category="45", birth="2010-01-01", start="2018-01-10")
             for i in range(3)]  # fmt: skip
    assert sdm("load", "allocations", str(write_csv(tmp_path / "t.csv", rows)), cwd=tmp_path).returncode == 0
    args = ["report", "halfyear", "--period", "2018-H1", "--out", str(tmp_path / "out"), "--municipality-name",
            "Gemeente Voorbeeld"]  # fmt: skip
    first = sdm(*args, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    texts = tmp_path / "out" / "halfjaar-2018-H1-toelichting.md"
    assert "vul" in first.stdout and texts.exists()
    texts.write_text(
        texts.read_text(encoding="utf-8").replace(
            "<!-- blok: kerncijfers -->\n## Kerncijfers\n\n",
            "<!-- blok: kerncijfers -->\n## Kerncijfers\n\nDe Wmo telde {{clients.WMO.2018-H1}} cliënten.\n",
        ),
        encoding="utf-8",
    )
    second = sdm(*args, cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    pdf = tmp_path / "out" / "halfjaar-2018-H1.pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Gemeente Voorbeeld" in text and "eerste halfjaar 2018" in text
    assert "De Wmo telde 1.234 cliënten." in text
    assert "1.234" in text
    assert re.search(r"Jeugdwet\s+<\s?5", text)  # 3 Jeugdwet clients: hidden (pdftotext may drop the space)
    assert "pagina 1 van" in text
    assert "Samenvatting: kerncijfers" in text and "Zo leest u de pijlen" in text
    assert (
        "Gegevensbronnen en laaddatums" in text
        and "Geen enkel cijfer is gewijzigd ten opzichte van editie 1" in text
    )
    assert "Bron: gemeentelijke registratie" in text  # the charts stay vector: their text is searchable
    # the pages as a reader sees them: rendered, not blank (looked at by hand during development)
    subprocess.run(
        ["pdftoppm", "-r", "30", "-png", "-f", "1", "-l", "6", str(pdf), str(tmp_path / "page")], check=True
    )
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == 6
    for page in pages:
        with Image.open(page) as image:
            histogram = image.convert("L").histogram()  # pixels per grey level
            ink = sum(histogram[:128])
            assert ink > 200, f"{page.name} looks blank"
    workbook = load_workbook(tmp_path / "out" / "halfjaar-2018-H1.xlsx")
    assert "Toelichting" in workbook.sheetnames
    assert (tmp_path / "out" / "halfjaar-2018-H1.html").read_text(encoding="utf-8").count("<section") >= 12


def test_a_period_that_does_not_fit_the_template_is_explained(tmp_path: Path) -> None:
    assert sdm("init", cwd=tmp_path).returncode == 0
    result = sdm("report", "halfyear", "--period", "2018-Q1", "--out", str(tmp_path / "o"), cwd=tmp_path)
    assert result.returncode == 1 and "past daar niet bij" in result.stderr


def test_a_report_threshold_below_five_is_refused_in_dutch_and_stores_nothing(tmp_path: Path) -> None:
    rows = [allocation(f"w{i}", client=f"W{i}", start="2018-01-10") for i in range(12)]
    assert sdm("load", "allocations", str(write_csv(tmp_path / "t.csv", rows)), cwd=tmp_path).returncode == 0
    for threshold in ("1", "-3", "0", "4", "101"):
        result = sdm("report", "halfyear", "--period", "2018-H1", "--out", str(tmp_path / "out"),
                     "--threshold", threshold, cwd=tmp_path)  # fmt: skip
        assert result.returncode == 1, threshold
        assert (
            f"--threshold {threshold} kan niet" in result.stderr and "van 5 tot en met 100" in result.stderr
        )
        assert "Traceback" not in result.stderr
    result = sdm("report", "halfyear", "--period", "2018-H1", "--out", str(tmp_path / "out"), cwd=tmp_path,
                 env={"SDM_THRESHOLD": "2"})  # fmt: skip
    assert result.returncode == 1 and "--threshold 2 kan niet" in result.stderr
    assert not (tmp_path / "out").exists()
    assert "Nog geen edities" in sdm("report", "editions", cwd=tmp_path).stdout


def test_kpi_targets_come_from_the_targets_file(tmp_path: Path) -> None:
    rows = [allocation(f"w{i}", client=f"W{i}", start="2017-06-01", end="2018-02-15") for i in range(30)]
    rows += [allocation(f"v{i}", client=f"V{i}", start="2017-06-01") for i in range(30)]
    assert sdm("load", "allocations", str(write_csv(tmp_path / "t.csv", rows)), cwd=tmp_path).returncode == 0
    targets = tmp_path / "streefwaarden.yaml"
    targets.write_text("doorstroom_wmo: 0.25\n")
    args = ["report", "quarter", "--period", "2018-Q1", "--out", str(tmp_path / "out")]
    assert sdm(*args, "--targets", str(targets), cwd=tmp_path).returncode == 0
    html = (tmp_path / "out" / "kwartaal-2018-Q1.html").read_text(encoding="utf-8")
    assert "25,0 %" in html and "(gehaald)" in html  # 30 of 60 Wmo clients left: 50 %
    targets.write_text("doorstroom: 0.25\n")
    wrong = sdm(*args, cwd=tmp_path, env={"SDM_TARGETS": str(targets)})
    assert wrong.returncode == 1 and "geen KPI of kerncijfer 'doorstroom'" in wrong.stderr


def test_invalid_input_is_refused_before_a_serving_dashboard_is_asked_to_let_go(tmp_path: Path) -> None:
    rows = [allocation(f"w{i}", client=f"W{i}", start="2018-01-10") for i in range(12)]
    csv = write_csv(tmp_path / "t.csv", rows)
    assert sdm("load", "allocations", str(csv), cwd=tmp_path).returncode == 0
    reader = SharedReader(tmp_path / "sdm.duckdb", 1)  # what `sdm serve` holds
    try:
        for args, said in (
            (["report", "halfyear", "--period", "2024-H9", "--out", str(tmp_path / "out")], "geen periode"),
            (["load", "allocations", str(tmp_path / "ontbreekt.csv")], "bestaat niet"),
            (["load", "allocations", "--mapping", "nl-export", str(csv)], "ontbreken"),
            (["load", "providers", str(tmp_path / "ontbreekt.csv")], "bestaat niet"),
        ):
            refused = sdm(*args, cwd=tmp_path)
            assert refused.returncode == 1 and said in refused.stderr, (args, refused.stderr)
            assert "wachten" not in refused.stderr
        assert reader.releases == 0  # the dashboard never paused
    finally:
        reader.close()


def test_a_report_is_computed_while_the_dashboard_serves_and_pauses_it_only_to_store_the_edition(
    tmp_path: Path,
) -> None:
    rows = [allocation(f"w{i}", client=f"W{i}", start="2017-06-01") for i in range(40)]
    assert sdm("load", "allocations", str(write_csv(tmp_path / "t.csv", rows)), cwd=tmp_path).returncode == 0
    db = tmp_path / "sdm.duckdb"
    reader = SharedReader(db, 1)
    waits: list[float] = []
    environment = {k: v for k, v in os.environ.items() if not k.startswith("SDM_")}
    try:
        report = subprocess.Popen(
            [sys.executable, "-c", "from sdmonitor.cli import main; main()", "report", "halfyear", "--period",
             "2018-H1", "--out", str(tmp_path / "out")],
            cwd=tmp_path, env={**environment, "SDM_DB": str(db)}, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        started = time.monotonic()
        while report.poll() is None:  # a dashboard request every 0.1 s during the whole report
            asked = time.monotonic()
            with reader.cursor(60) as cursor:
                list_editions(cursor)
            waits.append(time.monotonic() - asked)
            time.sleep(0.1)
        took = time.monotonic() - started
        _, err = report.communicate()
        assert report.returncode == 0, err
        assert reader.releases == 1  # let go once: to store the edition
        assert max(waits) < min(3.0, took / 2), (max(waits), took)
        with reader.cursor(30) as cursor:
            assert [e.number for e in list_editions(cursor)] == [1]
    finally:
        reader.close()


def test_a_report_whose_data_changed_before_its_edition_is_stored_is_refused(tmp_path: Path) -> None:
    rows = [allocation(f"w{i}", client=f"W{i}", start="2017-06-01") for i in range(20)]
    assert sdm("load", "allocations", str(write_csv(tmp_path / "a.csv", rows)), cwd=tmp_path).returncode == 0
    db = tmp_path / "sdm.duckdb"
    template = read_template(builtin_path("halfjaar"))
    with open_warehouse(db, read_only=True) as warehouse:
        prepared = prepare_report(warehouse, template, "2018-H1", tmp_path / "out", now=datetime(2026, 12, 1))
    more = [allocation(f"v{i}", client=f"V{i}", start="2018-02-01") for i in range(5)]
    assert sdm("load", "allocations", str(write_csv(tmp_path / "b.csv", more)), cwd=tmp_path).returncode == 0
    with open_warehouse(db) as warehouse:
        with pytest.raises(DataChangedError, match="Maak het rapport opnieuw"):
            store_report(warehouse, prepared)
        assert list_editions(warehouse) == []
        again = prepare_report(warehouse, template, "2018-H1", tmp_path / "out", now=datetime(2026, 12, 1))
        assert store_report(warehouse, again).edition.number == 1
