"""The load job on a real DuckDB warehouse: every row accounted for, versions kept, all or nothing."""

from __future__ import annotations

import csv
import os
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from sdmonitor.errors import ConfigError, InputError, LoadRejectedError
from sdmonitor.loading import LoadOptions, LoadSummary, load_allocations
from sdmonitor.metrics import MetricRequest, run_metric
from sdmonitor.metrics.engine import facts
from sdmonitor.warehouse import Warehouse, open_warehouse
from tests.builders import BSN_A, BSN_B, allocation, write_csv
from tests.conftest import KEY, NOW
from tests.processes import kill_when, start_sdm


def load(warehouse: Warehouse, path: Path, now: datetime = NOW, **options: object) -> LoadSummary:
    return load_allocations(warehouse, path, LoadOptions(pseudonym_key=KEY, **options), now=now)  # type: ignore[arg-type]


def report_rows(summary: LoadSummary) -> list[dict[str, str]]:
    with summary.report_path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def current(warehouse: Warehouse) -> list[tuple[str, date | None]]:
    return warehouse.rows("SELECT allocation_id, end_date FROM allocations ORDER BY allocation_id")


def test_every_row_read_is_loaded_rejected_or_a_duplicate(warehouse: Warehouse, tmp_path: Path) -> None:
    rows = [allocation("T1"), allocation("T2", start="2018-13-01"), allocation("T3"), allocation("T1")]
    summary = load(warehouse, write_csv(tmp_path / "t.csv", rows))
    assert (summary.read, summary.loaded, summary.duplicates, summary.rejected) == (4, 2, 1, 1)
    assert summary.accounted
    assert summary.rejections == {"invalid_start_date": 1}
    stored = warehouse.value("SELECT rows_read FROM loads WHERE load_id = ?", [summary.load_id])
    assert stored == 4


def test_exact_duplicate_rows_load_once(warehouse: Warehouse, tmp_path: Path) -> None:
    load(warehouse, write_csv(tmp_path / "t.csv", [allocation("T1")] * 3))
    assert warehouse.value("SELECT count(*) FROM allocation_versions") == 1


def test_loading_the_same_file_twice_changes_nothing(warehouse: Warehouse, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "t.csv", [allocation("T1"), allocation("T2", end="2018-06-30")])
    load(warehouse, path)
    before = warehouse.rows("SELECT * FROM allocation_versions ORDER BY allocation_id")
    second = load(warehouse, path, now=NOW + timedelta(days=1))
    assert (second.loaded, second.unchanged) == (0, 2)
    assert warehouse.rows("SELECT * FROM allocation_versions ORDER BY allocation_id") == before


