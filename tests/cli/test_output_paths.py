"""An output file or folder that cannot be written is a Dutch user error (exit 1), never a crash."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.test_cli import sdm

METRIC = ("metric", "clients", "--from", "2020-01-01", "--to", "2020-12-31", "--grain", "year")


@pytest.mark.parametrize("output_format", ["xlsx", "csv"])
def test_metric_output_in_a_missing_folder_is_refused_in_dutch(tmp_path: Path, output_format: str) -> None:
    target = tmp_path / "bestaat-niet" / f"x.{output_format}"
    result = sdm(*METRIC, "--format", output_format, "--output", str(target), cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert f"de map {target.parent} bestaat niet" in result.stderr
    assert "Onverwachte fout" not in result.stderr


def test_metric_output_that_is_a_folder_is_refused_in_dutch(tmp_path: Path) -> None:
    (tmp_path / "map").mkdir()
    result = sdm(*METRIC, "--format", "csv", "--output", "map", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "Kan map niet schrijven: dat is een map" in result.stderr


@pytest.mark.parametrize(
    "command",
    [("report", "halfyear", "--period", "2020-H1", "--out"), ("generate",)],
    ids=["report", "generate"],
)
def test_an_output_folder_that_is_a_file_is_refused_in_dutch(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    (tmp_path / "bestand").write_text("x", encoding="utf-8")
    for target in ("bestand", "bestand/sub"):
        result = sdm(*command, target, cwd=tmp_path)
        assert result.returncode == 1, result.stderr
        assert "is een bestand, geen map" in result.stderr
        assert "Onverwachte fout" not in result.stderr


def test_a_missing_output_folder_of_generate_is_still_created(tmp_path: Path) -> None:
    result = sdm("generate", "nieuw/diep", "--inhabitants", "1000", "--years", "2020-2020", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert any((tmp_path / "nieuw" / "diep").iterdir())
