"""What a council member reads besides the figures (review 14, findings 3, 5 and 9), on the built-in half-year
report over a real warehouse with allocations, benefits and re-integration provisions: the definitions name
the values the report used (never an option or a metric's name), every table names its source, the outflow by
reason says what 'Overig' holds, and a hidden key figure keeps its period's status."""

from __future__ import annotations

import html
import re
import subprocess
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from sdmonitor.domain.benefits import OUTFLOW_REASONS, ReasonGroup
from sdmonitor.domain.periods import Grain, parse_label
from sdmonitor.domain.wording import OUTFLOW_REASON_NAMES, SOURCE_NAMES
from sdmonitor.metrics import CATALOGUE
from sdmonitor.metrics.catalogue import OPTIONS
from sdmonitor.reports.build import build_report
from sdmonitor.reports.definitions import report_definition
from sdmonitor.reports.keyfigures import key_figure
from sdmonitor.reports.run import ReportFiles, make_report
from sdmonitor.reports.suppression import Policy
from sdmonitor.reports.template import Kpi, Section, Template, builtin_path, read_template
from sdmonitor.warehouse import Warehouse, open_warehouse
from tests.access_builders import load_allocations_rows
from tests.benefit_builders import benefit, load_benefits_rows, load_reintegration_rows, provision
from tests.builders import allocation

EXPORT = date(2024, 7, 10)
ADULT = "1980-05-01"
INCOME = SOURCE_NAMES["benefits"]
REGISTRATION = SOURCE_NAMES["allocations"]


def benefits() -> list[dict[str, str | None]]:
    """Twelve singles since 2022, of whom three left in 2024-H1 for work (11), one died (04, 'Overig') and one
    left without a reason; two who left for work in 2023 and came back in 2024 (herinstroom)."""
    rows = [benefit(benefit_id=f"S{i}", client_id=f"S{i}", birth_date=ADULT, start_date="2022-03-01")
            for i in range(7)]  # fmt: skip
    ends = [("11", "W0"), ("11", "W1"), ("11", "W2"), ("04", "D0"), (None, "O0")]
    rows += [benefit(benefit_id=who, client_id=who, birth_date=ADULT, start_date="2022-03-01",
                     end_date="2024-04-30", outflow_reason=reason) for reason, who in ends]  # fmt: skip
    for i in range(2):
        rows += [
            benefit(benefit_id=f"R{i}a", client_id=f"R{i}", birth_date=ADULT, start_date="2022-03-01",
                    end_date="2023-08-31", outflow_reason="11"),
            benefit(benefit_id=f"R{i}b", client_id=f"R{i}", birth_date=ADULT, start_date="2024-02-01"),
        ]  # fmt: skip
    return rows


@pytest.fixture(scope="module")
def report_files(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReportFiles]:
    tmp = tmp_path_factory.mktemp("raad")
    with open_warehouse(tmp / "sdm.duckdb") as warehouse:
        wmo = [allocation(f"w{i}", client=f"S{i}", birth=ADULT, start="2023-01-01") for i in range(8)]
        jw = [allocation(f"j{i}", client=f"K{i}", law="JW", category="45", birth="2012-05-01",
                         start="2023-02-01") for i in range(9)]  # fmt: skip
        load_allocations_rows(warehouse, tmp, wmo + jw, extracted_on=EXPORT)
        load_benefits_rows(warehouse, tmp, benefits(), extracted_on=EXPORT)
        load_reintegration_rows(
            warehouse, tmp, [provision(provision_id=f"P{i}", client_id=f"S{i}") for i in range(6)],
            extracted_on=EXPORT,
        )  # fmt: skip
        yield make_report(warehouse, read_template(builtin_path("halfjaar")), "2024-H1", tmp / "out",
                          now=datetime(2024, 7, 11))  # fmt: skip


