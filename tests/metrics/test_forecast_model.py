"""The forecast's arithmetic on the worked examples T, F and B of docs/forecast.md (docs/design/money.md §3)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sdmonitor.metrics.forecast_model import (
    CONTRACT_COLUMNS,
    LineInputs,
    absolute_percentage_error,
    bridge_rows,
    depletion_date,
    forecast_line,
    new_allocation_costs,
    run_rate,
    share_of_year,
    total_row,
)
from sdmonitor.metrics.runoff import (
    CompletionFactors,
    chain_ladder_ultimate,
    completion_factors,
    cumulative_triangle,
    late_expected,
    month_number,
)
from sdmonitor.metrics.survival import kaplan_meier

NAN = float("nan")
TRIANGLE_T = np.array(
    [
        [30, 80, 95, 100],
        [60, 160, 190, 200],
        [45, 120, NAN, NAN],
    ]
)


def factors_t() -> CompletionFactors:
    return completion_factors(TRIANGLE_T)


def test_completion_factors_from_a_run_off_triangle() -> None:
    factors = factors_t()
    assert factors.link_ratios[:3] == pytest.approx((360 / 135, 285 / 240, 300 / 285))
    assert factors.link_ratios[3:] == (1.0,) * 21  # no data beyond lag 3: tail 1
    assert factors.at(2) == pytest.approx(0.95)
    assert factors.at(1) == pytest.approx(0.80)
    assert factors.at(0) == pytest.approx(0.30)
    assert factors.at(3) == factors.at(24) == factors.at(40) == 1.0
    assert chain_ladder_ultimate(120, factors, 1) - 120 == pytest.approx(30)  # the IBNR of h3 at k = 1


def test_the_triangle_knows_only_the_submission_months_that_are_over() -> None:
    # delivery months 0, 1, 2; submissions known through month 3: h0 has lags 0..3, h1 0..2, h2 0..1
    delivery = [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2]
    lag = [0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 5]
    amount = [30, 50, 15, 5, 60, 100, 30, 10, 45, 75, 99]
    c = cumulative_triangle(delivery, lag, amount, last_known=3, months=[0, 1, 2], max_lag=3)
    np.testing.assert_array_equal(c[0], [30, 80, 95, 100])
    np.testing.assert_array_equal(c[1, :3], [60, 160, 190])
    assert np.isnan(c[1, 3]) and np.isnan(c[2, 2:]).all()
    np.testing.assert_array_equal(c[2, :2], [45, 120])


@settings(max_examples=40, deadline=None)
@given(
    pattern=st.lists(st.floats(0.01, 1.0), min_size=2, max_size=6),
    finals=st.lists(st.floats(10.0, 1e6), min_size=8, max_size=12),
)
def test_chain_ladder_recovers_a_constant_lag_pattern(pattern: list[float], finals: list[float]) -> None:
    shares = np.asarray(pattern) / sum(pattern)
    months = list(range(len(finals)))
    delivery, lag, amount = [], [], []
    for h, final in zip(months, finals, strict=True):
        for k, share in enumerate(shares):
            delivery.append(h)
            lag.append(k)
            amount.append(final * share)
    last = months[-1]
    triangle = cumulative_triangle(delivery, lag, amount, last_known=last, months=months, max_lag=24)
    factors = completion_factors(triangle)
    for k in range(len(shares)):
        assert factors.at(k) == pytest.approx(float(np.cumsum(shares)[k]), rel=1e-9)


def test_late_expected_uses_completion_times_expected_cost() -> None:
    factors = factors_t()
    # example F: E = 1,000 for January..March, at T = 31 March the lags are 2, 1, 0
    assert late_expected([1000, 1000, 1000], [2, 1, 0], factors) == pytest.approx(950)
    chain_ladder = sum(
        chain_ladder_ultimate(known, factors, k) - known for known, k in ((1000, 2), (900, 1), (300, 0))
    )
    assert chain_ladder == pytest.approx(977.63, abs=0.005)


def example_f(budget: float | None = 12_000, kind: str = "line") -> LineInputs:
    """Example F: line 'Wmo begeleiding', 2024, T = 31 March, factors of example T."""
    jan, feb, mar = (month_number(date(2024, m, 1)) for m in (1, 2, 3))
    later = range(month_number(date(2024, 4, 1)), month_number(date(2024, 12, 1)) + 1)
    b = {m: 8 * 60.0 * 0.75 for m in later if m <= month_number(date(2024, 6, 1))}  # planned end 30 June
    c = {m: 10 * 60.0 * 0.9 for m in later}  # open-ended, S = 1
    return LineInputs(
        name="Wmo begeleiding",
        budget=budget,
        factors=factors_t(),
        realised={jan: 1000, feb: 900, mar: 300},
        expected={jan: 1000, feb: 1000, mar: 1000},
        committed={m: b.get(m, 0.0) + c[m] for m in later},
        new_expected=new_allocation_costs({m: 0.2 for m in later}, [300.0] * 12, 2024),
        kind=kind,
    )


def test_forecast_worked_example_no_warning() -> None:
    row, path = forecast_line(example_f(), 2024, date(2024, 3, 31))
    assert row.realised == pytest.approx(2200)
    assert row.late_expected == pytest.approx(950)
    assert row.committed == pytest.approx(1080 + 4860)
    assert row.new_expected == pytest.approx(2700)
    assert row.forecast == pytest.approx(11_790)
    assert row.difference == pytest.approx(210)
    assert row.share_used == pytest.approx(0.2625)
    assert round(row.share_of_year, 4) == 0.2486
    assert row.warning == "" and row.depletion_date is None
    cumulative = [round(p.cumulative) for p in path[2:]]
    assert cumulative == [3150, 4110, 5130, 6210, 6990, 7830, 8730, 9690, 10710, 11790]
    assert path[0].realised == 1000 and path[0].expected == pytest.approx(50)
    assert tuple(row.record()) == CONTRACT_COLUMNS
    assert row.record()["forecast"] == 11790.0 and row.record()["share_of_year"] == 0.2486


def test_forecast_warns_for_overspend_and_running_ahead_and_finds_the_depletion_date() -> None:
    row, _ = forecast_line(example_f(budget=10_000), 2024, date(2024, 3, 31))
    assert row.difference == pytest.approx(-1790)
    assert row.share_used == pytest.approx(0.315)
    assert row.warning == "overschrijding, loopt voor"
    assert row.depletion_date == date(2024, 11, 10)


def test_the_margin_decides_running_ahead() -> None:
    row, _ = forecast_line(example_f(budget=10_000), 2024, date(2024, 3, 31), margin=0.07)
    assert row.warning == "overschrijding"


def test_a_depletion_date_already_past_is_shown() -> None:
    months = [(month_number(date(2024, m, 1)), 1000.0) for m in range(1, 13)]
    assert depletion_date(months, 2500) == date(2024, 3, 16)  # 500 of March's 1,000: day 15.5 -> 16
    assert depletion_date(months, 12_000) == date(2024, 12, 31)
    assert depletion_date(months, 12_000.5) is None
    assert depletion_date(months, None) is None


def test_a_provider_at_seventy_percent_of_its_spending_room_is_alerted() -> None:
    room = LineInputs(
        name="P1",
        budget=5000,
        factors=CompletionFactors((1.0,) * 24, (1.0,) * 25),
        realised={month_number(date(2024, 1, 1)): 3600},
        kind="room",
    )
    row, _ = forecast_line(room, 2024, date(2024, 9, 30))
    assert row.warning == "70% bestedingsruimte"
    below = LineInputs(**{**room.__dict__, "realised": {month_number(date(2024, 1, 1)): 3499}})
    assert forecast_line(below, 2024, date(2024, 9, 30))[0].warning == ""


def test_the_total_sums_amounts_and_recomputes_shares() -> None:
    a, path_a = forecast_line(example_f(), 2024, date(2024, 3, 31))
    unbudgeted = LineInputs(
        **{**example_f(budget=None).__dict__, "name": "niet begroot", "kind": "not_budgeted"}
    )
    b, path_b = forecast_line(unbudgeted, 2024, date(2024, 3, 31))
    total, path = total_row([a, b], {a.budget_line: path_a, b.budget_line: path_b}, 2024, date(2024, 3, 31))
    assert total.forecast == pytest.approx(2 * 11_790)
    assert path[-1].cumulative == pytest.approx(2 * 11_790) and path[0].budget == 12_000
    assert total.budget == 12_000 and total.difference == pytest.approx(12_000 - 23_580)
    assert total.warning == "overschrijding, loopt voor"


def test_share_of_year_counts_the_day_itself() -> None:
    assert share_of_year(date(2024, 3, 31), 2024) == pytest.approx(91 / 366)
    assert share_of_year(date(2023, 12, 31), 2023) == 1.0
    assert share_of_year(date(2022, 5, 1), 2023) == 0.0


def test_the_run_rate_and_the_percentage_errors_of_example_f() -> None:
    assert run_rate(2200, 3) == pytest.approx(8800)
    assert absolute_percentage_error(11_790, 11_500) == pytest.approx(0.0252, abs=5e-5)
    assert absolute_percentage_error(8800, 11_500) == pytest.approx(0.2348, abs=5e-5)
    assert absolute_percentage_error(1, 0) is None


def test_the_bridge_adds_up_and_shows_its_residual() -> None:
    rows = bridge_rows(
        "Jeugd",
        budget=1_000_000,
        forecast=1_100_000,
        budgeted_clients=500,
        forecast_clients=520,
        budgeted_index=5.02,
        actual_index=6.82,
        prior_years=0.0,
    )
    amounts = {r.effect: r.amount for r in rows}
    assert amounts == {
        "index": 17_139.59,
        "volume": 40_685.58,
        "intensity": 42_174.82,
        "late_prior": 0.0,
        "residual": 0.01,
    }
    assert sum(r.amount or 0 for r in rows if r.in_sum) == pytest.approx(100_000.00)
    seed = bridge_rows(
        "Jeugd",
        budget=11_364_000,
        forecast=11_364_000,
        budgeted_clients=None,
        forecast_clients=None,
        budgeted_index=5.02,
        actual_index=6.82,
    )
    assert seed[0].amount == 194_774.33


def test_without_budgeted_clients_the_bridge_says_volume_and_intensity_cannot_be_split() -> None:
    rows = bridge_rows(
        "Jeugd",
        budget=1_000_000,
        forecast=1_100_000,
        budgeted_clients=None,
        forecast_clients=520,
        budgeted_index=5.02,
        actual_index=6.82,
    )
    amounts = {r.effect: r.amount for r in rows}
    assert amounts["volume"] is None and amounts["intensity"] is None
    residual = next(r for r in rows if r.effect == "residual")
    assert residual.amount == pytest.approx(100_000 - 17_139.59)
    assert "niet te splitsen" in residual.note


def test_new_allocations_cost_from_their_start_month_to_december() -> None:
    april = month_number(date(2024, 4, 1))
    costs = new_allocation_costs({april: 2.0, april + 8: 1.0}, [100.0, 50.0], 2024)
    assert costs == {april: 200.0, april + 1: 100.0, april + 8: 100.0}


def test_kaplan_meier_treats_running_allocations_as_censored() -> None:
    s = kaplan_meier([1, 2, 2, 3, 4], [True, True, False, True, False])
    assert s.at(0.5) == 1.0
    assert s.at(1) == pytest.approx(0.8)
    assert s.at(2) == pytest.approx(0.6)
    assert s.at(3.5) == pytest.approx(0.3)
    assert s.still_running(1, 3) == pytest.approx(0.3 / 0.8)
    assert kaplan_meier([5], [True]).still_running(10, 20) == 1.0  # older than any that ended: runs on


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 30), st.booleans()), min_size=1, max_size=40), st.integers(0, 32))
def test_kaplan_meier_matches_the_product_limit_by_hand(data: list[tuple[int, bool]], t: int) -> None:
    durations = [d for d, _ in data]
    ended = [e for _, e in data]
    expected = 1.0
    for time in sorted(set(durations)):
        if time > t:
            break
        at_risk = sum(1 for d in durations if d >= time)
        events = sum(1 for d, e in data if d == time and e)
        expected *= 1 - events / at_risk
    assert kaplan_meier(durations, ended).at(t) == pytest.approx(expected)


def test_a_lag_at_which_nothing_is_known_yet_has_completion_zero() -> None:
    # every month is declared the month after: nothing at lag 0
    triangle = np.array([[0, 100, 100], [0, 200, NAN], [0, NAN, NAN]])
    factors = completion_factors(triangle)
    assert factors.at(0) == 0.0 and factors.at(1) == 1.0
    assert late_expected([500], [0], factors) == 500


def test_on_a_data_moment_within_a_month_last_month_is_at_lag_zero() -> None:
    # T = 6 March: February's declarations of March are still to come (lag 0), January is at lag 1, and
    # March itself is not declared at all (c = 0)
    inputs = LineInputs(**{**example_f().__dict__, "realised": {}, "committed": {}, "new_expected": {}})
    row, _ = forecast_line(inputs, 2024, date(2024, 3, 6))
    assert row.late_expected == pytest.approx(0.20 * 1000 + 0.70 * 1000 + 1.0 * 1000)


def test_the_provider_total_leaves_the_budget_fields_empty() -> None:
    a, path_a = forecast_line(example_f(), 2024, date(2024, 3, 31))
    other = LineInputs(**{**example_f(budget=None).__dict__, "name": "P2", "kind": "provider"})
    b, path_b = forecast_line(other, 2024, date(2024, 3, 31))
    paths = {a.budget_line: path_a, b.budget_line: path_b}
    total, path = total_row([a, b], paths, 2024, date(2024, 3, 31), with_budget=False)
    assert total.forecast == pytest.approx(2 * 11_790) and total.realised == a.realised + b.realised
    assert total.budget is None and total.difference is None and total.share_used is None
    assert total.depletion_date is None and total.warning == "" and path[0].budget is None


def test_share_realised_leaves_out_the_late_declarations() -> None:
    row, _ = forecast_line(example_f(), 2024, date(2024, 3, 31))
    assert row.budget is not None and row.late_expected > 0
    assert row.share_realised == pytest.approx(row.realised / row.budget)
    assert row.share_used == pytest.approx((row.realised + row.late_expected) / row.budget)
