"""The half-year report's last Participatiewet parts (issue 14) on a real warehouse: inflow by reason (and what
the section says when the source gives no reasons), running re-integration provisions per 10,000 inhabitants
aged 15-64 (the BBV indicator), and the metric's own note on a rate divided by an earlier year's population,
which reaches the section in the HTML, the PDF and the workbook."""

from __future__ import annotations

import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from sdmonitor.domain.periods import Grain, parse_label
from sdmonitor.errors import InputError
from sdmonitor.reference import POPULATION, load_reference
from sdmonitor.reports.benefits import NO_REINTEGRATION_DATA
from sdmonitor.reports.build import build_report
from sdmonitor.reports.run import make_report
from sdmonitor.reports.suppression import Policy
from sdmonitor.reports.template import Section, Template, builtin_path, read_template
from sdmonitor.warehouse import Warehouse
from tests.access_builders import load_allocations_rows
from tests.benefit_builders import benefit, load_benefits_rows, load_reintegration_rows, provision
from tests.builders import allocation

EXPORT = date(2024, 7, 10)
POPULATION_NOTE = (
    "Per 10.000 inwoners: voor 2024 de bevolking van 2023 (de laatste geladen, sdm load population)."
)


def texts(rows: tuple[tuple[object, ...], ...]) -> list[list[str]]:
    return [[cell.text for cell in row] for row in rows]  # type: ignore[attr-defined]


def load_population(warehouse: Warehouse, tmp_path: Path, years: tuple[int, ...]) -> None:
    """Per year 2,000 children of 10, 6,000 + 4,000 inhabitants of 20 and 40 (10,000 aged 15-64) and 3,000
    of 70 (13,000 aged 18 and over)."""
    lines = ["municipality_code,year,age,sex,count"]
    for year in years:
        lines += [f"0599,{year},10,1,2000", f"0599,{year},20,1,6000", f"0599,{year},40,2,4000",
                  f"0599,{year},70,2,3000"]  # fmt: skip
    path = tmp_path / "bevolking.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    load_reference(warehouse, POPULATION, path, now=datetime(2024, 7, 1))


def provisions() -> list[dict[str, str | None]]:
    """Six provisions running since February 2023, two more from March 2024, one that ended in 2023."""
    rows = [provision(provision_id=f"R{i}", client_id=f"C{i}", start_date="2023-02-01") for i in range(6)]
    rows += [provision(provision_id=f"N{i}", client_id=f"N{i}", start_date="2024-03-01") for i in range(2)]
    rows += [provision(provision_id="E0", client_id="E0", start_date="2023-01-01", end_date="2023-10-31")]
    return rows


def reintegration_template() -> Template:
    return Template("t", "Test", Grain.HALF, 2, 5.0, (
        Section("reintegratie", "Lopende re-integratievoorzieningen", "reintegration", dates="end",
                per_10000=True),
    ))  # fmt: skip


# --- re-integration (BBV) -------------------------------------------------------------------------------------


