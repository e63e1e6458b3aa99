"""Loading tariffs, budgets and index series (issue 12; docs/design/money.md §1.3-1.5): versions, refusals,
the shipped VNG series and the read functions the metrics and the forecast use."""

from __future__ import annotations

import csv
import re
import tempfile
from datetime import date, datetime, timedelta
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sdmonitor.errors import InputError, LoadRejectedError
from sdmonitor.warehouse import Warehouse, open_warehouse
from sdmonitor.warehouse.finance import (
    NOT_BUDGETED,
    budget_line_of,
    budgets,
    index_series,
    tariffs,
    with_tariff,
)
from sdmonitor.warehouse.loads import start_load
from tests.money_builders_reference import (
    NOW,
    load_budgets_rows,
    load_index_rows,
    load_tariffs_rows,
)

LATER = datetime(2024, 12, 1, 12, 0, 0)


def tariff(**overrides: object) -> dict[str, object]:
    row: dict[str, object] = {
        "product_code": "45A01", "provider_code": "", "unit": "04", "tariff": "62.50",
        "valid_from": "2024-01-01", "valid_to": "2024-12-31",
    }  # fmt: skip
    row.update(overrides)
    return row


def budget(**overrides: object) -> dict[str, object]:
    row: dict[str, object] = {
        "year": 2024, "budget_line": "Jeugdzorg", "amount": "1000000", "law": "JW", "product_categories": "",
        "provider_code": "",
    }  # fmt: skip
    row.update(overrides)
    return row


def tariff_on(warehouse: Warehouse, day: date, product: str = "45A01", provider: str = "12345678",
              unit: str = "04", cutoff: datetime | None = None) -> float | None:  # fmt: skip
    backend = warehouse.ibis()
    import ibis

    lines = ibis.memtable(
        pa.table({"product_code": [product], "provider_code": [provider], "unit": [unit], "day": [day]})
    )
    value = with_tariff(lines, tariffs(backend, cutoff)).to_pyarrow().column("tariff")[0].as_py()
    return None if value is None else float(value)


def report_rows(tmp_path: Path) -> list[dict[str, str]]:
    """The rows of the one load report in the folder beside the warehouse."""
    (path,) = (tmp_path / "laadrapporten").glob("*.csv")
    return list(csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))


# --- tariffs -------------------------------------------------------------------------------------------------


