"""Validation of allocation rows against the rules of ``domain/rules.py``, column at a time, by group of columns.

``validate_batch`` never raises on bad data. It returns the rows that load (typed, cleaned, the BSN replaced
by its pseudonym) and one issue per broken rule per row. Rules with severity ERROR reject the row; rules with
severity WARNING load the row and are listed in the load report.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeAlias

import pyarrow as pa
import pyarrow.compute as pc

from sdmonitor.domain.allocations import COLUMN_NAMES, DELETED_CHANGE_REASON, Law
from sdmonitor.domain.codes import jeugd_product_codes, law_codes
from sdmonitor.domain.rules import RULES, Issue, Rule, Severity
from sdmonitor.ingest.vectorised import (
    contains_bsns,
    is_whole_bsn,
    mask_bsns,
    normalise_bsns,
    parse_dates,
    pseudonymise_all,
    pseudonymise_identifiers,
    valid_bsns,
    with_iso,
)

EARLIEST_BIRTH_DATE = date(1900, 1, 1)
JEUGDWET_MAX_AGE = 23  # verlengde jeugdhulp runs to 23; older Jeugdwet clients are implausible


# Accepted spellings (lower case, spaces removed) of the law column.
LAW_SPELLINGS = {
    "wmo": Law.WMO,
    "wmo2015": Law.WMO,
    "iwmo": Law.WMO,
    "wetmaatschappelijkeondersteuning": Law.WMO,
    "wetmaatschappelijkeondersteuning2015": Law.WMO,
    "jw": Law.JW,
    "jeugdwet": Law.JW,
    "jeugd": Law.JW,
    "ijw": Law.JW,
}
GENDER_SPELLINGS = {
    "0": "0",
    "1": "1",
    "2": "2",
    "o": "0",
    "onbekend": "0",
    "m": "1",
    "man": "1",
    "v": "2",
    "vrouw": "2",
}
DELIVERY_SPELLINGS = {
    "zin": "ZIN",
    "natura": "ZIN",
    "zorginnatura": "ZIN",
    "pgb": "PGB",
    "persoonsgebondenbudget": "PGB",
}

RECORD_SCHEMA = pa.schema(
    [
        ("source_row", pa.int64()),
        ("allocation_id", pa.string()),
        ("pseudonym", pa.string()),  # of the BSN; with the client number, the warehouse makes the client key
        ("client_number", pa.string()),
        ("birth_date", pa.date32()),
        ("gender", pa.string()),
        ("municipality_code", pa.string()),
        ("pc4", pa.string()),
        ("law", pa.string()),
        ("product_category", pa.string()),
        ("product_code", pa.string()),
        ("provider_code", pa.string()),
        ("provider_name", pa.string()),
        ("start_date", pa.date32()),
        ("end_date", pa.date32()),
        ("volume", pa.float64()),
        ("unit", pa.string()),
        ("frequency", pa.string()),
        ("delivery_form", pa.string()),
        ("referrer", pa.string()),
        ("request_date", pa.date32()),
        ("decision_date", pa.date32()),
        ("change_reason", pa.string()),
        ("end_reason", pa.string()),
        ("is_deleted", pa.bool_()),
        ("has_warning", pa.bool_()),
    ]
)
ISSUE_SCHEMA = pa.schema(
    [
        ("row", pa.int64()),
        ("severity", pa.string()),
        ("code", pa.string()),
        ("column", pa.string()),
        ("message", pa.string()),
    ]
)


@dataclass(frozen=True)
class ValidationContext:
    """What validation needs besides the rows: the load date, the export date, the pseudonym key, defaults.

    ``extraction`` is the day the source was exported (``--extracted-on``; None: the load date): the data
    moment of this load. Nobody in an export is born after it (``latest_birth_date``).
    """

    load_date: date
    pseudonym_key: bytes | None = None
    default_municipality: str | None = None
    decimal: str = "."
    # declared by a mapping file (ISO is always accepted); empty: ISO or Dutch
    date_formats: tuple[str, ...] = ()
    extraction: date | None = None

    @property
    def latest_birth_date(self) -> date:
        """The last possible birth date of a person in the file: its export date (default the load date)."""
        return self.extraction or self.load_date

    @property
    def expected_dates(self) -> str:
        """The date formats a message asks for, in Dutch spelling ('JJJJ-MM-DD of DD-MM-JJJJ')."""
        names = with_iso(self.date_formats) if self.date_formats else ("YYYY-MM-DD", "DD-MM-YYYY")
        dutch = [n.replace("Y", "J") for n in names]
        return " of ".join([", ".join(dutch[:-1]), dutch[-1]]) if len(dutch) > 1 else dutch[0]


@dataclass(frozen=True)
class ValidatedBatch:
    """The outcome for one batch: rows that load (``RECORD_SCHEMA``) and issues (``ISSUE_SCHEMA``)."""

    records: pa.Table
    issues: pa.Table
    rejected: int
    warned: int
    pseudonymised_ids: int = 0

    def issue_list(self, file: str = "") -> list[Issue]:
        """The issues as objects (for tests and small files)."""
        return [
            Issue(i["code"], i["message"], i["row"], i["column"], Severity(i["severity"]), file)
            for i in self.issues.to_pylist()
        ]


Value: TypeAlias = str | pa.Array  # a field of a message: one text for every row, or a value per row


class _Checker:
    """Collects the issues of one batch: ``flag(code, mask, **message_fields)``."""

    def __init__(self, rows: pa.Array) -> None:
        self.rows = rows
        self.tables: list[pa.Table] = []
        self.error = pa.array([False] * len(rows))
        self.warning = pa.array([False] * len(rows))

    def flag(self, code: str, mask: pa.Array, /, **values: Value) -> None:
        """Record rule ``code`` broken in the rows of ``mask``; ``values`` fill the fields of its message."""
        mask = pc.fill_null(mask, False)
        if not pc.any(mask).as_py():
            return
        rule = RULES[code]
        if rule.severity is Severity.ERROR:
            self.error = pc.or_(self.error, mask)
        else:
            self.warning = pc.or_(self.warning, mask)
        where = pc.indices_nonzero(mask)
        count = len(where)
        self.tables.append(
            pa.table(
                {
                    "row": pc.take(self.rows, where),
                    "severity": pa.array([rule.severity.value] * count),
                    "code": pa.array([code] * count),
                    "column": pa.array([rule.column] * count),
                    "message": _messages(rule, where, values),
                },
                schema=ISSUE_SCHEMA,
            )
        )

    def withdraw(self, codes: Collection[str], mask: pa.Array) -> None:
        """Take back the warnings ``codes`` of the rows of ``mask`` (a later check made them moot)."""
        gone = pc.filter(self.rows, pc.fill_null(mask, False))
        tables = []
        for table in self.tables:
            moot = pc.and_(
                pc.is_in(table.column("code"), value_set=pa.array(list(codes), pa.string())),
                pc.is_in(table.column("row"), value_set=gone),
            )
            tables.append(table.filter(pc.invert(moot)))
        self.tables = tables
        warned = [
            pc.filter(t.column("row"), pc.equal(t.column("severity"), Severity.WARNING.value)) for t in tables
        ]
        rows = pa.chunked_array(warned, pa.int64()).combine_chunks() if warned else pa.array([], pa.int64())
        self.warning = pc.is_in(self.rows, value_set=rows)

    def kept(self, array: pa.Array) -> pa.Array:
        """``array`` without the rows an error rejects."""
        return pc.filter(array, pc.invert(self.error))

    def outcome(self, records: pa.Table, pseudonymised_ids: int) -> ValidatedBatch:
        """The batch's outcome: ``records`` (the rows kept) and every issue."""
        warned = pc.sum(pc.cast(pc.and_(self.warning, pc.invert(self.error)), pa.int64())).as_py() or 0
        return ValidatedBatch(
            records, self.issues(), len(self.rows) - records.num_rows, warned, pseudonymised_ids
        )

    def issues(self) -> pa.Table:
        """Every issue, its message with any BSN masked (a value can land in the wrong column)."""
        if not self.tables:
            return ISSUE_SCHEMA.empty_table()
        issues = pa.concat_tables(self.tables)
        return issues.set_column(
            issues.schema.get_field_index("message"), "message", mask_bsns(issues.column("message"))
        )


