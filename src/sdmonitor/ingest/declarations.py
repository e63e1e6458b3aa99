"""Validation of declaration rows (docs/design/money.md 1.2; docs/loading.md, "Declaraties laden").

Like ``validate.py`` for allocations, column at a time and never raising on bad data: the rows that load
(typed, the BSN replaced by its pseudonym) and one issue per broken rule per row. The checks shared with
allocations (law, product category and code, AGB code, volume and unit, delivery form, BSN) are the same
functions with the same reason codes. Checks against what the warehouse knows (an unknown allocation, a credit
without its debit) run after the rows are staged (``warehouse/declarations.py``).
"""

from __future__ import annotations

from datetime import date

import pyarrow as pa
import pyarrow.compute as pc

from sdmonitor.ingest.validate import (
    Cells,
    ValidatedBatch,
    ValidationContext,
    _check_codes_of_law,
    _check_delivery,
    _check_law,
    _check_provider,
    _check_volume,
    _Checker,
    _date,
    _dates,
    _present,
    _recode,
    client_identifiers,
)
from sdmonitor.ingest.vectorised import mask_bsns, normalise_bsns, pseudonymise_identifiers, valid_bsns

# The largest amount a 323 message can carry (LDT_Bedrag: 99999999 eurocent).
MAX_AMOUNT = 999_999.99
AMOUNT_TYPE = pa.decimal128(18, 2)
DEBIT_CREDIT_SPELLINGS = {"d": "D", "debet": "D", "debit": "D", "c": "C", "credit": "C"}
STATUS_SPELLINGS = {
    "toegekend": "toegekend",
    "goedgekeurd": "toegekend",
    "afgewezen": "afgewezen",
    "afgekeurd": "afgewezen",
    "ingediend": "ingediend",
}
# Identifier columns that may hold a BSN (then stored as its pseudonym).
IDENTIFIER_COLUMNS = ("client_id", "allocation_id", "declaration_id")

DECLARATION_RECORD_SCHEMA = pa.schema(
    [
        ("source_row", pa.int64()),
        ("declaration_id", pa.string()),
        ("provider_key", pa.string()),  # provider_code, or '' when the row names no valid provider
        ("law", pa.string()),
        ("debit_credit", pa.string()),
        ("pseudonym", pa.string()),
        ("client_number", pa.string()),
        ("allocation_id", pa.string()),
        ("product_category", pa.string()),
        ("product_code", pa.string()),
        ("provider_code", pa.string()),
        ("period_start", pa.date32()),
        ("period_end", pa.date32()),
        ("volume", pa.float64()),
        ("unit", pa.string()),
        ("amount", AMOUNT_TYPE),
        ("status", pa.string()),
        ("submitted_on", pa.date32()),  # null when the row gives none: the load's extraction day is used
        ("submitted_given", pa.bool_()),
        ("delivery_form", pa.string()),
        ("has_warning", pa.bool_()),
    ]
)


def _number_text(text: pa.Array, decimal: str) -> pa.Array:
    """A number as ASCII text with '.' as decimal point ('1.234,56' -> '1234.56' when ``decimal`` is ',')."""
    if decimal == ",":
        return pc.replace_substring(pc.replace_substring(text, ".", ""), ",", ".")
    return text


def _cents_to_euros(text: pa.Array) -> pa.Array:
    """Whole eurocents as euro text: '12345' -> '123.45', '-5' -> '-0.05'; anything else null."""
    whole = pc.fill_null(pc.match_substring_regex(text, r"^[-+]?[0-9]{1,18}$"), False)
    sign = pc.if_else(pc.starts_with(text, "-"), "-", "")
    digits = pc.utf8_lpad(pc.replace_substring_regex(text, r"^[-+]", ""), 3, "0")
    euros = pc.binary_join_element_wise(
        sign, pc.utf8_slice_codeunits(digits, 0, -2), ".", pc.utf8_slice_codeunits(digits, -2), ""
    )
    return pc.if_else(whole, euros, pa.scalar(None, pa.string()))


