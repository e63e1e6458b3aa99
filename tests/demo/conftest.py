"""Small demo runs shared by the demo tests (generated once per session; a few seconds in all)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sdmonitor.demo import GenerateOptions, generate
from tests.demo.helpers import Run, read_allocations


def _run(folder: Path, options: GenerateOptions) -> Run:
    files = generate(folder, options)
    table = read_allocations(files.allocations[0])
    return Run(files, table, table.to_pylist(), folder)


@pytest.fixture(scope="session")
def municipality(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """One municipality of 20,000 inhabitants, 2015-2024, Parquet (about 30,000 allocations)."""
    return _run(tmp_path_factory.mktemp("municipality"), GenerateOptions(inhabitants=20_000))


@pytest.fixture(scope="session")
def region(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """A region of three municipalities of about 4,000 inhabitants each, written as CSV."""
    options = GenerateOptions(inhabitants=4_000, municipalities=3, file_format="csv", seed=7)
    return _run(tmp_path_factory.mktemp("region"), options)
