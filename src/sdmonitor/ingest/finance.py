"""Tariffs, budgets and index series: their layouts, and every row checked against the rules of
``domain/rules.py`` ``FINANCE_RULES`` (docs/design/money.md §1.3-1.5, docs/loading.md).

Pure: the cells come in as text (one dict of columns per file, as a reader gives them), the rows go out
parsed, with the issues of every row. Checks against what the warehouse already holds (a tariff that
overlaps a stored one, a budget line that overlaps a stored line) take those rows as arguments.

Example: ``check_tariffs({"product_code": ["45A01"], "provider_code": [None], "unit": ["4"],
"tariff": ["62,50"], "valid_from": ["01-01-2024"], "valid_to": [None]}, [2], decimal=",")`` gives one
``TariffRow`` (unit '04', tariff 62.5) and no issues.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Generic, TypeVar

from sdmonitor.domain.allocations import Law
from sdmonitor.domain.clients import mask_bsns_in_text
from sdmonitor.domain.codes import law_codes
from sdmonitor.domain.dates import parse_date
from sdmonitor.domain.rules import FINANCE_RULES, Issue
from sdmonitor.ingest.columns import normalise_header
from sdmonitor.ingest.validate import LAW_SPELLINGS

Cells = Mapping[str, Sequence[str | None]]
R = TypeVar("R")
# the units a tariff can be per (LDT_Eenheid without 83: the tariff of a euro is 1)
TARIFF_UNITS = ("01", "04", "14", "16", "82", "84")
STATUSES = ("voorlopig", "definitief")
PROVIDER_PATTERN = re.compile(r"[0-9]{8}")


@dataclass(frozen=True)
class Layout:
    """The columns of one table: canonical name -> accepted headers (the first is canonical, the second the
    Dutch one we write); ``required`` must be present as columns."""

    kind: str  # the load kind: 'tariffs', 'budgets', 'index'
    label: str  # Dutch, plural: 'tarieven'
    columns: dict[str, tuple[str, ...]]
    required: tuple[str, ...]

    def column_of(self, headers: Iterable[str]) -> dict[str, str]:
        """Canonical column -> the header of the file that feeds it (absent columns are left out)."""
        by_header = {normalise_header(h): h for h in headers}
        found: dict[str, str] = {}
        for column, accepted in self.columns.items():
            header = next((by_header[a] for a in accepted if a in by_header), None)
            if header is not None:
                found[column] = header
        return found

    def is_dutch(self, headers: Iterable[str]) -> bool:
        """Whether the file uses the Dutch headers (then numbers have a decimal comma)."""
        canonical = set(self.columns)
        return any(normalise_header(h) not in canonical for h in self.column_of(headers).values())

    def expected(self) -> str:
        """The required columns for a message: 'product_code (of productcode), ...'."""
        return ", ".join(f"{c} (of {self.columns[c][1]})" for c in self.required)


TARIFFS = Layout(
    "tariffs",
    "tarieven",
    {
        "product_code": ("product_code", "productcode", "product"),
        "provider_code": ("provider_code", "aanbieder", "agb-code", "agb code", "agb", "agb_code"),
        "unit": ("unit", "eenheid"),
        "tariff": ("tariff", "tarief", "tarief (euro)", "prijs"),
        "valid_from": ("valid_from", "geldig_vanaf", "geldig vanaf", "ingangsdatum", "begindatum"),
        "valid_to": ("valid_to", "geldig_tot", "geldig tot", "einddatum"),
    },
    ("product_code", "unit", "tariff", "valid_from"),
)
BUDGETS = Layout(
    "budgets",
    "begrotingsregels",
    {
        "year": ("year", "jaar"),
        "budget_line": ("budget_line", "begrotingsregel", "budgetregel", "regel"),
        "amount": ("amount", "bedrag", "budget", "begroot"),
        "law": ("law", "wet"),
        "product_categories": (
            "product_categories", "productcategorieen", "productcategorieën", "productcategorie",
        ),
        "provider_code": ("provider_code", "aanbieder", "agb-code", "agb code", "agb", "agb_code"),
        "version_date": ("version_date", "versiedatum", "besluitdatum"),
        "budgeted_clients": ("budgeted_clients", "begrote_clienten", "begrote cliënten", "begrote clienten"),
        "budgeted_index": ("budgeted_index", "begrote_index", "begrote index", "begroot indexcijfer"),
    },
    ("year", "budget_line", "amount", "law"),
)  # fmt: skip
INDEX = Layout(
    "index",
    "indexcijfers",
    {
        "series": ("series", "reeks"),
        "year": ("year", "jaar"),
        "percentage": ("percentage", "indexcijfer", "index"),
        "status": ("status",),
        "source_note": ("source_note", "bron", "source"),
    },
    ("series", "year", "percentage", "status"),
)
LAYOUTS = {layout.kind: layout for layout in (TARIFFS, BUDGETS, INDEX)}


@dataclass(frozen=True)
class TariffRow:
    """A tariff in euros per ``unit`` from ``valid_from`` to ``valid_to`` (inclusive; None = open).
    ``provider_code`` '' is every provider."""

    row: int
    product_code: str
    provider_code: str
    unit: str
    tariff: float
    valid_from: date
    valid_to: date | None

    @property
    def key(self) -> tuple[str, str, str, date]:
        return (self.product_code, self.provider_code, self.unit, self.valid_from)

    @property
    def content(self) -> tuple[object, ...]:
        return (*self.key, self.tariff, self.valid_to)


@dataclass(frozen=True)
class BudgetRow:
    """One version of a budget line. ``product_categories`` empty = every category of the law;
    ``provider_code`` '' = a line of the partition, else the provider's spending room; ``version_date`` None =
    the extraction day of the load (filled in by the loader)."""

    row: int
    year: int
    budget_line: str
    amount: Decimal
    law: str
    product_categories: tuple[str, ...]
    provider_code: str
    version_date: date | None
    budgeted_clients: int | None
    budgeted_index: float | None

    @property
    def key(self) -> tuple[int, str, date | None]:
        return (self.year, self.budget_line, self.version_date)

    @property
    def content(self) -> tuple[object, ...]:
        return (*self.key, self.amount, self.law, self.product_categories, self.provider_code,
                self.budgeted_clients, self.budgeted_index)  # fmt: skip


@dataclass(frozen=True)
class IndexRow:
    """The percentage change of a series in ``year`` over the year before, ``voorlopig`` or ``definitief``."""

    row: int
    series: str
    year: int
    percentage: float
    status: str
    source_note: str | None

    @property
    def key(self) -> tuple[str, int, str]:
        return (self.series, self.year, self.status)

    @property
    def content(self) -> tuple[object, ...]:
        return (*self.key, self.percentage, self.source_note)


@dataclass(frozen=True)
class Checked(Generic[R]):
    """The rows that passed (in file order, exact repeats folded) and the issues of every row.

    ``duplicates`` counts rows that repeat an earlier row exactly; ``refused`` is True when any issue is an
    error (the file then loads nothing)."""

    rows: tuple[R, ...]
    issues: tuple[Issue, ...]
    duplicates: int = 0

    @property
    def refused(self) -> bool:
        return any(issue.severity.value == "fout" for issue in self.issues)


def _issue(code: str, row: int, **values: object) -> Issue:
    rule = FINANCE_RULES[code]
    return Issue(code, rule.text(**values), row, rule.column, rule.severity)


def parse_number(text: str, decimal: str) -> float | None:
    """A number as written in the file: '62.50', or with ``decimal`` ',' also '1.234,56' (the dots group
    thousands). None when it is not a number. Example: parse_number('1.234,5', ',') -> 1234.5."""
    value = text.strip().replace(" ", "").replace("€", "")
    if decimal == ",":
        value = value.replace(".", "").replace(",", ".")
    if not re.fullmatch(r"[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)", value):
        return None
    return float(value)


def _decimal_amount(text: str, decimal: str) -> Decimal | None:
    """An amount in euros with at most two decimals kept exactly ('1.250.000,00' -> Decimal('1250000.00'))."""
    value = text.strip().replace(" ", "").replace("€", "")
    if decimal == ",":
        value = value.replace(".", "").replace(",", ".")
    if not re.fullmatch(r"[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)", value):
        return None
    try:
        return Decimal(value).quantize(Decimal("0.01"))
    except InvalidOperation:
        return None


def _code(text: str | None, width: int) -> str | None:
    """A code trimmed, zero-padded when all digits and shorter than ``width`` ('4' -> '04')."""
    if text is None or not text.strip():
        return None
    value = text.strip()
    return value.zfill(width) if value.isdigit() and len(value) < width else value


def _free_text(text: str | None) -> str | None:
    """Free text as stored: a number that passes the 11-check (it may be a BSN) is masked."""
    return None if text is None else mask_bsns_in_text(text)


def _cell(cells: Cells, column: str, index: int) -> str | None:
    values = cells.get(column)
    value = None if values is None else values[index]
    return None if value is None or not value.strip() else value.strip()


def _fold(
    parsed: list[R],
    key: Callable[[R], object],
    content: Callable[[R], object],
    row_of: Callable[[R], int],
    conflict: Callable[[R, str], Issue],
) -> tuple[list[R], list[Issue], int]:
    """Exact repeats of a row fold into the first; rows with the same key and other content are all
    rejected (each names the others). Returns the rows kept, the issues, the number folded."""
    by_key: dict[object, list[R]] = {}
    for item in parsed:
        by_key.setdefault(key(item), []).append(item)
    kept: list[R] = []
    issues: list[Issue] = []
    folded = 0
    for items in by_key.values():
        distinct = {content(i) for i in items}
        if len(distinct) == 1:
            kept.append(items[0])
            folded += len(items) - 1
            continue
        for item in items:
            others = ", ".join(str(row_of(o)) for o in items if o is not item)
            issues.append(conflict(item, others))
    kept.sort(key=row_of)
    return kept, issues, folded


def check_tariffs(cells: Cells, rows: Sequence[int], *, decimal: str = ".") -> Checked[TariffRow]:
    """Every tariff row parsed and checked (design §1.3), overlaps within the file included."""
    parsed: list[TariffRow] = []
    issues: list[Issue] = []
    for index, row in enumerate(rows):
        found: list[Issue] = []
        product = _cell(cells, "product_code", index)
        if product is None:
            found.append(_issue("missing_product_code", row))
        provider = _cell(cells, "provider_code", index) or ""
        if provider and not PROVIDER_PATTERN.fullmatch(provider):
            found.append(_issue("invalid_tariff_provider", row, value=provider))
        unit = _code(_cell(cells, "unit", index), 2)
        if unit not in TARIFF_UNITS:
            found.append(_issue("invalid_tariff_unit", row, value=unit or ""))
        tariff_text = _cell(cells, "tariff", index)
        tariff = None if tariff_text is None else parse_number(tariff_text, decimal)
        if tariff is None or tariff < 0:
            found.append(_issue("invalid_tariff", row, value=tariff_text or ""))
        from_text = _cell(cells, "valid_from", index)
        valid_from = None if from_text is None else parse_date(from_text)
        if valid_from is None:
            found.append(_issue("invalid_valid_from", row, value=from_text or ""))
        to_text = _cell(cells, "valid_to", index)
        valid_to = None if to_text is None else parse_date(to_text)
        if to_text is not None and valid_to is None:
            found.append(_issue("invalid_valid_to", row, value=to_text))
        if valid_from is not None and valid_to is not None and valid_to < valid_from:
            found.append(_issue("valid_to_before_valid_from", row, valid_to=valid_to, valid_from=valid_from))
        issues.extend(found)
        if not found:
            assert product is not None and unit is not None and tariff is not None and valid_from is not None
            parsed.append(TariffRow(row, product, provider, unit, tariff, valid_from, valid_to))
    kept, conflicts, folded = _fold(
        parsed,
        lambda t: t.key,
        lambda t: t.content,
        lambda t: t.row,
        lambda t, others: _issue(
            "duplicate_tariff", t.row, product=t.product_code, provider=_provider_words(t.provider_code),
            unit=t.unit, valid_from=t.valid_from, other_rows=others,
        ),
    )  # fmt: skip
    issues.extend(conflicts)
    overlapping = tariff_overlaps(kept, ())
    issues.extend(overlapping)
    bad = {i.row for i in overlapping}
    return Checked(tuple(t for t in kept if t.row not in bad), _in_row_order(issues), folded)


def _provider_words(provider: str) -> str:
    return f"aanbieder {provider}" if provider else "alle aanbieders"


def _overlap(a_from: date, a_to: date | None, b_from: date, b_to: date | None) -> bool:
    return (a_to is None or b_from <= a_to) and (b_to is None or a_from <= b_to)


def tariff_overlaps(rows: Sequence[TariffRow], stored: Sequence[TariffRow]) -> tuple[Issue, ...]:
    """Issues for file rows whose validity overlaps another file row (both rejected) or a stored tariff of
    the same product, provider and unit that the file does not replace (same ``valid_from``)."""
    replaced = {t.key for t in rows}
    kept_stored = [s for s in stored if s.key not in replaced]
    by_scope: dict[tuple[str, str, str], list[TariffRow]] = {}
    for t in rows:
        by_scope.setdefault((t.product_code, t.provider_code, t.unit), []).append(t)
    issues: list[Issue] = []
    for scope, group in by_scope.items():
        others = [s for s in kept_stored if (s.product_code, s.provider_code, s.unit) == scope]
        for t in group:
            clashes = [
                f"rij {o.row}"
                for o in group
                if o is not t and _overlap(t.valid_from, t.valid_to, o.valid_from, o.valid_to)
            ] + [
                f"het geladen tarief geldig vanaf {s.valid_from:%d-%m-%Y}"
                for s in others
                if _overlap(t.valid_from, t.valid_to, s.valid_from, s.valid_to)
            ]
            if clashes:
                issues.append(_issue("overlapping_tariff", t.row, other=", ".join(clashes)))
    return _in_row_order(issues)


def check_budgets(cells: Cells, rows: Sequence[int], *, decimal: str = ".") -> Checked[BudgetRow]:
    """Every budget row parsed and checked (design §1.4); an empty version date stays None (see
    ``with_version_dates``). Overlaps between lines are checked by ``budget_overlaps`` (they need the stored
    lines too)."""
    parsed: list[BudgetRow] = []
    issues: list[Issue] = []
    for index, row in enumerate(rows):
        found: list[Issue] = []
        year_text = _cell(cells, "year", index)
        year = int(year_text) if year_text is not None and year_text.isdigit() else None
        if year is None or not 2000 <= year <= 2100:
            found.append(_issue("invalid_budget_year", row, value=year_text or ""))
        line = _free_text(_cell(cells, "budget_line", index))
        if line is None:
            found.append(_issue("missing_budget_line", row))
        amount_text = _cell(cells, "amount", index)
        amount = None if amount_text is None else _decimal_amount(amount_text, decimal)
        if amount is None or amount < 0:
            found.append(_issue("invalid_budget_amount", row, value=amount_text or ""))
        law_text = _cell(cells, "law", index)
        law = None if law_text is None else law_of(law_text)
        if law is None:
            found.append(_issue("invalid_budget_law", row, value=law_text or ""))
        categories = tuple(
            sorted({c for c in (_code(p, 2) for p in _split_categories(_cell(cells, "product_categories", index))) if c})
        )  # fmt: skip
        warnings: list[Issue] = []
        if law is not None:
            known = law_codes(law, "LDT_ProductCategorie")
            warnings += [
                _issue("unknown_budget_category", row, value=c, law=law.value)
                for c in categories
                if c not in known
            ]
        provider = _cell(cells, "provider_code", index) or ""
        if provider and not PROVIDER_PATTERN.fullmatch(provider):
            found.append(_issue("invalid_budget_provider", row, value=provider))
        date_text = _cell(cells, "version_date", index)
        decided = None if date_text is None else parse_date(date_text)
        if date_text is not None and decided is None:
            found.append(_issue("invalid_version_date", row, value=date_text))
        clients_text = _cell(cells, "budgeted_clients", index)
        clients = int(clients_text) if clients_text is not None and clients_text.isdigit() else None
        if clients_text is not None and clients is None:
            warnings.append(_issue("invalid_budgeted_clients", row, value=clients_text))
        index_text = _cell(cells, "budgeted_index", index)
        assumed = None if index_text is None else parse_number(index_text.rstrip("%"), decimal)
        if assumed is not None and not -50 <= assumed <= 100:
            assumed = None
        if index_text is not None and assumed is None:
            warnings.append(_issue("invalid_budgeted_index", row, value=index_text))
        issues.extend(found + warnings)
        if not found:
            assert year is not None and line is not None and amount is not None and law is not None
            parsed.append(
                BudgetRow(row, year, line, amount, law.value, categories, provider, decided, clients, assumed)
            )
    kept, conflicts, folded = _fold(
        parsed,
        lambda b: b.key,
        lambda b: b.content,
        lambda b: b.row,
        lambda b, others: _issue(
            "duplicate_budget_line", b.row, line=b.budget_line, year=b.year,
            version_date=b.version_date or "leeg", other_rows=others,
        ),
    )  # fmt: skip
    issues.extend(conflicts)
    return Checked(tuple(kept), _in_row_order(issues), folded)


def with_version_dates(
    rows: Sequence[BudgetRow], stored: Sequence[BudgetRow], default: date
) -> tuple[BudgetRow, ...]:
    """The rows with their version date filled in: a row without one that equals the newest stored version of
    its line (amount, law, categories, provider, budgeted figures) takes that version's date, so loading the
    same file again on another day changes nothing; any other row without one is decided on ``default`` (the
    extraction day of the load)."""
    newest: dict[tuple[int, str], BudgetRow] = {}
    for item in stored:
        key = (item.year, item.budget_line)
        if key not in newest or _version_order(item) >= _version_order(newest[key]):
            newest[key] = item
    filled = []
    for row in rows:
        if row.version_date is None:
            known = newest.get((row.year, row.budget_line))
            same = known is not None and known.content[3:] == row.content[3:]
            row = replace(row, version_date=known.version_date if same and known else default)
        filled.append(row)
    return tuple(filled)


def _split_categories(text: str | None) -> list[str]:
    """'02;07;09', '02, 07' or '02 07' -> ['02', '07', '09']; empty -> [] (every category of the law)."""
    return [] if text is None else [p for p in re.split(r"[;,|/\s]+", text) if p]


def budget_overlaps(rows: Sequence[BudgetRow], stored: Sequence[BudgetRow]) -> tuple[Issue, ...]:
    """Issues for the file's budget lines that overlap another line of the same year (design §1.4).

    Each line's scope is that of its newest version, from the file or else from ``stored`` (the versions now
    current). Two lines overlap when they are in the same layer (both without provider, or spending rooms of
    the same provider), have the same law, and their category sets intersect (empty = every category).
    A spending room may lie inside a line without provider."""
    newest: dict[tuple[int, str], BudgetRow] = {}
    from_file: set[tuple[int, str]] = set()
    for item, file_row in [*((s, False) for s in stored), *((r, True) for r in rows)]:
        key = (item.year, item.budget_line)
        current = newest.get(key)
        if current is None or _version_order(item) >= _version_order(current):
            newest[key] = item
        if file_row:
            from_file.add(key)
    lines = sorted(newest.values(), key=lambda b: (b.year, b.budget_line))
    issues: list[Issue] = []
    for a in lines:
        if (a.year, a.budget_line) not in from_file:
            continue
        for b in lines:
            if b is a or (b.year, b.law, b.provider_code) != (a.year, a.law, a.provider_code):
                continue
            common = _common_categories(a.product_categories, b.product_categories)
            if common is None:
                continue
            what = f"productcategorie {', '.join(common)}" if common else "alle productcategorieën"
            if a.provider_code:
                what += f", bestedingsruimte van aanbieder {a.provider_code}"
            for row in [r for r in rows if (r.year, r.budget_line) == (a.year, a.budget_line)]:
                issues.append(
                    _issue("overlapping_budget_lines", row.row, line=a.budget_line, year=a.year,
                           other=b.budget_line, law=a.law, what=what)
                )  # fmt: skip
    return _in_row_order(issues)


def _version_order(item: BudgetRow) -> date:
    return item.version_date or date.min


def _common_categories(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...] | None:
    """The categories two scopes share: () when both cover everything, None when they share none."""
    if not a and not b:
        return ()
    if not a or not b:
        return a or b
    common = tuple(sorted(set(a) & set(b)))
    return common or None


def check_index(cells: Cells, rows: Sequence[int], *, decimal: str = ".") -> Checked[IndexRow]:
    """Every index row parsed and checked (design §1.5)."""
    parsed: list[IndexRow] = []
    issues: list[Issue] = []
    for index, row in enumerate(rows):
        found: list[Issue] = []
        series = _free_text(_cell(cells, "series", index))
        if series is None:
            found.append(_issue("missing_series", row))
        year_text = _cell(cells, "year", index)
        year = int(year_text) if year_text is not None and year_text.isdigit() else None
        if year is None or not 1900 <= year <= 2100:
            found.append(_issue("invalid_index_year", row, value=year_text or ""))
        text = _cell(cells, "percentage", index)
        percentage = None if text is None else parse_number(text.rstrip("%"), decimal)
        if percentage is None or not -50 <= percentage <= 100:
            found.append(_issue("invalid_percentage", row, value=text or ""))
        status_text = _cell(cells, "status", index)
        status = None if status_text is None else status_text.lower()
        if status not in STATUSES:
            found.append(_issue("invalid_index_status", row, value=status_text or ""))
        issues.extend(found)
        if not found:
            assert series is not None and year is not None and percentage is not None and status is not None
            parsed.append(
                IndexRow(
                    row, series, year, percentage, status, _free_text(_cell(cells, "source_note", index))
                )
            )
    kept, conflicts, folded = _fold(
        parsed,
        lambda i: i.key,
        lambda i: i.content,
        lambda i: i.row,
        lambda i, others: _issue(
            "duplicate_index", i.row, series=i.series, year=i.year, status=i.status, other_rows=others
        ),
    )
    issues.extend(conflicts)
    return Checked(tuple(kept), _in_row_order(issues), folded)


def _in_row_order(issues: Iterable[Issue]) -> tuple[Issue, ...]:
    return tuple(sorted(issues, key=lambda i: (i.row, i.severity.value != "fout", i.code)))


def law_of(text: str) -> Law | None:
    """A law as written in a file ('Jeugdwet' -> Law.JW)."""
    return LAW_SPELLINGS.get(text.lower().replace(" ", ""))
