"""A file with a header and no row is refused for every kind that loads row by row, and leaves the data moment
alone; birth dates are bounded by the export date of the load (docs/loading.md "Wat er gebeurt met elke rij",
"Geboortedatums")."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from sdmonitor.errors import InputError
from sdmonitor.ingest.columns import LAYOUTS
from sdmonitor.loading import (
    ALLOCATION_TABLE,
    BENEFIT_TABLE,
    DECLARATION_TABLE,
    DELIVERY_TABLE,
    REINTEGRATION_TABLE,
    REQUEST_TABLE,
    FileKind,
    LoadOptions,
    load_table,
)
from sdmonitor.warehouse import Warehouse
from sdmonitor.warehouse.inventory import data_moment
from sdmonitor.warehouse.loads import LoadCounts, LoadStart, complete_load, start_load
from tests.benefit_builders import benefit, load_benefits_rows, write_benefits
from tests.conftest import KEY

TABLES = [
    ALLOCATION_TABLE,
    DECLARATION_TABLE,
    REQUEST_TABLE,
    DELIVERY_TABLE,
    BENEFIT_TABLE,
    REINTEGRATION_TABLE,
]
LATER = datetime(2024, 7, 15, 9, 0)  # the load day of the empty file: after the real export of 30-06-2024


def canonical_headers(kind: str) -> list[str]:
    """Every column of the kind's canonical layout (the first built-in one)."""
    return [c.name for c in next(iter(LAYOUTS[kind].values())).canonical_columns]


def header_only(tmp_path: Path, kind: str, tail: str = "") -> Path:
    """A canonical header and ``tail``: '' (nothing), 'blank' (empty lines) or 'cells' (a line of empty cells,
    as wide as the header)."""
    headers = canonical_headers(kind)
    below = {"": "", "blank": "\n\n", "cells": "," * (len(headers) - 1) + "\n"}[tail]
    path = tmp_path / f"{kind}-leeg.csv"
    path.write_text(",".join(headers) + "\n" + below, encoding="utf-8")
    return path


def stored_state(warehouse: Warehouse) -> tuple[object, ...]:
    return (
        warehouse.value("SELECT count(*) FROM loads"),
        warehouse.value("SELECT count(*) FROM load_issues"),
        warehouse.value("SELECT count(*) FROM client_identifiers"),
    )


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.kind)
@pytest.mark.parametrize("tail", ["", "blank", "cells"])
def test_a_file_with_only_a_header_is_refused_in_dutch_and_stores_nothing(
    warehouse: Warehouse, tmp_path: Path, table: FileKind, tail: str
) -> None:
    before = stored_state(warehouse)
    with pytest.raises(InputError) as refused:
        load_table(
            warehouse,
            header_only(tmp_path, table.kind, tail),
            LoadOptions(pseudonym_key=KEY),
            table,
            now=LATER,
        )
    message = str(refused.value)
    assert f"{table.kind}-leeg.csv heeft een kopregel maar geen enkele rij met gegevens" in message
    assert "Er is niets geladen" in message
    assert "blijft leeg (nog geen export geladen)" in message
    assert stored_state(warehouse) == before
    reports = tmp_path / "laadrapporten"
    assert not reports.exists() or list(reports.iterdir()) == []  # no report, no temporary part


