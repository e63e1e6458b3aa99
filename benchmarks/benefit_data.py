"""Fictional bijstand benefits for the benefits benchmark (issue 14), fast (numpy + pyarrow), and the warehouse
they go into by INSERT (without the loader, as ``costs.py`` and ``access_data.py`` do).

The national picture (CBS: about 400,000 running bijstand benefits, long durations, couples on one benefit):
every person has one to four benefit periods; the first starts anywhere from 2000 to 2024 (so that the stock in
2015 is already full), a period lasts a log-normal number of days (median about two and a half years, a long
tail over ten years), and the next one follows after a gap that is short (0-30 days: a change of household or
regulation, the same episode at the default ``--max-gap-days`` 30) in 40 % of cases and longer (31 days to five
years: a re-entry) otherwise. 18 % of benefits have a partner: another person of the pool (partners may have
benefits of their own, before or after); a partner's birth date and sex are their own. Regulations (PW 93 %,
IOAW, IOAZ, BBZ), household types and CBS reasons as the income systems export them. Periods starting after the
extraction day (2025-01-31) are left out; 30 % of the benefits running then carry a planned end after it (the
metrics must treat them as open), the others none. ``persons`` sets the size: 1,600,000 persons give about
400,000 running benefits.
"""

from __future__ import annotations

import shutil
import time
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

HERE = Path(__file__).parent
DATA = HERE / "data"
SOURCE = "bench"
EXTRACTED_ON = date(2025, 1, 31)
NATIONAL_PERSONS = 1_600_000
CHUNK = 250_000  # persons per row group
FIRST_DAY = np.datetime64("2000-01-01", "D")
LAST_START = np.datetime64("2024-12-31", "D")
SHARE_SHORT_GAP, SHARE_PARTNER = 0.4, 0.18
REGULATIONS = np.array(["PW", "IOAW", "IOAZ", "BBZ"])
REGULATION_P = np.array([0.93, 0.05, 0.01, 0.01])
HOUSEHOLDS = np.array(["alleenstaande", "alleenstaande_ouder", "paar", "paar_met_kinderen"])
INFLOW = np.array(["01", "02", "03", "04", "05", "06", "07", "08"])
OUTFLOW = np.array(["11", "21", "22", "31", "41", "42", "51", "61", "71", "99"])

SCHEMA = pa.schema(
    [
        ("benefit_id", pa.string()),
        ("client_key", pa.int64()),
        ("partner_key", pa.int64()),
        ("birth_date", pa.date32()),
        ("partner_birth_date", pa.date32()),
        ("gender", pa.string()),
        ("partner_gender", pa.string()),
        ("regulation", pa.string()),
        ("household_type", pa.string()),
        ("cost_sharers", pa.int32()),
        ("start_date", pa.date32()),
        ("end_date", pa.date32()),
        ("inflow_reason", pa.string()),
        ("outflow_reason", pa.string()),
        ("municipality_code", pa.string()),
        ("pc4", pa.string()),
    ]
)


def _births(rng: np.random.Generator, size: int) -> np.ndarray:
    """Birth dates of adults on a benefit (1940-2004)."""
    births: np.ndarray = np.datetime64("1940-01-01", "D") + rng.integers(0, 365 * 64, size)
    return births


def _chunk(
    rng: np.random.Generator, first_person: int, persons: int, pool: int, first_benefit: int
) -> pa.Table:
    """The benefits of persons ``first_person`` .. ``first_person + persons - 1`` (keys 1..``pool``)."""
    periods = rng.choice(np.arange(1, 5), size=persons, p=[0.55, 0.25, 0.12, 0.08])
    person = np.repeat(np.arange(first_person, first_person + persons), periods)
    rank = np.arange(len(person)) - np.repeat(np.cumsum(periods) - periods, periods)  # 0 for the first period
    size = len(person)
    length = np.minimum(np.round(rng.lognormal(np.log(900), 1.0, size)), 9000).astype(np.int64) + 1
    gap = np.where(
        rng.random(size) < SHARE_SHORT_GAP, rng.integers(0, 31, size), rng.integers(31, 365 * 5, size)
    )
    first_start = FIRST_DAY + rng.integers(0, int((LAST_START - FIRST_DAY).astype(np.int64)), persons)
    # a person's periods one after another: start = previous start + previous length + gap
    step = np.where(rank == 0, 0, np.roll(length, 1) + gap)
    offset = np.cumsum(step) - np.repeat((np.cumsum(step) - step)[np.cumsum(periods) - periods], periods)
    start = np.repeat(first_start, periods) + offset
    end = start + length - 1
    keep = start <= LAST_START
    person, start, end, size = person[keep], start[keep], end[keep], int(keep.sum())
    person_birth = np.datetime64("1940-01-01", "D") + (person * 7919 % (365 * 64))  # a person's own, stable
    gender = np.where(person % 2 == 0, "1", "2")
    has_partner = rng.random(size) < SHARE_PARTNER
    partner = np.where(has_partner, rng.integers(1, pool + 1, size), 0)
    partner = np.where(partner == person, (partner % pool) + 1, partner)
    partner_birth = np.datetime64("1940-01-01", "D") + (partner * 7919 % (365 * 64))
    household = np.where(
        has_partner,
        HOUSEHOLDS[2 + (rng.random(size) < 0.45)],
        HOUSEHOLDS[(rng.random(size) < 0.25).astype(np.int64)],
    )
    extracted = np.datetime64(EXTRACTED_ON, "D")
    ended = end <= extracted
    number = np.arange(first_benefit, first_benefit + size)
    return pa.Table.from_arrays(
        [
            pc.binary_join_element_wise(pa.scalar("U"), pc.cast(pa.array(number), pa.string()), ""),
            pa.array(person, pa.int64()),
            pa.array(np.where(has_partner, partner, 0), pa.int64(), mask=~has_partner),
            pa.array(person_birth),
            pa.array(partner_birth, mask=~has_partner),
            pa.array(gender),
            pa.array(np.where(partner % 2 == 0, "1", "2"), mask=~has_partner),
            pa.array(REGULATIONS[rng.choice(4, size=size, p=REGULATION_P)]),
            pa.array(household),
            pa.array(np.where(rng.random(size) < 0.08, 1, 0).astype(np.int32)),
            pa.array(start),
            pa.array(end, mask=~ended & (rng.random(size) < 0.7)),  # a planned end on 30 % of running ones
            pa.array(INFLOW[rng.integers(0, len(INFLOW), size)]),
            pa.array(OUTFLOW[rng.integers(0, len(OUTFLOW), size)], mask=~ended),
            pa.array(np.full(size, "9901")),
            pa.array((1000 + rng.integers(0, 8999, size)).astype(str)),
        ],
        schema=SCHEMA,
    )