def _messages(rule: Rule, where: pa.Array, values: dict[str, Value]) -> pa.Array:
    """The rule's message for the rows at ``where``, its fields filled from ``values``."""
    if all(isinstance(value, str) for value in values.values()):
        return pa.array([rule.text(**values)] * len(where))
    pieces: list[Value] = []
    for literal, field in rule.pieces():
        if literal:
            pieces.append(literal)
        if field is not None:
            value = values[field]
            pieces.append(value if isinstance(value, str) else pc.coalesce(pc.take(value, where), ""))
    return pc.binary_join_element_wise(*pieces, "")


def _present(column: pa.Array) -> pa.Array:
    return pc.is_valid(column)


def _recode(column: pa.Array, spellings: dict[str, str]) -> pa.Array:
    """Map spellings (compared lower case, spaces removed) to their canonical value; null if unknown."""
    key = pc.replace_substring(pc.utf8_lower(column), " ", "")
    keys = pa.array(list(spellings))
    values = pa.array([str(v) for v in spellings.values()])
    return pc.take(values, pc.index_in(key, value_set=keys))


def _pad_digits(column: pa.Array, width: int) -> pa.Array:
    """Zero-pad all-digit codes shorter than ``width`` (Excel drops leading zeros: '2' -> '02')."""
    short = pc.and_(pc.match_substring_regex(column, r"^[0-9]+$"), pc.less(pc.utf8_length(column), width))
    return pc.if_else(pc.fill_null(short, False), pc.utf8_lpad(column, width, "0"), column)


