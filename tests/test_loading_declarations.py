"""Loading declarations on a real DuckDB warehouse: versions, line keys, client keys, warnings, the report."""

from __future__ import annotations

import csv
import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from sdmonitor.domain.rules import RULES
from sdmonitor.loading import LoadSummary
from sdmonitor.warehouse import Warehouse
from tests.builders import BSN_A, allocation, write_csv
from tests.conftest import KEY
from tests.money_builders import declaration, load_declarations_rows, write_declarations
from tests.money_builders_reference import load_tariffs_rows


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
    from sdmonitor.ingest.columns import IWMO_323
    from sdmonitor.loading import LoadOptions, load_declarations

    path = tmp_path / "wmo323.csv"
    path.write_text(
        "ReferentieNummer,ToewijzingNummer,Bsn,ProductCategorie,ProductCode,Begindatum,Einddatum,GeleverdVolume,"
        "Eenheid,Bedrag,DebetCredit,DeclaratieDagtekening\n"
        f"RN001,T1,{BSN_A},02,02A01,2024-01-01,2024-01-31,240,01,123456,D,2024-02-06\n",
        encoding="utf-8",
    )
    options = LoadOptions(pseudonym_key=KEY, mapping=IWMO_323, extracted_on=date(2024, 3, 1))
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


