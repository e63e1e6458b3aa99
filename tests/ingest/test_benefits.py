"""Every benefit and re-integration rule: the row that breaks it, its code, and whether the row still loads; the
translation of local codes (issue 14; docs/loading.md "Uitkeringen laden", "Re-integratievoorzieningen laden")."""

from __future__ import annotations

from datetime import date

import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sdmonitor.domain.rules import RULES, Severity
from sdmonitor.ingest.benefits import translate_codes, validate_benefits, validate_reintegration
from sdmonitor.ingest.columns import BENEFIT_COLUMNS, REINTEGRATION_COLUMNS
from sdmonitor.ingest.validate import ValidatedBatch, ValidationContext
from tests.benefit_builders import benefit, provision
from tests.builders import BSN_A, BSN_B

KEY = b"test-key-0123456789abcdef"
CONTEXT = ValidationContext(load_date=date(2024, 3, 1), pseudonym_key=KEY)


def validate(*rows: dict[str, str | None], codes: dict[str, dict[str, str]] | None = None) -> ValidatedBatch:
    table = pa.table({c.name: pa.array([r[c.name] for r in rows], pa.string()) for c in BENEFIT_COLUMNS})
    return validate_benefits(table, pa.array(range(2, len(rows) + 2), pa.int64()), CONTEXT, codes=codes)


def validate_provision(*rows: dict[str, str | None]) -> ValidatedBatch:
    table = pa.table(
        {c.name: pa.array([r[c.name] for r in rows], pa.string()) for c in REINTEGRATION_COLUMNS}
    )
    return validate_reintegration(table, pa.array(range(2, len(rows) + 2), pa.int64()), CONTEXT)


def codes(batch: ValidatedBatch) -> set[str]:
    return {issue.code for issue in batch.issue_list()}


COUPLE = {"partner_id": "C2", "partner_birth_date": "1982-05-01", "household_type": "3"}


def test_a_couple_with_both_bsns_loads_without_issues_and_keeps_only_pseudonyms() -> None:
    batch = validate(
        benefit(
            client_id=None, bsn=BSN_A, partner_bsn=BSN_B, partner_birth_date="1982-05-01", household_type="3"
        )
    )
    assert batch.issue_list() == []
    record = batch.records.to_pylist()[0]
    assert record["pseudonym"] and record["partner_pseudonym"]
    assert record["pseudonym"] != record["partner_pseudonym"]
    assert (record["client_number"], record["partner_client_number"]) == (None, None)
    assert BSN_A not in str(record) and BSN_B not in str(record)
    assert (record["household_type"], record["partner_birth_date"]) == (
        "gehuwd_samenwonend",
        date(1982, 5, 1),
    )


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        (None, "PW"), ("PW", "PW"), ("Algemene bijstand", "PW"), ("participatiewet", "PW"), ("01", "PW"),
        ("1", "PW"), ("WWB", "PW"), ("ioaw", "IOAW"), ("02", "IOAW"), ("IOAZ", "IOAZ"), ("Bbz", "BBZ"),
        ("14", "BBZ"),
    ],
)  # fmt: skip
def test_the_regulation_is_read_in_its_common_spellings_and_defaults_to_pw(
    text: str | None, stored: str
) -> None:
    batch = validate(benefit(regulation=text))
    assert batch.issue_list() == []
    assert batch.records.column("regulation").to_pylist() == [stored]


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("1", "alleenstaande"), ("Alleenstaande", "alleenstaande"), ("2", "alleenstaande_ouder"),
        ("Alleenstaande ouder", "alleenstaande_ouder"), ("eenoudergezin", "alleenstaande_ouder"),
        ("3", "gehuwd_samenwonend"), ("Gehuwden / samenwonenden", "gehuwd_samenwonend"),
        ("echtpaar", "gehuwd_samenwonend"), ("04", "anders"), ("Anders", "anders"), (None, None),
    ],
)  # fmt: skip
def test_the_household_type_accepts_the_cbs_code_and_dutch_words(
    text: str | None, stored: str | None
) -> None:
    batch = validate(benefit(household_type=text))
    assert batch.issue_list() == []
    assert batch.records.column("household_type").to_pylist() == [stored]


BENEFIT_REJECTIONS = [
    ("missing_benefit_id", {"benefit_id": None}),
    ("missing_client", {"client_id": None}),
    ("invalid_bsn", {"client_id": None, "bsn": "123456789"}),
    ("invalid_partner_bsn", {"partner_bsn": "123456789", "partner_birth_date": "1982-05-01"}),
    ("missing_birth_date", {"birth_date": None}),
    ("invalid_birth_date", {"birth_date": "1980-02-30"}),
    ("birth_date_out_of_range", {"birth_date": "1850-01-01"}),
    ("invalid_regulation", {"regulation": "bijzondere bijstand"}),
    ("missing_start_date", {"start_date": None}),
    ("invalid_start_date", {"start_date": "morgen"}),
    ("invalid_end_date", {"end_date": "2024-13-01"}),
    ("end_before_start", {"end_date": "2023-12-31"}),
]  # fmt: skip


