"""The demo's Participatiewet (issue 14): bijstand benefits and re-integration provisions of the simulated
residents, checked over the generated files (the income system's Dutch exports)."""

from __future__ import annotations

import csv
import itertools
import re
from collections import Counter, defaultdict
from datetime import date, datetime
from pathlib import Path

import numpy as np

from sdmonitor.demo.arrays import day_number
from sdmonitor.demo.benefit_faults import REJECTIONS as FAULT_REJECTIONS
from sdmonitor.demo.benefit_faults import WARNINGS as FAULT_WARNINGS
from sdmonitor.demo.benefits import (
    DUTCH_BENEFIT_HEADERS,
    DUTCH_HOUSEHOLD_TYPES,
    DUTCH_REINTEGRATION_HEADERS,
    HOUSEHOLD_TYPES,
    INFLOW_REASONS,
    OUTFLOW_REASONS,
    PROVISION_TYPES,
    aow_day,
)
from sdmonitor.loading import BENEFIT_TABLE, REINTEGRATION_TABLE, LoadOptions, load_allocations, load_table
from sdmonitor.metrics import MetricRequest, run_metric
from sdmonitor.reference import POPULATION, load_reference
from sdmonitor.warehouse import Warehouse
from tests.conftest import KEY
from tests.demo.helpers import Run, age_on, read_csv_rows
from tests.demo.test_faulty_file import eleven_check

WORDS = dict(zip(DUTCH_HOUSEHOLD_TYPES, HOUSEHOLD_TYPES, strict=True))
EXTRACTED = date(2025, 1, 6)
NOW = datetime(2025, 1, 7, 12)


def _dutch_date(text: str) -> date | None:
    if not text:
        return None
    day, month, year = (int(part) for part in text.split("-"))
    return date(year, month, day)


def _canonical(row: dict[str, str], headers: dict[str, str]) -> dict[str, object]:
    """A row of a Dutch export under its canonical names, dates as dates, the leefvorm as its code."""
    out: dict[str, object] = {}
    for name, header in headers.items():
        value = row[header]
        if name.endswith("date"):
            out[name] = _dutch_date(value)
        elif name == "household_type":
            out[name] = WORDS[value]
        else:
            out[name] = value
    return out


def benefits(run: Run) -> list[dict[str, object]]:
    """The benefits file of a run as canonical rows."""
    assert run.files.benefits is not None
    return [_canonical(r, DUTCH_BENEFIT_HEADERS) for r in read_csv_rows(run.files.benefits, delimiter=";")]


def provisions(run: Run) -> list[dict[str, object]]:
    """The re-integration file of a run as canonical rows."""
    assert run.files.reintegration is not None
    rows = read_csv_rows(run.files.reintegration, delimiter=";")
    return [_canonical(r, DUTCH_REINTEGRATION_HEADERS) for r in rows]


def _running(row: dict[str, object], day: date) -> bool:
    start, end = row["start_date"], row["end_date"]
    assert isinstance(start, date)
    return start <= day and (end is None or (isinstance(end, date) and end >= day))


def _persons(rows: list[dict[str, object]]) -> set[object]:
    return {r["client_id"] for r in rows} | {r["partner_id"] for r in rows if r["partner_id"]}


def _adults(run: Run, year: int, low: int = 18, high: int = 200) -> int:
    return sum(
        int(r["count"])
        for r in read_csv_rows(run.files.population)
        if int(r["year"]) == year and low <= int(r["age"]) <= high
    )


def test_the_exports_use_the_income_systems_dutch_layout_and_are_dated(municipality: Run) -> None:
    files = municipality.files
    assert files.benefits is not None and files.reintegration is not None
    assert files.benefits.name == "uitkeringen-2025-01-06.csv"
    assert files.reintegration.name == "reintegratie-2025-01-06.csv"
    header = files.benefits.read_text(encoding="utf-8").splitlines()[0]
    assert header == ";".join(DUTCH_BENEFIT_HEADERS.values())
    assert header.startswith("uitkeringsnummer;clientnummer_aanvrager;bsn_aanvrager;clientnummer_partner")
    rows = read_csv_rows(files.benefits, delimiter=";")
    assert len(rows) == files.benefit_rows > 0
    assert re.fullmatch(r"\d{2}-\d{2}-\d{4}", rows[0]["ingangsdatum"])
    assert {r["leefvorm"] for r in rows} == set(DUTCH_HOUSEHOLD_TYPES)
    assert len(read_csv_rows(files.reintegration, delimiter=";")) == files.provision_rows > 0


