"""The half-year report's Participatiewet parts (issue 14) on a real warehouse: figure 3 of Lansingerland
(unique clients per target group and law, with each group's own total), benefits on the reference dates,
inflow and outflow per half-year with the footnote, and what the report says without benefits."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from sdmonitor.domain.periods import Grain, parse_label
from sdmonitor.errors import InputError
from sdmonitor.reports.benefits import NO_BENEFIT_DATA
from sdmonitor.reports.build import SUBTOTAL_TEXT, SectionModel, build_report
from sdmonitor.reports.render_html import render_html
from sdmonitor.reports.run import make_report
from sdmonitor.reports.suppression import Policy
from sdmonitor.reports.template import Section, Template, builtin_path, read_template
from sdmonitor.warehouse import Warehouse
from tests.access_builders import load_allocations_rows
from tests.benefit_builders import benefit, load_benefits_rows
from tests.builders import allocation

MOMENT = date(2019, 1, 10)
KID, ADULT, OLD = "2010-05-01", "1980-05-01", "1940-05-01"


def figure_3() -> Template:
    return Template("t", "Test", Grain.HALF, 2, 5.0, (
        Section("clienten", "Unieke cliënten per wet en doelgroep", "clients", by=("target_group", "law"),
                layout="columns", subtotals=True),
    ))  # fmt: skip


def texts(rows: tuple[tuple[object, ...], ...]) -> list[list[str]]:
    return [[cell.text for cell in row] for row in rows]  # type: ignore[attr-defined]


def test_figure_3_gives_each_target_group_its_unique_clients_over_the_laws(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    rows = [allocation(f"j{i}", client=f"K{i}", law="JW", category="45", birth=KID, start="2018-01-10")
            for i in range(8)]  # fmt: skip
    # six of those children and two others also have Wmo support: 8 + 8 rows, but 10 children
    rows += [
        allocation(f"w{i}", client=f"K{i}", birth=KID, start="2018-01-10")
        for i in range(10)
        if i not in (6, 7)
    ]
    rows += [allocation(f"a{i}", client=f"A{i}", birth=ADULT, start="2018-07-10") for i in range(6)]
    rows += [allocation(f"o{i}", client=f"O{i}", birth=OLD, start="2017-03-01") for i in range(7)]
    load_allocations_rows(warehouse, tmp_path, rows, extracted_on=MOMENT)
    (section,) = build_report(warehouse, figure_3(), parse_label("2018-H2"), as_of=None).sections
    shown = section.shown
    assert shown.headers[:4] == ("Doelgroep", "Wet", "2018-H1", "2018-H2")
    # young to old, as Lansingerland orders them; each group closes with its own total
    assert texts(shown.rows) == [
        ["jeugd", "Jeugdwet", "8", "8"],
        ["jeugd", "Wmo", "8", "8"],
        ["jeugd", SUBTOTAL_TEXT, "10", "10"],
        ["volwassenen", "Wmo", "0", "6"],
        ["volwassenen", SUBTOTAL_TEXT, "0", "6"],
        ["ouderen", "Wmo", "7", "7"],
        ["ouderen", SUBTOTAL_TEXT, "7", "7"],
    ]
    assert shown.subtotal_rows == (2, 4, 6)


def test_figure_3_hides_a_small_law_and_a_small_group_total_alike(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    rows = [allocation(f"j{i}", client=f"K{i}", law="JW", category="45", birth=KID, start="2018-07-10")
            for i in range(3)]  # fmt: skip
    rows += [allocation(f"o{i}", client=f"O{i}", birth=OLD, start="2018-07-10") for i in range(9)]
    load_allocations_rows(warehouse, tmp_path, rows, extracted_on=MOMENT)
    report = build_report(warehouse, figure_3(), parse_label("2018-H2"), as_of=None)
    assert texts(report.sections[0].shown.rows) == [
        ["jeugd", "Jeugdwet", "< 5"],
        ["jeugd", SUBTOTAL_TEXT, "< 5"],
        ["ouderen", "Wmo", "9"],
        ["ouderen", SUBTOTAL_TEXT, "9"],
    ]
    # the group total is a figure of its own, reachable by text references and hidden there too
    assert report.figures["clients.jeugd.2018-H2"] == 3
    assert report.shown["clients.jeugd.2018-H2"] == "< 5"


def test_figure_3_counts_persons_on_benefits_as_participatiewet_clients_once_beside_their_wmo(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    wmo = [allocation(f"w{i}", client=f"A{i}", birth=ADULT, start="2024-01-01") for i in range(6)]
    load_allocations_rows(warehouse, tmp_path, wmo, extracted_on=date(2024, 7, 10))
    # three of the Wmo clients on a benefit of their own, and two couples: 7 persons on 5 benefits
    singles = [benefit(benefit_id=f"U{i}", client_id=f"A{i}", birth_date=ADULT) for i in range(3)]
    couples = [benefit(benefit_id=f"V{i}", client_id=f"P{i}", partner_id=f"Q{i}", partner_birth_date=ADULT,
                       household_type="3") for i in range(2)]  # fmt: skip
    load_benefits_rows(warehouse, tmp_path, singles + couples, extracted_on=date(2024, 7, 10))
    template = Template("t", "Test", Grain.HALF, 1, 5.0, (
        Section("clienten", "Unieke cliënten", "clients", by=("target_group", "law"), layout="columns",
                subtotals=True),
    ))  # fmt: skip
    (section,) = build_report(warehouse, template, parse_label("2024-H1"), as_of=None).sections
    assert texts(section.shown.rows) == [
        ["volwassenen", "Participatiewet", "7"],
        ["volwassenen", "Wmo", "6"],
        ["volwassenen", SUBTOTAL_TEXT, "10"],  # 7 + 6, less the 3 with both
    ]


# --- benefits (figures 10 and 11) ----------------------------------------------------------------------------

EXPORT = date(2024, 7, 10)


def bijstand() -> list[dict[str, str | None]]:
    """Six singles since March 2023, three couples (two persons, one benefit) since September 2023, two singles
    who left for work on 31 March 2024 and three who came in on 1 February 2024."""
    rows = [benefit(benefit_id=f"S{i}", client_id=f"S{i}", start_date="2023-03-01") for i in range(6)]
    rows += [
        benefit(benefit_id=f"P{i}", client_id=f"P{i}", partner_id=f"Q{i}", partner_birth_date="1982-05-01",
                household_type="3", start_date="2023-09-01")
        for i in range(3)
    ]  # fmt: skip
    rows += [benefit(benefit_id=f"E{i}", client_id=f"E{i}", start_date="2023-01-01", end_date="2024-03-31",
                     outflow_reason="11") for i in range(2)]  # fmt: skip
    rows += [benefit(benefit_id=f"N{i}", client_id=f"N{i}", start_date="2024-02-01") for i in range(3)]
    return rows


def benefit_template() -> Template:
    note = "Bij gezinsuitkeringen vallen meerdere personen onder één uitkering."
    return Template("t", "Test", Grain.HALF, 2, 5.0, (
        Section("uitkeringen", "Bijstandsuitkeringen op de peildatum", "benefits", dates="end", note=note),
        Section("stromen", "In- en uitstroom bijstand", "benefit_flows"),
    ))  # fmt: skip


def test_benefits_on_the_last_day_of_each_half_year_beside_the_persons_on_them(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load_benefits_rows(warehouse, tmp_path, bijstand(), extracted_on=EXPORT)
    uitkeringen, stromen = build_report(
        warehouse, benefit_template(), parse_label("2024-H1"), as_of=None
    ).sections
    # 31-12-2023: 6 singles, 3 couples and the 2 who left later: 11 benefits, 14 persons;
    # 30-06-2024: the 2 left, 3 came in: 12 benefits, 15 persons
    assert texts(uitkeringen.table.rows) == [["2023-12-31", "11", "14"], ["2024-06-30", "12", "15"]]
    assert uitkeringen.table.headers == ("Peildatum", "Uitkeringen", "Personen")
    assert "Bij gezinsuitkeringen" in uitkeringen.note and "laatste dag" in uitkeringen.note
    # in persons: the 6 partners and applicants of September 2023 came in; in 2024-H1 3 in and 2 out (< 5)
    h1 = [row for row in stromen.table.rows if row[0].value == "2024-H1"]
    assert [cell.text for cell in h1[0][1:4]] == ["< 5", "< 5", "x"]


def test_a_viewer_edition_rounds_benefits_to_fives_and_still_hides_small_flows(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load_benefits_rows(warehouse, tmp_path, bijstand(), extracted_on=EXPORT)
    report = build_report(
        warehouse, benefit_template(), parse_label("2024-H1"), as_of=None, policy=Policy(round_to_5=True)
    )
    uitkeringen, stromen = report.sections
    assert texts(uitkeringen.table.rows) == [["2023-12-31", "10", "15"], ["2024-06-30", "10", "15"]]
    h1 = [row for row in stromen.table.rows if row[0].value == "2024-H1"]
    assert all(cell.hidden for cell in h1[0][1:4])


def test_without_benefits_the_benefit_sections_say_so_in_one_sentence_and_show_no_table(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load_allocations_rows(warehouse, tmp_path, [allocation(f"w{i}", client=f"W{i}") for i in range(6)],
                          extracted_on=EXPORT)  # fmt: skip
    report = build_report(warehouse, benefit_template(), parse_label("2024-H1"), as_of=None)
    for section in report.sections:
        assert section.note == NO_BENEFIT_DATA and not section.has_table
    html, _ = render_html(report, {}, today=EXPORT)
    assert NO_BENEFIT_DATA in html and "<caption>" not in html


def test_the_half_year_report_with_benefits_writes_them_to_pdf_html_and_xlsx_as_a_stored_edition(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    adults = [allocation(f"w{i}", client=f"S{i}", birth="1980-01-01", start="2023-01-01") for i in range(8)]
    load_allocations_rows(warehouse, tmp_path, adults, extracted_on=EXPORT)
    load_benefits_rows(warehouse, tmp_path, bijstand(), extracted_on=EXPORT)
    template = read_template(builtin_path("halfjaar"))
    files = make_report(warehouse, template, "2024-H1", tmp_path / "out", now=datetime(2024, 7, 11))
    html = files.html.read_text("utf-8")
    assert "gezinsuitkeringen" in html and "Bijstandsuitkeringen en personen op de peildatum" in html
    assert "Uitkeringen (Participatiewet)" in html  # the load in the appendix
    assert files.pdf.stat().st_size > 0
    sheets = load_workbook(files.xlsx).sheetnames
    assert any(name.startswith("Bijstandsuitkeringen") for name in sheets)
    by_name = {name: sheet for name, sheet in zip(sheets, load_workbook(files.xlsx).worksheets, strict=True)}
    benefits_sheet = by_name[next(name for name in sheets if name.startswith("Bijstandsuitkeringen"))]
    values = [[cell.value for cell in row] for row in benefits_sheet.iter_rows(min_row=3, max_row=6)]
    assert ["2023-12-31", 11, 14] in [row[:3] for row in values]
    # the built-in sections: PW in figure 3, reasons by CBS group, stapeling across the three laws
    report = files_report(warehouse)
    clients = texts(report["clienten"].shown.rows)
    # everyone with a benefit in the half-year (17 in 2024-H1, the 2 who left included), where the reference
    # date counts 15 persons: the footnote's "momentopname" against "totaaloverzicht"
    assert [row[:5] for row in clients] == [
        ["volwassenen", "Participatiewet", "8", "14", "17"],
        ["volwassenen", "Wmo", "8", "8", "8"],
        ["volwassenen", SUBTOTAL_TEXT, "10", "16", "19"],  # S0-S5 have both: counted once
    ]
    assert texts(report["bijstand_uitstroomredenen"].shown.rows)[0][:2] == ["Werk", "< 5"]
    # stapeling over the laws: S0-S5 have Wmo and a benefit (one client, two laws)
    combinations = {row[1].text: row[2].text for row in report["stapeling_wetten"].table.rows}
    # the 8 Wmo clients are shown in figure 3: 8 - 6 would give the 2 with Wmo only away, so the 6 is hidden
    # too, and then the 11 (the Participatiewet clients minus it would give the 6)
    assert combinations == {"Participatiewet": "x", "Participatiewet + Wmo": "x", "Wmo": "< 5"}
    # a second run on the same data: no figure changed
    again = make_report(warehouse, template, "2024-H1", tmp_path / "out", now=datetime(2024, 7, 12))
    assert again.edition.revision.previous_number == 1 and again.edition.revision.changes == ()


def files_report(warehouse: Warehouse) -> dict[str, SectionModel]:
    template = read_template(builtin_path("halfjaar"))
    report = build_report(warehouse, template, parse_label("2024-H1"), as_of=None)
    return {section.section.name: section for section in report.sections}


def test_the_built_in_half_year_report_without_benefits_says_so_and_keeps_figure_3_to_its_two_laws(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    adults = [allocation(f"w{i}", client=f"S{i}", birth="1980-01-01", start="2023-01-01") for i in range(8)]
    load_allocations_rows(warehouse, tmp_path, adults, extracted_on=EXPORT)
    report = build_report(
        warehouse, read_template(builtin_path("halfjaar")), parse_label("2024-H1"), as_of=None
    )
    parts = {section.section.name: section for section in report.sections}
    assert [row[1].text for row in parts["clienten"].shown.rows] == ["Wmo", SUBTOTAL_TEXT]
    for name in ("uitkeringen", "bijstand_stromen", "bijstand_herinstroom", "bijstand_duur",
                 "bijstand_duur_beeindigd", "bijstand_uitstroomredenen"):  # fmt: skip
        assert parts[name].note == NO_BENEFIT_DATA and not parts[name].has_table
    missing = {k.kpi.name: k.missing_text for k in report.summary if not k.has_data}
    assert missing["clienten_pw"] == missing["instroom_bijstand"] == NO_BENEFIT_DATA


def test_a_small_duration_class_is_not_given_away_by_the_outflow_beside_it(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    long = [benefit(benefit_id=f"L{i}", client_id=f"L{i}", start_date="2023-01-01", end_date="2024-03-31")
            for i in range(6)]  # fmt: skip
    short = [benefit(benefit_id="K0", client_id="K0", start_date="2024-01-15", end_date="2024-04-30")]
    load_benefits_rows(warehouse, tmp_path, long + short, extracted_on=EXPORT)
    template = Template("t", "Test", Grain.HALF, 1, 5.0, (
        Section("duur", "Beëindigde bijstand naar duur", "benefit_durations", periods="report"),
    ))  # fmt: skip
    (section,) = build_report(warehouse, template, parse_label("2024-H1"), as_of=None).sections
    # 7 left: 1 after less than 6 months (< 5) and 6 after 1-2 years, hidden too (7 - 1 would give it away);
    # within five years of the first start (2023-01-01) the durations are onvolledig
    assert texts(section.table.rows) == [["2024-H1 (onvolledig)", "7", "< 5", "0", "x", "0", "0", "0", "0"]]


def test_durations_within_five_years_of_the_first_benefit_are_marked_onvolledig_in_the_report(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    """docs/metrics.md, "Durations near the history start": the history starts on 2023-01-01 (E0, E1), so on
    every reference date and in every half-year of the report a duration may be too short; the running
    benefits have the dates as columns, and each date's header says so."""
    load_benefits_rows(warehouse, tmp_path, bijstand(), extracted_on=EXPORT)
    template = Template("t", "Test", Grain.HALF, 2, 5.0, (
        Section("duur", "Lopende bijstand naar duur", "benefits", by=("duration_class",), dates="end",
                layout="columns"),
        Section("beeindigd", "Beëindigde bijstand naar duur", "benefit_durations"),
        Section("uitkeringen", "Bijstandsuitkeringen op de peildatum", "benefits", dates="end"),
    ))  # fmt: skip
    duur, beeindigd, uitkeringen = build_report(
        warehouse, template, parse_label("2024-H1"), as_of=None
    ).sections
    assert duur.shown.headers[1:3] == ("2023-12-31 (onvolledig)", "2024-06-30 (onvolledig)")
    assert [row[0].text for row in duur.shown.rows] == ["0-6 maanden", "6-12 maanden", "1-2 jaar"]
    assert [row[0].text for row in beeindigd.table.rows] == ["2024-H1 (onvolledig)"]  # E0, E1 (2023-H2: none)
    assert [row[0].text for row in uitkeringen.table.rows] == ["2023-12-31", "2024-06-30"]  # counts: complete


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ("{name: a, metric: clients, by: [target_group, law], subtotals: true}", "subtotals geeft per groep"),
        ("{name: a, metric: clients, by: [law], layout: columns, subtotals: true}", "minstens twee kolommen"),
        ("{name: a, metric: flows, dates: end}", "hoort bij een cijfer op peildata"),
        ("{name: a, metric: benefits, dates: begin}", "dates 'begin' kan niet"),
        ("{name: a, metric: benefits, note: [een, lijst]}", "'note' is een zin"),
        ("{name: a, metric: clients, stack_by: law}", "stack_by 'law' kan niet"),
        ("{name: a, metric: stacking, stack_by: wet}", "stack_by 'wet' kan niet"),
    ],
)
def test_a_template_refuses_subtotals_dates_or_a_note_it_cannot_show(
    tmp_path: Path, section: str, message: str
) -> None:
    path = tmp_path / "eigen.yaml"
    path.write_text(f"name: eigen\nsections:\n  - {section}\n", encoding="utf-8")
    with pytest.raises(InputError, match=message):
        read_template(path)


def test_the_half_year_template_opens_with_figure_3_and_has_the_participatiewet_sections() -> None:
    template = read_template(builtin_path("halfjaar"))
    first = template.sections[0]
    assert (first.metric, first.by, first.layout, first.subtotals) == (
        "clients", ("target_group", "law"), "columns", True,
    )  # fmt: skip
    benefits = next(s for s in template.sections if s.name == "uitkeringen")
    assert (
        benefits.dates == "end" and "gezinsuitkeringen" in benefits.note and "momentopname" in benefits.note
    )
    names = {s.name for s in template.sections}
    assert {"bijstand_stromen", "bijstand_duur", "bijstand_uitstroomredenen", "stapeling_wetten"} <= names
