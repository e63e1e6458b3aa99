"""The council PDF's layout (issue 9.5): no broken words or codes, nothing past the margin, one outline entry
per chapter, no page with only an empty text block. Checked on the rendered PDF with poppler's pdftotext.

The widest tables the built-in half-year report makes (seven half-years of costs in millions per law and
product category, long provider names, long file names in the sources) never reach past the right margin:
render_pdf squeezes a too-wide table, or puts its section on a landscape page."""

from __future__ import annotations

import re
import subprocess
from datetime import date, datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest

from sdmonitor.loading import LoadOptions, load_allocations
from sdmonitor.reference import PROVIDERS, load_reference
from sdmonitor.reports.run import make_report
from sdmonitor.reports.template import builtin_path, read_template
from tests.builders import allocation, write_csv
from tests.money_builders import declaration, load_declarations_rows

RIGHT_MARGIN = 1.8 / 2.54 * 72  # report.css: @page margin 2cm 1.8cm
NAMES = ["Stichting Jeugdhulpverlening en Maatschappelijke Opvang Zuid-Holland Noord", "Zorg-en-welzijnscoöperatie",
         "Thuiszorg De Overkant", "Gezinshuis Het Duin", "Psychologenpraktijk De Vuurtoren"]  # fmt: skip


def _make_pdf(tmp: Path, *, costs: bool) -> Path:
    from sdmonitor.warehouse import open_warehouse

    providers = tmp / "aanbieders.csv"
    providers.write_text(
        "provider_code,provider_name,provider_type\n"
        + "".join(f"9900{i:04d},{NAMES[i % len(NAMES)]} {i},jeugdhulp_verblijf\n" for i in range(24)),
        encoding="utf-8",
    )
    rows = [
        allocation(f"a{i}", client=f"C{i % 700}", law="JW" if i % 3 == 0 else "WMO",
                   category=("45" if i % 3 == 0 else "02"), birth=f"{1940 + i % 75}-03-15",
                   start=f"{2015 + i % 4}-{1 + i % 12:02d}-10", end=None if i % 4 else "2018-10-31",
                   provider_code=f"9900{i % 24:04d}")
        for i in range(1400)
    ]  # fmt: skip
    with open_warehouse(tmp / "sdm.duckdb") as warehouse:
        load_reference(warehouse, PROVIDERS, providers, now=datetime(2019, 1, 2))
        load_allocations(warehouse, write_csv(tmp / "toewijzingen_export-2019.csv", rows), LoadOptions(),
                         now=datetime(2019, 1, 2))  # fmt: skip
        if costs:  # seven half-years of costs in millions per law and product category (long labels)
            lines = [
                declaration(declaration_id=f"R{category}-{year}-{month}-{n}", allocation_id=None,
                            client_id=f"C{(year * 12 + month) * 2 + n}",
                            law=law, product_category=category, product_code=f"{category}A01",
                            provider_code="99000001", period_start=f"{year}-{month:02d}-01",
                            period_end=f"{year}-{month:02d}-28", amount=f"{493_827.16 - month * 11:.2f}",
                            submitted_on=f"{year}-{month:02d}-28")
                for law, categories in (("JW", ("43", "44", "45", "49", "50")), ("WMO", ("01", "06", "09")))
                for category in categories
                for year in range(2015, 2019)
                for month in range(1, 13)
                for n in range(2)  # 12 clients a half-year: not hidden
            ]  # fmt: skip
            load_declarations_rows(warehouse, tmp, lines, extracted_on=date(2019, 1, 2),
                                   name="declaraties_export_zorgadministratie-2019-01-02.csv")  # fmt: skip
        files = make_report(warehouse, read_template(builtin_path("halfjaar")), "2018-H2", tmp / "out",
                            now=datetime(2019, 1, 3))  # fmt: skip
    return files.pdf


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _make_pdf(tmp_path_factory.mktemp("pdf"), costs=False)


@pytest.fixture(scope="module")
def wide_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _make_pdf(tmp_path_factory.mktemp("wide"), costs=True)


def _past_the_margin(pdf: Path) -> list[tuple[int, str, float]]:
    """(page, word, right edge) of each word past the right margin, on portrait and landscape pages."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True)
    root = ElementTree.fromstring(
        re.sub(r"<!DOCTYPE[^>]*>", "", html.stdout).replace(' xmlns="http://www.w3.org/1999/xhtml"', "")
    )
    return [
        (number, word.text or "", float(word.get("xMax", 0)))
        for number, page in enumerate(root.iter("page"), start=1)
        for word in page.iter("word")
        if float(word.get("xMax", 0)) > float(page.get("width", 0)) - RIGHT_MARGIN + 1
    ]


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    return text.stdout.split("\f")


def test_no_code_or_word_is_broken_across_lines(pdf: Path) -> None:
    text = "\n".join(_pages(pdf))
    assert re.findall(r"\b\d{4}-\s*\n", text) == []  # '2018-' / 'H2'
    assert re.findall(r"\(\d{1,7}\s*\n", text) == []  # an AGB code '(9900' / '0012)'
    # words with a hyphen and file names stay whole ('in- en uitstroom' may wrap: that is a space)
    for whole in ("toewijzingen_export-2019.csv", "Zorg-en-welzijnscoöperatie", "Zuid-Holland"):
        assert whole in text, whole


def test_nothing_is_past_the_right_margin(pdf: Path) -> None:
    assert _past_the_margin(pdf) == []


def test_the_widest_tables_of_the_half_year_report_stay_inside_the_right_margin(wide_pdf: Path) -> None:
    assert _past_the_margin(wide_pdf) == []
    text = "\n".join(_pages(wide_pdf))  # and the wide cost table is all there: millions, 7 half-years, 8 rows
    assert "Kosten per wet en productgroep" in text
    assert len(re.findall(r"\b5\.9\d\d\.\d{3},\d\d\b", text)) >= 7 * 8


def test_the_outline_has_each_chapter_once_and_no_page_holds_only_an_empty_text_block(pdf: Path) -> None:
    import weasyprint

    html = pdf.with_suffix(".html").read_text(encoding="utf-8")
    titles: list[str] = []

    def walk(marks: list[tuple[str, object, list[Any], str]]) -> None:
        for label, _, children, _ in marks:  # (label, target, children, state)
            titles.append(label)
            walk(children)

    walk(weasyprint.HTML(string=html).render().make_bookmark_tree())
    assert "Wat kunnen wij hieruit concluderen?" not in titles
    assert len(titles) == len(set(titles)) and "Samenvatting: kerncijfers" not in titles[1:]
    pages = [page for page in _pages(pdf) if page.strip()]  # pdftotext ends with a form feed
    for number, page in enumerate(pages, start=1):
        body = [
            line.strip()
            for line in page.split("\n")
            if line.strip() and not line.strip().startswith("pagina ")
        ]
        assert body != ["Wat kunnen wij hieruit concluderen?", "Nog geen toelichting."], number
