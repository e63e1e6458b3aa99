"""Hand-worked examples: the worked example of docs/metrics.md, every number written out."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from sdmonitor.errors import InputError
from sdmonitor.loading import LoadOptions, load_allocations
from sdmonitor.metrics import MetricRequest, run_metric
from sdmonitor.warehouse import Warehouse
from tests.builders import allocation, write_csv

YEAR_2018 = {"start": date(2018, 1, 1), "end": date(2018, 12, 31)}

WORKED_EXAMPLE = [
    allocation(
        "a1", client="A", law="WMO", category="02", start="2017-10-01", end="2018-03-31", birth="1940-01-01"
    ),
    allocation("a2", client="A", law="WMO", category="02", start="2018-04-01", end=None, birth="1940-01-01"),
    allocation(
        "a3", client="B", law="JW", category="45", start="2018-02-15", end="2018-02-15", birth="2005-05-05"
    ),
    allocation(
        "a4", client="B", law="WMO", category="01", start="2018-05-01", end="2018-08-31", birth="2005-05-05"
    ),
    allocation(
        "a5", client="C", law="WMO", category="07", start="2018-01-01", end="2018-01-31", birth="1980-01-01"
    ),
    allocation(
        "a6", client="C", law="WMO", category="07", start="2018-03-01", end="2018-06-30", birth="1980-01-01"
    ),
]


def load_rows(warehouse: Warehouse, tmp_path: Path, rows: list[dict[str, str | None]]) -> None:
    load_allocations(warehouse, write_csv(tmp_path / "t.csv", rows), LoadOptions(), now=datetime(2024, 1, 1))


@pytest.fixture
def worked(warehouse: Warehouse, tmp_path: Path) -> Warehouse:
    load_rows(warehouse, tmp_path, WORKED_EXAMPLE)
    return warehouse


def rows(warehouse: Warehouse, name: str, **request: Any) -> list[tuple[Any, ...]]:
    return run_metric(warehouse, MetricRequest(name, **request)).rows


def test_clients_per_half_year_by_law(worked: Warehouse) -> None:
    result = run_metric(worked, MetricRequest("clients", grain="half", by=("law",), **YEAR_2018))
    assert result.columns == ("period", "law", "clients")
    assert result.rows == [("2018-H1", "JW", 1), ("2018-H1", "WMO", 3), ("2018-H2", "WMO", 2)]


def test_a_client_under_two_laws_counts_once_in_the_total(worked: Warehouse) -> None:
    assert rows(worked, "clients", grain="half", **YEAR_2018) == [("2018-H1", 3), ("2018-H2", 2)]


def test_allocations_by_the_four_ways_they_overlap_a_period(worked: Warehouse) -> None:
    assert rows(worked, "allocations", grain="half", by=("overlap",), **YEAR_2018) == [
        ("2018-H1", "ended_in_period", 1),  # a1
        ("2018-H1", "in_period", 3),  # a3, a5, a6
        ("2018-H1", "started_in_period", 2),  # a2, a4
        ("2018-H2", "ended_in_period", 1),  # a4
        ("2018-H2", "spans_period", 1),  # a2
    ]


def test_allocations_per_client(worked: Warehouse) -> None:
    assert rows(worked, "allocations_per_client", grain="half", **YEAR_2018) == [
        ("2018-H1", 6, 3, 2.0),
        ("2018-H2", 2, 2, 1.0),
    ]


def test_stock_on_reference_dates(worked: Warehouse) -> None:
    result = run_metric(worked, MetricRequest("stock", on=(date(2018, 3, 1), date(2018, 2, 15))))
    assert result.columns == ("date", "clients")
    assert result.rows == [("2018-02-15", 2), ("2018-03-01", 2)]


def test_stock_on_the_first_day_of_every_period(worked: Warehouse) -> None:
    assert rows(worked, "stock", grain="quarter", **YEAR_2018) == [
        ("2018-01-01", 2),  # A, C
        ("2018-04-01", 2),  # A, C
        ("2018-07-01", 2),  # A, B
        ("2018-10-01", 1),  # A
    ]


def test_flows_per_month_with_episodes(worked: Warehouse) -> None:
    assert rows(worked, "flows", grain="month", **YEAR_2018) == [
        ("2018-01", 1, 1, 0),  # C in and out (a5)
        ("2018-02", 1, 1, 0),  # B a3: a one-day allocation
        ("2018-03", 1, 0, 1),  # C again (a6): 28 days without support
        ("2018-05", 1, 0, 1),  # B a4
        ("2018-06", 0, 1, -1),  # C
        ("2018-08", 0, 1, -1),  # B
    ]


def test_a_gap_within_max_gap_days_joins_the_episodes(worked: Warehouse) -> None:
    assert rows(worked, "flows", grain="month", options={"max_gap_days": 28}, **YEAR_2018) == [
        ("2018-01", 1, 0, 1),
        ("2018-02", 1, 1, 0),
        ("2018-05", 1, 0, 1),
        ("2018-06", 0, 1, -1),
        ("2018-08", 0, 1, -1),
    ]


def test_renewal_the_next_day_is_not_new_inflow(warehouse: Warehouse, tmp_path: Path) -> None:
    load_rows(warehouse, tmp_path, [
        allocation("r1", client="R", start="2017-01-01", end="2017-12-31"),
        allocation("r2", client="R", start="2018-01-01", end="2018-12-31"),
        allocation("g1", client="G", start="2017-01-01", end="2017-12-30"),
        allocation("g2", client="G", start="2018-01-01", end="2018-12-31"),
    ])  # fmt: skip
    whole = {"start": date(2017, 1, 1), "end": date(2018, 12, 31)}
    assert rows(warehouse, "flows", grain="year", **whole) == [("2017", 2, 1, 1), ("2018", 1, 2, -1)]
    assert rows(warehouse, "allocation_flows", grain="year", **whole) == [
        ("2017", 2, 2, 0),
        ("2018", 2, 2, 0),
    ]


def test_naive_flows_count_allocation_starts_and_ends(worked: Warehouse) -> None:
    assert rows(worked, "allocation_flows", grain="year", **YEAR_2018) == [("2018", 5, 5, 0)]


def test_outflow_rate(worked: Warehouse) -> None:
    assert rows(worked, "outflow_rate", grain="half", **YEAR_2018) == [
        ("2018-H1", 3, 1, 0.3333),  # C's last episode in H1 ends on 30 June
        ("2018-H2", 2, 1, 0.5),  # B
    ]


def test_duration_of_ended_episodes_by_start_cohort(worked: Warehouse) -> None:
    (row,) = rows(worked, "duration", grain="year", **YEAR_2018)
    # B: 1 and 123 days; C: 31 and 122 days; A's episode started in 2017
    assert row == ("2018", 4, 0, 69.25, 76.5, 122.7, 2.28, 2.51, 4.03)


def test_reentry_within_twelve_months(worked: Warehouse) -> None:
    assert rows(worked, "reentry", grain="year", **YEAR_2018) == [("2018", 4, 2, 0.5)]


def test_target_group_counts_jeugdwet_clients_as_jeugd_and_wmo_by_age(worked: Warehouse) -> None:
    assert rows(worked, "clients", grain="half", by=("target_group",), **YEAR_2018) == [
        ("2018-H1", "jeugd", 1),  # B: 12 years old, Jeugdwet and Wmo
        ("2018-H1", "ouderen", 1),  # A
        ("2018-H1", "volwassenen", 1),  # C
        ("2018-H2", "jeugd", 1),
        ("2018-H2", "ouderen", 1),
    ]


def test_age_is_taken_on_the_last_day_of_the_period(warehouse: Warehouse, tmp_path: Path) -> None:
    load_rows(warehouse, tmp_path, [
        allocation("x", client="X", birth="2000-06-30", start="2018-01-01", end="2018-12-31"),
        allocation("y", client="Y", birth="2000-07-01", start="2018-01-01", end="2018-12-31"),
    ])  # fmt: skip
    assert rows(warehouse, "clients", grain="half", by=("age_band",), **YEAR_2018) == [
        ("2018-H1", "0-17", 1),  # Y turns 18 on 1 July
        ("2018-H1", "18-64", 1),  # X turns 18 on the last day of H1
        ("2018-H2", "18-64", 2),
    ]


def test_deleted_allocations_never_count(warehouse: Warehouse, tmp_path: Path) -> None:
    load_rows(warehouse, tmp_path, [
        allocation("d1", client="D", start="2018-01-01", change_reason="13"),
        allocation("d2", client="E", start="2018-01-01"),
    ])  # fmt: skip
    assert rows(warehouse, "clients", grain="year", **YEAR_2018) == [("2018", 1)]


def test_as_of_computes_from_the_versions_known_then(warehouse: Warehouse, tmp_path: Path) -> None:
    load_allocations(
        warehouse, write_csv(tmp_path / "jan.csv", [allocation("t1", client="T", start="2018-01-01")]),
        LoadOptions(), now=datetime(2018, 2, 1),
    )  # fmt: skip
    load_allocations(
        warehouse, write_csv(tmp_path / "mar.csv", [allocation("t1", client="T", start="2018-01-01", end="2018-01-31")]),
        LoadOptions(), now=datetime(2018, 3, 1),
    )  # fmt: skip
    quarters = {"grain": "month", "start": date(2018, 1, 1), "end": date(2018, 3, 31)}
    assert rows(warehouse, "clients", **quarters) == [("2018-01", 1)]
    # as known on 15 February: the export of 1 February, so March has not happened yet
    assert rows(warehouse, "clients", as_of=date(2018, 2, 15), planned=True, **quarters) == [
        ("2018-01", 1), ("2018-02", 1), ("2018-03", 1),
    ]  # fmt: skip
    early = {"grain": "month", "start": date(2018, 1, 1), "end": date(2018, 2, 28)}
    assert rows(warehouse, "clients", as_of=date(2018, 2, 15), **early) == [("2018-01", 1), ("2018-02", 1)]


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        (MetricRequest("clientjes", **YEAR_2018), "Onbekend cijfer"),
        (MetricRequest("clients", by=("kleur",), **YEAR_2018), "Onbekende kolom"),
        (MetricRequest("clients"), "--from en --to"),
        (MetricRequest("clients", on=(date(2018, 1, 1),)), "--on hoort bij"),
        (MetricRequest("clients", grain="week", **YEAR_2018), "Onbekende --grain"),
        (MetricRequest("flows", by=("overlap",), **YEAR_2018), "Onbekende kolom"),
        (MetricRequest("clients", by=("segment",), **YEAR_2018), "--segments"),
    ],
)
def test_bad_requests_get_a_dutch_explanation(
    worked: Warehouse, request_: MetricRequest, message: str
) -> None:
    with pytest.raises(InputError, match=message):
        run_metric(worked, request_)


def test_repeat_use_looks_back_five_years_before_the_period(worked: Warehouse) -> None:
    assert rows(worked, "repeat_use", grain="half", **YEAR_2018) == [
        ("2018-H1", 3, 1, 0.3333),  # A had support in 2017
        ("2018-H2", 2, 2, 1.0),  # A, and B (a3 in February)
    ]


def test_stacking_counts_distinct_product_groups_across_laws(worked: Warehouse) -> None:
    assert rows(worked, "stacking", grain="half", **YEAR_2018) == [
        ("2018-H1", 1, 2),  # A and C: ondersteuning thuis
        (
            "2018-H1",
            2,
            1,
        ),  # B: Jeugdwet (hulpvorm unknown without a product code) and hulp bij het huishouden
        ("2018-H2", 1, 2),
    ]
    assert rows(worked, "stacking_combinations", grain="year", **YEAR_2018) == [
        ("2018", "ondersteuning thuis", 2),
        ("2018", "hulp bij het huishouden + onbekend", 1),
    ]


def test_transitions_at_18(warehouse: Warehouse, tmp_path: Path) -> None:
    load_rows(warehouse, tmp_path, [
        # P turns 18 on 2019-03-10; Jeugdwet ends 2019-03-31, Wmo begeleiding from 2019-04-01
        allocation("p1", client="P", law="JW", category="45", birth="2001-03-10", start="2016-01-01", end="2019-03-31"),
        allocation("p2", client="P", law="WMO", category="02", birth="2001-03-10", start="2019-04-01"),
        # Q turns 18 on 2019-11-20; Jeugdwet ends four months before, no Wmo
        allocation("q1", client="Q", law="JW", category="45", birth="2001-11-20", start="2017-01-01", end="2019-07-20"),
        # R's Jeugdwet ended two years before turning 18: not a transition
        allocation("r1", client="R", law="JW", category="45", birth="2001-06-01", start="2015-01-01", end="2017-06-01"),
    ])  # fmt: skip
    assert rows(
        warehouse, "transitions_18", grain="year", start=date(2019, 1, 1), end=date(2019, 12, 31)
    ) == [("2019", 2, 1, 0.5)]


def test_profile_gives_mean_age_and_sex(warehouse: Warehouse, tmp_path: Path) -> None:
    load_rows(warehouse, tmp_path, [
        allocation("m", client="M", birth="1950-12-31", gender="1", start="2018-01-01"),
        allocation("v", client="V", birth="1990-01-01", gender="2", start="2018-01-01"),
        allocation("o", client="O", birth="1999-12-31", start="2018-01-01"),
    ])  # fmt: skip
    assert rows(warehouse, "profile", grain="year", **YEAR_2018) == [("2018", 3, 38.3, 1, 1, 1)]  # 68, 28, 19


def test_growth_and_trend_arrows_per_group(worked: Warehouse) -> None:
    result = run_metric(worked, MetricRequest("clients", grain="half", by=("law",), growth=True, **YEAR_2018))
    assert result.columns == (
        "period",
        "law",
        "clients",
        "previous",
        "change",
        "change_pct",
        "trend",
        "long_trend",
    )
    assert result.rows == [
        ("2018-H1", "JW", 1, None, None, None, None, None),
        ("2018-H1", "WMO", 3, None, None, None, None, None),
        ("2018-H2", "WMO", 2, 3, -1, -33.3, "down", "down"),
    ]


def test_per_1000_divides_by_the_matching_population(warehouse: Warehouse, tmp_path: Path) -> None:
    from sdmonitor.reference import POPULATION, load_reference

    load_rows(warehouse, tmp_path, [
        allocation("y", client="Y", birth="2010-01-01", law="JW", category="45", start="2018-01-01"),
        allocation("o", client="O", birth="1940-01-01", start="2018-01-01"),
    ])  # fmt: skip
    population = tmp_path / "bevolking.csv"
    population.write_text(
        "gemeentecode;jaar;leeftijd;geslacht;aantal\n0599;2018;8;1;300\n0599;2018;8;2;200\n0599;2018;78;2;1000\n",
        encoding="utf-8",
    )
    load_reference(warehouse, POPULATION, population, now=datetime(2024, 1, 1))
    assert rows(warehouse, "clients", grain="year", per_1000=True, **YEAR_2018) == [("2018", 2, 1.33)]
    assert rows(warehouse, "clients", grain="year", by=("age_band",), per_1000=True, **YEAR_2018) == [
        ("2018", "0-17", 1, 2.0),
        ("2018", "65+", 1, 1.0),
    ]
    # by law: Wmo per 1,000 inhabitants (1 of 1,500), Jeugdwet per 1,000 inhabitants aged 0-17 (1 of 500, CBS)
    assert rows(warehouse, "clients", grain="year", by=("law",), per_1000=True, **YEAR_2018) == [
        ("2018", "JW", 1, 2.0),
        ("2018", "WMO", 1, 0.67),
    ]


def test_per_1000_after_the_last_population_year_uses_that_year_and_names_it(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    from sdmonitor.reference import POPULATION, load_reference

    load_rows(warehouse, tmp_path, [
        allocation("o", client="O", birth="1940-01-01", start="2016-01-01"),
    ])  # fmt: skip
    population = tmp_path / "bevolking.csv"
    population.write_text(
        "gemeentecode;jaar;leeftijd;geslacht;aantal\n0599;2018;78;2;1000\n0599;2019;78;2;500\n",
        encoding="utf-8",
    )
    load_reference(warehouse, POPULATION, population, now=datetime(2024, 1, 1))
    request = MetricRequest("stock", on=(date(2017, 6, 1), date(2019, 6, 1), date(2021, 6, 1)), per_1000=True)
    result = run_metric(warehouse, request)
    # 2021 has no population: 2019's (the latest before it, never 2018 or a later one); 2017 none at all
    assert [(row[0], row[-1]) for row in result.rows] == [
        ("2017-06-01", None),
        ("2019-06-01", 2.0),
        ("2021-06-01", 2.0),
    ]
    assert result.notes == (
        "Per 1.000 inwoners: voor 2021 de bevolking van 2019 (de laatste geladen, sdm load population); "
        "Per 1.000 inwoners leeg voor 2017: geen bevolking van dat jaar of eerder geladen (sdm load population).",
    )


def test_segments_pick_allocations_by_product_code(warehouse: Warehouse, tmp_path: Path) -> None:
    from sdmonitor.metrics.dimensions import read_segments

    load_rows(warehouse, tmp_path, [
        allocation("d", client="D", product_code="02D01", start="2018-01-01"),
        allocation("l", client="L", product_code="02L01", start="2018-01-01"),
        allocation("x", client="X", product_code="02A01", start="2018-01-01"),
    ])  # fmt: skip
    segments = tmp_path / "segmenten.yaml"
    segments.write_text(
        "segments:\n  dementie: {product_codes: [02D01, 07D01]}\n  LVB: {product_codes: [02L01]}\n",
        encoding="utf-8",
    )
    request = MetricRequest(
        "clients", grain="year", by=("segment",), segments=read_segments(segments), **YEAR_2018
    )
    assert run_metric(warehouse, request).rows == [("2018", "LVB", 1), ("2018", "dementie", 1)]


def test_cbs_group_uses_the_wmo_grouping_and_the_jeugd_hulpvorm(warehouse: Warehouse, tmp_path: Path) -> None:
    load_rows(warehouse, tmp_path, [
        allocation("h", client="H", category="01", start="2018-01-01"),
        allocation("r", client="R", category="12", start="2018-01-01"),
        allocation("j", client="J", law="JW", category="45", product_code="45A48", birth="2010-01-01", start="2018-01-01"),
        allocation("k", client="K", law="JW", category="35", birth="2010-01-01", start="2018-01-01"),
    ])  # fmt: skip
    groups = [row[1] for row in rows(warehouse, "clients", grain="year", by=("cbs_group",), **YEAR_2018)]
    assert groups == sorted(groups)
    assert "hulp bij het huishouden" in groups and "hulpmiddelen en diensten" in groups
    assert "Met verblijf: pleegzorg" in groups  # the 2015 category 35
    assert any(g.startswith("Zonder verblijf") for g in groups)  # 45A48 from the national list


def test_per_1000_with_banded_population_only_where_the_bands_fit(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    from sdmonitor.reference import POPULATION, load_reference

    load_rows(warehouse, tmp_path, [allocation("o", client="O", birth="1940-01-01", start="2018-01-01")])
    population = tmp_path / "bevolking.csv"
    population.write_text(
        "gemeentecode;jaar;leeftijdsklasse;geslacht;aantal\n0599;2018;0-17;1;500\n0599;2018;18-69;1;400\n"
        "0599;2018;70+;2;100\n",
        encoding="utf-8",
    )
    load_reference(warehouse, POPULATION, population, now=datetime(2024, 1, 1))
    assert rows(warehouse, "clients", grain="year", per_1000=True, **YEAR_2018) == [("2018", 1, 1.0)]
    # 18-69 straddles the bands 18-64 and 65+: no honest denominator for 65+
    assert rows(warehouse, "clients", grain="year", by=("age_band",), per_1000=True, **YEAR_2018) == [
        ("2018", "65+", 1, None)
    ]


def test_a_renewal_around_18_is_not_a_transition(warehouse: Warehouse, tmp_path: Path) -> None:
    load_rows(warehouse, tmp_path, [
        # turns 18 on 2018-06-01; Jeugdwet renewed on 1 January and running on to 2020
        allocation("a1", client="A", law="JW", category="45", birth="2000-06-01", start="2017-01-01", end="2017-12-31"),
        allocation("a2", client="A", law="JW", category="45", birth="2000-06-01", start="2018-01-01", end="2020-12-31"),
    ])  # fmt: skip
    assert (
        rows(warehouse, "transitions_18", grain="year", start=date(2018, 1, 1), end=date(2018, 12, 31)) == []
    )


def test_a_client_has_one_age_in_every_metric(warehouse: Warehouse, tmp_path: Path) -> None:
    load_rows(warehouse, tmp_path, [
        allocation("x1", client="X", birth="1950-01-01", start="2018-01-01", end="2018-01-31"),
        allocation("x2", client="X", birth="2001-01-01", start="2018-03-01", end="2018-03-31"),
    ])  # fmt: skip
    by_age = {"by": ("age_band",), "grain": "year", **YEAR_2018}
    assert rows(warehouse, "clients", **by_age) == [("2018", "65+", 1)]
    assert rows(warehouse, "flows", **by_age) == [("2018", "65+", 2, 2, 0)]


def test_growth_never_compares_with_an_incomplete_or_partial_period() -> None:
    from sdmonitor.metrics.compare import add_growth

    rows = [("2015-01", 30), ("2015-02", 10), ("2015-03", 11), ("2015-04", 30)]
    _, grown = add_growth(("period", "inflow"), rows, 0, 5.0, {"2015-01", "2015-04"})
    assert grown[0][2:] == (None, None, None, None, None)  # incomplete: no change, no arrow
    assert grown[1][2:] == (None, None, None, None, None)  # its previous period is incomplete; it is the base
    assert grown[2][2:] == (10, 1, 10.0, "up", "up")  # the long trend against 2015-02, not 2015-01
    assert grown[3][2:] == (None, None, None, None, None)  # partial: cut off at the data moment
