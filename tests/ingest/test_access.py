"""Every request and delivery rule: the row that breaks it, its code, and whether the row still loads; the norms
file checks (issue 13; docs/loading.md "Meldingen en aanvragen laden", "Leveringen laden", "Normen")."""

from __future__ import annotations

from datetime import date

import pyarrow as pa
import pytest

from sdmonitor.domain.rules import NORM_RULES, RULES, Severity
from sdmonitor.ingest.access import check_norms, validate_deliveries, validate_requests
from sdmonitor.ingest.columns import DELIVERY_COLUMNS, REQUEST_COLUMNS
from sdmonitor.ingest.validate import ValidatedBatch, ValidationContext
from tests.access_builders import delivery, request
from tests.builders import BSN_A

KEY = b"test-key-0123456789abcdef"
CONTEXT = ValidationContext(load_date=date(2024, 3, 1), pseudonym_key=KEY)
EXTRACTION = date(2024, 3, 1)


def validate(*rows: dict[str, str | None]) -> ValidatedBatch:
    table = pa.table({c.name: pa.array([r[c.name] for r in rows], pa.string()) for c in REQUEST_COLUMNS})
    return validate_requests(
        table, pa.array(range(2, len(rows) + 2), pa.int64()), CONTEXT, extraction=EXTRACTION
    )


def validate_delivery(*rows: dict[str, str | None]) -> ValidatedBatch:
    table = pa.table({c.name: pa.array([r[c.name] for r in rows], pa.string()) for c in DELIVERY_COLUMNS})
    return validate_deliveries(
        table, pa.array(range(2, len(rows) + 2), pa.int64()), CONTEXT, extraction=EXTRACTION
    )


def codes(batch: ValidatedBatch) -> set[str]:
    return {issue.code for issue in batch.issue_list()}


def test_a_complete_request_loads_without_issues_and_with_its_bsn_as_a_pseudonym() -> None:
    batch = validate(request(client_id=None, bsn=BSN_A, plan_on="2024-01-05", birth_date="1950-02-01"))
    assert batch.issue_list() == []
    record = batch.records.to_pylist()[0]
    assert (record["law"], record["kind"], record["outcome"], record["team"]) == (
        "WMO", "aanvraag", "toegekend", "Wijkteam Noord",
    )  # fmt: skip
    assert (record["suspended_days"], record["extended_days"]) == (0, 0)
    assert (record["plan_on"], record["birth_date"]) == (date(2024, 1, 5), date(1950, 2, 1))
    assert record["pseudonym"] and BSN_A not in str(record)


def test_kinds_laws_and_outcomes_are_read_in_their_common_spellings() -> None:
    rows = [
        request(kind="Hulpvraag", law="Jeugdwet", decided_on=None, outcome=None, product_category="54"),
        request(
            request_id="A2", kind="Aanvraag", law="P-wet", outcome="Buiten behandeling", product_category=None
        ),
        request(request_id="A3", outcome="deels"),
    ]
    records = validate(*rows).records.to_pylist()
    assert [(r["kind"], r["law"], r["outcome"]) for r in records] == [
        ("melding", "JW", None),
        ("aanvraag", "PW", "buiten_behandeling"),
        ("aanvraag", "WMO", "deels"),
    ]


