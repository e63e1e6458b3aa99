"""Shared fixtures: a real DuckDB warehouse in a temporary folder and a fixed load moment."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from sdmonitor.warehouse import Warehouse, open_warehouse

KEY = b"test-key-0123456789abcdef"
NOW = datetime(2024, 3, 1, 12, 0, 0)


@pytest.fixture
def warehouse(tmp_path: Path) -> Iterator[Warehouse]:
    with open_warehouse(tmp_path / "sdm.duckdb") as opened:
        yield opened


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--refresh-sql-snapshots",
        action="store_true",
        help="rewrite tests/metrics/sql_snapshots/ from the SQL the metrics compile to now",
    )