def test_a_tariff_file_loads_as_versions_and_the_same_file_twice_changes_nothing(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    rows = [tariff(), tariff(product_code="45A02", tariff="30")]
    first = load_tariffs_rows(warehouse, tmp_path, rows)
    again = load_tariffs_rows(warehouse, tmp_path, rows)
    assert (first.read, first.loaded, first.unchanged) == (2, 2, 0)
    assert (again.loaded, again.unchanged) == (0, 2)
    assert warehouse.value("SELECT count(*) FROM tariff_versions") == 2
    assert warehouse.value("SELECT count(*) FROM loads WHERE kind = 'tariffs' AND status = 'complete'") == 2


def test_a_changed_tariff_supersedes_the_old_one_and_as_of_sees_the_old(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load_tariffs_rows(warehouse, tmp_path, [tariff()], extracted_on=date(2024, 1, 10))
    load_tariffs_rows(warehouse, tmp_path, [tariff(tariff="64")], extracted_on=date(2024, 2, 10))
    assert tariff_on(warehouse, date(2024, 6, 1)) == 64.0
    assert tariff_on(warehouse, date(2024, 6, 1), cutoff=datetime(2024, 2, 1)) == 62.5
    assert tariff_on(warehouse, date(2024, 6, 1), cutoff=datetime(2024, 1, 5)) is None


def test_overlapping_tariffs_for_one_product_and_provider_are_rejected(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    rows = [tariff(), tariff(tariff="70", valid_from="2024-07-01", valid_to=""), tariff(product_code="45A02")]
    with pytest.raises(
        LoadRejectedError, match=r"2 van 3 rijen afgewezen.*rij 2: Tarief overlapt.*\(rij 3\)"
    ):
        load_tariffs_rows(warehouse, tmp_path, rows)
    assert warehouse.value("SELECT count(*) FROM tariff_versions") == 0
    assert warehouse.value("SELECT count(*) FROM loads") == 0
    assert [(r["rij"], r["reden"]) for r in report_rows(tmp_path)] == [
        ("2", "overlapping_tariff"), ("3", "overlapping_tariff"),
    ]  # fmt: skip


def test_a_tariff_overlapping_a_stored_one_is_rejected_but_the_same_key_replaces_it(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load_tariffs_rows(warehouse, tmp_path, [tariff(valid_to="")])
    with pytest.raises(LoadRejectedError, match="het geladen tarief geldig vanaf 01-01-2024"):
        load_tariffs_rows(warehouse, tmp_path, [tariff(valid_from="2025-01-01", valid_to="", tariff="66")])
    # the same key (valid_from) is a new version of the stored tariff, not an overlap
    replaced = load_tariffs_rows(
        warehouse, tmp_path, [tariff(), tariff(valid_from="2025-01-01", valid_to="", tariff="66")]
    )
    assert (replaced.loaded, replaced.unchanged) == (2, 0)
    assert tariff_on(warehouse, date(2025, 3, 1)) == 66.0


def test_a_provider_tariff_beats_the_generic_tariff(warehouse: Warehouse, tmp_path: Path) -> None:
    load_tariffs_rows(warehouse, tmp_path, [tariff(), tariff(provider_code="12345678", tariff="58")])
    assert tariff_on(warehouse, date(2024, 5, 1), provider="12345678") == 58.0
    assert tariff_on(warehouse, date(2024, 5, 1), provider="87654321") == 62.5
    assert tariff_on(warehouse, date(2025, 5, 1), provider="12345678") is None  # after valid_to


def test_an_hourly_tariff_prices_minutes_at_a_sixtieth(warehouse: Warehouse, tmp_path: Path) -> None:
    load_tariffs_rows(warehouse, tmp_path, [tariff(tariff="60")])
    assert tariff_on(warehouse, date(2024, 5, 1), unit="01") == pytest.approx(1.0)
    assert tariff_on(warehouse, date(2024, 5, 1), unit="14") is None


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"product_code": ""}, "missing_product_code"),
        ({"provider_code": "1234"}, "invalid_tariff_provider"),
        ({"unit": "83"}, "invalid_tariff_unit"),
        ({"tariff": "-1"}, "invalid_tariff"),
        ({"tariff": "zestig"}, "invalid_tariff"),
        ({"valid_from": ""}, "invalid_valid_from"),
        ({"valid_to": "31-13-2024"}, "invalid_valid_to"),
        ({"valid_to": "2023-12-31"}, "valid_to_before_valid_from"),
    ],
)
def test_a_bad_tariff_row_refuses_the_file_with_its_reason(
    warehouse: Warehouse, tmp_path: Path, change: dict[str, object], code: str
) -> None:
    with pytest.raises(LoadRejectedError, match="rij 2"):
        load_tariffs_rows(warehouse, tmp_path, [tariff(**change)])
    assert [(r["rij"], r["ernst"], r["reden"]) for r in report_rows(tmp_path)] == [("2", "fout", code)]


def test_a_dutch_tariff_file_with_decimal_commas_loads(warehouse: Warehouse, tmp_path: Path) -> None:
    from sdmonitor.finance_loading import load_finance

    path = tmp_path / "tarieven.csv"
    path.write_text(
        "productcode;aanbieder;eenheid;tarief;geldig_vanaf;geldig_tot\n45A01;;4;1.062,50;01-01-2024;\n",
        encoding="utf-8",
    )
    summary = load_finance(warehouse, "tariffs", path, now=NOW)
    assert (summary.layout, summary.loaded) == ("nederlands", 1)
    assert warehouse.rows("SELECT unit, tariff, valid_to FROM tariff_versions") == [("04", 1062.5, None)]


def test_an_xlsx_tariff_file_loads(warehouse: Warehouse, tmp_path: Path) -> None:
    from openpyxl import Workbook

    from sdmonitor.finance_loading import load_finance

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["product_code", "provider_code", "unit", "tariff", "valid_from", "valid_to"])
    sheet.append(["45A01", None, "04", 62.5, datetime(2024, 1, 1), None])
    path = tmp_path / "tarieven.xlsx"
    book.save(path)
    assert load_finance(warehouse, "tariffs", path, now=NOW).loaded == 1
    assert tariff_on(warehouse, date(2030, 1, 1)) == 62.5


