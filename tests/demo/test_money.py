"""The demo's money: declarations that follow the allocations, tariffs, budgets and the index series.

Figures are checked against short references computed here from the written files (one municipality of
20,000 inhabitants, 2015-2024), not against the generator's own arrays.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from sdmonitor.demo import GeneratedFiles, GenerateOptions, generate
from sdmonitor.demo.declaration_faults import REJECTIONS, WARNINGS
from sdmonitor.demo.declarations import DECLARATION_COLUMNS
from sdmonitor.demo.finance import (
    BUDGET_HEADER,
    CHANGED_LINE,
    INDEX_HEADER,
    INDEX_SERIES,
    ROOM_ALERT,
    TARIFF_HEADER,
    demo_index,
    finance_known_from,
)
from sdmonitor.finance_loading import load_finance
from sdmonitor.ingest.columns import DECLARATION_COLUMNS as LOADER_COLUMNS
from sdmonitor.loading import LoadOptions, load_allocations, load_declarations
from sdmonitor.warehouse import open_warehouse
from sdmonitor.warehouse.finance import INDEX_VERSIONS, TARIFF_VERSIONS, budgets, current_rows
from tests.conftest import KEY
from tests.demo.helpers import Run, read_csv_rows

EXTRACTED = date(2025, 1, 6)
NOW_LATER = datetime(2026, 12, 1, 12, 0)  # loads after the demo's extraction dates
BUDGETED = {
    "Jeugdzorg": None,
    "Wmo begeleiding": {"02", "07", "09"},
    "Hulp bij het huishouden": {"01"},
    "Wmo overig": {"03", "04", "05", "06", "08", "10", "11", "12", "13", "14"},
}


@dataclass(frozen=True)
class Money:
    """Every version of every declared line in load order, and each line's final version."""

    versions: list[dict[str, object]]  # with "export": the extraction day (None: after the extraction)
    final: list[dict[str, object]]


def _read(path: Path) -> list[dict[str, object]]:
    return pq.read_table(path).to_pylist() if path.suffix == ".parquet" else read_csv_rows(path)


@pytest.fixture(scope="module")
def money(municipality: Run) -> Money:
    versions: list[dict[str, object]] = []
    assert municipality.files.declarations_later is not None
    exports = [(f.path, f.extracted_on) for f in municipality.files.declarations]
    for path, day in [*exports, (municipality.files.declarations_later, None)]:
        for row in _read(path):
            row["export"] = day
            versions.append(row)
    final: dict[tuple[object, ...], dict[str, object]] = {}
    for row in versions:
        final[(row["provider_code"], row["law"], row["declaration_id"], row["debit_credit"])] = row
    return Money(versions, list(final.values()))


def _signed(row: dict[str, object]) -> float:
    amount = float(row["amount"])
    return -amount if row["debit_credit"] == "C" else amount


def _months(earlier: date, later: date) -> int:
    return 12 * (later.year - earlier.year) + later.month - earlier.month


def test_every_money_file_has_its_canonical_header(municipality: Run) -> None:
    files = municipality.files
    assert files.tariffs and files.budgets and files.index
    for path, header in (
        (files.tariffs, TARIFF_HEADER),
        (files.budgets, BUDGET_HEADER),
        (files.index, INDEX_HEADER),
    ):
        assert path.read_text(encoding="utf-8").splitlines()[0] == ",".join(header)
    assert TARIFF_HEADER == ("product_code", "provider_code", "unit", "tariff", "valid_from", "valid_to")
    assert BUDGET_HEADER[:6] == (
        "year",
        "budget_line",
        "amount",
        "law",
        "product_categories",
        "provider_code",
    )
    assert INDEX_HEADER == ("series", "year", "percentage", "status")
    for export in files.declarations:
        schema = pq.read_schema(export.path)
        assert tuple(schema.names) == DECLARATION_COLUMNS
        assert schema.field("period_start").type == pa.date32()
        assert pq.ParquetFile(export.path).metadata.num_rows == export.rows


def test_declarations_in_csv_have_the_canonical_header(tmp_path: Path) -> None:
    files = generate(
        tmp_path,
        GenerateOptions(inhabitants=2_000, first_year=2022, last_year=2023, seed=3, file_format="csv"),
    )
    first = files.declarations[0].path
    assert first.suffix == ".csv"
    lines = first.read_text(encoding="utf-8").splitlines()
    assert lines[0] == ",".join(DECLARATION_COLUMNS)
    assert len(lines) == files.declarations[0].rows + 1


