"""Real exports load: empty columns at the end, title rows above the header, declared date formats."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pyarrow as pa
import pytest
from openpyxl import Workbook

from sdmonitor.errors import InputError
from sdmonitor.ingest.columns import read_mapping_file
from sdmonitor.ingest.readers import open_source
from sdmonitor.ingest.vectorised import parse_dates
from sdmonitor.loading import LoadOptions, load_allocations
from sdmonitor.warehouse import Warehouse
from tests.conftest import KEY, NOW

NL_HEADER = "Toewijzingsnummer;Cliëntnummer;Geboortedatum;Wet;Productcategorie;Ingangsdatum;Einddatum;Omvang"


def write_mapping(path: Path, extra: str) -> Path:
    path.write_text(
        "name: eigen\n"
        'delimiter: ";"\n'
        f"{extra}"
        "columns:\n  Nummer: allocation_id\n  Klant: client_id\n  Geboren: birth_date\n  Wet: law\n"
        "  Cat: product_category\n  Van: start_date\n  Tot: end_date\n  Omvang: volume\n",
        encoding="utf-8",
    )
    return path


def test_empty_columns_at_the_end_of_every_line_are_ignored_with_a_warning(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    path = tmp_path / "zorgned.csv"
    path.write_text(
        f"{NL_HEADER};;;\nT1;C1;15-03-1950;Wmo;02;01-01-2018;;2,5;;;\nT2;C2;15-03-1950;Wmo;02;01-01-2018;;;;;\n",
        encoding="utf-8",
    )
    summary = load_allocations(warehouse, path, LoadOptions(pseudonym_key=KEY), now=NOW)
    assert (summary.read, summary.loaded, summary.rejected) == (2, 2, 0)
    assert summary.layout_warnings == (
        "3 lege kolommen aan het eind van de kopregel genegeerd (zoals Excel en Zorgned die schrijven).",
    )
    assert summary.ignored_headers == ()


def test_a_duplicate_header_is_named_with_both_positions(tmp_path: Path) -> None:
    path = tmp_path / "dubbel.csv"
    path.write_text(f"{NL_HEADER};Wet\nT1;C1;15-03-1950;Wmo;02;01-01-2018;;;Wmo\n", encoding="utf-8")
    with pytest.raises(
        InputError, match=r"de kolom 'Wet' staat meer dan eens in de kopregel \(kolom 4 en 9\)"
    ):
        open_source(path)


@pytest.mark.parametrize(
    ("declared", "written", "expected"),
    [
        ("YYYYMMDD", "20180105", dt.date(2018, 1, 5)),
        ("DD-MM-YYYY", "05-01-2018", dt.date(2018, 1, 5)),
        ("D-M-YYYY", "5-1-2018", dt.date(2018, 1, 5)),
        ("DD/MM/YYYY", "05/01/2018", dt.date(2018, 1, 5)),
        ("JJJJMMDD", "20181231", dt.date(2018, 12, 31)),
    ],
)
def test_declared_date_formats_are_parsed(declared: str, written: str, expected: dt.date) -> None:
    from sdmonitor.ingest.vectorised import date_format_name

    name = date_format_name(declared)
    assert name is not None
    parsed = parse_dates(pa.array([written, "20180231", None]), (name,))
    assert parsed.to_pylist() == [expected, None, None]


def test_only_the_declared_formats_and_iso_are_accepted() -> None:
    parsed = parse_dates(pa.array(["20180105", "2018-01-05", "05-01-2018"]), ("YYYYMMDD",))
    assert parsed.to_pylist() == [dt.date(2018, 1, 5), dt.date(2018, 1, 5), None]
    assert parse_dates(pa.array(["20180105"])).to_pylist() == [None]  # not in the default formats


def test_a_mapping_with_title_rows_date_formats_and_a_decimal_comma_loads(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    mapping = read_mapping_file(
        write_mapping(tmp_path / "eigen.yaml", "date_formats: [YYYYMMDD]\nheader_row: 3\n")
    )
    assert (mapping.decimal, mapping.date_formats, mapping.header_row) == (",", ("YYYYMMDD",), 3)
    path = tmp_path / "export.csv"
    path.write_text(
        "Toewijzingen gemeente Voorbeeld;;\n"
        "Aangemaakt op 10-07-2018\n"
        "Nummer;Klant;Geboren;Wet;Cat;Van;Tot;Omvang\n"
        "T1;C1;19500315;Wmo;02;20180105;20180630;2,5\n"
        "T2;C2;19500315;Wmo;02;05-01-2018;;1\n",
        encoding="utf-8",
    )
    summary = load_allocations(warehouse, path, LoadOptions(pseudonym_key=KEY, mapping=mapping), now=NOW)
    assert (summary.read, summary.loaded, summary.rejections) == (2, 1, {"invalid_start_date": 1})
    rows = warehouse.rows("SELECT allocation_id, start_date, end_date, volume FROM allocations")
    assert rows == [("T1", dt.date(2018, 1, 5), dt.date(2018, 6, 30), 2.5)]
    report = summary.report_path.read_text(encoding="utf-8-sig")
    assert (
        ";5;" in report.replace('"', "") and "(verwacht JJJJMMDD of JJJJ-MM-DD)" in report
    )  # row 5 of the file


def test_an_xlsx_with_title_rows_reads_its_header_row(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Toewijzingen 2018"])
    sheet.append([])
    sheet.append(["Nummer", "Klant", "Geboren", "Wet", "Cat", "Van", "Tot", "Omvang"])
    sheet.append(["T1", "C1", "19500315", "Wmo", "02", "20180105", None, 2.5])
    workbook.save(tmp_path / "export.xlsx")
    mapping = read_mapping_file(write_mapping(tmp_path / "eigen.yaml", "header_row: 3\n"))
    (batch,) = open_source(tmp_path / "export.xlsx", mapping).batches()
    assert batch.rows.to_pylist() == [4]
    assert batch.canonical.column("volume").to_pylist() == ["2,5"]


def test_typed_excel_date_cells_load_with_declared_date_formats(warehouse: Warehouse, tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Nummer", "Klant", "Geboren", "Wet", "Cat", "Van", "Tot", "Omvang"])
    sheet.append(["T1", "C1", dt.datetime(1950, 3, 15), "Wmo", "02", dt.datetime(2020, 2, 1), None, 1])
    sheet.append(
        [
            "T2",
            "C2",
            dt.date(1960, 7, 1),
            "Wmo",
            "02",
            dt.datetime(2020, 3, 1, 0, 0),
            dt.date(2020, 12, 31),
            1,
        ]
    )
    sheet.append(
        ["T3", "C3", "15-03-1950", "Wmo", "02", "01-04-2020", "31-12-2020", 1]
    )  # text in the declared format
    sheet.append(["T4", "C4", "15-03-1950", "Wmo", "02", "1-4-2020", None, 1])  # text in another format
    workbook.save(tmp_path / "export.xlsx")
    mapping = read_mapping_file(write_mapping(tmp_path / "eigen.yaml", "date_formats: [DD-MM-YYYY]\n"))
    summary = load_allocations(
        warehouse, tmp_path / "export.xlsx", LoadOptions(pseudonym_key=KEY, mapping=mapping), now=NOW
    )
    assert (summary.read, summary.loaded, summary.rejections) == (4, 3, {"invalid_start_date": 1})
    rows = warehouse.rows(
        "SELECT allocation_id, start_date, end_date FROM allocations ORDER BY allocation_id"
    )
    assert rows == [
        ("T1", dt.date(2020, 2, 1), None),
        ("T2", dt.date(2020, 3, 1), dt.date(2020, 12, 31)),
        ("T3", dt.date(2020, 4, 1), dt.date(2020, 12, 31)),
    ]
    report = summary.report_path.read_text(encoding="utf-8-sig")
    assert "Ingangsdatum '1-4-2020' is geen geldige datum (verwacht DD-MM-JJJJ of JJJJ-MM-DD)." in report


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("date_formats: [MM/DD/YYYY]\n", "datumnotatie 'MM/DD/YYYY' is onbekend"),
        ("header_row: 0\n", "'header_row' moet het rijnummer"),
        ("header_row: drie\n", "'header_row' moet het rijnummer"),
    ],
)
def test_a_wrong_mapping_setting_is_refused_in_dutch(tmp_path: Path, extra: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        read_mapping_file(write_mapping(tmp_path / "eigen.yaml", extra))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "columns:\n  Nummer: allocation_id\n   Klant: client_id\n",
            r"geen geldige YAML \(regel 3, kolom 9\)",
        ),
        (b"\xff\xfe\x00c", "geen tekst in UTF-8"),
    ],
)
def test_an_unreadable_mapping_file_is_explained_in_dutch(
    tmp_path: Path, text: str | bytes, message: str
) -> None:
    path = tmp_path / "kapot.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message) as caught:
        read_mapping_file(path)
    assert not re.search(r"[Ee]xpected|mapping values|while|codec|position", str(caught.value))
