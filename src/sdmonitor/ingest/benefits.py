"""Validation of benefits (uitkeringen) and re-integration provisions (issue 14; docs/loading.md "Uitkeringen").

Benefits and provisions are checked like allocations, column at a time and never raising on bad data
(``validate_benefits``, ``validate_reintegration``): the rows that load, typed, and one issue per broken rule per
row (``domain/rules.py`` ``RULES``). The applicant's BSN and the partner's BSN are replaced by their pseudonyms
here, before anything is stored; the warehouse turns the identifiers into client keys
(``warehouse/benefits.py``).

A local reason code is translated to its CBS code by the mapping file's ``codes:`` section before it is checked
(``translate_codes``): ``codes: {outflow_reason: {"A1": "11"}}`` turns 'A1' into '11'. Example: a canonical row
``benefit_id=U1, bsn=999990019, birth_date=1980-01-01, start_date=2024-01-01, household_type=1`` gives one
record (U1, the BSN's pseudonym, PW, 'alleenstaande', start 2024-01-01) and no issues.
"""

from __future__ import annotations

from collections.abc import Mapping

import pyarrow as pa
import pyarrow.compute as pc

from sdmonitor.domain.benefits import (
    DEFAULT_REGULATION,
    HOUSEHOLD_SPELLINGS,
    INFLOW_REASONS,
    OUTFLOW_REASONS,
    REGULATION_SPELLINGS,
    UNKNOWN_PROVISION_TYPE,
)
from sdmonitor.ingest.validate import (
    GENDER_SPELLINGS,
    Cells,
    ValidatedBatch,
    ValidationContext,
    _check_birth_date,
    _check_person,
    _check_plausible_dates,
    _Checker,
    _dates,
    _in,
    _pad_digits,
    _present,
    _recode,
    _valid_or_null,
    client_identifiers,
    optional_birth_dates,
)
from sdmonitor.ingest.vectorised import mask_bsns, normalise_bsns, pseudonymise_identifiers, valid_bsns

# Identifier columns that may hold a BSN (then stored as its pseudonym; loading them needs the key).
BENEFIT_IDENTIFIERS = ("client_id", "partner_id", "partner_bsn", "benefit_id")
REINTEGRATION_IDENTIFIERS = ("client_id", "provision_id")

BENEFIT_RECORD_SCHEMA = pa.schema(
    [
        ("source_row", pa.int64()),
        ("benefit_id", pa.string()),
        ("pseudonym", pa.string()),
        ("client_number", pa.string()),
        ("partner_pseudonym", pa.string()),
        ("partner_client_number", pa.string()),
        ("birth_date", pa.date32()),
        ("partner_birth_date", pa.date32()),
        ("gender", pa.string()),
        ("partner_gender", pa.string()),
        ("regulation", pa.string()),
        ("household_type", pa.string()),
        ("cost_sharers", pa.int32()),
        ("start_date", pa.date32()),
        ("end_date", pa.date32()),
        ("inflow_reason", pa.string()),
        ("outflow_reason", pa.string()),
        ("municipality_code", pa.string()),
        ("pc4", pa.string()),
        ("has_warning", pa.bool_()),
    ]
)
REINTEGRATION_RECORD_SCHEMA = pa.schema(
    [
        ("source_row", pa.int64()),
        ("provision_id", pa.string()),
        ("pseudonym", pa.string()),
        ("client_number", pa.string()),
        ("birth_date", pa.date32()),
        ("provision_type", pa.string()),
        ("start_date", pa.date32()),
        ("end_date", pa.date32()),
        ("municipality_code", pa.string()),
        ("pc4", pa.string()),
        ("has_warning", pa.bool_()),
    ]
)


def _cells(canonical: pa.Table) -> Cells:
    return {name: canonical.column(name).combine_chunks() for name in canonical.column_names}


def _code_key(column: pa.Array) -> pa.Array:
    """A code as compared with a mapping file's codes: trimmed, lower case, leading zeros of a number dropped
    ('007' and '7' are one code, as Excel drops the zero)."""
    text = pc.utf8_lower(pc.utf8_trim_whitespace(column))
    digits = pc.fill_null(pc.match_substring_regex(text, r"^[0-9]+$"), False)
    stripped = pc.utf8_ltrim(text, characters="0")
    number = pc.if_else(pc.equal(stripped, ""), "0", stripped)
    return pc.if_else(digits, number, text)