def test_without_money_only_the_allocation_files_are_written(tmp_path: Path) -> None:
    files = generate(
        tmp_path, GenerateOptions(inhabitants=2_000, first_year=2022, last_year=2023, money=False)
    )
    assert files.declarations == () and files.budgets is None
    assert not (tmp_path / "declaraties").exists()


def test_each_export_holds_only_what_was_submitted_by_its_extraction_day(money: Money) -> None:
    for row in money.versions:
        export = row["export"]
        if export is not None:
            assert row["submitted_on"] <= export
            if row["status"] == "ingediend":  # not decided yet: submitted in the two weeks before
                assert (export - row["submitted_on"]).days <= 14
    later = [row for row in money.versions if row["export"] is None]
    assert later and all(row["status"] != "ingediend" for row in later)
    # the last export has a few lines still waiting for a decision
    last = [row for row in money.versions if row["export"] == EXTRACTED]
    pending = sum(row["status"] == "ingediend" for row in last)
    assert 0 < pending < 0.5 * len(last)


def test_a_pending_line_comes_back_decided_in_a_later_export(money: Money) -> None:
    seen: dict[tuple[object, ...], list[object]] = defaultdict(list)
    for row in money.versions:
        seen[(row["provider_code"], row["law"], row["declaration_id"], row["debit_credit"])].append(
            row["status"]
        )
    flows = Counter(tuple(statuses) for statuses in seen.values() if len(statuses) > 1)
    assert set(flows) <= {("ingediend", "toegekend"), ("ingediend", "afgewezen")}
    assert flows[("ingediend", "toegekend")] > 100


def test_lags_are_mostly_within_two_months_with_a_tail_and_a_january_catch_up(money: Money) -> None:
    debits = [r for r in money.final if r["debit_credit"] == "D" and r["period_start"].year < 2024]
    lags = Counter(_months(r["period_start"], r["submitted_on"]) for r in debits)
    total = sum(lags.values())
    within_two = (lags[1] + lags[2]) / total
    over_six = sum(n for lag, n in lags.items() if lag > 6) / total
    assert lags[0] == 0  # declared after the delivery month
    assert 0.70 <= within_two <= 0.85
    assert 0.03 <= over_six <= 0.12
    # lines of one year still outstanding are caught up in January and early February of the next
    month = Counter(
        r["submitted_on"].month
        for r in debits
        if r["submitted_on"].year - r["period_start"].year == 1
        and _months(r["period_start"], r["submitted_on"]) > 2
    )
    assert month[1] > 2 * month[4] and month[2] > month[4]


def _allocated_hours(row: dict[str, object]) -> float:
    """Hours per week x days / 7 over the allocation's days up to the end of 2024 (reference)."""
    end = min(row["end_date"], date(2024, 12, 31))
    return float(row["volume"]) * ((end - row["start_date"]).days + 1) / 7


def test_utilisation_varies_by_product_and_provider_within_plausible_ranges(
    municipality: Run, money: Money
) -> None:
    declared: dict[object, float] = defaultdict(float)
    for row in money.final:
        if row["status"] == "toegekend" and row["allocation_id"]:
            declared[row["allocation_id"]] += _signed(row) if row["unit"] == "04" else 0.0
    hours: dict[object, float] = defaultdict(float)
    for row in money.final:
        if row["status"] == "toegekend" and row["allocation_id"] and row["unit"] == "04":
            volume = float(row["volume"])
            hours[row["allocation_id"]] += -volume if row["debit_credit"] == "C" else volume
    allocated: dict[tuple[object, object], float] = defaultdict(float)
    used: dict[tuple[object, object], float] = defaultdict(float)
    unused = used_count = 0
    for row in municipality.rows:
        weekly_hours = row["unit"] == "04" and row["frequency"] == "2" and row["end_date"] is not None
        if not weekly_hours or row["delivery_form"] != "ZIN" or row["change_reason"] == "13":
            continue
        if row["end_date"] > date(2024, 10, 31):  # still being declared
            continue
        key = (row["product_code"], row["provider_code"])
        if row["allocation_id"] not in hours:
            unused += 1
            continue
        used_count += 1
        allocated[key] += _allocated_hours(row)
        used[key] += hours[row["allocation_id"]]
    assert 0.03 <= unused / (unused + used_count) <= 0.08  # about 5 % never used
    by_product: dict[object, list[float]] = defaultdict(list)
    for key, hours_allocated in allocated.items():
        if hours_allocated > 2_000:
            ratio = used[key] / hours_allocated
            assert 0.55 <= ratio <= 1.02, (key, ratio)
            by_product[key[0]].append(ratio)
    product = {code: sum(v) / len(v) for code, v in by_product.items()}
    assert product["01A01"] > 0.88  # hulp bij het huishouden about 0.95
    assert 0.7 <= product["02A01"] <= 0.86  # begeleiding about 0.8
    assert max(max(v) - min(v) for v in by_product.values() if len(v) > 1) > 0.04  # providers differ


