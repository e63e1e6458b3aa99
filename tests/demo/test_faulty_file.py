"""The Dutch export with faulty rows: layout, fictional BSNs and the sidecar of expected reasons."""

from __future__ import annotations

from collections import Counter
from datetime import date

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sdmonitor.demo.faults import (
    DUTCH_HEADERS,
    HARD_REASONS,
    WARNING_REASONS,
    fictional_bsns,
    format_decimal,
    is_valid_bsn,
)
from tests.demo.helpers import Run, read_csv_rows


def eleven_check(bsn: str) -> bool:
    """Independent 11-check: 9 digits, weights 9..2 and -1 for the last, weighted sum divisible by 11."""
    if len(bsn) != 9 or not bsn.isdigit():
        return False
    weights = [9, 8, 7, 6, 5, 4, 3, 2, -1]
    return sum(int(d) * w for d, w in zip(bsn, weights, strict=True)) % 11 == 0


def _rows(run: Run) -> list[dict[str, str]]:
    return read_csv_rows(run.files.faulty, delimiter=";")


def _expected(run: Run) -> dict[int, str]:
    return {int(r["rij"]): r["verwachte_reden"] for r in read_csv_rows(run.files.faulty_expected)}


def test_faulty_file_uses_the_dutch_export_layout(municipality: Run) -> None:
    lines = municipality.files.faulty.read_text(encoding="utf-8").splitlines()
    assert lines[0] == ";".join(DUTCH_HEADERS)
    assert lines[0].startswith("Toewijzingsnummer;BSN;Geboortedatum;Geslacht;Gemeentecode;Postcode;Wet")
    assert lines[0].endswith("Reden wijziging;Reden beëindiging")
    rows = _rows(municipality)
    assert {row["Wet"] for row in rows} >= {"Wmo", "Jeugdwet"}
    day, month, year = rows[0]["Ingangsdatum"].split("-")
    date(int(year), int(month), int(day))
    volumes = [row["Omvang"] for row in rows if row["Omvang"]]
    assert any("," in v for v in volumes) and not any("." in v for v in volumes)


def test_faulty_file_size_scales_mildly_with_inhabitants(municipality: Run, region: Run) -> None:
    assert len(_rows(municipality)) == municipality.files.faulty_rows
    assert 500 <= municipality.files.faulty_rows <= 2_000
    assert 500 <= region.files.faulty_rows <= municipality.files.faulty_rows


def test_sidecar_lists_every_reason_code_for_existing_rows(municipality: Run) -> None:
    expected = _expected(municipality)
    assert set(expected.values()) == {*HARD_REASONS, *WARNING_REASONS, "duplicate"}
    assert min(expected) >= 2
    assert max(expected) <= municipality.files.faulty_rows + 1


def test_bad_rows_are_a_small_share_and_counted_without_duplicates(municipality: Run) -> None:
    reasons = Counter(_expected(municipality).values())
    hard = sum(reasons[code] for code in HARD_REASONS)
    assert hard == municipality.files.faulty_bad_rows
    assert 0.05 <= hard / municipality.files.faulty_rows <= 0.10
    assert 2 <= reasons["duplicate"] <= 5


def test_duplicates_repeat_an_earlier_row_exactly(municipality: Run) -> None:
    rows = _rows(municipality)
    for number, reason in _expected(municipality).items():
        if reason == "duplicate":
            assert rows[number - 2] in rows[: number - 2]


def test_listed_rows_show_their_fault(municipality: Run) -> None:
    rows = _rows(municipality)
    for number, reason in _expected(municipality).items():
        row = rows[number - 2]
        if reason == "missing_allocation_id":
            assert row["Toewijzingsnummer"] == ""
        elif reason == "missing_client":
            assert row["BSN"] == ""
        elif reason == "invalid_bsn":
            assert row["BSN"].startswith("9999") and not eleven_check(row["BSN"])
        elif reason == "invalid_law":
            assert row["Wet"] in {"Wlz", "Zvw"}
        elif reason == "invalid_gender":
            assert row["Geslacht"] == "9"
        elif reason == "volume_without_unit":
            assert row["Omvang"] and not row["Eenheid"]


def test_rows_not_listed_are_valid(municipality: Run) -> None:
    expected = _expected(municipality)
    for number, row in enumerate(_rows(municipality), start=2):
        if number in expected:
            continue
        assert row["Toewijzingsnummer"] and row["Ingangsdatum"] and row["Productcategorie"]
        assert row["Wet"] in {"Wmo", "Jeugdwet"}
        assert eleven_check(row["BSN"])


def test_fictional_bsns_all_start_with_9999_and_pass_the_eleven_check(municipality: Run) -> None:
    expected = _expected(municipality)
    bsns = [
        row["BSN"]
        for number, row in enumerate(_rows(municipality), start=2)
        if row["BSN"] and expected.get(number) != "invalid_bsn"
    ]
    assert bsns
    assert all(bsn.startswith("9999") and eleven_check(bsn) for bsn in bsns)
    assert all(row["BSN"].startswith("9999") for row in _rows(municipality) if row["BSN"])


@settings(max_examples=50, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), count=st.integers(1, 300))
def test_every_generated_bsn_passes_an_independent_eleven_check(seed: int, count: int) -> None:
    bsns = fictional_bsns(np.random.default_rng(seed), count)
    assert len(set(bsns)) == count
    assert all(bsn.startswith("9999") and eleven_check(bsn) for bsn in bsns)


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_bsn_check_agrees_with_the_independent_one(bsn: str) -> None:
    assert is_valid_bsn(bsn) == eleven_check(bsn)


def test_decimals_are_written_with_a_comma_and_no_trailing_zeros() -> None:
    assert format_decimal(2.5) == "2,5"
    assert format_decimal(3.0) == "3"
    assert format_decimal(45000.0) == "45000"