def translate_codes(column: pa.Array, codes: Mapping[str, str]) -> pa.Array:
    """``column`` with each local code of ``codes`` replaced by its national code (others unchanged).

    Example: ``translate_codes(['A1', '11', None], {'a1': '11'})`` is ``['11', '11', None]``.
    """
    if not codes:
        return column
    keys = pa.array([str(v) for v in _code_key(pa.array(list(codes), pa.string())).to_pylist()])
    national = pc.take(
        pa.array(list(codes.values()), pa.string()), pc.index_in(_code_key(column), value_set=keys)
    )
    return pc.coalesce(national, column)


def _reason(
    check: _Checker, text: pa.Array, known: Mapping[str, object], code: str, codes: Mapping[str, str]
) -> pa.Array:
    """A reason translated (mapping file), trimmed and zero-padded; one outside ``known`` is warned and kept."""
    reason = _pad_digits(pc.utf8_trim_whitespace(translate_codes(text, codes)), 2)
    check.flag(code, pc.and_(_present(reason), pc.invert(_in(reason, list(known)))), value=reason)
    return reason


def _whole_number(check: _Checker, text: pa.Array, code: str, *, below: int) -> pa.Array:
    """A whole number from 0 up to ``below``; anything else breaks ``code`` and is stored as unknown."""
    trimmed = pc.utf8_trim_whitespace(text)
    ok = pc.fill_null(pc.match_substring_regex(trimmed, r"^[0-9]{1,6}$"), False)
    number = pc.cast(pc.if_else(ok, trimmed, pa.scalar(None, pa.string())), pa.int32())
    ok = pc.and_(ok, pc.fill_null(pc.less(number, below), False))
    check.flag(code, pc.and_(_present(text), pc.invert(ok)), value=text)
    return _valid_or_null(ok, number)


# --- benefits ------------------------------------------------------------------------------------------------


def _check_benefit_identity(check: _Checker, cells: Cells) -> None:
    """The benefit number, the applicant (a BSN or a client number) and a partner's BSN: both 11-checked."""
    check.flag("missing_benefit_id", pc.is_null(cells["benefit_id"]))
    check.flag("missing_client", pc.and_(pc.is_null(cells["bsn"]), pc.is_null(cells["client_id"])))
    check.flag("invalid_bsn", pc.invert(valid_bsns(cells["bsn"])))
    check.flag("invalid_partner_bsn", pc.invert(valid_bsns(cells["partner_bsn"])))


def _check_regulation(check: _Checker, cells: Cells, codes: Mapping[str, Mapping[str, str]]) -> Cells:
    """The regulation in any common spelling (empty: PW); an unknown one rejects the row."""
    text = translate_codes(cells["regulation"], codes.get("regulation", {}))
    key = pc.replace_substring_regex(text, r"[-.]", "")
    regulation = _recode(key, {k: v.value for k, v in REGULATION_SPELLINGS.items()})
    check.flag("invalid_regulation", pc.and_(_present(text), pc.is_null(regulation)), value=text)
    return {"regulation": pc.if_else(pc.is_null(text), DEFAULT_REGULATION.value, regulation)}


def _check_household(check: _Checker, cells: Cells, codes: Mapping[str, Mapping[str, str]]) -> Cells:
    """Leefvorm (CBS code or Dutch words) and the number of kostendelers; invalid ones stored as unknown."""
    text = translate_codes(cells["household_type"], codes.get("household_type", {}))
    key = pc.replace_substring_regex(text, r"[-_/.]", "")
    household = _recode(key, {k: v.value for k, v in HOUSEHOLD_SPELLINGS.items()})
    check.flag("invalid_household_type", pc.and_(_present(text), pc.is_null(household)), value=text)
    sharers = _whole_number(check, cells["cost_sharers"], "invalid_cost_sharers", below=100)
    return {"household_type": household, "cost_sharers": sharers}


PARTNER_WARNINGS = (
    "missing_partner_birth_date",
    "invalid_partner_birth_date",
    "partner_birth_date_out_of_range",
    "invalid_partner_gender",
)  # about the partner's own facts: moot when the partner turns out to be the applicant


