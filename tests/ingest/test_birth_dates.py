"""Birth dates: bounded by the export date (the load's data moment), never repeated in a message (docs/loading.md
"Geboortedatums")."""

from __future__ import annotations

from datetime import date

import pyarrow as pa
import pytest

from sdmonitor.domain.allocations import COLUMN_NAMES
from sdmonitor.domain.rules import RULES, Severity
from sdmonitor.ingest.access import validate_requests
from sdmonitor.ingest.benefits import validate_benefits, validate_reintegration
from sdmonitor.ingest.columns import BENEFIT_COLUMNS, REINTEGRATION_COLUMNS, REQUEST_COLUMNS
from sdmonitor.ingest.validate import ValidatedBatch, ValidationContext, validate_batch
from tests.access_builders import request
from tests.benefit_builders import benefit, provision
from tests.builders import allocation

KEY = b"test-key-0123456789abcdef"
EXPORTED = date(2024, 6, 30)
# loaded half a year after the export: the reviewer's case (an export of 30-06-2024, loaded later)
LATE_LOAD = ValidationContext(load_date=date(2025, 2, 1), pseudonym_key=KEY, extraction=EXPORTED)


def _table(rows: tuple[dict[str, str | None], ...], names: list[str]) -> pa.Table:
    return pa.table({n: pa.array([r[n] for r in rows], pa.string()) for n in names})


def _rows(count: int) -> pa.Array:
    return pa.array(range(2, count + 2), pa.int64())


def allocations(*rows: dict[str, str | None], context: ValidationContext = LATE_LOAD) -> ValidatedBatch:
    return validate_batch(_table(rows, list(COLUMN_NAMES)), _rows(len(rows)), context)


def benefits(*rows: dict[str, str | None], context: ValidationContext = LATE_LOAD) -> ValidatedBatch:
    names = [c.name for c in BENEFIT_COLUMNS]
    return validate_benefits(_table(rows, names), _rows(len(rows)), context)


def provisions(*rows: dict[str, str | None]) -> ValidatedBatch:
    names = [c.name for c in REINTEGRATION_COLUMNS]
    return validate_reintegration(_table(rows, names), _rows(len(rows)), LATE_LOAD)


def requests(*rows: dict[str, str | None]) -> ValidatedBatch:
    names = [c.name for c in REQUEST_COLUMNS]
    return validate_requests(_table(rows, names), _rows(len(rows)), LATE_LOAD, extraction=EXPORTED)


def issues(batch: ValidatedBatch) -> dict[str, str]:
    return {issue.code: issue.message for issue in batch.issue_list()}


def test_the_last_possible_birth_date_is_the_export_date_and_without_one_the_load_date() -> None:
    assert LATE_LOAD.latest_birth_date == EXPORTED
    assert ValidationContext(load_date=date(2025, 2, 1)).latest_birth_date == date(2025, 2, 1)


@pytest.mark.parametrize(
    ("birth", "refused"),
    [("2024-06-30", False), ("2024-07-01", True), ("2025-01-01", True), ("2025-02-01", True)],
)
def test_an_allocation_born_after_the_export_date_is_rejected_even_when_loaded_later(
    birth: str, refused: bool
) -> None:
    batch = allocations(allocation(birth=birth, start="2024-01-01"))
    assert ("birth_date_out_of_range" in issues(batch)) is refused
    assert batch.rejected == int(refused)


@pytest.mark.parametrize(
    ("birth", "refused"),
    [("2024-06-30", False), ("2024-07-01", True), ("2025-01-01", True)],
)
def test_a_benefit_applicant_born_after_the_export_date_is_rejected(birth: str, refused: bool) -> None:
    batch = benefits(benefit(birth_date=birth))
    assert ("birth_date_out_of_range" in issues(batch)) is refused
    assert batch.rejected == int(refused)
    assert RULES["birth_date_out_of_range"].severity is Severity.ERROR


