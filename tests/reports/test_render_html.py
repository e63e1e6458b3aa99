from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

from sdmonitor.domain.periods import parse_label
from sdmonitor.loading import LoadOptions, load_allocations
from sdmonitor.reports.build import build_report
from sdmonitor.reports.render_html import Branding, period_text, render_html
from sdmonitor.reports.template import builtin_path, read_template
from sdmonitor.reports.texts import SectionHeading, blank_text_file, read_blocks
from sdmonitor.warehouse import Warehouse
from tests.builders import allocation, write_csv


def test_period_texts_are_dutch() -> None:
    assert period_text(parse_label("2018-H1")) == "eerste halfjaar 2018"
    assert period_text(parse_label("2023-Q1")) == "eerste kwartaal 2023"
    assert period_text(parse_label("2018-02")) == "februari 2018"


def test_the_html_report_is_self_contained_and_carries_figures_and_texts(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    rows = [allocation(f"w{i}", client=f"W{i}", start="2017-06-01") for i in range(1234)]
    rows += [allocation(f"j{i}", client=f"J{i}", law="JW", category="45", birth="2010-01-01", start="2018-01-10")
             for i in range(3)]  # fmt: skip
    load_allocations(warehouse, write_csv(tmp_path / "t.csv", rows), LoadOptions(), now=datetime(2024, 1, 1))
    template = read_template(builtin_path("halfjaar"))
    report = build_report(warehouse, template, parse_label("2018-H1"), as_of=None)
    sections = [SectionHeading(s.name, s.title) for s in template.sections]
    text = blank_text_file("H1", sections).replace(
        "<!-- blok: clienten -->\n## Unieke cliënten per wet en doelgroep\n\n",
        "<!-- blok: clienten -->\n## Unieke cliënten per wet en doelgroep\n\n"
        "Wmo: {{clients.WMO.2018-H1}} cliënten; Jeugdwet: {{clients.JW.2018-H1}}; <b>fout</b> {{onbekend}}.\n",
    )
    html, unknown = render_html(
        report, read_blocks(text), branding=Branding("Gemeente Voorbeeld"), today=date(2026, 11, 23)
    )
    assert unknown == ["onbekend"]
    assert "Wmo: 1.234 cliënten; Jeugdwet: &lt; 5" in html or "Wmo: 1.234 cliënten; Jeugdwet: < 5" in html
    assert "Gemeente Voorbeeld" in html and "eerste halfjaar 2018" in html and "23 november 2026" in html
    assert re.findall(r"(?:src|href)=\"(?:https?:)?//", html) == []  # no outside resources
    assert 'id="bijlage"' in html and "Minder dan 5" in html
    assert "1.234" in html
    assert "<b>fout</b>" not in html and "&lt;b&gt;fout" in html.replace("&amp;lt;", "&lt;")


def test_kpis_without_a_municipal_target_say_geen_streefwaarde_and_rates_change_in_points(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    rows = [allocation(f"w{i}", client=f"W{i}", start="2017-06-01", end="2018-02-15") for i in range(30)]
    rows += [allocation(f"v{i}", client=f"V{i}", start="2017-06-01") for i in range(30)]
    load_allocations(warehouse, write_csv(tmp_path / "t.csv", rows), LoadOptions(), now=datetime(2024, 1, 1))
    report = build_report(
        warehouse, read_template(builtin_path("kwartaal")), parse_label("2018-Q1"), as_of=None
    )
    html, _ = render_html(report, {}, today=date(2026, 11, 23))
    assert "geen streefwaarde" in html and "gehaald" not in html
    outflow = next(k for k in report.kpis if k.kpi.name == "doorstroom_wmo")
    assert outflow.change_text.endswith(" %-punt") and outflow.change_text in html


def test_key_figures_mark_an_incomplete_period_and_no_long_trend_points_before_the_data(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    rows = [allocation(f"w{i}", client=f"W{i}", start="2017-01-10") for i in range(20)]
    rows += [allocation(f"n{i}", client=f"N{i}", start="2017-09-01") for i in range(2)]
    load_allocations(warehouse, write_csv(tmp_path / "t.csv", rows), LoadOptions(), now=datetime(2019, 1, 1))
    template = read_template(builtin_path("halfjaar"))  # a history of several half-years, back to 2014
    first, _ = render_html(
        build_report(warehouse, template, parse_label("2017-H1"), as_of=None), {}, today=date(2026, 11, 23)
    )
    text = re.sub(r"<[^>]+>", "", first)
    assert "20 (onvolledig)" in text  # the inflow of the first half-year is the stock at the start
    assert "geen gegevens" in text and "Langjarig (sinds" not in text
    assert "geen langjarige trend" in text and not re.search(r"sinds 201[0-6]", text)
    second, _ = render_html(
        build_report(warehouse, template, parse_label("2017-H2"), as_of=None), {}, today=date(2026, 11, 23)
    )
    text = re.sub(r"<[^>]+>", "", second)
    assert "sinds 2017-H1" in text and not re.search(r"sinds 201[0-6]", text)