def _tariffs(municipality: Run) -> dict[tuple[str, str, int], list[tuple[date, date, float]]]:
    assert municipality.files.tariffs is not None
    table: dict[tuple[str, str, int], list[tuple[date, date, float]]] = defaultdict(list)
    for row in read_csv_rows(municipality.files.tariffs):
        start, end = date.fromisoformat(row["valid_from"]), date.fromisoformat(row["valid_to"])
        table[(row["product_code"], row["provider_code"], start.year)].append(
            (start, end, float(row["tariff"]))
        )
    return table


def _tariff(
    table: dict[tuple[str, str, int], list[tuple[date, date, float]]], product: str, provider: str, day: date
) -> float:
    rows = table.get((product, provider, day.year)) or table[(product, "", day.year)]
    return next(tariff for start, end, tariff in rows if start <= day <= end)


def test_an_amount_is_volume_times_the_tariff_of_its_month(municipality: Run, money: Money) -> None:
    table = _tariffs(municipality)
    checked = 0
    for row in money.final:
        if row["delivery_form"] != "ZIN" or row["unit"] in (None, "", "83") or not row["product_code"]:
            continue
        tariff = _tariff(table, str(row["product_code"]), str(row["provider_code"]), row["period_start"])
        # TR346: volume x tariff rounded to cents, checked with a tolerance of one cent
        assert float(row["amount"]) == pytest.approx(float(row["volume"]) * tariff, abs=0.0051), row
        checked += 1
    assert checked > 100_000


def test_tariffs_follow_the_demo_index_and_one_provider_changes_in_july(municipality: Run) -> None:
    table = _tariffs(municipality)
    for product, provider, year in table:
        if year > 2015 and (product, provider, year - 1) in table:
            before, now = table[(product, provider, year - 1)][-1][2], table[(product, provider, year)][0][2]
            assert now / before == pytest.approx(1 + demo_index(year) / 100, abs=0.012), (
                product,
                provider,
                year,
            )
    split = {key for key, rows in table.items() if len(rows) == 2}
    assert split and {year for _, _, year in split} == {2024}
    assert len({provider for _, provider, _ in split}) == 1


def test_the_index_series_covers_every_demo_year(municipality: Run) -> None:
    assert municipality.files.index is not None
    rows = read_csv_rows(municipality.files.index)
    assert {row["series"] for row in rows} == {"demo"}
    assert {int(row["year"]) for row in rows} == set(range(2015, 2025))
    final = {int(r["year"]): float(r["percentage"]) for r in rows if r["status"] == "definitief"}
    assert all(2.0 <= value <= 7.0 for value in final.values())
    assert final[2022] > 5 and final[2023] > 5 and max(final[y] for y in range(2015, 2022)) < 4
    assert [r["status"] for r in rows if r["year"] == "2024"] == ["voorlopig"]


