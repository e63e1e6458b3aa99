"""Loading declarations on a real DuckDB warehouse: versions, line keys, client keys, warnings, the report."""

from __future__ import annotations

import csv
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from sdmonitor.loading import LoadSummary
from sdmonitor.warehouse import Warehouse
from tests.builders import BSN_A, allocation, write_csv
from tests.conftest import KEY
from tests.money_builders import declaration, load_declarations_rows, write_declarations


def report_rows(summary: LoadSummary) -> list[dict[str, str]]:
    with summary.report_path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def lines(warehouse: Warehouse, moment: datetime | None = None) -> list[tuple[object, ...]]:
    """The versions known at ``moment`` (None: current): id, debit/credit, provider, amount, status."""
    return warehouse.rows(
        "SELECT declaration_id, debit_credit, provider_key, amount, status FROM declaration_versions "
        "WHERE CASE WHEN CAST(? AS TIMESTAMP) IS NULL THEN superseded_at IS NULL "
        "ELSE known_from <= ? AND (superseded_at IS NULL OR superseded_at > ?) END "
        "ORDER BY declaration_id, provider_key, debit_credit",
        [moment, moment, moment],
    )


def load_allocations_rows(warehouse: Warehouse, tmp_path: Path, rows: list[dict[str, str | None]]) -> None:
    from sdmonitor.loading import LoadOptions, load_allocations

    path = write_csv(tmp_path / "toewijzingen.csv", rows)
    load_allocations(warehouse, path, LoadOptions(pseudonym_key=KEY), now=datetime(2024, 1, 15, 12))


def test_a_canonical_file_loads_every_line_with_its_amount(warehouse: Warehouse, tmp_path: Path) -> None:
    rows = [declaration(), declaration(declaration_id="R2", amount="99.95", period_start="2024-02-01",
                                       period_end="2024-02-29")]  # fmt: skip
    summary = load_declarations_rows(warehouse, tmp_path, rows)
    assert (summary.read, summary.loaded, summary.rejected) == (2, 2, 0)
    assert summary.accounted
    assert lines(warehouse) == [
        ("R1", "D", "12345678", Decimal("250.00"), "toegekend"),
        ("R2", "D", "12345678", Decimal("99.95"), "toegekend"),
    ]
    kind = warehouse.value("SELECT kind FROM loads WHERE load_id = ?", [summary.load_id])
    assert kind == "declarations"


def test_loading_the_same_declarations_twice_changes_nothing(warehouse: Warehouse, tmp_path: Path) -> None:
    rows = [declaration(), declaration(declaration_id="R2", submitted_on=None)]
    load_declarations_rows(warehouse, tmp_path, rows, extracted_on=date(2024, 3, 1))
    before = warehouse.rows("SELECT * FROM declaration_versions ORDER BY declaration_id")
    again = load_declarations_rows(warehouse, tmp_path, rows, extracted_on=date(2024, 3, 2))
    assert (again.loaded, again.unchanged) == (0, 2)
    assert warehouse.rows("SELECT * FROM declaration_versions ORDER BY declaration_id") == before


