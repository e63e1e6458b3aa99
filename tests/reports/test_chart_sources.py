"""The charts of a report name where their figures come from (the income system for the Participatiewet, not
the registration of Wmo and Jeugdwet allocations), and a chart of benefits draws benefits and persons."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sdmonitor.domain.periods import parse_label
from sdmonitor.domain.wording import SOURCE_NAMES
from sdmonitor.reports.build import build_report, chart_source
from sdmonitor.reports.template import builtin_path, read_template
from sdmonitor.warehouse import Warehouse
from tests.access_builders import load_allocations_rows
from tests.benefit_builders import benefit, load_benefits_rows
from tests.builders import allocation

ALLOCATIONS, BENEFITS = SOURCE_NAMES["allocations"], SOURCE_NAMES["benefits"]


def test_a_chart_source_names_what_the_metric_reads() -> None:
    assert BENEFITS == "inkomensadministratie (Participatiewet, IOAW, IOAZ, Bbz)"
    assert chart_source("benefits", True) == BENEFITS
    assert chart_source("benefit_flows", True) == BENEFITS
    assert chart_source("flows", True) == ALLOCATIONS  # allocations only: no persons on benefits
    assert chart_source("clients", False) == ALLOCATIONS
    assert chart_source("clients", True) == f"{ALLOCATIONS} en {BENEFITS}"  # figure 3: the three laws
    assert chart_source("decision_time", True) == SOURCE_NAMES["requests"]
    assert chart_source("costs", True) == SOURCE_NAMES["declarations"]


def test_the_benefits_charts_draw_benefits_and_persons_and_inflow_and_outflow_from_the_income_system(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    rows = [allocation(f"A{i}", client=f"C{i}", start="2024-01-15") for i in range(12)]
    load_allocations_rows(warehouse, tmp_path, rows, extracted_on=date(2024, 7, 10))
    singles = [benefit(benefit_id=f"U{i}", client_id=f"B{i}", start_date="2024-02-01") for i in range(7)]
    couples = [
        benefit(benefit_id=f"K{i}", client_id=f"P{i}", partner_id=f"Q{i}", partner_birth_date="1981-01-01",
                partner_gender="1", household_type="3", start_date="2024-03-01")
        for i in range(6)
    ]  # fmt: skip
    load_benefits_rows(warehouse, tmp_path, singles + couples, extracted_on=date(2024, 7, 10))
    report = build_report(
        warehouse, read_template(builtin_path("halfjaar")), parse_label("2024-H1"), as_of=None
    )
    parts = {s.section.name: s for s in report.sections}
    stock, flows, clients = (
        parts["uitkeringen"].chart,
        parts["bijstand_stromen"].chart,
        parts["clienten"].chart,
    )
    assert stock is not None and flows is not None and clients is not None
    assert stock["title"]["subtitle"][0] == f"Bron: {BENEFITS}"
    assert flows["title"]["subtitle"][0] == f"Bron: {BENEFITS}"
    assert clients["title"]["subtitle"][0] == f"Bron: {ALLOCATIONS} en {BENEFITS}"
    last = {p["series"]: p["value"] for p in stock["data"]["values"] if p["x"] == "2024-06-30"}
    assert last == {"Uitkeringen": 13.0, "Personen": 19.0}
    assert {p["series"] for p in flows["data"]["values"]} == {"Instroom", "Uitstroom"}
    assert stock["encoding"]["y"]["title"] == flows["encoding"]["y"]["title"] == "Aantal"
    assert stock["config"]["legend"]["labelLimit"] >= 300  # a long series name is not cut off