def test_credits_cancel_their_debit_and_rejected_lines_come_back(money: Money) -> None:
    final = money.final
    debits = {(r["provider_code"], r["declaration_id"]): r for r in final if r["debit_credit"] == "D"}
    credits = [r for r in final if r["debit_credit"] == "C"]
    assert credits
    for credit in credits:
        debit = debits[(credit["provider_code"], credit["declaration_id"])]
        assert (debit["amount"], debit["period_start"], debit["allocation_id"]) == (
            credit["amount"],
            credit["period_start"],
            credit["allocation_id"],
        )
        assert credit["submitted_on"] > debit["submitted_on"]
    decided = [r for r in final if r["debit_credit"] == "D" and r["status"] != "ingediend"]
    rejected = [r for r in decided if r["status"] == "afgewezen"]
    assert 0.01 <= len(rejected) / len(decided) <= 0.03
    assert 0.005 <= len(credits) / len(decided) <= 0.02
    same_month = Counter(
        (r["allocation_id"], r["period_start"]) for r in decided if r["status"] == "toegekend"
    )
    again = sum(
        same_month[(r["allocation_id"], r["period_start"])] > 0 for r in rejected if r["allocation_id"]
    )
    assert 0.35 <= again / len(rejected) <= 0.65  # about half declared again under a new number


def test_pgb_and_one_off_woningaanpassingen_have_no_allocation(money: Money) -> None:
    pgb = [r for r in money.final if r["delivery_form"] == "PGB"]
    assert pgb and all(r["allocation_id"] is None and r["provider_code"] is None for r in pgb)
    clients = {r["client_id"] for r in money.final}
    # PGB follows the PGB allocations (about 9 % of them; over ten years more clients had one at some time)
    assert 0.05 <= len({r["client_id"] for r in pgb}) / len(clients) <= 0.25
    one_off = [
        r
        for r in money.final
        if r["product_code"] == "13A02" and r["allocation_id"] is None and r["delivery_form"] == "ZIN"
    ]
    assert one_off and all(15_000 <= float(r["amount"]) <= 60_000 for r in one_off)
    assert all(r["period_start"] == r["period_end"] for r in one_off)


def _line(row: dict[str, object]) -> str | None:
    for name, categories in BUDGETED.items():
        if (name == "Jeugdzorg") == (row["law"] == "JW") and (
            categories is None or row["product_category"] in categories
        ):
            return name
    return None


def test_budgets_follow_the_costs_with_one_line_over_and_one_under_in_the_last_year(
    municipality: Run, money: Money
) -> None:
    cost: dict[tuple[int, str | None], float] = defaultdict(float)
    for row in money.final:
        if row["status"] == "toegekend":
            cost[(row["period_start"].year, _line(row))] += _signed(row)
    assert municipality.files.budgets is not None
    rows = read_csv_rows(municipality.files.budgets)
    budget = {(int(r["year"]), r["budget_line"]): float(r["amount"]) for r in rows if not r["provider_code"]}
    assert set(budget) == {(year, name) for year in range(2015, 2025) for name in BUDGETED}
    for (year, name), amount in budget.items():
        ratio = cost[(year, name)] / amount
        if year == 2024 and name == "Jeugdzorg":
            assert ratio == pytest.approx(1.08, abs=0.005)
        elif year == 2024 and name == "Hulp bij het huishouden":
            assert ratio == pytest.approx(0.94, abs=0.005)
        else:
            assert ratio == pytest.approx(1.0, abs=0.03), (year, name)
    assert all(cost[(year, None)] > 0 for year in range(2015, 2025))  # verblijf: niet begroot
    changes = [r for r in rows if r["version_date"][5:7] == "09"]
    assert len(changes) == 1 and changes[0]["year"] == "2024"
    assert sum(r["budget_line"] == changes[0]["budget_line"] and r["year"] == "2024" for r in rows) == 2
    assert all(r["budgeted_clients"] and r["budgeted_index"] for r in rows if not r["provider_code"])


def test_one_of_three_spending_rooms_has_used_more_than_seventy_percent_at_the_extraction(
    municipality: Run, money: Money
) -> None:
    assert municipality.files.budgets is not None
    rooms = [r for r in read_csv_rows(municipality.files.budgets) if r["provider_code"]]
    assert len(rooms) == 3 and {r["year"] for r in rooms} == {"2024"}
    known: dict[tuple[object, object], float] = defaultdict(float)
    for row in money.versions:  # the status as known in the export that brought the version
        if row["export"] is not None and row["status"] == "toegekend" and row["period_start"].year == 2024:
            known[(row["provider_code"], row["law"])] += _signed(row)
    used = [known[(r["provider_code"], r["law"])] / float(r["amount"]) for r in rooms]
    assert sum(share >= ROOM_ALERT for share in used) == 1, used
    assert all(0.45 <= share <= 0.85 for share in used), used