def _check_partner(check: _Checker, cells: Cells, context: ValidationContext) -> Cells:
    """The partner's birth date and gender (warnings: stored as unknown); empty for a row without a partner."""
    has_partner = pc.or_(_present(cells["partner_bsn"]), _present(cells["partner_id"]))
    text = cells["partner_birth_date"]
    partner_facts = pc.or_(_present(text), _present(cells["partner_gender"]))
    check.flag("partner_fields_without_partner", pc.and_(partner_facts, pc.invert(has_partner)))
    check.flag("missing_partner_birth_date", pc.and_(has_partner, pc.is_null(text)))
    birth = optional_birth_dates(
        check, text, ("invalid_partner_birth_date", "partner_birth_date_out_of_range"), context
    )
    gender_text = cells["partner_gender"]
    gender = _recode(gender_text, GENDER_SPELLINGS)
    check.flag(
        "invalid_partner_gender", pc.and_(_present(gender_text), pc.is_null(gender)), value=gender_text
    )
    none_date, none_text = pa.scalar(None, pa.date32()), pa.scalar(None, pa.string())
    return {
        "partner_birth_date": pc.if_else(has_partner, birth, none_date),
        "partner_gender": pc.if_else(has_partner, gender, none_text),
    }


def _check_benefit_period(check: _Checker, cells: Cells, context: ValidationContext) -> Cells:
    """A start date, an optional end date, the end not before the start (the allocation rules)."""
    start_text, end_text = cells["start_date"], cells["end_date"]
    check.flag("missing_start_date", pc.is_null(start_text))
    start = _dates(check, start_text, "invalid_start_date", context)
    end = _dates(check, end_text, "invalid_end_date", context)
    check.flag("end_before_start", pc.less(end, start), end=end_text, start=start_text)
    return {"start_date": start, "end_date": end}


def _check_reasons(check: _Checker, cells: Cells, codes: Mapping[str, Mapping[str, str]]) -> Cells:
    """Inflow and outflow reasons (CBS codes, local ones translated); an outflow reason needs an end date."""
    inflow = _reason(
        check, cells["inflow_reason"], INFLOW_REASONS, "unknown_inflow_reason", codes.get("inflow_reason", {})
    )
    outflow = _reason(
        check,
        cells["outflow_reason"],
        OUTFLOW_REASONS,
        "unknown_outflow_reason",
        codes.get("outflow_reason", {}),
    )
    check.flag(
        "outflow_reason_without_end_date",
        pc.and_(_present(outflow), pc.is_null(cells["end_date"])),
        value=outflow,
    )
    return {"inflow_reason": inflow, "outflow_reason": outflow}


def validate_benefits(
    canonical: pa.Table,
    rows: pa.Array,
    context: ValidationContext,
    *,
    codes: Mapping[str, Mapping[str, str]] | None = None,
) -> ValidatedBatch:
    """Check every rule on a batch of canonical benefit columns (``BENEFIT_RECORD_SCHEMA`` records).

    ``codes`` is the mapping file's ``codes:`` section (per column, local code -> CBS code).
    """
    codes = codes or {}
    cells = _cells(canonical)
    cells["bsn"] = normalise_bsns(cells["bsn"])
    cells["partner_bsn"] = normalise_bsns(cells["partner_bsn"])
    check = _Checker(rows)
    _check_benefit_identity(check, cells)
    clean = _check_birth_date(check, cells, context)
    clean |= _check_regulation(check, cells, codes)
    clean |= _check_benefit_period(check, cells, context)
    # a birth after the start, a start far off; no law, so no Jeugdwet age check
    _check_plausible_dates(check, cells, {**clean, "law": pa.nulls(len(rows), pa.string())}, context)
    clean |= _check_partner(check, cells, context)
    clean |= _check_household(check, cells, codes)
    clean |= _check_reasons(check, cells, codes)
    clean |= _check_person(check, cells, context)
    kept = check.kept
    key = context.pseudonym_key
    pseudonym, client_number, client_count = client_identifiers(
        kept(cells["bsn"]), kept(cells["client_id"]), key
    )
    partner_pseudonym, partner_number, partner_count = client_identifiers(
        kept(cells["partner_bsn"]), kept(cells["partner_id"]), key
    )
    # a partner who is the applicant: counted once, as the applicant
    same_bsn = pc.fill_null(pc.equal(pseudonym, partner_pseudonym), False)
    only_numbers = pc.and_(pc.is_null(pseudonym), pc.is_null(partner_pseudonym))
    same_number = pc.and_(only_numbers, pc.fill_null(pc.equal(client_number, partner_number), False))
    same = pc.or_(same_bsn, same_number)
    if pc.any(same).as_py():
        # the partner is dropped: what was said about the partner's birth date and gender no longer applies
        check.withdraw(PARTNER_WARNINGS, _scatter(same, pc.invert(check.error)))
        check.flag("partner_is_applicant", _scatter(same, pc.invert(check.error)))
        none = pa.scalar(None, pa.string())
        partner_pseudonym = pc.if_else(same, none, partner_pseudonym)
        partner_number = pc.if_else(same, none, partner_number)
        for name in ("partner_birth_date", "partner_gender"):
            clean[name] = _scatter_clear(clean[name], same, pc.invert(check.error))
    benefit_number, benefit_count = pseudonymise_identifiers(kept(cells["benefit_id"]), key)
    free_text = {"inflow_reason", "outflow_reason"}
    columns = {
        "source_row": kept(rows),
        "benefit_id": benefit_number,
        "pseudonym": pseudonym,
        "client_number": client_number,
        "partner_pseudonym": partner_pseudonym,
        "partner_client_number": partner_number,
        **{name: mask_bsns(kept(v)) if name in free_text else kept(v) for name, v in clean.items()},
        "has_warning": kept(check.warning),
    }
    records = pa.table(
        {name: columns[name] for name in BENEFIT_RECORD_SCHEMA.names}, schema=BENEFIT_RECORD_SCHEMA
    )
    return check.outcome(records, client_count + partner_count + benefit_count)