def test_the_stock_is_about_three_percent_of_adults_every_year(municipality: Run) -> None:
    rows = benefits(municipality)
    for year in range(2015, 2025):
        running = [r for r in rows if _running(r, date(year, 1, 1))]
        share = len(_persons(running)) / _adults(municipality, year)
        assert 0.022 <= share <= 0.038, (year, share)
        # benefits differ from persons: a couple is one benefit and two persons
        assert len(running) < len(_persons(running)) < 1.3 * len(running)


def test_the_population_table_gives_the_denominators_of_both_bbv_rates(municipality: Run) -> None:
    everyone = _adults(municipality, 2024, low=0)
    adults = _adults(municipality, 2024)
    working_age = _adults(municipality, 2024, low=15, high=64)
    assert 0.70 * everyone < adults < 0.85 * everyone  # 18 and over
    assert 0.55 * everyone < working_age < 0.70 * everyone  # 15-64
    running = [r for r in provisions(municipality) if _running(r, date(2024, 1, 1))]
    per_10_000 = 10_000 * len(running) / _adults(municipality, 2024, low=15, high=64)
    assert 80 < per_10_000 < 300  # the order of the national BBV figure


def test_a_couple_is_two_persons_on_one_benefit_and_a_person_is_on_one_benefit_at_a_time(
    municipality: Run,
) -> None:
    rows = benefits(municipality)
    couples = [r for r in rows if r["household_type"] == "gehuwd_samenwonend"]
    assert len(couples) > 0.08 * len(rows)
    for row in couples:
        assert row["partner_id"] and row["partner_id"] != row["client_id"]
        assert row["partner_birth_date"] is not None and row["partner_gender"] in {"1", "2"}
    for row in rows:
        if row["household_type"] != "gehuwd_samenwonend":
            assert not row["partner_id"] and row["partner_birth_date"] is None
    periods: dict[object, list[tuple[date, date]]] = defaultdict(list)
    for row in rows:
        start = row["start_date"]
        end = row["end_date"] or date(2099, 1, 1)
        assert isinstance(start, date) and isinstance(end, date) and start <= end
        for person in (row["client_id"], row["partner_id"]):
            if person:
                periods[person].append((start, end))
    for spans in periods.values():
        spans.sort()
        assert all(later[0] > earlier[1] for earlier, later in itertools.pairwise(spans))
    applicants = {r["client_id"] for r in rows}
    assert not applicants & {r["partner_id"] for r in couples}


def test_single_parents_are_mostly_women_of_child_raising_age(municipality: Run) -> None:
    parents = [r for r in benefits(municipality) if r["household_type"] == "alleenstaande_ouder"]
    assert len(parents) > 50
    women = [r for r in parents if r["gender"] == "2"]
    assert len(women) > 0.85 * len(parents)
    for row in women:
        birth, start = row["birth_date"], row["start_date"]
        assert isinstance(birth, date) and isinstance(start, date)
        assert 22 <= age_on(birth, start) <= 50


def test_benefit_clients_overlap_with_wmo_and_jeugdwet_clients_under_one_client_number(
    municipality: Run,
) -> None:
    persons = _persons(benefits(municipality))
    by_law: dict[str, set[object]] = defaultdict(set)
    for row in municipality.rows:
        by_law[str(row["law"])].add(row["client_id"])
    assert all(str(p).startswith("C9901") for p in persons)
    assert len(persons & by_law["WMO"]) > 0.10 * len(persons)
    assert persons & by_law["JW"]  # young adults with (verlengde) jeugdhulp
    partners = {r["partner_id"] for r in benefits(municipality) if r["partner_id"]}
    assert partners & by_law["WMO"]  # a partner with Wmo support is one client too


