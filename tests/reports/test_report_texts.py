"""The analyst's text in a report run: unknown references fail the run (unless a concept), text is identity."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from sdmonitor.domain.periods import Grain
from sdmonitor.errors import InputError
from sdmonitor.loading import LoadOptions, load_allocations
from sdmonitor.reports.editions import list_editions
from sdmonitor.reports.run import make_report
from sdmonitor.reports.template import Section, Template
from sdmonitor.warehouse import Warehouse
from tests.builders import allocation, write_csv

TEMPLATE = Template(
    "test", "Testrapport", Grain.HALF, 2, 5.0,
    (Section("wetten", "Cliënten per wet", "clients", by=("law",), periods="report"),),
    source_hash="t1",
)  # fmt: skip


def _write_text(out: Path, sentence: str) -> Path:
    path = out / "test-2018-H1-toelichting.md"
    text = path.read_text(encoding="utf-8")
    marker = "<!-- blok: wetten -->\n## Cliënten per wet\n\n"
    path.write_text(text.replace(marker, marker + sentence + "\n"), encoding="utf-8")
    return path


def test_an_unknown_reference_fails_the_report_with_its_line_unless_it_is_a_concept(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    rows = [allocation(f"w{i}", client=f"W{i}", start="2018-01-10") for i in range(12)]
    load_allocations(warehouse, write_csv(tmp_path / "t.csv", rows), LoadOptions(), now=datetime(2018, 7, 2))
    out = tmp_path / "out"
    first = make_report(warehouse, TEMPLATE, "2018-H1", out, now=datetime(2018, 7, 3))
    texts = _write_text(out, "Wmo: {{clients.wmo.2018-H1}}; Pw: {{clients.PW.2018-H1}}.")
    line = (
        texts.read_text(encoding="utf-8")
        .split("\n")
        .index("Wmo: {{clients.wmo.2018-H1}}; Pw: {{clients.PW.2018-H1}}.")
    )
    html = out / "test-2018-H1.html"
    before = html.read_bytes()
    with pytest.raises(InputError, match=rf"regel {line + 1}: \{{\{{clients\.PW\.2018-H1\}}\}}.*--concept"):
        make_report(warehouse, TEMPLATE, "2018-H1", out, now=datetime(2018, 7, 4))
    assert [e.number for e in list_editions(warehouse)] == [1] and html.read_bytes() == before
    concept = make_report(warehouse, TEMPLATE, "2018-H1", out, now=datetime(2018, 7, 5), concept=True)
    shown = html.read_text(encoding="utf-8")
    assert "Wmo: 12" in shown and "[onbekend cijfer: clients.PW.2018-H1]" in shown and "Concept" in shown
    assert concept.unknown_references == ("clients.PW.2018-H1",)
    assert concept.edition.figures_hash != first.edition.figures_hash


def test_the_same_figures_with_another_text_are_another_edition(warehouse: Warehouse, tmp_path: Path) -> None:
    rows = [allocation(f"w{i}", client=f"W{i}", start="2018-01-10") for i in range(12)]
    load_allocations(warehouse, write_csv(tmp_path / "t.csv", rows), LoadOptions(), now=datetime(2018, 7, 2))
    out = tmp_path / "out"
    first = make_report(warehouse, TEMPLATE, "2018-H1", out, now=datetime(2018, 7, 3)).edition
    same = make_report(warehouse, TEMPLATE, "2018-H1", out, now=datetime(2018, 7, 4)).edition
    _write_text(out, "De Wmo telde {{clients.WMO.2018-H1}} cliënten.")
    other = make_report(warehouse, TEMPLATE, "2018-H1", out, now=datetime(2018, 7, 5)).edition
    assert same.figures_hash == first.figures_hash
    assert other.figures_hash != first.figures_hash


def test_a_report_over_a_period_without_data_is_refused_and_stores_nothing(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    rows = [allocation(f"w{i}", client=f"W{i}", start="2018-01-10", end="2018-05-31") for i in range(12)]
    load_allocations(warehouse, write_csv(tmp_path / "t.csv", rows), LoadOptions(), now=datetime(2019, 1, 2))
    for period in ("2016-H1", "2018-H2"):  # before the first allocation, and after the last one ended
        with pytest.raises(InputError, match=f"Over {period} zijn geen gegevens"):
            make_report(warehouse, TEMPLATE, period, tmp_path / "out", now=datetime(2019, 1, 3))
    assert list_editions(warehouse) == [] and not (tmp_path / "out").exists()
    assert (
        make_report(warehouse, TEMPLATE, "2018-H1", tmp_path / "out", now=datetime(2019, 1, 3)).edition.number
        == 1
    )


def test_a_reference_may_name_a_law_as_the_tables_show_it(warehouse: Warehouse, tmp_path: Path) -> None:
    rows = [allocation(f"w{i}", client=f"W{i}", start="2018-01-10") for i in range(12)]
    rows += [allocation(f"j{i}", client=f"J{i}", law="JW", category="45", birth="2010-01-01", start="2018-01-10")
             for i in range(7)]  # fmt: skip
    load_allocations(warehouse, write_csv(tmp_path / "t.csv", rows), LoadOptions(), now=datetime(2018, 7, 2))
    out = tmp_path / "out"
    make_report(warehouse, TEMPLATE, "2018-H1", out, now=datetime(2018, 7, 3))
    _write_text(out, "Jeugd {{clients.Jeugdwet.2018-H1}}, {{clients.JEUGDWET.2018-h1}}, {{clients.jw.2018-H1}}; "
                     "Wmo {{clients.Wmo.2018-H1}}; fout {{clients.Jeugd.2018-H1}}.")  # fmt: skip
    report = make_report(warehouse, TEMPLATE, "2018-H1", out, now=datetime(2018, 7, 4), concept=True)
    shown = (out / "test-2018-H1.html").read_text(encoding="utf-8")
    assert "Jeugd 7, 7, 7; Wmo 12;" in shown
    assert report.unknown_references == ("clients.Jeugd.2018-H1",)
