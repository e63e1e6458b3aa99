"""The generator's contract: files, columns, determinism, streaming in chunks, options."""

from __future__ import annotations

import importlib
import tracemalloc
from collections import Counter
from dataclasses import replace
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from sdmonitor.demo import GenerateOptions, generate
from sdmonitor.domain.allocations import COLUMN_NAMES
from sdmonitor.errors import InputError
from tests.demo.helpers import Run, age_on, as_date, read_allocations

SMALL = GenerateOptions(inhabitants=3_000, first_year=2018, last_year=2021, seed=11)


def test_same_seed_gives_identical_files(tmp_path: Path) -> None:
    first = generate(tmp_path / "a", SMALL)
    second = generate(tmp_path / "b", SMALL)
    names = sorted(str(p.relative_to(tmp_path / "a")) for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert names == sorted(
        str(p.relative_to(tmp_path / "b")) for p in (tmp_path / "b").rglob("*") if p.is_file()
    )
    assert any(name.startswith("declaraties/") for name in names)
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    assert first.allocation_rows == second.allocation_rows


def test_other_seed_gives_other_allocations(tmp_path: Path) -> None:
    first = generate(tmp_path / "a", SMALL)
    other = generate(tmp_path / "b", replace(SMALL, seed=12))
    assert first.allocations[0].read_bytes() != other.allocations[0].read_bytes()


def test_all_files_are_written_with_their_documented_names(municipality: Run) -> None:
    names = sorted(p.name for p in municipality.folder.iterdir())
    assert names == [
        "aanbieders.csv",
        "aanvragen.csv",
        "aanvragen_fouten.csv",
        "aanvragen_fouten_verwacht.csv",
        "begroting.csv",
        "bevolking.csv",
        "declaraties",
        "declaraties_fouten.csv",
        "declaraties_fouten_verwacht.csv",
        "declaraties_later.parquet",
        "financien",
        "index.csv",
        "leveringen.csv",
        "leveringen_fouten.csv",
        "leveringen_fouten_verwacht.csv",
        "postcodegebieden.csv",
        "reintegratie-2025-01-06.csv",
        "tarieven.csv",
        "toewijzingen.parquet",
        "toewijzingen_fouten.csv",
        "toewijzingen_fouten_verwacht.csv",
        "uitkeringen-2025-01-06.csv",
        "uitkeringen_fouten.csv",
        "uitkeringen_fouten_verwacht.csv",
    ]
    exports = sorted(p.name for p in (municipality.folder / "declaraties").iterdir())
    # everything up to 6 January 2023, then one export on the 6th of every month up to 6 January 2025
    assert exports == [f"declaraties-{2023 + i // 12}-{i % 12 + 1:02d}-06.parquet" for i in range(25)]


def test_parquet_has_canonical_columns_in_order_with_dates_as_date32(municipality: Run) -> None:
    schema = pq.read_schema(municipality.files.allocations[0])
    assert tuple(schema.names) == COLUMN_NAMES
    assert schema.field("start_date").type == pa.date32()
    assert schema.field("volume").type == pa.float64()
    assert schema.field("allocation_id").type == pa.string()


def test_csv_has_canonical_header_iso_dates_and_decimal_points(region: Run) -> None:
    path = region.files.allocations[0]
    assert path.name == "toewijzingen.csv"
    header = path.read_text(encoding="utf-8").splitlines()[0]
    assert header == ",".join(COLUMN_NAMES)
    row = region.rows[0]
    date.fromisoformat(str(row["start_date"]))
    volumes = [str(r["volume"]) for r in region.rows if r["volume"]]
    assert any("." in v for v in volumes)
    assert not any("," in v for v in volumes)


def test_reported_row_count_matches_the_file(municipality: Run) -> None:
    assert municipality.table.num_rows == municipality.files.allocation_rows
    assert 20_000 < municipality.files.allocation_rows < 45_000


def test_allocation_ids_are_unique(municipality: Run, region: Run) -> None:
    for run in (municipality, region):
        ids = [row["allocation_id"] for row in run.rows]
        assert len(set(ids)) == len(ids)


def test_main_file_holds_no_bsn_but_a_pseudonymous_client_id(municipality: Run) -> None:
    assert municipality.table.column("bsn").null_count == municipality.table.num_rows
    assert all(str(row["client_id"]).startswith("C9901") for row in municipality.rows)


def test_end_date_is_never_before_start_date(municipality: Run, region: Run) -> None:
    for run in (municipality, region):
        for row in run.rows:
            if row["end_date"]:
                assert as_date(row["end_date"]) >= as_date(row["start_date"]), row


def test_every_allocation_starts_within_the_range(municipality: Run) -> None:
    starts = [as_date(row["start_date"]) for row in municipality.rows]
    assert min(starts) == date(2015, 1, 1)
    assert max(starts) <= date(2024, 12, 31)


def test_birth_dates_are_plausible(municipality: Run) -> None:
    for row in municipality.rows:
        birth, start = as_date(row["birth_date"]), as_date(row["start_date"])
        assert date(1900, 1, 1) <= birth <= start
        assert age_on(birth, start) <= 110


def test_request_comes_before_decision(municipality: Run) -> None:
    for row in municipality.rows:
        assert as_date(row["request_date"]) <= as_date(row["decision_date"])


def test_codes_come_from_the_code_lists(municipality: Run) -> None:
    counts = Counter((row["unit"], row["frequency"]) for row in municipality.rows)
    units = {unit for unit, _ in counts}
    assert units <= {None, "01", "04", "14", "16", "82", "83", "84"}
    assert {f for _, f in counts} <= {None, "1", "2", "4", "6"}
    assert {row["gender"] for row in municipality.rows} == {"0", "1", "2"}
    assert {row["delivery_form"] for row in municipality.rows} == {"ZIN", "PGB"}
    assert {row["law"] for row in municipality.rows} == {"WMO", "JW"}


def test_small_chunks_add_up_to_the_reported_rows(tmp_path: Path) -> None:
    written: list[int] = []
    options = GenerateOptions(inhabitants=5_000, chunk_residents=1_000, first_year=2019, seed=3)
    files = generate(tmp_path, options, progress=written.append)
    assert len(written) == 5  # one progress call per chunk
    assert sum(written) == files.allocation_rows == read_allocations(files.allocations[0]).num_rows
    ids = read_allocations(files.allocations[0]).column("allocation_id").to_pylist()
    assert len(set(ids)) == len(ids)


def test_memory_does_not_grow_with_the_number_of_inhabitants(tmp_path: Path) -> None:
    def peak(inhabitants: int) -> int:
        options = GenerateOptions(
            inhabitants=inhabitants, chunk_residents=2_000, first_year=2020, last_year=2022
        )
        tracemalloc.start()
        generate(tmp_path / str(inhabitants), options)
        _, highest = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return highest

    small, large = peak(4_000), peak(16_000)
    assert large < 1.5 * small


@pytest.mark.parametrize(
    "options",
    [
        GenerateOptions(inhabitants=10),
        GenerateOptions(inhabitants=60_000_000),
        GenerateOptions(first_year=2024, last_year=2015),
        GenerateOptions(municipalities=0),
        GenerateOptions(municipalities=100),
        GenerateOptions(file_format="xlsx"),
        GenerateOptions(chunk_residents=10),
    ],
)
def test_unusable_options_raise_input_error(tmp_path: Path, options: GenerateOptions) -> None:
    with pytest.raises(InputError):
        generate(tmp_path, options)


def test_region_of_three_municipalities_has_three_codes_and_disjoint_clients(region: Run) -> None:
    clients: dict[str, set[str]] = {}
    for row in region.rows:
        clients.setdefault(str(row["municipality_code"]), set()).add(str(row["client_id"]))
    assert sorted(clients) == ["9901", "9902", "9903"]
    first, second, third = clients.values()
    assert not first & second and not first & third and not second & third


def test_parquet_row_groups_have_the_configured_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the package exports the function generate(), which hides the module of the same name
    module = importlib.import_module("sdmonitor.demo.generate")
    monkeypatch.setattr(module, "ROW_GROUP_ROWS", 4_000)
    files = generate(tmp_path, GenerateOptions(inhabitants=5_000, chunk_residents=1_500, seed=5))
    metadata = pq.ParquetFile(files.allocations[0]).metadata
    sizes = [metadata.row_group(i).num_rows for i in range(metadata.num_row_groups)]
    assert sum(sizes) == files.allocation_rows
    assert all(size == 4_000 for size in sizes[:-1]) and 0 < sizes[-1] <= 4_000