def test_applicants_come_back_after_short_and_long_gaps(municipality: Run) -> None:
    by_applicant: dict[object, list[dict[str, object]]] = defaultdict(list)
    for row in benefits(municipality):
        by_applicant[row["client_id"]].append(row)
    gaps = []
    for rows in by_applicant.values():
        rows.sort(key=lambda r: str(r["start_date"]))
        for earlier, later in itertools.pairwise(rows):
            end, start = earlier["end_date"], later["start_date"]
            assert isinstance(end, date) and isinstance(start, date)
            gaps.append((start - end).days - 1)
    short = [g for g in gaps if 1 <= g < 30]
    assert len(short) > 20  # joined into one episode under the 30-day rule
    assert len([g for g in gaps if 30 <= g <= 365]) > 20
    assert len([g for g in gaps if g > 365]) > 20


def test_reasons_are_cbs_codes_that_fit_how_a_benefit_ended(municipality: Run) -> None:
    rows = benefits(municipality)
    ended = [r for r in rows if r["end_date"] is not None and r["end_date"] < EXTRACTED]  # type: ignore[operator]
    assert all(r["outflow_reason"] in OUTFLOW_REASONS for r in ended)
    assert all(r["inflow_reason"] in INFLOW_REASONS for r in rows)
    reasons = Counter(str(r["outflow_reason"]) for r in ended)
    work = reasons["11"] + reasons["13"]
    assert 0.2 * len(ended) < work < 0.5 * len(ended)
    for code in ("02", "03", "04", "14", "15", "31", "32", "97", "98"):
        assert reasons[code] > 0, code
    # running on the data moment, or with a planned end after it: no outflow reason
    for row in rows:
        end = row["end_date"]
        if end is None or end >= EXTRACTED:  # type: ignore[operator]
            assert row["outflow_reason"] == ""
    for row in ended:
        if row["outflow_reason"] == "03":  # the AOW age: ends the day before it
            birth = row["birth_date"]
            assert isinstance(birth, date) and isinstance(row["end_date"], date)
            aow = int(aow_day(np.array([day_number(birth)]))[0])
            assert day_number(row["end_date"]) == aow - 1


def test_regulations_are_mostly_algemene_bijstand_with_ioaw_ioaz_and_bbz(municipality: Run) -> None:
    rows = benefits(municipality)
    counts = Counter(str(r["regulation"]) for r in rows)
    assert counts["PW"] > 0.85 * len(rows)
    assert counts["IOAW"] > 0 and counts["BBZ"] > 0 and counts["IOAZ"] >= 0
    for row in rows:
        birth, start = row["birth_date"], row["start_date"]
        assert isinstance(birth, date) and isinstance(start, date)
        assert 18 <= age_on(birth, start) < 68
        if row["regulation"] == "IOAW":
            assert age_on(birth, start) >= 50
    planned = [r for r in rows if r["end_date"] is not None and r["end_date"] > EXTRACTED]  # type: ignore[operator]
    assert planned and {r["regulation"] for r in planned} <= {"IOAW", "IOAZ", "BBZ"}


def test_ten_years_of_history_with_benefits_running_into_the_first_year(municipality: Run) -> None:
    rows = benefits(municipality)
    starts = Counter(r["start_date"].year for r in rows)  # type: ignore[union-attr]
    assert all(starts[year] > 20 for year in range(2015, 2025))
    assert sum(n for year, n in starts.items() if year < 2015) > 100
    assert all(r["end_date"] is None or r["end_date"] >= date(2015, 1, 1) for r in rows)  # type: ignore[operator]
    assert all(r["start_date"] <= date(2024, 12, 31) for r in rows)  # type: ignore[operator]
    assert len({r["benefit_id"] for r in rows}) == len(rows)


def test_reintegration_provisions_belong_to_benefit_clients(municipality: Run) -> None:
    persons = _persons(benefits(municipality))
    rows = provisions(municipality)
    assert {r["client_id"] for r in rows} <= persons
    assert len({r["client_id"] for r in rows}) > 0.1 * len({r["client_id"] for r in benefits(municipality)})
    types = Counter(str(r["provision_type"]) for r in rows)
    assert set(types) <= set(PROVISION_TYPES) and types["04"] > 0 and types["99"] > 0
    for row in rows:
        start, end = row["start_date"], row["end_date"]
        assert isinstance(start, date) and start <= date(2024, 12, 31)
        assert end is None or (isinstance(end, date) and date(2015, 1, 1) <= end and start <= end)
    assert len({r["provision_id"] for r in rows}) == len(rows)