REQUEST_REJECTIONS = [
    ("missing_request_id", {"request_id": None}),
    ("missing_client", {"client_id": None, "bsn": None}),
    ("invalid_bsn", {"client_id": None, "bsn": "123456789"}),
    ("missing_law", {"law": None}),
    ("invalid_request_law", {"law": "Wlz"}),
    ("missing_kind", {"kind": None}),
    ("invalid_kind", {"kind": "klacht"}),
    ("missing_received_on", {"received_on": None, "decided_on": None, "outcome": None}),
    ("invalid_received_on", {"received_on": "2024-02-30", "decided_on": None, "outcome": None}),
    ("received_after_extraction", {"received_on": "2024-03-02", "decided_on": None, "outcome": None}),
    ("invalid_decided_on", {"decided_on": "volgende week"}),
    ("decided_before_received", {"decided_on": "2024-01-01"}),
    ("invalid_outcome", {"outcome": "goedgekeurd?"}),
    ("invalid_suspended_days", {"suspended_days": "-1"}),
    ("invalid_suspended_days", {"suspended_days": "2,5"}),
    ("invalid_extended_days", {"extended_days": "twee weken"}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("code", "change"), REQUEST_REJECTIONS, ids=[f"{c}-{i}" for i, (c, _) in enumerate(REQUEST_REJECTIONS)]
)
def test_a_row_that_cannot_be_a_request_is_rejected(code: str, change: dict[str, str | None]) -> None:
    batch = validate(request(**change))
    assert code in codes(batch)
    assert RULES[code].severity is Severity.ERROR
    assert (batch.records.num_rows, batch.rejected) == (0, 1)


REQUEST_WARNINGS = [
    ("received_implausible", {"received_on": "1999-12-31", "decided_on": None, "outcome": None}),
    ("decided_after_extraction", {"decided_on": "2024-03-05"}),
    ("outcome_without_decision", {"decided_on": None}),
    ("decision_without_outcome", {"outcome": None}),
    ("suspension_exceeds_duration", {"suspended_days": "30"}),
    ("unknown_product_category", {"product_category": "99"}),
    ("invalid_plan_on", {"plan_on": "ooit"}),
    ("plan_after_extraction", {"plan_on": "2024-04-01"}),
    ("invalid_request_birth_date", {"birth_date": "1950-02-30"}),
    ("request_birth_date_out_of_range", {"birth_date": "2024-03-02"}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("code", "change"), REQUEST_WARNINGS, ids=[f"{c}-{i}" for i, (c, _) in enumerate(REQUEST_WARNINGS)]
)
def test_an_odd_but_possible_request_loads_with_a_warning(code: str, change: dict[str, str | None]) -> None:
    batch = validate(request(**change))
    assert codes(batch) == {code}
    assert RULES[code].severity is Severity.WARNING
    assert (batch.records.num_rows, batch.warned) == (1, 1)


def test_a_melding_without_an_outcome_and_a_pw_category_are_no_warnings() -> None:
    batch = validate(
        request(kind="melding", outcome=None), request(request_id="A2", law="PW", product_category="77")
    )
    assert batch.issue_list() == []


DELIVERY_REJECTIONS = [
    ("missing_allocation_id", {"allocation_id": None}),
    ("missing_delivery_start", {"start_date": None}),
    ("invalid_delivery_start", {"start_date": "2018-13-01"}),
    ("invalid_delivery_end", {"end_date": "eind maart"}),
    ("delivery_end_before_start", {"end_date": "2018-01-14"}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("code", "change"), DELIVERY_REJECTIONS, ids=[f"{c}-{i}" for i, (c, _) in enumerate(DELIVERY_REJECTIONS)]
)
def test_a_row_that_cannot_be_a_delivery_is_rejected(code: str, change: dict[str, str | None]) -> None:
    batch = validate_delivery(delivery(**change))
    assert code in codes(batch)
    assert RULES[code].severity is Severity.ERROR
    assert (batch.records.num_rows, batch.rejected) == (0, 1)


DELIVERY_WARNINGS = [
    ("start_after_extraction", {"start_date": "2024-03-04"}),
    ("unknown_end_reason", {"end_date": "2018-03-01", "end_reason": "99"}),
    ("end_reason_without_end_date", {"end_reason": "02"}),
    ("invalid_reported_on", {"reported_on": "gisteren"}),
    ("reported_before_start", {"reported_on": "2018-01-10"}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("code", "change"), DELIVERY_WARNINGS, ids=[f"{c}-{i}" for i, (c, _) in enumerate(DELIVERY_WARNINGS)]
)
def test_an_odd_but_possible_delivery_loads_with_a_warning(code: str, change: dict[str, str | None]) -> None:
    batch = validate_delivery(delivery(**change))
    assert codes(batch) == {code}
    assert RULES[code].severity is Severity.WARNING
    assert (batch.records.num_rows, batch.warned) == (1, 1)


def test_an_end_reason_is_read_with_its_leading_zero() -> None:
    batch = validate_delivery(delivery(end_date="2018-03-01", end_reason="2"))
    assert batch.issue_list() == []
    assert batch.records.column("end_reason").to_pylist() == ["02"]


# Checked against the warehouse after the rows are staged: tests/test_loading_access.py.
LOAD_TIME = {
    "duplicate_request_id", "extension_exceeds_term", "duplicate_delivery", "delivery_unknown_allocation",
    "delivery_on_pgb", "delivery_on_deleted_allocation", "start_before_allocation", "start_after_allocation_end",
    "restart_without_stop", "overlapping_deliveries",
}  # fmt: skip
EXERCISED = (
    {c for c, _ in REQUEST_REJECTIONS}
    | {c for c, _ in REQUEST_WARNINGS}
    | {c for c, _ in DELIVERY_REJECTIONS}
    | {c for c, _ in DELIVERY_WARNINGS}
    | LOAD_TIME
)


# --- norms ---------------------------------------------------------------------------------------------------

NORM_CASES = [
    ("invalid_norm_law", {"law": "Wlz"}),
    ("invalid_applies_to", {"applies_to": "wachten"}),
    ("invalid_days", {"days": "zes weken"}),
    ("invalid_days", {"days": "-1"}),
    ("invalid_norm_provider", {"provider_code": "AGB123"}),
    ("provider_on_legal_term", {"provider_code": "12345678", "applies_to": "aanvraag"}),
    ("waiting_norm_for_pw", {"law": "PW"}),
]  # fmt: skip


def norm(**change: str | None) -> dict[str, list[str | None]]:
    row: dict[str, str | None] = {
        "law": "JW", "product_category": None, "provider_code": None, "applies_to": "waiting", "days": "56",
    }  # fmt: skip
    row.update(change)
    return {k: [v] for k, v in row.items()}


@pytest.mark.parametrize(
    ("code", "change"), NORM_CASES, ids=[f"{c}-{i}" for i, (c, _) in enumerate(NORM_CASES)]
)
def test_a_norm_that_cannot_be_used_refuses_the_file(code: str, change: dict[str, str | None]) -> None:
    checked = check_norms(norm(**change), [2])
    assert code in {i.code for i in checked.issues}
    assert NORM_RULES[code].severity is Severity.ERROR and checked.refused and checked.rows == ()


def test_the_same_norm_twice_folds_and_two_contents_for_one_key_are_both_refused() -> None:
    cells = {
        "law": ["JW", "jw", "WMO", "WMO"], "product_category": ["5", None, "02", "02"],
        "provider_code": [None, None, None, None], "applies_to": ["waiting", "waiting", "waiting", "Waiting"],
        "days": ["70", "42", "28", "35"],
    }  # fmt: skip
    checked = check_norms(cells, [2, 3, 4, 5])
    assert [(i.code, i.row) for i in checked.issues] == [("duplicate_norm", 4), ("duplicate_norm", 5)]
    again = check_norms({k: v[:2] * 2 for k, v in cells.items()}, [2, 3, 4, 5])
    assert (len(again.rows), again.duplicates, again.refused) == (2, 2, False)
    assert [(r.law, r.product_category, r.days) for r in again.rows] == [("JW", "05", 70), ("JW", "", 42)]


def test_every_norm_rule_is_exercised() -> None:
    assert {c for c, _ in NORM_CASES} | {"duplicate_norm"} == set(NORM_RULES)