def _in(column: pa.Array, values: Sequence[str]) -> pa.Array:
    return pc.is_in(column, value_set=pa.array(list(values), pa.string()))


def _unknown(column: pa.Array, values: Sequence[str]) -> pa.Array:
    """Filled in, but not one of ``values`` (a blank optional code is not unknown)."""
    return pc.and_(_present(column), pc.invert(_in(column, values)))


def _in_law_list(values: pa.Array, law: pa.Array, table: str, *, other_law: bool = False) -> pa.Array:
    """Whether each value is in code list ``table`` of its row's law (``other_law``: of the other law)."""
    wmo, jw = (Law.JW, Law.WMO) if other_law else (Law.WMO, Law.JW)
    return pc.or_(
        pc.and_(pc.equal(law, Law.WMO.value), _in(values, list(law_codes(wmo, table)))),
        pc.and_(pc.equal(law, Law.JW.value), _in(values, list(law_codes(jw, table)))),
    )


def _valid_or_null(ok: pa.Array, values: pa.Array) -> pa.Array:
    """``values`` where ``ok``, null elsewhere (an invalid optional value is stored as unknown)."""
    return pc.if_else(pc.fill_null(ok, False), values, pa.scalar(None, values.type))


def _whole_years(earlier: pa.Array, later: pa.Array) -> pa.Array:
    """Completed years from ``earlier`` to ``later`` (age on a date)."""
    years = pc.subtract(pc.year(later), pc.year(earlier))
    before_birthday = pc.or_(
        pc.less(pc.month(later), pc.month(earlier)),
        pc.and_(pc.equal(pc.month(later), pc.month(earlier)), pc.less(pc.day(later), pc.day(earlier))),
    )
    return pc.subtract(years, pc.cast(before_birthday, pa.int64()))


def _date(scalar: date) -> pa.Scalar:
    return pa.scalar(scalar, pa.date32())


def _dates(check: _Checker, column: pa.Array, invalid_code: str, context: ValidationContext) -> pa.Array:
    """Parse a date column; a filled-in cell that is no date breaks ``invalid_code``."""
    parsed = parse_dates(column, context.date_formats)
    invalid = pc.and_(_present(column), pc.is_null(parsed))
    check.flag(invalid_code, invalid, value=column, expected=context.expected_dates)
    return parsed


# Each group of columns below checks its rules in the order the load report lists them, and returns its
# columns cleaned (typed, recoded, padded; invalid optional values null). ``cells`` holds the canonical text.
Cells: TypeAlias = dict[str, pa.Array]


