"""A population given for one municipality and year both whole (rows without a wijk code) and per wijk is never
counted twice (docs/loading.md, "Bevolking laden"; docs/metrics.md, "Rates"): a rate not split by wijk divides
by the municipality's own rows, a rate by wijk by the rows per wijk; with only rows per wijk the municipality is
their sum.

The example, on 30 June 2018 (wijken WK1 Berkel, PC4 2651, and WK2 Bleiswijk, 2661):

    A + B  a couple on one benefit in Berkel      C  a benefit in Bleiswijk      D  a benefit without postcode

    population 2018        aged 30 (18+)   aged 8
    0599 (no wijk code)        8,000        2,000      the municipality: 10,000
    0599 WK1 Berkel            4,000        1,000
    0599 WK2 Bleiswijk         2,000            -      the wijken: 7,000 (6,000 aged 18 and over)

Not split by wijk: benefits 4 persons / 8,000 x 10,000 = 5.0 (summed, 4 / 14,000 = 2.9); stock 4 / 10,000 x
1,000 = 0.4 (summed, 4 / 17,000 = 0.24). By wijk: Berkel 2 / 4,000 = 5.0, Bleiswijk 1 / 2,000 = 5.0.
"""

from __future__ import annotations

import tempfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from sdmonitor.cli import cli
from sdmonitor.metrics import MetricRequest, run_metric
from sdmonitor.metrics.compare import population_by
from sdmonitor.metrics.dimensions import AgeBands
from sdmonitor.reference import POPULATION, POSTCODE_AREAS, load_reference, population_notes
from sdmonitor.warehouse import Warehouse, open_warehouse
from sdmonitor.warehouse.population import MixedYear, mixed_years
from tests.benefit_builders import benefit, load_benefits_rows

ON = (date(2018, 6, 30),)
HEADER = "gemeentecode;wijkcode;jaar;leeftijd;geslacht;aantal\n"
WHOLE = "0599;;2018;30;1;8000\n0599;;2018;8;2;2000\n"
PER_WIJK = "0599;WK1;2018;30;1;4000\n0599;WK1;2018;8;1;1000\n0599;WK2;2018;30;1;2000\n"


def load_population(warehouse: Warehouse, tmp_path: Path, text: str) -> None:
    path = tmp_path / "bevolking.csv"
    path.write_text(text, encoding="utf-8")
    load_reference(warehouse, POPULATION, path, now=datetime(2019, 1, 1))


@pytest.fixture
def clients(warehouse: Warehouse, tmp_path: Path) -> Warehouse:
    areas = tmp_path / "wijken.csv"
    areas.write_text("pc4;wijkcode;wijknaam\n2651;WK1;Berkel\n2661;WK2;Bleiswijk\n", encoding="utf-8")
    load_reference(warehouse, POSTCODE_AREAS, areas, now=datetime(2019, 1, 1))
    load_benefits_rows(warehouse, tmp_path, [
        benefit(benefit_id="U1", client_id="A", partner_id="B", partner_birth_date="1982-02-03",
                start_date="2018-01-01", postcode="2651 AB"),
        benefit(benefit_id="U2", client_id="C", start_date="2018-01-01", postcode="2661 CD"),
        benefit(benefit_id="U3", client_id="D", start_date="2018-01-01"),
    ], extracted_on=date(2018, 12, 31))  # fmt: skip
    return warehouse


def rates(warehouse: Warehouse, name: str, **request: Any) -> list[Any]:
    """The rate (the last column) of each row."""
    return [row[-1] for row in run_metric(warehouse, MetricRequest(name, on=ON, **request)).rows]


def test_the_municipality_and_its_wijken_in_one_file_are_not_summed(
    clients: Warehouse, tmp_path: Path
) -> None:
    load_population(clients, tmp_path, HEADER + WHOLE + PER_WIJK)
    assert rates(clients, "benefits", per_10000=True) == [5.0]  # 4 of the 8,000 aged 18+, not of 14,000
    assert rates(clients, "stock", per_1000=True) == [0.4]  # 4 of 10,000 inhabitants, not of 17,000
    assert rates(clients, "stock", by=("law",), per_1000=True) == [0.5]  # PW: 4 of the 8,000 aged 18+
    # by wijk only the rows per wijk: Berkel 2 of 4,000, Bleiswijk 1 of 2,000; onbekend none (D)
    assert rates(clients, "benefits", by=("wijk",), per_10000=True) == [5.0, 5.0, None]
    assert rates(clients, "stock", by=("wijk",), per_1000=True) == [0.4, 0.5, None]  # Berkel of 5,000


def test_with_only_rows_per_wijk_the_municipality_is_their_sum(clients: Warehouse, tmp_path: Path) -> None:
    load_population(clients, tmp_path, HEADER + PER_WIJK)
    assert rates(clients, "benefits", per_10000=True) == [pytest.approx(4 / 6000 * 10000)]  # 6.7
    assert rates(clients, "stock", per_1000=True) == [0.57]  # 4 of 7,000
    assert rates(clients, "benefits", by=("wijk",), per_10000=True) == [5.0, 5.0, None]


def test_with_only_the_municipality_wijken_get_no_rate_and_the_note_says_why(
    clients: Warehouse, tmp_path: Path
) -> None:
    load_population(clients, tmp_path, HEADER + WHOLE)
    assert rates(clients, "benefits", per_10000=True) == [5.0]
    assert rates(clients, "stock", per_1000=True) == [0.4]
    result = run_metric(clients, MetricRequest("benefits", on=ON, by=("wijk",), per_10000=True))
    assert [row[-1] for row in result.rows] == [None, None, None]
    assert result.notes == (
        "Per 10.000 inwoners leeg per wijk voor 2018: de bevolking is niet per wijk geladen (sdm load population "
        "met de kolom wijkcode).",
    )