def words(text: str) -> str:
    """Text as a reader reads it: tags dropped, entities resolved, a word broken after a hyphen joined again,
    all whitespace one space."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return " ".join(re.sub(r"-\s*\n\s*", "-", text).split())


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def identifiers_in(text: str) -> list[str]:
    """The command-line words in a text: option flags, and the names of metrics and options."""
    names = [*CATALOGUE, *OPTIONS]
    found = [n for n in names if re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", text)]
    return found + re.findall(r"--[a-z][\w-]*", text) + re.findall(r"[{}]", text)


def test_the_definitions_name_the_values_the_report_used_and_no_option_or_metric_name(
    report_files: ReportFiles,
) -> None:
    page = report_files.html.read_text("utf-8")
    definitions = words(page.split("<h3>Definities</h3>", 1)[1].split("</dl>", 1)[0])
    text = pdf_text(report_files.pdf)
    in_pdf = words(text.split("\nDefinities\n", 1)[1].split("\nLegenda\n", 1)[0])
    for shown in (definitions, in_pdf):
        assert identifiers_in(shown) == [], shown
        assert "binnen 12 maanden na een eerdere uitstroom uit de bijstand" in shown  # benefit_reentry
        assert "Wie binnen 30 dagen na het einde van een uitkering weer een uitkering heeft" in shown
        assert "binnen 6 maanden rond hun 18e verjaardag" in shown  # transitions_18, --window-months
        assert "langer dan 7 dagen wachten" in shown  # waiting_list, --grace-days
        assert "episode" not in shown.lower() and "kenmerk" not in shown
    # every metric of the template is defined, once
    labels = re.findall(r"<dt>([^<]*)</dt><dd>", page.split("<h3>Definities</h3>", 1)[1].split("</dl>")[0])
    template = read_template(builtin_path("halfjaar"))
    assert {CATALOGUE[s.metric].label for s in template.sections if s.is_metric} <= set(labels)
    assert len(labels) == len(set(labels))


def test_the_command_line_shows_an_option_where_a_report_shows_its_value() -> None:
    reentry = CATALOGUE["benefit_reentry"]
    assert "binnen --reentry-months maanden" in reentry.definition
    assert "binnen 12 maanden" in report_definition("benefit_reentry")
    assert "binnen 6 maanden" in report_definition("benefit_reentry", {"reentry_months": 6})
    # the metric's own default (30 days for benefits), not the declared one (0 for allocations)
    assert "binnen 30 dagen" in report_definition("benefit_flows")
    assert "hoogstens 0 dagen zonder ondersteuning" in report_definition("flows")
    for metric in CATALOGUE.values():
        assert set(metric.placeholders) <= set(metric.options), metric.name
        assert not re.search(r"[{}]", metric.definition), metric.name
        assert identifiers_in(report_definition(metric.name)) == [], metric.name
    # what only the command line offers stays there: the costs in the prices of another year
    assert "--prices JAAR" in CATALOGUE["costs"].definition
    assert "--prices" not in report_definition("costs")


def sections_of(page: str) -> dict[str, str]:
    main = page.split("<main>", 1)[1].split('<section id="bijlage"', 1)[0]
    return dict(re.findall(r'<section id="([^"]+)">(.*?)</section>', main, flags=re.S))


def test_every_table_names_its_source_in_its_chart_or_under_it(report_files: ReportFiles) -> None:
    sections = sections_of(report_files.html.read_text("utf-8"))
    with_table = {name: body for name, body in sections.items() if "<table" in body}
    assert [name for name, body in with_table.items() if "Bron: " not in body] == []
    for name in (
        "bijstand_herinstroom",
        "bijstand_duur",
        "bijstand_duur_beeindigd",
        "bijstand_uitstroomredenen",
    ):
        assert "<svg" not in with_table[name]  # a table without a chart ...
        assert f'<p class="source">Bron: {html.escape(INCOME)}.</p>' in with_table[name]  # ... names it
    # the combinations over the three laws come from both systems; a Wmo table from the registration
    assert f"Bron: {html.escape(REGISTRATION)} en {html.escape(INCOME)}." in with_table["stapeling_wetten"]
    assert f'<p class="source">Bron: {html.escape(REGISTRATION)}.</p>' in with_table["indicaties"]
    # the PDF too, and the workbook under each sheet's title
    text = words(pdf_text(report_files.pdf))
    reentry = text.split("Herinstroom in de bijstand binnen een jaar", 2)[2]
    assert reentry.split("Wat kunnen wij hieruit concluderen?")[0].count(f"Bron: {INCOME}") == 1
    workbook = load_workbook(report_files.xlsx)
    sheet = next(workbook[name] for name in workbook.sheetnames if name.startswith("Herinstroom"))
    assert sheet["A2"].value == f"Bron: {INCOME}."


def test_the_outflow_by_reason_says_which_reasons_overig_holds(report_files: ReportFiles) -> None:
    section = sections_of(report_files.html.read_text("utf-8"))["bijstand_uitstroomredenen"]
    assert "<td>Overig</td>" in section  # D0 died (04)
    note = words(section.split('<p class="note">', 1)[1].split("</p>", 1)[0])
    other = [
        OUTFLOW_REASON_NAMES[code] for code, group in OUTFLOW_REASONS.items() if group is ReasonGroup.OTHER
    ]
    assert note.startswith("Overig: ")
    assert all(name.lower() in note.lower() for name in other), note
    named = [
        name for code, name in OUTFLOW_REASON_NAMES.items() if OUTFLOW_REASONS[code] is not ReasonGroup.OTHER
    ]
    assert not any(name.lower() in note.lower() for name in named), note  # work, AOW, moving: not 'Overig'


def test_a_table_of_reasons_without_overig_has_no_note_on_it(warehouse: Warehouse, tmp_path: Path) -> None:
    rows = [benefit(benefit_id=f"W{i}", client_id=f"W{i}", start_date="2023-03-01", end_date="2024-04-30",
                    outflow_reason="11") for i in range(6)]  # fmt: skip
    load_benefits_rows(warehouse, tmp_path, rows, extracted_on=EXPORT)
    template = Template("t", "Test", Grain.HALF, 1, 5.0, (
        Section("redenen", "Uitstroom naar reden", "benefit_outflow_reasons", layout="columns"),
    ))  # fmt: skip
    (section,) = build_report(warehouse, template, parse_label("2024-H1"), as_of=None).sections
    assert [row[0].text for row in section.shown.rows] == ["Werk"]
    assert "Overig" not in section.note
    assert section.source == INCOME


def test_a_hidden_key_figure_keeps_the_status_of_its_period_like_the_figures_beside_it(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    # exported on 15 June: 2024-H1 runs on after the data moment; three persons came in, a small count
    base = [benefit(benefit_id=f"S{i}", client_id=f"S{i}", start_date="2023-03-01") for i in range(6)]
    new = [benefit(benefit_id=f"N{i}", client_id=f"N{i}", start_date="2024-02-01") for i in range(3)]
    load_benefits_rows(warehouse, tmp_path, base + new, extracted_on=date(2024, 6, 15))
    template = Template("t", "Test", Grain.HALF, 3, 5.0, ())
    inflow = Kpi(
        "instroom_bijstand", "Instroom bijstand (personen)", metric="benefit_flows", measure="inflow"
    )
    clients = Kpi("clienten_pw", "Cliënten Participatiewet", metric="clients", filter=(("law", "PW"),))
    policy = Policy(threshold=5)
    small = key_figure(warehouse, template, inflow, parse_label("2024-H1"), as_of=None, policy=policy)
    large = key_figure(warehouse, template, clients, parse_label("2024-H1"), as_of=None, policy=policy)
    assert (large.value_text, large.status_text) == ("9", "t/m 15-06-2024")
    assert (small.value_text, small.status_text) == ("< 5", "t/m 15-06-2024")