def _check_identity(check: _Checker, cells: Cells) -> None:
    """The allocation number, and a BSN or a client number; a BSN must pass the 11-check."""
    check.flag("missing_allocation_id", pc.is_null(cells["allocation_id"]))
    check.flag("missing_client", pc.and_(pc.is_null(cells["bsn"]), pc.is_null(cells["client_id"])))
    check.flag("invalid_bsn", pc.invert(valid_bsns(cells["bsn"])))


def birth_dates(check: _Checker, column: pa.Array, invalid_code: str, context: ValidationContext) -> pa.Array:
    """Parse a birth date column like ``_dates``, but the message does not repeat the value: a birth date is
    personal data, and stays in its own column of the report's row."""
    parsed = parse_dates(column, context.date_formats)
    check.flag(invalid_code, pc.and_(_present(column), pc.is_null(parsed)), expected=context.expected_dates)
    return parsed


def birth_out_of_range(birth: pa.Array, context: ValidationContext) -> pa.Array:
    """Birth dates before 1900 or after the export date (``context.latest_birth_date``): nobody in an export
    of 30-06-2024 is born on 01-01-2025, even when the file is loaded later."""
    return pc.or_(
        pc.less(birth, _date(EARLIEST_BIRTH_DATE)), pc.greater(birth, _date(context.latest_birth_date))
    )


def optional_birth_dates(
    check: _Checker, column: pa.Array, codes: tuple[str, str], context: ValidationContext
) -> pa.Array:
    """An optional birth date (a partner's, a request's, a provision's): ``codes`` are the warnings for no date
    and for a date before 1900 or after the export date; either is stored as unknown."""
    invalid, out_of_range = codes
    birth = birth_dates(check, column, invalid, context)
    outside = birth_out_of_range(birth, context)
    check.flag(out_of_range, outside, extraction=f"{context.latest_birth_date:%d-%m-%Y}")
    return _valid_or_null(pc.invert(pc.fill_null(outside, False)), birth)


def _check_birth_date(check: _Checker, cells: Cells, context: ValidationContext) -> Cells:
    """A real date from 1900 up to the export date (not echoed: a birth date is personal)."""
    text = cells["birth_date"]
    check.flag("missing_birth_date", pc.is_null(text))
    birth = birth_dates(check, text, "invalid_birth_date", context)
    check.flag(
        "birth_date_out_of_range",
        birth_out_of_range(birth, context),
        extraction=f"{context.latest_birth_date:%d-%m-%Y}",
    )
    return {"birth_date": birth}


def _check_law(check: _Checker, cells: Cells) -> Cells:
    """The law in any common spelling, and a product category (2 digits)."""
    text = cells["law"]
    law = _recode(text, {k: v.value for k, v in LAW_SPELLINGS.items()})
    check.flag("missing_law", pc.is_null(text))
    check.flag("invalid_law", pc.and_(_present(text), pc.is_null(law)), value=text)
    category = _pad_digits(cells["product_category"], 2)
    check.flag("missing_product_category", pc.is_null(category))
    return {"law": law, "product_category": category}


def _check_period(check: _Checker, cells: Cells, context: ValidationContext) -> Cells:
    """A start date, an optional end date, the end not before the start."""
    start_text, end_text = cells["start_date"], cells["end_date"]
    check.flag("missing_start_date", pc.is_null(start_text))
    start = _dates(check, start_text, "invalid_start_date", context)
    end = _dates(check, end_text, "invalid_end_date", context)
    check.flag("end_before_start", pc.less(end, start), end=end_text, start=start_text)
    return {"start_date": start, "end_date": end}


def _check_codes_of_law(check: _Checker, cells: Cells, clean: Cells) -> Cells:
    """The product category in the law's code list, a Jeugdwet product code in the national list (JZ21)."""
    law, category = clean["law"], clean["product_category"]
    own = _in_law_list(category, law, "LDT_ProductCategorie")
    other = _in_law_list(category, law, "LDT_ProductCategorie", other_law=True)
    check.flag("category_of_other_law", other, category=category, law=law)
    check.flag(
        "unknown_product_category",
        pc.and_(pc.and_(_present(category), _present(law)), pc.invert(pc.or_(own, other))),
        category=category,
        law=law,
    )

    product_code = pc.utf8_upper(cells["product_code"])
    national = jeugd_product_codes()
    known_codes = [c for c, p in national.items() if p["category"] not in ("-", "")]
    national_category = pc.take(
        pa.array([national[c]["category"] for c in known_codes]),
        pc.index_in(product_code, value_set=pa.array(known_codes)),
    )
    jw_code = pc.and_(pc.equal(law, Law.JW.value), _present(product_code))
    check.flag(
        "unknown_product_code", pc.and_(jw_code, pc.is_null(national_category)), product_code=product_code
    )
    check.flag(
        "product_code_category_mismatch",
        pc.and_(jw_code, pc.not_equal(national_category, category)),
        product_code=product_code,
        national_category=national_category,
        category=category,
    )
    return {"product_code": product_code}