def _scatter(kept_mask: pa.Array, kept: pa.Array) -> pa.Array:
    """A mask over the kept rows (not empty) as a mask over all rows (False for the rows not kept)."""
    positions = pc.subtract(pc.cumulative_sum(pc.cast(kept, pa.int64())), 1)
    taken = pc.take(kept_mask, pc.max_element_wise(positions, 0))
    return pc.fill_null(pc.and_(kept, taken), False)


def _scatter_clear(values: pa.Array, kept_mask: pa.Array, kept: pa.Array) -> pa.Array:
    """``values`` (all rows) with the kept rows of ``kept_mask`` made null."""
    clear = _scatter(kept_mask, kept)
    return pc.if_else(clear, pa.scalar(None, values.type), values)


# --- re-integration provisions -------------------------------------------------------------------------------


def validate_reintegration(
    canonical: pa.Table,
    rows: pa.Array,
    context: ValidationContext,
    *,
    codes: Mapping[str, Mapping[str, str]] | None = None,
) -> ValidatedBatch:
    """Check every rule on a batch of canonical provision columns (``REINTEGRATION_RECORD_SCHEMA`` records).

    The type is kept as the source gives it (an SRG code zero-padded: '4' -> '04'), 'onbekend' when empty.
    """
    codes = codes or {}
    cells = _cells(canonical)
    cells["bsn"] = normalise_bsns(cells["bsn"])
    cells["gender"] = pa.nulls(len(rows), pa.string())  # provisions carry no gender
    check = _Checker(rows)
    check.flag("missing_provision_id", pc.is_null(cells["provision_id"]))
    check.flag("missing_client", pc.and_(pc.is_null(cells["bsn"]), pc.is_null(cells["client_id"])))
    check.flag("invalid_bsn", pc.invert(valid_bsns(cells["bsn"])))
    clean = _check_benefit_period(check, cells, context)
    birth = optional_birth_dates(
        check,
        cells["birth_date"],
        ("invalid_provision_birth_date", "provision_birth_date_out_of_range"),
        context,
    )
    kind = _pad_digits(
        pc.utf8_trim_whitespace(translate_codes(cells["provision_type"], codes.get("provision_type", {}))), 2
    )
    clean |= {
        "birth_date": birth,
        "provision_type": pc.fill_null(kind, UNKNOWN_PROVISION_TYPE),
    }
    person = _check_person(check, cells, context)
    clean |= {"municipality_code": person["municipality_code"], "pc4": person["pc4"]}
    kept = check.kept
    pseudonym, client_number, client_count = client_identifiers(
        kept(cells["bsn"]), kept(cells["client_id"]), context.pseudonym_key
    )
    provision_number, provision_count = pseudonymise_identifiers(
        kept(cells["provision_id"]), context.pseudonym_key
    )
    columns = {
        "source_row": kept(rows),
        "provision_id": provision_number,
        "pseudonym": pseudonym,
        "client_number": client_number,
        **{name: mask_bsns(kept(v)) if name == "provision_type" else kept(v) for name, v in clean.items()},
        "has_warning": kept(check.warning),
    }
    records = pa.table(
        {name: columns[name] for name in REINTEGRATION_RECORD_SCHEMA.names},
        schema=REINTEGRATION_RECORD_SCHEMA,
    )
    return check.outcome(records, client_count + provision_count)