def test_no_identifier_in_the_exports_passes_the_eleven_check(municipality: Run) -> None:
    for path in (municipality.files.benefits, municipality.files.reintegration):
        assert path is not None
        for number in re.findall(r"(?<!\d)\d{8,9}(?!\d)", path.read_text(encoding="utf-8")):
            assert not eleven_check(number.zfill(9)) or number.startswith("9999"), number


def test_a_region_numbers_benefits_per_municipality(region: Run) -> None:
    rows = benefits(region)
    codes = {str(r["benefit_id"])[:4] for r in rows}
    assert codes == {"9901", "9902", "9903"}
    assert all(str(r["client_id"])[1:5] == str(r["municipality_code"]) for r in rows)
    assert len({r["benefit_id"] for r in rows}) == len(rows)


def test_every_demo_benefit_and_provision_loads_without_rejection_or_warning_and_shares_the_client_key(
    warehouse: Warehouse, municipality: Run
) -> None:
    files = municipality.files
    assert files.benefits is not None and files.reintegration is not None
    options = LoadOptions(source="demo", pseudonym_key=KEY, extracted_on=EXTRACTED)
    load_allocations(warehouse, files.allocations[0], options, now=NOW)
    for table, path in ((BENEFIT_TABLE, files.benefits), (REINTEGRATION_TABLE, files.reintegration)):
        summary = load_table(warehouse, path, options, table, now=NOW)
        assert summary.mapping == ("nl-uitkeringen" if table is BENEFIT_TABLE else "nl-re-integratie")
        assert summary.rejected == 0 and summary.rejections == {}, summary.rejections
        assert summary.warned == 0, summary.warnings
        assert summary.loaded == summary.read > 0
    # one client key over the laws: applicants and partners with Wmo or Jeugdwet support share it
    shared = warehouse.value(
        "SELECT count(DISTINCT k) FROM (SELECT client_key AS k FROM benefit_versions UNION ALL "
        "SELECT partner_key FROM benefit_versions) WHERE k IN (SELECT client_key FROM allocation_versions)"
    )
    persons = len(_persons(benefits(municipality)))
    assert 0.10 * persons < shared < persons
    assert warehouse.value("SELECT count(*) FROM benefit_versions WHERE partner_key IS NOT NULL") > 0
    assert (
        warehouse.value(
            "SELECT count(*) FROM reintegration_versions WHERE client_key NOT IN "
            "(SELECT client_key FROM benefit_versions UNION SELECT partner_key FROM benefit_versions "
            "WHERE partner_key IS NOT NULL)"
        )
        == 0
    )


def test_the_faulty_benefits_file_has_each_reason_once_and_the_loader_reports_it(
    warehouse: Warehouse, municipality: Run, tmp_path: Path
) -> None:
    files = municipality.files
    assert files.benefits_faulty is not None and files.benefits_faulty_expected is not None
    assert files.benefits_faulty.name == "uitkeringen_fouten.csv"
    expected = read_csv_rows(files.benefits_faulty_expected)
    reasons = Counter(row["verwachte_reden"] for row in expected)
    assert reasons == Counter(
        {**dict.fromkeys(FAULT_REJECTIONS + FAULT_WARNINGS, 1), "duplicate_benefit_id": 2}
    )
    text = files.benefits_faulty.read_text(encoding="utf-8")
    assert "clientnummer" not in text.splitlines()[0]  # another system's export: BSNs only
    for number in re.findall(r"(?<!\d)\d{9}(?!\d)", text):
        assert number.startswith("9999"), number  # fictional BSNs only (the invalid ones fail the check)
    report = tmp_path / "rapport.csv"
    options = LoadOptions(source="demo-export", pseudonym_key=KEY, extracted_on=EXTRACTED, report_path=report)
    summary = load_table(warehouse, files.benefits_faulty, options, BENEFIT_TABLE, now=NOW)
    assert summary.mapping == "nl-uitkeringen"
    with report.open(encoding="utf-8-sig") as handle:
        reported = {row["rij"]: row["reden"].split(";") for row in csv.DictReader(handle, delimiter=";")}
    for row in expected:
        assert row["verwachte_reden"] in reported.get(row["rij"], []), (row, reported.get(row["rij"]))
    assert summary.rejected == sum(n for reason, n in reasons.items() if reason in FAULT_REJECTIONS)
    assert set(reported) == {row["rij"] for row in expected}  # the valid rows load without a remark
    assert summary.loaded == summary.read - summary.rejected