# An allocation of 2 hours a week of product 02A01 at provider 12345678 from 2018 on; the default declaration
# (January 2024, 4 hours, 5 calendar weeks touched: up to 10 hours allowed) fits it.
FITTING = {
    "product_code": "02A01",
    "provider_code": "12345678",
    "volume": "2",
    "unit": "04",
    "frequency": "2",
}
AGAINST_ALLOCATION = [
    ("declared_on_deleted_allocation", {"change_reason": "13"}, [{}]),
    ("allocation_of_other_client", {"client": "C2"}, [{}]),
    ("category_differs_from_allocation", {}, [{"product_category": "07"}]),
    ("product_code_differs_from_allocation", {}, [{"product_code": "02A02"}]),
    ("provider_differs_from_allocation", {}, [{"provider_code": "87654321"}]),
    ("period_outside_allocation", {"start": "2024-01-15"}, [{}]),
    ("period_outside_allocation", {"end": "2024-01-15", "end_reason": "19"}, [{}]),
    ("unit_differs_from_allocation", {}, [{"unit": "14"}]),
    ("volume_exceeds_allocation", {}, [{"volume": "10.5"}]),
    ("volume_exceeds_allocation", {}, [{"volume": "601", "unit": "01"}]),  # minutes against hours
    ("volume_exceeds_allocation", {"frequency": "1", "volume": "1"}, [{"volume": "32", "unit": "04"}]),
    ("volume_exceeds_allocation", {"frequency": "4", "volume": "3"}, [{}]),
    ("cumulative_volume_exceeds_allocation", {"frequency": "6", "volume": "10"},
     [{"volume": "6"}, {"declaration_id": "R2", "volume": "6", "period_start": "2024-02-01", "period_end": "2024-02-29"}]),
    ("amount_exceeds_allocation_budget", {"frequency": "6", "volume": "100000", "unit": "83"},
     [{"amount": "600", "unit": "83", "volume": None},
      {"declaration_id": "R2", "amount": "500", "unit": "83", "volume": None, "period_start": "2024-02-01",
       "period_end": "2024-02-29"}]),
    ("amount_exceeds_allocation_budget", {"frequency": "4", "volume": "50000", "unit": "83"},
     [{"amount": "500.01", "unit": "83", "volume": None}]),
    ("second_debit_same_period", {}, [{}, {"declaration_id": "R2"}]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("code", "allocated", "declared"),
    AGAINST_ALLOCATION,
    ids=[f"{c}-{i}" for i, (c, _, _) in enumerate(AGAINST_ALLOCATION)],
)
def test_a_declaration_is_never_rejected_for_an_istandaard_rule(
    warehouse: Warehouse,
    tmp_path: Path,
    code: str,
    allocated: dict[str, str],
    declared: list[dict[str, str | None]],
) -> None:
    load_allocations_rows(warehouse, tmp_path, [allocation("T1", **(FITTING | allocated))])
    summary = load_declarations_rows(warehouse, tmp_path, [declaration(**change) for change in declared])
    assert (summary.loaded, summary.rejected) == (len(declared), 0)
    assert summary.warnings == {code: len(declared)}
    echoed = report_rows(summary)
    assert [(row["reden"], row["ernst"]) for row in echoed] == [(code, "waarschuwing")] * len(declared)
    # the iStandaard return code, when there is one, is in the message so finance staff recognise it
    found = re.search(r"retourcodes? (\d+)", RULES[code].description)
    assert found is None or all(found.group(1) in row["melding"] for row in echoed)
    assert code == "provider_differs_from_allocation" or found is not None


def test_a_declaration_that_fits_its_allocation_has_no_warning(warehouse: Warehouse, tmp_path: Path) -> None:
    load_allocations_rows(warehouse, tmp_path, [allocation("T1", **FITTING)])
    rows = [declaration(volume="10"), declaration(declaration_id="R2", volume="600", unit="01",
                                                  period_start="2024-02-01", period_end="2024-02-29")]  # fmt: skip
    summary = load_declarations_rows(warehouse, tmp_path, rows)
    assert (summary.loaded, summary.warned) == (2, 0)


def test_a_credited_first_debit_makes_the_second_no_second_debit(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load_allocations_rows(warehouse, tmp_path, [allocation("T1", **FITTING)])
    rows = [declaration(), declaration(debit_credit="C"), declaration(declaration_id="R2")]
    summary = load_declarations_rows(warehouse, tmp_path, rows)
    assert (summary.loaded, summary.warned) == (3, 0)


def test_a_rejected_debit_declared_again_under_a_new_number_is_no_second_debit(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load_allocations_rows(warehouse, tmp_path, [allocation("T1", **FITTING)])
    first = load_declarations_rows(
        warehouse, tmp_path, [declaration(status="afgewezen")], extracted_on=date(2024, 3, 1)
    )
    again = load_declarations_rows(
        warehouse, tmp_path, [declaration(declaration_id="R2")], extracted_on=date(2024, 4, 1)
    )
    assert (first.warned, again.warned) == (0, 0)
    # a debit beside one that still counts (R2) is a second debit; a rejected one is not
    both = [declaration(declaration_id="R3", status="afgewezen"), declaration(declaration_id="R4")]
    later = load_declarations_rows(warehouse, tmp_path, both, extracted_on=date(2024, 5, 1))
    assert later.warnings == {"second_debit_same_period": 1}
    assert [row["rij"] for row in report_rows(later)] == ["3"]


def test_a_row_is_echoed_once_with_its_own_warning_and_those_found_against_the_warehouse(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load_allocations_rows(warehouse, tmp_path, [allocation("T1", **FITTING)])
    early = {"submitted_on": "2023-12-20"}  # before the delivery: a warning of the row itself
    rows = [
        declaration(debit_credit="C", **early),  # and a credit without a debit, found after the fold
        declaration(
            declaration_id="R2", client_id="C2", period_start="2024-02-01", period_end="2024-02-29", **early
        ),  # and another client's allocation
        declaration(declaration_id="R3"),
        declaration(declaration_id="R3", amount="99.00", **early),  # and a conflict (rejected)
    ]
    summary = load_declarations_rows(warehouse, tmp_path, rows)
    echoed = {row["rij"]: row for row in report_rows(summary)}
    assert len(report_rows(summary)) == len(echoed) == 4
    assert echoed["2"]["reden"] == "submitted_before_delivery;credit_without_debit"
    assert echoed["3"]["reden"] == "submitted_before_delivery;allocation_of_other_client"
    assert echoed["4"]["reden"] == "duplicate_declaration_id"
    assert echoed["5"]["reden"] == "submitted_before_delivery;duplicate_declaration_id"
    assert [echoed[r]["ernst"] for r in "2345"] == ["waarschuwing", "waarschuwing", "fout", "fout"]
    # both messages, the row's own first
    assert re.search("2023-12-20.*8017", echoed["2"]["melding"]), echoed["2"]["melding"]
    # the warning of row 5 is echoed but not counted: the row is rejected (a conflict), not warned
    assert summary.warnings == {
        "submitted_before_delivery": 2,
        "credit_without_debit": 1,
        "allocation_of_other_client": 1,
    }
    assert (summary.loaded, summary.rejected, summary.warned) == (2, 2, 2)


@pytest.mark.parametrize(
    ("declared", "warned"),
    [
        ({"amount": "250.00"}, False),  # 4 hours x 62.50
        ({"amount": "250.01"}, False),  # within a cent
        ({"amount": "250.02"}, True),
        ({"amount": "140.64", "volume": "135", "unit": "01"}, False),  # 135 x 62.50 / 60 = 140.625 -> 140.63
        ({"amount": "140.60", "volume": "135", "unit": "01"}, True),
        ({"amount": "260.00", "provider_code": "87654321"}, False),  # that provider's own tariff: 65
        ({"amount": "300.00", "debit_credit": "C"}, True),  # a credit is volume x tariff too
        ({"amount": "300.00", "delivery_form": "PGB"}, False),
        ({"amount": "300.00", "product_code": "02A02"}, False),  # no tariff for the product
        (
            {"amount": "300.00", "period_start": "2023-12-01", "period_end": "2023-12-31"},
            False,
        ),  # not valid yet
    ],
)
def test_an_amount_that_is_not_volume_times_the_loaded_tariff_gets_a_warning(
    warehouse: Warehouse, tmp_path: Path, declared: dict[str, str], warned: bool
) -> None:
    tariffs = [
        {"product_code": "02A01", "unit": "04", "tariff": "62.50", "valid_from": "2024-01-01"},
        {"product_code": "02A01", "provider_code": "87654321", "unit": "04", "tariff": "65",
         "valid_from": "2024-01-01"},
    ]  # fmt: skip
    load_tariffs_rows(warehouse, tmp_path, tariffs)
    summary = load_declarations_rows(warehouse, tmp_path, [declaration(allocation_id=None, **declared)])
    assert summary.warnings.get("amount_differs_from_tariff", 0) == warned
    if warned:
        (row,) = report_rows(summary)
        assert "amount_differs_from_tariff" in row["reden"].split(";")
        assert "retourcode 0611" in row["melding"] and declared["amount"] in row["melding"]


def test_a_budget_line_is_not_checked_against_a_tariff(warehouse: Warehouse, tmp_path: Path) -> None:
    tariff = {"product_code": "02A01", "unit": "04", "tariff": "62.50", "valid_from": "2024-01-01"}
    load_tariffs_rows(warehouse, tmp_path, [tariff])
    rows = [declaration(allocation_id=None, unit="83", volume=None, amount="123.45")]
    assert load_declarations_rows(warehouse, tmp_path, rows).warnings == {}


def test_the_total_over_an_allocation_counts_the_lines_loaded_before(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load_allocations_rows(
        warehouse, tmp_path, [allocation("T1", **(FITTING | {"frequency": "6", "volume": "10"}))]
    )
    first = load_declarations_rows(
        warehouse, tmp_path, [declaration(volume="6")], extracted_on=date(2024, 3, 1)
    )
    assert first.warned == 0
    later = [declaration(declaration_id="R2", volume="6", period_start="2024-02-01", period_end="2024-02-29")]
    second = load_declarations_rows(warehouse, tmp_path, later, extracted_on=date(2024, 4, 1))
    assert second.warnings == {"cumulative_volume_exceeds_allocation": 1}


def test_sdm_load_declarations_prints_the_counts_the_total_and_the_report(tmp_path: Path) -> None:
    from tests.cli.test_cli import sdm

    rows = [declaration(), declaration(declaration_id="R2", status="betaald")]
    path = write_declarations(tmp_path / "declaraties.csv", rows)
    env = {"SDM_PSEUDONYM_KEY": KEY.decode()}
    result = sdm("load", "declarations", str(path), "--extracted-on", "2024-03-01", cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert "gelezen 2 = geladen 1 + ongewijzigd 0 + dubbel 0 + afgewezen 1" in result.stdout
    assert "invalid_status 1" in result.stdout
    assert "€ 250,00" in result.stdout
    listed = sdm("loads", cwd=tmp_path, env=env)
    assert "declarations" in listed.stdout


def test_sdm_load_declarations_refuses_a_file_without_the_required_columns_in_dutch(tmp_path: Path) -> None:
    from tests.cli.test_cli import sdm

    path = tmp_path / "d.csv"
    path.write_text("declaration_id,client_id\nR1,C1\n", encoding="utf-8")
    result = sdm("load", "declarations", str(path), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("Fout: Kolommen ") and "ontbreken" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_own_mapping_file_can_say_its_amounts_are_in_cents(warehouse: Warehouse, tmp_path: Path) -> None:
    from sdmonitor.ingest.columns import read_mapping_file
    from sdmonitor.loading import LoadOptions, load_declarations

    mapping_path = tmp_path / "financieel.yaml"
    mapping_path.write_text(
        "name: financieel\namount_unit: cent\ncolumns:\n  Regel: declaration_id\n  Klant: client_id\n"
        "  Wet: law\n  Categorie: product_category\n  Van: period_start\n  Tot: period_end\n  Centen: amount\n",
        encoding="utf-8",
    )
    mapping = read_mapping_file(mapping_path, "declarations")
    path = tmp_path / "export.csv"
    path.write_text(
        "Regel,Klant,Wet,Categorie,Van,Tot,Centen\nF1,C1,WMO,02,2024-01-01,2024-01-31,9950\n", "utf-8"
    )
    options = LoadOptions(pseudonym_key=KEY, mapping=mapping, extracted_on=date(2024, 3, 1))
    summary = load_declarations(warehouse, path, options, now=datetime(2024, 3, 1, 12))
    assert (summary.mapping, summary.loaded) == ("financieel", 1)
    assert warehouse.value("SELECT amount FROM declaration_versions") == Decimal("99.50")


def test_a_mapping_file_naming_an_allocation_column_is_refused_for_declarations(tmp_path: Path) -> None:
    from sdmonitor.errors import InputError
    from sdmonitor.ingest.columns import read_mapping_file

    mapping_path = tmp_path / "fout.yaml"
    mapping_path.write_text("columns:\n  Geboren: birth_date\n", encoding="utf-8")
    with pytest.raises(InputError, match="geen canonieke kolom"):
        read_mapping_file(mapping_path, "declarations")
    mapping_path.write_text("amount_unit: dollar\ncolumns:\n  Bedrag: amount\n", encoding="utf-8")
    with pytest.raises(InputError, match="'euro' of 'cent'"):
        read_mapping_file(mapping_path, "declarations")


# The Prestaties of the iJw reference example JW323.xml (../shared/reference/istandaarden/ijw-3.2/examples/),
# flattened to one row each with their element names: RN004 twice for one client (March and April), against
# TR314; DeclaratieDagtekening 2026-05-06, sender (Afzender) 65656055.
JW323_HEADER = (
    "ReferentieNummer,ToewijzingNummer,Bsn,ProductCategorie,ProductCode,Begindatum,Einddatum,GeleverdVolume,"
    "Eenheid,Bedrag,DebetCredit,DeclaratieDagtekening,Afzender"
)
JW323_ROWS = [
    "RN001,10072,999900006,45,45A03,2026-04-01,2026-04-30,4,04,5000,D,2026-05-06,65656055",
    "RN002,10073,999900006,45,45A04,2026-04-01,2026-04-30,16,04,24000,D,2026-05-06,65656055",
    "RN003,10074,999900018,45,45A03,2026-04-01,2026-04-30,4,04,5000,D,2026-05-06,65656055",
    "RN004,10073,999900018,45,45A04,2026-04-01,2026-04-30,16,04,24000,D,2026-05-06,65656055",
    "RN004,10073,999900018,45,45A04,2026-03-01,2026-03-31,14,04,21000,D,2026-05-06,65656055",
]


def test_a_reference_number_twice_in_the_jw323_example_rejects_both_rows(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    from sdmonitor.ingest.columns import IJW_323
    from sdmonitor.loading import LoadOptions, load_declarations

    path = tmp_path / "JW323.csv"
    path.write_text("\n".join([JW323_HEADER, *JW323_ROWS]) + "\n", encoding="utf-8")
    options = LoadOptions(pseudonym_key=KEY, mapping=IJW_323, extracted_on=date(2026, 5, 20))
    summary = load_declarations(warehouse, path, options, now=datetime(2026, 5, 20, 12))
    assert (summary.read, summary.loaded, summary.rejected) == (5, 3, 2)
    assert summary.rejections == {"duplicate_declaration_id": 2}
    assert warehouse.rows(
        "SELECT declaration_id, law, amount, provider_key FROM declaration_versions ORDER BY 1"
    ) == [
        ("RN001", "JW", Decimal("50.00"), "65656055"),
        ("RN002", "JW", Decimal("240.00"), "65656055"),
        ("RN003", "JW", Decimal("50.00"), "65656055"),
    ]
    assert summary.notes[0] == "totaal van de geladen en ongewijzigde regels: € 340,00 (credit negatief)"


def test_a_323_file_is_loaded_only_with_the_layout_that_names_its_law(tmp_path: Path) -> None:
    from sdmonitor.errors import InputError
    from sdmonitor.ingest.readers import open_source

    path = tmp_path / "JW323.csv"
    path.write_text("\n".join([JW323_HEADER, JW323_ROWS[0]]) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="--mapping iwmo-323 of --mapping ijw-323"):
        open_source(path, None, "declarations")


def test_without_extraction_dates_an_older_export_saved_again_is_recognised_by_its_content(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    from sdmonitor.errors import InputError
    from sdmonitor.loading import LoadOptions, load_declarations

    def load(name: str, rows: list[dict[str, str | None]], day: int) -> LoadSummary:
        path = write_declarations(tmp_path / name, rows)
        return load_declarations(
            warehouse, path, LoadOptions(pseudonym_key=KEY), now=datetime(2024, 3, day, 12)
        )

    load("maart.csv", [declaration(status="ingediend"), declaration(declaration_id="R2")], 1)
    load("april.csv", [declaration(status="toegekend")], 2)
    with pytest.raises(InputError, match="oudere export"):
        load("maart-opnieuw.csv", [declaration(declaration_id="R2"), declaration(status="ingediend")], 3)
    assert lines(warehouse)[0][-1] == "toegekend"
