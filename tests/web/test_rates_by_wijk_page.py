"""The page "Uitkeringen" split by wijk: the rate per 10,000 of a wijk is its own, wijk 'onbekend' has none, and
without a population per wijk every wijk's rate is empty with the reason in the page's notes (as the CLI says
it on stderr)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sdmonitor.reference import POSTCODE_AREAS, load_reference
from sdmonitor.warehouse import open_warehouse
from sdmonitor.web.dashboard import Dashboard
from tests.benefit_builders import benefit
from tests.web.test_benefits_page import build, cells, make, with_population

ROWS = [
    benefit(benefit_id="U1", client_id="A", partner_id="B", partner_birth_date="1982-02-03", household_type="3",
            start_date="2023-01-01", postcode="2651 AB"),
    benefit(benefit_id="U2", client_id="C", start_date="2023-01-01", postcode="2661 CD"),
    benefit(benefit_id="U3", client_id="D", start_date="2023-01-01"),
]  # fmt: skip


def with_wijken(tmp_path: Path, population: str) -> Dashboard:
    dashboard = make(tmp_path, ROWS)
    dashboard.close()
    areas = tmp_path / "wijken.csv"
    areas.write_text("pc4;wijkcode;wijknaam\n2651;WK1;Berkel\n2661;WK2;Bleiswijk\n", encoding="utf-8")
    with open_warehouse(dashboard.path) as warehouse:
        load_reference(warehouse, POSTCODE_AREAS, areas, now=datetime(2024, 7, 2))
    return with_population(dashboard, tmp_path, population)


def rates_on_the_moment(dashboard: Dashboard) -> dict[str, str]:
    table = build(dashboard, uitsplitsen="wijk").tables["stand"]
    at = table.columns.index("per_10000")
    return {row[1].text: row[at].text for row in table.rows if row[0].text.startswith("2024-07-01")}


def test_without_a_population_per_wijk_the_wijk_rates_are_empty_and_the_page_says_why(tmp_path: Path) -> None:
    dashboard = with_wijken(tmp_path, "gemeentecode;jaar;leeftijd;geslacht;aantal\n1621;2024;40;2;10000\n")
    try:
        assert set(rates_on_the_moment(dashboard).values()) == {""}  # onbekend too: not 1 of all 10,000
        notes = build(dashboard, uitsplitsen="wijk").context["notes"]
        assert (
            sum("leeg per wijk voor 2024: de bevolking is niet per wijk geladen" in note for note in notes)
            == 1
        )
        # without the breakdown the rate of the municipality is there, and no such note
        assert cells(build(dashboard), "stand", "")["2024-07-01"]["per_10000"] == "4,0"  # 4 persons of 10,000
    finally:
        dashboard.close()


def test_with_a_population_per_wijk_each_wijk_has_its_own_rate_and_onbekend_none(tmp_path: Path) -> None:
    dashboard = with_wijken(
        tmp_path, "gemeentecode;wijkcode;jaar;leeftijd;geslacht;aantal\n1621;WK1;2024;40;2;4000\n"
        "1621;WK2;2024;40;2;2000\n",
    )  # fmt: skip
    try:
        rates = rates_on_the_moment(dashboard)
        assert rates["Berkel"] == "5,0" and rates["Bleiswijk"] == "5,0"  # 2 of 4,000 and 1 of 2,000
        assert rates["onbekend"] == ""
        notes = build(dashboard, uitsplitsen="wijk").context["notes"]
        assert not any("per wijk" in note for note in notes)
    finally:
        dashboard.close()
