"""Loading requests, deliveries and norms (issue 13; docs/loading.md "Meldingen en aanvragen", "Leveringen",
"Normen"; docs/design/access.md §1, §4)."""

from __future__ import annotations

import csv
import re
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import ibis
import pyarrow as pa
import pytest

from sdmonitor.errors import LoadRejectedError
from sdmonitor.loading import DELIVERY_TABLE, REQUEST_TABLE, LoadOptions, load_table
from sdmonitor.metrics.access import norm_table, with_norm
from sdmonitor.warehouse import Warehouse
from sdmonitor.warehouse.access import effective_norms
from sdmonitor.warehouse.inventory import data_moment
from sdmonitor.warehouse.loads import VERSIONED_TABLES, undo_load
from tests.access_builders import (
    delivery,
    load_allocations_rows,
    load_deliveries_rows,
    load_norms_rows,
    load_requests_rows,
    request,
)
from tests.builders import BSN_A, allocation
from tests.conftest import KEY


def requests_known(warehouse: Warehouse, moment: datetime | None = None) -> list[tuple[object, ...]]:
    """(request_id, decided_on, outcome) of the request versions known at ``moment`` (None: now)."""
    return warehouse.rows(
        "SELECT request_id, decided_on, outcome FROM request_versions "
        "WHERE CASE WHEN CAST(? AS TIMESTAMP) IS NULL THEN superseded_at IS NULL "
        "ELSE known_from <= ? AND (superseded_at IS NULL OR superseded_at > ?) END ORDER BY request_id",
        [moment, moment, moment],
    )


# --- requests ------------------------------------------------------------------------------------------------


def norms_of(
    cases: Any, backend: Any, applies_to: str, *, provider: bool = True, cutoff: datetime | None = None
) -> Any:
    """``cases`` with ``norm_days`` by the rule the metrics apply (``metrics/access.py`` ``with_norm``) to the
    norms in force at ``cutoff``: ``applies_to`` 'waiting', or 'kind' for the column of a request's kind."""
    applies = cases.kind if applies_to == "kind" else ibis.literal(applies_to)
    by = cases.provider_code if provider else ibis.literal(None, "string")
    return with_norm(cases, norm_table(backend, cutoff), applies, by)


