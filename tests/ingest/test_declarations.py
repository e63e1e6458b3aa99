"""Every declaration rule: the row that breaks it, its code, and whether the row still loads."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pyarrow as pa
import pytest

from sdmonitor.domain.rules import RULES, Severity
from sdmonitor.ingest.columns import DECLARATION_COLUMNS
from sdmonitor.ingest.declarations import validate_declarations
from sdmonitor.ingest.validate import ValidatedBatch, ValidationContext
from tests.builders import BSN_A
from tests.money_builders import declaration

KEY = b"test-key-0123456789abcdef"
CONTEXT = ValidationContext(load_date=date(2024, 3, 1), pseudonym_key=KEY)
EXTRACTION = date(2024, 3, 1)


def validate(
    *rows: dict[str, str | None], context: ValidationContext = CONTEXT, cents: bool = False
) -> ValidatedBatch:
    table = pa.table({c.name: pa.array([r[c.name] for r in rows], pa.string()) for c in DECLARATION_COLUMNS})
    rows_ = pa.array(range(2, len(rows) + 2), pa.int64())
    return validate_declarations(table, rows_, context, extraction=EXTRACTION, cents=cents)


def codes(batch: ValidatedBatch) -> set[str]:
    return {issue.code for issue in batch.issue_list()}


def test_a_complete_declaration_loads_without_issues() -> None:
    batch = validate(declaration())
    assert batch.issue_list() == []
    record = batch.records.to_pylist()[0]
    assert record["amount"] == Decimal("250.00")
    assert (record["debit_credit"], record["status"], record["provider_key"]) == (
        "D",
        "toegekend",
        "12345678",
    )
    assert (record["period_start"], record["period_end"]) == (date(2024, 1, 1), date(2024, 1, 31))
    assert (record["submitted_on"], record["submitted_given"]) == (date(2024, 2, 5), True)


REJECTIONS = [
    ("missing_declaration_id", {"declaration_id": None}),
    ("missing_client", {"client_id": None, "bsn": None}),
    ("invalid_bsn", {"client_id": None, "bsn": "123456789"}),
    ("missing_law", {"law": None}),
    ("invalid_law", {"law": "Wlz"}),
    ("missing_product_category", {"product_category": None}),
    ("missing_period_start", {"period_start": None}),
    ("missing_period_end", {"period_end": None}),
    ("invalid_period_start", {"period_start": "2024-02-30"}),
    ("invalid_period_end", {"period_end": "eind januari"}),
    ("period_end_before_start", {"period_start": "2024-01-31", "period_end": "2024-01-01"}),
    ("missing_amount", {"amount": None}),
    ("invalid_amount", {"amount": "twee tientjes"}),
    ("invalid_amount", {"amount": "12,50"}),  # canonical: the decimal point
    ("negative_credit_amount", {"amount": "-10", "debit_credit": "C"}),
    ("invalid_debit_credit", {"debit_credit": "X"}),
    ("invalid_status", {"status": "betaald"}),
    ("submitted_after_extraction", {"submitted_on": "2024-03-02"}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("code", "change"), REJECTIONS, ids=[f"{c}-{i}" for i, (c, _) in enumerate(REJECTIONS)]
)
def test_a_row_that_cannot_be_a_declaration_is_rejected(code: str, change: dict[str, str | None]) -> None:
    batch = validate(declaration(**change))
    assert code in codes(batch)
    assert RULES[code].severity is Severity.ERROR
    assert (batch.records.num_rows, batch.rejected) == (0, 1)


WARNINGS = [
    ("negative_amount_as_credit", {"amount": "-10", "debit_credit": None}),
    ("negative_amount_as_credit", {"amount": "-10", "debit_credit": "D"}),
    ("amount_implausible", {"amount": "1000000"}),
    ("invalid_submitted_on", {"submitted_on": "gisteren"}),
    ("submitted_before_delivery", {"submitted_on": "2023-12-31"}),
    ("negative_volume", {"volume": "-3"}),
    ("invalid_volume", {"volume": "veel"}),
    ("volume_without_unit", {"unit": None}),
    ("unknown_unit", {"unit": "99"}),
    ("invalid_provider_code", {"provider_code": "AGB1"}),
    ("unknown_product_category", {"product_category": "99"}),
    ("category_of_other_law", {"law": "JW", "product_category": "02", "product_code": None}),
    ("invalid_delivery_form", {"delivery_form": "contant"}),
]  # fmt: skip


@pytest.mark.parametrize(("code", "change"), WARNINGS, ids=[f"{c}-{i}" for i, (c, _) in enumerate(WARNINGS)])
def test_an_odd_but_possible_declaration_loads_with_a_warning(
    code: str, change: dict[str, str | None]
) -> None:
    batch = validate(declaration(**change))
    assert codes(batch) == {code}
    assert RULES[code].severity is Severity.WARNING
    assert (batch.records.num_rows, batch.warned) == (1, 1)


# Checked against the warehouse after the rows are staged: tests/test_loading_declarations.py.
LOAD_TIME = {"duplicate_declaration_id", "unknown_allocation", "credit_without_debit"}
EXERCISED = {c for c, _ in REJECTIONS} | {c for c, _ in WARNINGS} | LOAD_TIME


def test_a_negative_amount_without_debit_credit_is_read_as_a_credit() -> None:
    record = validate(declaration(amount="-12.5", debit_credit=None)).records.to_pylist()[0]
    assert (record["amount"], record["debit_credit"]) == (Decimal("12.50"), "C")


def test_debit_credit_and_status_are_read_in_their_common_spellings() -> None:
    rows = [
        declaration(debit_credit="credit", status="goedgekeurd"),
        declaration(debit_credit="debet", status="Afgekeurd"),
        declaration(debit_credit=None, status=None),
    ]
    records = validate(*rows).records.to_pylist()
    assert [(r["debit_credit"], r["status"]) for r in records] == [
        ("C", "toegekend"),
        ("D", "afgewezen"),
        ("D", "toegekend"),
    ]


def test_without_a_submission_date_the_extraction_day_is_used_and_marked_not_given() -> None:
    record = validate(declaration(submitted_on=None)).records.to_pylist()[0]
    assert (record["submitted_on"], record["submitted_given"]) == (EXTRACTION, False)


def test_amounts_in_cents_are_read_as_euros() -> None:
    records = validate(declaration(amount="12345"), declaration(amount="5"), cents=True).records
    assert records.column("amount").to_pylist() == [Decimal("123.45"), Decimal("0.05")]


def test_a_dutch_amount_has_a_decimal_comma_and_thousands_points() -> None:
    dutch = ValidationContext(load_date=date(2024, 3, 1), pseudonym_key=KEY, decimal=",")
    records = validate(declaration(amount="1.234,56"), context=dutch).records
    assert records.column("amount").to_pylist() == [Decimal("1234.56")]


def test_a_declaration_without_a_valid_provider_has_the_empty_provider_key() -> None:
    record = validate(declaration(provider_code=None)).records.to_pylist()[0]
    assert (record["provider_key"], record["provider_code"]) == ("", None)


def test_a_bsn_becomes_its_pseudonym_and_is_never_stored() -> None:
    records = validate(declaration(client_id=None, bsn=BSN_A)).records
    assert BSN_A not in str(records.to_pylist())
    assert records.column("pseudonym").null_count == 0
