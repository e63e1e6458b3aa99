"""Validation of requests, deliveries and norms (issue 13; docs/design/access.md §1; docs/loading.md).

Requests (meldingen, aanvragen) and deliveries (the actual start and end of care) are checked like allocations,
column at a time and never raising on bad data (``validate_requests``, ``validate_deliveries``): the rows that
load, typed, and one issue per broken rule per row (``domain/rules.py`` ``RULES``). Checks against the
allocations a delivery names run after the rows are staged (``warehouse/access.py``).

Norms are a small table that loads all or nothing, like the tariffs (``check_norms``, rules ``NORM_RULES``).
Example: ``check_norms({"law": ["JW"], "product_category": ["54"], "provider_code": [None],
"applies_to": ["waiting"], "days": ["70"]}, [2])`` gives one ``NormRow`` (JW, '54', '', waiting, 70) and no
issues.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import pyarrow as pa
import pyarrow.compute as pc

from sdmonitor.domain.allocations import Law
from sdmonitor.domain.codes import law_codes
from sdmonitor.domain.rules import NORM_RULES, Issue
from sdmonitor.ingest.finance import Checked, Layout, _cell, _fold, _in_row_order
from sdmonitor.ingest.validate import (
    Cells,
    ValidatedBatch,
    ValidationContext,
    _Checker,
    _date,
    _dates,
    _in,
    _in_law_list,
    _pad_digits,
    _present,
    _recode,
    client_identifiers,
    optional_birth_dates,
)
from sdmonitor.ingest.vectorised import mask_bsns, normalise_bsns, pseudonymise_identifiers, valid_bsns

LAWS = ("WMO", "JW", "PW")
REQUEST_LAW_SPELLINGS = {
    "wmo": "WMO", "wmo2015": "WMO", "iwmo": "WMO", "wetmaatschappelijkeondersteuning": "WMO",
    "wetmaatschappelijkeondersteuning2015": "WMO", "jw": "JW", "jeugdwet": "JW", "jeugd": "JW", "ijw": "JW",
    "pw": "PW", "participatiewet": "PW", "p-wet": "PW", "pwet": "PW",
}  # fmt: skip
KIND_SPELLINGS = {"melding": "melding", "hulpvraag": "melding", "aanvraag": "aanvraag"}
OUTCOME_SPELLINGS = {
    "toegekend": "toegekend",
    "deels": "deels",
    "gedeeltelijktoegekend": "deels",
    "deelstoegekend": "deels",
    "afgewezen": "afgewezen",
    "ingetrokken": "ingetrokken",
    "buiten_behandeling": "buiten_behandeling",
    "buitenbehandeling": "buiten_behandeling",
    "buitenbehandelinggesteld": "buiten_behandeling",
}
UNKNOWN_TEAM = "onbekend"  # the team of a request whose file names none
EARLIEST_RECEIVED = date(2000, 1, 1)  # an earlier receipt date is warned (a typo, or a very old case)
APPLIES_TO = ("waiting", "melding", "aanvraag")
LEGAL_TERMS = ("melding", "aanvraag")
# Identifier columns that may hold a BSN (then stored as its pseudonym).
REQUEST_IDENTIFIERS = ("client_id", "request_id")
DELIVERY_IDENTIFIERS = ("allocation_id",)

REQUEST_RECORD_SCHEMA = pa.schema(
    [
        ("source_row", pa.int64()),
        ("request_id", pa.string()),
        ("pseudonym", pa.string()),
        ("client_number", pa.string()),
        ("law", pa.string()),
        ("kind", pa.string()),
        ("received_on", pa.date32()),
        ("decided_on", pa.date32()),
        ("outcome", pa.string()),
        ("team", pa.string()),
        ("suspended_days", pa.int32()),
        ("extended_days", pa.int32()),
        ("product_category", pa.string()),
        ("plan_on", pa.date32()),
        ("birth_date", pa.date32()),
        ("has_warning", pa.bool_()),
    ]
)
DELIVERY_RECORD_SCHEMA = pa.schema(
    [
        ("source_row", pa.int64()),
        ("allocation_id", pa.string()),
        ("start_date", pa.date32()),
        ("end_date", pa.date32()),
        ("end_reason", pa.string()),
        ("reported_on", pa.date32()),
        ("has_warning", pa.bool_()),
    ]
)


def _cells(canonical: pa.Table) -> Cells:
    return {name: canonical.column(name).combine_chunks() for name in canonical.column_names}


def _whole_days(check: _Checker, text: pa.Array, invalid_code: str) -> pa.Array:
    """A count of days: empty is 0; anything but a whole number of 0 or more breaks ``invalid_code``."""
    trimmed = pc.utf8_trim_whitespace(text)
    ok = pc.fill_null(pc.match_substring_regex(trimmed, r"^[0-9]{1,5}$"), False)
    check.flag(invalid_code, pc.and_(_present(text), pc.invert(ok)), value=text)
    number = pc.cast(pc.if_else(ok, trimmed, pa.scalar(None, pa.string())), pa.int32())
    return pc.fill_null(number, pa.scalar(0, pa.int32()))


def _days_between(earlier: pa.Array, later: pa.Array) -> pa.Array:
    return pc.days_between(earlier, later)


# --- requests ------------------------------------------------------------------------------------------------


def _check_request_kind(check: _Checker, cells: Cells) -> Cells:
    """The law (WMO, JW or PW) and the kind (melding or aanvraag)."""
    law_text = cells["law"]
    law = _recode(law_text, REQUEST_LAW_SPELLINGS)
    check.flag("missing_law", pc.is_null(law_text))
    check.flag("invalid_request_law", pc.and_(_present(law_text), pc.is_null(law)), value=law_text)
    kind_text = cells["kind"]
    kind = _recode(kind_text, KIND_SPELLINGS)
    check.flag("missing_kind", pc.is_null(kind_text))
    check.flag("invalid_kind", pc.and_(_present(kind_text), pc.is_null(kind)), value=kind_text)
    return {"law": law, "kind": kind}


def _check_request_dates(
    check: _Checker, cells: Cells, context: ValidationContext, extraction: date
) -> Cells:
    """Receipt (required, not after the extraction) and decision (not before receipt; after the extraction it
    is unknown until then)."""
    shown = f"{extraction:%d-%m-%Y}"
    received_text = cells["received_on"]
    check.flag("missing_received_on", pc.is_null(received_text))
    received = _dates(check, received_text, "invalid_received_on", context)
    check.flag(
        "received_after_extraction",
        pc.greater(received, _date(extraction)),
        value=received_text,
        extraction=shown,
    )
    check.flag("received_implausible", pc.less(received, _date(EARLIEST_RECEIVED)), value=received_text)
    decided_text = cells["decided_on"]
    decided = _dates(check, decided_text, "invalid_decided_on", context)
    check.flag(
        "decided_before_received",
        pc.less(decided, received),
        decided=decided_text,
        received=received_text,
    )
    check.flag(
        "decided_after_extraction",
        pc.greater(decided, _date(extraction)),
        value=decided_text,
        extraction=shown,
    )
    return {"received_on": received, "decided_on": decided}


def _check_outcome(check: _Checker, cells: Cells, clean: Cells) -> Cells:
    """The outcome in any common spelling; filled without a decision, or a decided aanvraag without one."""
    text = cells["outcome"]
    outcome = _recode(pc.replace_substring(text, "-", ""), OUTCOME_SPELLINGS)
    check.flag("invalid_outcome", pc.and_(_present(text), pc.is_null(outcome)), value=text)
    check.flag("outcome_without_decision", pc.and_(_present(text), pc.is_null(clean["decided_on"])))
    check.flag(
        "decision_without_outcome",
        pc.and_(
            pc.and_(pc.is_valid(clean["decided_on"]), pc.is_null(text)), pc.equal(clean["kind"], "aanvraag")
        ),
    )
    return {"outcome": outcome}


def _check_term_days(check: _Checker, cells: Cells, clean: Cells, extraction: date) -> Cells:
    """Days suspended (Awb 4:15) and extended (Awb 4:14): whole numbers of 0 or more (default 0)."""
    suspended = _whole_days(check, cells["suspended_days"], "invalid_suspended_days")
    extended = _whole_days(check, cells["extended_days"], "invalid_extended_days")
    until = pc.coalesce(clean["decided_on"], _date(extraction))
    ran = _days_between(clean["received_on"], until)
    check.flag(
        "suspension_exceeds_duration",
        pc.greater(pc.cast(suspended, pa.int64()), ran),
        value=pc.cast(suspended, pa.string()),
        days=pc.cast(ran, pa.string()),
    )
    return {"suspended_days": suspended, "extended_days": extended}


def _check_request_extras(
    check: _Checker, cells: Cells, clean: Cells, context: ValidationContext, extraction: date
) -> Cells:
    """Team, product category (against the law's list; none for PW), support plan date and birth date."""
    team = pc.utf8_trim_whitespace(cells["team"])
    team = pc.if_else(pc.fill_null(pc.equal(team, ""), True), UNKNOWN_TEAM, team)
    category = _pad_digits(cells["product_category"], 2)
    law = clean["law"]
    listed = pc.or_(pc.equal(law, "PW"), _in_law_list(category, law, "LDT_ProductCategorie"))
    check.flag(
        "unknown_product_category",
        pc.and_(pc.and_(_present(category), pc.is_valid(law)), pc.invert(pc.fill_null(listed, False))),
        category=category,
        law=law,
    )
    plan = _dates(check, cells["plan_on"], "invalid_plan_on", context)
    check.flag(
        "plan_after_extraction",
        pc.greater(plan, _date(extraction)),
        value=cells["plan_on"],
        extraction=f"{extraction:%d-%m-%Y}",
    )
    birth = optional_birth_dates(
        check, cells["birth_date"], ("invalid_request_birth_date", "request_birth_date_out_of_range"), context
    )
    return {"team": team, "product_category": category, "plan_on": plan, "birth_date": birth}


# Stored columns kept as the file's text: any BSN in them is masked.
_REQUEST_FREE_TEXT = frozenset(["team", "product_category"])


def validate_requests(
    canonical: pa.Table, rows: pa.Array, context: ValidationContext, *, extraction: date
) -> ValidatedBatch:
    """Check every rule on a batch of canonical request columns (``REQUEST_RECORD_SCHEMA`` records).

    ``extraction`` is the load's extraction day: a later receipt is rejected, a later decision is a warning.
    """
    cells = _cells(canonical)
    cells["bsn"] = normalise_bsns(cells["bsn"])
    check = _Checker(rows)
    check.flag("missing_request_id", pc.is_null(cells["request_id"]))
    check.flag("missing_client", pc.and_(pc.is_null(cells["bsn"]), pc.is_null(cells["client_id"])))
    check.flag("invalid_bsn", pc.invert(valid_bsns(cells["bsn"])))
    clean = _check_request_kind(check, cells)
    clean |= _check_request_dates(check, cells, context, extraction)
    clean |= _check_outcome(check, cells, clean)
    clean |= _check_term_days(check, cells, clean, extraction)
    clean |= _check_request_extras(check, cells, clean, context, extraction)
    kept = check.kept
    pseudonym, client_number, client_count = client_identifiers(
        kept(cells["bsn"]), kept(cells["client_id"]), context.pseudonym_key
    )
    request_number, request_count = pseudonymise_identifiers(kept(cells["request_id"]), context.pseudonym_key)
    columns = {
        "source_row": kept(rows),
        "request_id": request_number,
        "pseudonym": pseudonym,
        "client_number": client_number,
        **{name: mask_bsns(kept(v)) if name in _REQUEST_FREE_TEXT else kept(v) for name, v in clean.items()},
        "has_warning": kept(check.warning),
    }
    records = pa.table(
        {name: columns[name] for name in REQUEST_RECORD_SCHEMA.names}, schema=REQUEST_RECORD_SCHEMA
    )
    return check.outcome(records, client_count + request_count)


# --- deliveries ----------------------------------------------------------------------------------------------


def end_reasons(law: Law) -> tuple[str, ...]:
    """The codes of reden beëindiging in the standard of ``law`` (31 means something else in each)."""
    return tuple(law_codes(law, "LDT_RedenBeeindiging"))


def validate_deliveries(
    canonical: pa.Table, rows: pa.Array, context: ValidationContext, *, extraction: date
) -> ValidatedBatch:
    """Check every rule on a batch of canonical delivery columns (``DELIVERY_RECORD_SCHEMA`` records).

    An end reason in neither the iWmo nor the iJw list is warned here; one in the list of the other law than
    its allocation's after the rows are staged (``warehouse/access.py``).
    """
    cells = _cells(canonical)
    check = _Checker(rows)
    check.flag("missing_allocation_id", pc.is_null(cells["allocation_id"]))
    start_text, end_text = cells["start_date"], cells["end_date"]
    check.flag("missing_delivery_start", pc.is_null(start_text))
    start = _dates(check, start_text, "invalid_delivery_start", context)
    end = _dates(check, end_text, "invalid_delivery_end", context)
    check.flag("delivery_end_before_start", pc.less(end, start), end=end_text, start=start_text)
    check.flag(
        "start_after_extraction",
        pc.greater(start, _date(extraction)),
        value=start_text,
        extraction=f"{extraction:%d-%m-%Y}",
    )
    reason = _pad_digits(pc.utf8_trim_whitespace(cells["end_reason"]), 2)
    either = sorted({*end_reasons(Law.WMO), *end_reasons(Law.JW)})
    check.flag(
        "unknown_end_reason",
        pc.and_(_present(reason), pc.invert(_in(reason, either))),
        value=reason,
        law="iWmo en iJw",
    )
    check.flag("end_reason_without_end_date", pc.and_(_present(reason), pc.is_null(end_text)), value=reason)
    reported = _dates(check, cells["reported_on"], "invalid_reported_on", context)
    check.flag(
        "reported_before_start", pc.less(reported, start), value=cells["reported_on"], start=start_text
    )
    kept = check.kept
    allocation_number, count = pseudonymise_identifiers(kept(cells["allocation_id"]), context.pseudonym_key)
    records = pa.table(
        {
            "source_row": kept(rows),
            "allocation_id": allocation_number,
            "start_date": kept(start),
            "end_date": kept(end),
            "end_reason": mask_bsns(kept(reason)),
            "reported_on": kept(reported),
            "has_warning": kept(check.warning),
        },
        schema=DELIVERY_RECORD_SCHEMA,
    )
    return check.outcome(records, count)


# --- norms ---------------------------------------------------------------------------------------------------

NORMS = Layout(
    "norms",
    "normen",
    {
        "law": ("law", "wet"),
        "product_category": ("product_category", "productcategorie"),
        "provider_code": ("provider_code", "aanbieder", "agb-code", "agb code", "agb"),
        "applies_to": ("applies_to", "geldt_voor", "geldt voor", "soort"),
        "days": ("days", "dagen", "norm (dagen)"),
    },
    ("law", "product_category", "provider_code", "applies_to", "days"),
)


@dataclass(frozen=True)
class NormRow:
    """A norm of ``days`` for ``law`` and ``applies_to`` ('waiting', 'melding', 'aanvraag');
    ``product_category`` and ``provider_code`` '' mean all."""

    row: int
    law: str
    product_category: str
    provider_code: str
    applies_to: str
    days: int

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.law, self.product_category, self.provider_code, self.applies_to)

    @property
    def content(self) -> tuple[object, ...]:
        return (*self.key, self.days)