def test_a_declaration_and_an_allocation_of_one_client_share_the_client_key(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load_allocations_rows(warehouse, tmp_path, [allocation("T1", client=None, bsn=BSN_A)])
    load_declarations_rows(warehouse, tmp_path, [declaration(client_id=None, bsn=BSN_A)])
    allocation_key = warehouse.value("SELECT client_key FROM allocation_versions")
    assert warehouse.value("SELECT client_key FROM declaration_versions") == allocation_key


def test_a_status_change_from_ingediend_to_toegekend_is_a_new_version_and_as_of_sees_the_old_status(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load_declarations_rows(
        warehouse, tmp_path, [declaration(status="ingediend")], extracted_on=date(2024, 3, 1)
    )
    later = load_declarations_rows(
        warehouse, tmp_path, [declaration(status="toegekend")], extracted_on=date(2024, 3, 15)
    )
    assert later.loaded == 1
    assert lines(warehouse) == [("R1", "D", "12345678", Decimal("250.00"), "toegekend")]
    assert lines(warehouse, datetime(2024, 3, 10)) == [
        ("R1", "D", "12345678", Decimal("250.00"), "ingediend")
    ]


def test_a_credit_with_the_id_of_its_debit_cancels_it_instead_of_replacing_it(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load_declarations_rows(warehouse, tmp_path, [declaration(amount="400")], extracted_on=date(2024, 3, 1))
    credit = [declaration(amount="400"), declaration(amount="400", debit_credit="C"),
              declaration(declaration_id="R2", amount="360")]  # fmt: skip
    summary = load_declarations_rows(warehouse, tmp_path, credit, extracted_on=date(2024, 4, 1))
    assert (summary.loaded, summary.unchanged, summary.warnings.get("credit_without_debit")) == (2, 1, None)
    net = warehouse.value(
        "SELECT sum(CASE debit_credit WHEN 'C' THEN -amount ELSE amount END) FROM declaration_versions "
        "WHERE superseded_at IS NULL"
    )
    assert net == Decimal("360.00")


def test_the_same_reference_number_at_two_providers_is_two_lines(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    rows = [
        declaration(declaration_id="RN001"),
        declaration(declaration_id="RN001", provider_code="87654321"),
    ]
    summary = load_declarations_rows(warehouse, tmp_path, rows)
    assert (summary.loaded, summary.rejected) == (2, 0)


def test_a_reference_number_twice_in_one_file_rejects_both_rows(warehouse: Warehouse, tmp_path: Path) -> None:
    # as RN004 in the iJw reference example JW323.xml: March and April under one number
    rows = [
        declaration(declaration_id="RN004", period_start="2024-01-01", period_end="2024-01-31"),
        declaration(declaration_id="RN004", period_start="2024-02-01", period_end="2024-02-29"),
        declaration(declaration_id="RN005"),
    ]
    summary = load_declarations_rows(warehouse, tmp_path, rows)
    assert (summary.loaded, summary.rejected) == (1, 2)
    assert summary.rejections == {"duplicate_declaration_id": 2}
    echoed = {r["rij"]: r for r in report_rows(summary)}
    assert (
        echoed["2"]["ernst"] == "fout" and "RN004" in echoed["2"]["melding"] and "3" in echoed["2"]["melding"]
    )


def test_an_unknown_allocation_loads_with_a_warning_and_counts(warehouse: Warehouse, tmp_path: Path) -> None:
    load_allocations_rows(warehouse, tmp_path, [allocation("T1")])
    rows = [declaration(), declaration(declaration_id="R2", allocation_id="T9"),
            declaration(declaration_id="R3", allocation_id=None, delivery_form="PGB")]  # fmt: skip
    summary = load_declarations_rows(warehouse, tmp_path, rows)
    assert (summary.loaded, summary.warned, summary.warnings) == (3, 1, {"unknown_allocation": 1})
    (echo,) = report_rows(summary)
    assert (echo["rij"], echo["ernst"], echo["reden"]) == ("3", "waarschuwing", "unknown_allocation")
    assert "9338" in echo["melding"]


def test_a_credit_without_its_debit_loads_with_a_warning(warehouse: Warehouse, tmp_path: Path) -> None:
    summary = load_declarations_rows(warehouse, tmp_path, [declaration(debit_credit="C", allocation_id=None)])
    assert (summary.loaded, summary.warnings) == (1, {"credit_without_debit": 1})
    assert "8017" in report_rows(summary)[0]["melding"]


def test_a_bsn_in_a_declarations_file_is_never_stored_or_echoed(warehouse: Warehouse, tmp_path: Path) -> None:
    rows = [declaration(client_id=None, bsn=BSN_A, status="onbekend"), declaration(client_id=None, bsn=BSN_A)]
    summary = load_declarations_rows(warehouse, tmp_path, rows)
    assert summary.rejected == 1
    stored = warehouse.rows("SELECT * FROM declaration_versions")
    assert BSN_A not in str(stored)
    assert BSN_A not in summary.report_path.read_text(encoding="utf-8-sig")


def test_a_submission_date_defaults_to_the_extraction_day_of_the_first_load_that_brought_the_line(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    first = declaration(submitted_on=None, status="ingediend")
    load_declarations_rows(warehouse, tmp_path, [first], extracted_on=date(2024, 3, 1))
    load_declarations_rows(
        warehouse, tmp_path, [declaration(submitted_on=None)], extracted_on=date(2024, 4, 1)
    )
    versions = warehouse.rows(
        "SELECT status, submitted_on, submitted_given FROM declaration_versions ORDER BY known_from"
    )
    assert versions == [("ingediend", date(2024, 3, 1), False), ("toegekend", date(2024, 3, 1), False)]


def test_the_summary_gives_the_total_in_euros_and_counts_periods_over_several_months(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    rows = [
        declaration(amount="1000.50"),
        declaration(declaration_id="R2", amount="-0.50", debit_credit=None),
        declaration(declaration_id="R3", amount="100", period_start="2024-01-15", period_end="2024-02-14"),
    ]
    summary = load_declarations_rows(warehouse, tmp_path, rows)
    assert summary.notes[0] == "totaal van de geladen en ongewijzigde regels: € 1.100,00 (credit negatief)"
    assert summary.notes[1].startswith("regels met een productperiode over meer dan één maand: 1")


def test_write_declarations_writes_the_canonical_header(tmp_path: Path) -> None:
    path = write_declarations(tmp_path / "d.csv", [declaration()])
    assert (
        path.read_text(encoding="utf-8").splitlines()[0].startswith("declaration_id,allocation_id,client_id")
    )


def test_xlsx_parquet_and_csv_of_the_same_declarations_load_the_same(tmp_path: Path) -> None:
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq
    from openpyxl import Workbook

    from sdmonitor.loading import LoadOptions, load_declarations
    from sdmonitor.warehouse import open_warehouse

    rows = [declaration(), declaration(declaration_id="R2", amount="-12.5", debit_credit=None, volume="2.5")]
    csv_path = write_declarations(tmp_path / "d.csv", rows)
    table = pcsv.read_csv(csv_path, convert_options=pcsv.ConvertOptions(strings_can_be_null=True))
    pq.write_table(table, tmp_path / "d.parquet")
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(table.column_names)
    for record in table.to_pylist():
        sheet.append(list(record.values()))
    workbook.save(tmp_path / "d.xlsx")
    results = []
    for name in ("d.csv", "d.parquet", "d.xlsx"):
        with open_warehouse(tmp_path / f"{name}.duckdb") as warehouse:
            options = LoadOptions(pseudonym_key=KEY, extracted_on=date(2024, 3, 1))
            load_declarations(warehouse, tmp_path / name, options, now=datetime(2024, 3, 1, 12))
            results.append(
                warehouse.rows(
                    "SELECT * EXCLUDE (source_row, load_id) FROM declaration_versions ORDER BY 1, 2"
                )
            )
    assert results[0] == results[1] == results[2]
    assert len(results[0]) == 2


def test_the_dutch_layout_reads_decimal_commas_and_dutch_dates(warehouse: Warehouse, tmp_path: Path) -> None:
    from sdmonitor.loading import LoadOptions, load_declarations

    path = tmp_path / "declaraties.csv"
    path.write_text(
        "Referentienummer;Toewijzingsnummer;BSN;Wet;Productcategorie;Productcode;AGB-code;Begindatum;Einddatum;"
        "Volume;Eenheid;Bedrag;Debet/Credit;Status;Dagtekening;Leveringsvorm\n"
        f"R1;T1;{BSN_A};Wmo;02;02A01;12345678;01-01-2024;31-01-2024;4,5;04;1.234,56;D;toegekend;05-02-2024;ZIN\n",
        encoding="utf-8",
    )
    options = LoadOptions(pseudonym_key=KEY, extracted_on=date(2024, 3, 1))
    summary = load_declarations(warehouse, path, options, now=datetime(2024, 3, 1, 12))
    assert (summary.mapping, summary.loaded) == ("nl-declaraties", 1)
    assert warehouse.rows("SELECT amount, volume, period_start, submitted_on FROM declaration_versions") == [
        (Decimal("1234.56"), 4.5, date(2024, 1, 1), date(2024, 2, 5))
    ]


def test_the_323_layout_reads_cents_as_euros(warehouse: Warehouse, tmp_path: Path) -> None:
    from sdmonitor.loading import LoadOptions, load_declarations

    path = tmp_path / "wmo323.csv"
    path.write_text(
        "ReferentieNummer,ToewijzingNummer,Bsn,ProductCategorie,ProductCode,Begindatum,Einddatum,GeleverdVolume,"
        "Eenheid,Bedrag,DebetCredit,DeclaratieDagtekening\n"
        f"RN001,T1,{BSN_A},02,02A01,2024-01-01,2024-01-31,240,01,123456,D,2024-02-06\n",
        encoding="utf-8",
    )
    options = LoadOptions(pseudonym_key=KEY, extracted_on=date(2024, 3, 1))
    summary = load_declarations(warehouse, path, options, now=datetime(2024, 3, 1, 12))
    assert (summary.mapping, summary.loaded) == ("iwmo-323", 1)
    assert warehouse.rows("SELECT law, amount, unit FROM declaration_versions") == [
        ("WMO", Decimal("1234.56"), "01")
    ]
    assert summary.notes[0] == "totaal van de geladen en ongewijzigde regels: € 1.234,56 (credit negatief)"


def test_a_killed_declaration_load_is_undone_at_the_next_open(tmp_path: Path) -> None:
    import subprocess
    import sys

    from sdmonitor.warehouse import open_warehouse

    db = tmp_path / "sdm.duckdb"
    with open_warehouse(db) as warehouse:
        load_declarations_rows(
            warehouse, tmp_path, [declaration(status="ingediend")], extracted_on=date(2024, 3, 1)
        )
        before = warehouse.rows("SELECT * FROM declaration_versions")
    second = write_declarations(tmp_path / "second.csv", [declaration(), declaration(declaration_id="R2")])
    # the process dies (os._exit: no clean-up) right after the big commit, before the final small write
    script = (
        "import os, sys; from datetime import date, datetime; from pathlib import Path\n"
        "import sdmonitor.warehouse.allocations as allocations\n"
        "from sdmonitor.loading import LoadOptions, load_declarations\n"
        "from sdmonitor.warehouse import open_warehouse\n"
        "allocations.complete_load = lambda *_: os._exit(9)\n"
        "warehouse = open_warehouse(Path(sys.argv[1]))\n"
        "options = LoadOptions(pseudonym_key=sys.argv[3].encode(), extracted_on=date(2024, 4, 1))\n"
        "load_declarations(warehouse, Path(sys.argv[2]), options, now=datetime(2024, 4, 1, 12))\n"
    )
    process = subprocess.run([sys.executable, "-c", script, str(db), str(second), KEY.decode()], check=False)
    assert process.returncode == 9
    with open_warehouse(db) as warehouse:
        assert warehouse.repaired_loads
        assert warehouse.rows("SELECT * FROM declaration_versions") == before
        again = load_declarations_rows(warehouse, tmp_path, [declaration(), declaration(declaration_id="R2")],
                                       extracted_on=date(2024, 4, 1))  # fmt: skip
        assert again.loaded == 2


def test_an_older_export_of_a_source_is_refused_unless_reloaded(warehouse: Warehouse, tmp_path: Path) -> None:
    import pytest

    from sdmonitor.errors import InputError

    load_declarations_rows(warehouse, tmp_path, [declaration()], extracted_on=date(2024, 4, 1))
    with pytest.raises(InputError, match="ouder"):
        load_declarations_rows(
            warehouse, tmp_path, [declaration(status="ingediend")], extracted_on=date(2024, 3, 1)
        )
    older = load_declarations_rows(
        warehouse, tmp_path, [declaration(status="ingediend")], extracted_on=date(2024, 3, 1), reload=True
    )
    assert older.loaded == 1


def test_the_data_moment_of_declarations_is_the_earliest_newest_extraction_over_the_sources(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    from sdmonitor.warehouse.inventory import data_moment, data_moments

    load_declarations_rows(
        warehouse, tmp_path, [declaration()], extracted_on=date(2024, 3, 1), source="finance"
    )
    load_declarations_rows(
        warehouse, tmp_path, [declaration()], extracted_on=date(2024, 4, 1), source="finance"
    )
    load_declarations_rows(
        warehouse, tmp_path, [declaration()], extracted_on=date(2024, 3, 20), source="berichten"
    )
    assert data_moments(warehouse, "declarations") == {
        "berichten": date(2024, 3, 20),
        "finance": date(2024, 4, 1),
    }
    assert data_moment(warehouse, ("declarations",)) == date(2024, 3, 20)
    assert data_moment(warehouse, ("declarations",), cutoff=datetime(2024, 3, 25)) == date(2024, 3, 1)
    assert data_moment(warehouse, ("allocations",)) is None


def test_a_declaration_load_is_in_use_while_its_versions_are_known(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    from sdmonitor.warehouse.inventory import loads_in_use

    first = load_declarations_rows(warehouse, tmp_path, [declaration(status="ingediend")],
                                   extracted_on=date(2024, 3, 1))  # fmt: skip
    second = load_declarations_rows(warehouse, tmp_path, [declaration()], extracted_on=date(2024, 4, 1))
    assert [load.load_id for load in loads_in_use(warehouse, None)] == [second.load_id]
    assert [load.load_id for load in loads_in_use(warehouse, datetime(2024, 3, 15))] == [first.load_id]


def test_a_link_made_by_a_declaration_merges_the_client_of_its_allocations(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load_allocations_rows(
        warehouse, tmp_path, [allocation("T1", client="C1"), allocation("T2", client=None, bsn=BSN_A)]
    )
    summary = load_declarations_rows(warehouse, tmp_path, [declaration(client_id="C1", bsn=BSN_A)])
    assert summary.relinked == 1  # T1 gets a version under the key of the BSN
    keys = warehouse.rows(
        "SELECT DISTINCT client_key FROM (SELECT client_key FROM allocation_versions WHERE superseded_at IS NULL "
        "UNION ALL SELECT client_key FROM declaration_versions WHERE superseded_at IS NULL)"
    )
    assert len(keys) == 1


def test_a_link_made_by_an_allocation_load_gives_earlier_declarations_a_new_version(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load_declarations_rows(
        warehouse, tmp_path, [declaration(client_id="C1", submitted_on=None)], extracted_on=date(2024, 1, 10)
    )
    load_declarations_rows(
        warehouse,
        tmp_path,
        [declaration(declaration_id="R2", client_id=None, bsn=BSN_A, submitted_on=None)],
        extracted_on=date(2024, 1, 11),
    )
    load_allocations_rows(warehouse, tmp_path, [allocation("T1", client="C1", bsn=BSN_A)])
    current = warehouse.rows(
        "SELECT declaration_id, client_key FROM declaration_versions WHERE superseded_at IS NULL ORDER BY 1"
    )
    assert len({key for _, key in current}) == 1
    assert warehouse.value("SELECT count(*) FROM declaration_versions") == 3  # R1 before and after the link
    both = [
        declaration(client_id="C1", submitted_on=None),
        declaration(declaration_id="R2", client_id=None, bsn=BSN_A, submitted_on=None),
    ]
    again = load_declarations_rows(warehouse, tmp_path, both, extracted_on=date(2024, 1, 20))
    assert (again.loaded, again.unchanged) == (0, 2)