def test_a_known_allocation_id_with_new_content_is_a_new_version(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load(warehouse, write_csv(tmp_path / "jan.csv", [allocation("T1"), allocation("T2")]))
    later = NOW + timedelta(days=30)
    summary = load(
        warehouse, write_csv(tmp_path / "feb.csv", [allocation("T1", end="2018-12-31")]), now=later
    )
    assert (summary.loaded, summary.unchanged) == (1, 0)
    assert current(warehouse) == [("T1", date(2018, 12, 31)), ("T2", None)]
    versions = warehouse.rows(
        "SELECT end_date, known_from, superseded_at FROM allocation_versions WHERE allocation_id = 'T1' "
        "ORDER BY known_from"
    )
    assert versions == [(None, NOW, later), (date(2018, 12, 31), later, None)]


def test_figures_can_be_computed_as_known_on_an_earlier_date(warehouse: Warehouse, tmp_path: Path) -> None:
    load(warehouse, write_csv(tmp_path / "jan.csv", [allocation("T1")]))
    later = NOW + timedelta(days=30)
    load(
        warehouse,
        write_csv(tmp_path / "feb.csv", [allocation("T1", end="2018-12-31"), allocation("T2")]),
        now=later,
    )

    def as_of(day: date) -> list[tuple[str, date | None]]:
        """The allocations every metric reads (``engine.facts``) as known at the end of ``day``."""
        known = facts(warehouse.ibis(), day).order_by("allocation_id").to_pyarrow()
        return list(zip(known["allocation_id"].to_pylist(), known["end_date"].to_pylist(), strict=True))

    def allocations_2018(day: date) -> list[tuple[str, int]]:
        """What ``sdm metric allocations --as-of`` counts for 2018 in half-years."""
        request = MetricRequest("allocations", start=date(2018, 1, 1), end=date(2018, 12, 31), as_of=day)
        return [(row[0], row[-1]) for row in run_metric(warehouse, request).rows]

    assert as_of(NOW.date() - timedelta(days=1)) == []
    assert as_of(NOW.date()) == [("T1", None)]
    assert as_of(later.date() - timedelta(days=1)) == [("T1", None)]
    assert as_of(later.date()) == [("T1", date(2018, 12, 31)), ("T2", None)]
    assert allocations_2018(NOW.date()) == [("2018-H1", 1), ("2018-H2", 1)]
    assert allocations_2018(later.date()) == [("2018-H1", 2), ("2018-H2", 2)]


def test_an_export_older_than_one_already_loaded_is_refused(warehouse: Warehouse, tmp_path: Path) -> None:
    load(warehouse, write_csv(tmp_path / "feb.csv", [allocation("T1")]))
    with pytest.raises(InputError, match="ouder"):
        load(
            warehouse, write_csv(tmp_path / "jan.csv", [allocation("T1")]), known_from=NOW - timedelta(days=1)
        )


def test_allocation_ids_are_unique_per_source(warehouse: Warehouse, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "t.csv", [allocation("T1")])
    load(warehouse, path, source="gws")
    summary = load(warehouse, path, source="zorgned")
    assert summary.loaded == 1
    assert warehouse.value("SELECT count(*) FROM allocations") == 2


def test_deleted_allocations_are_kept_but_never_counted(warehouse: Warehouse, tmp_path: Path) -> None:
    load(warehouse, write_csv(tmp_path / "t.csv", [allocation("T1"), allocation("T2", change_reason="13")]))
    assert warehouse.value("SELECT count(*) FROM allocation_versions") == 2
    assert current(warehouse) == [("T1", None)]


def test_one_id_with_two_different_rows_in_a_file_rejects_both(warehouse: Warehouse, tmp_path: Path) -> None:
    rows = [allocation("T1"), allocation("T1", start="2018-02-01"), allocation("T2")]
    summary = load(warehouse, write_csv(tmp_path / "t.csv", rows))
    assert (summary.loaded, summary.rejected) == (1, 2)
    reported = report_rows(summary)
    assert [(r["rij"], r["reden"]) for r in reported] == [
        ("2", "duplicate_allocation_id"),
        ("3", "duplicate_allocation_id"),
    ]
    assert "staat ook in rij 3" in reported[0]["melding"]
    assert current(warehouse) == [("T2", None)]


def test_a_malformed_line_is_rejected_and_echoed(warehouse: Warehouse, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "t.csv", [allocation("T1"), allocation("T2")])
    with path.open("a", encoding="utf-8") as handle:
        handle.write("T3,C3,1950-01-01\n")
    summary = load(warehouse, path)
    assert (summary.read, summary.loaded, summary.rejected) == (3, 2, 1)
    (row,) = report_rows(summary)
    assert (row["rij"], row["reden"], row["allocation_id"]) == ("4", "malformed_row", "T3")


def test_the_report_echoes_rows_as_they_came_in_with_reason_and_message(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    rows = [
        allocation("T1"),
        allocation("T2", start="06-01-2018", end="03-01-2018"),
        allocation("T3", gender="9"),
    ]
    summary = load(warehouse, write_csv(tmp_path / "t.csv", rows))
    reported = report_rows(summary)
    assert [(r["rij"], r["ernst"], r["reden"]) for r in reported] == [
        ("3", "fout", "end_before_start"),
        ("4", "waarschuwing", "invalid_gender"),
    ]
    assert reported[0]["start_date"] == "06-01-2018"
    assert reported[0]["melding"] == "Einddatum 03-01-2018 ligt voor de ingangsdatum 06-01-2018."
    assert summary.warned == 1


def test_strict_loads_nothing_when_a_row_is_rejected(warehouse: Warehouse, tmp_path: Path) -> None:
    rows = [allocation("T1"), allocation("T2", law="Wlz")]
    with pytest.raises(LoadRejectedError, match="1 van 2 rijen"):
        load(warehouse, write_csv(tmp_path / "t.csv", rows), strict=True)
    assert warehouse.value("SELECT count(*) FROM allocation_versions") == 0
    assert warehouse.value("SELECT count(*) FROM loads") == 0


def test_a_raw_bsn_is_never_stored_or_echoed(tmp_path: Path) -> None:
    db = tmp_path / "sdm.duckdb"
    rows = [allocation("T1", client=None, bsn=BSN_A), allocation("T2", client=None, bsn=BSN_B, law="Wlz")]
    with open_warehouse(db) as warehouse:
        summary = load(warehouse, write_csv(tmp_path / "t.csv", rows))
        warehouse.execute("CHECKPOINT")
        keys = warehouse.rows("SELECT client_key FROM allocation_versions")
    assert summary.loaded == 1 and summary.rejected == 1
    assert BSN_A not in str(keys)
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("sdm.duckdb*"))
    for bsn in (BSN_A, BSN_B):
        assert bsn.encode() not in stored
        assert bsn not in summary.report_path.read_text(encoding="utf-8-sig")
    assert report_rows(summary)[0]["bsn"] == "[verwijderd]"


def test_a_file_with_bsns_needs_the_pseudonym_key(warehouse: Warehouse, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "t.csv", [allocation(client=None, bsn=BSN_A)])
    with pytest.raises(ConfigError, match="SDM_PSEUDONYM_KEY"):
        load_allocations(warehouse, path, LoadOptions(), now=NOW)


def test_another_pseudonym_key_than_before_is_refused(warehouse: Warehouse, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "t.csv", [allocation(client=None, bsn=BSN_A)])
    load(warehouse, path)
    with pytest.raises(ConfigError, match="wijkt af"):
        load_allocations(warehouse, path, LoadOptions(pseudonym_key=b"another-key-0123456789"), now=NOW)


def test_xlsx_parquet_and_csv_of_the_same_rows_load_the_same(tmp_path: Path) -> None:
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq
    from openpyxl import Workbook

    rows = [allocation("T1", end="2018-12-31", volume="2.5", unit="04"), allocation("T2", law="JW",
            category="45", birth="2010-05-05", product_code="45A48")]  # fmt: skip
    csv_path = write_csv(tmp_path / "t.csv", rows)
    table = pcsv.read_csv(csv_path, convert_options=pcsv.ConvertOptions(strings_can_be_null=True))
    pq.write_table(table, tmp_path / "t.parquet")
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(table.column_names)
    for record in table.to_pylist():
        sheet.append(list(record.values()))
    workbook.save(tmp_path / "t.xlsx")
    results = []
    for name in ("t.csv", "t.parquet", "t.xlsx"):
        with open_warehouse(tmp_path / f"{name}.duckdb") as warehouse:
            load(warehouse, tmp_path / name)
            results.append(
                warehouse.rows(
                    "SELECT * EXCLUDE (source_row, load_id) FROM allocation_versions ORDER BY 1, 2"
                )
            )
    assert results[0] == results[1] == results[2]
    assert len(results[0]) == 2


def test_an_interrupted_load_leaves_the_warehouse_as_before(warehouse: Warehouse, tmp_path: Path) -> None:
    load(warehouse, write_csv(tmp_path / "first.csv", [allocation("T0")]))
    before = warehouse.rows("SELECT * FROM allocation_versions"), warehouse.rows("SELECT * FROM loads")
    path = write_csv(tmp_path / "big.csv", [allocation(f"T{i}") for i in range(50_000)])

    def interrupt(_: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        load_allocations(
            warehouse, path, LoadOptions(pseudonym_key=KEY), now=NOW + timedelta(days=1), progress=interrupt
        )
    assert (
        warehouse.rows("SELECT * FROM allocation_versions"),
        warehouse.rows("SELECT * FROM loads"),
    ) == before


@pytest.mark.slow
def test_a_killed_load_leaves_the_warehouse_as_before(tmp_path: Path) -> None:
    db = tmp_path / "sdm.duckdb"
    with open_warehouse(db) as warehouse:
        load(warehouse, write_csv(tmp_path / "first.csv", [allocation("T0")]))
        before = warehouse.rows("SELECT * FROM allocation_versions")
    big = write_csv(tmp_path / "big.csv", [allocation(f"T{i}", client=f"C{i}") for i in range(600_000)])
    reports = tmp_path / "rapporten"
    env = {**os.environ, "SDM_DB": str(db), "SDM_PSEUDONYM_KEY": KEY.decode()}
    process = start_sdm("load", "allocations", str(big), "--report", str(reports / "r.csv"), env=env)
    # well into the load (its report has started), before it ends
    killed = kill_when(process, lambda: any(reports.glob("*r.csv*")), delay=0.3)
    assert killed, "the load finished before it could be killed; make the file bigger"
    with open_warehouse(db) as warehouse:
        assert warehouse.rows("SELECT * FROM allocation_versions") == before
        assert warehouse.value("SELECT count(*) FROM loads") == 1


def test_a_load_restores_the_engine_memory_limit(warehouse: Warehouse, tmp_path: Path) -> None:
    before = warehouse.value("SELECT current_setting('memory_limit')")
    load(warehouse, write_csv(tmp_path / "t.csv", [allocation("T1")]))
    assert warehouse.value("SELECT current_setting('memory_limit')") == before


def test_a_bad_load_memory_limit_is_explained(
    warehouse: Warehouse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SDM_LOAD_MEMORY_LIMIT", "veel")
    with pytest.raises(ConfigError, match="SDM_LOAD_MEMORY_LIMIT"):
        load(warehouse, write_csv(tmp_path / "t.csv", [allocation("T1")]))


def test_a_bsn_in_a_malformed_line_is_never_echoed(warehouse: Warehouse, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "Toewijzingsnummer;BSN;Geboortedatum;Wet;Productcategorie;Ingangsdatum;Einddatum\n"
        "T1;999990019;15-03-1950;Wmo;02;01-01-2018;\n"
        f"{BSN_B};01-01-1950;Wmo;02;01-01-2018;\n",  # one field short: everything shifts left
        encoding="utf-8",
    )
    summary = load(warehouse, path)
    assert (summary.loaded, summary.rejected) == (1, 1)
    report = summary.report_path.read_text(encoding="utf-8-sig")
    assert BSN_B not in report and "999990019" not in report


def test_a_file_of_only_malformed_lines_is_reported_not_a_crash(warehouse: Warehouse, tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("allocation_id,client_id,birth_date,law,product_category,start_date\nA,C,1950-01-01,WMO,02,2018-01-01,extra\n",
                    encoding="utf-8")  # fmt: skip
    summary = load(warehouse, path)
    assert (summary.read, summary.rejected, summary.rejections) == (1, 1, {"malformed_row": 1})


def test_blank_lines_keep_the_row_numbers_right(warehouse: Warehouse, tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text(
        "allocation_id,client_id,birth_date,law,product_category,start_date\n"
        "A,C,1950-01-01,WMO,02,2018-01-01\n\nB,C,1950-01-01,Wlz,02,2018-01-01\n",
        encoding="utf-8",
    )
    summary = load(warehouse, path)
    assert [r["rij"] for r in report_rows(summary)] == ["4"]


def test_xlsx_rows_beyond_a_wrong_stored_sheet_size_are_read(warehouse: Warehouse, tmp_path: Path) -> None:
    import zipfile

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["allocation_id", "client_id", "birth_date", "law", "product_category", "start_date"])
    for i in range(5):
        sheet.append([f"T{i}", f"C{i}", "1950-01-01", "WMO", "02", "2018-01-01"])
    good = tmp_path / "good.xlsx"
    workbook.save(good)
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(bad, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<dimension ref="A1:F6"/>', b'<dimension ref="A1:F3"/>')
            target.writestr(item, data)
    summary = load(warehouse, bad)
    assert (summary.read, summary.loaded) == (5, 5)


def test_text_that_is_not_utf8_late_in_the_file_stops_with_a_dutch_message(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "t.csv", [allocation(f"T{i}", client=f"C{i}") for i in range(75_000)])
    assert path.stat().st_size > 4 << 20  # past the part that is sniffed for the encoding
    with path.open("ab") as handle:
        handle.write(("T9,C9,,1950-01-01,,,,WMO,02,,,Zorg Één,2018-01-01" + "," * 10 + "\n").encode("cp1252"))
    with pytest.raises(InputError, match="geen UTF-8"):
        load(warehouse, path)
    assert warehouse.value("SELECT count(*) FROM allocation_versions") == 0


def test_reloading_an_older_export_over_newer_data_is_refused(warehouse: Warehouse, tmp_path: Path) -> None:
    january = write_csv(tmp_path / "jan.csv", [allocation("T1")])
    load(warehouse, january)
    load(
        warehouse,
        write_csv(tmp_path / "feb.csv", [allocation("T1", end="2018-12-31")]),
        now=NOW + timedelta(days=30),
    )
    with pytest.raises(InputError, match="--reload"):
        load(warehouse, january, now=NOW + timedelta(days=31))
    assert current(warehouse) == [("T1", date(2018, 12, 31))]
    load(warehouse, january, now=NOW + timedelta(days=31), reload=True)
    assert current(warehouse) == [("T1", None)]


def test_copies_of_a_conflicting_row_are_rejected_too(warehouse: Warehouse, tmp_path: Path) -> None:
    rows = [allocation("T1"), allocation("T1"), allocation("T1", start="2018-02-01")]
    summary = load(warehouse, write_csv(tmp_path / "t.csv", rows))
    assert (summary.loaded, summary.duplicates, summary.rejected) == (0, 0, 3)
    assert [r["rij"] for r in report_rows(summary)] == ["2", "3", "4"]


def test_an_older_extraction_saved_with_other_line_endings_is_refused(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    january = write_csv(tmp_path / "jan.csv", [allocation("O1"), allocation("O2")])
    load(warehouse, january, extracted_on=date(2018, 2, 1))
    february = [allocation("O1", end="2018-02-28"), allocation("O2")]
    load(warehouse, write_csv(tmp_path / "feb.csv", february), extracted_on=date(2018, 3, 1))
    resaved = tmp_path / "jan-lf.csv"
    resaved.write_bytes(january.read_bytes().replace(b"\r\n", b"\n"))
    assert resaved.read_bytes() != january.read_bytes()
    with pytest.raises(InputError, match=r"export van 01-03-2018.*ouder.*--reload"):
        load(warehouse, resaved, now=NOW + timedelta(days=1), extracted_on=date(2018, 2, 1))
    assert current(warehouse) == [("O1", date(2018, 2, 28)), ("O2", None)]
    load(warehouse, resaved, now=NOW + timedelta(days=1), extracted_on=date(2018, 2, 1), reload=True)
    assert current(warehouse) == [("O1", None), ("O2", None)]
    assert warehouse.value("SELECT extracted_on FROM loads ORDER BY load_id DESC LIMIT 1") == date(2018, 2, 1)


def test_a_file_that_only_restores_replaced_content_is_refused_without_reload(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    january = write_csv(tmp_path / "jan.csv", [allocation("O1"), allocation("O2")])
    load(warehouse, january)
    load(warehouse, write_csv(tmp_path / "feb.csv", [allocation("O1", end="2018-02-28"), allocation("O2")]))
    loads_before = warehouse.value("SELECT count(*) FROM loads")
    resaved = tmp_path / "jan-lf.csv"  # other bytes, the same rows
    resaved.write_bytes(january.read_bytes().replace(b"\r\n", b"\n"))
    with pytest.raises(InputError, match=r"oudere export.*\(1 toewijzing.*'O1'.*--reload"):
        load(warehouse, resaved)
    assert current(warehouse) == [("O1", date(2018, 2, 28)), ("O2", None)]
    assert warehouse.value("SELECT count(*) FROM loads") == loads_before
    load(warehouse, resaved, reload=True)
    assert current(warehouse) == [("O1", None), ("O2", None)]


def test_a_file_that_mixes_a_revert_with_a_new_change_loads(warehouse: Warehouse, tmp_path: Path) -> None:
    load(warehouse, write_csv(tmp_path / "jan.csv", [allocation("O1"), allocation("O2")]))
    load(warehouse, write_csv(tmp_path / "feb.csv", [allocation("O1", end="2018-02-28"), allocation("O2")]))
    mixed = [allocation("O1"), allocation("O2", end="2018-03-31")]
    summary = load(warehouse, write_csv(tmp_path / "mar.csv", mixed))
    assert summary.loaded == 2
    assert current(warehouse) == [("O1", None), ("O2", date(2018, 3, 31))]


@pytest.mark.parametrize(
    ("extracted", "message"),
    [(NOW.date() + timedelta(days=1), "na de laaddag"), (date(1899, 12, 31), "vóór 01-01-1900")],
)
def test_an_extraction_date_in_the_future_or_before_1900_is_refused_before_anything_is_stored(
    warehouse: Warehouse, tmp_path: Path, extracted: date, message: str
) -> None:
    with pytest.raises(InputError, match=message):
        load(warehouse, write_csv(tmp_path / "t.csv", [allocation("T1")]), extracted_on=extracted)
    assert warehouse.value("SELECT count(*) FROM loads") == 0
    assert warehouse.value("SELECT count(*) FROM allocation_versions") == 0
    load(warehouse, write_csv(tmp_path / "t.csv", [allocation("T1")]), extracted_on=NOW.date())
    assert current(warehouse) == [("T1", None)]


def test_a_second_export_of_the_same_day_is_the_newest_state(warehouse: Warehouse, tmp_path: Path) -> None:
    load(warehouse, write_csv(tmp_path / "a.csv", [allocation("T1")]))
    load(
        warehouse,
        write_csv(tmp_path / "b.csv", [allocation("T1", end="2018-12-31")]),
        extracted_on=NOW.date(),
    )
    assert current(warehouse) == [("T1", date(2018, 12, 31))]


@pytest.mark.parametrize("where", ["existing-file", "below-a-file", "unmakeable"])
def test_a_report_path_that_cannot_be_written_is_refused_in_dutch_and_loads_nothing(
    warehouse: Warehouse, tmp_path: Path, where: str
) -> None:
    existing = tmp_path / "gegevens"  # an existing file without a suffix is never taken for a folder
    existing.write_text("niet overschrijven", encoding="utf-8")
    chosen = {
        "existing-file": existing,
        "below-a-file": existing / "rapporten",
        "unmakeable": Path("/proc/geen-map/rapporten"),
    }[where]
    path = write_csv(tmp_path / "t.csv", [allocation("a1", client="K1", start="2018-01-01")])
    with pytest.raises(InputError, match="laadrapport") as refused:
        load(warehouse, path, report_path=chosen)
    assert "niets geladen" in str(refused.value)
    assert existing.read_text(encoding="utf-8") == "niet overschrijven"
    assert warehouse.value("SELECT count(*) FROM loads") == 0
    assert warehouse.value("SELECT count(*) FROM allocation_versions") == 0
