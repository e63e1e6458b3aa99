"""Report tables show every figure with the decimals its measure declares (a waiting time in days with one,
an amount with two), and the rate per 10,000 inhabitants with one decimal for benefits and re-integration."""

from __future__ import annotations

import pytest

from sdmonitor.metrics.benefits import add_per_10000
from sdmonitor.metrics.catalogue import MEASURES
from sdmonitor.reports.model import show
from sdmonitor.reports.tables import declared_decimals, to_csv, to_json


def test_days_in_a_report_table_have_the_one_decimal_their_measure_declares() -> None:
    assert show("mean_days_open", 22.8) == "22,8"  # was '22,80'
    assert show("waited_mean_days", 41.4) == "41,4"
    assert show("decision_median_days", 12.0) == "12,0"
    assert all(MEASURES[m].decimals == 1 for m in ("mean_days_open", "waited_mean_days", "p80_days"))


def test_other_measures_keep_their_declared_decimals_in_a_report_table() -> None:
    assert show("amount", 310.0) == "310,00"
    assert show("amount_prices_2025", 1234.5) == "1.234,50"  # those of the measure it corrects
    assert show("allocations_per_client", 1.5) == "1,50"
    assert show("mean_age", 41.25) == "41,3"  # a half away from zero, as DuckDB rounds (formatting.half_up)
    assert show("clients", 12.5) == "12,5"  # an average of a count per period


def test_the_rate_per_10000_has_one_decimal_for_benefits_and_reintegration_alike() -> None:
    assert declared_decimals(["date", "persons", "per_10000"]) == (None, 0, 1)
    assert show("per_10000", 13.0) == "13,0"
    # the metric keeps the exact rate (so a rate of a count rounded to fives is rounded once); every output
    # shows one decimal, the re-integration rate as the benefits' rate
    _, rows = add_per_10000(("date", "persons"), [("2021-04-01", 1)], (), "persons", {(2021,): 30_000})
    assert rows == [("2021-04-01", 1, pytest.approx(1 / 3))]  # 1 / 30,000 x 10,000 = 0.333...
    assert show("per_10000", rows[0][2]) == "0,3"
    assert to_csv(
        ["date", "persons", "per_10000"], rows, declared_decimals(["date", "persons", "per_10000"])
    ) == ("date,persons,per_10000\n2021-04-01,1,0.3\n")
    assert '"per_10000": 0.3' in to_json(["date", "persons", "per_10000"], rows)
    _, rows = add_per_10000(("date", "provisions"), [("2021-04-01", 2)], (), "provisions", {(2021,): 20_600})
    assert show("per_10000", rows[0][2]) == "1,0"  # 0.97...
