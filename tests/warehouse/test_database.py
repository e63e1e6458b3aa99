from __future__ import annotations

from pathlib import Path

import pytest

from sdmonitor.errors import WarehouseError
from sdmonitor.warehouse import open_warehouse
from sdmonitor.warehouse.database import migrate, migrations


def test_a_new_warehouse_is_created_at_the_latest_schema(tmp_path: Path) -> None:
    with open_warehouse(tmp_path / "new" / "sdm.duckdb") as warehouse:
        assert warehouse.schema_version() == migrations()[-1].version
        tables = {row[0] for row in warehouse.rows("SHOW TABLES")}
    assert {"loads", "allocation_versions", "allocations", "settings", "postcode_areas"} <= tables


def test_migrations_run_once(tmp_path: Path) -> None:
    path = tmp_path / "sdm.duckdb"
    with open_warehouse(path) as warehouse:
        assert migrate(warehouse) == []
    with open_warehouse(path) as warehouse:
        assert warehouse.value("SELECT count(*) FROM schema_migrations") == len(migrations())


def test_migrations_are_numbered_without_gaps() -> None:
    assert [m.version for m in migrations()] == list(range(1, len(migrations()) + 1))


def test_a_warehouse_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "sdm.duckdb"
    with open_warehouse(path) as warehouse:
        warehouse.execute("INSERT INTO schema_migrations VALUES (999, 'future', now())")
    with pytest.raises(WarehouseError, match=r"nieuwere|Werk sdmonitor bij"):
        open_warehouse(path)


def test_read_only_opening_of_a_missing_warehouse_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(WarehouseError, match="sdm init"):
        open_warehouse(tmp_path / "none.duckdb", read_only=True)


def test_a_failed_transaction_is_rolled_back(tmp_path: Path) -> None:
    with open_warehouse(tmp_path / "sdm.duckdb") as warehouse:
        with pytest.raises(RuntimeError), warehouse.transaction():
            warehouse.set_setting("x", "1")
            raise RuntimeError("stop")
        assert warehouse.setting("x") is None


def test_the_as_of_rule_is_not_repeated_as_a_table_macro(tmp_path: Path) -> None:
    with open_warehouse(tmp_path / "sdm.duckdb") as warehouse:
        macros = warehouse.rows(
            "SELECT function_name FROM duckdb_functions() WHERE function_type = 'table_macro'"
        )
    assert ("allocations_as_of",) not in macros