@pytest.mark.parametrize(("code", "change"), BENEFIT_REJECTIONS, ids=[c for c, _ in BENEFIT_REJECTIONS])
def test_a_benefit_that_breaks_a_rule_is_rejected_with_its_code(
    code: str, change: dict[str, str | None]
) -> None:
    batch = validate(benefit(**change))
    assert codes(batch) == {code}
    assert RULES[code].severity is Severity.ERROR
    assert (batch.records.num_rows, batch.rejected) == (0, 1)


BENEFIT_WARNINGS = [
    ("partner_is_applicant", {"partner_id": "C1", "partner_birth_date": "1980-03-15"}),
    ("partner_fields_without_partner", {"partner_birth_date": "1982-05-01"}),
    ("missing_partner_birth_date", {"partner_id": "C2"}),
    ("invalid_partner_birth_date", {**COUPLE, "partner_birth_date": "1982-02-30"}),
    ("partner_birth_date_out_of_range", {**COUPLE, "partner_birth_date": "2030-01-01"}),
    ("invalid_partner_gender", {**COUPLE, "partner_gender": "x"}),
    ("invalid_gender", {"gender": "x"}),
    ("invalid_household_type", {"household_type": "woongroep"}),
    ("invalid_cost_sharers", {"cost_sharers": "twee"}),
    ("unknown_inflow_reason", {"inflow_reason": "A7"}),
    ("unknown_outflow_reason", {"end_date": "2024-02-29", "outflow_reason": "99"}),
    ("outflow_reason_without_end_date", {"outflow_reason": "11"}),
    ("birth_after_start", {"birth_date": "2024-02-01"}),
    ("start_date_implausible", {"start_date": "1998-01-01"}),
    ("invalid_postcode", {"postcode": "Dorpsstraat 1"}),
    ("invalid_municipality_code", {"municipality_code": "Lansingerland"}),
]  # fmt: skip


@pytest.mark.parametrize(("code", "change"), BENEFIT_WARNINGS, ids=[c for c, _ in BENEFIT_WARNINGS])
def test_an_odd_but_possible_benefit_loads_with_a_warning(code: str, change: dict[str, str | None]) -> None:
    batch = validate(benefit(**change))
    assert codes(batch) == {code}
    assert RULES[code].severity is Severity.WARNING
    assert (batch.records.num_rows, batch.warned) == (1, 1)
    assert batch.records.column("has_warning").to_pylist() == [True]


def test_a_partner_who_is_the_applicant_is_dropped_and_the_benefit_keeps_one_person() -> None:
    batch = validate(
        benefit(client_id=None, bsn=BSN_A, partner_bsn=BSN_A, partner_birth_date="1980-03-15"),
        benefit(benefit_id="U2", birth_date=None),  # rejected: the kept rows are not the rows of the file
        benefit(benefit_id="U3", partner_id="C9", partner_birth_date="1970-01-01", partner_gender="1"),
    )
    records = batch.records.to_pylist()
    assert [r["benefit_id"] for r in records] == ["U1", "U3"]
    assert [(r["partner_pseudonym"], r["partner_birth_date"], r["partner_gender"]) for r in records] == [
        (None, None, None),
        (None, date(1970, 1, 1), "1"),
    ]
    assert [r["partner_client_number"] for r in records] == [None, "C9"]
    assert [(i.row, i.code) for i in batch.issue_list()] == [
        (3, "missing_birth_date"),
        (2, "partner_is_applicant"),
    ]


def test_a_partner_who_is_the_applicant_gets_no_warnings_about_the_partner_it_no_longer_has() -> None:
    batch = validate(
        benefit(partner_id="C1"),  # no partner birth date: would be missing_partner_birth_date
        benefit(benefit_id="U2", bsn=BSN_A, client_id=None, partner_bsn=BSN_A, partner_gender="x"),
        benefit(benefit_id="U3", partner_id="C2"),  # a real partner without a birth date keeps its warning
    )
    assert [(i.row, i.code) for i in batch.issue_list()] == [
        (4, "missing_partner_birth_date"),
        (2, "partner_is_applicant"),
        (3, "partner_is_applicant"),
    ]
    assert batch.warned == 3
    records = batch.records.to_pylist()
    assert [(r["partner_client_number"], r["partner_gender"]) for r in records][:2] == [
        (None, None),
        (None, None),
    ]


def test_partner_facts_without_a_partner_are_not_stored() -> None:
    record = validate(benefit(partner_birth_date="1982-05-01", partner_gender="1")).records.to_pylist()[0]
    assert (record["partner_birth_date"], record["partner_gender"]) == (None, None)