def _norm_issue(code: str, row: int, **values: object) -> Issue:
    rule = NORM_RULES[code]
    return Issue(code, rule.text(**values), row, rule.column, rule.severity)


def check_norms(cells: Mapping[str, Sequence[str | None]], rows: Sequence[int]) -> Checked[NormRow]:
    """Every norm row parsed and checked (design §1.4); any error refuses the whole file."""
    parsed: list[NormRow] = []
    issues: list[Issue] = []
    for index, row in enumerate(rows):
        found: list[Issue] = []
        law_text = _cell(cells, "law", index)
        law = None if law_text is None else REQUEST_LAW_SPELLINGS.get(law_text.lower().replace(" ", ""))
        if law is None:
            found.append(_norm_issue("invalid_norm_law", row, value=law_text or ""))
        applies_text = _cell(cells, "applies_to", index)
        applies = None if applies_text is None else applies_text.lower()
        if applies not in APPLIES_TO:
            found.append(_norm_issue("invalid_applies_to", row, value=applies_text or ""))
        days_text = _cell(cells, "days", index)
        days = int(days_text) if days_text is not None and days_text.isdigit() else None
        if days is None or days > 3650:
            found.append(_norm_issue("invalid_days", row, value=days_text or ""))
        provider = _cell(cells, "provider_code", index) or ""
        if provider and not (len(provider) == 8 and provider.isdigit()):
            found.append(_norm_issue("invalid_norm_provider", row, value=provider))
        if provider and applies in LEGAL_TERMS:
            found.append(_norm_issue("provider_on_legal_term", row))
        if law == "PW" and applies == "waiting":
            found.append(_norm_issue("waiting_norm_for_pw", row))
        category_text = _cell(cells, "product_category", index) or ""
        category = category_text.zfill(2) if category_text.isdigit() else category_text
        issues.extend(found)
        if not found:
            assert law is not None and applies is not None and days is not None
            parsed.append(NormRow(row, law, category, provider, applies, days))
    kept, conflicts, folded = _fold(
        parsed,
        lambda n: n.key,
        lambda n: n.content,
        lambda n: n.row,
        lambda n, others: _norm_issue("duplicate_norm", n.row, other_rows=others),
    )
    issues.extend(conflicts)
    return Checked(tuple(kept), _in_row_order(issues), folded)


def norms_batch(rows: Sequence[NormRow]) -> pa.Table:
    """The checked norms as an Arrow table with the warehouse's column types (loaded norms: not shipped)."""
    return pa.table(
        {
            "law": pa.array([r.law for r in rows], pa.string()),
            "product_category": pa.array([r.product_category for r in rows], pa.string()),
            "provider_code": pa.array([r.provider_code for r in rows], pa.string()),
            "applies_to": pa.array([r.applies_to for r in rows], pa.string()),
            "shipped": pa.array([False] * len(rows), pa.bool_()),
            "days": pa.array([r.days for r in rows], pa.int32()),
            "basis": pa.array([None] * len(rows), pa.string()),
            "source_row": pa.array([r.row for r in rows], pa.int64()),
        }
    )
