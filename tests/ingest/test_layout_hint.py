"""A file that lacks required columns of its layout: the refusal names the built-in layout the header fits, of
the same kind (``--mapping nl-uitkeringen``) or of another (``sdm load benefits``) (docs/loading.md, "Nederlandse
exports en eigen koppelingen")."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from sdmonitor.cli import cli
from sdmonitor.errors import InputError
from sdmonitor.ingest.columns import LAYOUTS
from sdmonitor.ingest.readers import fitting_layouts, open_source
from tests.conftest import KEY

NL_BENEFITS_HEADER = (
    "uitkeringsnummer;bsn_aanvrager;bsn_partner;geboortedatum;geboortedatum_partner;geslacht;geslacht_partner;"
    "regeling;leefvorm;aantal_kostendelers;ingangsdatum;einddatum;reden_instroom;reden_uitstroom;postcode;"
    "gemeentecode"
)
CANONICAL_BENEFITS_HEADER = ",".join(c.name for c in LAYOUTS["benefits"]["canoniek"].canonical_columns)


def file_with(tmp_path: Path, header: str, name: str = "uitkeringen.csv") -> Path:
    path = tmp_path / name
    path.write_text(header + "\n", encoding="utf-8")
    return path


def test_a_dutch_benefits_header_under_the_canonical_layout_names_nl_uitkeringen(tmp_path: Path) -> None:
    path = file_with(tmp_path, NL_BENEFITS_HEADER)
    with pytest.raises(InputError) as refused:
        open_source(path, LAYOUTS["benefits"]["canoniek"], "benefits")
    message = str(refused.value)
    assert "Kolommen 'benefit_id', 'client_id' of 'bsn', 'birth_date' en 'start_date' ontbreken" in message
    assert message.endswith(
        "Deze kopregel past bij de indeling nl-uitkeringen: gebruik --mapping nl-uitkeringen."
    )
    assert "eigen indeling" not in message


def test_a_canonical_header_under_the_dutch_layout_names_canoniek(tmp_path: Path) -> None:
    path = file_with(tmp_path, CANONICAL_BENEFITS_HEADER)
    with pytest.raises(InputError, match=r"past bij de indeling canoniek: gebruik --mapping canoniek\.$"):
        open_source(path, LAYOUTS["benefits"]["nl-uitkeringen"], "benefits")


def test_a_benefits_header_loaded_as_allocations_names_the_command(tmp_path: Path) -> None:
    path = file_with(tmp_path, NL_BENEFITS_HEADER)
    with pytest.raises(
        InputError,
        match=r"Deze kopregel past bij een ander soort bestand: sdm load benefits \(indeling nl-uitkeringen\)\.$",
    ):
        open_source(path, None, "allocations")


def test_a_header_that_fits_no_built_in_layout_asks_for_a_mapping_of_ones_own(tmp_path: Path) -> None:
    path = file_with(tmp_path, "dossier;klant;geboren;vanaf")
    with pytest.raises(InputError, match=r"Gebruik --mapping voor een eigen indeling\.$"):
        open_source(path, None, "benefits")


@pytest.mark.parametrize("kind", sorted(LAYOUTS))
def test_every_built_in_layout_fits_its_own_columns_and_no_other_layout_of_its_kind_is_named(
    kind: str,
) -> None:
    for layout in LAYOUTS[kind].values():
        headers = [layout.source_header(c.name) for c in layout.canonical_columns]
        assert layout.name in fitting_layouts(headers, kind)


def test_sdm_load_benefits_with_the_wrong_mapping_names_the_right_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SDM_PSEUDONYM_KEY", KEY.decode())
    path = file_with(tmp_path, NL_BENEFITS_HEADER + "\nN1;;;10-03-1975;;1;;PW;1;;01-01-2024;;;;;", "nl.csv")
    db = str(tmp_path / "sdm.duckdb")
    result = CliRunner().invoke(cli, ["--db", db, "load", "benefits", str(path), "--mapping", "canoniek"])
    assert result.exit_code == 1
    message = str(result.exception)
    assert "ontbreken in nl.csv (indeling 'canoniek')" in message
    assert "gebruik --mapping nl-uitkeringen" in message