def test_an_empty_export_does_not_move_the_data_moment_and_a_real_export_still_loads(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    # the reviewer's case: an empty file loaded without --extracted-on used to date the source today, after
    # which every real export was refused as older
    with pytest.raises(InputError, match="geen enkele rij met gegevens"):
        load_table(
            warehouse,
            header_only(tmp_path, "benefits"),
            LoadOptions(pseudonym_key=KEY),
            BENEFIT_TABLE,
            now=LATER,
        )
    summary = load_benefits_rows(warehouse, tmp_path, [benefit()], extracted_on=date(2024, 6, 30))
    assert (summary.read, summary.loaded) == (1, 1)
    assert data_moment(warehouse, ("benefits",)) == date(2024, 6, 30)


def test_after_a_real_export_the_refusal_names_the_data_moment_that_stays(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load_benefits_rows(warehouse, tmp_path, [benefit()], extracted_on=date(2024, 6, 30))
    loads = warehouse.value("SELECT count(*) FROM loads")
    with pytest.raises(InputError, match="het datamoment van bron 'standaard' blijft 30-06-2024"):
        load_table(
            warehouse,
            header_only(tmp_path, "benefits"),
            LoadOptions(pseudonym_key=KEY),
            BENEFIT_TABLE,
            now=LATER,
        )
    assert warehouse.value("SELECT count(*) FROM loads") == loads
    assert data_moment(warehouse, ("benefits",)) == date(2024, 6, 30)
    # an export of a later day with rows still loads, and moves the data moment
    later = load_benefits_rows(warehouse, tmp_path, [benefit()], extracted_on=date(2024, 7, 15))
    assert (later.read, later.unchanged) == (1, 1)
    assert data_moment(warehouse, ("benefits",)) == date(2024, 7, 15)


def test_an_empty_parquet_file_is_refused_like_a_csv(warehouse: Warehouse, tmp_path: Path) -> None:
    path = tmp_path / "uitkeringen.parquet"
    names = canonical_headers("benefits")
    pq.write_table(pa.table({n: pa.array([], pa.string()) for n in names}), path)
    with pytest.raises(InputError, match="geen enkele rij met gegevens"):
        load_table(warehouse, path, LoadOptions(pseudonym_key=KEY), BENEFIT_TABLE, now=LATER)
    assert warehouse.value("SELECT count(*) FROM loads") == 0


def test_a_line_too_short_for_the_header_is_a_row_read_and_reported_so_the_file_loads(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    path = tmp_path / "kort.csv"
    path.write_text(",".join(canonical_headers("benefits")) + "\n,,,\n", encoding="utf-8")
    options = LoadOptions(pseudonym_key=KEY, extracted_on=date(2024, 6, 30))
    summary = load_table(warehouse, path, options, BENEFIT_TABLE, now=LATER)
    assert (summary.read, summary.rejected, summary.rejections) == (1, 1, {"malformed_row": 1})


def test_a_file_whose_every_row_is_rejected_is_still_a_load_with_every_row_reported(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    summary = load_benefits_rows(
        warehouse, tmp_path, [benefit(birth_date=None)], extracted_on=date(2024, 6, 30)
    )
    assert (summary.read, summary.rejected) == (1, 1)
    assert summary.accounted
    assert data_moment(warehouse, ("benefits",)) == date(2024, 6, 30)


def test_a_benefit_exported_before_the_birth_date_is_rejected_when_loaded_later(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    # exported 30-06-2024, loaded 01-02-2025; born 01-01-2025 (the reviewer's V10): not counted in 0-17
    path = write_benefits(
        tmp_path / "u.csv", [benefit(), benefit(benefit_id="U2", client_id="C9", birth_date="2025-01-01")]
    )
    options = LoadOptions(pseudonym_key=KEY, extracted_on=date(2024, 6, 30))
    summary = load_table(warehouse, path, options, BENEFIT_TABLE, now=datetime(2025, 2, 1, 9))
    assert (summary.read, summary.loaded, summary.rejected) == (2, 1, 1)
    assert summary.rejections == {"birth_date_out_of_range": 1}
    assert warehouse.value("SELECT list(benefit_id) FROM benefit_versions") == ["U1"]


def test_an_empty_load_made_before_this_rule_does_not_refuse_a_real_export_as_older(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    # a warehouse filled by an earlier sdmonitor: a header-only file loaded on 15-07-2024 without --extracted-on
    empty = LoadStart(
        kind="benefits",
        source="standaard",
        file_name="leeg.csv",
        file_sha256="0" * 64,
        mapping="canoniek",
        known_from=LATER,
        loaded_at=LATER,
        sdm_version="oud",
    )
    complete_load(warehouse, start_load(warehouse, empty), LoadCounts(read=0, loaded=0), None)
    summary = load_benefits_rows(warehouse, tmp_path, [benefit()], extracted_on=date(2024, 6, 30))
    assert (summary.read, summary.loaded) == (1, 1)
    assert data_moment(warehouse, ("benefits",)) == date(2024, 6, 30)
    # an export that really is older than one with rows is still refused
    with pytest.raises(InputError, match="is ouder"):
        load_benefits_rows(
            warehouse, tmp_path, [benefit(end_date="2024-05-31")], extracted_on=date(2024, 5, 31)
        )


def test_sdm_load_refuses_an_empty_file_with_exit_code_1_and_lists_no_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from sdmonitor.cli import cli

    monkeypatch.setenv("SDM_PSEUDONYM_KEY", KEY.decode())
    db = str(tmp_path / "sdm.duckdb")
    runner = CliRunner()
    result = runner.invoke(cli, ["--db", db, "load", "benefits", str(header_only(tmp_path, "benefits"))])
    assert result.exit_code == 1
    assert "benefits-leeg.csv heeft een kopregel maar geen enkele rij met gegevens" in str(result.exception)
    listed = runner.invoke(cli, ["--db", db, "loads"], terminal_width=300)
    assert listed.exit_code == 0 and "Laadacties" in listed.output
    assert "benefits-leeg.csv" not in listed.output
