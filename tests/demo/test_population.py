"""Population, postcode areas and providers: consistent with each other and with the allocations."""

from __future__ import annotations

from collections import Counter, defaultdict

from sdmonitor.demo.providers import PROVIDER_TYPES
from tests.demo.helpers import Run, age_on, as_date, read_csv_rows


def _population(run: Run) -> list[dict[str, str]]:
    return read_csv_rows(run.files.population)


def test_population_sums_are_close_to_inhabitants_every_year(municipality: Run) -> None:
    totals: Counter[int] = Counter()
    for row in _population(municipality):
        totals[int(row["year"])] += int(row["count"])
    assert sorted(totals) == list(range(2015, 2025))
    for total in totals.values():
        assert abs(total - 20_000) < 0.05 * 20_000
    assert totals[2024] > totals[2015]  # slow growth, as in the Netherlands


def test_region_municipalities_vary_around_inhabitants(region: Run) -> None:
    totals: Counter[str] = Counter()
    for row in _population(region):
        if row["year"] == "2015":
            totals[row["municipality_code"]] += int(row["count"])
    assert sorted(totals) == ["9901", "9902", "9903"]
    assert all(0.65 * 4_000 < total < 1.35 * 4_000 for total in totals.values())


def test_population_has_every_age_and_sex_for_every_wijk_and_year(municipality: Run) -> None:
    rows = _population(municipality)
    assert list(rows[0]) == ["municipality_code", "wijk_code", "year", "age", "sex", "count"]
    cells = {(r["wijk_code"], r["year"], int(r["age"]), r["sex"]) for r in rows}
    wijken = {r["wijk_code"] for r in rows}
    assert len(cells) == len(rows) == len(wijken) * 10 * 101 * 2


def test_age_pyramid_is_dutch_like(municipality: Run) -> None:
    by_age: Counter[int] = Counter()
    for row in _population(municipality):
        if row["year"] == "2020":
            by_age[int(row["age"])] += int(row["count"])
    total = sum(by_age.values())
    youth = sum(by_age[a] for a in range(18)) / total
    elderly = sum(by_age[a] for a in range(65, 101)) / total
    assert 0.17 < youth < 0.22  # CBS 2020: 19.6 %
    assert 0.16 < elderly < 0.23  # CBS 2020: 19.5 %
    assert by_age[100] < by_age[90] < by_age[80] < by_age[60]


def test_population_ages_one_year_per_year(municipality: Run) -> None:
    cohort: defaultdict[int, int] = defaultdict(int)
    for row in _population(municipality):
        year, age = int(row["year"]), int(row["age"])
        if year - age == 1970:
            cohort[year] += int(row["count"])
    assert len(cohort) == 10
    counts = [cohort[year] for year in sorted(cohort)]
    assert max(counts) < 1.3 * min(counts)  # the same people, give or take migration


def test_clients_live_in_the_municipalitys_postcode_areas(municipality: Run) -> None:
    pc4s = {row["pc4"] for row in read_csv_rows(municipality.files.postcode_areas)}
    assert {str(row["postcode"])[:4] for row in municipality.rows} <= pc4s


def test_client_counts_fit_within_the_population(municipality: Run) -> None:
    people: Counter[tuple[int, int]] = Counter()
    for row in _population(municipality):
        if row["year"] == "2020":
            people[(int(row["age"]), int(row["sex"]))] += int(row["count"])
    clients = {
        row["client_id"]: (as_date(row["birth_date"]), row["gender"])
        for row in municipality.rows
        if as_date(row["start_date"]).year == 2020
    }
    by_age: Counter[int] = Counter(age_on(birth, as_date("2020-01-01")) for birth, _ in clients.values())
    for age, count in by_age.items():
        if 0 <= age <= 100:
            assert count <= people[(age, 1)] + people[(age, 2)] + 5


def test_postcode_areas_give_each_municipality_six_to_twelve_wijken(region: Run) -> None:
    rows = read_csv_rows(region.files.postcode_areas)
    assert list(rows[0]) == ["pc4", "wijk_code", "wijk_name", "municipality_code"]
    pc4s = [row["pc4"] for row in rows]
    assert len(set(pc4s)) == len(pc4s)
    assert all(1000 <= int(pc4) <= 9999 for pc4 in pc4s)
    wijken: defaultdict[str, set[str]] = defaultdict(set)
    per_wijk: Counter[str] = Counter()
    for row in rows:
        wijken[row["municipality_code"]].add(row["wijk_code"])
        per_wijk[row["wijk_code"]] += 1
    assert sorted(wijken) == ["9901", "9902", "9903"]
    assert all(6 <= len(codes) <= 12 for codes in wijken.values())
    assert all(1 <= count <= 4 for count in per_wijk.values())
    assert any(row["wijk_name"] == "Centrum" for row in rows)


def test_providers_are_shared_by_the_region_and_deliver_fitting_products(region: Run) -> None:
    providers = read_csv_rows(region.files.providers)
    assert list(providers[0]) == ["provider_code", "provider_name", "provider_type"]
    assert 30 <= len(providers) <= 60
    codes = [p["provider_code"] for p in providers]
    assert len(set(codes)) == len(codes) and all(len(c) == 8 and c.isdigit() for c in codes)
    assert len({p["provider_name"] for p in providers}) == len(providers)
    assert {p["provider_type"] for p in providers} == set(PROVIDER_TYPES)
    kind = {p["provider_code"]: p["provider_type"] for p in providers}
    for row in region.rows:
        provider_type = kind[str(row["provider_code"])]
        if row["law"] == "JW" and row["product_category"] in {"47", "48"}:
            assert provider_type == "jeugdhulp"
        if str(row["product_code"]) in {"02D01", "07D01"}:
            assert provider_type == "ouderenzorg"
        if str(row["product_code"]) in {"02L01", "07L01"}:
            assert provider_type == "gehandicaptenzorg"
        if row["product_category"] in {"11", "12", "13", "14"}:
            assert provider_type == "thuiszorg_maatschappelijke_dienstverlening"
    municipalities: defaultdict[object, set[object]] = defaultdict(set)
    for row in region.rows:
        municipalities[row["provider_code"]].add(row["municipality_code"])
    assert sum(len(codes) == 3 for codes in municipalities.values()) >= 10
