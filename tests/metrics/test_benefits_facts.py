"""The benefit gateway (metrics/benefits.py): as-of and the data moment on benefit versions, and one row per
benefit and person (applicant and partner)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pyarrow as pa

from sdmonitor.metrics.benefits import benefit_facts, benefit_persons
from sdmonitor.metrics.engine import as_of_cutoff
from sdmonitor.warehouse import Warehouse
from sdmonitor.warehouse.benefits import BENEFITS_KIND, benefit_window


def _version(**overrides: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "source": "gws", "benefit_id": "U1", "load_id": 1, "known_from": datetime(2024, 1, 1),
        "superseded_at": None, "superseded_by": None, "source_row": 1, "content_hash": 1, "client_key": 1,
        "pseudonym": None, "client_number": None, "partner_key": None, "partner_pseudonym": None,
        "partner_client_number": None, "birth_date": date(1980, 5, 1), "partner_birth_date": None,
        "gender": "1", "partner_gender": None, "regulation": "PW", "household_type": "1",
        "cost_sharers": None, "start_date": date(2023, 1, 1), "end_date": None, "inflow_reason": None,
        "outflow_reason": None, "municipality_code": "1621", "pc4": "2651",
    }  # fmt: skip
    row.update(overrides)
    return row


def insert_versions(warehouse: Warehouse, rows: list[dict[str, Any]]) -> None:
    """Store benefit versions as given (the gateway's own test; the metrics' tests load real files)."""
    columns = list(_version())
    batch = pa.Table.from_pylist([{c: r[c] for c in columns} for r in rows])
    warehouse.execute_on(f"INSERT INTO benefit_versions ({', '.join(columns)}) SELECT * FROM batch", batch)


def _rows(warehouse: Warehouse, table: Any) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = warehouse.ibis().to_pyarrow(table).to_pylist()
    return sorted(result, key=lambda r: (r["benefit_id"], r.get("role", "")))


def test_a_couple_on_one_benefit_is_two_persons(warehouse: Warehouse) -> None:
    insert_versions(
        warehouse,
        [
            _version(
                partner_key=2, partner_birth_date=date(1982, 2, 3), partner_gender="2", household_type="3"
            ),
            _version(benefit_id="U2", client_key=3),
        ],
    )
    persons = _rows(warehouse, benefit_persons(benefit_facts(warehouse.ibis(), None)))
    assert [(p["benefit_id"], p["role"], p["client_key"], p["birth_date"], p["gender"]) for p in persons] == [
        ("U1", "aanvrager", 1, date(1980, 5, 1), "1"),
        ("U1", "partner", 2, date(1982, 2, 3), "2"),
        ("U2", "aanvrager", 3, date(1980, 5, 1), "1"),
    ]
    assert {p["household_type"] for p in persons if p["benefit_id"] == "U1"} == {"3"}


def test_as_of_reads_the_version_known_then(warehouse: Warehouse) -> None:
    insert_versions(
        warehouse,
        [
            _version(superseded_at=datetime(2024, 3, 1), superseded_by=2),
            _version(load_id=2, known_from=datetime(2024, 3, 1), end_date=date(2024, 1, 31)),
        ],
    )
    before = _rows(warehouse, benefit_facts(warehouse.ibis(), date(2024, 2, 29)))
    now = _rows(warehouse, benefit_facts(warehouse.ibis(), None))
    assert [r["end_date"] for r in before] == [None]
    assert [r["end_date"] for r in now] == [date(2024, 1, 31)]


def test_a_planned_end_runs_and_a_planned_start_is_left_out(warehouse: Warehouse) -> None:
    insert_versions(
        warehouse,
        [
            _version(end_date=date(2024, 6, 30), outflow_reason="11"),
            _version(benefit_id="U2", end_date=date(2024, 3, 1), outflow_reason="02"),
            _version(benefit_id="U3", start_date=date(2024, 3, 2)),
        ],
    )
    facts = _rows(warehouse, benefit_facts(warehouse.ibis(), None, date(2024, 3, 1)))
    assert [(r["benefit_id"], r["end_date"], r["outflow_reason"]) for r in facts] == [
        ("U1", None, None),
        ("U2", date(2024, 3, 1), "02"),
    ]


def test_the_history_start_of_the_data_status_is_the_earliest_start_known_at_as_of(
    warehouse: Warehouse,
) -> None:
    """``warehouse.benefits.benefit_window`` (the data status of every benefit metric and the Uitkeringen page)
    gives the earliest start of the benefits known at ``as_of``, the versions ``benefit_facts`` reads: a
    version superseded later still counts before then, a version known later does not."""
    insert_versions(
        warehouse,
        [
            _version(start_date=date(2019, 3, 1), superseded_at=datetime(2024, 6, 1), superseded_by=2),
            _version(load_id=2, known_from=datetime(2024, 6, 1), start_date=date(2020, 1, 1)),
            _version(benefit_id="U2", load_id=2, known_from=datetime(2024, 6, 1), start_date=date(2018, 5, 1),
                     superseded_at=datetime(2024, 9, 1), superseded_by=3),
        ],
    )  # fmt: skip

    def start(as_of: date | datetime | None) -> date | None:
        cutoff = None if as_of is None else as_of_cutoff(as_of)
        value: date | None = benefit_window(warehouse, BENEFITS_KIND, cutoff).history_start
        return value

    for as_of in (None, date(2024, 3, 1), date(2024, 6, 1), datetime(2024, 5, 31, 23, 59), date(2023, 1, 1)):
        facts = _rows(warehouse, benefit_facts(warehouse.ibis(), as_of, None))
        assert start(as_of) == min((r["start_date"] for r in facts), default=None)
    assert start(date(2024, 3, 1)) == date(2019, 3, 1)
    assert start(date(2024, 6, 1)) == date(2018, 5, 1)
    assert start(None) == date(2020, 1, 1)
    assert start(date(2023, 1, 1)) is None