def write_benefits(path: Path, persons: int, seed: int = 14) -> Path:
    """Write the benefits of ``persons`` persons to the Parquet file ``path``."""
    rng = np.random.default_rng(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    benefit = 1
    with pq.ParquetWriter(partial, SCHEMA, compression="zstd") as writer:
        for first in range(1, persons + 1, CHUNK):
            table = _chunk(rng, first, min(CHUNK, persons + 1 - first), persons, benefit)
            writer.write_table(table)
            benefit += table.num_rows
    partial.rename(path)
    return path


def insert_benefits(db: Path, parquet: Path) -> None:
    """Put the benefits of ``parquet`` into the warehouse ``db`` as one load of kind ``benefits`` (source
    ``bench``, extracted on 2025-01-31), every benefit one current version."""
    from sdmonitor.warehouse import open_warehouse

    moment = datetime.combine(EXTRACTED_ON, datetime.min.time())
    file = str(parquet).replace("'", "''")
    warehouse = open_warehouse(db)
    try:
        with warehouse.transaction():
            load_id = int(warehouse.value("SELECT nextval('load_ids')"))
            rows = int(warehouse.value(f"SELECT count(*) FROM read_parquet('{file}')"))
            warehouse.execute(
                """INSERT INTO loads (load_id, kind, source, file_name, file_sha256, mapping, known_from, loaded_at,
                       rows_read, rows_loaded, rows_unchanged, rows_duplicate, rows_rejected, rows_warned,
                       report_path, sdm_version, status, extracted_on)
                   VALUES (?, 'benefits', ?, ?, '', 'canonical', ?, ?, ?, ?, 0, 0, 0, 0, NULL, 'benchmark',
                           'complete', ?)""",
                [load_id, SOURCE, parquet.name, moment, datetime.now(UTC).replace(tzinfo=None), rows, rows,
                 EXTRACTED_ON],
            )  # fmt: skip
            warehouse.execute(
                f"""INSERT INTO benefit_versions (source, benefit_id, load_id, known_from, superseded_at,
                       superseded_by, source_row, content_hash, client_key, pseudonym, client_number, partner_key,
                       partner_pseudonym, partner_client_number, birth_date, partner_birth_date, gender,
                       partner_gender, regulation, household_type, cost_sharers, start_date, end_date,
                       inflow_reason, outflow_reason, municipality_code, pc4)
                    SELECT ?, benefit_id, ?, ?, NULL, NULL, row_number() OVER () + 1,
                           hash(benefit_id, start_date)::UHUGEINT, client_key, NULL, 'P' || client_key, partner_key,
                           NULL, CASE WHEN partner_key IS NOT NULL THEN 'P' || partner_key END, birth_date,
                           partner_birth_date, gender, partner_gender, regulation, household_type, cost_sharers,
                           start_date, end_date, inflow_reason, outflow_reason, municipality_code, pc4
                    FROM read_parquet('{file}')""",
                [SOURCE, load_id, moment],
            )
    finally:
        warehouse.close()


def prepare(persons: int) -> tuple[Path, dict[str, object]]:
    """A warehouse with the benefits of ``persons`` persons (made once, then reused) and what making it took."""
    from sdmonitor.warehouse import open_warehouse

    db = DATA / f"benefits_{persons}.duckdb"
    if db.exists():
        open_warehouse(db).close()  # brings the schema up to date (the children open it read-only)
        return db, {}
    DATA.mkdir(parents=True, exist_ok=True)
    parquet = DATA / f"benefits_{persons}.parquet"
    partial = DATA / f"benefits_{persons}.partial.duckdb"
    for leftover in DATA.glob(f"{partial.name}*"):
        shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
    print(f"generating the benefits of {persons:,} persons ...", flush=True)
    start = time.perf_counter()
    write_benefits(parquet, persons)
    generated = time.perf_counter() - start
    insert_benefits(partial, parquet)
    partial.rename(db)
    made: dict[str, object] = {
        "generate_seconds": round(generated, 1),
        "insert_seconds": round(time.perf_counter() - start - generated, 1),
    }
    with open_warehouse(db, read_only=True) as warehouse:
        made["benefits"] = int(warehouse.value("SELECT count(*) FROM benefit_versions"))
        made["running_2020"] = int(
            warehouse.value(
                "SELECT count(*) FROM benefit_versions WHERE start_date <= DATE '2020-01-01' "
                "AND (end_date IS NULL OR end_date >= DATE '2020-01-01')"
            )
        )
    print(f"  ready: {made}: {db}", flush=True)
    return db, made
