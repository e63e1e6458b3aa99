"""One client, one key (issue 9.2): a BSN and a client number of one person give one integer client key."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sdmonitor.domain.clients import pseudonymise
from sdmonitor.domain.rules import RULES, Severity
from sdmonitor.loading import LoadSummary
from sdmonitor.metrics import MetricRequest, run_metric
from sdmonitor.warehouse import Warehouse, open_warehouse
from sdmonitor.warehouse.database import migrations
from sdmonitor.warehouse.identity import CONFLICT_CODES
from tests.builders import BSN_A, BSN_B, allocation, write_csv
from tests.conftest import KEY, NOW
from tests.test_loading import load, report_rows

LATER = NOW + timedelta(days=30)


def figures(warehouse: Warehouse, name: str, grain: str = "month", **options: Any) -> list[tuple[Any, ...]]:
    request = MetricRequest(name, grain=grain, start=date(2018, 1, 1), end=date(2018, 6, 30), **options)
    return run_metric(warehouse, request).rows


def keys(warehouse: Warehouse) -> dict[str, int]:
    """The client key of every current allocation."""
    return dict(
        warehouse.rows(
            "SELECT allocation_id, client_key FROM allocation_versions WHERE superseded_at IS NULL"
        )
    )


def test_rows_with_and_without_the_bsn_of_one_person_count_once_without_false_flows(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    rows = [
        allocation("T1", client="C1", start="2018-01-01", end="2018-03-31"),
        allocation("T2", client="C1", bsn=BSN_A, start="2018-04-01"),
    ]
    load(warehouse, write_csv(tmp_path / "t.csv", rows))
    assert figures(warehouse, "clients", grain="half") == [("2018-H1", 1)]
    flows = {row[0]: row[1:] for row in figures(warehouse, "flows")}
    assert flows["2018-01"] == (1, 0, 1)
    assert "2018-03" not in flows and "2018-04" not in flows  # no outflow in March, no inflow in April
    assert len(set(keys(warehouse).values())) == 1


def test_the_client_key_is_an_integer_and_the_pseudonym_is_kept_only_in_the_identity_table(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load(warehouse, write_csv(tmp_path / "t.csv", [allocation("T1", client="C1", bsn=BSN_A)]))
    assert warehouse.value("SELECT typeof(client_key) FROM allocation_versions") == "BIGINT"
    identifiers = warehouse.rows(
        "SELECT kind, source, identifier, client_key FROM client_identifiers ORDER BY 1"
    )
    ((kind_n, source_n, number, key_n), (kind_p, source_p, pseudonym, key_p)) = identifiers
    assert (kind_n, source_n, number) == ("client_number", "standaard", "C1")
    assert (kind_p, source_p, len(pseudonym)) == ("pseudonym", "", 32)
    assert key_n == key_p == keys(warehouse)["T1"]
    assert BSN_A not in str(identifiers)


def test_a_link_found_in_a_later_load_joins_the_two_keys_and_keeps_earlier_figures(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    first = [
        allocation("T1", client="C1", start="2018-01-01", end="2018-03-31"),
        allocation("T2", client=None, bsn=BSN_A, start="2018-04-01"),
    ]
    load(warehouse, write_csv(tmp_path / "january.csv", first))
    assert len(set(keys(warehouse).values())) == 2
    second = load(
        warehouse, write_csv(tmp_path / "february.csv", [allocation("T3", client="C1", bsn=BSN_A)]), now=LATER
    )
    assert (second.loaded, second.relinked) == (1, 1)  # T3 new; T1 gets a version with the BSN's key
    assert len(set(keys(warehouse).values())) == 1
    assert figures(warehouse, "clients", grain="half") == [("2018-H1", 1)]
    assert "2018-04" not in {row[0] for row in figures(warehouse, "flows")}
    # as known before the link: two clients, as the figures said then
    assert figures(warehouse, "clients", grain="half", as_of=NOW.date()) == [("2018-H1", 2)]
    assert warehouse.value("SELECT count(*) FROM allocation_versions WHERE allocation_id = 'T2'") == 1


def test_a_link_that_keeps_the_key_makes_no_new_version(warehouse: Warehouse, tmp_path: Path) -> None:
    load(warehouse, write_csv(tmp_path / "january.csv", [allocation("T1", client="C1")]))
    again = load(
        warehouse, write_csv(tmp_path / "february.csv", [allocation("T1", client="C1", bsn=BSN_A)]), now=LATER
    )
    assert (again.loaded, again.unchanged, again.relinked) == (0, 1, 0)
    assert warehouse.value("SELECT count(*) FROM allocation_versions") == 1
    # the link is known: a later row with the BSN only belongs to the same client
    load(
        warehouse,
        write_csv(tmp_path / "march.csv", [allocation("T2", client=None, bsn=BSN_A)]),
        now=LATER + timedelta(days=30),
    )
    assert len(set(keys(warehouse).values())) == 1


def test_reloading_the_same_file_changes_nothing(warehouse: Warehouse, tmp_path: Path) -> None:
    rows = [
        allocation("T1", client="C1"),
        allocation("T2", client=None, bsn=BSN_A),
        allocation("T3", client="C1", bsn=BSN_A),
        allocation("T4", client="C2", bsn=BSN_A),
    ]
    path = write_csv(tmp_path / "t.csv", rows)
    load(warehouse, path)
    before = (
        warehouse.rows("SELECT * EXCLUDE (load_id) FROM allocation_versions ORDER BY allocation_id"),
        warehouse.rows("SELECT * EXCLUDE (load_id) FROM client_identifiers ORDER BY ALL"),
    )
    again = load(warehouse, path, now=LATER)
    assert (again.loaded, again.unchanged, again.relinked) == (0, 4, 0)
    after = (
        warehouse.rows("SELECT * EXCLUDE (load_id) FROM allocation_versions ORDER BY allocation_id"),
        warehouse.rows("SELECT * EXCLUDE (load_id) FROM client_identifiers ORDER BY ALL"),
    )
    assert after == before


def test_a_client_number_that_meets_two_bsns_is_reported_per_row_and_kept_apart(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    rows = [
        allocation("T1", client="C1", bsn=BSN_A),
        allocation("T2", client="C1", bsn=BSN_B),
        allocation("T3", client="C1", bsn=BSN_B, category="07"),
        allocation("T4", client="C1"),
    ]
    summary = load(warehouse, write_csv(tmp_path / "t.csv", rows))
    assert (summary.loaded, summary.rejected, summary.warned) == (4, 0, 2)
    assert summary.warnings == {"client_number_other_bsn": 2}
    reported = report_rows(summary)
    assert [(r["rij"], r["ernst"], r["reden"]) for r in reported] == [
        ("3", "waarschuwing", "client_number_other_bsn"),
        ("4", "waarschuwing", "client_number_other_bsn"),
    ]
    assert "Cliëntnummer C1 hoort al bij een ander BSN" in reported[0]["melding"]
    assert BSN_B not in str(reported)
    key = keys(warehouse)
    assert key["T1"] == key["T4"] != key["T2"] == key["T3"]
    assert figures(warehouse, "clients", grain="half") == [("2018-H1", 2)]


def test_a_bsn_that_meets_a_second_client_number_is_reported_and_kept_apart(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    rows = [
        allocation("T1", client="C1", bsn=BSN_A),
        allocation("T2", client="C2", bsn=BSN_A),
        allocation("T3", client="C2"),
    ]
    summary = load(warehouse, write_csv(tmp_path / "t.csv", rows))
    assert summary.warnings == {"bsn_other_client_number": 1}
    assert [r["rij"] for r in report_rows(summary)] == ["3"]
    key = keys(warehouse)
    assert key["T1"] == key["T2"] != key["T3"]


def test_a_conflict_with_a_link_of_an_earlier_load_is_reported_in_the_later_load(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load(warehouse, write_csv(tmp_path / "january.csv", [allocation("T1", client="C1", bsn=BSN_A)]))
    rows = [allocation("T2", client="C1", bsn=BSN_B), allocation("T3", client="C1")]
    second = load(warehouse, write_csv(tmp_path / "february.csv", rows), now=LATER)
    assert second.warnings == {"client_number_other_bsn": 1}
    key = keys(warehouse)
    assert key["T1"] == key["T3"] != key["T2"]
    issues = warehouse.rows(
        "SELECT severity, code, rows FROM load_issues WHERE load_id = ?", [second.load_id]
    )
    assert issues == [("waarschuwing", "client_number_other_bsn", 1)]


def test_client_numbers_are_per_source_and_a_bsn_is_one_client_in_every_source(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load(warehouse, write_csv(tmp_path / "a.csv", [allocation("A1", client="C1", bsn=BSN_A)]), source="a")
    load(warehouse, write_csv(tmp_path / "b.csv", [allocation("B1", client="C1")]), source="b")
    load(warehouse, write_csv(tmp_path / "c.csv", [allocation("B2", client=None, bsn=BSN_A)]), source="c")
    key = keys(warehouse)
    assert key["A1"] == key["B2"] != key["B1"]


def test_identity_codes_are_warnings_in_the_rule_catalogue() -> None:
    assert all(RULES[code].severity is Severity.WARNING for code in CONFLICT_CODES)


def _old_hash() -> str:
    """The content hash of migration 0001 (text client key), as the loader computed it before 0009."""
    columns = (
        "client_key", "birth_date", "gender", "municipality_code", "pc4", "law", "product_category",
        "product_code", "provider_code", "provider_name", "start_date", "end_date", "volume", "unit",
        "frequency", "delivery_form", "referrer", "request_date", "decision_date", "change_reason",
        "end_reason",
    )  # fmt: skip
    values = ", ".join(f"coalesce(CAST({c} AS VARCHAR), chr(0))" for c in columns)
    return f"md5_number(concat_ws(chr(31), allocation_id, {values}))"


def test_migration_0009_converts_text_keys_and_a_reload_stays_a_no_op(tmp_path: Path) -> None:
    import duckdb  # noqa: TID251 - a warehouse of schema version 6, built by hand

    db = tmp_path / "old.duckdb"
    pseudonym = pseudonymise(BSN_A, KEY)
    connection = duckdb.connect(str(db))
    connection.execute(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
    )
    for migration in migrations():
        if migration.version <= 6:
            connection.execute(migration.sql)
            connection.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, now())", [migration.version, migration.name]
            )
    loaded_at = datetime(2024, 1, 1)
    connection.execute(
        "INSERT INTO loads VALUES (nextval('load_ids'), 'allocations', 'standaard', 'old.csv', 'x', 'canoniek', ?, ?, 3, 3, 0, 0, 0, 0, NULL, '0')",
        [loaded_at, loaded_at],
    )
    for allocation_id, client_key, row in (("T1", "C1", 2), ("T2", pseudonym, 3), ("T3", "C2", 4)):
        connection.execute(
            "INSERT INTO allocation_versions (source, allocation_id, load_id, known_from, source_row, content_hash, "
            "client_key, birth_date, law, product_category, start_date, delivery_form, is_deleted) "
            "VALUES ('standaard', ?, 1, ?, ?, 0, ?, DATE '1950-03-15', 'WMO', '02', DATE '2018-01-01', 'ZIN', false)",
            [allocation_id, loaded_at, row, client_key],
        )
    connection.execute(f"UPDATE allocation_versions SET content_hash = {_old_hash()}")
    connection.close()

    with open_warehouse(db) as warehouse:  # migrates
        assert warehouse.schema_version() >= 9
        key = keys(warehouse)
        assert len(set(key.values())) == 3 and all(isinstance(k, int) for k in key.values())
        stored = warehouse.rows(
            "SELECT kind, identifier, client_key FROM client_identifiers ORDER BY kind, identifier"
        )
        assert stored == [
            ("client_number", "C1", key["T1"]),
            ("client_number", "C2", key["T3"]),
            ("pseudonym", pseudonym, key["T2"]),
        ]
        rows = [
            allocation("T1", client="C1"),
            allocation("T2", client=None, bsn=BSN_A),
            allocation("T3", client="C2"),
        ]
        again: LoadSummary = load(warehouse, write_csv(tmp_path / "old.csv", rows))
        assert (again.loaded, again.unchanged, again.relinked) == (0, 3, 0)
        assert keys(warehouse) == key
        # a later row links C1 to the BSN: one client from then on
        later = load(
            warehouse, write_csv(tmp_path / "new.csv", [allocation("T4", client="C1", bsn=BSN_A)]), now=LATER
        )
        assert later.relinked == 1
        assert len(set(keys(warehouse).values())) == 2


def test_the_drilldown_shows_the_integer_client_key_never_a_bsn_or_its_pseudonym(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    from sdmonitor.domain.periods import Grain, cut
    from sdmonitor.metrics.dimensions import AgeBands
    from sdmonitor.metrics.drilldown import client_rows

    rows = [
        allocation("T1", client="C1", end="2018-03-31"),
        allocation("T2", client="C1", bsn=BSN_A, start="2018-04-01"),
    ]
    load(warehouse, write_csv(tmp_path / "t.csv", rows))
    (half,) = cut(date(2018, 1, 1), date(2018, 6, 30), Grain.HALF)
    found = client_rows(warehouse, half, (), (half.first, half.last), bands=AgeBands())
    assert found.clients == 1
    shown = {row[0] for row in found.rows}
    assert shown == {keys(warehouse)["T1"]} and all(isinstance(value, int) for value in shown)
    assert pseudonymise(BSN_A, KEY) not in str(found.rows) and BSN_A not in str(found.rows)


def test_a_link_in_a_later_batch_of_the_same_file_rekeys_the_rows_of_earlier_batches(
    warehouse: Warehouse,
) -> None:
    import pyarrow as pa

    from sdmonitor.domain.allocations import COLUMN_NAMES
    from sdmonitor.ingest.validate import ValidationContext, validate_batch
    from sdmonitor.warehouse.allocations import AllocationLoad, LoadInfo, content_hash_sql

    context = ValidationContext(load_date=NOW.date(), pseudonym_key=KEY)

    def records(first_row: int, *rows: dict[str, str | None]) -> pa.Table:
        table = pa.table({c: pa.array([r[c] for r in rows], pa.string()) for c in COLUMN_NAMES})
        numbers = pa.array(range(first_row, first_row + len(rows)), pa.int64())
        return validate_batch(table, numbers, context).records

    info = LoadInfo("allocations", "standaard", "t.csv", "sha", "canoniek", NOW, NOW, "test")
    with AllocationLoad(warehouse, info) as load:
        load.add(records(2, allocation("T1", client="C1"), allocation("T2", client=None, bsn=BSN_A)))
        load.add(records(4, allocation("T3", client="C1", bsn=BSN_A)))
        fold = load.finish()
        load.commit(
            dict.fromkeys(("read", "loaded", "unchanged", "duplicates", "rejected", "warned"), 0), None
        )
    assert (fold.loaded, fold.relinked, fold.identity_conflicts) == (3, 0, ())
    assert len(set(keys(warehouse).values())) == 1
    stale = warehouse.value(
        f"SELECT count(*) FROM allocation_versions WHERE content_hash <> {content_hash_sql()}"
    )
    assert stale == 0


def test_a_killed_load_that_linked_two_clients_is_undone_with_its_link(tmp_path: Path) -> None:
    """docs/guarantees.md: the repair at the next open also moves identifiers back and drops the new ones."""
    db = tmp_path / "sdm.duckdb"
    first = [
        allocation("T1", client="C1", start="2018-01-01", end="2018-03-31"),
        allocation("T2", client=None, bsn=BSN_A, start="2018-04-01"),
    ]
    identifiers = "SELECT kind, source, identifier, client_key FROM client_identifiers ORDER BY ALL"
    with open_warehouse(db) as warehouse:
        load(warehouse, write_csv(tmp_path / "january.csv", first))
        before = (keys(warehouse), warehouse.rows(identifiers))
    second = write_csv(tmp_path / "february.csv", [allocation("T3", client="C1", bsn=BSN_A)])
    # the process dies (os._exit: no clean-up) right after the big commit, before the final small write
    script = (
        "import os, sys; from datetime import datetime; from pathlib import Path\n"
        "import sdmonitor.warehouse.allocations as allocations\n"
        "from sdmonitor.loading import LoadOptions, load_allocations\n"
        "from sdmonitor.warehouse import open_warehouse\n"
        "allocations.complete_load = lambda *_: os._exit(9)\n"
        "warehouse = open_warehouse(Path(sys.argv[1]))\n"
        f"load_allocations(warehouse, Path(sys.argv[2]), LoadOptions(pseudonym_key={KEY!r}),\n"
        f"                 now=datetime.fromisoformat({LATER.isoformat()!r}))\n"
    )
    process = subprocess.run([sys.executable, "-c", script, str(db), str(second)], check=False)
    assert process.returncode == 9
    with open_warehouse(db) as warehouse:
        assert (keys(warehouse), warehouse.rows(identifiers)) == before
        assert warehouse.value("SELECT count(*) FROM client_identifier_moves") == 0
        assert figures(warehouse, "clients", grain="half") == [("2018-H1", 2)]
        again = load(warehouse, second, now=LATER)
        assert (again.loaded, again.relinked) == (1, 1)
        assert figures(warehouse, "clients", grain="half") == [("2018-H1", 1)]


def test_where_a_file_is_cut_into_batches_does_not_change_keys_links_or_reports(tmp_path: Path) -> None:
    # C1 is first seen in batch 1 and linked to BSN A in batch 3; pairs repeat within and across batches,
    # and two rows meet a link made earlier in the same batch or the batch before
    import pyarrow as pa

    from sdmonitor.domain.allocations import COLUMN_NAMES
    from sdmonitor.ingest.validate import ValidationContext, validate_batch
    from sdmonitor.warehouse.allocations import AllocationLoad, FoldResult, LoadInfo

    rows = [
        allocation("T1", client="C1"),
        allocation("T2", client=None, bsn=BSN_A),
        allocation("T3", client="C2", bsn=BSN_B),
        allocation("T4", client="C1"),
        allocation("T5", client="C2", bsn=BSN_B),
        allocation("T6", client="C1", bsn=BSN_A),
        allocation("T7", client="C2", bsn=BSN_A),
        allocation("T8", client="C3"),
        allocation("T9", client="C3", bsn=BSN_B),
        allocation("T10", client="C1", bsn=BSN_A),
    ]
    context = ValidationContext(load_date=NOW.date(), pseudonym_key=KEY)
    info = LoadInfo("allocations", "standaard", "t.csv", "sha", "canoniek", NOW, NOW, "test")

    def load_in(cuts: tuple[int, ...], name: str) -> tuple[FoldResult, set[frozenset[str]]]:
        with open_warehouse(tmp_path / f"{name}.duckdb") as warehouse:
            with AllocationLoad(warehouse, info) as load:
                for start, end in zip((0, *cuts), (*cuts, len(rows)), strict=True):
                    part = rows[start:end]
                    table = pa.table({c: pa.array([r[c] for r in part], pa.string()) for c in COLUMN_NAMES})
                    numbers = pa.array(range(start + 2, end + 2), pa.int64())
                    load.add(validate_batch(table, numbers, context).records)
                fold = load.finish()
                load.commit(
                    dict.fromkeys(("read", "loaded", "unchanged", "duplicates", "rejected", "warned"), 0),
                    None,
                )
            by_key: dict[int, set[str]] = {}
            for allocation_id, key in keys(warehouse).items():
                by_key.setdefault(key, set()).add(allocation_id)
        return fold, {frozenset(ids) for ids in by_key.values()}

    whole = load_in((), "whole")
    # a row that meets someone else's link counts for the client of its BSN
    assert whole[1] == {
        frozenset({"T1", "T2", "T4", "T6", "T7", "T10"}), frozenset({"T3", "T5", "T9"}), frozenset({"T8"}),
    }  # fmt: skip
    assert [(c.source_row, c.code) for c in whole[0].identity_conflicts] == [
        (8, "client_number_other_bsn"), (10, "bsn_other_client_number"),
    ]  # fmt: skip
    for cuts in ((3, 5), (1, 4, 9), (6,)):
        assert load_in(cuts, "cut" + "_".join(map(str, cuts))) == whole


def test_the_load_s_in_memory_identity_table_finds_an_identifier_only_byte_for_byte() -> None:
    import pyarrow as pa

    from sdmonitor.warehouse.identity import KnownIdentifiers

    def rows(kind: str, pairs: dict[str, int]) -> pa.Table:
        return pa.table(
            {
                "kind": [kind] * len(pairs),
                "identifier": list(pairs),
                "client_key": pa.array(pairs.values(), pa.int64()),
            }
        )

    known = KnownIdentifiers()
    known.add(rows("client_number", {"C1": 1, "C10": 2, "Cé": 3}))  # runs of different widths
    known.add(rows("client_number", {"C1 ": 4, "C100000000": 5}))
    known.add(rows("pseudonym", {"C1": 6}))  # the same text as a pseudonym is another identifier
    known.replace(rows("client_number", {"C10": 7}))  # a merge gave C10 another key
    wanted = pa.array(["C1", "C10", "C1 ", "Cé", "C100000000", "C100", "C", "", None])
    assert known.numbers.find(wanted).to_pylist() == [1, 7, 4, 3, 5, None, None, None, None]
    assert known.pseudonyms.find(wanted).to_pylist() == [6, None, None, None, None, None, None, None, None]
