"""Loading benefits and re-integration provisions (issue 14; docs/loading.md "Uitkeringen laden",
"Re-integratievoorzieningen laden")."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

import pyarrow.csv as pcsv
import pyarrow.parquet as pq
import pytest
from openpyxl import Workbook

from sdmonitor.errors import InputError, LoadRejectedError
from sdmonitor.ingest.columns import read_mapping_file
from sdmonitor.loading import BENEFIT_TABLE, LoadOptions, load_table
from sdmonitor.warehouse import Warehouse, open_warehouse
from sdmonitor.warehouse.benefits import BenefitLoad
from sdmonitor.warehouse.inventory import data_moment
from tests.access_builders import load_allocations_rows
from tests.benefit_builders import (
    benefit,
    load_benefits_rows,
    load_reintegration_rows,
    provision,
    write_benefits,
)
from tests.builders import BSN_A, BSN_B, allocation
from tests.conftest import KEY, NOW


def test_a_canonical_benefits_file_loads_a_single_and_a_couple(warehouse: Warehouse, tmp_path: Path) -> None:
    summary = load_benefits_rows(
        warehouse,
        tmp_path,
        [
            benefit(),
            benefit(
                benefit_id="U2",
                client_id="C3",
                partner_id="C4",
                partner_birth_date="1982-05-01",
                partner_gender="1",
                household_type="gehuwden/samenwonenden",
                regulation=None,
                cost_sharers="2",
                end_date="2024-02-29",
                outflow_reason="11",
                inflow_reason="2",
                postcode="2651 AB",
            ),
        ],
    )
    assert (summary.read, summary.loaded, summary.rejected, summary.warned) == (2, 2, 0, 0)
    assert summary.accounted
    stored = warehouse.rows(
        "SELECT benefit_id, regulation, household_type, cost_sharers, start_date, end_date, inflow_reason, "
        "outflow_reason, pc4, partner_birth_date, partner_gender, client_key IS NOT NULL, "
        "partner_key IS NOT NULL FROM benefit_versions ORDER BY benefit_id"
    )
    assert stored == [
        ("U1", "PW", "alleenstaande", None, date(2024, 1, 1), None, None, None, None, None, None, True, False),
        (
            "U2", "PW", "gehuwd_samenwonend", 2, date(2024, 1, 1), date(2024, 2, 29), "02", "11", "2651",
            date(1982, 5, 1), "1", True, True,
        ),
    ]  # fmt: skip


def test_a_partner_with_wmo_support_under_the_same_bsn_is_one_client(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load_allocations_rows(warehouse, tmp_path, [allocation("T1", client=None, bsn=BSN_B, start="2024-01-22")])
    load_benefits_rows(warehouse, tmp_path, [benefit(client_id=None, bsn=BSN_A, partner_bsn=BSN_B)])
    partner = warehouse.value("SELECT partner_key FROM benefit_versions")
    assert partner == warehouse.value("SELECT client_key FROM allocation_versions")
    assert warehouse.value("SELECT client_key FROM benefit_versions") != partner


def test_a_provision_gets_the_client_key_of_the_benefit(warehouse: Warehouse, tmp_path: Path) -> None:
    load_benefits_rows(warehouse, tmp_path, [benefit()])
    summary = load_reintegration_rows(warehouse, tmp_path, [provision(provision_type="4")])
    assert (summary.read, summary.loaded, summary.rejected) == (1, 1, 0)
    assert warehouse.rows("SELECT provision_id, provision_type FROM reintegration_versions") == [("R1", "04")]
    assert warehouse.value("SELECT client_key FROM reintegration_versions") == warehouse.value(
        "SELECT client_key FROM benefit_versions"
    )


def benefits_known(warehouse: Warehouse, moment: datetime | None = None) -> list[tuple[object, ...]]:
    """(benefit_id, end_date, outflow_reason) of the benefit versions known at ``moment`` (None: now)."""
    return warehouse.rows(
        "SELECT benefit_id, end_date, outflow_reason FROM benefit_versions "
        "WHERE CASE WHEN CAST(? AS TIMESTAMP) IS NULL THEN superseded_at IS NULL "
        "ELSE known_from <= ? AND (superseded_at IS NULL OR superseded_at > ?) END ORDER BY benefit_id",
        [moment, moment, moment],
    )


def test_every_row_is_loaded_or_reported_with_a_dutch_reason(warehouse: Warehouse, tmp_path: Path) -> None:
    rows = [
        benefit(),
        benefit(benefit_id=None),
        benefit(benefit_id="U3", client_id=None),
        benefit(benefit_id="U4", birth_date=None),
        benefit(benefit_id="U5", end_date="2023-12-01"),
        benefit(benefit_id="U6", start_date="31-02-2024"),
        benefit(benefit_id="U7", regulation="Wajong"),
        benefit(benefit_id="U8", inflow_reason="ZZ"),
        benefit(),  # the same row again: a duplicate
    ]
    summary = load_benefits_rows(warehouse, tmp_path, rows)
    assert (summary.read, summary.loaded, summary.duplicates, summary.rejected, summary.warned) == (
        9,
        2,
        1,
        6,
        1,
    )
    assert summary.accounted
    assert summary.rejections == {
        "missing_benefit_id": 1, "missing_client": 1, "missing_birth_date": 1, "end_before_start": 1,
        "invalid_start_date": 1, "invalid_regulation": 1,
    }  # fmt: skip
    assert summary.warnings == {"unknown_inflow_reason": 1}
    with summary.report_path.open(encoding="utf-8-sig", newline="") as handle:
        reported = {row["rij"]: row for row in csv.DictReader(handle, delimiter=";")}
    assert sorted(reported, key=int) == ["3", "4", "5", "6", "7", "8", "9"]
    assert reported["6"]["melding"] == "Einddatum 2023-12-01 ligt voor de ingangsdatum 2024-01-01."
    assert reported["8"]["melding"].startswith(
        "Regeling 'Wajong' is onbekend; verwacht PW (algemene bijstand)"
    )
    assert reported["9"]["ernst"] == "waarschuwing"


def test_two_rows_of_one_benefit_with_different_content_are_both_rejected(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    summary = load_benefits_rows(warehouse, tmp_path, [benefit(), benefit(end_date="2024-01-31")])
    assert (summary.loaded, summary.rejected) == (0, 2)
    assert summary.rejections == {"duplicate_benefit_id": 2}
    assert summary.notes[0].startswith("uitkeringen in het bestand: 0, waarvan 0 met een partner")
    summary = load_reintegration_rows(warehouse, tmp_path, [provision(), provision(provision_type="05")])
    assert summary.rejections == {"duplicate_provision_id": 2}


def test_a_warned_row_rejected_as_a_duplicate_benefit_id_does_not_count_as_warned(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    # the second row has a warning (an unknown inflow reason) and is rejected with the first one as a
    # duplicate: nothing loads, so nothing is "geladen met waarschuwing"
    summary = load_benefits_rows(
        warehouse,
        tmp_path,
        [benefit(), benefit(inflow_reason="77"), benefit(benefit_id="U2", client_id="C3")],
    )
    assert (summary.loaded, summary.rejected, summary.warned) == (1, 2, 0)
    assert summary.rejections == {"duplicate_benefit_id": 2}
    assert summary.warnings == {}
    with summary.report_path.open(encoding="utf-8-sig") as handle:
        echoed = {row["rij"]: row for row in csv.DictReader(handle, delimiter=";")}
    assert echoed["3"]["ernst"] == "fout"  # the report still names every reason of the rejected row
    assert echoed["3"]["reden"].split(";") == ["unknown_inflow_reason", "duplicate_benefit_id"]


def test_warnings_on_rows_rejected_in_validation_are_not_counted(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    # no client at all (an error) and an unknown outflow reason (a warning) on one row
    summary = load_benefits_rows(
        warehouse,
        tmp_path,
        [benefit(client_id=None, end_date="2024-02-29", outflow_reason="77"), benefit(benefit_id="U2")],
    )
    assert (summary.loaded, summary.rejected, summary.warned) == (1, 1, 0)
    assert summary.warnings == {}


def test_a_later_export_ends_the_benefit_as_a_new_version_and_as_of_sees_it_running(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    january = load_benefits_rows(warehouse, tmp_path, [benefit()], extracted_on=date(2024, 1, 31))
    march = load_benefits_rows(
        warehouse,
        tmp_path,
        [benefit(end_date="2024-02-29", outflow_reason="11")],
        extracted_on=date(2024, 3, 31),
    )
    assert (january.loaded, march.loaded) == (1, 1)
    assert benefits_known(warehouse) == [("U1", date(2024, 2, 29), "11")]
    assert benefits_known(warehouse, datetime(2024, 2, 15)) == [("U1", None, None)]
    assert data_moment(warehouse, ("benefits",)) == date(2024, 3, 31)
    assert data_moment(warehouse, ("benefits",), datetime(2024, 2, 15)) == date(2024, 1, 31)
    again = load_benefits_rows(
        warehouse,
        tmp_path,
        [benefit(end_date="2024-02-29", outflow_reason="11")],
        extracted_on=date(2024, 4, 30),
    )
    assert (again.loaded, again.unchanged) == (0, 1)  # idempotent: the same content is no new version
    assert warehouse.value("SELECT count(*) FROM benefit_versions") == 2


def test_an_older_export_after_a_newer_one_is_refused(warehouse: Warehouse, tmp_path: Path) -> None:
    load_benefits_rows(warehouse, tmp_path, [benefit(end_date="2024-02-29")], extracted_on=date(2024, 3, 31))
    with pytest.raises(InputError, match="is ouder"):
        load_benefits_rows(warehouse, tmp_path, [benefit()], extracted_on=date(2024, 1, 31))
    assert benefits_known(warehouse) == [("U1", date(2024, 2, 29), None)]


def test_strict_with_a_rejected_row_stores_nothing(warehouse: Warehouse, tmp_path: Path) -> None:
    with pytest.raises(LoadRejectedError, match="met --strict is niets geladen"):
        load_benefits_rows(
            warehouse, tmp_path, [benefit(), benefit(benefit_id="U2", birth_date=None)], strict=True
        )
    assert warehouse.value("SELECT count(*) FROM benefit_versions") == 0
    assert warehouse.value("SELECT count(*) FROM client_identifiers") == 0
    assert warehouse.value("SELECT count(*) FROM loads WHERE kind = 'benefits'") == 0


def test_a_failing_load_leaves_no_versions_and_no_identifiers(
    warehouse: Warehouse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(self: BenefitLoad) -> None:
        raise RuntimeError("schijf vol")

    monkeypatch.setattr(BenefitLoad, "before_supersede", fail)
    with pytest.raises(RuntimeError):
        load_benefits_rows(warehouse, tmp_path, [benefit(partner_id="C2", partner_birth_date="1982-01-01")])
    assert warehouse.value("SELECT count(*) FROM benefit_versions") == 0
    assert warehouse.value("SELECT count(*) FROM client_identifiers") == 0
    assert warehouse.value("SELECT count(*) FROM loads") == 0


DUTCH_EXPORT = (
    "uitkeringsnummer;bsn_aanvrager;bsn_partner;naam_aanvrager;adres;geboortedatum;geboortedatum_partner;"
    "geslacht;regeling;leefvorm;aantal_kostendelers;ingangsdatum;einddatum;reden_instroom;reden_uitstroom;"
    "postcode;gemeentecode\n"
    f"D-100;{BSN_A};{BSN_B};J. Jansen;Dorpsstraat 1;15-03-1980;01-05-1982;V;Algemene bijstand;"
    "Gehuwden/samenwonenden;0;01-01-2024;29-02-2024;11;11;2651 AB;1621\n"
    f"D-101;{BSN_B};;A. de Vries;Kerkweg 2;01-05-1982;;M;IOAW;alleenstaande;;01-03-2024;;;;2652;1621\n"
)


def test_a_dutch_income_system_export_loads_and_its_names_and_addresses_are_dropped(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    path = tmp_path / "uitkeringen.csv"
    path.write_text(DUTCH_EXPORT, encoding="utf-8")
    summary = load_table(
        warehouse, path, LoadOptions(pseudonym_key=KEY, extracted_on=date(2024, 3, 1)), BENEFIT_TABLE,
        now=datetime(2024, 3, 1, 12),
    )  # fmt: skip
    assert summary.mapping == "nl-uitkeringen"
    assert summary.notes == (
        "uitkeringen in het bestand: 2, waarvan 1 met een partner (een paar is één uitkering en twee personen)",
    )
    assert (summary.read, summary.loaded, summary.rejected, summary.warned) == (2, 2, 0, 0)
    assert set(summary.ignored_headers) == {"naam_aanvrager", "adres"}
    stored = warehouse.rows(
        "SELECT benefit_id, regulation, household_type, cost_sharers, gender, end_date, pc4, municipality_code "
        "FROM benefit_versions ORDER BY benefit_id"
    )
    assert stored == [
        ("D-100", "PW", "gehuwd_samenwonend", 0, "2", date(2024, 2, 29), "2651", "1621"),
        ("D-101", "IOAW", "alleenstaande", None, "1", None, "2652", "1621"),
    ]
    # the partner of D-100 is the applicant of D-101: one client
    partner, applicant = warehouse.rows(
        "SELECT (SELECT partner_key FROM benefit_versions WHERE benefit_id = 'D-100'), "
        "(SELECT client_key FROM benefit_versions WHERE benefit_id = 'D-101')"
    )[0]
    assert partner == applicant


def test_csv_xlsx_and_parquet_of_the_same_benefits_load_the_same(tmp_path: Path) -> None:
    rows = [
        benefit(partner_id="C2", partner_birth_date="1982-05-01", household_type="3", cost_sharers="1"),
        benefit(
            benefit_id="U2", client_id="C3", end_date="2024-02-29", outflow_reason="32", postcode="2651AB"
        ),
    ]
    csv_path = write_benefits(tmp_path / "u.csv", rows)
    table = pcsv.read_csv(csv_path, convert_options=pcsv.ConvertOptions(strings_can_be_null=True))
    pq.write_table(table, tmp_path / "u.parquet")
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(table.column_names)
    for record in table.to_pylist():
        sheet.append(list(record.values()))
    workbook.save(tmp_path / "u.xlsx")
    results = []
    for name in ("u.csv", "u.parquet", "u.xlsx"):
        with open_warehouse(tmp_path / f"{name}.duckdb") as warehouse:
            summary = load_table(
                warehouse, tmp_path / name, LoadOptions(pseudonym_key=KEY), BENEFIT_TABLE, now=NOW
            )
            assert (summary.loaded, summary.rejected) == (2, 0), name
            results.append(
                warehouse.rows(
                    "SELECT * EXCLUDE (source_row, load_id) FROM benefit_versions ORDER BY benefit_id"
                )
            )
    assert results[0] == results[1] == results[2]


def test_a_mapping_file_translates_local_reason_codes(warehouse: Warehouse, tmp_path: Path) -> None:
    mapping_path = tmp_path / "gws.yaml"
    mapping_path.write_text(
        "name: gws-uitkeringen\n"
        "delimiter: ';'\n"
        "date_formats: [DD-MM-YYYY]\n"
        "columns:\n"
        "  Dossiernr: benefit_id\n  Clientnr: client_id\n  Dd_Geboorte: birth_date\n"
        "  Dd_St_Per_Alg: start_date\n  Dd_End_Per_Alg: end_date\n  Kode_Afh: inflow_reason\n"
        "  Kode_Rede_Eind: outflow_reason\n"
        "codes:\n"
        "  inflow_reason: {41: '32', 2: '02'}\n"
        "  outflow_reason: {W: '11'}\n",
        encoding="utf-8",
    )
    mapping = read_mapping_file(mapping_path, "benefits")
    path = tmp_path / "gws.csv"
    path.write_text(
        "Dossiernr;Clientnr;Dd_Geboorte;Dd_St_Per_Alg;Dd_End_Per_Alg;Kode_Afh;Kode_Rede_Eind\n"
        "1;C1;15-03-1980;01-01-2024;29-02-2024;41;W\n"
        "2;C2;15-03-1981;01-01-2024;;02;\n"
        "3;C3;15-03-1982;01-01-2024;;77;\n",
        encoding="utf-8",
    )
    summary = load_table(
        warehouse, path, LoadOptions(mapping=mapping, pseudonym_key=KEY), BENEFIT_TABLE, now=NOW
    )
    assert (summary.loaded, summary.rejected, summary.warnings) == (3, 0, {"unknown_inflow_reason": 1})
    assert warehouse.rows(
        "SELECT inflow_reason, outflow_reason FROM benefit_versions ORDER BY benefit_id"
    ) == [
        ("32", "11"),
        ("02", None),
        ("77", None),
    ]


@pytest.mark.parametrize(
    ("codes", "message"),
    [
        ("codes:\n  product_category: {A: '01'}\n", "codes van kolom 'product_category' kunnen niet"),
        ("codes:\n  outflow_reason: [11]\n", "moet per lokale code de landelijke code geven"),
        ("codes: 11\n", "'codes' moet per kolom"),
    ],
)
def test_a_wrong_codes_section_is_refused_in_dutch(tmp_path: Path, codes: str, message: str) -> None:
    path = tmp_path / "eigen.yaml"
    path.write_text("columns:\n  Nummer: benefit_id\n" + codes, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        read_mapping_file(path, "benefits")


def test_a_codes_section_for_allocations_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "toewijzingen.yaml"
    path.write_text("columns:\n  Nummer: allocation_id\ncodes:\n  law: {A: WMO}\n", encoding="utf-8")
    with pytest.raises(InputError, match="alleen bij benefits, reintegration"):
        read_mapping_file(path, "allocations")


def test_a_partner_merged_by_a_later_link_gets_a_new_version_with_the_surviving_key(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load_benefits_rows(
        warehouse,
        tmp_path,
        [benefit(partner_id="C2", partner_birth_date="1982-05-01")],
        extracted_on=date(2024, 1, 31),
    )
    load_reintegration_rows(warehouse, tmp_path, [provision(client_id="C2")], extracted_on=date(2024, 1, 31))
    load_allocations_rows(
        warehouse, tmp_path, [allocation("T1", client=None, bsn=BSN_B)], extracted_on=date(2024, 2, 1)
    )
    before = warehouse.rows("SELECT client_key, partner_key FROM benefit_versions")
    linked = load_allocations_rows(
        warehouse, tmp_path, [allocation("T2", client="C2", bsn=BSN_B)], extracted_on=date(2024, 2, 15)
    )
    # C2's key is absorbed into the BSN's: the benefit (its partner) and the provision get a new version
    assert linked.relinked == 2
    bsn_key = warehouse.value("SELECT client_key FROM allocation_versions WHERE allocation_id = 'T1'")
    current = warehouse.rows(
        "SELECT client_key, partner_key FROM benefit_versions WHERE superseded_at IS NULL"
    )
    assert current == [(before[0][0], bsn_key)]
    assert (
        warehouse.value("SELECT client_key FROM reintegration_versions WHERE superseded_at IS NULL")
        == bsn_key
    )
    as_of = warehouse.rows(
        "SELECT partner_key FROM benefit_versions WHERE known_from <= ? AND "
        "(superseded_at IS NULL OR superseded_at > ?)",
        [datetime(2024, 2, 10), datetime(2024, 2, 10)],
    )
    assert as_of == [(before[0][1],)]


def test_the_cli_loads_benefits_and_provisions_and_lists_their_layouts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from sdmonitor.cli import cli

    monkeypatch.setenv("SDM_PSEUDONYM_KEY", KEY.decode())
    benefits = tmp_path / "uitkeringen.csv"
    benefits.write_text(DUTCH_EXPORT, encoding="utf-8")
    provisions = tmp_path / "re-integratie.csv"
    provisions.write_text(
        f"voorzieningnummer;bsn;soort_voorziening;begindatum;einddatum\nV1;{BSN_B};05;01-02-2024;\n", "utf-8"
    )
    db = str(tmp_path / "sdm.duckdb")
    runner = CliRunner()
    loaded = runner.invoke(
        cli, ["--db", db, "load", "benefits", str(benefits), "--extracted-on", "2024-03-01"]
    )
    assert loaded.exit_code == 0, loaded.output
    assert "indeling 'nl-uitkeringen'" in loaded.output and "gelezen 2 = geladen 2" in loaded.output
    assert "genegeerde kolommen: naam_aanvrager, adres" in loaded.output
    loaded = runner.invoke(cli, ["--db", db, "load", "reintegration", str(provisions)])
    assert loaded.exit_code == 0, loaded.output
    assert "indeling 'nl-re-integratie'" in loaded.output and "gelezen 1 = geladen 1" in loaded.output
    with open_warehouse(Path(db)) as warehouse:
        assert (
            warehouse.value(
                "SELECT count(DISTINCT client_key) FROM (SELECT client_key FROM reintegration_versions UNION ALL "
                "SELECT client_key FROM benefit_versions WHERE benefit_id = 'D-101')"
            )
            == 1
        )
    listed = runner.invoke(cli, ["mappings"], terminal_width=400)
    assert "sdm load benefits" in listed.output and "nl-uitkeringen" in listed.output
    assert "sdm load reintegration" in listed.output
    wrong = runner.invoke(cli, ["--db", db, "load", "benefits", str(benefits), "--mapping", "nl-export"])
    assert wrong.exit_code == 1 and "Koppeling 'nl-export' bestaat niet" in str(wrong.exception)


def test_a_link_made_by_a_partner_in_the_same_file_gives_the_applicant_of_another_row_the_surviving_key(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load_allocations_rows(
        warehouse,
        tmp_path,
        [allocation("T1", client="C5"), allocation("T2", client=None, bsn=BSN_A)],
        extracted_on=date(2024, 2, 1),
    )
    summary = load_benefits_rows(
        warehouse,
        tmp_path,
        [
            benefit(client_id="C5"),
            benefit(
                benefit_id="U2",
                client_id="C9",
                partner_id="C5",
                partner_bsn=BSN_A,
                partner_birth_date="1950-03-15",
            ),
        ],
    )
    assert (summary.loaded, summary.rejected, summary.relinked) == (2, 0, 1)  # T1 gets the BSN's key
    bsn_key = warehouse.value("SELECT client_key FROM allocation_versions WHERE allocation_id = 'T2'")
    assert warehouse.rows("SELECT benefit_id, client_key = ?, partner_key = ? FROM benefit_versions ORDER BY 1",
                          [bsn_key, bsn_key]) == [("U1", True, None), ("U2", False, True)]  # fmt: skip
    assert (
        warehouse.value(
            "SELECT client_key FROM allocation_versions WHERE allocation_id = 'T1' AND superseded_at IS NULL"
        )
        == bsn_key
    )


def test_a_partner_client_number_linked_to_another_bsn_is_reported(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load_allocations_rows(warehouse, tmp_path, [allocation("T1", client="C5", bsn=BSN_A)])
    summary = load_benefits_rows(
        warehouse,
        tmp_path,
        [benefit(partner_id="C5", partner_bsn=BSN_B, partner_birth_date="1982-05-01")],
        extracted_on=date(2024, 3, 2),
    )
    assert (summary.loaded, summary.warnings) == (1, {"client_number_other_bsn": 1})


def test_links_made_in_a_later_batch_reach_the_applicant_and_the_partner_of_earlier_batches(
    warehouse: Warehouse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sdmonitor.ingest import readers

    load_allocations_rows(
        warehouse,
        tmp_path,
        [allocation("T1", client=None, bsn=BSN_A), allocation("T2", client=None, bsn=BSN_B)],
        extracted_on=date(2024, 2, 1),
    )
    monkeypatch.setattr(readers, "CSV_BLOCK_BYTES", 512)  # a batch of a few rows
    filler = [benefit(benefit_id=f"F{n}", client_id=f"F{n}") for n in range(12)]
    summary = load_benefits_rows(
        warehouse,
        tmp_path,
        [
            benefit(client_id="C6", partner_id="C5", partner_birth_date="1982-05-01"),
            *filler,
            benefit(benefit_id="U2", client_id="C5", bsn=BSN_A),  # C5 is BSN A: the partner of U1
            benefit(
                benefit_id="U3",
                client_id="C9",
                partner_id="C6",
                partner_bsn=BSN_B,
                partner_birth_date="1980-03-15",
            ),
        ],
    )
    assert (summary.loaded, summary.rejected) == (15, 0)
    assert warehouse.value("SELECT count(DISTINCT load_id) FROM benefit_versions") == 1
    key_a, key_b = (
        warehouse.value(f"SELECT client_key FROM allocation_versions WHERE allocation_id = '{t}'")
        for t in ("T1", "T2")
    )
    assert warehouse.rows("SELECT client_key, partner_key FROM benefit_versions WHERE benefit_id = 'U1'") == [
        (key_b, key_a)
    ]