def test_the_rule_holds_per_municipality_and_year(clients: Warehouse, tmp_path: Path) -> None:
    # 0599 2018 whole and per wijk (8,000 aged 18+); 0600 2018 per wijk only (1,000); 0599 2019 per wijk only
    load_population(
        clients, tmp_path, HEADER + WHOLE + PER_WIJK + "0600;WK9;2018;30;1;1000\n0599;WK1;2019;30;1;3000\n"
    )
    assert rates(clients, "benefits", per_10000=True) == [pytest.approx(4 / 9000 * 10000)]
    assert [(m.municipality_code, m.year) for m in mixed_years(clients)] == [("0599", 2018)]


def test_the_load_says_which_rows_count_for_what(clients: Warehouse, tmp_path: Path) -> None:
    load_population(clients, tmp_path, HEADER + WHOLE + PER_WIJK)
    assert mixed_years(clients) == [MixedYear("0599", 2018, 2, 10000, 3, 2, 7000)]
    assert population_notes(clients) == [
        "Gemeente 0599, 2018: 2 rijen zonder wijkcode (10.000 inwoners) en 3 rijen met wijkcode (2 wijken, "
        "7.000 inwoners). Een cijfer per 1.000 of 10.000 inwoners deelt door de rijen zonder wijkcode (de hele "
        "gemeente), met --by wijk door de rijen per wijk; samen opgeteld worden ze nooit. De wijken tellen 3.000 "
        "inwoners minder dan de gemeente (inwoners buiten deze wijken of zonder wijk)."
    ]
    load_population(clients, tmp_path, HEADER + "0599;;2018;30;1;6000\n0599;WK1;2018;30;1;6000\n")
    assert population_notes(clients)[0].endswith("De wijken tellen precies op tot de gemeente.")
    load_population(clients, tmp_path, HEADER + "0599;;2018;30;1;5990\n0599;WK1;2018;30;1;6000\n")
    assert "Let op: de wijken tellen 10 inwoners meer dan de gemeente" in population_notes(clients)[0]
    load_population(clients, tmp_path, HEADER + PER_WIJK)
    assert population_notes(clients) == []


def test_a_file_of_many_years_gets_one_line_and_a_line_for_each_year_whose_wijken_count_more(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    years = range(2015, 2020)  # 2015-2018 wijken short of the municipality, 2019 more
    load_population(warehouse, tmp_path, HEADER + "".join(
        f"0599;;{y};30;1;100\n0599;WK1;{y};30;1;{101 if y == 2019 else 60}\n" for y in years
    ))  # fmt: skip
    notes = population_notes(warehouse)
    assert notes[0] == (
        "5 combinaties van gemeente en jaar (gemeente 0599; 2015-2019) hebben rijen zonder wijkcode en rijen met "
        "wijkcode. Een cijfer per 1.000 of 10.000 inwoners deelt door de rijen zonder wijkcode (de hele "
        "gemeente), met --by wijk door de rijen per wijk; samen opgeteld worden ze nooit. De wijken tellen "
        "precies op tot de gemeente in 0, minder in 4, meer in 1."
    )
    assert len(notes) == 2 and notes[1].startswith(
        "Gemeente 0599, 2019: 1 rij zonder wijkcode (100 inwoners)"
    )
    assert "Let op: de wijken tellen 1 inwoner meer dan de gemeente" in notes[1]


def test_sdm_load_population_prints_the_rows_of_each_kind(tmp_path: Path) -> None:
    path = tmp_path / "bevolking.csv"
    path.write_text(HEADER + WHOLE + PER_WIJK, encoding="utf-8")
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "w.duckdb"), "load", "population", str(path)])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert text.startswith("bevolking.csv: 5 rijen bevolking geladen (vorige inhoud vervangen).")
    assert "Gemeente 0599, 2018: 2 rijen zonder wijkcode (10.000 inwoners) en 3 rijen met wijkcode" in text
    assert "samen opgeteld worden ze nooit" in text


# --- the rule against a simple reference -----------------------------------------------------------------------

ROWS = st.dictionaries(
    st.tuples(st.sampled_from(["0599", "0600"]), st.sampled_from(["", "WK1", "WK2"]), st.sampled_from([2018, 2019]),
              st.sampled_from([8, 30, 70]), st.sampled_from(["1", "2"])),
    st.integers(0, 5000), min_size=1, max_size=14,
)  # fmt: skip


@settings(max_examples=25, deadline=None)
@given(ROWS)
def test_the_inhabitants_of_each_municipality_match_a_simple_reference(
    rows: dict[tuple[Any, ...], int],
) -> None:
    """Per municipality and year: the rows without a wijk code where there are any, else the rows per wijk."""
    expected: dict[tuple[Any, ...], int] = {}
    for (municipality, _, year, _, _), _n in rows.items():
        own = [n for (m, w, y, _, _), n in rows.items() if (m, y) == (municipality, year) and not w]
        every = [n for (m, _, y, _, _), n in rows.items() if (m, y) == (municipality, year)]
        expected[(year, municipality)] = sum(own) if own else sum(every)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bevolking.csv"
        path.write_text(HEADER + "".join(f"{m};{w};{y};{a};{s};{n}\n" for (m, w, y, a, s), n in rows.items()))
        with open_warehouse(Path(folder) / "w.duckdb") as warehouse:
            load_reference(warehouse, POPULATION, path, now=datetime(2020, 1, 1))
            assert population_by(warehouse, ("municipality",), AgeBands((0, 18, 65))) == expected
