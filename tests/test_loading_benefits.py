"""Loading benefits and re-integration provisions (issue 14; docs/loading.md "Uitkeringen laden",
"Re-integratievoorzieningen laden")."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sdmonitor.warehouse import Warehouse
from tests.access_builders import load_allocations_rows
from tests.benefit_builders import benefit, load_benefits_rows, load_reintegration_rows, provision
from tests.builders import BSN_A, BSN_B, allocation


def test_a_canonical_benefits_file_loads_a_single_and_a_couple(warehouse: Warehouse, tmp_path: Path) -> None:
    summary = load_benefits_rows(
        warehouse,
        tmp_path,
        [
            benefit(),
            benefit(
                benefit_id="U2",
                client_id="C3",
                partner_id="C4",
                partner_birth_date="1982-05-01",
                partner_gender="1",
                household_type="gehuwden/samenwonenden",
                regulation=None,
                cost_sharers="2",
                end_date="2024-02-29",
                outflow_reason="11",
                inflow_reason="2",
                postcode="2651 AB",
            ),
        ],
    )
    assert (summary.read, summary.loaded, summary.rejected, summary.warned) == (2, 2, 0, 0)
    assert summary.accounted
    stored = warehouse.rows(
        "SELECT benefit_id, regulation, household_type, cost_sharers, start_date, end_date, inflow_reason, "
        "outflow_reason, pc4, partner_birth_date, partner_gender, client_key IS NOT NULL, "
        "partner_key IS NOT NULL FROM benefit_versions ORDER BY benefit_id"
    )
    assert stored == [
        ("U1", "PW", "alleenstaande", None, date(2024, 1, 1), None, None, None, None, None, None, True, False),
        (
            "U2", "PW", "gehuwd_samenwonend", 2, date(2024, 1, 1), date(2024, 2, 29), "02", "11", "2651",
            date(1982, 5, 1), "1", True, True,
        ),
    ]  # fmt: skip


def test_a_partner_with_wmo_support_under_the_same_bsn_is_one_client(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load_allocations_rows(warehouse, tmp_path, [allocation("T1", client=None, bsn=BSN_B, start="2024-01-22")])
    load_benefits_rows(warehouse, tmp_path, [benefit(client_id=None, bsn=BSN_A, partner_bsn=BSN_B)])
    partner = warehouse.value("SELECT partner_key FROM benefit_versions")
    assert partner == warehouse.value("SELECT client_key FROM allocation_versions")
    assert warehouse.value("SELECT client_key FROM benefit_versions") != partner


def test_a_provision_gets_the_client_key_of_the_benefit(warehouse: Warehouse, tmp_path: Path) -> None:
    load_benefits_rows(warehouse, tmp_path, [benefit()])
    summary = load_reintegration_rows(warehouse, tmp_path, [provision(provision_type="4")])
    assert (summary.read, summary.loaded, summary.rejected) == (1, 1, 0)
    assert warehouse.rows("SELECT provision_id, provision_type FROM reintegration_versions") == [("R1", "04")]
    assert warehouse.value("SELECT client_key FROM reintegration_versions") == warehouse.value(
        "SELECT client_key FROM benefit_versions"
    )
