"""Report-wide protection: sums within a row, across tables and with key figures never give a hidden count
away; rounding keeps small counts hidden; the printed edition hash does not depend on hidden values."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sdmonitor.domain.periods import Grain, parse_label
from sdmonitor.loading import LoadOptions, load_allocations
from sdmonitor.reports.build import ReportModel, build_report
from sdmonitor.reports.editions import figures_hash
from sdmonitor.reports.suppression import DEFAULT_POLICY, Policy
from sdmonitor.reports.template import Kpi, Section, Template
from sdmonitor.warehouse import Warehouse
from tests.builders import allocation, write_csv

BIRTHS = {"ouderen": "1940-01-01", "volwassenen": "1980-01-01", "jeugd": "2008-01-01"}


def load(warehouse: Warehouse, tmp_path: Path, groups: dict[str, int], **other: str) -> None:
    rows = [
        allocation(f"{group}{i}", client=f"{group}{i}", birth=BIRTHS[group], start="2018-01-10", **other)
        for group, n in groups.items()
        for i in range(n)
    ]
    load_allocations(warehouse, write_csv(tmp_path / "t.csv", rows), LoadOptions(), now=datetime(2024, 1, 1))


def build(warehouse: Warehouse, *sections: Section, summary: tuple[Kpi, ...] = (), policy: Policy = DEFAULT_POLICY) -> ReportModel:  # fmt: skip
    template = Template("t", "Test", Grain.HALF, 1, 5.0, sections, summary=summary)
    return build_report(warehouse, template, parse_label("2018-H1"), as_of=None, policy=policy)


def texts(report: ReportModel, section: int) -> list[list[str]]:
    return [[cell.text for cell in row] for row in report.sections[section].table.rows]


def test_a_figure_split_by_target_group_protects_its_parts_in_another_table(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load(warehouse, tmp_path, {"ouderen": 10, "volwassenen": 8, "jeugd": 2})
    report = build(
        warehouse,
        Section("wet", "Per wet", "clients", by=("law",), periods="report"),
        Section("doelgroep", "Per doelgroep", "clients", by=("target_group", "law"), periods="report"),
        summary=(
            Kpi(
                "v",
                "Volwassenen Wmo",
                metric="clients",
                filter=(("law", "WMO"), ("target_group", "volwassenen")),
            ),
        ),
    )
    # Wmo 20 is shown in the first table: jeugd 2 is small, and volwassenen 8 (the smallest shown part) is
    # hidden with it, or 20 - 10 - 8 would give the 2 away
    assert texts(report, 0) == [["2018-H1", "Wmo", "20"]]
    assert texts(report, 1) == [
        ["2018-H1", "jeugd", "Wmo", "< 5"],
        ["2018-H1", "ouderen", "Wmo", "10"],
        ["2018-H1", "volwassenen", "Wmo", "x"],
    ]
    # the same figure as a key figure is hidden too
    assert report.summary[0].value_text == "x" and report.summary[0].value is None


def test_the_sexes_add_up_to_the_clients_so_a_lone_small_one_takes_another(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    rows = [allocation(f"m{i}", client=f"M{i}", gender="1", start="2018-01-10") for i in range(10)]
    rows += [allocation(f"v{i}", client=f"V{i}", gender="2", start="2018-01-10") for i in range(7)]
    rows += [allocation(f"o{i}", client=f"O{i}", gender="0", start="2018-01-10") for i in range(3)]
    load_allocations(warehouse, write_csv(tmp_path / "t.csv", rows), LoadOptions(), now=datetime(2024, 1, 1))
    report = build(warehouse, Section("profiel", "Profiel", "profile", periods="report"))
    table = report.sections[0].table
    shown = dict(zip(table.columns, (cell.text for cell in table.rows[0]), strict=True))
    assert (shown["clients"], shown["men"], shown["women"], shown["sex_unknown"]) == ("20", "10", "x", "< 5")
    # the mean age is computed from all 20 clients: it does not hide with the sexes
    assert shown["mean_age"] not in ("x", "< 5", "")


def test_counts_rounded_to_fives_still_hide_small_ones_and_rates_follow_the_rounded_counts(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load(warehouse, tmp_path, {"ouderen": 12, "jeugd": 3})
    report = build(
        warehouse, Section("doelgroep", "Per doelgroep", "clients", by=("target_group",), periods="report"),
        policy=Policy(round_to_5=True),
    )  # fmt: skip
    assert texts(report, 0) == [["2018-H1", "jeugd", "< 5"], ["2018-H1", "ouderen", "10"]]


def test_stacking_rows_are_named_by_their_number_of_forms(warehouse: Warehouse, tmp_path: Path) -> None:
    rows = [allocation(f"a{i}", client=f"C{i}", start="2018-01-10") for i in range(12)]
    rows += [allocation(f"b{i}", client=f"C{i}", category="01", start="2018-01-10") for i in range(2)]
    load_allocations(warehouse, write_csv(tmp_path / "t.csv", rows), LoadOptions(), now=datetime(2024, 1, 1))
    report = build(warehouse, Section("stapeling", "Stapeling", "stacking", periods="report"))
    rows_shown = texts(report, 0)
    assert ["1", "10"] in [row[1:] for row in rows_shown]  # ten clients with one form stay visible
    assert any(row[2] == "< 5" for row in rows_shown)


def test_the_edition_hash_does_not_depend_on_hidden_values() -> None:
    shown = {"a": {"label": "A", "v": 12, "t": "12"}}
    hidden_three = {**shown, "b": {"label": "B", "v": 3, "t": "< 5"}}
    hidden_two = {**shown, "b": {"label": "B", "v": 2, "t": "< 5"}}
    assert figures_hash(hidden_three) == figures_hash(hidden_two)
    assert figures_hash(shown) != figures_hash({"a": {"label": "A", "v": 13, "t": "13"}})
    assert figures_hash(shown, "drempel=5") != figures_hash(shown, "drempel=10")


def test_a_report_hides_allocations_and_client_months_with_few_clients_behind_them() -> None:
    from sdmonitor.reports.protect import Ledger

    ledger = Ledger()
    for key, value in {"law=WMO|2024#util_clients": 3, "law=WMO|2024#util_allocations": 9,
                       "law=JW|2024#paid_clients": 2, "law=JW|2024#client_months": 12,
                       "law=WMO|2024#paid_clients": 8, "law=WMO|2024#client_months": 30}.items():  # fmt: skip
        ledger.add(key, value)
    hidden = ledger.hide(Policy(threshold=5)).hidden
    assert hidden == {"law=WMO|2024#util_clients", "law=WMO|2024#util_allocations", "law=JW|2024#paid_clients",
                      "law=JW|2024#client_months"}  # fmt: skip