def test_reasons_get_their_leading_zero_and_local_codes_their_cbs_code() -> None:
    mapping = {"inflow_reason": {"41": "32", "a": "98"}, "outflow_reason": {"W": "11", "7": "32"}}
    batch = validate(
        benefit(inflow_reason="2", end_date="2024-02-29", outflow_reason="w"),
        benefit(benefit_id="U2", inflow_reason="41", end_date="2024-02-29", outflow_reason="007"),
        benefit(benefit_id="U3", inflow_reason="A", end_date="2024-02-29", outflow_reason="X"),
        codes=mapping,
    )
    records = batch.records.to_pylist()
    assert [(r["inflow_reason"], r["outflow_reason"]) for r in records] == [
        ("02", "11"),
        ("32", "32"),
        ("98", "X"),
    ]
    assert [(i.row, i.code) for i in batch.issue_list()] == [(4, "unknown_outflow_reason")]


def test_the_household_type_and_the_regulation_may_be_translated_too() -> None:
    batch = validate(
        benefit(household_type="AO", regulation="ABW"),
        codes={"household_type": {"AO": "2"}, "regulation": {"abw": "PW"}},
    )
    assert batch.issue_list() == []
    record = batch.records.to_pylist()[0]
    assert (record["household_type"], record["regulation"]) == ("alleenstaande_ouder", "PW")


@given(
    st.lists(
        st.one_of(st.none(), st.sampled_from(["1", "01", "001", "A1", "a1", " 7 ", "07", "x", "0", "00"]))
    ),
    st.dictionaries(st.sampled_from(["1", "a1", "7", "0", "Y"]), st.sampled_from(["11", "32", "98"])),
)
def test_translating_codes_matches_a_plain_lookup(cells: list[str | None], mapping: dict[str, str]) -> None:
    def key(text: str) -> str:
        text = text.strip().lower()
        return (text.lstrip("0") or "0") if text.isdigit() else text

    lookup = {key(local): national for local, national in mapping.items()}
    expected = [None if c is None else lookup.get(key(c), c) for c in cells]
    assert translate_codes(pa.array(cells, pa.string()), mapping).to_pylist() == expected


def test_a_bsn_in_a_reason_is_never_kept() -> None:
    record = validate(benefit(inflow_reason=BSN_B)).records.to_pylist()[0]
    assert BSN_B not in str(record)


# --- re-integration provisions -------------------------------------------------------------------------------


def test_a_provision_type_is_kept_as_given_and_onbekend_when_empty() -> None:
    batch = validate_provision(
        provision(provision_type="4"),
        provision(provision_id="R2", provision_type="Jobcoach"),
        provision(provision_id="R3", provision_type=None, client_id=None, bsn=BSN_A, birth_date="1990-01-01"),
    )
    assert batch.issue_list() == []
    assert batch.records.column("provision_type").to_pylist() == ["04", "Jobcoach", "onbekend"]
    assert BSN_A not in str(batch.records.to_pylist())


PROVISION_REJECTIONS = [
    ("missing_provision_id", {"provision_id": None}),
    ("missing_client", {"client_id": None}),
    ("invalid_bsn", {"client_id": None, "bsn": "123456789"}),
    ("missing_start_date", {"start_date": None}),
    ("invalid_start_date", {"start_date": "2024-02-30"}),
    ("invalid_end_date", {"end_date": "eind"}),
    ("end_before_start", {"end_date": "2024-01-31"}),
]  # fmt: skip
PROVISION_WARNINGS = [
    ("invalid_provision_birth_date", {"birth_date": "1990-02-30"}),
    ("provision_birth_date_out_of_range", {"birth_date": "1899-12-31"}),
    ("invalid_postcode", {"postcode": "onbekend"}),
]


@pytest.mark.parametrize(("code", "change"), PROVISION_REJECTIONS, ids=[c for c, _ in PROVISION_REJECTIONS])
def test_a_provision_that_breaks_a_rule_is_rejected(code: str, change: dict[str, str | None]) -> None:
    batch = validate_provision(provision(**change))
    assert codes(batch) == {code}
    assert (batch.records.num_rows, batch.rejected) == (0, 1)


@pytest.mark.parametrize(("code", "change"), PROVISION_WARNINGS, ids=[c for c, _ in PROVISION_WARNINGS])
def test_an_odd_provision_loads_with_a_warning(code: str, change: dict[str, str | None]) -> None:
    batch = validate_provision(provision(**change))
    assert codes(batch) == {code}
    assert (batch.records.num_rows, batch.warned) == (1, 1)


# Checked after the rows are staged: tests/test_loading_benefits.py.
LOAD_TIME = {"duplicate_benefit_id", "duplicate_provision_id"}
EXERCISED = (
    {c for c, _ in BENEFIT_REJECTIONS}
    | {c for c, _ in BENEFIT_WARNINGS}
    | {c for c, _ in PROVISION_REJECTIONS}
    | {c for c, _ in PROVISION_WARNINGS}
    | LOAD_TIME
)