def test_the_same_seed_gives_the_same_money_and_another_seed_other(tmp_path: Path) -> None:
    options = GenerateOptions(inhabitants=2_000, first_year=2022, last_year=2023, seed=5)
    first, second = generate(tmp_path / "a", options), generate(tmp_path / "b", options)
    other = generate(
        tmp_path / "c", GenerateOptions(inhabitants=2_000, first_year=2022, last_year=2023, seed=6)
    )
    assert [f.path.read_bytes() for f in first.declarations] == [
        f.path.read_bytes() for f in second.declarations
    ]
    assert first.declarations[0].path.read_bytes() != other.declarations[0].path.read_bytes()
    with (tmp_path / "a" / "begroting.csv").open(encoding="utf-8") as handle:
        assert len(list(csv.reader(handle))) > 1


def test_the_declaration_columns_are_those_the_loader_reads() -> None:
    assert tuple(column.name for column in LOADER_COLUMNS) == DECLARATION_COLUMNS


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[GeneratedFiles, Path]:
    """A village of 2,000 inhabitants over 2022-2023, loaded: allocations, money and the faulty file."""
    folder = tmp_path_factory.mktemp("village")
    files = generate(
        folder / "data", GenerateOptions(inhabitants=2_000, first_year=2022, last_year=2023, seed=9)
    )
    return files, folder


def test_every_generated_money_file_loads_without_a_rejected_row(
    small: tuple[GeneratedFiles, Path],
) -> None:
    files, folder = small
    extracted = date(2024, 1, 6)
    with open_warehouse(folder / "sdm.duckdb") as warehouse:
        options = LoadOptions(source="demo", pseudonym_key=KEY, extracted_on=extracted)
        load_allocations(warehouse, files.allocations[0], options, now=NOW_LATER)
        for money_file in files.finance:  # loaded as sdm demo does: each on its own day, oldest first
            summary = load_finance(
                warehouse,
                money_file.kind,
                money_file.path,
                now=NOW_LATER,
                extracted_on=money_file.extracted_on,
            )
            assert summary.loaded == summary.read == money_file.rows > 0, money_file.path.name
            assert not summary.warnings, money_file.path.name
        # in the end the warehouse holds what the whole files say (the mid-year change ends the first period)
        assert files.tariffs is not None and files.index is not None
        for spec, path in ((TARIFF_VERSIONS, files.tariffs), (INDEX_VERSIONS, files.index)):
            rows = [r for r in current_rows(warehouse, spec) if r.get("series") in (None, INDEX_SERIES)]
            stored = {tuple(str(row[c] or "") for c in spec.key) for row in rows}  # not the shipped series
            assert stored == {tuple(row[c] for c in spec.key) for row in read_csv_rows(path)}, spec.kind
        for export in files.declarations:
            options = LoadOptions(source="demo", pseudonym_key=KEY, extracted_on=export.extracted_on)
            loaded = load_declarations(warehouse, export.path, options, now=NOW_LATER)
            assert loaded.read == loaded.loaded == export.rows and loaded.rejected == 0, export.path.name
            # nothing exceeds its allocation (TR321, TR322, TR369); a line declared again after its rejection
            # repeats allocation, product and period, which is no second debit (TR389)
            assert not loaded.warnings, (export.path.name, loaded.warnings)


def test_the_faulty_declarations_file_has_each_reason_once_and_the_loader_reports_it(
    small: tuple[GeneratedFiles, Path],
) -> None:
    files, folder = small
    assert files.declarations_faulty is not None and files.declarations_faulty_expected is not None
    expected = read_csv_rows(files.declarations_faulty_expected)
    reasons = Counter(row["verwachte_reden"] for row in expected)
    assert reasons == Counter({**dict.fromkeys(REJECTIONS + WARNINGS, 1), "duplicate_declaration_id": 2})
    report = folder / "fouten-rapport.csv"
    with open_warehouse(folder / "faults.duckdb") as warehouse:
        options = LoadOptions(source="demo", pseudonym_key=KEY, extracted_on=date(2024, 1, 6))
        load_allocations(warehouse, files.allocations[0], options, now=NOW_LATER)
        # the same source as the allocations: client numbers identify a client within their source only
        options = LoadOptions(
            source="demo", pseudonym_key=KEY, extracted_on=date(2024, 1, 6), report_path=report
        )
        summary = load_declarations(warehouse, files.declarations_faulty, options, now=NOW_LATER)
    assert summary.mapping == "nl-declaraties"
    with report.open(encoding="utf-8-sig") as handle:
        reported = {row["rij"]: row["reden"].split(";") for row in csv.DictReader(handle, delimiter=";")}
    for row in expected:
        assert row["verwachte_reden"] in reported.get(row["rij"], []), row
    assert summary.rejected == sum(n for reason, n in reasons.items() if reason in REJECTIONS)
    assert set(reported) == {row["rij"] for row in expected}  # the valid rows load without a remark