def _check_amount(check: _Checker, cells: Cells, context: ValidationContext, cents: bool) -> Cells:
    """The amount (euros, or eurocent in a 323 layout) and its debit/credit; a negative amount is a credit."""
    text = cells["amount"]
    check.flag("missing_amount", pc.is_null(text))
    number = _cents_to_euros(text) if cents else _number_text(text, context.decimal)
    ok = pc.fill_null(
        pc.match_substring_regex(number, r"^[-+]?([0-9]{1,16}(\.[0-9]{0,9})?|\.[0-9]{1,9})$"), False
    )
    check.flag("invalid_amount", pc.and_(_present(text), pc.invert(ok)), value=text)
    exact = pc.cast(pc.if_else(ok, number, pa.scalar(None, pa.string())), pa.decimal128(38, 9))
    negative = pc.fill_null(pc.less(exact, pa.scalar(0, pa.decimal128(38, 9))), False)
    amount = pc.cast(pc.round(pc.abs(exact), 2), AMOUNT_TYPE)

    dc_text = cells["debit_credit"]
    given = _recode(dc_text, DEBIT_CREDIT_SPELLINGS)
    check.flag("invalid_debit_credit", pc.and_(_present(dc_text), pc.is_null(given)), value=dc_text)
    credit_given = pc.fill_null(pc.equal(given, "C"), False)
    check.flag("negative_credit_amount", pc.and_(negative, credit_given), value=text)
    check.flag("negative_amount_as_credit", pc.and_(negative, pc.invert(credit_given)), value=text)
    debit_credit = pc.if_else(negative, "C", pc.coalesce(given, pa.scalar("D")))
    check.flag(
        "amount_implausible",
        pc.greater(amount, pa.scalar(MAX_AMOUNT, pa.float64()).cast(AMOUNT_TYPE)),
        value=text,
    )
    return {"amount": amount, "debit_credit": debit_credit}


def _check_period(check: _Checker, cells: Cells, context: ValidationContext) -> Cells:
    """The delivery period (ProductPeriode): both dates required, the end not before the start."""
    start_text, end_text = cells["period_start"], cells["period_end"]
    check.flag("missing_period_start", pc.is_null(start_text))
    check.flag("missing_period_end", pc.is_null(end_text))
    start = _dates(check, start_text, "invalid_period_start", context)
    end = _dates(check, end_text, "invalid_period_end", context)
    check.flag("period_end_before_start", pc.less(end, start), end=end_text, start=start_text)
    return {"period_start": start, "period_end": end}


def _check_status(check: _Checker, cells: Cells) -> Cells:
    """toegekend (default), afgewezen or ingediend; an unknown status is rejected, not counted as approved."""
    text = cells["status"]
    status = _recode(text, STATUS_SPELLINGS)
    check.flag("invalid_status", pc.and_(_present(text), pc.is_null(status)), value=text)
    return {"status": pc.coalesce(status, pa.scalar("toegekend"))}


def _check_submitted(
    check: _Checker, cells: Cells, clean: Cells, context: ValidationContext, extraction: date
) -> Cells:
    """The submission date (DeclaratieDagtekening): not after the extraction, warned before the delivery."""
    text = cells["submitted_on"]
    submitted = _dates(check, text, "invalid_submitted_on", context)
    check.flag(
        "submitted_after_extraction",
        pc.greater(submitted, _date(extraction)),
        value=text,
        extraction=f"{extraction:%d-%m-%Y}",
    )
    check.flag("submitted_before_delivery", pc.less(submitted, clean["period_start"]), value=text)
    # absent: the extraction day (of the first load that brought the line: see warehouse/declarations.py)
    return {
        "submitted_on": pc.coalesce(submitted, _date(extraction)),
        "submitted_given": pc.is_valid(submitted),
    }


