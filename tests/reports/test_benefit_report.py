"""The half-year report's Participatiewet parts (issue 14) on a real warehouse: figure 3 of Lansingerland
(unique clients per target group and law, with each group's own total), benefits on the reference dates,
inflow and outflow per half-year with the footnote, and what the report says without benefits."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sdmonitor.domain.periods import Grain, parse_label
from sdmonitor.reports.build import SUBTOTAL_TEXT, build_report
from sdmonitor.reports.template import Section, Template
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
