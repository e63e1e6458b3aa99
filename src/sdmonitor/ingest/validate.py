"""Validation of allocation rows: every rule, its stable code, its Dutch message; column at a time.

``validate_batch`` never raises on bad data. It returns the rows that load (typed, cleaned, the BSN replaced
by its pseudonym) and one issue per broken rule per row. Rules with severity ERROR reject the row; rules with
severity WARNING load the row and are listed in the load report. The catalogue ``RULES`` is the reference:
``docs/loading.md`` lists the same codes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import TypeAlias

import pyarrow as pa
import pyarrow.compute as pc

from sdmonitor.domain.allocations import DELETED_CHANGE_REASON, Law
from sdmonitor.domain.codes import jeugd_product_codes, law_codes
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


class Severity(StrEnum):
    """ERROR rejects the row; WARNING loads it and reports it."""

    ERROR = "fout"
    WARNING = "waarschuwing"


@dataclass(frozen=True)
class Rule:
    """A loading rule: stable code, severity, the column it checks and a Dutch description."""

    code: str
    severity: Severity
    column: str
    description: str


@dataclass(frozen=True)
class Issue:
    """One broken rule in one row. ``row`` is the spreadsheet row number (header = 1)."""

    code: str
    message: str
    row: int
    column: str
    severity: Severity
    file: str = ""


E, W = Severity.ERROR, Severity.WARNING
RULES: dict[str, Rule] = {
    r.code: r
    for r in (
        Rule("malformed_row", E, "", "De regel heeft niet evenveel velden als de kopregel."),
        Rule(
            "unclosed_quote",
            E,
            "",
            "Een veld op deze regel opent een aanhalingsteken dat op dezelfde regel niet sluit.",
        ),
        Rule("line_too_long", E, "", "De regel is langer dan 1 MiB; geen echte toewijzing."),
        Rule("cell_too_long", E, "", "Een cel is langer dan 32.767 tekens, de grens van Excel."),
        Rule("missing_allocation_id", E, "allocation_id", "Toewijzingsnummer ontbreekt."),
        Rule(
            "duplicate_allocation_id",
            E,
            "allocation_id",
            "Hetzelfde toewijzingsnummer staat meer dan eens in het bestand, met verschillende inhoud.",
        ),
        Rule("missing_client", E, "bsn", "BSN en cliëntnummer ontbreken allebei."),
        Rule("invalid_bsn", E, "bsn", "BSN voldoet niet aan de elfproef."),
        Rule("missing_birth_date", E, "birth_date", "Geboortedatum ontbreekt."),
        Rule("invalid_birth_date", E, "birth_date", "Geboortedatum is geen geldige datum."),
        Rule(
            "birth_date_out_of_range",
            E,
            "birth_date",
            "Geboortedatum ligt voor 01-01-1900 of na de laaddatum.",
        ),
        Rule("missing_law", E, "law", "Wet ontbreekt."),
        Rule("invalid_law", E, "law", "Wet is niet WMO of JW."),
        Rule("missing_product_category", E, "product_category", "Productcategorie ontbreekt."),
        Rule("missing_start_date", E, "start_date", "Ingangsdatum ontbreekt."),
        Rule("invalid_start_date", E, "start_date", "Ingangsdatum is geen geldige datum."),
        Rule("invalid_end_date", E, "end_date", "Einddatum is geen geldige datum."),
        Rule("end_before_start", E, "end_date", "Einddatum ligt voor de ingangsdatum."),
        Rule(
            "unknown_product_category",
            W,
            "product_category",
            "Productcategorie komt niet voor in de codelijst van de wet.",
        ),
        Rule(
            "category_of_other_law",
            W,
            "product_category",
            "Productcategorie hoort bij de andere wet.",
        ),
        Rule(
            "unknown_product_code",
            W,
            "product_code",
            "Productcode staat niet in de landelijke productcodelijst Jeugdwet (JZ21).",
        ),
        Rule(
            "product_code_category_mismatch",
            W,
            "product_code",
            "Productcode hoort volgens de landelijke lijst bij een andere productcategorie.",
        ),
        Rule(
            "age_implausible_for_law",
            W,
            "birth_date",
            "Cliënt is bij de start van Jeugdwet-ondersteuning 23 jaar of ouder.",
        ),
        Rule("birth_after_start", W, "birth_date", "Geboortedatum ligt na de ingangsdatum."),
        Rule(
            "start_date_implausible",
            W,
            "start_date",
            "Ingangsdatum ligt voor 2000 of meer dan twee jaar na de laaddatum.",
        ),
        Rule("invalid_gender", W, "gender", "Geslacht is niet 0, 1 of 2; opgeslagen als onbekend."),
        Rule(
            "invalid_municipality_code",
            W,
            "municipality_code",
            "Gemeentecode is geen code van 4 cijfers; opgeslagen als onbekend.",
        ),
        Rule(
            "invalid_postcode",
            W,
            "postcode",
            "Postcode is geen PC6 of PC4; opgeslagen als onbekend.",
        ),
        Rule(
            "invalid_provider_code",
            W,
            "provider_code",
            "AGB-code is geen code van 8 cijfers; opgeslagen als onbekend.",
        ),
        Rule("invalid_volume", W, "volume", "Omvang is geen getal; opgeslagen als onbekend."),
        Rule("volume_without_unit", W, "unit", "Omvang is gevuld maar eenheid ontbreekt."),
        Rule("unknown_unit", W, "unit", "Eenheid komt niet voor in de iWmo/iJw-codelijst."),
        Rule("unknown_frequency", W, "frequency", "Frequentie is niet 1, 2, 4 of 6."),
        Rule(
            "invalid_delivery_form",
            W,
            "delivery_form",
            "Leveringsvorm is niet ZIN of PGB; opgeslagen als onbekend.",
        ),
        Rule("unknown_referrer", W, "referrer", "Verwijzer komt niet voor in de codelijst."),
        Rule(
            "invalid_request_date",
            W,
            "request_date",
            "Aanvraagdatum is geen geldige datum; opgeslagen als onbekend.",
        ),
        Rule(
            "invalid_decision_date",
            W,
            "decision_date",
            "Besluitdatum is geen geldige datum; opgeslagen als onbekend.",
        ),
        Rule(
            "decision_before_request",
            W,
            "decision_date",
            "Besluitdatum ligt voor de aanvraagdatum.",
        ),
        Rule(
            "unknown_change_reason",
            W,
            "change_reason",
            "Reden wijziging komt niet voor in de codelijst.",
        ),
        Rule(
            "unknown_end_reason",
            W,
            "end_reason",
            "Reden beëindiging komt niet voor in de codelijst.",
        ),
        Rule(
            "client_number_other_bsn",
            W,
            "client_id",
            "Cliëntnummer hoort al bij een ander BSN; de rij telt voor het BSN van de rij, apart van het cliëntnummer.",
        ),
        Rule(
            "bsn_other_client_number",
            W,
            "bsn",
            "BSN hoort al bij een ander cliëntnummer van de bron; de rij telt voor het BSN, apart van dat cliëntnummer.",
        ),
        Rule(
            "end_reason_without_end_date",
            W,
            "end_reason",
            "Reden beëindiging is gevuld maar einddatum ontbreekt.",
        ),
    )
}

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
    """What validation needs besides the rows: the load date, the pseudonym key, defaults."""

    load_date: date
    pseudonym_key: bytes | None = None
    default_municipality: str | None = None
    decimal: str = "."
    date_formats: tuple[
        str, ...
    ] = ()  # declared by a mapping file (ISO is always accepted); empty: ISO or Dutch

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


Part: TypeAlias = str | pa.Array


class _Checker:
    """Collects the issues of one batch: ``flag(code, mask, *message_parts)``."""

    def __init__(self, rows: pa.Array) -> None:
        self.rows = rows
        self.tables: list[pa.Table] = []
        self.error = pa.array([False] * len(rows))
        self.warning = pa.array([False] * len(rows))

    def flag(self, code: str, mask: pa.Array, *parts: Part) -> None:
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
        pieces = [p if isinstance(p, str) else pc.coalesce(pc.take(p, where), "") for p in parts]
        if any(not isinstance(p, str) for p in parts):
            message = pc.binary_join_element_wise(*pieces, "")
        else:
            message = pa.array(["".join(map(str, parts)) or rule.description] * count)
        self.tables.append(
            pa.table(
                {
                    "row": pc.take(self.rows, where),
                    "severity": pa.array([rule.severity.value] * count),
                    "code": pa.array([code] * count),
                    "column": pa.array([rule.column] * count),
                    "message": message,
                },
                schema=ISSUE_SCHEMA,
            )
        )

    def issues(self) -> pa.Table:
        """Every issue, its message with any BSN masked (a value can land in the wrong column)."""
        if not self.tables:
            return ISSUE_SCHEMA.empty_table()
        issues = pa.concat_tables(self.tables)
        return issues.set_column(
            issues.schema.get_field_index("message"), "message", mask_bsns(issues.column("message"))
        )


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


def _whole_years(earlier: pa.Array, later: pa.Array) -> pa.Array:
    """Completed years from ``earlier`` to ``later`` (age on a date)."""
    years = pc.subtract(pc.year(later), pc.year(earlier))
    before_birthday = pc.or_(
        pc.less(pc.month(later), pc.month(earlier)),
        pc.and_(pc.equal(pc.month(later), pc.month(earlier)), pc.less(pc.day(later), pc.day(earlier))),
    )
    return pc.subtract(years, pc.cast(before_birthday, pa.int64()))


def _dates(
    checker: _Checker, column: pa.Array, invalid_code: str, label: str, context: ValidationContext
) -> pa.Array:
    parsed = parse_dates(column, context.date_formats)
    invalid = pc.and_(_present(column), pc.is_null(parsed))
    checker.flag(
        invalid_code,
        invalid,
        f"{label} '",
        column,
        f"' is geen geldige datum (verwacht {context.expected_dates}).",
    )
    return parsed


def validate_batch(canonical: pa.Table, rows: pa.Array, context: ValidationContext) -> ValidatedBatch:
    """Check every rule on a batch of canonical text columns; see the module docstring."""
    col: Callable[[str], pa.Array] = lambda name: canonical.column(name).combine_chunks()  # noqa: E731
    check = _Checker(rows)
    null_text = pa.scalar(None, pa.string())
    load_day = pa.scalar(context.load_date, pa.date32())

    allocation_id = col("allocation_id")
    check.flag("missing_allocation_id", pc.is_null(allocation_id))

    bsn = normalise_bsns(col("bsn"))
    client_id = col("client_id")
    check.flag("missing_client", pc.and_(pc.is_null(bsn), pc.is_null(client_id)))
    bsn_ok = valid_bsns(bsn)
    check.flag(
        "invalid_bsn",
        pc.invert(bsn_ok),
        "BSN voldoet niet aan de elfproef (9 cijfers, gewogen som deelbaar door 11).",
    )

    birth_text = col("birth_date")
    check.flag("missing_birth_date", pc.is_null(birth_text))
    birth = parse_dates(birth_text, context.date_formats)
    check.flag(
        "invalid_birth_date",
        pc.and_(_present(birth_text), pc.is_null(birth)),
        f"Geboortedatum is geen geldige datum (verwacht {context.expected_dates}).",
    )
    check.flag(
        "birth_date_out_of_range",
        pc.or_(pc.less(birth, pa.scalar(EARLIEST_BIRTH_DATE, pa.date32())), pc.greater(birth, load_day)),
        f"Geboortedatum ligt voor 01-01-1900 of na de laaddatum {context.load_date:%d-%m-%Y}.",
    )

    law_text = col("law")
    law = _recode(law_text, {k: v.value for k, v in LAW_SPELLINGS.items()})
    check.flag("missing_law", pc.is_null(law_text))
    check.flag(
        "invalid_law",
        pc.and_(_present(law_text), pc.is_null(law)),
        "Wet '",
        law_text,
        "' is onbekend; verwacht WMO of JW (ook: Wmo, Jeugdwet).",
    )

    category = _pad_digits(col("product_category"), 2)
    check.flag("missing_product_category", pc.is_null(category))

    start_text, end_text = col("start_date"), col("end_date")
    check.flag("missing_start_date", pc.is_null(start_text))
    start = _dates(check, start_text, "invalid_start_date", "Ingangsdatum", context)
    end = _dates(check, end_text, "invalid_end_date", "Einddatum", context)
    check.flag(
        "end_before_start",
        pc.less(end, start),
        "Einddatum ",
        end_text,
        " ligt voor de ingangsdatum ",
        start_text,
        ".",
    )

    # Warnings: the row loads.
    wmo_categories = list(law_codes(Law.WMO, "LDT_ProductCategorie"))
    jw_categories = list(law_codes(Law.JW, "LDT_ProductCategorie"))
    is_wmo, is_jw = pc.equal(law, Law.WMO.value), pc.equal(law, Law.JW.value)
    own = pc.or_(pc.and_(is_wmo, _in(category, wmo_categories)), pc.and_(is_jw, _in(category, jw_categories)))
    other = pc.or_(
        pc.and_(is_wmo, _in(category, jw_categories)), pc.and_(is_jw, _in(category, wmo_categories))
    )
    check.flag(
        "category_of_other_law",
        other,
        "Productcategorie ",
        category,
        " hoort niet bij de wet ",
        law,
        ".",
    )
    check.flag(
        "unknown_product_category",
        pc.and_(pc.and_(_present(category), _present(law)), pc.invert(pc.or_(own, other))),
        "Productcategorie '",
        category,
        "' staat niet in de codelijst van ",
        law,
        ".",
    )

    product_code = pc.utf8_upper(col("product_code"))
    national = jeugd_product_codes()
    known_codes = [c for c, p in national.items() if p["category"] not in ("-", "")]
    national_category = pc.take(
        pa.array([national[c]["category"] for c in known_codes]),
        pc.index_in(product_code, value_set=pa.array(known_codes)),
    )
    jw_code = pc.and_(is_jw, _present(product_code))
    check.flag(
        "unknown_product_code",
        pc.and_(jw_code, pc.is_null(national_category)),
        "Productcode '",
        product_code,
        "' staat niet in de landelijke productcodelijst Jeugdwet.",
    )
    check.flag(
        "product_code_category_mismatch",
        pc.and_(jw_code, pc.not_equal(national_category, category)),
        "Productcode ",
        product_code,
        " hoort bij categorie ",
        national_category,
        ", niet bij ",
        category,
        ".",
    )

    age_at_start = _whole_years(birth, start)
    check.flag(
        "age_implausible_for_law",
        pc.and_(is_jw, pc.greater_equal(age_at_start, JEUGDWET_MAX_AGE)),
        "Cliënt is bij de start van Jeugdwet-ondersteuning ",
        pc.cast(age_at_start, pa.string()),
        " jaar; dat is ongebruikelijk (verlengde jeugdhulp loopt tot 23).",
    )
    check.flag("birth_after_start", pc.greater(birth, start))
    check.flag(
        "start_date_implausible",
        pc.or_(
            pc.less(start, pa.scalar(date(2000, 1, 1), pa.date32())),
            pc.greater(start, pa.scalar(context.load_date + timedelta(days=731), pa.date32())),
        ),
        "Ingangsdatum ",
        start_text,
        " ligt voor 2000 of meer dan twee jaar na de laaddatum.",
    )

    gender_text = col("gender")
    gender = _recode(gender_text, GENDER_SPELLINGS)
    check.flag(
        "invalid_gender",
        pc.and_(_present(gender_text), pc.is_null(gender)),
        "Geslacht '",
        gender_text,
        "' is niet 0 (onbekend), 1 (man) of 2 (vrouw); opgeslagen als onbekend.",
    )

    municipality_text = _pad_digits(col("municipality_code"), 4)
    municipality_ok = pc.match_substring_regex(municipality_text, r"^[0-9]{4}$")
    check.flag(
        "invalid_municipality_code",
        pc.invert(municipality_ok),
        "Gemeentecode '",
        municipality_text,
        "' is geen CBS-code van 4 cijfers; opgeslagen als onbekend.",
    )
    municipality = pc.if_else(pc.fill_null(municipality_ok, False), municipality_text, null_text)
    if context.default_municipality is not None:
        municipality = pc.if_else(pc.is_null(municipality_text), context.default_municipality, municipality)

    postcode_text = col("postcode")
    postcode = pc.replace_substring(pc.utf8_upper(postcode_text), " ", "")
    postcode_ok = pc.match_substring_regex(postcode, r"^[1-9][0-9]{3}([A-Z]{2})?$")
    check.flag(
        "invalid_postcode",
        pc.invert(postcode_ok),
        "Postcode '",
        postcode_text,
        "' is geen geldige postcode (1234AB of 1234); opgeslagen als onbekend.",
    )
    pc4 = pc.if_else(pc.fill_null(postcode_ok, False), pc.utf8_slice_codeunits(postcode, 0, 4), null_text)

    provider_text = _pad_digits(col("provider_code"), 8)
    provider_ok = pc.match_substring_regex(provider_text, r"^[0-9]{8}$")
    check.flag(
        "invalid_provider_code",
        pc.invert(provider_ok),
        "AGB-code '",
        provider_text,
        "' is geen code van 8 cijfers; opgeslagen als onbekend.",
    )
    provider_code = pc.if_else(pc.fill_null(provider_ok, False), provider_text, null_text)

    volume_text = col("volume")
    if context.decimal == ",":
        volume_text = pc.replace_substring(pc.replace_substring(volume_text, ".", ""), ",", ".")
    volume_ok = pc.match_substring_regex(volume_text, r"^[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$")
    check.flag(
        "invalid_volume",
        pc.invert(volume_ok),
        "Omvang '",
        col("volume"),
        "' is geen getal; opgeslagen als onbekend.",
    )
    volume = pc.cast(pc.if_else(pc.fill_null(volume_ok, False), volume_text, null_text), pa.float64())

    unit = _pad_digits(col("unit"), 2)
    check.flag(
        "volume_without_unit",
        pc.and_(_present(volume_text), pc.is_null(unit)),
        "Omvang ",
        col("volume"),
        " heeft geen eenheid; de omvang is niet te interpreteren.",
    )
    check.flag(
        "unknown_unit",
        _unknown(unit, list(law_codes(Law.WMO, "LDT_Eenheid"))),
        "Eenheid '",
        unit,
        "' staat niet in de codelijst (01, 04, 14, 16, 82, 83, 84).",
    )
    frequency = col("frequency")
    check.flag(
        "unknown_frequency",
        _unknown(frequency, list(law_codes(Law.WMO, "LDT_Frequentie"))),
        "Frequentie '",
        frequency,
        "' is niet 1 (dag), 2 (week), 4 (maand) of 6 (totaal).",
    )

    delivery_text = col("delivery_form")
    delivery = _recode(delivery_text, DELIVERY_SPELLINGS)
    check.flag(
        "invalid_delivery_form",
        pc.and_(_present(delivery_text), pc.is_null(delivery)),
        "Leveringsvorm '",
        delivery_text,
        "' is niet ZIN of PGB; opgeslagen als onbekend.",
    )
    delivery = pc.if_else(pc.is_null(delivery_text), "ZIN", delivery)

    referrer = _pad_digits(col("referrer"), 2)
    check.flag(
        "unknown_referrer",
        _unknown(referrer, list(law_codes(Law.WMO, "LDT_TypeVerwijzer"))),
        "Verwijzer '",
        referrer,
        "' staat niet in de codelijst (01-06, 08).",
    )

    request = _dates(check, col("request_date"), "invalid_request_date", "Aanvraagdatum", context)
    decision = _dates(check, col("decision_date"), "invalid_decision_date", "Besluitdatum", context)
    check.flag(
        "decision_before_request",
        pc.less(decision, request),
        "Besluitdatum ",
        col("decision_date"),
        " ligt voor de aanvraagdatum ",
        col("request_date"),
        ".",
    )

    change_reason = _pad_digits(col("change_reason"), 2)
    check.flag(
        "unknown_change_reason",
        _unknown(change_reason, list(law_codes(Law.WMO, "LDT_RedenWijziging"))),
        "Reden wijziging '",
        change_reason,
        "' staat niet in de codelijst.",
    )
    end_reason = _pad_digits(col("end_reason"), 2)
    known_end = pc.or_(
        pc.and_(is_wmo, _in(end_reason, list(law_codes(Law.WMO, "LDT_RedenBeeindiging")))),
        pc.and_(is_jw, _in(end_reason, list(law_codes(Law.JW, "LDT_RedenBeeindiging")))),
    )
    check.flag(
        "unknown_end_reason",
        pc.and_(_present(end_reason), pc.invert(known_end)),
        "Reden beëindiging '",
        end_reason,
        "' staat niet in de codelijst van ",
        law,
        ".",
    )
    check.flag(
        "end_reason_without_end_date",
        pc.and_(_present(end_reason), pc.is_null(end_text)),
        "Reden beëindiging ",
        end_reason,
        " is gevuld, maar de einddatum ontbreekt.",
    )

    keep = pc.invert(check.error)
    bsn_kept = pc.filter(bsn, keep)
    key_from_bsn = (
        pseudonymise_all(bsn_kept, context.pseudonym_key)
        if context.pseudonym_key is not None and pc.any(_present(bsn_kept)).as_py()
        else pa.nulls(len(bsn_kept), pa.string())
    )

    def kept(array: pa.Array) -> pa.Array:
        return pc.filter(array, keep)

    def text(array: pa.Array) -> pa.Array:
        """A stored text column of the kept rows, any BSN in it masked."""
        return mask_bsns(kept(array))

    # A client or allocation number that passes the 11-check is a BSN: stored only as its pseudonym.
    client_number, client_count = pseudonymise_identifiers(kept(client_id), context.pseudonym_key)
    # A client number that is a BSN as a whole is that person's BSN: linked through the pseudonym, in every
    # source, not as a client number of this source (docs/loading.md, "Eén cliënt, één sleutel").
    client_is_bsn = is_whole_bsn(kept(client_id))
    allocation_number, allocation_count = pseudonymise_identifiers(kept(allocation_id), context.pseudonym_key)

    records = pa.table(
        {
            "source_row": kept(rows),
            "allocation_id": allocation_number,
            "pseudonym": pc.coalesce(
                key_from_bsn, pc.if_else(client_is_bsn, client_number, pa.scalar(None, pa.string()))
            ),
            "client_number": pc.if_else(client_is_bsn, pa.scalar(None, pa.string()), client_number),
            "birth_date": kept(birth),
            "gender": kept(gender),
            "municipality_code": kept(municipality),
            "pc4": kept(pc4),
            "law": kept(law),
            "product_category": text(category),
            "product_code": text(product_code),
            # 8 digits or null: an AGB code that happens to pass the 11-check as an 8-digit BSN stays an AGB code
            "provider_code": kept(provider_code),
            "provider_name": text(col("provider_name")),
            "start_date": kept(start),
            "end_date": kept(end),
            "volume": kept(volume),
            "unit": text(unit),
            "frequency": text(frequency),
            "delivery_form": kept(delivery),
            "referrer": text(referrer),
            "request_date": kept(request),
            "decision_date": kept(decision),
            "change_reason": text(change_reason),
            "end_reason": text(end_reason),
            "is_deleted": pc.fill_null(kept(pc.equal(change_reason, DELETED_CHANGE_REASON)), False),
            "has_warning": kept(check.warning),
        },
        schema=RECORD_SCHEMA,
    )
    rejected = len(rows) - records.num_rows
    warned = pc.sum(pc.cast(pc.and_(check.warning, keep), pa.int64())).as_py() or 0
    return ValidatedBatch(records, check.issues(), rejected, warned, client_count + allocation_count)


def columns_needing_key(canonical: pa.Table) -> tuple[str, ...]:
    """The canonical columns of a batch that hold BSNs, so that loading it needs the pseudonym key.

    The BSN column when it has any value; the client and allocation number when a cell holds a number that
    passes the 11-check (such a number is treated as a BSN: see ``pseudonymise_identifiers``).
    """
    needed = []
    if canonical.column("bsn").null_count < canonical.num_rows:
        needed.append("bsn")
    for name in ("client_id", "allocation_id"):
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
                _line_message(code, e, a) for code, e, a in zip(codes, expected, actual, strict=True)
            ],
        },
        schema=ISSUE_SCHEMA,
    )


def _line_message(code: str, expected: int, actual: int) -> str:
    if code == "unclosed_quote":
        return (
            'Een veld op deze regel begint met een aanhalingsteken (") dat op dezelfde regel niet wordt '
            "gesloten; een veld tussen aanhalingstekens mag geen regeleinde bevatten. Alleen deze regel is "
            "overgeslagen: verwijder het aanhalingsteken of sluit het."
        )
    if code == "cell_too_long":
        return (
            "Een cel van deze rij is langer dan 32.767 tekens, de grens van Excel zelf; alleen het begin is "
            "herhaald. Alleen deze rij is overgeslagen."
        )
    if code == "line_too_long":
        return (
            "De regel is langer dan 1 MiB (een toewijzing past in minder dan 1 KiB); alleen het begin is "
            "herhaald. Alleen deze regel is overgeslagen."
        )
    return f"Regel heeft {actual} velden, de kopregel {expected}; controleer scheidingstekens en aanhalingstekens."
