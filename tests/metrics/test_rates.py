"""Rates per 1,000 and per 10,000 inhabitants with the Participatiewet (docs/metrics.md, "Per 1,000
inhabitants" and "Rates"), on a real warehouse with a population loaded by ``sdm load population``.

The cross-law example, on 30 June 2018 (2018 population: 2,000 aged 8, 6,000 aged 40, 2,000 aged 78):

    W  Wmo allocation, born 1940              one client of WMO
    J  Jeugdwet allocation, born 2010         one client of JW
    A + B  a couple on one benefit (PW)       two clients of PW
    C  a benefit (PW), born 1950              one client of PW

By law per 1,000: WMO 1 of 10,000 (all inhabitants) = 0.1; JW 1 of 2,000 aged 0-17 = 0.5; PW 3 of 8,000 aged 18
and over = 0.38.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sdmonitor.errors import InputError
from sdmonitor.loading import LoadOptions, load_allocations
from sdmonitor.metrics import CATALOGUE, MetricRequest, run_metric
from sdmonitor.metrics.catalogue import BENEFITS, REINTEGRATION
from sdmonitor.metrics.compare import add_per_1000, per_wijk
from sdmonitor.metrics.dimensions import UNKNOWN
from sdmonitor.reference import POPULATION, POSTCODE_AREAS, load_reference
from sdmonitor.warehouse import Warehouse
from tests.benefit_builders import benefit, load_benefits_rows, load_reintegration_rows, provision
from tests.builders import allocation, write_csv

ON = (date(2018, 6, 30),)
YEAR_2018 = {"start": date(2018, 1, 1), "end": date(2018, 12, 31)}
MOMENT = date(2018, 12, 31)
POPULATION_2018 = "gemeentecode;jaar;leeftijd;geslacht;aantal\n0599;2018;8;1;2000\n0599;2018;40;2;6000\n0599;2018;78;1;2000\n"
PARTICIPATIEWET_METRICS = [name for name, m in CATALOGUE.items() if m.reads in (BENEFITS, REINTEGRATION)]


def load_population(warehouse: Warehouse, tmp_path: Path, text: str) -> None:
    path = tmp_path / "bevolking.csv"
    path.write_text(text, encoding="utf-8")
    load_reference(warehouse, POPULATION, path, now=datetime(2019, 1, 1))


def load_areas(warehouse: Warehouse, tmp_path: Path) -> None:
    path = tmp_path / "wijken.csv"
    path.write_text("pc4;wijkcode;wijknaam\n2651;WK1;Berkel\n2661;WK2;Bleiswijk\n", encoding="utf-8")
    load_reference(warehouse, POSTCODE_AREAS, path, now=datetime(2019, 1, 1))


@pytest.fixture
def cross_law(warehouse: Warehouse, tmp_path: Path) -> Warehouse:
    allocations = [
        allocation("w", client="W", birth="1940-01-01", start="2018-01-01"),
        allocation("j", client="J", law="JW", category="45", birth="2010-01-01", start="2018-01-01"),
    ]
    load_allocations(
        warehouse, write_csv(tmp_path / "t.csv", allocations), LoadOptions(), now=datetime(2019, 1, 1)
    )
    load_benefits_rows(warehouse, tmp_path, [
        benefit(benefit_id="U1", client_id="A", birth_date="1980-01-01", partner_id="B",
                partner_birth_date="1982-01-01", household_type="3", start_date="2018-01-01"),
        benefit(benefit_id="U2", client_id="C", birth_date="1950-01-01", start_date="2018-01-01"),
    ], extracted_on=MOMENT)  # fmt: skip
    load_population(warehouse, tmp_path, POPULATION_2018)
    return warehouse


def rows(warehouse: Warehouse, name: str, **request: Any) -> list[tuple[Any, ...]]:
    return run_metric(warehouse, MetricRequest(name, **request)).rows


# --- --per-1000 and the Participatiewet ------------------------------------------------------------------------


@pytest.mark.parametrize("name", PARTICIPATIEWET_METRICS)
def test_per_1000_is_refused_on_every_participatiewet_metric_pointing_to_per_10000(
    cross_law: Warehouse, name: str
) -> None:
    request: dict[str, Any] = {"on": ON} if CATALOGUE[name].on_dates else {"grain": "half", **YEAR_2018}
    with pytest.raises(
        InputError, match=f"--per-1000 hoort niet bij '{name}': de Participatiewet telt"
    ) as refused:
        run_metric(cross_law, MetricRequest(name, per_1000=True, **request))
    assert "--per-10000" in str(refused.value)


def test_the_refusal_names_the_persons_and_ages_of_the_bbv_rate(cross_law: Warehouse) -> None:
    with pytest.raises(InputError) as benefits:
        run_metric(cross_law, MetricRequest("benefits", on=ON, per_1000=True, per_10000=True))
    assert str(benefits.value) == (
        "--per-1000 hoort niet bij 'benefits': de Participatiewet telt personen per 10.000 inwoners van 18 jaar "
        "en ouder (BBV-indicator); gebruik sdm metric benefits --per-10000."
    )
    with pytest.raises(
        InputError, match=r"re-integratievoorzieningen per 10\.000 inwoners van 15 tot en met 64"
    ):
        run_metric(cross_law, MetricRequest("reintegration", on=ON, per_1000=True))


def test_per_1000_by_law_divides_participatiewet_by_inhabitants_aged_18_and_over(
    cross_law: Warehouse,
) -> None:
    # WMO 1 of 10,000 inhabitants; JW 1 of 2,000 aged 0-17; PW 3 persons of 8,000 aged 18 and over
    assert rows(cross_law, "stock", on=ON, by=("law",), per_1000=True) == [
        ("2018-06-30", "JW", 1, 0.5),
        ("2018-06-30", "PW", 3, 0.38),
        ("2018-06-30", "WMO", 1, 0.1),
    ]
    assert rows(cross_law, "clients", grain="half", start=date(2018, 1, 1), end=date(2018, 6, 30), by=("law",),
                per_1000=True) == [("2018-H1", "JW", 1, 0.5), ("2018-H1", "PW", 3, 0.38), ("2018-H1", "WMO", 1, 0.1)]  # fmt: skip
    # without law every client is over all inhabitants: 5 of 10,000
    assert rows(cross_law, "stock", on=ON, per_1000=True) == [("2018-06-30", 5, 0.5)]


def test_per_1000_by_law_and_age_divides_by_the_row_s_own_age_group(cross_law: Warehouse) -> None:
    # by target group: PW volwassenen 2 of 6,000 (18-64), ouderen 1 of 2,000 (65+), whatever the law
    assert rows(cross_law, "stock", on=ON, by=("law", "target_group"), per_1000=True) == [
        ("2018-06-30", "JW", "jeugd", 1, 0.5),
        ("2018-06-30", "PW", "ouderen", 1, 0.5),
        ("2018-06-30", "PW", "volwassenen", 2, 0.33),
        ("2018-06-30", "WMO", "ouderen", 1, 0.5),
    ]
    # by age band: the band's inhabitants aged 18 and over, for PW the whole band
    assert rows(cross_law, "stock", on=ON, by=("law", "age_band"), per_1000=True) == [
        ("2018-06-30", "JW", "0-17", 1, 0.5),
        ("2018-06-30", "PW", "18-64", 2, 0.33),
        ("2018-06-30", "PW", "65+", 1, 0.5),
        ("2018-06-30", "WMO", "65+", 1, 0.5),
    ]


def test_a_population_band_across_18_gives_participatiewet_no_rate_per_1000(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load_benefits_rows(warehouse, tmp_path, [benefit(benefit_id="U1", client_id="A", start_date="2018-01-01")],
                       extracted_on=MOMENT)  # fmt: skip
    load_population(
        warehouse, tmp_path, "gemeentecode;jaar;leeftijdsklasse;geslacht;aantal\n0599;2018;0-14;1;500\n"
        "0599;2018;15-24;1;400\n0599;2018;25+;2;100\n",
    )  # fmt: skip
    # 15-24 straddles 18: the inhabitants aged 18 and over are unknown, so no rate rather than a wrong one
    assert rows(warehouse, "stock", on=ON, by=("law",), per_1000=True) == [("2018-06-30", "PW", 1, None)]


# --- rates by wijk -----------------------------------------------------------------------------------------------


@pytest.fixture
def by_wijk(warehouse: Warehouse, tmp_path: Path) -> Warehouse:
    load_areas(warehouse, tmp_path)
    load_benefits_rows(warehouse, tmp_path, [
        benefit(benefit_id="U1", client_id="A", partner_id="B", partner_birth_date="1982-02-03",
                start_date="2018-01-01", postcode="2651 AB"),
        benefit(benefit_id="U2", client_id="C", start_date="2018-01-01", postcode="2661 CD"),
        benefit(benefit_id="U3", client_id="D", start_date="2018-01-01"),
    ], extracted_on=MOMENT)  # fmt: skip
    load_reintegration_rows(warehouse, tmp_path, [
        provision(provision_id="R1", client_id="A", start_date="2018-01-01", postcode="2651 AB"),
        provision(provision_id="R2", client_id="D", start_date="2018-01-01"),
    ], extracted_on=MOMENT)  # fmt: skip
    return warehouse


def test_without_a_population_per_wijk_every_wijk_rate_is_empty_and_the_note_says_why(
    by_wijk: Warehouse, tmp_path: Path
) -> None:
    load_population(by_wijk, tmp_path, POPULATION_2018)  # the municipality only, no wijkcode
    result = run_metric(by_wijk, MetricRequest("benefits", on=ON, by=("wijk",), per_10000=True))
    # 'onbekend' (no postcode) is not divided by the whole municipality: that would be 1 of 8,000 adults
    assert result.rows == [
        ("2018-06-30", "Berkel", 1, 2, None),
        ("2018-06-30", "Bleiswijk", 1, 1, None),
        ("2018-06-30", "onbekend", 1, 1, None),
    ]
    assert result.notes == (
        "Per 10.000 inwoners leeg per wijk voor 2018: de bevolking is niet per wijk geladen (sdm load population "
        "met de kolom wijkcode).",
    )
    provisions = run_metric(by_wijk, MetricRequest("reintegration", on=ON, by=("wijk",), per_10000=True))
    assert [row[-1] for row in provisions.rows] == [None, None]
    assert len(provisions.notes) == 1 and "leeg per wijk voor 2018" in provisions.notes[0]
    stock = run_metric(by_wijk, MetricRequest("stock", on=ON, by=("wijk",), per_1000=True))
    assert [row[-1] for row in stock.rows] == [None, None, None]
    assert stock.notes == (
        "Per 1.000 inwoners leeg per wijk voor 2018: de bevolking is niet per wijk geladen (sdm load population "
        "met de kolom wijkcode).",
    )


def test_with_a_population_per_wijk_named_wijken_get_their_rate_and_onbekend_none(
    by_wijk: Warehouse, tmp_path: Path
) -> None:
    load_population(
        by_wijk, tmp_path, "gemeentecode;wijkcode;jaar;leeftijd;geslacht;aantal\n0599;WK1;2018;30;1;4000\n"
        "0599;WK1;2018;8;1;1000\n0599;WK2;2018;30;1;2000\n0599;;2018;30;1;500\n",
    )  # fmt: skip
    result = run_metric(by_wijk, MetricRequest("benefits", on=ON, by=("wijk",), per_10000=True))
    assert result.rows == [
        ("2018-06-30", "Berkel", 1, 2, 5.0),  # the couple: 2 of 4,000 aged 18 and over
        ("2018-06-30", "Bleiswijk", 1, 1, 5.0),  # 1 of 2,000
        ("2018-06-30", "onbekend", 1, 1, None),  # the 500 without a wijk are not the clients without one
    ]
    assert result.notes == ()
    provisions = run_metric(by_wijk, MetricRequest("reintegration", on=ON, by=("wijk",), per_10000=True))
    assert provisions.rows == [("2018-06-30", "Berkel", 1, 2.5), ("2018-06-30", "onbekend", 1, None)]
    # per 1,000 of all inhabitants of the wijk (Berkel 5,000: the 1,000 children count too); PW by law: 18+
    assert rows(by_wijk, "stock", on=ON, by=("wijk",), per_1000=True) == [
        ("2018-06-30", "Berkel", 2, 0.4),
        ("2018-06-30", "Bleiswijk", 1, 0.5),
        ("2018-06-30", "onbekend", 1, None),
    ]
    assert rows(by_wijk, "stock", on=ON, by=("wijk", "law"), per_1000=True)[0] == (
        "2018-06-30",
        "Berkel",
        "PW",
        2,
        0.5,
    )


# --- the pure parts against a simple reference -------------------------------------------------------------------

WIJKEN = st.sampled_from(["Berkel", "Bleiswijk", UNKNOWN])
LAWS = st.sampled_from(["JW", "PW", "WMO"])


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(st.tuples(st.sampled_from([2018, 2019]), WIJKEN), st.integers(1, 10_000), max_size=6),
    st.lists(st.tuples(st.sampled_from(["2018", "2019"]), WIJKEN, LAWS, st.integers(0, 50)), max_size=8),
)
def test_rates_per_wijk_and_law_match_a_simple_reference(
    inhabitants: dict[tuple[Any, ...], int], table: list[tuple[Any, ...]]
) -> None:
    youth = {key: max(n // 4, 1) for key, n in inhabitants.items()}
    adults = {key: max(n // 2, 1) for key, n in inhabitants.items()}
    years = {int(row[0]) for row in table}
    filled = [per_wijk(d, 1, years, "per 1.000 inwoners")[0] for d in (inhabitants, youth, adults)]
    last_days = {"2018": date(2018, 12, 31), "2019": date(2019, 12, 31)}
    columns = ("period", "wijk", "law", "clients")
    _, out = add_per_1000(columns, table, ("wijk", "law"), last_days, *filled)
    for row, got in zip(table, out, strict=True):
        period, wijk, law, clients = row
        population = {"JW": youth, "PW": adults}.get(law, inhabitants).get((int(period), wijk))
        expected = None if wijk == UNKNOWN or not population else round(clients / population * 1000, 2)
        assert got == (*row, expected)
    _, note = per_wijk(inhabitants, 1, years, "per 1.000 inwoners")
    without = sorted(y for y in years if any(k[0] == y for k in inhabitants) and all(
        k[1] == UNKNOWN for k in inhabitants if k[0] == y))  # fmt: skip
    assert (note is None) == (not without)
    if note is not None:
        assert note.startswith(f"Per 1.000 inwoners leeg per wijk voor {', '.join(map(str, without))}:")


# --- through the CLI (the reviewer's reproduction, small) --------------------------------------------------------


def test_the_cli_refuses_per_1000_on_benefits_and_says_why_wijk_rates_are_empty(tmp_path: Path) -> None:
    from tests.benefit_builders import write_benefits
    from tests.cli.test_cli import sdm

    path = write_benefits(tmp_path / "uitkeringen.csv", [
        benefit(benefit_id="U1", client_id="A", partner_id="B", partner_birth_date="1982-02-03",
                start_date="2024-01-01", postcode="2651 AB"),
        benefit(benefit_id="U2", client_id="D", start_date="2024-01-01"),
    ])  # fmt: skip
    assert sdm("load", "benefits", str(path), "--extracted-on", "2024-06-30", cwd=tmp_path).returncode == 0
    areas = tmp_path / "wijken.csv"
    areas.write_text("pc4,wijk_code,wijk_name,municipality_code\n2651,WK1,Centrum,1621\n", encoding="utf-8")
    assert sdm("load", "areas", str(areas), cwd=tmp_path).returncode == 0
    population = tmp_path / "bevolking.csv"
    population.write_text("municipality_code,year,age,sex,count\n1621,2024,40,1,30000\n", encoding="utf-8")
    assert sdm("load", "population", str(population), cwd=tmp_path).returncode == 0

    both = sdm("metric", "benefits", "--on", "2024-06-30", "--per-1000", "--per-10000", cwd=tmp_path)
    assert both.returncode != 0 and both.stdout == ""
    assert "Fout: --per-1000 hoort niet bij 'benefits'" in both.stderr and "--per-10000" in both.stderr
    assert "Traceback" not in both.stderr

    by_wijk = sdm("metric", "benefits", "--on", "2024-06-30", "--by", "wijk", "--per-10000", "--format", "csv",
                  cwd=tmp_path)  # fmt: skip
    assert by_wijk.returncode == 0, by_wijk.stderr
    assert by_wijk.stdout.splitlines() == [
        "date,wijk,benefits,persons,per_10000,status",
        "2024-06-30,Centrum,1,2,,",
        "2024-06-30,onbekend,1,1,,",  # not 1 of all 30,000 adults (0.3)
    ]
    assert by_wijk.stderr.count("Per 10.000 inwoners leeg per wijk voor 2024") == 1


def test_a_rate_on_an_exact_half_is_rounded_up_in_every_output(tmp_path: Path) -> None:
    """3 persons of 40,000 adults: 0.75 per 10,000 and 0.075 per 1,000, written 0.8 and 0.08 (a half away from
    zero, as DuckDB rounds the measures); the float 3 / 40000 * 10000 is 0.74999... and was written 0.7."""
    from tests.benefit_builders import write_benefits
    from tests.cli.test_cli import sdm

    path = write_benefits(tmp_path / "uitkeringen.csv", [
        benefit(benefit_id="U1", client_id="A", partner_id="B", partner_birth_date="1979-01-01",
                start_date="2018-01-01"),
        benefit(benefit_id="U2", client_id="C", start_date="2018-01-01"),
    ])  # fmt: skip
    assert sdm("load", "benefits", str(path), "--extracted-on", "2018-12-31", cwd=tmp_path).returncode == 0
    population = tmp_path / "bevolking.csv"
    population.write_text("municipality_code,year,age,sex,count\n0599,2018,40,1,40000\n", encoding="utf-8")
    assert sdm("load", "population", str(population), cwd=tmp_path).returncode == 0

    for output in ("csv", "json"):
        rate = sdm(
            "metric", "benefits", "--on", "2018-06-30", "--per-10000", "--format", output, cwd=tmp_path
        )
        assert rate.returncode == 0, rate.stderr
        assert (
            ("2018-06-30,2,3,0.8," in rate.stdout) if output == "csv" else ('"per_10000": 0.8' in rate.stdout)
        )
    stock = sdm("metric", "stock", "--on", "2018-06-30", "--by", "law", "--per-1000", "--format", "csv",
                cwd=tmp_path)  # fmt: skip
    assert stock.stdout.splitlines()[1:] == ["2018-06-30,PW,3,0.08,"]