def test_a_missing_column_is_named_before_anything_is_stored(warehouse: Warehouse, tmp_path: Path) -> None:
    path = tmp_path / "tarieven.csv"
    path.write_text("product_code,unit,valid_from\n45A01,04,2024-01-01\n", encoding="utf-8")
    from sdmonitor.finance_loading import load_finance

    with pytest.raises(InputError, match=r"Kolom tariff ontbreekt in tarieven.csv. Verwacht: .*tarief"):
        load_finance(warehouse, "tariffs", path, now=NOW)
    path.write_text("product_code,valid_from\n45A01,2024-01-01\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"^Kolommen \w+ en \w+ ontbreken in tarieven\.csv\. Verwacht"):
        load_finance(warehouse, "tariffs", path, now=NOW)


# --- budgets -------------------------------------------------------------------------------------------------


def test_overlapping_budget_lines_refuse_the_file(warehouse: Warehouse, tmp_path: Path) -> None:
    rows = [
        budget(budget_line="Wmo begeleiding", law="WMO", product_categories="02;07"),
        budget(budget_line="Wmo overig", law="WMO", product_categories="07;08"),
        budget(),
    ]
    with pytest.raises(
        LoadRejectedError, match=r"Begrotingsregel 'Wmo begeleiding' overlapt in 2024 met 'Wmo overig'.*07"
    ):
        load_budgets_rows(warehouse, tmp_path, rows)
    assert warehouse.value("SELECT count(*) FROM budget_versions") == 0


def test_a_line_overlapping_a_stored_line_refuses_the_file(warehouse: Warehouse, tmp_path: Path) -> None:
    load_budgets_rows(warehouse, tmp_path, [budget()])
    with pytest.raises(LoadRejectedError, match="'Jeugd extra' overlapt in 2024 met 'Jeugdzorg'"):
        load_budgets_rows(warehouse, tmp_path, [budget(budget_line="Jeugd extra", product_categories="41")])
    # another year, or the other law, does not overlap
    load_budgets_rows(warehouse, tmp_path, [budget(year=2025), budget(budget_line="Wmo", law="WMO")])


def test_a_spending_room_may_lie_inside_a_budget_line(warehouse: Warehouse, tmp_path: Path) -> None:
    rows = [
        budget(),
        budget(budget_line="Ruimte A", amount="200000", provider_code="12345678", product_categories="43"),
        budget(budget_line="Ruimte B", amount="150000", provider_code="87654321"),
    ]
    assert load_budgets_rows(warehouse, tmp_path, rows).loaded == 3
    with pytest.raises(
        LoadRejectedError, match=r"'Ruimte C' overlapt in 2024 met 'Ruimte A'.*aanbieder 12345678"
    ):
        load_budgets_rows(
            warehouse, tmp_path, [budget(budget_line="Ruimte C", provider_code="12345678", amount="5")]
        )
    lines = budgets(warehouse.ibis(), 2024, None)
    assert [(b.budget_line, b.is_spending_room) for b in lines] == [
        ("Jeugdzorg", False), ("Ruimte A", True), ("Ruimte B", True),
    ]  # fmt: skip


def test_a_later_budget_row_is_a_change_known_from_its_date(warehouse: Warehouse, tmp_path: Path) -> None:
    load_budgets_rows(warehouse, tmp_path, [budget(version_date="2023-11-10")], extracted_on=date(2024, 1, 5))
    load_budgets_rows(
        warehouse,
        tmp_path,
        [budget(version_date="2024-09-20", amount="1100000", budgeted_clients=800, budgeted_index="5.02")],
        extracted_on=date(2024, 10, 1),
        now=LATER,
    )
    backend = warehouse.ibis()
    in_june = budgets(backend, 2024, None, date(2024, 6, 30))
    in_october = budgets(backend, 2024, None, date(2024, 10, 31))
    assert [(b.amount, b.version_date) for b in in_june] == [(Decimal("1000000.00"), date(2023, 11, 10))]
    assert [(b.amount, b.budgeted_clients) for b in in_october] == [(Decimal("1100000.00"), 800)]
    # as known before the change was loaded, October still has the first budget
    known_in_september = budgets(backend, 2024, datetime(2024, 9, 30), date(2024, 10, 31))
    assert [b.amount for b in known_in_september] == [Decimal("1000000.00")]
    assert in_october[0].budgeted_index == pytest.approx(5.02)


def test_a_budget_without_version_date_is_decided_on_its_extraction_day(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load_budgets_rows(warehouse, tmp_path, [budget()], extracted_on=date(2024, 2, 1))
    assert warehouse.value("SELECT version_date FROM budget_versions") == date(2024, 2, 1)
    assert budgets(warehouse.ibis(), 2024, None, date(2024, 1, 31)) == ()


def test_an_unknown_category_loads_with_a_warning(warehouse: Warehouse, tmp_path: Path) -> None:
    summary = load_budgets_rows(warehouse, tmp_path, [budget(product_categories="41;99")])
    assert (summary.loaded, summary.warned, summary.warnings) == (1, 1, {"unknown_budget_category": 1})
    assert warehouse.rows("SELECT severity, code, rows FROM load_issues") == [
        ("waarschuwing", "unknown_budget_category", 1)
    ]


# --- index series --------------------------------------------------------------------------------------------


def test_the_vng_series_ships_with_its_sources_and_no_unverified_years(warehouse: Warehouse) -> None:
    shipped = resources.files("sdmonitor.domain").joinpath("data/index-vng-ova-ppc.csv").read_text("utf-8")
    rows = list(csv.DictReader(shipped.splitlines()))
    assert {(r["year"], r["status"], r["percentage"]) for r in rows} == {
        ("2023", "voorlopig", "4.75"), ("2023", "definitief", "6.43"), ("2024", "voorlopig", "4.70"),
        ("2024", "definitief", "5.71"), ("2025", "voorlopig", "3.944"),
    }  # fmt: skip
    assert all("vng.nl" in r["source_note"] for r in rows)
    stored = warehouse.rows(
        "SELECT series, year, status, percentage, source_note, load_id FROM index_versions ORDER BY source_row"
    )
    assert stored == [
        (r["series"], int(r["year"]), r["status"], float(r["percentage"]), r["source_note"], 0) for r in rows
    ]
    series = index_series(warehouse.ibis(), "vng-ova-ppc", None)
    assert [(y.year, y.status) for y in series.years] == [(2023, "definitief"), (2024, "definitief"),
                                                           (2025, "voorlopig")]  # fmt: skip
    assert 1000 * series.factor(2023, 2025) == pytest.approx(1098.79, abs=0.005)
    assert 1000 * series.factor(2025, 2023) == pytest.approx(910.09, abs=0.005)
    assert series.used(2023, 2025) == "2024 definitief, 2025 voorlopig"
    with pytest.raises(InputError, match="Geen indexcijfer voor 2019 in reeks vng-ova-ppc"):
        series.factor(2018, 2023)


def test_a_loaded_series_prefers_definitief_as_known_at_the_moment(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load_index_rows(
        warehouse,
        tmp_path,
        [{"series": "regio", "year": 2024, "percentage": "6.82", "status": "voorlopig"}],
        extracted_on=date(2024, 1, 10),
    )
    load_index_rows(
        warehouse,
        tmp_path,
        [
            {
                "series": "regio",
                "year": 2024,
                "percentage": "7.1",
                "status": "Definitief",
                "source_note": "contract",
            }
        ],
        extracted_on=date(2024, 2, 10),
    )
    backend = warehouse.ibis()
    assert index_series(backend, "regio", None).year(2024).percentage == 7.1
    assert index_series(backend, "regio", datetime(2024, 2, 1)).year(2024).status == "voorlopig"
    with pytest.raises(InputError, match=r"Indexreeks 'onbekend' is niet bekend.*regio, vng-ova-ppc"):
        index_series(backend, "onbekend", None)


def test_the_same_index_year_twice_with_other_percentages_rejects_both(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    rows = [
        {"series": "regio", "year": 2024, "percentage": "6.8", "status": "voorlopig"},
        {"series": "regio", "year": 2024, "percentage": "6.9", "status": "voorlopig"},
        {"series": "regio", "year": 2025, "percentage": "120", "status": "prognose"},
    ]
    with pytest.raises(LoadRejectedError, match="3 van 3 rijen afgewezen"):
        load_index_rows(warehouse, tmp_path, rows)
    assert [(r["rij"], r["reden"]) for r in report_rows(tmp_path)] == [
        ("2", "duplicate_index"), ("3", "duplicate_index"), ("4", "invalid_index_status;invalid_percentage"),
    ]  # fmt: skip


# --- a killed load -------------------------------------------------------------------------------------------


def test_a_killed_finance_load_is_undone_at_the_next_open(tmp_path: Path) -> None:
    path = tmp_path / "sdm.duckdb"
    with open_warehouse(path) as warehouse:
        load_tariffs_rows(warehouse, tmp_path, [tariff()])
        # what a kill after the rows were written and before the final write leaves behind
        from sdmonitor.warehouse.allocations import LoadInfo

        info = LoadInfo("tariffs", "referentie", "t.csv", "x", "canoniek", LATER, LATER, "0")
        load_id = start_load(warehouse, info)
        warehouse.execute(
            "UPDATE tariff_versions SET superseded_at = ?, superseded_by = ? WHERE superseded_at IS NULL",
            [LATER, load_id],
        )
        warehouse.execute(
            "INSERT INTO tariff_versions VALUES ('45A01', '', '04', DATE '2024-01-01', NULL, 99, ?, ?, NULL, "
            "NULL, 2)",
            [load_id, LATER],
        )
    with open_warehouse(path) as reopened:
        assert reopened.repaired_loads == (load_id,)
        assert reopened.rows("SELECT tariff, superseded_at FROM tariff_versions") == [(62.5, None)]
        assert reopened.value("SELECT count(*) FROM index_versions WHERE load_id = 0") == 5


def test_the_same_budget_file_without_version_dates_loaded_again_later_changes_nothing(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    rows = [budget(), budget(budget_line="Wmo", law="WMO")]
    load_budgets_rows(warehouse, tmp_path, rows, extracted_on=date(2024, 1, 5))
    again = load_budgets_rows(warehouse, tmp_path, rows, extracted_on=date(2024, 2, 5))
    assert (again.loaded, again.unchanged) == (0, 2)
    changed = load_budgets_rows(warehouse, tmp_path, [budget(amount="900000")], extracted_on=date(2024, 3, 1))
    assert changed.loaded == 1
    assert warehouse.rows("SELECT version_date, amount FROM budget_versions WHERE budget_line = 'Jeugdzorg' "
                          "ORDER BY version_date") == [(date(2024, 1, 5), Decimal("1000000.00")),
                                                       (date(2024, 3, 1), Decimal("900000.00"))]  # fmt: skip


def test_costs_fall_in_one_partition_line_or_niet_begroot_and_at_most_one_spending_room(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    import ibis

    load_budgets_rows(
        warehouse,
        tmp_path,
        [
            budget(),
            budget(budget_line="Wmo begeleiding", law="WMO", product_categories="02;07"),
            budget(budget_line="Hulp bij het huishouden", law="WMO", product_categories="01"),
            budget(budget_line="Ruimte A", law="WMO", provider_code="12345678", product_categories="02"),
        ],
    )
    lines = budgets(warehouse.ibis(), 2024, None)
    costs = ibis.memtable(
        pa.table({"law": ["JW", "WMO", "WMO", "WMO"], "product_category": ["43", "07", "02", "16"],
                  "provider_code": ["12345678", "12345678", "12345678", None]})
    )  # fmt: skip
    found = costs.mutate(
        line=budget_line_of(costs, lines), room=budget_line_of(costs, lines, spending_rooms=True)
    ).to_pyarrow()
    assert list(zip(found.column("line").to_pylist(), found.column("room").to_pylist(), strict=True)) == [
        ("Jeugdzorg", None),
        ("Wmo begeleiding", None),
        ("Wmo begeleiding", "Ruimte A"),
        (NOT_BUDGETED, None),
    ]


def test_a_parquet_index_file_loads_with_its_sources(warehouse: Warehouse, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    from sdmonitor.finance_loading import load_finance

    path = tmp_path / "index.parquet"
    pq.write_table(
        pa.table({"reeks": ["regio"], "jaar": [2024], "percentage": [6.82], "status": ["voorlopig"],
                  "bron": ["contract 2024"]}),
        path,
    )  # fmt: skip
    assert load_finance(warehouse, "index", path, now=NOW).loaded == 1
    assert index_series(warehouse.ibis(), "regio", None).years[0].source_note == "contract 2024"


def test_an_extraction_date_after_the_load_day_is_refused(warehouse: Warehouse, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="kan niet uit de toekomst komen"):
        load_index_rows(
            warehouse,
            tmp_path,
            [{"series": "regio", "year": 2024, "percentage": "6.82", "status": "voorlopig"}],
            extracted_on=date(2024, 3, 2),
        )
    assert warehouse.value("SELECT count(*) FROM loads") == 0


def test_the_cli_loads_a_file_and_lists_the_index_series_in_dutch(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from sdmonitor.cli import cli

    path = tmp_path / "index.csv"
    path.write_text("reeks;jaar;percentage;status\nregio;2024;6,82;voorlopig\n", encoding="utf-8")
    db = str(tmp_path / "sdm.duckdb")
    runner = CliRunner()
    loaded = runner.invoke(cli, ["--db", db, "load", "index", str(path)])
    assert loaded.exit_code == 0, loaded.output
    assert "indexcijfers: gelezen 1 = geladen 1" in loaded.output
    listed = runner.invoke(cli, ["--db", db, "index", "list", "--series", "regio"])
    assert listed.exit_code == 0, listed.output
    assert "regio" in listed.output and "6,82 %" in listed.output and "vng-ova-ppc" not in listed.output
    everything = runner.invoke(cli, ["--db", db, "index", "list"])
    assert "meegeleverd met sdmonitor" in everything.output


def test_the_budget_example_of_the_loading_doc(warehouse: Warehouse, tmp_path: Path) -> None:
    from sdmonitor.finance_loading import load_finance

    text = (Path(__file__).parent.parent / "docs" / "loading.md").read_text(encoding="utf-8")
    example = text.partition("### `sdm load budgets`")[2].partition("```\n")[2].partition("```")[0]
    path = tmp_path / "begroting.csv"
    path.write_text(example, encoding="utf-8")
    assert load_finance(warehouse, "budgets", path, now=LATER).loaded == 5
    backend = warehouse.ibis()
    june = {b.budget_line: b.amount for b in budgets(backend, 2024, None, date(2024, 6, 30))}
    october = {b.budget_line: b.amount for b in budgets(backend, 2024, None, date(2024, 10, 31))}
    assert (june["Jeugdzorg"], october["Jeugdzorg"]) == (Decimal("12000000.00"), Decimal("12600000.00"))
    path.write_text(example + "2024,Wmo overig,1000000,WMO,07;08,,\n", encoding="utf-8")
    with pytest.raises(
        LoadRejectedError,
        match=re.escape(
            "Begrotingsregel 'Wmo begeleiding' overlapt in 2024 met 'Wmo overig' (WMO, productcategorie 07)"
        ),
    ):
        load_finance(warehouse, "budgets", path, now=LATER)


def test_the_report_names_real_lines_after_empty_ones(warehouse: Warehouse, tmp_path: Path) -> None:
    from sdmonitor.finance_loading import load_finance

    path = tmp_path / "index.csv"
    path.write_text(
        "series,year,percentage,status\n\nregio,2024,6.8,voorlopig\n,,,\nregio,2025,x,voorlopig\n"
    )
    with pytest.raises(LoadRejectedError, match=r"1 van 2 rijen afgewezen.*rij 5: Percentage 'x'"):
        load_finance(warehouse, "index", path, now=NOW)


_SCOPES = [(provider, unit) for provider in ("", "12345678") for unit in ("01", "04", "14")]


@st.composite
def tariff_books(draw: st.DrawFn) -> list[tuple[str, str, date, date | None, float]]:
    """Non-overlapping tariffs per (provider, unit): consecutive periods, maybe with gaps, the last maybe open."""
    book = []
    for provider, unit in _SCOPES:
        starts = sorted(draw(st.sets(st.integers(0, 100), max_size=3)))
        for i, start in enumerate(starts):
            limit = starts[i + 1] - 1 if i + 1 < len(starts) else None
            end = (
                draw(st.one_of(st.none(), st.integers(start, 120)))
                if limit is None
                else draw(st.integers(start, limit))
            )
            price = draw(st.sampled_from([30.0, 45.0, 60.0, 62.5, 90.0]))
            book.append(
                (
                    provider,
                    unit,
                    DAY0 + timedelta(start),
                    None if end is None else DAY0 + timedelta(end),
                    price,
                )
            )
    return book


DAY0 = date(2024, 1, 1)


def reference_tariff(book: list[tuple[str, str, date, date | None, float]], provider: str, unit: str,
                     day: date) -> float | None:  # fmt: skip
    """The tariff rule written out: own before generic, the line's unit before a converted one."""
    conversions = {("01", "04"): 1 / 60, ("04", "01"): 60.0}
    for wanted_provider in (provider, ""):
        for converted in (False, True):
            for p, u, start, end, price in book:
                factor = conversions.get((unit, u)) if converted else (1.0 if u == unit else None)
                if (
                    p == wanted_provider
                    and factor is not None
                    and start <= day
                    and (end is None or day <= end)
                ):
                    return price * factor
    return None


@settings(max_examples=25, deadline=None)
@given(
    book=tariff_books(),
    lines=st.lists(
        st.tuples(
            st.sampled_from(["12345678", "87654321"]),
            st.sampled_from(["01", "04", "14"]),
            st.integers(0, 125),
        ),
        min_size=1,
        max_size=20,
    ),
)
def test_the_tariff_of_a_line_follows_the_written_out_rule(
    book: list[tuple[str, str, date, date | None, float]], lines: list[tuple[str, str, int]]
) -> None:
    import ibis

    with tempfile.TemporaryDirectory() as folder, open_warehouse(Path(folder) / "sdm.duckdb") as warehouse:
        for p, u, start, end, price in book:
            warehouse.execute(
                "INSERT INTO tariff_versions VALUES ('45A01', ?, ?, ?, ?, ?, 1, TIMESTAMP '2020-01-01', NULL, NULL, 2)",
                [p, u, start, end, price],
            )
        table = ibis.memtable(
            pa.table({"n": list(range(len(lines))), "product_code": ["45A01"] * len(lines),
                      "provider_code": [p for p, _, _ in lines], "unit": [u for _, u, _ in lines],
                      "day": [DAY0 + timedelta(d) for _, _, d in lines]})
        )  # fmt: skip
        backend = warehouse.ibis()
        found = (
            with_tariff(table, tariffs(backend, None)).order_by("n").to_pyarrow().column("tariff").to_pylist()
        )
    expected = [reference_tariff(book, p, u, DAY0 + timedelta(d)) for p, u, d in lines]
    assert found == pytest.approx(expected)


def test_an_older_file_loaded_later_is_known_after_the_newer_one(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    row = {"series": "regio", "year": 2024, "status": "voorlopig"}
    load_index_rows(warehouse, tmp_path, [row | {"percentage": "6.0"}], extracted_on=date(2024, 2, 1))
    load_index_rows(warehouse, tmp_path, [row | {"percentage": "6.5"}], extracted_on=date(2024, 1, 1))
    load_index_rows(warehouse, tmp_path, [row | {"percentage": "7.0"}], extracted_on=date(2024, 1, 15))
    stored = warehouse.rows("SELECT percentage, known_from, superseded_at FROM index_versions WHERE series = 'regio' "
                            "ORDER BY known_from")  # fmt: skip
    assert [p for p, _, _ in stored] == [6.0, 6.5, 7.0]
    assert all(known < (superseded or datetime.max) for _, known, superseded in stored)
    just_after_the_first = datetime(2024, 2, 1, 0, 0, 0, 1)
    assert index_series(warehouse.ibis(), "regio", just_after_the_first).year(2024).percentage == 6.0