def test_the_message_names_the_export_date_not_the_load_date_nor_the_birth_date() -> None:
    message = issues(benefits(benefit(birth_date="2025-01-01")))["birth_date_out_of_range"]
    assert "exportdatum 30-06-2024" in message
    assert "01-02-2025" not in message and "2025-01-01" not in message
    assert "persoonsgegeven" in message


def test_a_partner_born_after_the_export_date_loads_with_the_birth_date_unknown() -> None:
    batch = benefits(benefit(partner_id="C2", partner_birth_date="2025-01-01", household_type="3"))
    found = issues(batch)
    assert "partner_birth_date_out_of_range" in found
    assert "exportdatum 30-06-2024" in found["partner_birth_date_out_of_range"]
    assert "2025-01-01" not in found["partner_birth_date_out_of_range"]
    assert (batch.rejected, batch.warned) == (0, 1)
    record = batch.records.to_pylist()[0]
    assert record["partner_birth_date"] is None and record["partner_client_number"] is not None


def test_a_partner_born_on_the_export_date_keeps_the_birth_date() -> None:
    batch = benefits(benefit(partner_id="C2", partner_birth_date="2024-06-30", household_type="3"))
    assert batch.issue_list() == []
    assert batch.records.column("partner_birth_date").to_pylist() == [EXPORTED]


@pytest.mark.parametrize(
    ("code", "batch"),
    [
        ("request_birth_date_out_of_range", lambda birth: requests(request(birth_date=birth))),
        ("provision_birth_date_out_of_range", lambda birth: provisions(provision(birth_date=birth))),
    ],
)
def test_an_optional_birth_date_after_the_export_date_is_stored_as_unknown(code: str, batch: object) -> None:
    later = batch("2024-07-01")  # type: ignore[operator]
    assert set(issues(later)) == {code}
    assert "exportdatum 30-06-2024" in issues(later)[code] and "2024-07-01" not in issues(later)[code]
    assert (later.rejected, later.warned) == (0, 1)
    assert later.records.column("birth_date").to_pylist() == [None]
    on_the_day = batch("2024-06-30")  # type: ignore[operator]
    assert on_the_day.issue_list() == []
    assert on_the_day.records.column("birth_date").to_pylist() == [EXPORTED]


def test_without_an_export_date_the_bound_stays_the_load_date() -> None:
    on_load_day = ValidationContext(load_date=date(2025, 2, 1), pseudonym_key=KEY)
    assert allocations(allocation(birth="2025-01-01", start="2025-01-15"), context=on_load_day).rejected == 0
    assert "birth_date_out_of_range" in issues(
        allocations(allocation(birth="2025-02-02", start="2025-01-15"), context=on_load_day)
    )


# Every rule about a birth date that is no date: the message gives the expected formats and says why the value
# is not repeated; a rule about another date quotes it.
BAD = "13-31-1985"


@pytest.mark.parametrize(
    ("code", "batch"),
    [
        ("invalid_birth_date", lambda: allocations(allocation(birth=BAD))),
        ("invalid_birth_date", lambda: benefits(benefit(birth_date=BAD))),
        (
            "invalid_partner_birth_date",
            lambda: benefits(benefit(partner_id="C2", partner_birth_date=BAD, household_type="3")),
        ),
        ("invalid_request_birth_date", lambda: requests(request(birth_date=BAD))),
        ("invalid_provision_birth_date", lambda: provisions(provision(birth_date=BAD))),
    ],
)
def test_a_birth_date_that_is_no_date_is_not_repeated_and_the_message_says_why(
    code: str, batch: object
) -> None:
    message = issues(batch())[code]  # type: ignore[operator]
    assert BAD not in message
    assert "verwacht JJJJ-MM-DD of DD-MM-JJJJ" in message
    assert "een geboortedatum is een persoonsgegeven" in message


def test_a_start_date_that_is_no_date_is_quoted() -> None:
    message = issues(benefits(benefit(start_date="2024-02-30")))["invalid_start_date"]
    assert "'2024-02-30'" in message