def test_a_canonical_requests_file_loads_every_row_with_the_client_of_its_allocation(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load_allocations_rows(warehouse, tmp_path, [allocation("T1", client="C1", start="2024-01-22")])
    summary = load_requests_rows(
        warehouse,
        tmp_path,
        [request(), request(request_id="M1", kind="melding", decided_on=None, outcome=None, team=None)],
    )
    assert (summary.read, summary.loaded, summary.rejected, summary.warned) == (2, 2, 0, 0)
    assert summary.accounted
    stored = warehouse.rows(
        "SELECT request_id, law, kind, received_on, decided_on, outcome, team, suspended_days, extended_days "
        "FROM request_versions ORDER BY request_id"
    )
    assert stored == [
        ("A1", "WMO", "aanvraag", date(2024, 1, 8), date(2024, 1, 19), "toegekend", "Wijkteam Noord", 0, 0),
        ("M1", "WMO", "melding", date(2024, 1, 8), None, None, "onbekend", 0, 0),
    ]
    keys = warehouse.rows(
        "SELECT DISTINCT client_key FROM request_versions UNION SELECT DISTINCT client_key FROM allocation_versions"
    )
    assert len(keys) == 1


def test_a_request_decided_later_is_a_new_version_and_as_of_sees_it_open(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load_requests_rows(
        warehouse, tmp_path, [request(decided_on=None, outcome=None)], extracted_on=date(2024, 1, 15)
    )
    later = load_requests_rows(warehouse, tmp_path, [request()], extracted_on=date(2024, 2, 1))
    assert (later.loaded, later.unchanged) == (1, 0)
    assert requests_known(warehouse) == [("A1", date(2024, 1, 19), "toegekend")]
    assert requests_known(warehouse, datetime(2024, 1, 20)) == [("A1", None, None)]


def test_loading_the_same_requests_twice_changes_nothing(warehouse: Warehouse, tmp_path: Path) -> None:
    rows = [request(), request(request_id="A2", received_on="2024-02-01", decided_on=None, outcome=None)]
    load_requests_rows(warehouse, tmp_path, rows)
    again = load_requests_rows(warehouse, tmp_path, rows)
    assert (again.loaded, again.unchanged) == (0, 2)
    assert warehouse.value("SELECT count(*) FROM request_versions") == 2


def test_pw_is_a_law_for_requests_but_not_for_allocations(warehouse: Warehouse, tmp_path: Path) -> None:
    summary = load_requests_rows(
        warehouse,
        tmp_path,
        [request(law="Participatiewet", product_category="99"), request(request_id="A2", law="AOW")],
    )
    assert (summary.loaded, summary.rejected, summary.rejections) == (1, 1, {"invalid_request_law": 1})
    assert warehouse.rows("SELECT law, product_category FROM request_versions") == [("PW", "99")]
    allocations = load_allocations_rows(warehouse, tmp_path, [allocation("T1", law="PW")])
    assert allocations.rejections == {"invalid_law": 1}


def test_an_unparseable_decision_date_rejects_the_row(warehouse: Warehouse, tmp_path: Path) -> None:
    summary = load_requests_rows(warehouse, tmp_path, [request(decided_on="31-02-2024")])
    assert (summary.loaded, summary.rejections) == (0, {"invalid_decided_on": 1})


def test_a_decision_before_receipt_is_rejected(warehouse: Warehouse, tmp_path: Path) -> None:
    summary = load_requests_rows(warehouse, tmp_path, [request(decided_on="2024-01-07")])
    assert (summary.loaded, summary.rejections) == (0, {"decided_before_received": 1})


def test_a_decision_after_the_extraction_date_loads_with_a_warning(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    summary = load_requests_rows(
        warehouse, tmp_path, [request(decided_on="2024-03-04")], extracted_on=date(2024, 3, 1)
    )
    assert (summary.loaded, summary.warnings) == (1, {"decided_after_extraction": 1})
    report = summary.report_path.read_text(encoding="utf-8-sig")
    assert "Besluitdatum 2024-03-04 ligt na de exportdatum 01-03-2024" in report


def test_an_unknown_outcome_is_rejected_and_gedeeltelijk_toegekend_reads_as_deels(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    summary = load_requests_rows(
        warehouse,
        tmp_path,
        [request(outcome="Gedeeltelijk toegekend"), request(request_id="A2", outcome="misschien")],
    )
    assert (summary.loaded, summary.rejections) == (1, {"invalid_outcome": 1})
    assert warehouse.rows("SELECT outcome FROM request_versions") == [("deels",)]


def test_negative_suspended_days_are_rejected(warehouse: Warehouse, tmp_path: Path) -> None:
    summary = load_requests_rows(
        warehouse,
        tmp_path,
        [request(suspended_days="-3"), request(request_id="A2", suspended_days="5", extended_days="14")],
    )
    assert (summary.loaded, summary.rejections) == (1, {"invalid_suspended_days": 1})
    assert warehouse.rows("SELECT suspended_days, extended_days FROM request_versions") == [(5, 14)]


def test_a_receipt_after_the_extraction_date_is_rejected(warehouse: Warehouse, tmp_path: Path) -> None:
    summary = load_requests_rows(
        warehouse, tmp_path, [request(received_on="2024-03-02", decided_on=None, outcome=None)]
    )
    assert summary.rejections == {"received_after_extraction": 1}


def test_a_bsn_in_a_requests_file_is_never_stored_or_echoed(warehouse: Warehouse, tmp_path: Path) -> None:
    bsn = BSN_A
    summary = load_requests_rows(
        warehouse, tmp_path, [request(client_id=None, bsn=bsn, team=f"team {bsn}", outcome="fout")]
    )
    assert summary.rejections == {"invalid_outcome": 1}
    assert bsn not in summary.report_path.read_text(encoding="utf-8-sig")
    load_requests_rows(warehouse, tmp_path, [request(client_id=None, bsn=bsn, team=f"team {bsn}")])
    stored = warehouse.rows("SELECT * FROM request_versions")
    assert stored and all(bsn not in str(value) for row in stored for value in row)


def test_a_link_made_by_a_later_allocation_gives_a_request_the_key_of_the_bsn(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load_requests_rows(
        warehouse, tmp_path, [request(client_id=None, bsn=BSN_A), request(request_id="A2", client_id="C1")]
    )
    assert warehouse.value("SELECT count(DISTINCT client_key) FROM request_versions") == 2
    linked = load_allocations_rows(warehouse, tmp_path, [allocation("T1", client="C1", bsn=BSN_A)])
    assert linked.relinked == 1
    assert (
        warehouse.value("SELECT count(DISTINCT client_key) FROM request_versions WHERE superseded_at IS NULL")
        == 1
    )
    assert (
        warehouse.value("SELECT count(*) FROM request_versions") == 3
    )  # A2 before the link stays for --as-of


def test_the_dutch_layouts_are_recognised_by_their_headers(warehouse: Warehouse, tmp_path: Path) -> None:
    requests = tmp_path / "aanvragen.csv"
    requests.write_text(
        "Aanvraagnummer;BSN;Wet;Soort;Meldingsdatum;Beschikkingsdatum;Uitkomst;Toegangspartner;Opgeschorte dagen\n"
        f"A1;{BSN_A};Jeugdwet;aanvraag;02-01-2024;20-02-2024;afgewezen;CJG Oost;7\n",
        encoding="utf-8",
    )
    deliveries = tmp_path / "305-307.csv"
    deliveries.write_text(
        f"ToewijzingNummer,Begindatum,Einddatum,RedenBeeindiging\n{BSN_A},2024-01-15,2024-02-01,20\n", "utf-8"
    )
    load_allocations_rows(
        warehouse, tmp_path, [allocation(BSN_A, law="JW", category="45", birth="2012-01-01")]
    )
    options = LoadOptions(extracted_on=date(2024, 3, 1), pseudonym_key=KEY)
    loaded = load_table(warehouse, requests, options, REQUEST_TABLE, now=datetime(2024, 3, 1, 12))
    assert (loaded.mapping, loaded.loaded) == ("nl-aanvragen", 1)
    assert warehouse.rows(
        "SELECT law, received_on, decided_on, outcome, team, suspended_days FROM request_versions"
    ) == [("JW", date(2024, 1, 2), date(2024, 2, 20), "afgewezen", "CJG Oost", 7)]
    started = load_table(warehouse, deliveries, options, DELIVERY_TABLE, now=datetime(2024, 3, 1, 12))
    assert (started.mapping, started.loaded, started.warnings) == ("iwmo-305-307", 1, {})
    # an allocation number that passes the 11-check is stored as its pseudonym, the same as the allocation's
    assert warehouse.rows(
        "SELECT count(*) FROM delivery_versions JOIN allocation_versions USING (source, allocation_id)"
    ) == [(1,)]
    assert BSN_A not in str(warehouse.rows("SELECT allocation_id FROM delivery_versions"))


# --- deliveries ----------------------------------------------------------------------------------------------


def test_a_stop_for_a_loaded_start_is_a_new_version_of_that_delivery(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load_allocations_rows(warehouse, tmp_path, [allocation("T1", start="2024-01-01")])
    first = load_deliveries_rows(
        warehouse, tmp_path, [delivery(start_date="2024-01-10")], extracted_on=date(2024, 1, 31)
    )
    stop = load_deliveries_rows(
        warehouse,
        tmp_path,
        [delivery(start_date="2024-01-10", end_date="2024-02-10", end_reason="02")],
        extracted_on=date(2024, 2, 15),
    )
    assert (first.loaded, stop.loaded, stop.warnings) == (1, 1, {})
    assert warehouse.rows(
        "SELECT start_date, end_date, end_reason FROM delivery_versions WHERE superseded_at IS NULL"
    ) == [(date(2024, 1, 10), date(2024, 2, 10), "02")]
    assert warehouse.value("SELECT count(*) FROM delivery_versions") == 2


def test_a_pause_and_a_restart_are_two_deliveries_of_one_allocation(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load_allocations_rows(warehouse, tmp_path, [allocation("T1", start="2024-01-01")])
    summary = load_deliveries_rows(
        warehouse,
        tmp_path,
        [
            delivery(start_date="2024-01-10", end_date="2024-01-31", end_reason="20"),
            delivery(start_date="2024-02-15"),
        ],
    )
    assert (summary.loaded, summary.rejected) == (2, 0)
    assert warehouse.value("SELECT count(*) FROM delivery_versions WHERE allocation_id = 'T1'") == 2


def test_a_pause_then_a_definitive_stop_without_restart_keeps_one_delivery(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load_allocations_rows(warehouse, tmp_path, [allocation("T1", start="2024-01-01")])
    for extracted, end, reason in ((date(2024, 1, 20), None, None), (date(2024, 2, 5), "2024-01-31", "20"),
                                   (date(2024, 3, 1), "2024-01-31", "02")):  # fmt: skip
        load_deliveries_rows(
            warehouse, tmp_path, [delivery(start_date="2024-01-10", end_date=end, end_reason=reason)],
            extracted_on=extracted,
        )  # fmt: skip
    assert warehouse.rows(
        "SELECT start_date, end_date, end_reason FROM delivery_versions WHERE superseded_at IS NULL"
    ) == [(date(2024, 1, 10), date(2024, 1, 31), "02")]
    paused = warehouse.rows(
        "SELECT end_reason FROM delivery_versions WHERE known_from <= ? AND coalesce(superseded_at, ?) > ?",
        [datetime(2024, 2, 10), datetime(9999, 1, 1), datetime(2024, 2, 10)],
    )
    assert paused == [("20",)]


def test_a_delivery_for_an_unknown_allocation_loads_and_names_it_once_the_allocation_arrives(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    early = load_deliveries_rows(
        warehouse, tmp_path, [delivery(allocation_id="T7")], extracted_on=date(2024, 2, 1)
    )
    assert early.warnings == {"delivery_unknown_allocation": 1}
    load_allocations_rows(warehouse, tmp_path, [allocation("T7", start="2018-01-01")])
    joined = warehouse.rows(
        "SELECT d.start_date, a.start_date FROM delivery_versions d JOIN allocation_versions a "
        "USING (source, allocation_id) WHERE d.superseded_at IS NULL AND a.superseded_at IS NULL"
    )
    assert joined == [(date(2018, 1, 15), date(2018, 1, 1))]


def test_a_restart_without_a_stop_and_an_overlap_are_warned_but_a_pause_is_not(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load_allocations_rows(warehouse, tmp_path, [allocation("T1", start="2024-01-01"), allocation("T2")])
    load_deliveries_rows(
        warehouse,
        tmp_path,
        [delivery(allocation_id="T1", start_date="2024-01-10"), delivery(allocation_id="T2", start_date="2018-01-10",
                                                                         end_date="2018-02-28")],
        extracted_on=date(2024, 2, 1),
    )  # fmt: skip
    summary = load_deliveries_rows(
        warehouse,
        tmp_path,
        [
            delivery(allocation_id="T1", start_date="2024-02-01"),
            delivery(allocation_id="T2", start_date="2018-02-01", end_date="2018-03-31"),
            delivery(allocation_id="T2", start_date="2018-04-01"),
        ],
        extracted_on=date(2024, 2, 10),
    )
    assert summary.warnings == {"restart_without_stop": 1, "overlapping_deliveries": 1}
    report = summary.report_path.read_text(encoding="utf-8-sig")
    assert "terwijl de levering die op 10-01-2024 begon niet gestopt is" in report


def test_a_delivery_for_an_unknown_allocation_loads_with_a_warning(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    summary = load_deliveries_rows(warehouse, tmp_path, [delivery(allocation_id="X9")])
    assert (summary.loaded, summary.warnings) == (1, {"delivery_unknown_allocation": 1})
    assert "Toewijzing X9 is niet bekend" in summary.report_path.read_text(encoding="utf-8-sig")


def test_two_contents_for_one_start_in_a_file_are_both_rejected(warehouse: Warehouse, tmp_path: Path) -> None:
    load_allocations_rows(warehouse, tmp_path, [allocation("T1")])
    summary = load_deliveries_rows(warehouse, tmp_path, [delivery(), delivery(end_date="2018-03-01")])
    assert (summary.loaded, summary.rejections) == (0, {"duplicate_delivery": 2})


def test_a_request_id_with_two_contents_in_one_file_rejects_both(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    summary = load_requests_rows(warehouse, tmp_path, [request(), request(team="CJG")])
    assert (summary.loaded, summary.rejections) == (0, {"duplicate_request_id": 2})


def test_an_extension_longer_than_the_legal_term_is_warned(warehouse: Warehouse, tmp_path: Path) -> None:
    summary = load_requests_rows(
        warehouse, tmp_path, [request(extended_days="15"), request(request_id="A2", extended_days="14")]
    )
    assert (summary.loaded, summary.warnings) == (2, {"extension_exceeds_term": 1})
    report = summary.report_path.read_text(encoding="utf-8-sig")
    assert "verdaging van 15 dagen (Awb 4:14) is langer dan de wettelijke termijn zelf (14 dagen)" in report


def test_deliveries_are_checked_against_their_allocation(warehouse: Warehouse, tmp_path: Path) -> None:
    load_allocations_rows(
        warehouse,
        tmp_path,
        [
            allocation("T1", start="2024-01-01", end="2024-06-30"),
            allocation("T2", start="2024-01-01", delivery_form="PGB"),
            allocation("T3", start="2024-01-01", change_reason="13"),
        ],
    )
    summary = load_deliveries_rows(
        warehouse,
        tmp_path,
        [
            delivery(allocation_id="T1", start_date="2023-12-20", end_date="2024-06-30"),
            delivery(allocation_id="T1", start_date="2024-07-02"),
            delivery(allocation_id="T2", start_date="2024-01-10"),
            delivery(allocation_id="T3", start_date="2024-01-10"),
        ],
        extracted_on=date(2024, 8, 1),
    )
    assert (summary.loaded, summary.rejected) == (4, 0)
    assert summary.warnings == {
        "start_before_allocation": 1,
        "start_after_allocation_end": 1,
        "delivery_on_pgb": 1,
        "delivery_on_deleted_allocation": 1,
    }
    assert "Levering begint voor de ingangsdatum 01-01-2024" in summary.report_path.read_text(
        encoding="utf-8-sig"
    )


def test_end_reason_31_is_checked_against_the_law_of_the_allocation(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load_allocations_rows(
        warehouse,
        tmp_path,
        [allocation("W1", start="2024-01-01"), allocation("J1", law="JW", category="45", birth="2012-05-01",
                                                          start="2024-01-01")],
    )  # fmt: skip
    summary = load_deliveries_rows(
        warehouse,
        tmp_path,
        [
            delivery(allocation_id="W1", start_date="2024-01-10", end_date="2024-02-01", end_reason="31"),
            delivery(allocation_id="J1", start_date="2024-01-10", end_date="2024-02-01", end_reason="31"),
            delivery(allocation_id="W1", start_date="2024-02-10", end_date="2024-02-20", end_reason="35"),
        ],
    )
    assert summary.warnings == {"unknown_end_reason": 1}
    report = summary.report_path.read_text(encoding="utf-8-sig")
    assert "Reden beëindiging '35' staat niet in de codelijst van WMO" in report


# --- norms ---------------------------------------------------------------------------------------------------


def test_the_shipped_norms_cite_their_sources_and_are_in_every_warehouse(warehouse: Warehouse) -> None:
    shipped = resources.files("sdmonitor.domain").joinpath("data/norms.csv").read_text("utf-8")
    rows = list(csv.DictReader(shipped.splitlines()))
    stored = warehouse.rows(
        "SELECT law, product_category, provider_code, applies_to, days, basis, load_id, shipped "
        "FROM norm_versions ORDER BY source_row"
    )
    assert stored == [
        (
            r["law"],
            r["product_category"],
            r["provider_code"],
            r["applies_to"],
            int(r["days"]),
            r["basis"],
            0,
            True,
        )
        for r in rows
    ]
    assert all(
        any(word in r["basis"] for word in ("Wmo 2015", "Awb", "Treeknorm", "wachtnorm")) for r in rows
    )
    legal = {(r["law"], r["applies_to"]): int(r["days"]) for r in rows if r["applies_to"] != "waiting"}
    assert legal == {
        ("WMO", "melding"): 42,
        ("WMO", "aanvraag"): 14,
        ("JW", "aanvraag"): 56,
        ("PW", "aanvraag"): 56,
    }
    assert {r["law"] for r in rows if r["applies_to"] == "waiting" and not r["product_category"]} == {
        "WMO",
        "JW",
    }
    assert all(e.basis and e.shipped for e in effective_norms(warehouse))


def test_the_most_specific_norm_wins(warehouse: Warehouse, tmp_path: Path) -> None:
    load_norms_rows(
        warehouse,
        tmp_path,
        [
            {"law": "JW", "applies_to": "waiting", "days": 42},
            {"law": "JW", "product_category": "54", "applies_to": "waiting", "days": 98},
            {"law": "JW", "provider_code": "87654321", "applies_to": "waiting", "days": 56},
            {
                "law": "JW",
                "product_category": "54",
                "provider_code": "87654321",
                "applies_to": "waiting",
                "days": 70,
            },
        ],
    )
    backend = warehouse.ibis()
    cases = ibis.memtable(
        pa.table(
            {
                "law": ["JW", "JW", "JW", "JW", "WMO"],
                "product_category": ["54", "45", "54", "45", "15"],
                "provider_code": ["87654321", "87654321", "11111111", "11111111", "11111111"],
            }
        )
    )
    found = norms_of(cases, backend, "waiting").order_by("law", "product_category", "provider_code")
    result = {
        (r["law"], r["product_category"], r["provider_code"]): r["norm_days"]
        for r in backend.to_pyarrow(found).to_pylist()
    }
    assert result == {
        ("JW", "54", "87654321"): 70,
        ("JW", "45", "87654321"): 56,
        ("JW", "54", "11111111"): 98,
        ("JW", "45", "11111111"): 42,
        ("WMO", "15", "11111111"): 91,
    }


def test_a_request_gets_the_legal_term_of_its_law_and_kind_and_a_loaded_norm_beats_the_default(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load_norms_rows(warehouse, tmp_path, [{"law": "JW", "applies_to": "aanvraag", "days": 42}])
    backend = warehouse.ibis()
    cases = ibis.memtable(
        pa.table(
            {
                "law": ["WMO", "WMO", "JW", "JW", "PW", "PW"],
                "kind": ["melding", "aanvraag", "aanvraag", "melding", "aanvraag", "melding"],
                "product_category": ["02", None, "54", "54", None, None],
            }
        )
    )
    found = norms_of(cases, backend, "kind", provider=False)
    result = {(r["law"], r["kind"]): r["norm_days"] for r in backend.to_pyarrow(found).to_pylist()}
    assert result == {
        ("WMO", "melding"): 42,
        ("WMO", "aanvraag"): 14,
        ("JW", "aanvraag"): 42,
        ("JW", "melding"): None,  # a Jeugdwet melding has no legal term
        ("PW", "aanvraag"): 56,
        ("PW", "melding"): None,
    }


def test_the_norms_known_at_a_moment_are_the_ones_of_that_moment(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load_norms_rows(
        warehouse,
        tmp_path,
        [{"law": "JW", "applies_to": "waiting", "days": 56}],
        extracted_on=date(2024, 2, 1),
    )
    backend = warehouse.ibis()
    cases = ibis.memtable(
        pa.table({"law": ["JW"], "product_category": ["45"], "provider_code": ["12345678"]})
    )

    def days(cutoff: datetime | None) -> object:
        return backend.to_pyarrow(norms_of(cases, backend, "waiting", cutoff=cutoff)).to_pylist()[0][
            "norm_days"
        ]

    assert (days(None), days(datetime(2024, 1, 15)), days(datetime(2024, 2, 2))) == (56, 42, 56)


def test_a_loaded_norm_replaces_the_default_of_the_same_key_and_keeps_the_others(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load_norms_rows(warehouse, tmp_path, [{"law": "JW", "applies_to": "waiting", "days": 56}])
    shown = {(n.law, n.product_category, n.applies_to): n for n in effective_norms(warehouse)}
    assert (shown["JW", "", "waiting"].days, shown["JW", "", "waiting"].replaces) == (56, 42)
    assert not shown["JW", "", "waiting"].shipped
    assert shown["JW", "54", "waiting"].days == 98 and shown["JW", "54", "waiting"].shipped
    assert len(shown) == warehouse.value("SELECT count(*) FROM norm_versions WHERE shipped")


def test_a_new_norms_file_replaces_the_loaded_set_and_as_of_sees_the_old_one(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load_norms_rows(
        warehouse,
        tmp_path,
        [{"law": "JW", "applies_to": "waiting", "days": 56}],
        extracted_on=date(2024, 1, 10),
    )
    load_norms_rows(
        warehouse,
        tmp_path,
        [{"law": "WMO", "applies_to": "waiting", "days": 28}],
        extracted_on=date(2024, 2, 10),
    )
    now = {(n.law, n.applies_to, n.product_category): n.days for n in effective_norms(warehouse)}
    then = {
        (n.law, n.applies_to, n.product_category): n.days
        for n in effective_norms(warehouse, datetime(2024, 2, 1))
    }
    assert (now["JW", "waiting", ""], now["WMO", "waiting", ""]) == (42, 28)
    assert (then["JW", "waiting", ""], then["WMO", "waiting", ""]) == (56, 42)


def test_a_norms_file_with_one_bad_row_loads_nothing_and_lists_the_row(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    rows: list[dict[str, object]] = [
        {"law": "JW", "applies_to": "waiting", "days": 56},
        {"law": "WMO", "provider_code": "12345678", "applies_to": "aanvraag", "days": 10},
        {"law": "PW", "applies_to": "waiting", "days": 10},
        {"law": "JW", "applies_to": "wachten", "days": "zes weken"},
    ]
    with pytest.raises(LoadRejectedError, match="3 van 4 rijen afgewezen") as refused:
        load_norms_rows(warehouse, tmp_path, rows)
    assert "rij 3: Een wettelijke beslistermijn geldt niet per aanbieder" in str(refused.value)
    assert warehouse.value("SELECT count(*) FROM norm_versions WHERE NOT shipped") == 0
    assert warehouse.value("SELECT count(*) FROM loads WHERE kind = 'norms'") == 0


# --- versions, repair, data moment ---------------------------------------------------------------------------


def test_an_unfinished_load_of_requests_or_deliveries_is_undone(warehouse: Warehouse, tmp_path: Path) -> None:
    assert {"request_versions", "delivery_versions", "norm_versions"} <= set(VERSIONED_TABLES)
    load_requests_rows(
        warehouse, tmp_path, [request(decided_on=None, outcome=None)], extracted_on=date(2024, 1, 15)
    )
    later = load_requests_rows(warehouse, tmp_path, [request()], extracted_on=date(2024, 2, 1))
    warehouse.execute("UPDATE loads SET status = 'loading' WHERE load_id = ?", [later.load_id])
    undo_load(warehouse, later.load_id)
    assert requests_known(warehouse) == [("A1", None, None)]
    assert warehouse.value("SELECT count(*) FROM norm_versions WHERE shipped") == 17


def test_an_unfinished_load_of_norms_is_undone_and_the_set_before_it_counts_again(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load_norms_rows(warehouse, tmp_path, [{"law": "JW", "applies_to": "waiting", "days": 56}])
    later = load_norms_rows(warehouse, tmp_path, [{"law": "WMO", "applies_to": "waiting", "days": 28}])
    warehouse.execute("UPDATE loads SET status = 'loading' WHERE load_id = ?", [later.load_id])
    undo_load(warehouse, later.load_id)
    loaded = {(n.law, n.days) for n in effective_norms(warehouse) if not n.shipped}
    assert loaded == {("JW", 56)}


def test_each_source_of_requests_and_deliveries_has_its_data_moment(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load_requests_rows(warehouse, tmp_path, [request()], extracted_on=date(2024, 2, 1), source="gws")
    load_requests_rows(warehouse, tmp_path, [request()], extracted_on=date(2024, 2, 20), source="suite")
    load_deliveries_rows(warehouse, tmp_path, [delivery()], extracted_on=date(2024, 2, 10))
    assert data_moment(warehouse, ("requests",)) == date(2024, 2, 1)
    assert data_moment(warehouse, ("deliveries",)) == date(2024, 2, 10)
    assert data_moment(warehouse, ("requests",), datetime(2024, 1, 31)) is None


# --- command line and documentation --------------------------------------------------------------------------


def test_the_cli_loads_requests_deliveries_and_norms_and_lists_the_norms_with_their_basis(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from sdmonitor.cli import cli

    monkeypatch.setenv("SDM_PSEUDONYM_KEY", "test-key-0123456789abcdef")
    requests = tmp_path / "aanvragen.csv"
    requests.write_text(
        "Nummer;Cliëntnummer;Wet;Soort;Ontvangstdatum;Besluitdatum;Uitkomst;Toegangspartner\n"
        "A1;C1;Wmo;Aanvraag;08-01-2024;19-01-2024;Gedeeltelijk toegekend;CJG\n",
        encoding="utf-8",
    )
    deliveries = tmp_path / "leveringen.csv"
    deliveries.write_text(
        "Toewijzingsnummer;Begindatum;Einddatum;Reden beëindiging\nT1;15-01-2024;;\n", "utf-8"
    )
    norms_file = tmp_path / "normen.csv"
    norms_file.write_text("law,product_category,provider_code,applies_to,days\nJW,,,waiting,56\n", "utf-8")
    db = str(tmp_path / "sdm.duckdb")
    runner = CliRunner()
    loaded = runner.invoke(
        cli, ["--db", db, "load", "requests", str(requests), "--extracted-on", "2024-03-01"]
    )
    assert loaded.exit_code == 0, loaded.output
    assert "indeling 'nl-aanvragen'" in loaded.output and "gelezen 1 = geladen 1" in loaded.output
    loaded = runner.invoke(cli, ["--db", db, "load", "deliveries", str(deliveries)])
    assert loaded.exit_code == 0, loaded.output
    assert "indeling 'nl-leveringen'" in loaded.output and "delivery_unknown_allocation 1" in loaded.output
    loaded = runner.invoke(
        cli, ["--db", db, "load", "norms", str(norms_file), "--extracted-on", "2024-03-01"]
    )
    assert loaded.exit_code == 0, loaded.output
    assert "normen: gelezen 1 = geladen 1" in loaded.output
    listed = runner.invoke(cli, ["--db", db, "norms"], terminal_width=400)
    assert listed.exit_code == 0, listed.output
    assert "standaard: Wmo 2015 art. 2.3.5" in listed.output
    assert "vervangt standaard 42 dagen" in listed.output
    before = runner.invoke(cli, ["--db", db, "norms", "--as-of", "2024-02-01"], terminal_width=400)
    assert "vervangt" not in before.output


def test_the_loading_doc_lists_every_norm_rule_with_its_severity_column_and_description() -> None:
    import re

    from sdmonitor.domain.rules import NORM_RULES, RULES

    text = (Path(__file__).parent.parent / "docs" / "loading.md").read_text(encoding="utf-8")
    section = text.partition("### Redencodes van de normen")[2].partition("\n## ")[0]
    row = re.compile(r"^\| `(\w+)` \| (fout|waarschuwing) \| ([^|]+) \| (.+) \|$", re.MULTILINE)
    documented = {code: (severity, column, text) for code, severity, column, text in row.findall(section)}
    assert documented == {c: (r.severity.value, r.column, r.description) for c, r in NORM_RULES.items()}
    assert not set(NORM_RULES) & set(RULES)


def test_the_norms_doc_shows_the_shipped_norms() -> None:
    text = (Path(__file__).parent.parent / "docs" / "norms.md").read_text(encoding="utf-8")
    shipped = resources.files("sdmonitor.domain").joinpath("data/norms.csv").read_text("utf-8")
    for row in csv.DictReader(shipped.splitlines()):
        category = row["product_category"] or "alle"
        assert re.search(
            rf"^\| {row['law']} \| [^|]*\b{category}\b[^|]* \| {row['applies_to']} \| {row['days']} \|",
            text,
            re.M,
        ), row


def test_a_warned_allocation_or_request_rejected_as_a_duplicate_does_not_count_as_warned(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    # the same shared load path for every kind: a warning, then a duplicate id with other content
    allocations = load_allocations_rows(
        warehouse,
        tmp_path,
        [allocation("T1"), allocation("T1", end="2018-06-30", gender="X"), allocation("T2", client="C2")],
    )
    assert (allocations.loaded, allocations.rejected, allocations.warned) == (1, 2, 0)
    assert (allocations.rejections, allocations.warnings) == ({"duplicate_allocation_id": 2}, {})
    requests = load_requests_rows(
        warehouse,
        tmp_path,
        [
            request(),
            request(received_on="1990-01-08", decided_on=None, outcome=None),
            request(request_id="A2"),
        ],
    )
    assert (requests.loaded, requests.rejected, requests.warned) == (1, 2, 0)
    assert (requests.rejections, requests.warnings) == ({"duplicate_request_id": 2}, {})
