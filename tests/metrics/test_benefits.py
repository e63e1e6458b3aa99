"""The Participatiewet metrics on worked example P of docs/metrics.md ("Participatiewet"), loaded with the real
``sdm load benefits``: a couple on one benefit, a re-entry after a short and after a long gap, a planned end."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from sdmonitor.errors import InputError
from sdmonitor.metrics import MetricRequest, run_metric
from sdmonitor.warehouse import Warehouse
from tests.benefit_builders import benefit, load_benefits_rows, load_reintegration_rows, provision

MOMENT = date(2021, 6, 30)  # the data moment of example P
HALVES = {"grain": "half", "start": date(2020, 1, 1), "end": date(2021, 6, 30)}

EXAMPLE_P = [
    benefit(benefit_id="U1", client_id="A", gender="1", birth_date="1980-05-01", partner_id="B",
            partner_gender="2", partner_birth_date="1982-02-03", household_type="3", start_date="2020-01-01",
            end_date="2020-12-31", outflow_reason="11", inflow_reason="14"),
    benefit(benefit_id="U2", client_id="A", gender="1", birth_date="1980-05-01", household_type="1",
            start_date="2021-01-20", inflow_reason="02"),
    benefit(benefit_id="U3", client_id="C", gender="2", birth_date="1995-07-15", household_type="2",
            start_date="2020-03-01", end_date="2020-06-30", outflow_reason="11"),
    benefit(benefit_id="U4", client_id="C", gender="2", birth_date="1995-07-15", household_type="2",
            start_date="2021-03-01"),
    benefit(benefit_id="U5", client_id="D", gender="1", birth_date="1960-03-10", regulation="IOAW",
            household_type="1", start_date="2021-02-01", end_date="2021-09-30", outflow_reason="03"),
]  # fmt: skip


@pytest.fixture
def example(warehouse: Warehouse, tmp_path: Path) -> Warehouse:
    summary = load_benefits_rows(warehouse, tmp_path, EXAMPLE_P, extracted_on=MOMENT)
    assert summary.loaded == len(EXAMPLE_P)
    return warehouse


def table(warehouse: Warehouse, name: str, **request: Any) -> list[tuple[Any, ...]]:
    """The rows as output: the measures under their output names and the status at the end."""
    return run_metric(warehouse, MetricRequest(name, **request)).labelled()[1]


def header(warehouse: Warehouse, name: str, **request: Any) -> tuple[str, ...]:
    return run_metric(warehouse, MetricRequest(name, **request)).labelled()[0]


ON = (date(2020, 6, 30), date(2021, 4, 1), date(2021, 6, 30))


def test_a_couple_is_one_benefit_and_two_persons_and_a_planned_end_runs(example: Warehouse) -> None:
    assert header(example, "benefits", on=ON) == ("date", "benefits", "persons", "status")
    assert table(example, "benefits", on=ON) == [
        ("2020-06-30", 2, 3, ""),  # U1 (A and B), U3 (C)
        ("2021-04-01", 3, 3, ""),  # U2, U4, U5
        ("2021-06-30", 3, 3, ""),  # U5 ends on 2021-09-30, after the data moment: it runs
    ]


def test_a_benefit_counts_by_its_applicant_and_a_person_by_their_own_sex(example: Warehouse) -> None:
    assert table(example, "benefits", on=(date(2020, 6, 30),), by=("sex",)) == [
        ("2020-06-30", "man", 1, 1, ""),  # U1 by A; A
        ("2020-06-30", "vrouw", 1, 2, ""),  # U3; B and C
    ]


def test_benefits_by_regulation_and_household_type(example: Warehouse) -> None:
    assert table(example, "benefits", on=(date(2021, 4, 1),), by=("regulation", "household_type")) == [
        ("2021-04-01", "IOAW", "alleenstaande", 1, 1, ""),
        ("2021-04-01", "PW", "alleenstaande", 1, 1, ""),
        ("2021-04-01", "PW", "alleenstaande_ouder", 1, 1, ""),
    ]


def test_a_short_gap_continues_the_episode_whose_duration_counts(example: Warehouse) -> None:
    on = (date(2021, 4, 1),)
    # within five years of the history start (2020-01-01): A's 15 months may be more ("Durations")
    assert table(example, "benefits", on=on, by=("duration_class",)) == [
        ("2021-04-01", "0-6 maanden", 2, 2, "onvolledig"),  # C since 2021-03-01, D since 2021-02-01
        ("2021-04-01", "1-2 jaar", 1, 1, "onvolledig"),  # A since 2020-01-01: 19 days bridged
    ]
    strict = table(example, "benefits", on=on, by=("duration_class",), options={"max_gap_days": 0})
    assert strict == [("2021-04-01", "0-6 maanden", 3, 3, "onvolledig")]


def test_durations_count_the_last_day(example: Warehouse) -> None:
    # A's episode from 2020-01-01: 5 completed months on 2020-05-31 (to 1 June), 6 on 2020-06-30 (to 1 July)
    on = (date(2020, 5, 31), date(2020, 6, 30))
    rows = table(example, "benefits", on=on, by=("duration_class",))
    assert ("2020-05-31", "0-6 maanden", 2, 3, "onvolledig") in rows
    assert ("2020-06-30", "6-12 maanden", 1, 2, "onvolledig") in rows  # U1: A and B; C (4 months) is 0-6


def test_flows_count_persons_and_a_planned_end_is_no_outflow(example: Warehouse) -> None:
    assert header(example, "benefit_flows", **HALVES) == ("period", "inflow", "outflow", "net", "status")
    assert table(example, "benefit_flows", **HALVES) == [
        ("2020-H1", 3, 1, 2, "onvolledig"),  # A, B, C in; C out
        ("2020-H2", 0, 1, -1, ""),  # B out; A's 19 days without a benefit are no flow
        ("2021-H1", 2, 0, 2, "t/m 30-06-2021"),  # C back, D in; D's end is planned
    ]


def test_the_gap_default_is_30_days_for_benefit_flows_and_can_be_0(example: Warehouse) -> None:
    strict = table(example, "benefit_flows", options={"max_gap_days": 0}, **HALVES)
    assert strict == [
        ("2020-H1", 3, 1, 2, "onvolledig"),
        ("2020-H2", 0, 2, -2, ""),  # A and B
        ("2021-H1", 3, 0, 3, "t/m 30-06-2021"),  # A, C, D
    ]
    assert MetricRequest("benefit_flows").option("max_gap_days") == 30
    assert MetricRequest("flows").option("max_gap_days") == 0
    assert MetricRequest("benefit_flows", options={"max_gap_days": 30}) == MetricRequest("benefit_flows")


def test_planned_figures_count_the_planned_end(example: Warehouse) -> None:
    planned = table(
        example, "benefit_flows", grain="half", start=date(2021, 1, 1), end=date(2021, 12, 31), planned=True
    )
    assert planned == [("2021-H1", 2, 0, 2, "gepland"), ("2021-H2", 0, 1, -1, "gepland")]


def test_a_reentry_within_12_months_after_a_long_gap(example: Warehouse) -> None:
    assert table(example, "benefit_reentry", **HALVES) == [
        ("2020-H1", 3, 0, 0.0, "onvolledig"),
        ("2021-H1", 2, 1, 0.5, "t/m 30-06-2021"),  # C, 8 months after 2020-06-30
    ]
    strict = table(example, "benefit_reentry", options={"max_gap_days": 0}, **HALVES)
    assert strict[-1] == ("2021-H1", 3, 2, 0.6667, "t/m 30-06-2021")  # A as well


def test_reentry_periods_within_the_look_back_of_the_history_are_incomplete(example: Warehouse) -> None:
    rows = table(example, "benefit_reentry", grain="half", start=date(2020, 1, 1), end=date(2021, 6, 30),
                 options={"max_gap_days": 0})  # fmt: skip
    assert [(row[0], row[-1]) for row in rows] == [
        ("2020-H1", "onvolledig"),
        ("2021-H1", "t/m 30-06-2021"),
    ]


def test_ended_episodes_by_cbs_duration_class(example: Warehouse) -> None:
    columns = header(example, "benefit_durations", **HALVES)
    assert columns == (
        "period", "outflow", "months_0_6", "months_6_12", "years_1_2", "years_2_3", "years_3_4", "years_4_5",
        "years_5_plus", "status",
    )  # fmt: skip
    assert table(example, "benefit_durations", **HALVES) == [
        ("2020-H1", 1, 1, 0, 0, 0, 0, 0, 0, "onvolledig"),  # C: 4 months
        ("2020-H2", 1, 0, 0, 1, 0, 0, 0, 0, "onvolledig"),  # B: 12 months, maybe more (began on the start)
    ]


def test_outflow_by_cbs_reason_group(example: Warehouse) -> None:
    year = {"grain": "year", "start": date(2020, 1, 1), "end": date(2020, 12, 31)}
    assert header(example, "benefit_outflow_reasons", **year) == (
        "period",
        "reason_group",
        "outflow",
        "status",
    )
    # C (U3, 11) and B (U1, 11) to work; A continues on U2 (short gap), so U1's reason is not A's outflow
    assert table(example, "benefit_outflow_reasons", **year) == [("2020", "werk", 2, "onvolledig")]
    strict = table(example, "benefit_outflow_reasons", options={"max_gap_days": 0}, **year)
    assert strict == [("2020", "werk", 3, "onvolledig")]


def test_inflow_by_reason_group_in_cbs_order(example: Warehouse) -> None:
    assert table(example, "benefit_inflow_reasons", **HALVES) == [
        ("2020-H1", "andere_uitkering", 2, "onvolledig"),  # A and B (U1: end of unemployment benefit)
        ("2020-H1", "onbekend", 1, "onvolledig"),  # C
        ("2021-H1", "onbekend", 2, "t/m 30-06-2021"),  # C, D
    ]


def test_per_10000_inhabitants_aged_18_and_over(example: Warehouse, tmp_path: Path) -> None:
    from sdmonitor.reference import POPULATION, load_reference

    population = tmp_path / "bevolking.csv"
    population.write_text(
        "gemeentecode;jaar;leeftijd;geslacht;aantal\n1621;2021;17;1;5000\n1621;2021;18;1;10000\n"
        "1621;2021;40;2;20000\n",
        encoding="utf-8",
    )
    load_reference(example, POPULATION, population, now=datetime(2024, 1, 1))
    result = run_metric(example, MetricRequest("benefits", on=(date(2021, 4, 1),), per_10000=True))
    assert result.labelled() == (
        ("date", "benefits", "persons", "per_10000", "status"),
        [("2021-04-01", 3, 3, 1.0, "")],  # 3 persons of 30,000 inhabitants aged 18 and over
    )
    by_sex = run_metric(
        example, MetricRequest("benefits", on=(date(2021, 4, 1),), by=("sex",), per_10000=True)
    )
    assert by_sex.rows == [("2021-04-01", "man", 2, 2, 2.0), ("2021-04-01", "vrouw", 1, 1, 0.5)]
    with pytest.raises(InputError, match="--per-10000 hoort bij benefits, reintegration"):
        run_metric(example, MetricRequest("benefit_flows", per_10000=True, **HALVES))


def test_per_10000_on_a_date_without_its_own_population_uses_the_latest_earlier_year(
    example: Warehouse, tmp_path: Path
) -> None:
    from sdmonitor.reference import POPULATION, load_reference

    population = tmp_path / "bevolking.csv"
    population.write_text(
        "gemeentecode;jaar;leeftijd;geslacht;aantal\n1621;2020;18;1;10000\n1621;2020;40;2;20000\n",
        encoding="utf-8",
    )
    load_reference(example, POPULATION, population, now=datetime(2024, 1, 1))
    same_year = run_metric(example, MetricRequest("benefits", on=(date(2020, 6, 1),), per_10000=True))
    assert same_year.notes == ()
    later = run_metric(example, MetricRequest("benefits", on=(date(2021, 4, 1),), per_10000=True))
    (row,) = later.records()
    assert row["per_10000"] == round(row["persons"] / 30000 * 10000, 2) == 1.0  # 3 of 30,000 (of 2020)
    assert later.notes == (
        "Per 10.000 inwoners: voor 2021 de bevolking van 2020 (de laatste geladen, sdm load population).",
    )


def test_per_10000_before_the_first_population_year_is_empty_and_says_why(
    example: Warehouse, tmp_path: Path
) -> None:
    from sdmonitor.reference import POPULATION, load_reference

    population = tmp_path / "bevolking.csv"
    population.write_text(
        "gemeentecode;jaar;leeftijd;geslacht;aantal\n1621;2021;18;1;10000\n1621;2021;40;2;20000\n",
        encoding="utf-8",
    )
    load_reference(example, POPULATION, population, now=datetime(2024, 1, 1))
    # never a later year: 2020 has no population of its own or before, so its rate is empty, said in Dutch
    result = run_metric(
        example, MetricRequest("benefits", on=(date(2020, 6, 1), date(2021, 4, 1)), per_10000=True)
    )
    assert [r["per_10000"] for r in result.records()] == [None, 1.0]
    assert result.notes == (
        "Per 10.000 inwoners leeg voor 2020: geen bevolking van dat jaar of eerder geladen "
        "(sdm load population).",
    )


def test_a_population_in_bands_across_18_is_refused(example: Warehouse, tmp_path: Path) -> None:
    from sdmonitor.reference import POPULATION, load_reference

    population = tmp_path / "bevolking.csv"
    population.write_text(
        "gemeentecode;jaar;leeftijdsklasse;geslacht;aantal\n1621;2021;0-14;1;500\n1621;2021;15-24;1;400\n"
        "1621;2021;25+;2;100\n",
        encoding="utf-8",
    )
    load_reference(example, POPULATION, population, now=datetime(2024, 1, 1))
    with pytest.raises(
        InputError, match="leeftijdsklassen \\(zoals 15-24\\) die niet samenvallen met 18 jaar"
    ):
        run_metric(example, MetricRequest("benefits", on=(date(2021, 4, 1),), per_10000=True))
    # 15-64 fits these bands only partly: 25+ straddles 64
    with pytest.raises(InputError, match="zoals 25\\+\\) die niet samenvallen met 15 tot en met 64 jaar"):
        run_metric(example, MetricRequest("reintegration", on=(date(2021, 4, 1),), per_10000=True))


def test_reintegration_provisions_on_a_date_per_10000_aged_15_to_64(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    from sdmonitor.reference import POPULATION, load_reference

    load_reintegration_rows(warehouse, tmp_path, [
        provision(provision_id="R1", client_id="A", provision_type="03", start_date="2021-01-01"),
        provision(provision_id="R2", client_id="A", provision_type="04", start_date="2021-02-01",
                  end_date="2021-03-31"),
        provision(provision_id="R3", client_id="C", provision_type="03", start_date="2021-05-01"),
    ], extracted_on=MOMENT)  # fmt: skip
    population = tmp_path / "bevolking.csv"
    population.write_text(
        "gemeentecode;jaar;leeftijdsklasse;geslacht;aantal\n1621;2021;0-14;1;500\n1621;2021;15-64;1;20000\n"
        "1621;2021;65+;2;100\n",
        encoding="utf-8",
    )
    load_reference(warehouse, POPULATION, population, now=datetime(2024, 1, 1))
    on = (date(2021, 3, 1), date(2021, 6, 1))
    assert table(warehouse, "reintegration", on=on, per_10000=True) == [
        ("2021-03-01", 2, 1.0, ""),
        ("2021-06-01", 2, 1.0, ""),
    ]
    assert table(warehouse, "reintegration", on=on, by=("provision_type",)) == [
        ("2021-03-01", "03", 1, ""),
        ("2021-03-01", "04", 1, ""),
        ("2021-06-01", "03", 2, ""),
    ]


def test_a_date_after_the_data_moment_is_refused(example: Warehouse) -> None:
    with pytest.raises(InputError, match="Peildatum 2021-07-01 ligt na het datamoment 30-06-2021"):
        run_metric(example, MetricRequest("benefits", on=(date(2021, 7, 1),)))


def test_benefits_and_rates_by_wijk(warehouse: Warehouse, tmp_path: Path) -> None:
    from sdmonitor.reference import POPULATION, POSTCODE_AREAS, load_reference

    areas = tmp_path / "wijken.csv"
    areas.write_text("pc4;wijkcode;wijknaam\n2651;WK1;Berkel\n2661;WK2;Bleiswijk\n", encoding="utf-8")
    load_reference(warehouse, POSTCODE_AREAS, areas, now=datetime(2024, 1, 1))
    population = tmp_path / "bevolking.csv"
    population.write_text(
        "gemeentecode;wijkcode;jaar;leeftijd;geslacht;aantal\n1621;WK1;2021;30;1;4000\n1621;WK2;2021;30;1;2000\n",
        encoding="utf-8",
    )
    load_reference(warehouse, POPULATION, population, now=datetime(2024, 1, 1))
    load_benefits_rows(warehouse, tmp_path, [
        benefit(benefit_id="U1", client_id="A", partner_id="B", partner_birth_date="1982-02-03",
                start_date="2021-01-01", postcode="2651 AB"),
        benefit(benefit_id="U2", client_id="C", start_date="2021-01-01", postcode="2661 CD"),
        benefit(benefit_id="U3", client_id="D", start_date="2021-01-01"),
    ], extracted_on=MOMENT)  # fmt: skip
    assert table(warehouse, "benefits", on=(date(2021, 4, 1),), by=("wijk",), per_10000=True) == [
        ("2021-04-01", "Berkel", 1, 2, 5.0, ""),  # the couple: 2 of 4,000
        ("2021-04-01", "Bleiswijk", 1, 1, 5.0, ""),
        ("2021-04-01", "onbekend", 1, 1, None, ""),  # no postcode: no wijk, no population
    ]


def test_a_partner_who_is_an_applicant_elsewhere_is_one_person(warehouse: Warehouse, tmp_path: Path) -> None:
    from tests.builders import BSN_B

    load_benefits_rows(warehouse, tmp_path, [
        benefit(benefit_id="U1", client_id="A", partner_bsn=BSN_B, partner_birth_date="1982-02-03",
                start_date="2021-01-01"),
        benefit(benefit_id="U2", client_id=None, bsn=BSN_B, birth_date="1982-02-03", start_date="2021-02-01",
                end_date="2021-02-28"),
    ], extracted_on=MOMENT)  # fmt: skip
    assert table(warehouse, "benefits", on=(date(2021, 2, 15),)) == [("2021-02-15", 2, 2, "")]
    # B's own benefit lies within B's episode as A's partner: no flow of its own
    year = {"grain": "year", "start": date(2021, 1, 1), "end": date(2021, 12, 31), "planned": True}
    assert table(warehouse, "benefit_flows", **year) == [("2021", 2, 0, 2, "gepland, onvolledig")]
