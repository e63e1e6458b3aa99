"""The warehouse of the access benchmark: the demo's allocations and deliveries (``sdm generate``, issue 13's
model in ``demo/access.py``) put into ``allocation_versions`` and ``delivery_versions`` by INSERT, without the
loader (as ``costs.py`` does for declarations: the benchmark measures the metrics, and tens of millions of rows
through the loader take long on two shared cores).

The demo model has what makes waiting costly to compute: allocations in kind with a first delivery after a
drawn wait (longer for GGZ and verblijf, one GGZ provider with a growing waiting list), continuations at the same
provider (renewals the day after), care started before the decision, pauses (reden 20) and restarts, PGB
allocations that bridge, allocations that never start, and 47/48 without deliveries. Its size follows the
inhabitants: 17,900,000 (the national size of ``metrics.py``) gives about 26 million allocations over
2015-2024, all Wmo and Jeugdwet.

Every allocation and delivery is one current version of a load of source ``bench`` (kinds ``allocations`` and
``deliveries``), extracted on the generator's extraction day (2025-01-06: the data moment). The client key is
one integer per client number (the demo's allocations carry a client number; a row with only a BSN gets a key
per BSN, which is not stored). The postcode's four digits are the pc4.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

HERE = Path(__file__).parent
DATA = HERE / "data"
SOURCE = "bench"
EXTRACTED_ON = date(2025, 1, 6)  # demo.generate.extraction_date(2024)


def _generate(out: Path, inhabitants: int) -> None:
    command = [sys.executable, "-c", "from sdmonitor.cli import main; main()", "--quiet", "generate", str(out),
               "--inhabitants", str(inhabitants), "--no-money"]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}")


def _load_row(warehouse: object, kind: str, file: Path, rows: int) -> int:
    from sdmonitor.warehouse import Warehouse

    assert isinstance(warehouse, Warehouse)
    moment = datetime.combine(EXTRACTED_ON, datetime.min.time())
    load_id = int(warehouse.value("SELECT nextval('load_ids')"))
    warehouse.execute(
        """INSERT INTO loads (load_id, kind, source, file_name, file_sha256, mapping, known_from, loaded_at,
               rows_read, rows_loaded, rows_unchanged, rows_duplicate, rows_rejected, rows_warned, report_path,
               sdm_version, status, extracted_on)
           VALUES (?, ?, ?, ?, '', 'canonical', ?, ?, ?, ?, 0, 0, 0, 0, NULL, 'benchmark', 'complete', ?)""",
        [load_id, kind, SOURCE, file.name, moment, datetime.now(UTC).replace(tzinfo=None), rows, rows,
         EXTRACTED_ON],
    )  # fmt: skip
    return load_id


def insert_access(db: Path, allocations: Path, deliveries: Path) -> None:
    """Put the demo's ``allocations`` (Parquet) and ``deliveries`` (canonical CSV) into the warehouse ``db`` as
    one load of each kind, without the loader."""
    from sdmonitor.warehouse import open_warehouse

    moment = datetime.combine(EXTRACTED_ON, datetime.min.time())
    a = str(allocations).replace("'", "''")
    d = str(deliveries).replace("'", "''")
    read_d = (
        f"read_csv('{d}', header = true, all_varchar = true)"
        if deliveries.suffix == ".csv"
        else f"read_parquet('{d}')"
    )
    warehouse = open_warehouse(db)
    try:
        with warehouse.transaction():
            rows = int(warehouse.value(f"SELECT count(*) FROM read_parquet('{a}')"))
            load_id = _load_row(warehouse, "allocations", allocations, rows)
            warehouse.execute(
                f"""INSERT INTO client_identifiers
                    SELECT 'client_number', ?, identifier, nextval('client_keys'), ?
                    FROM (SELECT DISTINCT coalesce(client_id, 'B' || hash(bsn)) AS identifier
                          FROM read_parquet('{a}') ORDER BY identifier)""",
                [SOURCE, load_id],
            )
            warehouse.execute(
                f"""INSERT INTO allocation_versions (source, allocation_id, load_id, known_from, superseded_at,
                       source_row, content_hash, client_key, birth_date, gender, municipality_code, pc4, law,
                       product_category, product_code, provider_code, provider_name, start_date, end_date, volume,
                       unit, frequency, delivery_form, referrer, request_date, decision_date, change_reason,
                       end_reason, is_deleted, superseded_by, pseudonym, client_number)
                    SELECT ?, p.allocation_id, ?, ?, NULL, p.source_row, hash(p.allocation_id, p.start_date)::UHUGEINT,
                           i.client_key, p.birth_date, p.gender, p.municipality_code, left(p.postcode, 4), p.law,
                           p.product_category, p.product_code, p.provider_code, p.provider_name, p.start_date,
                           p.end_date, p.volume, p.unit, p.frequency, p.delivery_form, p.referrer, p.request_date,
                           p.decision_date, p.change_reason, p.end_reason, coalesce(p.change_reason = '13', false),
                           NULL, NULL, i.identifier
                    FROM (SELECT *, coalesce(client_id, 'B' || hash(bsn)) AS identifier,
                                 row_number() OVER () + 1 AS source_row
                          FROM read_parquet('{a}')) p
                    JOIN client_identifiers i
                      ON i.kind = 'client_number' AND i.source = ? AND i.identifier = p.identifier""",
                [SOURCE, load_id, moment, SOURCE],
            )
            rows = int(warehouse.value(f"SELECT count(*) FROM {read_d}"))
            load_id = _load_row(warehouse, "deliveries", deliveries, rows)
            warehouse.execute(
                f"""INSERT INTO delivery_versions (source, allocation_id, start_date, load_id, known_from,
                       superseded_at, superseded_by, source_row, content_hash, end_date, end_reason, reported_on)
                    SELECT ?, allocation_id, start_date::DATE, ?, ?, NULL, NULL, row_number() OVER () + 1,
                           hash(allocation_id, start_date)::UHUGEINT, nullif(end_date, '')::DATE,
                           nullif(end_reason, ''), nullif(reported_on, '')::DATE
                    FROM {read_d}""",
                [SOURCE, load_id, moment],
            )
    finally:
        warehouse.close()


def prepare(inhabitants: int) -> tuple[Path, dict[str, object]]:
    """A warehouse with the demo allocations and deliveries of ``inhabitants`` (made once, then reused) and what
    making it took."""
    from sdmonitor.warehouse import open_warehouse

    db = DATA / f"access_{inhabitants}.duckdb"
    if db.exists():
        open_warehouse(db).close()  # brings the schema up to date (the children open it read-only)
        return db, {}
    DATA.mkdir(parents=True, exist_ok=True)
    out = DATA / f"access_{inhabitants}_files"
    partial = DATA / f"access_{inhabitants}.partial.duckdb"
    shutil.rmtree(out, ignore_errors=True)
    for leftover in DATA.glob(f"{partial.name}*"):
        shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
    print(f"generating the demo of {inhabitants:,} inhabitants (allocations, deliveries) ...", flush=True)
    start = time.perf_counter()
    _generate(out, inhabitants)
    generated = time.perf_counter() - start
    insert_access(partial, out / "toewijzingen.parquet", out / "leveringen.csv")
    partial.rename(db)
    shutil.rmtree(out, ignore_errors=True)
    made = {
        "generate_seconds": round(generated, 1),
        "insert_seconds": round(time.perf_counter() - start - generated, 1),
    }
    with open_warehouse(db, read_only=True) as warehouse:
        made["allocations"] = int(warehouse.value("SELECT count(*) FROM allocation_versions"))
        made["deliveries"] = int(warehouse.value("SELECT count(*) FROM delivery_versions"))
    print(f"  ready: {made}: {db}", flush=True)
    return db, made
