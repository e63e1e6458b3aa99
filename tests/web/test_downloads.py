"""Downloads an analyst can calculate with (issue 9.6): every CSV and XLSX link of the figure pages is
fetched over HTTP as a viewer and as an analyst and opened; numbers are numeric cells with a number format,
percentages are fractions, hidden cells are only '< 5' or 'x'."""

from __future__ import annotations

import csv
import html
import io
import math
import re
from datetime import datetime

import httpx
from openpyxl import load_workbook

from tests.web.conftest import Server
from tests.web.test_server import logged_in

PAGES = ["/", "/clienten?uitsplitsen=wet", "/aanbieders", "/profiel"]
HIDDEN = {"< 5", "x"}
# whole, decimal and percent, and the fixed formats of a measure's declared decimals (days 1, months and amounts 2)
FORMATS = {"#,##0", "#,##0.0#", "0.0%", "#,##0.0", "#,##0.00"}


def _links(client: httpx.Client, page: str, fmt: str) -> list[str]:
    text = client.get(page).text
    return sorted({html.unescape(m) for m in re.findall(rf'href="(/download/[^"]+\.{fmt}[^"]*)"', text)})


def _is_number_text(text: str) -> bool:
    return re.fullmatch(r"-?[0-9]+(\.[0-9]+)?(e-?[0-9]+)?", text) is not None


def test_xlsx_downloads_hold_numbers_as_numeric_cells_and_hidden_cells_only_as_their_marks(
    server: Server,
) -> None:
    for name in ("kees", "anna"):
        with logged_in(server, name) as client:
            links = [link for page in PAGES for link in _links(client, page, "xlsx")]
            assert len(links) >= 6
            for link in links:
                answer = client.get(link)
                assert answer.status_code == 200, link
                sheet = load_workbook(io.BytesIO(answer.content)).worksheets[0]
                rows = list(sheet.iter_rows())
                headers = [c.value for c in rows[0]]
                numeric = {i for i, _ in enumerate(headers) if any(r[i].data_type == "n" and r[i].value is not None
                                                                   for r in rows[1:])}  # fmt: skip
                for row in rows[1:]:
                    for i in numeric:
                        cell = row[i]
                        if cell.value is None:
                            continue
                        if cell.data_type == "n":
                            assert cell.number_format in FORMATS, (link, headers[i], cell.number_format)
                            if cell.number_format == "0.0%":
                                assert -100 <= cell.value <= 100, (link, headers[i], cell.value)  # a fraction
                        elif i == 0:  # a label column of numbers (number of forms): its total row
                            assert cell.value == "Totaal", (link, headers[i], cell.value)
                        else:  # text in a column of numbers: only the marks of hidden cells
                            assert cell.value in HIDDEN, (link, headers[i], cell.value)
                            assert name == "kees", "an analyst sees every number"


def test_csv_downloads_hold_the_same_numbers_as_plain_decimals_without_apostrophes(server: Server) -> None:
    with logged_in(server, "kees") as client:
        links = [link for page in PAGES for link in _links(client, page, "csv")]
        assert len(links) >= 6
        for link in links:
            text = client.get(link).content.decode("utf-8-sig")
            rows = list(csv.reader(io.StringIO(text)))
            workbook = client.get(link.replace(".csv", ".xlsx", 1)).content
            cells = list(load_workbook(io.BytesIO(workbook)).worksheets[0].iter_rows(values_only=True))
            assert len(rows) == len(cells) and rows[0] == list(cells[0]), link
            for row, expected in zip(rows[1:], cells[1:], strict=True):
                for field, value in zip(row, expected, strict=True):
                    assert not field.startswith("'"), (link, field)
                    if isinstance(value, int | float):  # a plain decimal with a point: Python reads it back
                        assert _is_number_text(field) and math.isclose(float(field), value, rel_tol=1e-12), (
                            link,
                            field,
                        )
                    else:
                        assert field == ("" if value is None else str(value)), (link, field, value)


def test_an_analysts_drilldown_download_has_ages_as_numbers_and_dates_as_dates(server: Server) -> None:
    with logged_in(server, "anna") as client:
        clients_page = client.get("/clienten?periode=jaar").text
        details = re.search(r'href="(/details\?[^"]+)"', clients_page)
        assert details is not None
        page = client.get(html.unescape(details.group(1))).text
        link = next(iter(_links_from(page, "xlsx")))
        sheet = load_workbook(io.BytesIO(client.get(link).content)).worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
    headers = list(rows[0])
    age, start = headers.index("Leeftijd"), headers.index("Ingangsdatum")
    assert all(isinstance(row[age], int) for row in rows[1:])
    assert all(isinstance(row[start], datetime) for row in rows[1:])


def _links_from(text: str, fmt: str) -> list[str]:
    return [html.unescape(m) for m in re.findall(rf'href="(/download/[^"]+\.{fmt}[^"]*)"', text)]
