"""Builders for Participatiewet test data (issue 14): benefits and re-integration provisions, written as files and
loaded with the real load jobs (``sdm load benefits|reintegration``).

``benefit(end_date="2024-06-30")`` is one valid canonical benefit row: algemene bijstand (PW) for a single
applicant ``C1`` (the client of ``tests.builders.allocation``, so the two are one client with one key) from
2024-01-01, running. A couple: ``benefit(partner_id="C2", partner_birth_date="1982-05-01",
household_type="3")``. Pass ``bsn=BSN_A`` (and ``client_id=None``) or ``partner_bsn=BSN_B`` for a fictional
BSN from ``tests.builders``. ``provision()`` is one running re-integration provision of ``C1``. Example::

    load_benefits_rows(warehouse, tmp_path, [benefit(), benefit(benefit_id="U2", client_id="C3")])
    load_reintegration_rows(warehouse, tmp_path, [provision(provision_type="04")])
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, time
from pathlib import Path

from sdmonitor.ingest.columns import BENEFIT_COLUMNS, REINTEGRATION_COLUMNS
from sdmonitor.loading import (
    BENEFIT_TABLE,
    REINTEGRATION_TABLE,
    FileKind,
    LoadOptions,
    LoadSummary,
    load_table,
)
from sdmonitor.warehouse import Warehouse
from tests.builders import write_csv
from tests.conftest import KEY

BENEFIT_HEADERS = [c.name for c in BENEFIT_COLUMNS]
REINTEGRATION_HEADERS = [c.name for c in REINTEGRATION_COLUMNS]


def _row(
    defaults: dict[str, str | None], overrides: Mapping[str, str | None], what: str
) -> dict[str, str | None]:
    row = dict(defaults)
    for name, value in overrides.items():
        if name not in row:
            raise KeyError(f"unknown {what} column {name}")
        row[name] = value
    return row


def benefit(**overrides: str | None) -> dict[str, str | None]:
    """One valid canonical benefit row; ``overrides`` set any canonical column (None: empty)."""
    defaults: dict[str, str | None] = dict.fromkeys(BENEFIT_HEADERS)
    defaults.update(
        benefit_id="U1",
        client_id="C1",
        birth_date="1980-03-15",
        gender="2",
        regulation="PW",
        household_type="1",
        start_date="2024-01-01",
    )
    return _row(defaults, overrides, "benefit")


def provision(**overrides: str | None) -> dict[str, str | None]:
    """One valid canonical re-integration provision row (C1, a participatieplaats from 2024-02-01, running)."""
    defaults: dict[str, str | None] = dict.fromkeys(REINTEGRATION_HEADERS)
    defaults.update(provision_id="R1", client_id="C1", provision_type="03", start_date="2024-02-01")
    return _row(defaults, overrides, "provision")


def write_benefits(path: Path, rows: Iterable[Mapping[str, str | None]]) -> Path:
    """Write benefit rows as a canonical CSV (every column, empty where None)."""
    return write_csv(path, rows, headers=BENEFIT_HEADERS)


def write_reintegration(path: Path, rows: Iterable[Mapping[str, str | None]]) -> Path:
    """Write provision rows as a canonical CSV."""
    return write_csv(path, rows, headers=REINTEGRATION_HEADERS)


def _load(
    warehouse: Warehouse,
    tmp_path: Path,
    table: FileKind,
    stem: str,
    headers: list[str],
    rows: Iterable[Mapping[str, str | None]],
    extracted_on: date,
    name: str | None,
    options: dict[str, object],
) -> LoadSummary:
    if name is None:
        taken = len(list(tmp_path.glob(f"{stem}-{extracted_on}-*.csv")))
        name = f"{stem}-{extracted_on}-{taken + 1}.csv"
    path = write_csv(tmp_path / name, rows, headers=headers)
    return load_table(
        warehouse,
        path,
        LoadOptions(extracted_on=extracted_on, pseudonym_key=KEY, **options),  # type: ignore[arg-type]
        table,
        now=datetime.combine(extracted_on, time(12)),
    )


def load_benefits_rows(
    warehouse: Warehouse,
    tmp_path: Path,
    rows: Iterable[Mapping[str, str | None]],
    *,
    extracted_on: date = date(2024, 3, 1),
    name: str | None = None,
    **options: object,
) -> LoadSummary:
    """Write ``rows`` to a canonical benefits CSV and load it as an export of ``extracted_on`` (load moment: noon
    of that day); ``options`` are further ``LoadOptions`` (``source``, ``reload``, ``strict``, ``mapping``)."""
    return _load(
        warehouse, tmp_path, BENEFIT_TABLE, "uitkeringen", BENEFIT_HEADERS, rows, extracted_on, name, options
    )


def load_reintegration_rows(
    warehouse: Warehouse,
    tmp_path: Path,
    rows: Iterable[Mapping[str, str | None]],
    *,
    extracted_on: date = date(2024, 3, 1),
    name: str | None = None,
    **options: object,
) -> LoadSummary:
    """Write ``rows`` to a canonical re-integration CSV and load it as an export of ``extracted_on``; as
    ``load_benefits_rows``."""
    return _load(
        warehouse, tmp_path, REINTEGRATION_TABLE, "re-integratie", REINTEGRATION_HEADERS, rows, extracted_on,
        name, options,
    )  # fmt: skip