def test_no_generated_text_file_holds_a_valid_bsn_outside_the_fictional_range(municipality: Run) -> None:
    paths = sorted(p for p in municipality.folder.rglob("*.csv"))
    assert len(paths) > 15
    for path in paths:
        for number in set(re.findall(r"(?<!\d)\d{9}(?!\d)", path.read_text(encoding="utf-8"))):
            assert number.startswith("9999") or not eleven_check(number), (path.name, number)


def _episodes(rows: list[dict[str, object]], max_gap_days: int) -> list[tuple[date, date | None]]:
    """Reference: per person, benefit periods joined while at most ``max_gap_days`` days lie between them."""
    spans: dict[object, list[tuple[date, date | None]]] = defaultdict(list)
    for row in rows:
        for person in (row["client_id"], row["partner_id"]):
            if person:
                end = row["end_date"]
                spans[person].append((row["start_date"], end if end and end < EXTRACTED else None))  # type: ignore[arg-type,operator]
    episodes = []
    for periods in spans.values():
        periods.sort(key=lambda p: p[0])
        start, end = periods[0]
        for next_start, next_end in periods[1:]:
            if end is not None and (next_start - end).days - 1 <= max_gap_days:
                end = next_end
            else:
                episodes.append((start, end))
                start, end = next_start, next_end
        episodes.append((start, end))
    return episodes


def test_the_benefit_metrics_on_the_loaded_demo_match_references_over_the_files(
    warehouse: Warehouse, municipality: Run
) -> None:
    files = municipality.files
    assert files.benefits is not None and files.reintegration is not None
    load_reference(warehouse, POPULATION, files.population, now=NOW)
    options = LoadOptions(source="demo", pseudonym_key=KEY, extracted_on=EXTRACTED)
    for table, path in ((BENEFIT_TABLE, files.benefits), (REINTEGRATION_TABLE, files.reintegration)):
        load_table(warehouse, path, options, table, now=NOW)
    rows = benefits(municipality)
    day = date(2024, 1, 1)
    running = [r for r in rows if _running(r, day)]
    stock = run_metric(warehouse, MetricRequest("benefits", on=(day,), per_10000=True)).records()
    assert len(stock) == 1
    assert (stock[0]["benefits"], stock[0]["persons"]) == (len(running), len(_persons(running)))
    assert 250 <= stock[0]["per_10000"] <= 350  # BBV: persons with bijstand per 10,000 inhabitants of 18+
    # inflow and outflow of episodes (30-day rule) in 2023, against a reference over the file
    episodes = _episodes(rows, 30)
    year = {"grain": "year", "start": date(2023, 1, 1), "end": date(2023, 12, 31)}
    flows = run_metric(warehouse, MetricRequest("benefit_flows", **year)).records()
    inflow = sum(date(2023, 1, 1) <= start <= date(2023, 12, 31) for start, _ in episodes)
    outflow = sum(end is not None and date(2023, 1, 1) <= end <= date(2023, 12, 31) for _, end in episodes)
    assert (flows[0]["inflow"], flows[0]["outflow"]) == (inflow, outflow)
    assert 0.10 * len(_persons(running)) < inflow < 0.5 * len(_persons(running))
    reentry = run_metric(warehouse, MetricRequest("benefit_reentry", **year)).records()
    assert 0 < reentry[0]["benefit_reentries"] < reentry[0]["inflow"] == inflow
    provisions_running = run_metric(
        warehouse, MetricRequest("reintegration", on=(day,), per_10000=True)
    ).records()
    assert 80 < provisions_running[0]["per_10000"] < 300