def test_running_provisions_on_each_reference_date_per_10000_inhabitants_aged_15_to_64(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load_population(warehouse, tmp_path, (2023, 2024))
    load_reintegration_rows(warehouse, tmp_path, provisions(), extracted_on=EXPORT)
    (section,) = build_report(
        warehouse, reintegration_template(), parse_label("2024-H1"), as_of=None
    ).sections
    assert section.table.headers == ("Peildatum", "Re-integratievoorzieningen", "Per 10.000 inwoners")
    # 31-12-2023: the six (the one ended in October is gone); 30-06-2024: eight; over 10,000 aged 15-64
    assert texts(section.table.rows) == [["2023-12-31", "6", "6,0"], ["2024-06-30", "8", "8,0"]]
    assert "15 tot en met 64 jaar" in section.note and "BBV" in section.note
    assert "voor 2024 de bevolking van 2023" not in section.note  # 2024's own population is loaded


def test_a_rate_on_a_year_without_population_uses_the_year_before_and_says_so_under_the_figure(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load_population(warehouse, tmp_path, (2023,))  # 2024 not yet published
    load_reintegration_rows(warehouse, tmp_path, provisions(), extracted_on=EXPORT)
    # a report needs allocations (its data moment): six Wmo clients
    wmo = [allocation(f"w{i}", client=f"W{i}", start="2024-01-10") for i in range(6)]
    load_allocations_rows(warehouse, tmp_path, wmo, extracted_on=EXPORT)
    template = reintegration_template()
    (section,) = build_report(warehouse, template, parse_label("2024-H1"), as_of=None).sections
    assert texts(section.table.rows) == [["2023-12-31", "6", "6,0"], ["2024-06-30", "8", "8,0"]]
    assert POPULATION_NOTE in section.note
    files = make_report(warehouse, template, "2024-H1", tmp_path / "out", now=datetime(2024, 7, 11))
    html = files.html.read_text("utf-8")
    assert '<p class="note">' in html and POPULATION_NOTE in html
    pdf = subprocess.run(
        ["pdftotext", str(files.pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert POPULATION_NOTE in " ".join(pdf.split())
    sheet = next(
        s for s in load_workbook(files.xlsx).worksheets if s.title.startswith("Lopende re-integratie")
    )
    cells = [str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert any(POPULATION_NOTE in cell for cell in cells)


def test_a_rate_per_1000_on_a_year_without_population_says_so_under_the_figure_too(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load_population(warehouse, tmp_path, (2023,))
    rows = [allocation(f"w{i}", client=f"W{i}", start="2024-01-10") for i in range(6)]
    load_allocations_rows(warehouse, tmp_path, rows, extracted_on=EXPORT)
    template = Template("t", "Test", Grain.HALF, 1, 5.0, (
        Section("vormen", "Cliënten per 1.000 inwoners", "clients", by=("law",), periods="report", per_1000=True),
    ))  # fmt: skip
    (section,) = build_report(warehouse, template, parse_label("2024-H1"), as_of=None).sections
    assert "Per 1.000 inwoners: voor 2024 de bevolking van 2023" in section.note


def test_a_viewer_edition_gives_the_rate_of_the_rounded_count(warehouse: Warehouse, tmp_path: Path) -> None:
    load_population(warehouse, tmp_path, (2023, 2024))
    load_reintegration_rows(warehouse, tmp_path, provisions(), extracted_on=EXPORT)
    report = build_report(
        warehouse,
        reintegration_template(),
        parse_label("2024-H1"),
        as_of=None,
        policy=Policy(round_to_5=True),
    )
    # 6 and 8 are published as 5 and 10: the rate is of those, so it does not give the exact count away
    assert texts(report.sections[0].table.rows) == [["2023-12-31", "5", "5,0"], ["2024-06-30", "10", "10,0"]]


def test_a_small_number_of_provisions_hides_its_rate_too(warehouse: Warehouse, tmp_path: Path) -> None:
    load_population(warehouse, tmp_path, (2023, 2024))
    load_reintegration_rows(warehouse, tmp_path, provisions()[6:], extracted_on=EXPORT)
    (section,) = build_report(
        warehouse, reintegration_template(), parse_label("2024-H1"), as_of=None
    ).sections
    # 30-06-2024: the two of March; 31-12-2023 has none running (no row)
    assert texts(section.table.rows) == [["2024-06-30", "< 5", "x"]]


def test_without_provisions_loaded_the_reintegration_section_says_so_in_one_sentence(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load_benefits_rows(warehouse, tmp_path, [benefit()], extracted_on=EXPORT)
    (section,) = build_report(
        warehouse, reintegration_template(), parse_label("2024-H1"), as_of=None
    ).sections
    assert section.note == NO_REINTEGRATION_DATA and not section.has_table and section.chart is None


def test_a_template_refuses_a_rate_per_10000_of_a_metric_that_has_none(tmp_path: Path) -> None:
    path = tmp_path / "eigen.yaml"
    path.write_text(
        "name: eigen\nsections:\n  - {name: a, metric: clients, per_10000: true}\n", encoding="utf-8"
    )
    with pytest.raises(
        InputError, match=r"per_10000 .* hoort bij benefits, reintegration, niet bij 'clients'"
    ):
        read_template(path)


# --- reasons of inflow -----------------------------------------------------------------------------------------


def inflow(reasons: list[str | None]) -> list[dict[str, str | None]]:
    """One single per reason, each coming in on 1 February 2024 (and, as a base, six since 2023 without a
    reason known)."""
    rows = [benefit(benefit_id=f"S{i}", client_id=f"S{i}", start_date="2023-03-01") for i in range(6)]
    rows += [
        benefit(benefit_id=f"N{i}", client_id=f"N{i}", start_date="2024-02-01", inflow_reason=reason)
        for i, reason in enumerate(reasons)
    ]
    return rows


def reasons_template() -> Template:
    return Template("t", "Test", Grain.HALF, 2, 5.0, (
        Section("stromen", "In- en uitstroom bijstand", "benefit_flows"),
        Section("instroomredenen", "Instroom naar reden", "benefit_inflow_reasons", layout="columns"),
    ))  # fmt: skip


def test_inflow_by_reason_names_the_groups_and_counts_the_inflow_without_one_as_unknown(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    # 2024-H1: five after the end of work (11, 13), six after the end of a WW benefit, one without a reason
    load_benefits_rows(
        warehouse, tmp_path, inflow(["11"] * 4 + ["13"] + ["14"] * 6 + [None]), extracted_on=EXPORT
    )
    _, reasons = build_report(warehouse, reasons_template(), parse_label("2024-H1"), as_of=None).sections
    assert reasons.shown.headers == ("Reden", "2024-H1")  # nobody came in in 2023-H2
    # the 1 without a reason is small; 12 - 6 - 1 would give the 5 of work away, so they are shielded ('x')
    assert texts(reasons.shown.rows) == [
        ["Einde werk", "x"], ["Einde andere uitkering", "6"], ["Onbekend", "< 5"],
    ]  # fmt: skip
    assert "Onbekend" not in reasons.note  # the template's note explains it; this one has none


def test_a_small_reason_is_not_given_away_by_the_inflow_beside_it(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    # 2024-H1: an inflow of 12, of which 11 after the end of work and 1 without a reason
    load_benefits_rows(warehouse, tmp_path, inflow(["11"] * 11 + [None]), extracted_on=EXPORT)
    stromen, reasons = build_report(
        warehouse, reasons_template(), parse_label("2024-H1"), as_of=None
    ).sections
    h1 = next(row for row in stromen.table.rows if row[0].value == "2024-H1")
    assert h1[1].text == "12"
    # 12 - 11 would give the 1 away: the 11 is shielded ('x') beside the small 1 ('< 5')
    assert {row[0].text: row[-1].text for row in reasons.shown.rows} == {"Einde werk": "x", "Onbekend": "< 5"}


def test_without_any_inflow_reason_the_section_says_so_instead_of_a_table_of_unknowns(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load_benefits_rows(warehouse, tmp_path, inflow([None] * 7), extracted_on=EXPORT)
    stromen, reasons = build_report(
        warehouse, reasons_template(), parse_label("2024-H1"), as_of=None
    ).sections
    assert stromen.has_table
    assert not reasons.has_table and reasons.chart is None
    assert reasons.note.startswith("Geen redenen van instroom: het inkomenssysteem geeft")
    assert "inflow_reason" in reasons.note


def test_the_half_year_template_has_inflow_reasons_and_reintegration_per_10000() -> None:
    template = read_template(builtin_path("halfjaar"))
    sections = {s.name: s for s in template.sections}
    reasons, provisions_ = sections["bijstand_instroomredenen"], sections["reintegratie"]
    assert (reasons.metric, reasons.layout) == ("benefit_inflow_reasons", "columns")
    assert "Onbekend" in reasons.note
    assert (provisions_.metric, provisions_.dates, provisions_.per_10000) == ("reintegration", "end", True)
    assert sections["uitkeringen"].per_10000
    names = [s.name for s in template.sections]
    assert names.index("bijstand_uitstroomredenen") < names.index("bijstand_instroomredenen")


def test_without_any_outflow_reason_the_outflow_section_says_so_too(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    ended = [benefit(benefit_id=f"E{i}", client_id=f"E{i}", start_date="2023-03-01", end_date="2024-03-31")
             for i in range(7)]  # fmt: skip
    load_benefits_rows(warehouse, tmp_path, ended, extracted_on=EXPORT)
    template = Template("t", "Test", Grain.HALF, 2, 5.0, (
        Section("uitstroomredenen", "Uitstroom naar reden", "benefit_outflow_reasons", layout="columns"),
    ))  # fmt: skip
    (section,) = build_report(warehouse, template, parse_label("2024-H1"), as_of=None).sections
    assert not section.has_table
    assert section.note.startswith(
        "Geen redenen van uitstroom: het inkomenssysteem geeft in deze periodes bij geen"
    )
    assert "outflow_reason" in section.note
    # once one of them has a reason, the table is back, with the others as 'Onbekend'
    ended[0]["outflow_reason"] = "11"
    load_benefits_rows(warehouse, tmp_path, ended, extracted_on=date(2024, 7, 11))
    (section,) = build_report(warehouse, template, parse_label("2024-H1"), as_of=None).sections
    # (no outflow total in this report, so nothing to subtract the 6 from: it shows)
    assert texts(section.shown.rows) == [["Werk", "< 5"], ["Onbekend", "6"]]


def test_the_built_in_report_gives_persons_on_benefits_per_10000_adults_on_last_years_population(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load_population(warehouse, tmp_path, (2023,))
    wmo = [allocation(f"w{i}", client=f"W{i}", start="2024-01-10") for i in range(6)]
    load_allocations_rows(warehouse, tmp_path, wmo, extracted_on=EXPORT)
    singles = [benefit(benefit_id=f"S{i}", client_id=f"S{i}", start_date="2023-03-01") for i in range(13)]
    load_benefits_rows(warehouse, tmp_path, singles, extracted_on=EXPORT)
    load_reintegration_rows(warehouse, tmp_path, provisions(), extracted_on=EXPORT)
    report = build_report(
        warehouse, read_template(builtin_path("halfjaar")), parse_label("2024-H1"), as_of=None
    )
    parts = {section.section.name: section for section in report.sections}
    # 13 persons over 13,000 inhabitants of 18 and over: 10,0 per 10,000, in 2024 on 2023's population
    last = texts(parts["uitkeringen"].table.rows)[-1]
    assert last == ["2024-06-30", "13", "13", "10,0"]
    assert "Per 10.000 inwoners: voor 2024 de bevolking van 2023" in parts["uitkeringen"].note
    assert "18 jaar en ouder" in parts["uitkeringen"].note
    assert texts(parts["reintegratie"].table.rows)[-1] == ["2024-06-30", "8", "8,0"]
    assert "Per 10.000 inwoners: voor 2024 de bevolking van 2023" in parts["reintegratie"].note
    # every inflow without a reason: one sentence, no table
    assert parts["bijstand_instroomredenen"].note.startswith("Geen redenen van instroom")
    assert not parts["bijstand_instroomredenen"].has_table