def _check_plausible_dates(check: _Checker, cells: Cells, clean: Cells, context: ValidationContext) -> None:
    """Warnings only: a Jeugdwet client of 23 or older, a birth after the start, a start far off."""
    birth, start = clean["birth_date"], clean["start_date"]
    age_at_start = _whole_years(birth, start)
    check.flag(
        "age_implausible_for_law",
        pc.and_(pc.equal(clean["law"], Law.JW.value), pc.greater_equal(age_at_start, JEUGDWET_MAX_AGE)),
        age=pc.cast(age_at_start, pa.string()),
    )
    check.flag("birth_after_start", pc.greater(birth, start))
    check.flag(
        "start_date_implausible",
        pc.or_(
            pc.less(start, _date(date(2000, 1, 1))),
            pc.greater(start, _date(context.load_date + timedelta(days=731))),
        ),
        start=cells["start_date"],
    )


def _check_person(check: _Checker, cells: Cells, context: ValidationContext) -> Cells:
    """Gender, municipality code (4 digits, or the default) and postcode, stored as its PC4."""
    gender_text = cells["gender"]
    gender = _recode(gender_text, GENDER_SPELLINGS)
    check.flag("invalid_gender", pc.and_(_present(gender_text), pc.is_null(gender)), value=gender_text)

    municipality_text = _pad_digits(cells["municipality_code"], 4)
    municipality_ok = pc.match_substring_regex(municipality_text, r"^[0-9]{4}$")
    check.flag("invalid_municipality_code", pc.invert(municipality_ok), value=municipality_text)
    municipality = _valid_or_null(municipality_ok, municipality_text)
    if context.default_municipality is not None:
        municipality = pc.if_else(pc.is_null(municipality_text), context.default_municipality, municipality)

    postcode_text = cells["postcode"]
    postcode = pc.replace_substring(pc.utf8_upper(postcode_text), " ", "")
    postcode_ok = pc.match_substring_regex(postcode, r"^[1-9][0-9]{3}([A-Z]{2})?$")
    check.flag("invalid_postcode", pc.invert(postcode_ok), value=postcode_text)
    pc4 = _valid_or_null(postcode_ok, pc.utf8_slice_codeunits(postcode, 0, 4))
    return {"gender": gender, "municipality_code": municipality, "pc4": pc4}


def _check_provider(check: _Checker, cells: Cells) -> Cells:
    """An AGB code of 8 digits (stored unmasked: one that happens to pass the 11-check stays an AGB code)."""
    provider_text = _pad_digits(cells["provider_code"], 8)
    provider_ok = pc.match_substring_regex(provider_text, r"^[0-9]{8}$")
    check.flag("invalid_provider_code", pc.invert(provider_ok), value=provider_text)
    return {"provider_code": _valid_or_null(provider_ok, provider_text)}


def _check_volume(check: _Checker, cells: Cells, context: ValidationContext) -> Cells:
    """Volume (a number, decimal comma when the layout says so), its unit and frequency (iWmo/iJw codes)."""
    volume_text = cells["volume"]
    if context.decimal == ",":
        volume_text = pc.replace_substring(pc.replace_substring(volume_text, ".", ""), ",", ".")
    volume_ok = pc.match_substring_regex(volume_text, r"^[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$")
    check.flag("invalid_volume", pc.invert(volume_ok), value=cells["volume"])
    volume = pc.cast(_valid_or_null(volume_ok, volume_text), pa.float64())

    unit = _pad_digits(cells["unit"], 2)
    check.flag(
        "volume_without_unit", pc.and_(_present(volume_text), pc.is_null(unit)), volume=cells["volume"]
    )
    check.flag("unknown_unit", _unknown(unit, list(law_codes(Law.WMO, "LDT_Eenheid"))), value=unit)
    frequency = cells["frequency"]
    check.flag(
        "unknown_frequency",
        _unknown(frequency, list(law_codes(Law.WMO, "LDT_Frequentie"))),
        value=frequency,
    )
    return {"volume": volume, "unit": unit, "frequency": frequency}


