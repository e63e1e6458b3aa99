"""Rates in the report with the Participatiewet: per 1,000 by law divides PW by the inhabitants aged 18 and over
and the footnote says so; a section per 1,000 on a Participatiewet metric is refused when the template is read."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from sdmonitor.domain.periods import Grain, parse_label
from sdmonitor.errors import InputError
from sdmonitor.loading import LoadOptions, load_allocations
from sdmonitor.reference import POPULATION, load_reference
from sdmonitor.reports.build import build_report
from sdmonitor.reports.template import Section, Template, read_template
from sdmonitor.warehouse import Warehouse
from tests.benefit_builders import benefit, load_benefits_rows
from tests.builders import allocation, write_csv


def test_participatiewet_per_1000_uses_inhabitants_aged_18_and_over_and_the_footnote_says_so(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    rows = [allocation(f"w{i}", client=f"W{i}", birth="1940-01-01", start="2018-01-10") for i in range(30)]
    rows += [allocation(f"j{i}", client=f"J{i}", law="JW", category="45", birth="2010-01-01", start="2018-01-10")
             for i in range(10)]  # fmt: skip
    load_allocations(warehouse, write_csv(tmp_path / "t.csv", rows), LoadOptions(), now=datetime(2019, 1, 1))
    benefits = [benefit(benefit_id=f"U{i}", client_id=f"P{i}", start_date="2018-01-01") for i in range(16)]
    load_benefits_rows(warehouse, tmp_path, benefits, extracted_on=date(2018, 12, 31))
    population = tmp_path / "bevolking.csv"
    population.write_text(
        "gemeentecode;jaar;leeftijd;geslacht;aantal\n0599;2018;8;1;1000\n0599;2018;8;2;1000\n0599;2018;78;2;8000\n",
        encoding="utf-8",
    )
    load_reference(warehouse, POPULATION, population, now=datetime(2019, 1, 1))
    template = Template("t", "T", Grain.HALF, 1, 5.0, (
        Section("vormen", "Per 1.000 inwoners", "clients", by=("law",), periods="report", per_1000=True),
    ))  # fmt: skip
    section = build_report(warehouse, template, parse_label("2018-H1"), as_of=None).sections[0]
    per_1000 = {row[1].text: row[-1].text for row in section.shown.rows}
    # PW 16 of 8,000 aged 18 and over (not of all 10,000: 1,6); JW 10 of 2,000 aged 0-17; Wmo 30 of 10,000
    assert per_1000 == {"Jeugdwet": "5,0", "Participatiewet": "2,0", "Wmo": "3,0"}
    assert "voor de Participatiewet de inwoners van 18 jaar en ouder" in section.note
    assert "voor de Jeugdwet de inwoners van 0 tot en met 17 jaar" in section.note


@pytest.mark.parametrize("metric", ["benefits", "benefit_flows", "reintegration"])
def test_a_section_per_1000_on_a_participatiewet_metric_is_refused_when_the_template_is_read(
    tmp_path: Path, metric: str
) -> None:
    path = tmp_path / "mijn.yaml"
    path.write_text(f"sections:\n  - {{name: a, metric: {metric}, per_1000: true}}\n", encoding="utf-8")
    with pytest.raises(InputError, match=f"per_1000 hoort niet bij '{metric}': de Participatiewet telt"):
        read_template(path)


def test_the_builtin_per_1000_section_counts_clients_across_the_laws() -> None:
    from sdmonitor.reports.template import builtin_path

    sections = [s for s in read_template(builtin_path("halfjaar")).sections if s.per_1000]
    assert sections and all(s.metric == "clients" and "law" in s.by for s in sections)
