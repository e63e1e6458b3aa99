from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from sdmonitor.errors import InputError
from sdmonitor.reference import POPULATION, POSTCODE_AREAS, PROVIDERS, load_reference
from sdmonitor.warehouse import Warehouse

NOW = datetime(2024, 1, 1)


def test_postcode_areas_replace_the_previous_ones(warehouse: Warehouse, tmp_path: Path) -> None:
    first = tmp_path / "a.csv"
    first.write_text("pc4,wijk_code,wijk_name\n2871,W1,Centrum\n2872,W2,Oost\n", encoding="utf-8")
    second = tmp_path / "b.csv"
    second.write_text("postcode;wijkcode;wijknaam\n2871;W9;Binnenstad\n", encoding="utf-8")
    assert load_reference(warehouse, POSTCODE_AREAS, first, now=NOW) == 2
    assert load_reference(warehouse, POSTCODE_AREAS, second, now=NOW) == 1
    assert warehouse.rows("SELECT pc4, wijk_name FROM postcode_areas") == [("2871", "Binnenstad")]
    assert warehouse.value("SELECT count(*) FROM loads WHERE kind = 'postcode_areas'") == 2


def test_a_bad_reference_file_loads_nothing_and_names_the_rows(warehouse: Warehouse, tmp_path: Path) -> None:
    path = tmp_path / "aanbieders.csv"
    path.write_text(
        "provider_code,provider_name,provider_type\n12345678,A,ggz\n1234,B,ggz\n12345678,C,ggz\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"rij 3: provider_code '1234'.*rij 4: staat ook in rij 2"):
        load_reference(warehouse, PROVIDERS, path, now=NOW)
    assert warehouse.value("SELECT count(*) FROM providers") == 0


def test_missing_columns_are_named_in_plural_dutch(warehouse: Warehouse, tmp_path: Path) -> None:
    path = tmp_path / "bevolking.csv"
    path.write_text("gemeentecode,jaar,leeftijd\n0599,2018,5\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"Kolommen sex en inhabitants ontbreken in bevolking\.csv"):
        load_reference(warehouse, POPULATION, path, now=NOW)


def test_population_counts_are_whole_numbers(warehouse: Warehouse, tmp_path: Path) -> None:
    path = tmp_path / "bevolking.csv"
    path.write_text("municipality_code,year,age,sex,count\n0599,2018,5,1,12\n", encoding="utf-8")
    assert load_reference(warehouse, POPULATION, path, now=NOW) == 1
    assert warehouse.rows("SELECT year, age, inhabitants FROM population") == [(2018, 5, 12)]


def test_population_may_come_in_age_bands(warehouse: Warehouse, tmp_path: Path) -> None:
    path = tmp_path / "bevolking.csv"
    path.write_text("gemeentecode;jaar;leeftijdsklasse;geslacht;aantal\n0599;2018;0-17;1;120\n0599;2018;65+;2;80\n",
                    encoding="utf-8")  # fmt: skip
    assert load_reference(warehouse, POPULATION, path, now=NOW) == 2
    assert warehouse.rows("SELECT age, age_to, inhabitants FROM population ORDER BY age") == [
        (0, 17, 120),
        (65, None, 80),
    ]


def test_a_bsn_in_a_providers_file_is_never_stored_or_quoted(warehouse: Warehouse, tmp_path: Path) -> None:
    bsn = "999939701"  # fictional, passes the 11-check
    path = tmp_path / "aanbieders.csv"
    path.write_text(f"agb,naam,type\n12345678,Zorg {bsn} BV,ggz\n", encoding="utf-8")
    load_reference(warehouse, PROVIDERS, path, now=NOW)
    assert warehouse.rows("SELECT provider_name FROM providers") == [("Zorg [verwijderd] BV",)]
    path.write_text(f"agb,naam,type\n{bsn},Zorg BV,ggz\n", encoding="utf-8")
    with pytest.raises(
        InputError, match=r"provider_code '\[verwijderd\]' klopt niet, verwacht een AGB-code"
    ) as refused:
        load_reference(warehouse, PROVIDERS, path, now=NOW)
    assert bsn not in str(refused.value)


@pytest.mark.parametrize(
    "content",
    [
        b'pc4;wijk_code;wijk_name\n"2311;W1;Centrum\n2312;W1;Centrum\n',
        b"pc4;wijk_code;wijk_name\n2311;W1\n",
        b"\x00\x01",
    ],
)
def test_an_unreadable_reference_file_is_refused_in_dutch(
    warehouse: Warehouse, tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "wijken.csv"
    path.write_bytes(content)
    with pytest.raises(InputError, match="niets geladen") as caught:
        load_reference(warehouse, POSTCODE_AREAS, path, now=NOW)
    assert "Expected" not in str(caught.value) and "parse error" not in str(caught.value)
