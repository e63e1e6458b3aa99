"""Clients across the three laws (issue 14): a person on a running benefit is a client of law PW in the metrics
about clients at a time, with the client key of all laws (docs/metrics.md, "Clients across the three laws").

The worked example of the docs, loaded with the real load jobs (both exports of 2024-03-01, source 'standaard',
so client numbers name the same client in both files):

| row | client | what | start | end |
|---|---|---|---|---|
| U1 | A (C1, 1980-03-15), partner B (C2, 1982-05-01) | benefit PW, a couple | 2023-07-01 | (running) |
| U2 | E (C4, 1961-02-01) | benefit IOAW | 2023-01-01 | 2023-12-31 |
| T1 | B (C2) | Wmo 01, hulp bij het huishouden | 2023-10-01 | (open) |
| T2 | D (C3, 2010-01-01) | Jeugdwet 45 | 2024-01-01 | (open) |
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from sdmonitor.domain.periods import Period
from sdmonitor.errors import InputError
from sdmonitor.metrics import CATALOGUE, MetricRequest, run_metric
from sdmonitor.metrics.catalogue import ALLOCATIONS
from sdmonitor.metrics.dimensions import AgeBands
from sdmonitor.metrics.drilldown import client_rows
from sdmonitor.metrics.run import build, show_sql
from sdmonitor.warehouse import Warehouse
from tests.access_builders import load_allocations_rows
from tests.benefit_builders import benefit, load_benefits_rows
from tests.builders import allocation

NEW_YEAR = date(2024, 1, 1)
NEW_YEARS_EVE = date(2023, 12, 31)


def load_worked_example(
    warehouse: Warehouse, tmp_path: Path, *, benefits_on: date = date(2024, 3, 1)
) -> None:
    load_allocations_rows(warehouse, tmp_path, [
        allocation("T1", client="C2", birth="1982-05-01", law="WMO", category="01", start="2023-10-01"),
        allocation("T2", client="C3", birth="2010-01-01", law="JW", category="45", start="2024-01-01"),
    ])  # fmt: skip
    load_benefits_rows(warehouse, tmp_path, [
        benefit(benefit_id="U1", client_id="C1", birth_date="1980-03-15", start_date="2023-07-01",
                partner_id="C2", partner_birth_date="1982-05-01", partner_gender="1", household_type="3"),
        benefit(benefit_id="U2", client_id="C4", birth_date="1961-02-01", regulation="IOAW",
                start_date="2023-01-01", end_date="2023-12-31"),
    ], extracted_on=benefits_on)  # fmt: skip


def rows(warehouse: Warehouse, name: str, **request: Any) -> list[tuple[Any, ...]]:
    return run_metric(warehouse, MetricRequest(name, **request)).rows


def test_a_couple_on_one_benefit_is_two_clients_and_the_partner_with_wmo_is_one(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load_worked_example(warehouse, tmp_path)
    assert rows(warehouse, "stock", on=(NEW_YEAR,)) == [("2024-01-01", 3)]  # A, B, D: B once
    assert rows(warehouse, "stock", on=(NEW_YEAR,), by=("law",)) == [
        ("2024-01-01", "JW", 1),
        ("2024-01-01", "PW", 2),  # A and B: two persons on one benefit
        ("2024-01-01", "WMO", 1),  # B
    ]
    assert rows(warehouse, "stock", on=(NEW_YEAR,), by=("law", "target_group")) == [
        ("2024-01-01", "JW", "jeugd", 1),
        ("2024-01-01", "PW", "volwassenen", 2),
        ("2024-01-01", "WMO", "volwassenen", 1),
    ]
    half = {"grain": "half", "start": date(2023, 7, 1), "end": NEW_YEARS_EVE}
    assert rows(warehouse, "clients", **half) == [("2023-H2", 3)]  # A, B, E
    assert rows(warehouse, "clients", by=("law",), **half) == [("2023-H2", "PW", 3), ("2023-H2", "WMO", 1)]
    assert rows(warehouse, "clients", by=("target_group",), **half) == [("2023-H2", "volwassenen", 3)]


def test_stacking_combines_the_benefit_with_the_groups_of_the_other_laws(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load_worked_example(warehouse, tmp_path)
    assert rows(warehouse, "stacking_combinations", on=(NEW_YEAR,)) == [
        ("2024-01-01", "bijstand", 1),  # A
        ("2024-01-01", "bijstand + hulp bij het huishouden", 1),  # B: PW and Wmo
        ("2024-01-01", "onbekend", 1),  # D: Jeugdwet category 45 without a product code
    ]
    assert rows(warehouse, "stacking", on=(NEW_YEAR,)) == [("2024-01-01", 1, 2), ("2024-01-01", 2, 1)]
    laws = {"on": (NEW_YEAR,), "options": {"stack_by": "law"}}
    assert rows(warehouse, "stacking_combinations", **laws) == [
        ("2024-01-01", "JW", 1),  # D
        ("2024-01-01", "PW", 1),  # A
        ("2024-01-01", "PW + WMO", 1),  # B: one client on a benefit with Wmo support
    ]
    assert rows(warehouse, "stacking", **laws) == [("2024-01-01", 1, 2), ("2024-01-01", 2, 1)]
    with pytest.raises(InputError, match="--stack-by 'wet': kies cbs_group of law"):
        rows(warehouse, "stacking", on=(NEW_YEAR,), options={"stack_by": "wet"})
    assert rows(warehouse, "stacking_combinations", on=(NEW_YEARS_EVE,))[-1] == (
        "2023-12-31", "bijstandsgerelateerde uitkering", 1,  # E: IOAW
    )  # fmt: skip


def test_the_profile_counts_the_persons_on_benefits(warehouse: Warehouse, tmp_path: Path) -> None:
    load_worked_example(warehouse, tmp_path)
    # 2023: A (43 on 2023-12-31, woman), B (41, man), E (62, woman): mean 48.7
    assert rows(warehouse, "profile", grain="year", start=date(2023, 1, 1), end=NEW_YEARS_EVE) == [
        ("2023", 3, 48.7, 1, 2, 0)
    ]


def test_columns_that_are_about_allocations_say_gemeente_or_onbekend_for_a_benefit(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load_worked_example(warehouse, tmp_path)
    by = (
        "law",
        "product_category",
        "product_code",
        "provider",
        "provider_type",
        "delivery_form",
        "cbs_group",
    )
    assert rows(warehouse, "stock", on=(NEW_YEARS_EVE,), by=by) == [
        ("2023-12-31", "PW", "IOAW", "onbekend", "gemeente", "gemeente", "onbekend",
         "bijstandsgerelateerde uitkering", 1),
        ("2023-12-31", "PW", "PW", "onbekend", "gemeente", "gemeente", "onbekend", "bijstand", 2),
        ("2023-12-31", "WMO", "01", "onbekend", "onbekend", "onbekend", "ZIN", "hulp bij het huishouden", 1),
    ]  # fmt: skip


def test_metrics_about_allocations_episodes_and_care_leave_benefits_out(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load_worked_example(warehouse, tmp_path)
    year = {"grain": "year", "start": date(2023, 1, 1), "end": NEW_YEARS_EVE, "by": ("law",)}
    assert rows(warehouse, "allocations", **year) == [("2023", "WMO", 1)]
    assert rows(warehouse, "allocations_per_client", **year) == [("2023", "WMO", 1, 1, 1.0)]
    assert rows(warehouse, "flows", **year) == [("2023", "WMO", 1, 0, 1)]
    included = {name for name, metric in CATALOGUE.items() if metric.with_benefits}
    assert included == {"clients", "stock", "profile", "stacking", "stacking_combinations"}
    assert all(CATALOGUE[name].reads == ALLOCATIONS and not CATALOGUE[name].history for name in included)


def test_a_partner_without_a_birth_date_takes_it_from_their_allocations_or_is_of_unknown_age(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load_allocations_rows(warehouse, tmp_path, [
        allocation("T1", client="C2", birth="1950-05-01", law="WMO", category="01", start="2023-10-01"),
    ])  # fmt: skip
    load_benefits_rows(warehouse, tmp_path, [
        benefit(benefit_id="U1", client_id="C1", birth_date="1980-03-15", start_date="2023-07-01",
                partner_id="C2", household_type="3"),
        benefit(benefit_id="U2", client_id="C5", birth_date="1990-01-01", start_date="2023-07-01",
                partner_id="C6", household_type="3"),
    ])  # fmt: skip
    assert rows(warehouse, "stock", on=(NEW_YEAR,), by=("law", "target_group")) == [
        ("2024-01-01", "PW", "onbekend", 1),  # C6: no birth date anywhere
        ("2024-01-01", "PW", "ouderen", 1),  # C2: 73, from the Wmo allocation
        ("2024-01-01", "PW", "volwassenen", 2),  # C1, C5
        ("2024-01-01", "WMO", "ouderen", 1),
    ]
    assert rows(warehouse, "stock", on=(NEW_YEAR,), by=("age_band",)) == [
        ("2024-01-01", "18-64", 2),
        ("2024-01-01", "65+", 1),
        ("2024-01-01", "onbekend", 1),
    ]


def test_the_data_moment_is_the_earliest_over_allocations_and_benefits(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    """Benefits extracted on 2024-02-01, allocations on 2024-03-01: the client figures are realised up to
    2024-02-01. A benefit starting 2024-02-10 is a planned start (left out), one ending 2024-02-20 runs."""
    load_benefits_rows(warehouse, tmp_path, [
        benefit(benefit_id="U1", client_id="C1", start_date="2023-07-01", end_date="2024-02-20"),
        benefit(benefit_id="U2", client_id="C5", start_date="2024-02-10"),
    ], extracted_on=date(2024, 2, 1))  # fmt: skip
    load_allocations_rows(warehouse, tmp_path, [allocation("T1", client="C2", start="2023-10-01")])
    february = {"grain": "month", "start": date(2024, 2, 1), "end": date(2024, 2, 29), "by": ("law",)}
    result = run_metric(warehouse, MetricRequest("clients", **february))  # type: ignore[arg-type]
    assert result.rows == [("2024-02", "PW", 1), ("2024-02", "WMO", 1)]
    assert result.status.moment == date(2024, 2, 1) and result.status.of("2024-02") == "t/m 01-02-2024"
    planned = run_metric(warehouse, MetricRequest("clients", planned=True, **february))  # type: ignore[arg-type]
    assert planned.rows == [("2024-02", "PW", 2), ("2024-02", "WMO", 1)]
    # flows reads allocations only: its data moment is theirs
    flows = run_metric(warehouse, MetricRequest("flows", **february))  # type: ignore[arg-type]
    assert flows.status.moment == date(2024, 3, 1)


def test_as_of_a_day_before_the_benefits_were_loaded_has_no_pw(warehouse: Warehouse, tmp_path: Path) -> None:
    load_allocations_rows(warehouse, tmp_path, [allocation("T1", client="C2", start="2023-10-01")],
                          extracted_on=date(2024, 2, 1))  # fmt: skip
    load_benefits_rows(warehouse, tmp_path, [benefit(client_id="C1", start_date="2023-07-01")])
    on = {"on": (NEW_YEAR,), "by": ("law",)}
    assert rows(warehouse, "stock", **on) == [("2024-01-01", "PW", 1), ("2024-01-01", "WMO", 1)]
    assert rows(warehouse, "stock", as_of=date(2024, 2, 15), **on) == [("2024-01-01", "WMO", 1)]


def test_without_benefits_the_query_is_that_of_the_allocations_alone(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load_allocations_rows(warehouse, tmp_path, [allocation("T1", client="C2", start="2023-10-01")])
    request = MetricRequest("clients", grain="half", start=date(2023, 7, 1), end=NEW_YEARS_EVE)
    assert "benefit_versions" not in show_sql(build(warehouse, request)[2])
    load_benefits_rows(warehouse, tmp_path, [benefit(client_id="C1", start_date="2023-07-01")])
    assert "benefit_versions" in show_sql(build(warehouse, request)[2])


def test_the_drilldown_of_a_clients_figure_holds_the_persons_on_benefits(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load_worked_example(warehouse, tmp_path)
    january = Period(NEW_YEAR, date(2024, 1, 31), "2024-01")
    found = client_rows(warehouse, january, (("law", "PW"),), (january.first, january.last), bands=AgeBands())
    assert found.clients == 2
    assert {(row[2], row[3], row[5]) for row in found.rows} == {("PW", "PW", "gemeente")}
    everyone = client_rows(warehouse, january, (), (january.first, january.last), bands=AgeBands())
    figure = rows(warehouse, "clients", grain="month", start=NEW_YEAR, end=date(2024, 1, 31))
    assert everyone.clients == figure[0][1] == 3


# B partner on M1 (2020) without a birth date, then applicant on M2 from 2021 born 1950-06-01; D partner on M3
# without a birth date anywhere (the black-box case partner_no_birth)
PARTNER_WITHOUT_BIRTH = [
    benefit(benefit_id="M1", client_id="A", birth_date="1980-01-01", gender="1", partner_id="B",
            partner_gender="2", household_type="3", start_date="2020-01-01", end_date="2020-12-31",
            outflow_reason="02"),
    benefit(benefit_id="M2", client_id="B", birth_date="1950-06-01", gender="2", household_type="1",
            start_date="2021-01-01"),
    benefit(benefit_id="M3", client_id="C", birth_date="1980-01-01", gender="1", partner_id="D",
            partner_gender="2", household_type="3", start_date="2020-01-01"),
]  # fmt: skip
MID_2020, MID_2021 = date(2020, 6, 30), date(2021, 6, 30)


def test_a_partners_age_comes_from_their_earliest_birth_date_whatever_dates_are_asked(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    load_benefits_rows(warehouse, tmp_path, PARTNER_WITHOUT_BIRTH, extracted_on=MID_2021)
    in_2020 = [
        ("2020-06-30", "PW", "18-64", 2),  # A, C
        ("2020-06-30", "PW", "65+", 1),  # B: born 1950-06-01 (M2), although M2 starts in 2021
        ("2020-06-30", "PW", "onbekend", 1),  # D: no birth date anywhere
    ]
    by = ("law", "age_band")
    assert rows(warehouse, "stock", on=(MID_2020,), by=by) == in_2020
    both = rows(warehouse, "stock", on=(MID_2020, MID_2021), by=by)
    assert [row for row in both if row[0] == "2020-06-30"] == in_2020
    # the benefit metrics give the same age bands (persons, the second measure)
    persons = [
        (day, band, n) for day, band, _, n in rows(warehouse, "benefits", on=(MID_2020,), by=("age_band",))
    ]
    assert persons == [(day, band, n) for day, _, band, n in in_2020]
    # periods: 2020 alone or 2020 and 2021-H1, the figures of 2020 are the same
    halves = {"grain": "half", "by": ("age_band",), "start": date(2020, 1, 1)}
    alone = rows(warehouse, "clients", end=date(2020, 12, 31), **halves)
    longer = rows(warehouse, "clients", end=MID_2021, **halves)
    assert alone == [row for row in longer if row[0].startswith("2020")]
    assert alone == [
        (half, band, n)
        for half in ("2020-H1", "2020-H2")
        for band, n in (("18-64", 2), ("65+", 1), ("onbekend", 1))
    ]
    targets = rows(warehouse, "stock", on=(MID_2020,), by=("target_group",))
    assert targets == [
        ("2020-06-30", "onbekend", 1),
        ("2020-06-30", "ouderen", 1),
        ("2020-06-30", "volwassenen", 2),
    ]


def test_the_earliest_birth_date_of_a_person_on_a_benefit_counts_also_from_an_allocation_outside_the_range(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    """B's Wmo allocation of 2022 says 1949-01-01 (earlier than M2's 1950-06-01): B is 71 on 2020-06-30, and
    the profile's mean age is the same whether or not 2022 is asked."""
    load_benefits_rows(warehouse, tmp_path, PARTNER_WITHOUT_BIRTH, extracted_on=date(2022, 6, 30))
    load_allocations_rows(warehouse, tmp_path, [
        allocation("T1", client="B", birth="1949-01-01", law="WMO", category="01", start="2022-01-01"),
    ], extracted_on=date(2022, 6, 30))  # fmt: skip
    years = {"grain": "year", "start": date(2020, 1, 1)}
    alone = rows(warehouse, "profile", end=date(2020, 12, 31), **years)
    longer = rows(warehouse, "profile", end=date(2022, 6, 30), **years)
    assert alone == longer[:1]
    # on 2020-12-31: A 40, C 40, B 71 (1949-01-01), D unknown: mean (40 + 40 + 71) / 3 = 50.3
    assert alone[0][:3] == ("2020", 4, 50.3)
