"""The checks of tariff, budget and index rows (ingest/finance.py): pure, on text cells."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sdmonitor.domain.rules import FINANCE_RULES, RULES, Severity
from sdmonitor.ingest.finance import (
    BUDGETS,
    INDEX,
    TARIFFS,
    BudgetRow,
    TariffRow,
    budget_overlaps,
    check_budgets,
    check_index,
    check_tariffs,
    parse_number,
    tariff_overlaps,
    with_version_dates,
)


@pytest.mark.parametrize(
    ("text", "decimal", "expected"),
    [
        ("62.50", ".", 62.5),
        ("62,50", ",", 62.5),
        ("1.062,50", ",", 1062.5),
        ("€ 1.250.000", ",", 1250000.0),
        ("62,50", ".", None),  # a comma in a file with decimal points is no number (1,250 is ambiguous)
        ("zestig", ".", None),
        ("-3", ".", -3.0),
    ],
)
def test_numbers_are_read_with_the_decimal_sign_of_the_file(
    text: str, decimal: str, expected: float | None
) -> None:
    assert parse_number(text, decimal) == expected


def test_dutch_headers_are_recognised_and_mean_decimal_commas() -> None:
    headers = ["productcode", "aanbieder", "eenheid", "tarief", "geldig_vanaf", "geldig_tot"]
    assert set(TARIFFS.column_of(headers)) == {"product_code", "provider_code", "unit", "tariff", "valid_from",
                                               "valid_to"}  # fmt: skip
    assert TARIFFS.is_dutch(headers)
    assert not TARIFFS.is_dutch(["product_code", "unit", "tariff", "valid_from"])
    assert set(BUDGETS.column_of(["Jaar", "Begrotingsregel", "Bedrag", "Wet", "Productcategorieën"])) == {
        "year", "budget_line", "amount", "law", "product_categories",
    }  # fmt: skip
    assert set(INDEX.column_of(["reeks", "jaar", "percentage", "status", "bron"])) == set(INDEX.columns)


def test_every_finance_rule_has_its_own_code_and_fills_its_fields() -> None:
    assert not set(FINANCE_RULES) & set(RULES)
    for rule in FINANCE_RULES.values():
        fields = {f for _, f in rule.pieces() if f is not None}
        assert "{" not in rule.text(**dict.fromkeys(fields, "x")), rule.code


def test_a_tariff_unit_is_padded_and_an_open_end_stays_open() -> None:
    checked = check_tariffs(
        {"product_code": ["45A01"], "unit": ["4"], "tariff": ["62,50"], "valid_from": ["01-01-2024"]},
        [2],
        decimal=",",
    )
    assert checked.issues == ()
    assert checked.rows == (TariffRow(2, "45A01", "", "04", 62.5, date(2024, 1, 1), None),)


def test_an_exact_repeat_folds_and_a_conflicting_repeat_rejects_both() -> None:
    cells = {
        "product_code": ["A", "A", "B", "B"], "unit": ["04"] * 4, "tariff": ["1", "1", "2", "3"],
        "valid_from": ["2024-01-01"] * 4,
    }  # fmt: skip
    checked = check_tariffs(cells, [2, 3, 4, 5])
    assert checked.duplicates == 1
    assert [t.row for t in checked.rows] == [2]
    assert [(i.row, i.code) for i in checked.issues] == [(4, "duplicate_tariff"), (5, "duplicate_tariff")]
    assert "ook in rij 5" in checked.issues[0].message


def budget_row(line: str, categories: tuple[str, ...] = (), *, law: str = "WMO", provider: str = "",
               year: int = 2024, row: int = 2) -> BudgetRow:  # fmt: skip
    return BudgetRow(row, year, line, Decimal(100), law, categories, provider, date(2024, 1, 1), None, None)


def test_budget_lines_overlap_only_in_one_layer_law_and_year() -> None:
    assert budget_overlaps([budget_row("a", ("01",)), budget_row("b", ("02",), row=3)], []) == ()
    assert budget_overlaps([budget_row("a"), budget_row("b", law="JW", row=3)], []) == ()
    assert budget_overlaps([budget_row("a"), budget_row("b", year=2025, row=3)], []) == ()
    assert budget_overlaps([budget_row("a"), budget_row("b", ("02",), provider="12345678", row=3)], []) == ()
    both_all = budget_overlaps([budget_row("a"), budget_row("b", row=3)], [])
    assert [(i.row, i.code) for i in both_all] == [
        (2, "overlapping_budget_lines"),
        (3, "overlapping_budget_lines"),
    ]
    assert "alle productcategorieën" in both_all[0].message


def test_a_new_version_of_a_stored_line_takes_its_new_scope() -> None:
    stored = [budget_row("a", ("01",)), budget_row("b", ("02",))]
    moved = BudgetRow(2, 2024, "a", Decimal(1), "WMO", ("02",), "", date(2024, 6, 1), None, None)
    assert [i.code for i in budget_overlaps([moved], stored)] == ["overlapping_budget_lines"]
    older = BudgetRow(2, 2024, "a", Decimal(1), "WMO", ("02",), "", date(2023, 6, 1), None, None)
    assert budget_overlaps([older], stored) == ()  # the stored newer version keeps category 01


@given(st.lists(st.tuples(st.integers(0, 60), st.one_of(st.none(), st.integers(0, 30))), max_size=6))
def test_a_tariff_is_rejected_exactly_when_its_validity_meets_another(
    spans: list[tuple[int, int | None]],
) -> None:
    start = date(2024, 1, 1)
    rows = [
        TariffRow(
            i + 2, "A", "", "04", 1.0, start + timedelta(a), None if n is None else start + timedelta(a + n)
        )
        for i, (a, n) in enumerate(spans)
    ]
    days = [
        {
            d
            for d in range(0, 200)
            if spans[i][0] <= d and (spans[i][1] is None or d <= spans[i][0] + spans[i][1])
        }
        for i in range(len(spans))
    ]
    expected = {
        r.row for i, r in enumerate(rows) if any(days[i] & days[j] for j in range(len(rows)) if j != i)
    }
    assert {i.row for i in tariff_overlaps(rows, [])} == expected


def test_a_budget_without_version_date_that_equals_the_stored_line_keeps_its_date() -> None:
    stored = [budget_row("a")]
    same = BudgetRow(5, 2024, "a", Decimal(100), "WMO", (), "", None, None, None)
    changed = BudgetRow(6, 2024, "b", Decimal(100), "WMO", (), "", None, None, None)
    dated = with_version_dates([same, changed], stored, date(2024, 3, 1))
    assert [r.version_date for r in dated] == [date(2024, 1, 1), date(2024, 3, 1)]


def test_budget_and_index_rows_report_every_problem_of_a_row() -> None:
    budget = check_budgets(
        {"year": ["24"], "budget_line": [None], "amount": ["-5"], "law": ["Wlz"], "provider_code": ["1"],
         "version_date": ["morgen"], "budgeted_clients": ["veel"], "budgeted_index": ["500"]},
        [2],
    )  # fmt: skip
    assert [(i.code, i.severity) for i in budget.issues] == [
        ("invalid_budget_amount", Severity.ERROR), ("invalid_budget_law", Severity.ERROR),
        ("invalid_budget_provider", Severity.ERROR), ("invalid_budget_year", Severity.ERROR),
        ("invalid_version_date", Severity.ERROR), ("missing_budget_line", Severity.ERROR),
        ("invalid_budgeted_clients", Severity.WARNING), ("invalid_budgeted_index", Severity.WARNING),
    ]  # fmt: skip
    assert budget.refused and budget.rows == ()
    index = check_index({"series": [None], "year": ["1850"], "percentage": ["4,75%"], "status": ["x"]}, [2])
    assert [i.code for i in index.issues] == [
        "invalid_index_status", "invalid_index_year", "invalid_percentage", "missing_series",
    ]  # fmt: skip
    assert check_index({"series": ["r"], "year": ["2024"], "percentage": ["4,75%"], "status": ["Voorlopig"]}, [2],
                       decimal=",").rows[0].percentage == 4.75  # fmt: skip


def test_a_number_passing_the_11_check_in_a_line_name_is_masked() -> None:
    checked = check_budgets(
        {"year": ["2024"], "budget_line": ["Regel 999990019"], "amount": ["1"], "law": ["JW"]}, [2]
    )
    assert "999990019" not in checked.rows[0].budget_line


def test_the_loading_doc_lists_every_finance_rule_with_its_severity_column_and_description() -> None:
    import re
    from pathlib import Path

    text = (Path(__file__).parents[2] / "docs" / "loading.md").read_text(encoding="utf-8")
    section = text.partition("### Redencodes van deze tabellen")[2].partition("\n## ")[0]
    row = re.compile(r"^\| `(\w+)` \| (fout|waarschuwing) \| ([^|]+) \| (.+) \|$", re.MULTILINE)
    documented = {
        code: (severity, column, description) for code, severity, column, description in row.findall(section)
    }
    assert documented == {c: (r.severity.value, r.column, r.description) for c, r in FINANCE_RULES.items()}