def _check_delivery(check: _Checker, cells: Cells) -> Cells:
    """Delivery form (ZIN or PGB; empty means ZIN) and referrer (iWmo/iJw code)."""
    delivery_text = cells["delivery_form"]
    delivery = _recode(delivery_text, DELIVERY_SPELLINGS)
    check.flag(
        "invalid_delivery_form", pc.and_(_present(delivery_text), pc.is_null(delivery)), value=delivery_text
    )
    delivery = pc.if_else(pc.is_null(delivery_text), "ZIN", delivery)

    referrer = _pad_digits(cells["referrer"], 2)
    check.flag(
        "unknown_referrer", _unknown(referrer, list(law_codes(Law.WMO, "LDT_TypeVerwijzer"))), value=referrer
    )
    return {"delivery_form": delivery, "referrer": referrer}


def _check_decision(check: _Checker, cells: Cells, context: ValidationContext) -> Cells:
    """Request and decision dates, the decision not before the request."""
    request = _dates(check, cells["request_date"], "invalid_request_date", context)
    decision = _dates(check, cells["decision_date"], "invalid_decision_date", context)
    check.flag(
        "decision_before_request",
        pc.less(decision, request),
        decision=cells["decision_date"],
        request=cells["request_date"],
    )
    return {"request_date": request, "decision_date": decision}


def _check_reasons(check: _Checker, cells: Cells, clean: Cells) -> Cells:
    """Reasons of change and of ending in the code lists (the end reasons per law); an end reason needs an end
    date."""
    change_reason = _pad_digits(cells["change_reason"], 2)
    check.flag(
        "unknown_change_reason",
        _unknown(change_reason, list(law_codes(Law.WMO, "LDT_RedenWijziging"))),
        value=change_reason,
    )
    law = clean["law"]
    end_reason = _pad_digits(cells["end_reason"], 2)
    known_end = _in_law_list(end_reason, law, "LDT_RedenBeeindiging")
    check.flag(
        "unknown_end_reason", pc.and_(_present(end_reason), pc.invert(known_end)), value=end_reason, law=law
    )
    check.flag(
        "end_reason_without_end_date",
        pc.and_(_present(end_reason), pc.is_null(cells["end_date"])),
        value=end_reason,
    )
    return {"change_reason": change_reason, "end_reason": end_reason}


# Stored columns kept as the file's text: any BSN in them is masked.
_FREE_TEXT = frozenset(
    [
        "product_category",
        "product_code",
        "provider_name",
        "unit",
        "frequency",
        "referrer",
        "change_reason",
        "end_reason",
    ]
)


def validate_batch(canonical: pa.Table, rows: pa.Array, context: ValidationContext) -> ValidatedBatch:
    """Check every rule on a batch of canonical text columns; see the module docstring."""
    cells = {name: canonical.column(name).combine_chunks() for name in COLUMN_NAMES}
    cells["bsn"] = normalise_bsns(cells["bsn"])
    check = _Checker(rows)
    # errors first, then warnings: the order of the reasons in the load report
    _check_identity(check, cells)
    clean = _check_birth_date(check, cells, context)
    clean |= _check_law(check, cells)
    clean |= _check_period(check, cells, context)
    clean |= _check_codes_of_law(check, cells, clean)
    _check_plausible_dates(check, cells, clean, context)
    clean |= _check_person(check, cells, context)
    clean |= _check_provider(check, cells)
    clean |= _check_volume(check, cells, context)
    clean |= _check_delivery(check, cells)
    clean |= _check_decision(check, cells, context)
    clean |= _check_reasons(check, cells, clean)
    clean["provider_name"] = cells["provider_name"]
    return _batch(check, rows, cells, clean, context.pseudonym_key)


