from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from openpyxl import Workbook

from sdmonitor.errors import InputError
from sdmonitor.ingest.columns import NL_EXPORT, read_mapping_file
from sdmonitor.ingest.readers import cell_text, open_source
from tests.builders import allocation, write_csv

DUTCH_HEADERS = [
    "Toewijzingsnummer",
    "BSN",
    "Geboortedatum",
    "Wet",
    "Productcategorie",
    "Ingangsdatum",
    "Einddatum",
]


def rows_of(path: Path, **kwargs: object) -> list[dict[str, str | None]]:
    source = open_source(path, **kwargs)  # type: ignore[arg-type]
    return [row for batch in source.batches() for row in batch.canonical.to_pylist()]


def test_a_dutch_export_is_recognised_by_its_headers(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "Toewijzingsnummer;BSN;Geboortedatum;Wet;Productcategorie;Ingangsdatum;Einddatum\n"
        "T1;999990019;15-03-1950;Wmo;02;01-01-2018;\n",
        encoding="utf-8",
    )
    source = open_source(path)
    assert source.mapping.name == "nl-export"
    assert source.delimiter == ";"
    (row,) = rows_of(path)
    assert row["bsn"] == "999990019"
    assert row["end_date"] is None
    assert row["client_id"] is None


def test_a_missing_required_column_is_named_in_dutch(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "Toewijzingsnummer;BSN;Geboortedatum;Wet;Productcategorie\nT1;1;2;3;4\n", encoding="utf-8"
    )
    with pytest.raises(InputError, match=r"Kolom 'Ingangsdatum' ontbreekt in export\.csv"):
        open_source(path)


def test_a_file_without_any_client_column_is_refused(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", [allocation()], headers=["allocation_id", "birth_date", "law",
                     "product_category", "start_date"])  # fmt: skip
    with pytest.raises(InputError, match="'bsn'"):
        open_source(path)


@pytest.mark.parametrize(
    ("kind", "header", "missing"),
    [
        ("allocations", "allocation_id,law", "'client_id' of 'bsn', 'birth_date', 'product_category' en 'start_date'"),
        ("requests", "request_id", "'client_id' of 'bsn', 'law', 'kind' en 'received_on'"),
        ("benefits", "regulation", "'benefit_id', 'client_id' of 'bsn', 'birth_date' en 'start_date'"),
    ],
)  # fmt: skip
def test_missing_columns_are_named_in_plural_dutch_with_either_client_column(
    tmp_path: Path, kind: str, header: str, missing: str
) -> None:
    path = tmp_path / "leeg.csv"
    path.write_text(f"{header}\nx\n", encoding="utf-8")
    with pytest.raises(InputError) as refused:
        open_source(path, table=kind)
    assert str(refused.value).startswith(f"Kolommen {missing} ontbreken in leeg.csv")


def test_a_single_missing_client_column_is_either_one(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", [allocation()], headers=["allocation_id", "birth_date", "law",
                     "product_category", "start_date"])  # fmt: skip
    with pytest.raises(InputError, match=r"^Kolom 'client_id' of 'bsn' ontbreekt in a\.csv"):
        open_source(path)


def test_windows_1252_exports_are_read(tmp_path: Path) -> None:
    path = tmp_path / "oud.csv"
    headers = [*DUTCH_HEADERS, "Aanbieder"]
    path.write_bytes(
        (";".join(headers) + "\nT1;999990019;15-03-1950;Wmo;02;01-01-2018;;Zorg Één\n").encode("cp1252")
    )
    (row,) = rows_of(path)
    assert row["provider_name"] == "Zorg Één"


def test_a_utf8_bom_does_not_hide_the_first_header(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "bom.csv", [allocation()], encoding="utf-8-sig")
    (row,) = rows_of(path)
    assert row["allocation_id"] == "T1"