def test_a_replay_of_the_last_year_sees_its_budget_and_the_september_change_only_from_september(
    small: tuple[GeneratedFiles, Path],
) -> None:
    files, folder = small
    with open_warehouse(folder / "replay.duckdb") as warehouse:
        for money_file in files.finance:
            if money_file.kind == "budgets":
                load_finance(
                    warehouse, "budgets", money_file.path, now=NOW_LATER, extracted_on=money_file.extracted_on
                )
        backend = warehouse.ibis()
        # the begroting of 2023 is adopted on 10 November 2022: a replay of the day before knows none of it
        before = budgets(backend, 2023, datetime(2022, 11, 9), date(2022, 11, 9))
        assert not before and finance_known_from(2023) == date(2022, 11, 10)
        june = {
            b.budget_line: b.amount for b in budgets(backend, 2023, datetime(2023, 6, 30), date(2023, 6, 30))
        }
        october = {
            b.budget_line: b.amount for b in budgets(backend, 2023, datetime(2023, 10, 1), date(2023, 10, 1))
        }
    assert set(june) == set(october) and len(june) == len(BUDGETED) + 3  # four lines, three spending rooms
    assert october[CHANGED_LINE] > june[CHANGED_LINE]
    assert all(october[line] == june[line] for line in june if line != CHANGED_LINE)


def test_the_money_is_split_into_the_loads_of_the_days_it_became_known(
    small: tuple[GeneratedFiles, Path],
) -> None:
    files, _ = small
    days = {(f.kind, f.path.name): f.extracted_on for f in files.finance}
    assert [f.extracted_on for f in files.finance] == sorted(f.extracted_on for f in files.finance)
    assert {f.path.parent.name for f in files.finance} == {"financien"}
    for f in files.finance:  # named after its day and kind
        prefix = {"tariffs": "tarieven", "index": "index", "budgets": "begroting"}[f.kind]
        assert f.path.name == f"{prefix}-{f.extracted_on.isoformat()}.csv"
        rows = read_csv_rows(f.path)
        assert len(rows) == f.rows > 0
        if f.kind == "budgets":
            assert {date.fromisoformat(r["version_date"]) for r in rows} == {f.extracted_on}
        elif f.kind == "index":  # voorlopig in June of the year before, definitief in June of the year after
            for r in rows:
                assert f.extracted_on == date(
                    int(r["year"]) + (-1 if r["status"] == "voorlopig" else 1), 6, 1
                )
    # tariffs of a year on 1 December before it; the change of 1 July 2023 on 1 June, repeating the first half
    assert ("tariffs", "tarieven-2021-12-01.csv") in days and ("tariffs", "tarieven-2022-12-01.csv") in days
    change = [f for f in files.finance if f.path.name == "tarieven-2023-06-01.csv"]
    assert len(change) == 1
    periods = {(r["valid_from"], r["valid_to"]) for r in read_csv_rows(change[0].path)}
    assert periods == {("2023-01-01", "2023-06-30"), ("2023-07-01", "2023-12-31")}
    december = read_csv_rows(next(f.path for f in files.finance if f.path.name == "tarieven-2022-12-01.csv"))
    assert {(r["valid_from"], r["valid_to"]) for r in december} == {("2023-01-01", "2023-12-31")}
    # budgets: each year's begroting on 10 November before it, the September change on its own day
    assert ("budgets", "begroting-2021-11-10.csv") in days and ("budgets", "begroting-2022-11-10.csv") in days
    assert any(f.kind == "budgets" and f.extracted_on.month == 9 for f in files.finance)