def _check_volume_sign(check: _Checker, cells: Cells, clean: Cells) -> Cells:
    """A negative volume is stored as unknown (the sign of a line is its debit/credit)."""
    negative = pc.fill_null(pc.less(clean["volume"], 0), False)
    check.flag("negative_volume", negative, value=cells["volume"])
    return {"volume": pc.if_else(negative, pa.scalar(None, pa.float64()), clean["volume"])}


# Stored columns kept as the file's text: any BSN in them is masked.
_FREE_TEXT = frozenset(["product_category", "product_code", "unit"])


def validate_declarations(
    canonical: pa.Table, rows: pa.Array, context: ValidationContext, *, extraction: date, cents: bool = False
) -> ValidatedBatch:
    """Check every rule on a batch of canonical declaration columns (``DECLARATION_RECORD_SCHEMA`` records).

    ``extraction`` is the load's extraction day (a later submission date is rejected); ``cents`` says the
    amounts are eurocent (the 323 layout).
    """
    cells = {name: canonical.column(name).combine_chunks() for name in canonical.column_names}
    cells["bsn"] = normalise_bsns(cells["bsn"])
    check = _Checker(rows)
    check.flag("missing_declaration_id", pc.is_null(cells["declaration_id"]))
    check.flag("missing_client", pc.and_(pc.is_null(cells["bsn"]), pc.is_null(cells["client_id"])))
    check.flag("invalid_bsn", pc.invert(valid_bsns(cells["bsn"])))
    clean = _check_law(check, cells)
    clean |= _check_period(check, cells, context)
    clean |= _check_amount(check, cells, context, cents)
    clean |= _check_status(check, cells)
    clean |= _check_submitted(check, cells, clean, context, extraction)
    clean |= _check_codes_of_law(check, cells, clean)
    clean |= _check_provider(check, cells)
    nothing = pa.nulls(len(rows), pa.string())
    volume = _check_volume(check, cells | {"frequency": nothing}, context)
    clean |= {"volume": volume["volume"], "unit": volume["unit"]}
    clean |= _check_volume_sign(check, cells, clean)
    delivery = _check_delivery(check, cells | {"referrer": nothing})
    clean["delivery_form"] = delivery["delivery_form"]
    return _records(check, rows, cells, clean, context.pseudonym_key)


def _records(
    check: _Checker, rows: pa.Array, cells: Cells, clean: Cells, key: bytes | None
) -> ValidatedBatch:
    """The rows without errors as records: identifiers pseudonymised, free text masked."""
    keep = pc.invert(check.error)

    def kept(array: pa.Array) -> pa.Array:
        return pc.filter(array, keep)

    pseudonym, client_number, client_count = client_identifiers(
        kept(cells["bsn"]), kept(cells["client_id"]), key
    )
    allocation_number, allocation_count = pseudonymise_identifiers(kept(cells["allocation_id"]), key)
    declaration_number, declaration_count = pseudonymise_identifiers(kept(cells["declaration_id"]), key)
    provider = kept(clean["provider_code"])
    columns = {
        "source_row": kept(rows),
        "declaration_id": declaration_number,
        "provider_key": pc.coalesce(provider, pa.scalar("")),
        "pseudonym": pseudonym,
        "client_number": client_number,
        "allocation_id": allocation_number,
        **{name: mask_bsns(kept(v)) if name in _FREE_TEXT else kept(v) for name, v in clean.items()},
        "has_warning": kept(check.warning),
    }
    records = pa.table(
        {name: columns[name] for name in DECLARATION_RECORD_SCHEMA.names}, schema=DECLARATION_RECORD_SCHEMA
    )
    rejected = len(rows) - records.num_rows
    warned = pc.sum(pc.cast(pc.and_(check.warning, keep), pa.int64())).as_py() or 0
    return ValidatedBatch(
        records, check.issues(), rejected, warned, client_count + allocation_count + declaration_count
    )