def _batch(check: _Checker, rows: pa.Array, cells: Cells, clean: Cells, key: bytes | None) -> ValidatedBatch:
    """The rows without errors as ``RECORD_SCHEMA`` records: identifiers pseudonymised, free text masked."""
    kept = check.kept
    pseudonym, client_number, client_count = client_identifiers(
        kept(cells["bsn"]), kept(cells["client_id"]), key
    )
    allocation_number, allocation_count = pseudonymise_identifiers(kept(cells["allocation_id"]), key)
    columns = {
        "source_row": kept(rows),
        "allocation_id": allocation_number,
        "pseudonym": pseudonym,
        "client_number": client_number,
        **{name: mask_bsns(kept(v)) if name in _FREE_TEXT else kept(v) for name, v in clean.items()},
        "is_deleted": pc.fill_null(kept(pc.equal(clean["change_reason"], DELETED_CHANGE_REASON)), False),
        "has_warning": kept(check.warning),
    }
    records = pa.table({name: columns[name] for name in RECORD_SCHEMA.names}, schema=RECORD_SCHEMA)
    return check.outcome(records, client_count + allocation_count)


def client_identifiers(
    bsn: pa.Array, client_id: pa.Array, key: bytes | None
) -> tuple[pa.Array, pa.Array, int]:
    """The client's identifiers as stored: (pseudonym, client number, how many client numbers were a BSN).

    The pseudonym is the BSN's; a client number that passes the 11-check is a BSN, stored only as its
    pseudonym. A client number that is a BSN as a whole is that person's BSN: linked through the pseudonym, in
    every source, not as a client number of this source (docs/loading.md, "Eén cliënt, één sleutel").
    """
    key_from_bsn = (
        pseudonymise_all(bsn, key)
        if key is not None and pc.any(_present(bsn)).as_py()
        else pa.nulls(len(bsn), pa.string())
    )
    client_number, count = pseudonymise_identifiers(client_id, key)
    client_is_bsn = is_whole_bsn(client_id)
    no_text = pa.scalar(None, pa.string())
    pseudonym = pc.coalesce(key_from_bsn, pc.if_else(client_is_bsn, client_number, no_text))
    return pseudonym, pc.if_else(client_is_bsn, no_text, client_number), count


def rule_issues(code: str, rows: pa.Array, values: dict[str, Value]) -> pa.Table:
    """Rule ``code`` broken in each of ``rows`` (``ISSUE_SCHEMA``), its message filled from ``values`` (a text
    for every row, or a value per row); any BSN in a message masked."""
    check = _Checker(rows)
    check.flag(code, pa.array([True] * len(rows), pa.bool_()), **values)
    return check.issues()


def columns_needing_key(
    canonical: pa.Table, identifiers: tuple[str, ...] = ("client_id", "allocation_id")
) -> tuple[str, ...]:
    """The canonical columns of a batch that hold BSNs, so that loading it needs the pseudonym key.

    The BSN column when it has any value; the client and allocation number when a cell holds a number that
    passes the 11-check (such a number is treated as a BSN: see ``pseudonymise_identifiers``).
    """
    needed = []
    if "bsn" in canonical.column_names and canonical.column("bsn").null_count < canonical.num_rows:
        needed.append("bsn")
    for name in identifiers:
        if canonical.num_rows and pc.any(contains_bsns(canonical.column(name))).as_py():
            needed.append(name)
    return tuple(needed)


def malformed_issues(
    rows: Sequence[int],
    expected: Sequence[int],
    actual: Sequence[int],
    codes: Sequence[str] | None = None,
) -> pa.Table:
    """Issues for CSV lines that were not read as rows (``codes`` default to ``malformed_row``)."""
    codes = codes if codes is not None else ["malformed_row"] * len(rows)
    return pa.table(
        {
            "row": pa.array(rows, pa.int64()),
            "severity": [Severity.ERROR.value] * len(rows),
            "code": list(codes),
            "column": [""] * len(rows),
            "message": [
                RULES[code].text(expected=e, actual=a)
                for code, e, a in zip(codes, expected, actual, strict=True)
            ],
        },
        schema=ISSUE_SCHEMA,
    )
