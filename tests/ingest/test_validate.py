"""Every loading rule: the row that breaks it, the stable code, and whether the row still loads."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pyarrow as pa
import pytest

from sdmonitor.domain.allocations import COLUMN_NAMES
from sdmonitor.domain.rules import RULES, Severity
from sdmonitor.ingest.validate import ValidatedBatch, ValidationContext, validate_batch
from tests.builders import BSN_A, allocation
from tests.ingest import test_access as access
from tests.ingest import test_benefits as benefits
from tests.ingest import test_declarations as declarations

KEY = b"test-key-0123456789abcdef"
CONTEXT = ValidationContext(load_date=date(2024, 3, 1), pseudonym_key=KEY)


def validate(*rows: dict[str, str | None], context: ValidationContext = CONTEXT) -> ValidatedBatch:
    table = pa.table({c: pa.array([r[c] for r in rows], pa.string()) for c in COLUMN_NAMES})
    return validate_batch(table, pa.array(range(2, len(rows) + 2), pa.int64()), context)


def codes(batch: ValidatedBatch) -> set[str]:
    return {issue.code for issue in batch.issue_list()}


def test_a_complete_row_loads_without_issues() -> None:
    row = allocation(
        gender="2", municipality_code="0363", postcode="1011AB", product_code="02A01",
        provider_code="12345678", provider_name="Zorg BV", end="2018-12-31", volume="2.5", unit="04",
        frequency="2", delivery_form="PGB", referrer="01", request_date="2017-11-01",
        decision_date="2017-12-01", change_reason="04", end_reason="19",
    )  # fmt: skip
    batch = validate(row)
    assert batch.issue_list() == []
    record = batch.records.to_pylist()[0]
    assert record["law"] == "WMO"
    assert record["pc4"] == "1011"
    assert record["end_date"] == date(2018, 12, 31)
    assert record["delivery_form"] == "PGB"
    assert record["volume"] == 2.5
    assert not record["has_warning"]


REJECTIONS = [
    ("missing_allocation_id", {"allocation_id": None}),
    ("missing_client", {"client": None, "bsn": None}),
    ("invalid_bsn", {"client": None, "bsn": "123456789"}),
    ("missing_birth_date", {"birth": None}),
    ("invalid_birth_date", {"birth": "31-02-1950"}),
    ("birth_date_out_of_range", {"birth": "1899-12-31"}),
    ("birth_date_out_of_range", {"birth": "2024-03-02"}),
    ("missing_law", {"law": None}),
    ("invalid_law", {"law": "Wlz"}),
    ("missing_product_category", {"category": None}),
    ("missing_start_date", {"start": None}),
    ("invalid_start_date", {"start": "2018-02-30"}),
    ("invalid_end_date", {"end": "eind 2018"}),
    ("end_before_start", {"start": "2018-01-06", "end": "2018-01-03"}),
]


@pytest.mark.parametrize(
    ("code", "change"), REJECTIONS, ids=[f"{c}-{i}" for i, (c, _) in enumerate(REJECTIONS)]
)
def test_a_row_that_breaks_a_rule_is_rejected_with_its_code(code: str, change: dict[str, str | None]) -> None:
    batch = validate(allocation(**change))  # type: ignore[arg-type]
    assert code in codes(batch)
    assert RULES[code].severity is Severity.ERROR
    assert batch.records.num_rows == 0
    assert batch.rejected == 1


WARNINGS = [
    ("unknown_product_category", {"category": "99"}),
    ("category_of_other_law", {"law": "JW", "category": "02", "birth": "2010-01-01"}),
    ("unknown_product_code", {"law": "JW", "category": "45", "product_code": "45Z99", "birth": "2010-01-01"}),
    ("product_code_category_mismatch",
     {"law": "JW", "category": "43", "product_code": "45A48", "birth": "2010-01-01"}),
    ("age_implausible_for_law", {"law": "JW", "category": "45", "birth": "1988-01-01"}),
    ("birth_after_start", {"birth": "2019-01-01"}),
    ("start_date_implausible", {"start": "1999-12-31"}),
    ("start_date_implausible", {"start": "2026-06-01"}),
    ("invalid_gender", {"gender": "9"}),
    ("invalid_municipality_code", {"municipality_code": "36A"}),
    ("invalid_postcode", {"postcode": "0123AB"}),
    ("invalid_provider_code", {"provider_code": "AGB-123"}),
    ("invalid_volume", {"volume": "twee", "unit": "04"}),
    ("volume_without_unit", {"volume": "3"}),
    ("unknown_unit", {"volume": "3", "unit": "99"}),
    ("unknown_frequency", {"frequency": "3"}),
    ("invalid_delivery_form", {"delivery_form": "contant"}),
    ("unknown_referrer", {"referrer": "07"}),
    ("invalid_request_date", {"request_date": "gisteren"}),
    ("invalid_decision_date", {"decision_date": "2018-02-31"}),
    ("decision_before_request", {"request_date": "2018-02-01", "decision_date": "2018-01-01"}),
    ("unknown_change_reason", {"change_reason": "99"}),
    ("unknown_end_reason", {"end": "2018-06-30", "end_reason": "32"}),  # 32 is iJw only
    ("end_reason_without_end_date", {"end_reason": "19"}),
]  # fmt: skip


@pytest.mark.parametrize(("code", "change"), WARNINGS, ids=[f"{c}-{i}" for i, (c, _) in enumerate(WARNINGS)])
def test_an_implausible_but_possible_row_loads_with_a_warning(
    code: str, change: dict[str, str | None]
) -> None:
    batch = validate(allocation(**change))  # type: ignore[arg-type]
    assert codes(batch) == {code}
    assert RULES[code].severity is Severity.WARNING
    assert batch.records.num_rows == 1
    assert batch.records.column("has_warning").to_pylist() == [True]
    assert batch.warned == 1


def test_every_rule_in_the_catalogue_is_exercised_here_or_in_the_load_tests() -> None:
    here = {c for c, _ in REJECTIONS} | {c for c, _ in WARNINGS}
    elsewhere = {
        "malformed_row",
        "duplicate_allocation_id",
        "unclosed_quote",
        "cell_too_long",
        "line_too_long",
    }  # test_loading.py, ingest/test_hostile.py
    elsewhere |= {"client_number_other_bsn", "bsn_other_client_number"}  # tests/warehouse/test_identity.py
    elsewhere |= declarations.EXERCISED  # the declaration rules: tests/ingest/test_declarations.py
    elsewhere |= access.EXERCISED  # the request and delivery rules: tests/ingest/test_access.py
    elsewhere |= benefits.EXERCISED  # the benefit and provision rules: tests/ingest/test_benefits.py
    assert set(RULES) == here | elsewhere


def test_the_loading_doc_lists_every_rule_with_its_severity_column_and_description() -> None:
    text = (Path(__file__).parents[2] / "docs" / "loading.md").read_text(encoding="utf-8")
    codes_section = text.partition("## Alle redencodes")[2].partition("\n## ")[0]
    errors, _, warnings = codes_section.partition("### Geladen met waarschuwing")
    row = re.compile(r"^\| `(\w+)` \| ([^|]+) \| (.+) \|$", re.MULTILINE)
    documented = {
        code: (severity, "" if column.startswith("(hele") else column, description)
        for severity, part in ((Severity.ERROR, errors), (Severity.WARNING, warnings))
        for code, column, description in row.findall(part)
    }
    assert documented == {code: (r.severity, r.column, r.description) for code, r in RULES.items()}


def test_every_message_fills_all_its_fields() -> None:
    for rule in RULES.values():
        fields = {field for _, field in rule.pieces() if field is not None}
        assert "{" not in rule.text(**dict.fromkeys(fields, "x")), rule.code


def test_all_problems_of_a_row_are_reported_at_once() -> None:
    batch = validate(allocation(allocation_id=None, birth="1850-01-01", law="Wlz", gender="x"))
    assert codes(batch) == {
        "missing_allocation_id",
        "birth_date_out_of_range",
        "invalid_law",
        "invalid_gender",
    }


def test_messages_are_dutch_and_name_the_values() -> None:
    batch = validate(allocation(start="06-01-2018", end="03-01-2018"))
    (issue,) = batch.issue_list()
    assert issue.message == "Einddatum 03-01-2018 ligt voor de ingangsdatum 06-01-2018."
    assert issue.row == 2
    assert issue.column == "end_date"


def test_the_law_is_accepted_in_common_spellings() -> None:
    rows = [
        allocation(str(i), law=law) for i, law in enumerate(["Wmo", "wmo 2015", "Jeugdwet", "jw", "JEUGD"])
    ]
    for row in rows[2:]:
        row.update(birth_date="2010-01-01", product_category="45")
    batch = validate(*rows)
    assert batch.records.column("law").to_pylist() == ["WMO", "WMO", "JW", "JW", "JW"]


def test_codes_that_lost_their_leading_zero_are_padded() -> None:
    batch = validate(allocation(category="2", unit="4", volume="1", municipality_code="363", referrer="1"))
    record = batch.records.to_pylist()[0]
    assert (record["product_category"], record["unit"], record["municipality_code"], record["referrer"]) == (
        "02", "04", "0363", "01",
    )  # fmt: skip


def test_a_bsn_is_replaced_by_its_pseudonym_and_never_kept() -> None:
    batch = validate(allocation(client=None, bsn=BSN_A))
    record = batch.records.to_pylist()[0]
    assert BSN_A not in str(record)
    assert len(record["pseudonym"]) == 32


def test_a_row_with_a_bsn_and_a_client_number_carries_both_to_the_warehouse() -> None:
    with_both = validate(allocation(client="C9", bsn=BSN_A)).records.to_pylist()[0]
    only_bsn = validate(allocation(client=None, bsn=BSN_A)).records.to_pylist()[0]
    assert with_both["pseudonym"] == only_bsn["pseudonym"]
    assert (with_both["client_number"], only_bsn["client_number"]) == ("C9", None)


def test_decimal_comma_volumes_are_read_when_the_layout_says_so() -> None:
    context = ValidationContext(load_date=date(2024, 3, 1), decimal=",")
    batch = validate(allocation(volume="1.234,5", unit="83"), context=context)
    assert batch.records.column("volume").to_pylist() == [1234.5]


def test_empty_delivery_form_means_zorg_in_natura_and_blank_municipality_takes_the_default() -> None:
    context = ValidationContext(load_date=date(2024, 3, 1), default_municipality="0599")
    record = validate(allocation(), context=context).records.to_pylist()[0]
    assert record["delivery_form"] == "ZIN"
    assert record["municipality_code"] == "0599"


def test_reden_wijziging_13_loads_but_is_marked_deleted() -> None:
    batch = validate(allocation(change_reason="13"))
    assert batch.records.column("is_deleted").to_pylist() == [True]