def test_rows_are_numbered_as_in_a_spreadsheet_and_malformed_lines_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text(
        "allocation_id,client_id,birth_date,law,product_category,start_date\n"
        "A,C,1950-01-01,WMO,02,2018-01-01\n"
        "B,C,1950-01-01\n"
        "D,C,1950-01-01,WMO,02,2018-01-01\n",
        encoding="utf-8",
    )
    (batch,) = list(open_source(path).batches())
    assert batch.rows.to_pylist() == [2, 4]
    assert [(m.row, m.actual_fields) for m in batch.malformed] == [(3, 3)]


def test_xlsx_cells_become_the_text_a_user_sees(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append([*DUTCH_HEADERS, "Omvang"])
    sheet.append(["T1", 999990019, dt.datetime(1950, 3, 15), "Wmo", 2, dt.datetime(2018, 1, 1), None, 2.5])
    sheet.append([None] * 8)  # an empty formatted row at the end
    path = tmp_path / "toewijzingen.xlsx"
    workbook.save(path)
    (row,) = rows_of(path)
    assert row["birth_date"] == "1950-03-15"
    assert row["product_category"] == "2"
    assert row["bsn"] == "999990019"
    assert row["volume"] == "2,5"  # written with the layout's decimal comma


def test_parquet_typed_columns_are_read_as_text(tmp_path: Path) -> None:
    path = tmp_path / "t.parquet"
    pq.write_table(
        pa.table(
            {
                "allocation_id": ["T1"],
                "client_id": ["C1"],
                "birth_date": pa.array([dt.date(1950, 3, 15)]),
                "law": ["WMO"],
                "product_category": ["02"],
                "start_date": pa.array([dt.date(2018, 1, 1)]),
                "end_date": pa.array([None], pa.date32()),
                "volume": [2.5],
                "unit": ["04"],
            }
        ),
        path,
    )
    (row,) = rows_of(path)
    assert (row["birth_date"], row["end_date"], row["volume"]) == ("1950-03-15", None, "2.5")


def test_cell_text_examples() -> None:
    assert cell_text(dt.date(2018, 1, 5), ".") == "2018-01-05"
    assert cell_text(2.0, ",") == "2"
    assert cell_text(2.5, ",") == "2,5"
    assert cell_text(None, ".") is None


def test_a_user_mapping_file_maps_own_headers(tmp_path: Path) -> None:
    mapping_file = tmp_path / "mijn.yaml"
    mapping_file.write_text(
        "name: mijn-gemeente\ndelimiter: '|'\ncolumns:\n  Nummer: allocation_id\n  Klant: client_id\n"
        "  Geb: birth_date\n  Regeling: law\n  Cat: product_category\n  Van: start_date\n",
        encoding="utf-8",
    )
    mapping = read_mapping_file(mapping_file)
    data = tmp_path / "eigen.csv"
    data.write_text(
        "Nummer|Klant|Geb|Regeling|Cat|Van\nN1|K1|1950-01-01|Wmo|02|2018-01-01\n", encoding="utf-8"
    )
    (row,) = rows_of(data, mapping=mapping)
    assert (row["allocation_id"], row["client_id"], row["law"]) == ("N1", "K1", "Wmo")


def test_a_mapping_to_an_unknown_column_is_refused(tmp_path: Path) -> None:
    mapping_file = tmp_path / "fout.yaml"
    mapping_file.write_text("columns:\n  Nummer: toewijzing\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"'toewijzing'.*geen canonieke kolom"):
        read_mapping_file(mapping_file)


def test_the_builtin_dutch_mapping_covers_every_canonical_column() -> None:
    from sdmonitor.domain.allocations import COLUMN_NAMES

    assert set(NL_EXPORT.columns.values()) == set(COLUMN_NAMES)


@pytest.mark.parametrize("name", ["leeg.csv", "data.json"])
def test_unusable_files_give_a_clear_error(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("", encoding="utf-8")
    with pytest.raises(InputError):
        open_source(path)
